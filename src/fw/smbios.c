// SMBIOS tables from QEMU: checks and installation (32-bit flat; pure
// parts also host-compiled for tests).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// smbios_check_tables(), smbios_check_anchor() and smbios_fix_anchor()
// touch only the buffers they are given; smbios_setup() does the fw_cfg
// reads and the allocations (tests replace those at link time). It walks
// QEMU's table once, and checks the entry point once: what it changes
// afterwards (for our type 0) keeps the checked fields consistent.
#include "autoconf.h" // CONFIG_SMBIOS
#include "checksum.h" // checksum
#include "fw/fw_cfg.h" // fw_cfg_find
#include "fw/smbios.h" // smbios_setup
#include "malloc.h" // zone_alloc
#include "output.h" // dprintf
#include "std/smbios.h" // struct smbios_21_entry
#include "string.h" // memcpy, memmove
#include "version.h" // REEF_VERSION, REEF_RELEASE_*

// Handles 0xff00-0xffff are reserved (DSP0134 6.1.2): never ours, and no
// bar to ours.
#define HANDLE_RESERVED 0xff00


// The entry points are byte buffers; their fields are read and written in
// place, at their offsets in the layouts of std/smbios.h, through the
// unaligned_u* types, not copied to and from a struct.
#define EP21(a, type, f) (*(type *)((a) + offsetof(struct smbios_21_entry, f)))
#define EP30(a, type, f) (*(type *)((a) + offsetof(struct smbios_30_entry, f)))

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
// no strings, or the NUL after the last string's own. buf[len - 1] must
// be 0 (when len is not 0), so the search for the next NUL needs no
// bound: a pair can only end there or before.
static u32
strings_end(const u8 *buf, u32 len, u32 start)
{
    const u8 *p = buf + start, *last;

    if (len < 2)
        return 0;
    last = buf + len - 1; // a NUL
    while (p < last) {
        if (*p)
            while (*++p) // one compare per byte: `last` stops it
                ;
        if (p == last)
            return 0;
        if (!p[1])
            return p + 2 - buf;
        p += 2; // p[1] is no NUL, so no pair starts there
    }
    return 0;
}

// What a walk of a structure table learns, for smbios_setup() too.
struct walk {
    u32 count, max_struct;
    bool has_bios;              // a type 0, anywhere
    bool handle0_used;
    u32 max_handle;             // highest handle below HANDLE_RESERVED
};

// smbios_check_tables() with the outputs in *w (set only on success).
static int
walk_tables(const u8 *buf, u32 len, struct walk *w)
{
    u32 off = 0, n = 0, max = 0, max_handle = 0, strings_len = len;
    bool has_bios = false, handle0_used = false;

    if (!buf)
        len = strings_len = 0;
    // No double NUL ends after the last NUL: searching up to it gives the
    // same answers, with a NUL to stop every search.
    while (strings_len && buf[strings_len - 1])
        strings_len--;
    while (off < len) {
        u32 left = len - off, end, size, handle;
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
        end = strings_end(buf, strings_len, off + length);
        if (!end) {
            bad_structure(n, off, type, length, "strings not ended by a"
                          " double nul");
            return -1;
        }
        size = end - off;
        if (size > max)
            max = size;
        n++;
        // Flags and maximum without branches: a reserved handle counts as
        // 0, which never raises the maximum.
        handle = buf[off + 2] | buf[off + 3] << 8;
        handle0_used |= !handle;
        max_handle = MAX(max_handle, handle < HANDLE_RESERVED ? handle : 0);
        has_bios |= type == SMBIOS_TYPE_BIOS;
        if (type == SMBIOS_TYPE_END_OF_TABLE) {
            if (end != len) {
                dprintf(LOG_WARN, "smbios: %u bytes after the end-of-table"
                        " structure at offset %u\n", len - end, off);
                return -1;
            }
            *w = (struct walk){ n, max, has_bios, handle0_used, max_handle };
            return 0;
        }
        off = end;
    }
    dprintf(LOG_WARN, "smbios: no end-of-table structure (type 127) in %u"
            " bytes, %u structures\n", len, n);
    return -1;
}

int
smbios_check_tables(const u8 *buf, u32 len, u32 *count, u32 *max_struct)
{
    struct walk w;

    if (walk_tables(buf, len, &w))
        return -1;
    if (count)
        *count = w.count;
    if (max_struct)
        *max_struct = w.max_struct;
    return 0;
}

/****************************************************************
 * Entry points
 ****************************************************************/

// True if the anchor string s (4 or 5 bytes, a literal) starts p: one
// 32-bit compare, and the fifth byte.
static bool
is_anchor(const u8 *p, const char *s, u32 n)
{
    return *(const unaligned_u32 *)p == *(const unaligned_u32 *)s
        && (n == 4 || p[4] == (u8)s[4]);
}

static int
check_anchor_21(const u8 *anchor, u32 anchor_len, u32 tables_len)
{
    u8 length_field = anchor_len > 5 ? anchor[5] : 0;
    u8 major, minor;
    u16 table_length;

    if (anchor_len != SMBIOS_21_ENTRY_LEN
        || length_field != SMBIOS_21_ENTRY_LEN) {
        dprintf(LOG_WARN, "smbios: _SM_ anchor file is %u bytes with length"
                " field %u, want %u\n", anchor_len, length_field,
                SMBIOS_21_ENTRY_LEN);
        return -1;
    }
    if (!is_anchor(anchor + SMBIOS_21_DMI_START, SMBIOS_21_DMI_ANCHOR,
                   SMBIOS_21_DMI_ANCHOR_LEN)) {
        dprintf(LOG_WARN, "smbios: _SM_ anchor lacks the _DMI_ intermediate"
                " anchor at 0x10\n");
        return -1;
    }
    major = EP21(anchor, const u8, major);
    minor = EP21(anchor, const u8, minor);
    if (major < 2 || (major == 2 && minor < 1)) {
        dprintf(LOG_WARN, "smbios: _SM_ anchor version %u.%u, want 2.1 or"
                " later\n", major, minor);
        return -1;
    }
    if (tables_len > SMBIOS_21_TABLE_MAX) {
        dprintf(LOG_WARN, "smbios: tables of %u bytes too big for an _SM_"
                " anchor, max %u\n", tables_len, SMBIOS_21_TABLE_MAX);
        return -1;
    }
    table_length = EP21(anchor, const unaligned_u16, table_length);
    if (table_length != tables_len) {
        dprintf(LOG_WARN, "smbios: _SM_ anchor table length %u, tables"
                " file %u bytes\n", table_length, tables_len);
        return -1;
    }
    return SMBIOS_EP_21;
}

static int
check_anchor_30(const u8 *anchor, u32 anchor_len, u32 tables_len)
{
    u8 length_field = anchor_len > 6 ? anchor[6] : 0;
    u32 max_size;

    if (anchor_len != SMBIOS_30_ENTRY_LEN
        || length_field != SMBIOS_30_ENTRY_LEN) {
        dprintf(LOG_WARN, "smbios: _SM3_ anchor file is %u bytes with"
                " length field %u, want %u\n", anchor_len, length_field,
                SMBIOS_30_ENTRY_LEN);
        return -1;
    }
    if (EP30(anchor, const u8, major) < 3) {
        dprintf(LOG_WARN, "smbios: _SM3_ anchor version %u.%u, want 3.0 or"
                " later\n", EP30(anchor, const u8, major),
                EP30(anchor, const u8, minor));
        return -1;
    }
    max_size = EP30(anchor, const unaligned_u32, table_max_size);
    if (max_size < tables_len) {
        dprintf(LOG_WARN, "smbios: _SM3_ anchor table maximum size %u,"
                " tables file %u bytes\n", max_size, tables_len);
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
        && is_anchor(anchor, SMBIOS_30_ANCHOR, SMBIOS_30_ANCHOR_LEN))
        return check_anchor_30(anchor, anchor_len, tables_len);
    if (anchor_len >= SMBIOS_21_ANCHOR_LEN
        && is_anchor(anchor, SMBIOS_21_ANCHOR, SMBIOS_21_ANCHOR_LEN))
        return check_anchor_21(anchor, anchor_len, tables_len);
    dprintf(LOG_WARN, "smbios: anchor file of %u bytes starts with neither"
            " _SM_ nor _SM3_\n", anchor_len);
    return -1;
}

static int
fix_anchor_21(u8 *anchor, u64 tables_addr, u32 count, u32 max_struct)
{
    u16 num_structs = EP21(anchor, unaligned_u16, num_structs);
    u16 table_length = EP21(anchor, unaligned_u16, table_length);

    if (num_structs != count) {
        dprintf(LOG_WARN, "smbios: _SM_ anchor lists %u structures, tables"
                " hold %u\n", num_structs, count);
        return -1;
    }
    if (tables_addr > 0xffffffffULL) {
        dprintf(LOG_WARN, "smbios: tables at 0x%llx out of an _SM_ anchor's"
                " reach\n", tables_addr);
        return -1;
    }
    // A walked table holds its largest structure; only a wrong caller
    // trips this, but the field is 16 bits.
    if (max_struct > table_length) {
        dprintf(LOG_WARN, "smbios: largest structure %u bytes in %u bytes"
                " of tables\n", max_struct, table_length);
        return -1;
    }
    EP21(anchor, unaligned_u16, max_struct_size) = max_struct;
    EP21(anchor, unaligned_u32, table_address) = tables_addr;
    EP21(anchor, u8, dmi_checksum) = 0;
    EP21(anchor, u8, dmi_checksum) = -checksum(anchor + SMBIOS_21_DMI_START,
                                               SMBIOS_21_DMI_LEN);
    EP21(anchor, u8, checksum) = 0;
    EP21(anchor, u8, checksum) = -checksum(anchor, SMBIOS_21_ENTRY_LEN);
    return SMBIOS_EP_21;
}

static int
fix_anchor_30(u8 *anchor, u64 tables_addr)
{
    EP30(anchor, unaligned_u64, table_address) = tables_addr;
    EP30(anchor, u8, checksum) = 0;
    EP30(anchor, u8, checksum) = -checksum(anchor, SMBIOS_30_ENTRY_LEN);
    return SMBIOS_EP_30;
}

// The fix for an entry point smbios_check_anchor() found to be `kind`.
static int
fix_anchor(u8 *anchor, int kind, u64 tables_addr, u32 count,
           u32 max_struct)
{
    if (kind == SMBIOS_EP_21)
        return fix_anchor_21(anchor, tables_addr, count, max_struct);
    return fix_anchor_30(anchor, tables_addr);
}

int
smbios_fix_anchor(u8 *anchor, u32 anchor_len, u32 tables_len,
                  u64 tables_addr, u32 count, u32 max_struct)
{
    int kind = smbios_check_anchor(anchor, anchor_len, tables_len);

    if (kind < 0)
        return -1;
    return fix_anchor(anchor, kind, tables_addr, count, max_struct);
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

// Our type 0 but its handle, whole: every byte is known when compiling,
// so writing it is one copy (field by field it was a `rep stos` and two
// `rep movs`, each a TCG block of its own).
#define D REEF_BUILD_DATE
static const struct {
    u8 formatted[TYPE0_FORMATTED];
    char vendor[sizeof(TYPE0_VENDOR)];
    char version[sizeof(REEF_VERSION)];
    char date[TYPE0_DATE_LEN + 1];
    u8 end; // ends the string-set
} PACKED Type0 = {
    .formatted = {
        [0] = SMBIOS_TYPE_BIOS,
        [1] = TYPE0_FORMATTED,
        // [2], [3]: the handle, written by write_type0()
        [4] = 1, // vendor
        [5] = 2, // version
        [6] = 0x00, [7] = 0xe0, // starting segment 0xe000 (the image's
                                // runtime window)
        [8] = 3, // release date
        [9] = TYPE0_ROM_SIZE_64K,
        [10] = TYPE0_CHAR_NOT_SUPPORTED,
        [0x12] = CONFIG_ACPI ? TYPE0_EXT1_ACPI : 0,
        [0x13] = TYPE0_EXT2_VM,
        [0x14] = REEF_RELEASE_MAJOR, // system BIOS release (Makefile's
        [0x15] = REEF_RELEASE_MINOR, //   RELEASE)
        [0x16] = 0xff, [0x17] = 0xff, // no embedded controller
    },
    .vendor = TYPE0_VENDOR,
    .version = REEF_VERSION,
    // SMBIOS wants mm/dd/yyyy.
    .date = { D[5], D[6], '/', D[8], D[9], '/', D[0], D[1], D[2], D[3], 0 },
    .end = 0,
};
#undef D
_Static_assert(sizeof(Type0) == TYPE0_LEN, "type 0 template size");

// Writes our type 0, TYPE0_LEN bytes, at t.
static void
write_type0(u8 *t, u16 handle)
{
    memcpy(t, &Type0, TYPE0_LEN);
    t[2] = handle;
    t[3] = handle >> 8;
}

// QEMU's table, walked into *w, is the *len bytes at block + TYPE0_LEN.
// When it has no type 0 and the anchor can describe a longer table,
// writes ours at block, in front of it, updates the length, *w and the
// anchor, and returns true; otherwise leaves everything as it was.
static bool
add_type0(u8 *block, u32 *len, struct walk *w, u8 *anchor, int kind)
{
    u16 handle;

    if (w->has_bios)
        return false; // -smbios type=0 (or a blob): QEMU's stays alone
    // QEMU numbers its structures type * 0x100, so handle 0 is where its
    // own type 0 would be; a table that took 0 gets one past its highest.
    if (!w->handle0_used) {
        handle = 0;
    } else if (w->max_handle + 1 < HANDLE_RESERVED) {
        handle = w->max_handle + 1;
    } else {
        dprintf(LOG_WARN, "smbios: no free handle for a BIOS information"
                " structure in %u structures\n", w->count);
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
    w->count++;
    w->max_struct = MAX(w->max_struct, TYPE0_LEN);
    if (kind == SMBIOS_EP_21) {
        // Added to, not overwritten: fix_anchor() must still catch a QEMU
        // anchor whose count disagrees with the walk. The length stays
        // within 16 bits (checked just above).
        EP21(anchor, unaligned_u16, table_length) += TYPE0_LEN;
        EP21(anchor, unaligned_u16, num_structs) += 1;
    } else {
        EP30(anchor, unaligned_u32, table_max_size) =
            MAX(EP30(anchor, unaligned_u32, table_max_size), *len);
    }
    return true;
}

/****************************************************************
 * Setup
 ****************************************************************/

void POST_STEP
smbios_setup(void)
{
    if (!CONFIG_SMBIOS)
        return;
    const struct fwcfg_file *af = fw_cfg_find(SMBIOS_ANCHOR_FILE);
    const struct fwcfg_file *tf = fw_cfg_find(SMBIOS_TABLES_FILE);
    u8 anchor[SMBIOS_ANCHOR_MAX];
    struct walk w;
    u32 tables_addr, len;
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
    if (walk_tables(tables + TYPE0_LEN, tf->size, &w))
        return;
    len = tf->size;
    if (!add_type0(tables, &len, &w, anchor, kind))
        memmove(tables, tables + TYPE0_LEN, len);
    tables_addr = (u32)(uintptr_t)tables;
    // The anchor passed smbios_check_anchor() above, and add_type0() kept
    // its checked fields true for the new length: no second check.
    if (fix_anchor(anchor, kind, tables_addr, w.count, w.max_struct) < 0)
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
            tables_addr, len, w.count);
    dprintf(LOG_DEBUG, "smbios: version %u.%u, largest structure %u bytes\n",
            anchor[kind == SMBIOS_EP_30 ? 7 : 6],
            anchor[kind == SMBIOS_EP_30 ? 8 : 7], w.max_struct);
}
