// libFuzzer target for src/fw/tableloader.c (host-compiled only).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Input: a 10-byte prefix { flags; le16 size of f0..f3; size of "wp" },
// then the script source. Flags: bit 0 DMA, bit 1 keep S3 records, bit 2
// raw mode, bit 3 every read and write of f0 fails. Raw mode offers the
// rest verbatim as etc/table-loader. Compact mode (which reaches the checks
// past the names quickly) turns every 16 bytes { cmd; name; name; u8 field;
// u32 a, b, c } into one entry with names from a fixed list, and each
// spare byte into 8 bytes of tail; cmd bits 0-2 are the command, bit 6
// makes the u8 field a valid size or zone, bit 7 keeps a, b, c below 4096.
// File contents come from the input too; the zones are as small as the
// firmware's (FSEG 4 KiB, HIGH and TMP 128 KiB). After each run, through
// the fakes in
// tests/unit/stubs/fakefw.c: no canary around any zone block changed, no
// refused fw_cfg or zone call was made, the script copy is intact, every
// blob is a whole block of its file's size (and tableloader_holds() says
// so), and every S3 record describes a write that fits its fw_cfg file and
// its size.
#include <stdint.h> // uint8_t
#include <stdio.h> // fprintf
#include <stdlib.h> // abort
#include <string.h> // memcpy, memset

#include "fuzz.h" // REQUIRE
#include "fakefw.h" // fakefw_reset
#include "fw/fw_cfg.h" // fw_cfg_find
#include "fw/tableloader.h" // tableloader_run
#include "stub_output.h" // stub_log_reset
#include "testbytes.h" // put_le

#define PREFIX 10
#define FILE_MAX 2048
#define SCRIPT_MAX (256 * TABLELOADER_ENTRY_SIZE)

static const char *const Names[] = {
    "f0", "f1", "f2", "f3", "wp", TABLELOADER_FILE, "missing", "", NULL,
};
#define NAME_COUNT ((int)ARRAY_SIZE(Names))

static u8 Script[SCRIPT_MAX];
static u8 Content[FILE_MAX];

static u32
take(const uint8_t *p, int bytes)
{
    u32 v = 0;

    while (bytes--)
        v = (v << 8) | p[bytes];
    return v;
}

// A name from the list; NULL stands for 56 bytes without a NUL.
static void
put_name(u8 *field, int index)
{
    const char *name = Names[index % NAME_COUNT];

    if (name)
        memcpy(field, name, strlen(name));
    else
        memset(field, 'x', TABLELOADER_NAME_SIZE);
}

static u32
compact(const uint8_t *src, size_t len)
{
    u32 out = 0, a, b, c;
    u8 *e, field;

    for (; len >= 16 && out + TABLELOADER_ENTRY_SIZE <= SCRIPT_MAX;
         src += 16, len -= 16, out += TABLELOADER_ENTRY_SIZE) {
        e = Script + out;
        memset(e, 0, TABLELOADER_ENTRY_SIZE);
        a = take(src + 4, 4);
        b = take(src + 8, 4);
        c = take(src + 12, 4);
        if (src[0] & 0x80) { // small offsets, likely inside the files
            a &= 0xfff;
            b &= 0xfff;
            c &= 0xfff;
        }
        field = src[3];
        if (src[0] & 0x40)
            field = (src[0] & 7) == TABLELOADER_ALLOCATE ? 1 + (field & 1)
                : 1 << (field & 3);
        put_le(e, src[0] & 7, 4);
        put_name(e + 4, src[1]);
        switch (src[0] & 7) {
        case TABLELOADER_ALLOCATE:
            put_le(e + 60, a, 4);
            e[64] = field;
            break;
        case TABLELOADER_ADD_CHECKSUM:
            put_le(e + 60, a, 4);
            put_le(e + 64, b, 4);
            put_le(e + 68, c, 4);
            break;
        case TABLELOADER_ADD_POINTER:
        case TABLELOADER_WRITE_POINTER:
            put_name(e + 60, src[2]);
            put_le(e + 116, a, 4);
            put_le(e + 120, b, 4);
            e[(src[0] & 7) == TABLELOADER_ADD_POINTER ? 120 : 124] = field;
            break;
        default:
            put_le(e, c, 4); // any unknown command number
        }
    }
    len = len * 8 < TABLELOADER_ENTRY_SIZE ? len * 8 : 0;
    if (out + len <= SCRIPT_MAX) {
        memset(Script + out, 0xee, len);
        out += len;
    }
    return out;
}

static void
check_blobs(void)
{
    const struct tableloader_file *t;
    const struct fwcfg_file *f;
    int i, j, found;

    for (i = 0; i < NAME_COUNT; i++) {
        if (!Names[i] || !(t = tableloader_find(Names[i])))
            continue;
        f = fw_cfg_find(Names[i]);
        REQUIRE(f && t->size == f->size && t->size);
        REQUIRE(t->zone == TABLELOADER_ZONE_HIGH
                || t->zone == TABLELOADER_ZONE_FSEG);
        found = 0;
        for (j = 0; j < fakefw_block_count(); j++) {
            const struct fakefw_block *b = fakefw_block(j);

            if (b->data == t->data) {
                REQUIRE(b->size == t->size);
                REQUIRE(b->zone == (t->zone == TABLELOADER_ZONE_FSEG
                                    ? ZONE_FSEG : ZONE_HIGH));
                found = 1;
            }
        }
        REQUIRE(found);
        REQUIRE(tableloader_holds(t->data, t->size));
        REQUIRE(!tableloader_holds(t->data, t->size + 1));
    }
}

static void
check_records(bool stash)
{
    const struct tableloader_wp *r = tableloader_wp_records();
    int n = tableloader_wp_count(), i, j;

    REQUIRE(n >= 0 && n <= CONFIG_S3_WRITE_POINTERS);
    REQUIRE(stash || n == 0);
    REQUIRE(n <= fakefw_writes());
    for (i = 0; i < n; i++) {
        const struct fwcfg_file *f = NULL;

        for (j = 0; j < NAME_COUNT; j++)
            if (Names[j] && fw_cfg_find(Names[j])
                && fw_cfg_find(Names[j])->select == r[i].key)
                f = fw_cfg_find(Names[j]);
        REQUIRE(f);
        REQUIRE(r[i].size == 1 || r[i].size == 2 || r[i].size == 4
                || r[i].size == 8);
        REQUIRE(r[i].offset <= f->size && r[i].size <= f->size - r[i].offset);
        REQUIRE(r[i].size == 8 || !(r[i].value >> (r[i].size * 8)));
        REQUIRE(r[i].pad == 0);
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *rest = data + PREFIX;
    size_t rest_len;
    u32 script_len, sizes[5], i, j;
    bool stash;
    int ret;

    if (size < PREFIX)
        return 0;
    rest_len = size - PREFIX;
    fakefw_reset();
    stub_log_reset();
    fakefw_set_dma(data[0] & 1);
    fakefw_zone_limit(ZONE_FSEG, 4096);
    fakefw_zone_limit(ZONE_HIGH, 128 * 1024);
    fakefw_zone_limit(ZONE_TMP, 128 * 1024);
    stash = data[0] & 2;
    for (i = 0; i < 4; i++)
        sizes[i] = take(data + 1 + 2 * i, 2) % (FILE_MAX + 1);
    sizes[4] = data[9] % 33;
    for (i = 0; i < 5; i++) {
        for (j = 0; j < sizes[i]; j++)
            Content[j] = rest_len ? rest[(j + i * 17) % rest_len] : 0;
        fakefw_add_file(Names[i], Content, sizes[i]);
    }
    if (data[0] & 8)
        fakefw_fail_io(Names[0]);
    if (data[0] & 4) {
        script_len = rest_len < SCRIPT_MAX ? rest_len : SCRIPT_MAX;
        memcpy(Script, rest, script_len);
    } else {
        script_len = compact(rest, rest_len);
    }
    fakefw_add_file(TABLELOADER_FILE, Script, script_len);
    ret = tableloader_run(stash);
    REQUIRE(ret >= 0 && ret <= (int)(script_len / TABLELOADER_ENTRY_SIZE));
    REQUIRE(fakefw_canaries_ok());
    REQUIRE(fakefw_violations() == 0);
    if (script_len >= TABLELOADER_ENTRY_SIZE) {
        const struct fakefw_block *b = fakefw_block(0);

        REQUIRE(b && b->zone == ZONE_TMP);
        REQUIRE(memcmp(b->data, Script, b->size) == 0);
    }
    check_blobs();
    check_records(stash);
    return 0;
}
