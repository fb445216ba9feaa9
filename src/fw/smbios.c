// SMBIOS tables from QEMU: checks and installation (32-bit flat; pure
// parts also host-compiled for tests).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// smbios_check_tables(), smbios_check_anchor() and smbios_fix_anchor()
// touch only the buffers they are given; smbios_setup() does the fw_cfg
// reads and the allocations (tests replace those at link time).
#include "checksum.h" // checksum
#include "fw/fw_cfg.h" // fw_cfg_find
#include "fw/smbios.h" // smbios_setup
#include "malloc.h" // zone_alloc
#include "output.h" // dprintf
#include "std/smbios.h" // struct smbios_21_entry
#include "string.h" // memcpy, memcmp, memmove, memset
#include "version.h" // REEF_VERSION

// Bytes a structure needs at least: its header and an empty string-set.
#define SMBIOS_STRUCT_MIN (sizeof(struct smbios_header) + 2)

/****************************************************************
 * Structure table
 ****************************************************************/

static void
bad_structure(u32 index, u32 offset, u8 type, u8 length, const char *why)
{
    dprintf(LOG_WARN, "smbios: bad structure %u at offset %u, type %u"
            " length %u: %s\n", index, offset, type, length, why);
}

// Offset just past the string-set that starts at `start`, or 0 when buf
// has no double NUL from there on. The first double NUL ends the set, the
// way the OS walks it (Linux dmi_scan, dmidecode): two NULs when there are
// no strings, or the NUL after the last string's own.
static u32
strings_end(const u8 *buf, u32 len, u32 start)
{
    u32 p;

    for (p = start; p + 1 < len; p++)
        if (!buf[p] && !buf[p + 1])
            return p + 2;
    return 0;
}

int
smbios_check_tables(const u8 *buf, u32 len, u32 *count, u32 *max_struct)
{
    u32 off = 0, n = 0, max = 0;

    if (!buf)
        len = 0;
    while (off < len) {
        u32 left = len - off, end, size;
        u8 type, length;

        if (left < sizeof(struct smbios_header)) {
            dprintf(LOG_WARN, "smbios: structure %u at offset %u: header"
                    " cut off, %u of %u bytes left\n", n, off, left, len);
            return -1;
        }
        type = buf[off];
        length = buf[off + 1];
        if (length < sizeof(struct smbios_header)) {
            bad_structure(n, off, type, length, "formatted area below 4"
                          " bytes");
            return -1;
        }
        if (length > left) {
            bad_structure(n, off, type, length, "formatted area past the"
                          " end");
            return -1;
        }
        end = strings_end(buf, len, off + length);
        if (!end) {
            bad_structure(n, off, type, length, "strings not ended by a"
                          " double nul");
            return -1;
        }
        size = end - off;
        if (size > max)
            max = size;
        n++;
        if (type == SMBIOS_TYPE_END_OF_TABLE) {
            if (end != len) {
                dprintf(LOG_WARN, "smbios: %u bytes after the end-of-table"
                        " structure at offset %u\n", len - end, off);
                return -1;
            }
            if (count)
                *count = n;
            if (max_struct)
                *max_struct = max;
            return 0;
        }
        off = end;
    }
    dprintf(LOG_WARN, "smbios: no end-of-table structure (type 127) in %u"
            " bytes, %u structures\n", len, n);
    return -1;
}

/****************************************************************
 * Entry points
 ****************************************************************/

static int
check_anchor_21(const u8 *anchor, u32 anchor_len, u32 tables_len)
{
    struct smbios_21_entry ep;
    u8 length_field = anchor_len > 5 ? anchor[5] : 0;

    if (anchor_len != sizeof(ep) || length_field != sizeof(ep)) {
        dprintf(LOG_WARN, "smbios: _SM_ anchor file is %u bytes with length"
                " field %u, want %u\n", anchor_len, length_field,
                (u32)sizeof(ep));
        return -1;
    }
    memcpy(&ep, anchor, sizeof(ep));
    if (memcmp(ep.dmi_anchor, SMBIOS_21_DMI_ANCHOR,
               SMBIOS_21_DMI_ANCHOR_LEN)) {
        dprintf(LOG_WARN, "smbios: _SM_ anchor lacks the _DMI_ intermediate"
                " anchor at 0x10\n");
        return -1;
    }
    if (ep.major < 2 || (ep.major == 2 && ep.minor < 1)) {
        dprintf(LOG_WARN, "smbios: _SM_ anchor version %u.%u, want 2.1 or"
                " later\n", ep.major, ep.minor);
        return -1;
    }
    if (tables_len > SMBIOS_21_TABLE_MAX) {
        dprintf(LOG_WARN, "smbios: tables of %u bytes too big for an _SM_"
                " anchor, max %u\n", tables_len, SMBIOS_21_TABLE_MAX);
        return -1;
    }
    if (ep.table_length != tables_len) {
        dprintf(LOG_WARN, "smbios: _SM_ anchor table length %u, tables"
                " file %u bytes\n", ep.table_length, tables_len);
        return -1;
    }
    return SMBIOS_EP_21;
}

static int
check_anchor_30(const u8 *anchor, u32 anchor_len, u32 tables_len)
{
    struct smbios_30_entry ep;
    u8 length_field = anchor_len > 6 ? anchor[6] : 0;

    if (anchor_len != sizeof(ep) || length_field != sizeof(ep)) {
        dprintf(LOG_WARN, "smbios: _SM3_ anchor file is %u bytes with"
                " length field %u, want %u\n", anchor_len, length_field,
                (u32)sizeof(ep));
        return -1;
    }
    memcpy(&ep, anchor, sizeof(ep));
    if (ep.major < 3) {
        dprintf(LOG_WARN, "smbios: _SM3_ anchor version %u.%u, want 3.0 or"
                " later\n", ep.major, ep.minor);
        return -1;
    }
    if (ep.table_max_size < tables_len) {
        dprintf(LOG_WARN, "smbios: _SM3_ anchor table maximum size %u,"
                " tables file %u bytes\n", ep.table_max_size, tables_len);
        return -1;
    }
    return SMBIOS_EP_30;
}

int
smbios_check_anchor(const u8 *anchor, u32 anchor_len, u32 tables_len)
{
    if (!anchor)
        anchor_len = 0;
    if (anchor_len >= SMBIOS_30_ANCHOR_LEN
        && !memcmp(anchor, SMBIOS_30_ANCHOR, SMBIOS_30_ANCHOR_LEN))
        return check_anchor_30(anchor, anchor_len, tables_len);
    if (anchor_len >= SMBIOS_21_ANCHOR_LEN
        && !memcmp(anchor, SMBIOS_21_ANCHOR, SMBIOS_21_ANCHOR_LEN))
        return check_anchor_21(anchor, anchor_len, tables_len);
    dprintf(LOG_WARN, "smbios: anchor file of %u bytes starts with neither"
            " _SM_ nor _SM3_\n", anchor_len);
    return -1;
}

static int
fix_anchor_21(u8 *anchor, u64 tables_addr, u32 count, u32 max_struct)
{
    struct smbios_21_entry ep;
    u8 *raw = (u8 *)&ep;

    memcpy(&ep, anchor, sizeof(ep));
    if (ep.num_structs != count) {
        dprintf(LOG_WARN, "smbios: _SM_ anchor lists %u structures, tables"
                " hold %u\n", ep.num_structs, count);
        return -1;
    }
    if (tables_addr > 0xffffffffULL) {
        dprintf(LOG_WARN, "smbios: tables at 0x%llx out of an _SM_ anchor's"
                " reach\n", tables_addr);
        return -1;
    }
    // A walked table holds its largest structure; only a wrong caller
    // trips this, but the field is 16 bits.
    if (max_struct > ep.table_length) {
        dprintf(LOG_WARN, "smbios: largest structure %u bytes in %u bytes"
                " of tables\n", max_struct, ep.table_length);
        return -1;
    }
    ep.max_struct_size = max_struct;
    ep.table_address = (u32)tables_addr;
    ep.dmi_checksum = 0;
    ep.dmi_checksum = -checksum(raw + SMBIOS_21_DMI_START,
                                SMBIOS_21_DMI_LEN);
    ep.checksum = 0;
    ep.checksum = -checksum(raw, sizeof(ep));
    memcpy(anchor, &ep, sizeof(ep));
    return SMBIOS_EP_21;
}

static int
fix_anchor_30(u8 *anchor, u64 tables_addr)
{
    struct smbios_30_entry ep;

    memcpy(&ep, anchor, sizeof(ep));
    ep.table_address = tables_addr;
    ep.checksum = 0;
    ep.checksum = -checksum((const u8 *)&ep, sizeof(ep));
    memcpy(anchor, &ep, sizeof(ep));
    return SMBIOS_EP_30;
}

int
smbios_fix_anchor(u8 *anchor, u32 anchor_len, u32 tables_len,
                  u64 tables_addr, u32 count, u32 max_struct)
{
    int kind = smbios_check_anchor(anchor, anchor_len, tables_len);

    if (kind == SMBIOS_EP_21)
        return fix_anchor_21(anchor, tables_addr, count, max_struct);
    if (kind == SMBIOS_EP_30)
        return fix_anchor_30(anchor, tables_addr);
    return -1;
}

/****************************************************************
 * BIOS information (type 0)
 ****************************************************************/

// QEMU leaves type 0 to the firmware unless -smbios type=0 was given;
// without it guests show an empty BIOS vendor (Linux's "DMI:" line).
#define TYPE0_FORMATTED 0x18 // SMBIOS 2.4+ layout
#define TYPE0_VENDOR "ReefBIOS"
#define TYPE0_DATE_LEN 10 // mm/dd/yyyy
// Formatted area, vendor, version and date with their NULs, and the NUL
// that ends the string-set. The strings are literals, so the size is
// fixed when compiling: no truncation, no runtime sizing.
#define TYPE0_LEN ((u32)(TYPE0_FORMATTED + sizeof(TYPE0_VENDOR)            \
                         + sizeof(REEF_VERSION) + TYPE0_DATE_LEN + 1 + 1))
#define TYPE0_ROM_SIZE_64K (CONFIG_ROM_SIZE / 64 - 1)
#define TYPE0_CHAR_NOT_SUPPORTED 0x08 // characteristics bit 3
#define TYPE0_EXT1_ACPI 0x01
#define TYPE0_EXT2_VM 0x10 // the table describes a virtual machine

// An empty string would end the string-set early (DSP0134 6.1.3), and
// the date is rearranged from YYYY-MM-DD by position.
_Static_assert(sizeof(REEF_VERSION) > 1, "REEF_VERSION is empty");
_Static_assert(sizeof(REEF_BUILD_DATE) == 11,
               "REEF_BUILD_DATE is not YYYY-MM-DD");

// Handles 0xff00-0xffff are reserved (DSP0134 6.1.2): never ours, and no
// bar to ours.
#define HANDLE_RESERVED 0xff00

// Looks through QEMU's table, which smbios_check_tables() accepted, for a
// type 0 and for a handle no structure uses. Returns 1 when it has a type
// 0 (anywhere: a -smbios file= blob need not come first); otherwise 0
// with *handle set, or -1 when there is no handle to take.
static int
scan_qemu_table(const u8 *t, u32 len, u16 *handle)
{
    u32 off = 0, max = 0;
    bool zero_used = false;

    while (off + SMBIOS_STRUCT_MIN <= len) {
        u32 h = t[off + 2] | (t[off + 3] << 8);

        if (t[off] == SMBIOS_TYPE_BIOS)
            return 1;
        if (!h)
            zero_used = true;
        else if (h < HANDLE_RESERVED)
            max = MAX(max, h);
        // The same walk as smbios_check_tables(), so the two cannot see
        // different structures; it ends exactly at len.
        off = strings_end(t, len, off + t[off + 1]);
        if (!off)
            return -1;
    }
    // QEMU numbers its structures type * 0x100, so handle 0 is where its
    // own type 0 would be; a table that took 0 gets one past its highest.
    if (!zero_used)
        *handle = 0;
    else if (max + 1 < HANDLE_RESERVED)
        *handle = max + 1;
    else
        return -1;
    return 0;
}

// Writes our type 0, TYPE0_LEN bytes, at t.
static void
write_type0(u8 *t, u16 handle)
{
    // SMBIOS wants mm/dd/yyyy.
    const char *d = REEF_BUILD_DATE;
    const char date[TYPE0_DATE_LEN] = {
        d[5], d[6], '/', d[8], d[9], '/', d[0], d[1], d[2], d[3]
    };
    u8 *s = t + TYPE0_FORMATTED;

    memset(t, 0, TYPE0_FORMATTED);
    t[0] = SMBIOS_TYPE_BIOS;
    t[1] = TYPE0_FORMATTED;
    t[2] = handle;
    t[3] = handle >> 8;
    t[4] = 1; // vendor
    t[5] = 2; // version
    t[6] = 0x00; // starting segment 0xe000 (the image's runtime window)
    t[7] = 0xe0;
    t[8] = 3; // release date
    t[9] = TYPE0_ROM_SIZE_64K;
    t[10] = TYPE0_CHAR_NOT_SUPPORTED;
    t[0x12] = CONFIG_ACPI ? TYPE0_EXT1_ACPI : 0;
    t[0x13] = TYPE0_EXT2_VM;
    t[0x14] = 0; // system BIOS major/minor release
    t[0x15] = 1;
    t[0x16] = t[0x17] = 0xff; // no embedded controller
    memcpy(s, TYPE0_VENDOR, sizeof(TYPE0_VENDOR));
    s += sizeof(TYPE0_VENDOR);
    memcpy(s, REEF_VERSION, sizeof(REEF_VERSION));
    s += sizeof(REEF_VERSION);
    memcpy(s, date, TYPE0_DATE_LEN);
    s += TYPE0_DATE_LEN;
    *s++ = 0;
    *s = 0; // ends the string-set
}

// QEMU's checked table is the *len bytes at block + TYPE0_LEN. When it has
// no type 0 and the anchor can describe a longer table, writes ours at
// block, in front of it, updates the lengths, counts and the anchor, and
// returns true; otherwise leaves everything as it was.
static bool
add_type0(u8 *block, u32 *len, u32 *count, u32 *max_struct, u8 *anchor,
          int kind)
{
    u16 handle;
    int found = scan_qemu_table(block + TYPE0_LEN, *len, &handle);

    if (found > 0)
        return false; // -smbios type=0 (or a blob): QEMU's stays alone
    if (found < 0) {
        dprintf(LOG_WARN, "smbios: no free handle for a BIOS information"
                " structure in %u structures\n", *count);
        return false;
    }
    if (kind == SMBIOS_EP_21 && *len + TYPE0_LEN > SMBIOS_21_TABLE_MAX) {
        dprintf(LOG_WARN, "smbios: no room for a BIOS information structure"
                " of %u bytes: %u bytes of tables, _SM_ max %u\n", TYPE0_LEN,
                *len, SMBIOS_21_TABLE_MAX);
        return false;
    }
    write_type0(block, handle);
    *len += TYPE0_LEN;
    *count += 1;
    *max_struct = MAX(*max_struct, TYPE0_LEN);
    if (kind == SMBIOS_EP_21) {
        struct smbios_21_entry ep;

        memcpy(&ep, anchor, sizeof(ep));
        // Added to, not overwritten: smbios_fix_anchor() must still catch
        // a QEMU anchor whose count disagrees with the walk.
        ep.table_length += TYPE0_LEN;
        ep.num_structs++;
        memcpy(anchor, &ep, sizeof(ep));
    } else {
        struct smbios_30_entry ep;

        memcpy(&ep, anchor, sizeof(ep));
        ep.table_max_size = MAX(ep.table_max_size, *len);
        memcpy(anchor, &ep, sizeof(ep));
    }
    return true;
}

/****************************************************************
 * Setup
 ****************************************************************/

void
smbios_setup(void)
{
    const struct fwcfg_file *af = fw_cfg_find(SMBIOS_ANCHOR_FILE);
    const struct fwcfg_file *tf = fw_cfg_find(SMBIOS_TABLES_FILE);
    u8 anchor[SMBIOS_ANCHOR_MAX];
    u32 count = 0, max_struct = 0, tables_addr, len;
    u8 *tables, *ep;
    int kind;

    if (!af && !tf) {
        dprintf(LOG_INFO, "smbios: no tables from qemu\n");
        return;
    }
    if (!af || !tf) {
        dprintf(LOG_WARN, "smbios: qemu offers %s without %s\n",
                af ? SMBIOS_ANCHOR_FILE : SMBIOS_TABLES_FILE,
                af ? SMBIOS_TABLES_FILE : SMBIOS_ANCHOR_FILE);
        return;
    }
    if (af->size > sizeof(anchor)) {
        dprintf(LOG_WARN, "smbios: anchor file of %u bytes, want at most"
                " %u\n", af->size, (u32)sizeof(anchor));
        return;
    }
    if (fw_cfg_read_file(af, 0, anchor, af->size)) {
        dprintf(LOG_WARN, "smbios: reading %s failed\n", SMBIOS_ANCHOR_FILE);
        return;
    }
    // Refuse a bad anchor before spending ZONE_HIGH on the tables.
    kind = smbios_check_anchor(anchor, af->size, tf->size);
    if (kind < 0)
        return;
    // Nothing to install in an empty file; and room for our type 0 must
    // not wrap the allocation size (an _SM3_ anchor allows ~4 GiB).
    if (!tf->size || tf->size > 0xffffffff - TYPE0_LEN) {
        dprintf(LOG_WARN, "smbios: tables file of %u bytes, want 1 to %u\n",
                tf->size, 0xffffffff - TYPE0_LEN);
        return;
    }
    tables = zone_alloc(ZONE_HIGH, TYPE0_LEN + tf->size, 16);
    if (!tables) {
        dprintf(LOG_WARN, "smbios: no room for %u bytes of tables\n",
                TYPE0_LEN + tf->size);
        return;
    }
    // QEMU's structures go after room for our type 0, so the table starts
    // on the block's alignment whether ours is added or not.
    if (fw_cfg_read_file(tf, 0, tables + TYPE0_LEN, tf->size)) {
        dprintf(LOG_WARN, "smbios: reading %s failed\n", SMBIOS_TABLES_FILE);
        return;
    }
    if (smbios_check_tables(tables + TYPE0_LEN, tf->size, &count,
                            &max_struct))
        return;
    len = tf->size;
    if (!add_type0(tables, &len, &count, &max_struct, anchor, kind))
        memmove(tables, tables + TYPE0_LEN, len);
    tables_addr = (u32)(uintptr_t)tables;
    kind = smbios_fix_anchor(anchor, af->size, len, tables_addr, count,
                             max_struct);
    if (kind < 0)
        return;
    ep = zone_alloc(ZONE_FSEG, af->size, 16);
    if (!ep) {
        dprintf(LOG_WARN, "smbios: no room for the %u-byte entry point\n",
                af->size);
        return;
    }
    memcpy(ep, anchor, af->size);
    dprintf(LOG_INFO, "smbios: %s entry point at 0x%08x, tables at 0x%08x"
            " size %u, %u structures\n",
            kind == SMBIOS_EP_30 ? "3.x" : "2.x", (u32)(uintptr_t)ep,
            tables_addr, len, count);
    dprintf(LOG_DEBUG, "smbios: version %u.%u, largest structure %u bytes\n",
            anchor[kind == SMBIOS_EP_30 ? 7 : 6],
            anchor[kind == SMBIOS_EP_30 ? 8 : 7], max_struct);
}
