// libFuzzer target for src/fw/smbios.c (host-compiled only).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Input: 4 header bytes, then the files.
//   byte 0: bit 0 offers the anchor file, bit 1 the tables file; bit 2
//           builds, as QEMU would, an anchor for the tables (bit 3: _SM3_,
//           else _SM_) so the fixing and installing paths are reached;
//           bits 4-5: 1 fails the anchor read, 2 the tables read, 3 limits
//           a zone (byte 1 bit 0: ZONE_FSEG, else ZONE_HIGH) to byte 3
//           bytes; bits 6-7 pick the address given to the pure fix
//   byte 1: without bit 2, the anchor's length (0..40); with it, which
//           byte of the built anchor to flip
//   byte 2: the flip (xor; 0 keeps the built anchor as QEMU's)
//   byte 3: with byte 2, the count and max_struct given to the pure fix
//           when the tables do not walk
// then the anchor's bytes (without bit 2) and the tables to the end.
// Checked: the table walk's counts fit the buffer; an accepted anchor has
// its length, kind and zero checksums, the address where asked and no
// byte past its length touched; a refused one is unchanged; smbios_setup()
// installs exactly when the pure functions say it should; the installed
// table is our type 0 (exact bytes, a handle no QEMU structure has) then
// an exact copy of QEMU's, or the copy alone when QEMU has a type 0, no
// handle is free or _SM_ would pass 0xffff bytes; it walks, and the entry
// point points at it with QEMU's fields updated for the type 0 only; and
// nothing outside the fake files and zone blocks is touched (fakefw.c).
#include <stdint.h> // uint8_t
#include <stdio.h> // fprintf
#include <stdlib.h> // abort
#include <string.h> // memcpy

#include "fuzz.h" // REQUIRE
#include "fakefw.h" // fakefw_reset
#include "fw/smbios.h" // smbios_check_tables
#include "stub_output.h" // stub_log_reset
#include "version.h" // REEF_VERSION
#include "testbytes.h" // get_le, put_le, sum8

#define OFFER_ANCHOR    0x01
#define OFFER_TABLES    0x02
#define BUILD_ANCHOR    0x04
#define BUILD_SM3       0x08
#define FAIL_SHIFT      4 // 1 anchor read, 2 tables read, 3 a zone full
#define ADDR_SHIFT      6

#define BUF_SIZE 64
#define CANARY 0xa5

// Our type 0 (DSP0134 7.1), built here from tests/unit/stubs/version.h
// (build date 2026-11-29), not through smbios.c.
#define T0_FORMATTED 0x18
#define T0_STRINGS "ReefBIOS\0" REEF_VERSION "\0" "11/29/2026"
#define T0_LEN (T0_FORMATTED + sizeof(T0_STRINGS) + 1)
#define HANDLE_RESERVED 0xff00 // 0xff00-0xffff (DSP0134 6.1.2)

static const u64 Addrs[4] = {
    0x1000, 0xfffffff0, 0x100000000ull, 0xfffffffffffffff0ull
};

// The entry point QEMU would offer for tables of tlen bytes.
static u32
build_anchor(u8 *a, bool sm3, u32 tlen, u32 count, u32 max)
{
    if (sm3) {
        memcpy(a, "_SM3_", 5);
        a[0x06] = 0x18;
        a[0x07] = 3;
        a[0x0a] = 1;
        put_le(a + 0x0c, tlen, 4);
        return 0x18;
    }
    memcpy(a, "_SM_", 4);
    a[0x05] = 0x1f;
    a[0x06] = 2;
    a[0x07] = 8;
    put_le(a + 0x08, max, 2);
    memcpy(a + 0x10, "_DMI_", 5);
    put_le(a + 0x16, tlen, 2);
    put_le(a + 0x1c, count, 2);
    a[0x1e] = 0x28;
    return 0x1f;
}

// Checks a fixed (kind > 0) or refused anchor against its copy `orig`.
static void
check_fixed(const u8 *a, const u8 *orig, u32 alen, int kind, u64 addr)
{
    u32 i;

    if (kind < 0) {
        REQUIRE(memcmp(a, orig, BUF_SIZE) == 0);
        return;
    }
    for (i = alen; i < BUF_SIZE; i++)
        REQUIRE(a[i] == orig[i]);
    REQUIRE(sum8(a, alen) == 0);
    if (kind == SMBIOS_EP_21) {
        REQUIRE(alen == 0x1f && memcmp(a, "_SM_", 4) == 0);
        REQUIRE(sum8(a + 0x10, 0x0f) == 0);
        REQUIRE(get_le(a + 0x18, 4) == addr);
    } else {
        REQUIRE(kind == SMBIOS_EP_30);
        REQUIRE(alen == 0x18 && memcmp(a, "_SM3_", 5) == 0);
        REQUIRE(get_le(a + 0x10, 8) == addr);
    }
}

static void
our_type0(u8 *t, u16 handle)
{
    static const u8 formatted[T0_FORMATTED] = {
        0, T0_FORMATTED, 0, 0, 1, 2, 0x00, 0xe0, 3, 3,
        0x08, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x10,
        REEF_RELEASE_MAJOR, REEF_RELEASE_MINOR, 0xff, 0xff
    };

    memcpy(t, formatted, sizeof(formatted));
    put_le(t + 2, handle, 2);
    memcpy(t + T0_FORMATTED, T0_STRINGS, sizeof(T0_STRINGS));
    t[T0_LEN - 1] = 0;
}

// What smbios_setup() must find in QEMU's walked table: whether it has a
// type 0, and the handle for ours (-1: none free). Also checks that the
// handle is one no structure has.
static int
pick_handle(const u8 *t, u32 len, bool *has_type0)
{
    u32 off = 0, max = 0, p;
    bool zero_used = false;
    int handle;

    *has_type0 = false;
    while (off < len) {
        u32 h = get_le(t + off + 2, 2);

        *has_type0 |= t[off] == 0;
        zero_used |= h == 0;
        if (h < HANDLE_RESERVED && h > max)
            max = h;
        for (p = off + t[off + 1]; t[p] || t[p + 1]; p++)
            ;
        off = p + 2;
    }
    REQUIRE(off == len);
    handle = !zero_used ? 0 : max + 1 < HANDLE_RESERVED ? (int)max + 1 : -1;
    for (off = 0; handle >= 0 && off < len; off = p + 2) {
        REQUIRE(get_le(t + off + 2, 2) != (u32)handle);
        for (p = off + t[off + 1]; t[p] || t[p + 1]; p++)
            ;
    }
    return handle;
}

// The installed table (block `high`) and entry point (`ep`, alen bytes)
// for QEMU's tables[0..tlen-1] of count structures, the largest max bytes,
// and QEMU's anchor `orig` of that kind.
static void
check_installed(const struct fakefw_block *high, const u8 *ep,
                const u8 *tables, u32 tlen, u32 count, u32 max,
                const u8 *orig, u32 alen, int kind)
{
    static u8 type0[T0_LEN];
    u8 want[BUF_SIZE];
    u32 added = 0, len, c, m, i;
    bool has_type0;
    int handle = pick_handle(tables, tlen, &has_type0);

    REQUIRE(high->size == T0_LEN + tlen && high->align == 16);
    if (!has_type0 && handle >= 0
        && (kind == SMBIOS_EP_30 || tlen + T0_LEN <= 0xffff)) {
        added = T0_LEN;
        our_type0(type0, handle);
        REQUIRE(memcmp(high->data, type0, T0_LEN) == 0);
    } else {
        REQUIRE(has_type0 || stub_log_has("BIOS information structure"));
    }
    len = tlen + added;
    REQUIRE(memcmp(high->data + added, tables, tlen) == 0);
    REQUIRE(smbios_check_tables(high->data, len, &c, &m) == 0);
    REQUIRE(c == count + !!added && m == (max > added ? max : added));
    // QEMU's entry point with only the fields the type 0 and the address
    // change; then the address and checksums as for the pure fix.
    memcpy(want, orig, BUF_SIZE);
    memcpy(want, ep, alen);
    if (kind == SMBIOS_EP_21) {
        REQUIRE(get_le(ep + 0x08, 2) == m);
        REQUIRE(get_le(ep + 0x16, 2) == len);
        REQUIRE(get_le(ep + 0x1c, 2) == c);
        for (i = 0; i < alen; i++)
            if (i != 0x04 && i != 0x08 && i != 0x09
                && (i < 0x15 || i > 0x1d))
                REQUIRE(ep[i] == orig[i]);
    } else {
        u32 qmax = get_le(orig + 0x0c, 4);

        REQUIRE(get_le(ep + 0x0c, 4) == (qmax > len ? qmax : len));
        for (i = 0; i < alen; i++)
            if (i != 0x05 && (i < 0x0c || i > 0x17))
                REQUIRE(ep[i] == orig[i]);
    }
    check_fixed(want, orig, alen, kind, (u32)(uintptr_t)high->data);
}

static const struct fakefw_block *
block_in(enum zone_id zone)
{
    int i;

    for (i = 0; i < fakefw_block_count(); i++)
        if (fakefw_block(i)->zone == zone)
            return fakefw_block(i);
    return NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    u8 flags, anchor[BUF_SIZE], orig[BUF_SIZE], copy[BUF_SIZE];
    u32 alen, tlen, count = 0xdead, max = 0xbeef, fcount, fmax;
    const u8 *tables;
    const struct fakefw_block *high, *fseg;
    int walk, kind, fixed, fail;
    bool expect, zone_ok = true;
    u64 addr;

    if (size < 4 || size - 4 > 0x100000)
        return 0;
    flags = data[0];
    fail = (flags >> FAIL_SHIFT) & 3;
    addr = Addrs[flags >> ADDR_SHIFT];
    memset(anchor, CANARY, sizeof(anchor));
    if (flags & BUILD_ANCHOR) {
        tables = data + 4;
        tlen = size - 4;
    } else {
        alen = data[1] % 41;
        if (alen > size - 4)
            alen = size - 4;
        memcpy(anchor, data + 4, alen);
        tables = data + 4 + alen;
        tlen = size - 4 - alen;
    }

    // The walk: libFuzzer's buffer ends with the tables, so ASan sees any
    // read past them.
    walk = smbios_check_tables(tables, tlen, &count, &max);
    if (walk == 0) {
        REQUIRE(tlen >= 6 && count >= 1 && count <= tlen / 6);
        REQUIRE(max >= 6 && max <= tlen);
        REQUIRE(tables[tlen - 1] == 0 && tables[tlen - 2] == 0);
        fcount = count;
        fmax = max;
    } else {
        REQUIRE(walk == -1 && count == 0xdead && max == 0xbeef);
        fcount = data[3];
        fmax = data[2];
    }

    if (flags & BUILD_ANCHOR) {
        memset(anchor, 0, 0x20);
        alen = build_anchor(anchor, flags & BUILD_SM3, tlen, fcount, fmax);
        anchor[data[1] % alen] ^= data[2];
    }

    // The pure anchor functions.
    memcpy(orig, anchor, sizeof(anchor));
    kind = smbios_check_anchor(anchor, alen, tlen);
    REQUIRE(kind == -1 || kind == SMBIOS_EP_21 || kind == SMBIOS_EP_30);
    REQUIRE(memcmp(anchor, orig, sizeof(anchor)) == 0);
    if (kind == SMBIOS_EP_21)
        REQUIRE(alen == 0x1f && tlen <= 0xffff);
    if (kind == SMBIOS_EP_30)
        REQUIRE(alen == 0x18);
    memcpy(copy, anchor, sizeof(anchor));
    fixed = smbios_fix_anchor(copy, alen, tlen, addr, fcount, fmax);
    REQUIRE(fixed == -1 || fixed == kind);
    check_fixed(copy, orig, alen, fixed, addr);
    if (fixed == SMBIOS_EP_21)
        REQUIRE(addr <= 0xffffffff && get_le(copy + 0x08, 2) == fmax);
    // What smbios_setup() should do: the same anchor at a low address.
    memcpy(copy, anchor, sizeof(anchor));
    if (fail == 3)
        zone_ok = data[1] & 1 ? alen <= data[3] : T0_LEN + tlen <= data[3];
    expect = (flags & OFFER_ANCHOR) && (flags & OFFER_TABLES)
        && (flags & BUILD_ANCHOR || alen <= SMBIOS_ANCHOR_MAX)
        && (!fail || (fail == 3 && zone_ok))
        && walk == 0
        && smbios_fix_anchor(copy, alen, tlen, 0x1000, count, max) > 0;

    // smbios_setup() on the same files.
    fakefw_reset();
    stub_log_reset();
    if (flags & OFFER_ANCHOR)
        fakefw_add_file(SMBIOS_ANCHOR_FILE, anchor, alen);
    if (flags & OFFER_TABLES)
        fakefw_add_file(SMBIOS_TABLES_FILE, tables, tlen);
    if (fail == 1)
        fakefw_fail_io(SMBIOS_ANCHOR_FILE);
    if (fail == 2)
        fakefw_fail_io(SMBIOS_TABLES_FILE);
    if (fail == 3)
        fakefw_zone_limit(data[1] & 1 ? ZONE_FSEG : ZONE_HIGH, data[3]);
    smbios_setup();
    REQUIRE(fakefw_violations() == 0);
    REQUIRE(fakefw_canaries_ok());
    REQUIRE(stub_log_count() >= 1);
    high = block_in(ZONE_HIGH);
    fseg = block_in(ZONE_FSEG);
    REQUIRE(expect == (fseg != NULL));
    if (fseg) {
        REQUIRE(high && fseg->size == alen && fseg->align == 16);
        check_installed(high, fseg->data, tables, tlen, count, max, anchor,
                        alen, kind);
        REQUIRE(fakefw_block_count() == 2);
    }
    fakefw_reset();
    return 0;
}
