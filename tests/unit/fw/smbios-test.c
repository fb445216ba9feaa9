// Unit tests for src/fw/smbios.c (host-compiled only).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Tables and entry points are built byte by byte here, at the offsets of
// DSP0134 5.2.1/5.2.2 and the way QEMU's hw/smbios/smbios.c fills them
// (version 2.8 or 3.0, address and checksums zero), not through
// src/std/smbios.h, so a wrong offset there cannot hide. fw_cfg and
// zone_alloc() are tests/unit/stubs/fakefw.c.
#include <setjmp.h> // jmp_buf, for cmocka
#include <stdarg.h> // va_list, for cmocka
#include <stddef.h> // size_t, for cmocka
#include <stdint.h> // uintmax_t, for cmocka
#include <stdio.h> // snprintf
#include <string.h> // memset
#include <cmocka.h> // cmocka_unit_test

#include "fakefw.h" // fakefw_reset
#include "fw/smbios.h" // smbios_setup
#include "stub_output.h" // stub_log_count
#include "testbytes.h" // get_le, put_le, sum8

#define TABLES_MAX (80 * 1024) // room for a table over 64 KiB
// add_qemu_structs()'s table: type 0 is 0x18 + 9 + 4 + 11 + 1 bytes, type
// 1 0x1b + 5 + 34 + 14 + 1, type 11 5 + 26 + 6 + 1, end-of-table 4 + 2.
#define TYPE1_OFFSET 49
#define QEMU_TABLES_LEN 174
// The type 0 smbios_setup() adds, with tests/unit/stubs/version.h's
// version "test" and date 2026-11-29: 0x18 + "ReefBIOS" 9 + "test" 5 +
// "11/29/2026" 11 + the final NUL.
#define OUR_TYPE0_LEN 50

static u8 tables[TABLES_MAX];
static u32 tables_len, tables_count, tables_max;
static u8 anchor[64];
static u32 anchor_len;

// Appends a structure: header, formatted area (zeros after the header,
// so it holds double NULs the walk must skip), then the strings of the
// NULL-terminated list, or the two NULs of an empty string-set.
static void
add_struct(u8 type, u8 length, u16 handle, const char *const *strings)
{
    u8 *p = tables + tables_len;
    u32 n = length;

    memset(p, 0, length);
    p[0] = type;
    p[1] = length;
    put_le(p + 2, handle, 2);
    if (!strings || !*strings) {
        p[n++] = 0;
    } else {
        for (; *strings; strings++) {
            u32 l = strlen(*strings) + 1;

            memcpy(p + n, *strings, l);
            n += l;
        }
    }
    p[n++] = 0;
    tables_len += n;
    tables_count++;
    if (n > tables_max)
        tables_max = n;
}

static const char *const type0_strings[] = {
    "ReefBIOS", "0.1", "01/01/2026", NULL
};
static const char *const type1_strings[] = {
    "QEMU", "Standard PC (i440FX + PIIX, 1996)", "pc-i440fx-9.2", NULL
};
static const char *const type11_strings[] = {
    "io.systemd.credential:a=b", "oem-2", NULL
};

// What QEMU builds with -smbios type=0,... -smbios type=11,value=...:
// BIOS information, system information, OEM strings, end-of-table.
static void
add_qemu_structs(void)
{
    add_struct(0, 0x18, 0x0000, type0_strings);
    tables[4] = 1; // vendor: string 1
    tables[5] = 2; // version
    tables[8] = 3; // release date
    add_struct(1, 0x1b, 0x0100, type1_strings);
    add_struct(11, 0x05, 0x0e00, type11_strings);
    add_struct(127, 0x04, 0x7f00, NULL);
}

// The same without -smbios type=0: QEMU then builds no type 0, and its
// handles (type * 0x100) leave 0 free.
static void
add_qemu_structs_no_type0(void)
{
    add_struct(1, 0x1b, 0x0100, type1_strings);
    add_struct(11, 0x05, 0x0e00, type11_strings);
    add_struct(127, 0x04, 0x7f00, NULL);
}

// The _SM_ entry point QEMU offers for these tables (DSP0134 5.2.1).
static void
make_anchor21(void)
{
    memset(anchor, 0, sizeof(anchor));
    memcpy(anchor, "_SM_", 4);
    anchor[0x05] = 0x1f;
    anchor[0x06] = 2;
    anchor[0x07] = 8;
    put_le(anchor + 0x08, tables_max, 2);
    memcpy(anchor + 0x10, "_DMI_", 5);
    put_le(anchor + 0x16, tables_len, 2);
    put_le(anchor + 0x1c, tables_count, 2);
    anchor[0x1e] = 0x28;
    anchor_len = 0x1f;
}

// The _SM3_ entry point QEMU offers (DSP0134 5.2.2).
static void
make_anchor30(void)
{
    memset(anchor, 0, sizeof(anchor));
    memcpy(anchor, "_SM3_", 5);
    anchor[0x06] = 0x18;
    anchor[0x07] = 3;
    anchor[0x0a] = 1;
    put_le(anchor + 0x0c, tables_len, 4);
    anchor_len = 0x18;
}

static int
setup(void **state)
{
    (void)state;
    memset(tables, 0xcc, sizeof(tables));
    tables_len = tables_count = tables_max = 0;
    memset(anchor, 0, sizeof(anchor));
    anchor_len = 0;
    stub_log_reset();
    fakefw_reset();
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    fakefw_reset(); // frees the file copies
    return 0;
}

/****************************************************************
 * smbios_check_tables()
 ****************************************************************/

static void
test_tables_qemu(void **state)
{
    u32 count = 0, max = 0;

    (void)state;
    add_qemu_structs();
    assert_int_equal(smbios_check_tables(tables, tables_len, &count, &max),
                     0);
    assert_int_equal(count, 4);
    assert_int_equal(tables_len, QEMU_TABLES_LEN);
    assert_int_equal(tables[TYPE1_OFFSET], 1);
    // type 1: 0x1b + "QEMU\0" + 34 + 14 + the final NUL
    assert_int_equal(max, 0x1b + 5 + 34 + 14 + 1);
    assert_int_equal(max, tables_max);
    assert_int_equal(stub_log_count(), 0);
}

static void
test_tables_only_end_of_table(void **state)
{
    u32 count = 0, max = 0;

    (void)state;
    add_struct(127, 4, 0xfeff, NULL);
    assert_int_equal(tables_len, 6);
    assert_int_equal(smbios_check_tables(tables, tables_len, &count, &max),
                     0);
    assert_int_equal(count, 1);
    assert_int_equal(max, 6);
}

static void
test_tables_null_outputs(void **state)
{
    (void)state;
    add_qemu_structs();
    assert_int_equal(smbios_check_tables(tables, tables_len, NULL, NULL), 0);
    assert_int_equal(stub_log_count(), 0);
}

static void
test_tables_outputs_untouched_on_error(void **state)
{
    u32 count = 77, max = 88;

    (void)state;
    add_struct(0, 0x18, 0, type0_strings);
    assert_int_equal(smbios_check_tables(tables, tables_len, &count, &max),
                     -1);
    assert_int_equal(count, 77);
    assert_int_equal(max, 88);
}

// Strings of an end-of-table structure and OEM types are walked too; a
// formatted area may end right at a string.
static void
test_tables_strings_everywhere(void **state)
{
    static const char *const one[] = { "x", NULL };
    u32 count = 0;

    (void)state;
    add_struct(0x80, 4, 1, one);
    add_struct(126, 0xff, 2, NULL); // inactive, longest formatted area
    add_struct(127, 4, 3, one);
    assert_int_equal(smbios_check_tables(tables, tables_len, &count, NULL),
                     0);
    assert_int_equal(count, 3);
}

static void
test_tables_empty(void **state)
{
    u32 count = 5;

    (void)state;
    assert_int_equal(smbios_check_tables(NULL, 0, &count, NULL), -1);
    assert_true(stub_log_has("smbios: no end-of-table structure (type 127)"
                             " in 0 bytes, 0 structures"));
    assert_int_equal(smbios_check_tables(NULL, 100, &count, NULL), -1);
    assert_int_equal(smbios_check_tables(tables, 0, &count, NULL), -1);
    assert_int_equal(stub_log_count(), 3);
    assert_int_equal(count, 5);
}

static void
test_tables_missing_end_of_table(void **state)
{
    (void)state;
    add_struct(0, 0x18, 0, type0_strings);
    add_struct(1, 0x1b, 1, type1_strings);
    assert_int_equal(smbios_check_tables(tables, tables_len, NULL, NULL), -1);
    assert_int_equal(stub_log_count(), 1);
    assert_true(stub_log_has("smbios: no end-of-table structure (type 127)"
                             " in 130 bytes, 2 structures"));
}

static void
test_tables_header_cut_off(void **state)
{
    u32 left;

    (void)state;
    for (left = 1; left < 4; left++) {
        setup(NULL);
        add_struct(0, 0x18, 0, type0_strings);
        tables[tables_len] = 127;
        tables[tables_len + 1] = 4;
        tables[tables_len + 2] = 0;
        assert_int_equal(smbios_check_tables(tables, tables_len + left, NULL,
                                             NULL), -1);
        assert_int_equal(stub_log_count(), 1);
        assert_true(stub_log_has("smbios: structure 1 at offset 49: header"
                                 " cut off"));
    }
}

static void
test_tables_length_below_4(void **state)
{
    u8 length;

    (void)state;
    for (length = 0; length < 4; length++) {
        char want[128];

        setup(NULL);
        add_struct(0, 0x18, 0, type0_strings);
        add_struct(1, 4, 1, NULL);
        add_struct(127, 4, 2, NULL);
        tables[TYPE1_OFFSET + 1] = length;
        assert_int_equal(smbios_check_tables(tables, tables_len, NULL, NULL),
                         -1);
        assert_int_equal(stub_log_count(), 1);
        snprintf(want, sizeof(want), "smbios: bad structure 1 at offset 49,"
                 " type 1 length %u: formatted area below 4 bytes", length);
        assert_string_equal(stub_log_last(), want);
    }
}

static void
test_tables_formatted_area_past_end(void **state)
{
    (void)state;
    add_qemu_structs();
    tables[tables_len - 6 + 1] = 7; // end-of-table: 7 > the 6 bytes left
    assert_int_equal(smbios_check_tables(tables, tables_len, NULL, NULL), -1);
    assert_int_equal(stub_log_count(), 1);
    assert_true(stub_log_has("smbios: bad structure 3 at offset"));
    assert_true(stub_log_has("type 127 length 7: formatted area past the"
                             " end"));
}

static void
test_tables_walk_off_the_end(void **state)
{
    (void)state;
    // The type 1 structure claims a formatted area running past the table.
    add_struct(0, 0x18, 0, type0_strings);
    add_struct(1, 0x1b, 1, type1_strings);
    tables[TYPE1_OFFSET + 1] = 0xff;
    assert_int_equal(smbios_check_tables(tables, tables_len, NULL, NULL), -1);
    assert_string_equal(stub_log_last(), "smbios: bad structure 1 at offset"
                        " 49, type 1 length 255: formatted area past the"
                        " end");
}

static void
test_tables_missing_double_nul(void **state)
{
    (void)state;
    add_qemu_structs();
    // The end-of-table's string-set loses its second NUL.
    assert_int_equal(smbios_check_tables(tables, tables_len - 1, NULL, NULL),
                     -1);
    assert_int_equal(stub_log_count(), 1);
    assert_true(stub_log_has("type 127 length 4: strings not ended by a"
                             " double nul"));
    // The last string of type 11 loses its NUL: the walk runs into the
    // end-of-table header, which holds no double NUL, then its string-set
    // does; so this one walks, but the end-of-table is swallowed.
    stub_log_reset();
    tables[tables_len - 7] = 'x';
    tables[tables_len - 8] = 'y';
    assert_int_equal(smbios_check_tables(tables, tables_len, NULL, NULL), -1);
    assert_true(stub_log_has("smbios: no end-of-table structure"));
}

static void
test_tables_string_without_terminator(void **state)
{
    static const char *const s[] = { "abc", NULL };

    (void)state;
    add_struct(11, 5, 0, s);
    // "abc\0\0" cut to "abc" and to "abc\0": neither ends the set.
    assert_int_equal(smbios_check_tables(tables, tables_len - 2, NULL, NULL),
                     -1);
    assert_int_equal(smbios_check_tables(tables, tables_len - 1, NULL, NULL),
                     -1);
    assert_int_equal(stub_log_count(), 2);
    assert_true(stub_log_has("smbios: bad structure 0 at offset 0, type 11"
                             " length 5: strings not ended by a double nul"));
}

static void
test_tables_bytes_after_end_of_table(void **state)
{
    (void)state;
    add_qemu_structs();
    tables[tables_len] = 0;
    assert_int_equal(smbios_check_tables(tables, tables_len + 1, NULL, NULL),
                     -1);
    assert_int_equal(stub_log_count(), 1);
    assert_true(stub_log_has("smbios: 1 bytes after the end-of-table"
                             " structure at offset"));
}

// The string search stops at the table's last NUL (nothing after it can
// end a set): trailing bytes without one, and a last NUL inside the
// formatted area before the strings, both leave the set unended, with the
// structure named; the set's own end still counts when it is the last
// NUL.
static void
test_tables_no_nul_after_strings(void **state)
{
    static const char *const s[] = { "abc", NULL };

    (void)state;
    add_struct(11, 5, 0, s);
    add_struct(1, 0x1b, 0x100, type1_strings);
    // the type 1 strings run to the end without a NUL: the last NULs are
    // in its formatted area (zeros after the header)
    memset(tables + 10 + 0x1b, 'q', tables_len - 10 - 0x1b);
    assert_int_equal(smbios_check_tables(tables, tables_len, NULL, NULL), -1);
    assert_int_equal(stub_log_count(), 1);
    assert_string_equal(stub_log_last(), "smbios: bad structure 1 at offset"
                        " 10, type 1 length 27: strings not ended by a"
                        " double nul");
    // a single final NUL after the strings: still no pair
    stub_log_reset();
    tables[tables_len - 1] = 0;
    assert_int_equal(smbios_check_tables(tables, tables_len, NULL, NULL), -1);
    assert_true(stub_log_has("bad structure 1 at offset 10, type 1 length"
                             " 27: strings not ended"));
    // the pair exactly at the end ends the set (then no end-of-table)
    stub_log_reset();
    tables[tables_len - 2] = 0;
    assert_int_equal(smbios_check_tables(tables, tables_len, NULL, NULL), -1);
    assert_true(stub_log_has("smbios: no end-of-table structure (type 127)"
                             " in"));
}

// Only the first bad structure is reported.
static void
test_tables_first_problem_only(void **state)
{
    (void)state;
    add_struct(0, 0x18, 0, type0_strings);
    add_struct(1, 3, 1, NULL);
    add_struct(2, 2, 2, NULL);
    assert_int_equal(smbios_check_tables(tables, tables_len, NULL, NULL), -1);
    assert_int_equal(stub_log_count(), 1);
    assert_true(stub_log_has("bad structure 1 at offset 49, type 1 length"
                             " 3"));
}

/****************************************************************
 * smbios_check_anchor() and smbios_fix_anchor()
 ****************************************************************/

static void
test_fix_anchor21(void **state)
{
    u8 before[sizeof(anchor)];
    u32 i;

    (void)state;
    add_qemu_structs();
    make_anchor21();
    put_le(anchor + 0x08, 0x1234, 2); // QEMU may overstate it
    memcpy(before, anchor, sizeof(anchor));
    assert_int_equal(smbios_check_anchor(anchor, anchor_len, tables_len),
                     SMBIOS_EP_21);
    assert_int_equal(smbios_fix_anchor(anchor, anchor_len, tables_len,
                                       0x7ffe1230, tables_count, tables_max),
                     SMBIOS_EP_21);
    assert_int_equal(stub_log_count(), 0);
    assert_int_equal(get_le(anchor + 0x18, 4), 0x7ffe1230);
    assert_int_equal(get_le(anchor + 0x08, 2), tables_max);
    assert_int_equal(sum8(anchor, 0x1f), 0);
    assert_int_equal(sum8(anchor + 0x10, 0x0f), 0);
    assert_int_not_equal(anchor[0x04], 0);
    // Nothing else changed, nothing past the entry point was touched.
    for (i = 0; i < sizeof(anchor); i++) {
        if (i == 0x04 || i == 0x08 || i == 0x09 || i == 0x15
            || (i >= 0x18 && i < 0x1c))
            continue;
        assert_int_equal(anchor[i], before[i]);
    }
}

static void
test_fix_anchor30(void **state)
{
    u8 before[sizeof(anchor)];
    u32 i;

    (void)state;
    add_qemu_structs();
    make_anchor30();
    memcpy(before, anchor, sizeof(anchor));
    assert_int_equal(smbios_check_anchor(anchor, anchor_len, tables_len),
                     SMBIOS_EP_30);
    assert_int_equal(smbios_fix_anchor(anchor, anchor_len, tables_len,
                                       0x123456789abcull, 999, 99999),
                     SMBIOS_EP_30);
    assert_int_equal(stub_log_count(), 0);
    assert_int_equal(get_le(anchor + 0x10, 8), 0x123456789abcull);
    assert_int_equal(sum8(anchor, 0x18), 0);
    for (i = 0; i < sizeof(anchor); i++) {
        if (i == 0x05 || (i >= 0x10 && i < 0x18))
            continue;
        assert_int_equal(anchor[i], before[i]);
    }
}

// A second fix (say, tables moved) gives consistent checksums again.
static void
test_fix_anchor_twice(void **state)
{
    (void)state;
    add_qemu_structs();
    make_anchor21();
    assert_int_equal(smbios_fix_anchor(anchor, anchor_len, tables_len, 0x1000,
                                       tables_count, tables_max),
                     SMBIOS_EP_21);
    assert_int_equal(smbios_fix_anchor(anchor, anchor_len, tables_len,
                                       0xfffffff0, tables_count, tables_max),
                     SMBIOS_EP_21);
    assert_int_equal(get_le(anchor + 0x18, 4), 0xfffffff0);
    assert_int_equal(sum8(anchor, 0x1f), 0);
    assert_int_equal(sum8(anchor + 0x10, 0x0f), 0);
}

static void
test_anchor21_later_versions(void **state)
{
    static const u8 ok[][2] = { { 2, 1 }, { 2, 8 }, { 3, 2 } };
    u32 i;

    (void)state;
    add_qemu_structs();
    for (i = 0; i < ARRAY_SIZE(ok); i++) {
        make_anchor21();
        anchor[0x06] = ok[i][0];
        anchor[0x07] = ok[i][1];
        assert_int_equal(smbios_check_anchor(anchor, anchor_len,
                                             tables_len), SMBIOS_EP_21);
    }
    make_anchor30();
    anchor[0x07] = 4;
    anchor[0x08] = 7;
    assert_int_equal(smbios_check_anchor(anchor, anchor_len, tables_len),
                     SMBIOS_EP_30);
    assert_int_equal(stub_log_count(), 0);
}

static void
test_anchor30_max_size_above_tables(void **state)
{
    (void)state;
    add_qemu_structs();
    make_anchor30();
    put_le(anchor + 0x0c, 0xffffffff, 4);
    assert_int_equal(smbios_fix_anchor(anchor, anchor_len, tables_len, 0x2000,
                                       tables_count, tables_max),
                     SMBIOS_EP_30);
}

// A refused anchor: -1, exactly one line containing `want`, and the
// bytes unchanged.
static void
refused(u32 len, u32 tlen, u64 addr, u32 count, u32 max, const char *want)
{
    u8 before[sizeof(anchor)];

    memcpy(before, anchor, sizeof(anchor));
    stub_log_reset();
    assert_int_equal(smbios_fix_anchor(anchor, len, tlen, addr, count, max),
                     -1);
    assert_int_equal(stub_log_count(), 1);
    if (!stub_log_has(want))
        fail_msg("log \"%s\" lacks \"%s\"", stub_log_last(), want);
    assert_memory_equal(anchor, before, sizeof(anchor));
}

static void
test_anchor_bad_string(void **state)
{
    static const char bad[][6] = {
        "_SM4_", "_SN_", "_sm_", "_SM", "_DMI_", "RSD P", ""
    };
    u32 i;

    (void)state;
    add_qemu_structs();
    for (i = 0; i < ARRAY_SIZE(bad); i++) {
        make_anchor21();
        memcpy(anchor, bad[i], 5);
        refused(anchor_len, tables_len, 0x1000, tables_count, tables_max,
                "smbios: anchor file of 31 bytes starts with neither _SM_"
                " nor _SM3_");
    }
    refused(0, tables_len, 0x1000, tables_count, tables_max,
            "smbios: anchor file of 0 bytes");
    assert_int_equal(smbios_check_anchor(NULL, 31, tables_len), -1);
}

static void
test_anchor_short_file(void **state)
{
    u32 len;

    (void)state;
    add_qemu_structs();
    make_anchor21();
    for (len = 4; len < 0x1f; len++)
        refused(len, tables_len, 0x1000, tables_count, tables_max,
                "smbios: _SM_ anchor file is");
    refused(0x1e, tables_len, 0x1000, tables_count, tables_max,
            "smbios: _SM_ anchor file is 30 bytes with length field 31,"
            " want 31");
    refused(4, tables_len, 0x1000, tables_count, tables_max,
            "smbios: _SM_ anchor file is 4 bytes with length field 0");
    // "_SM" alone is no anchor at all.
    refused(3, tables_len, 0x1000, tables_count, tables_max,
            "smbios: anchor file of 3 bytes starts with neither");
    make_anchor30();
    for (len = 5; len < 0x18; len++)
        refused(len, tables_len, 0x1000, tables_count, tables_max,
                "smbios: _SM3_ anchor file is");
}

static void
test_anchor_long_file(void **state)
{
    (void)state;
    add_qemu_structs();
    make_anchor21();
    refused(0x20, tables_len, 0x1000, tables_count, tables_max,
            "smbios: _SM_ anchor file is 32 bytes with length field 31");
    anchor[0x05] = 0x20;
    refused(0x20, tables_len, 0x1000, tables_count, tables_max,
            "smbios: _SM_ anchor file is 32 bytes with length field 32");
    make_anchor30();
    anchor[0x06] = 0x19;
    refused(0x19, tables_len, 0x1000, tables_count, tables_max,
            "smbios: _SM3_ anchor file is 25 bytes with length field 25,"
            " want 24");
}

static void
test_anchor_wrong_length_field(void **state)
{
    static const u8 lengths[] = { 0, 0x1e, 0x20, 0x18, 0xff };
    u32 i;

    (void)state;
    add_qemu_structs();
    for (i = 0; i < ARRAY_SIZE(lengths); i++) {
        make_anchor21();
        anchor[0x05] = lengths[i];
        refused(anchor_len, tables_len, 0x1000, tables_count, tables_max,
                "smbios: _SM_ anchor file is 31 bytes with length field");
        make_anchor30();
        anchor[0x06] = lengths[i] == 0x18 ? 0x1f : lengths[i];
        refused(anchor_len, tables_len, 0x1000, tables_count, tables_max,
                "smbios: _SM3_ anchor file is 24 bytes with length field");
    }
}

static void
test_anchor_bad_version(void **state)
{
    (void)state;
    add_qemu_structs();
    make_anchor21();
    anchor[0x06] = 2;
    anchor[0x07] = 0;
    refused(anchor_len, tables_len, 0x1000, tables_count, tables_max,
            "smbios: _SM_ anchor version 2.0, want 2.1 or later");
    anchor[0x06] = 1;
    anchor[0x07] = 9;
    refused(anchor_len, tables_len, 0x1000, tables_count, tables_max,
            "smbios: _SM_ anchor version 1.9");
    make_anchor30();
    anchor[0x07] = 2;
    anchor[0x08] = 8;
    refused(anchor_len, tables_len, 0x1000, tables_count, tables_max,
            "smbios: _SM3_ anchor version 2.8, want 3.0 or later");
    anchor[0x07] = 0;
    anchor[0x08] = 0;
    refused(anchor_len, tables_len, 0x1000, tables_count, tables_max,
            "smbios: _SM3_ anchor version 0.0");
}

static void
test_anchor21_no_dmi(void **state)
{
    (void)state;
    add_qemu_structs();
    make_anchor21();
    anchor[0x14] = '-';
    refused(anchor_len, tables_len, 0x1000, tables_count, tables_max,
            "smbios: _SM_ anchor lacks the _DMI_ intermediate anchor");
}

static void
test_anchor21_table_length(void **state)
{
    (void)state;
    add_qemu_structs();
    make_anchor21();
    refused(anchor_len, tables_len + 1, 0x1000, tables_count, tables_max,
            "smbios: _SM_ anchor table length 174, tables file 175 bytes");
    refused(anchor_len, tables_len - 1, 0x1000, tables_count, tables_max,
            "smbios: _SM_ anchor table length 174, tables file 173 bytes");
}

static void
test_anchor21_tables_over_64k(void **state)
{
    (void)state;
    add_qemu_structs();
    make_anchor21();
    put_le(anchor + 0x16, 0xffff, 2);
    assert_int_equal(smbios_check_anchor(anchor, anchor_len, 0xffff),
                     SMBIOS_EP_21);
    refused(anchor_len, 0x10000, 0x1000, tables_count, tables_max,
            "smbios: tables of 65536 bytes too big for an _SM_ anchor, max"
            " 65535");
    // 0x10000 + 174 would pass a 16-bit comparison.
    put_le(anchor + 0x16, 174, 2);
    refused(anchor_len, 0x10000 + 174, 0x1000, tables_count, tables_max,
            "too big for an _SM_ anchor");
}

static void
test_anchor21_count(void **state)
{
    (void)state;
    add_qemu_structs();
    make_anchor21();
    refused(anchor_len, tables_len, 0x1000, tables_count + 1, tables_max,
            "smbios: _SM_ anchor lists 4 structures, tables hold 5");
    refused(anchor_len, tables_len, 0x1000, 0x10004, tables_max,
            "smbios: _SM_ anchor lists 4 structures, tables hold 65540");
}

static void
test_anchor21_address_above_4g(void **state)
{
    (void)state;
    add_qemu_structs();
    make_anchor21();
    refused(anchor_len, tables_len, 0x100000000ull, tables_count, tables_max,
            "smbios: tables at 0x100000000 out of an _SM_ anchor's reach");
    assert_int_equal(smbios_fix_anchor(anchor, anchor_len, tables_len,
                                       0xffffff00, tables_count, tables_max),
                     SMBIOS_EP_21);
}

static void
test_anchor21_max_struct_beyond_tables(void **state)
{
    (void)state;
    add_qemu_structs();
    make_anchor21();
    refused(anchor_len, tables_len, 0x1000, tables_count, tables_len + 1,
            "smbios: largest structure 175 bytes in 174 bytes of tables");
}

static void
test_anchor30_max_size_below_tables(void **state)
{
    (void)state;
    add_qemu_structs();
    make_anchor30();
    put_le(anchor + 0x0c, tables_len - 1, 4);
    refused(anchor_len, tables_len, 0x1000, tables_count, tables_max,
            "smbios: _SM3_ anchor table maximum size 173, tables file 174"
            " bytes");
}

/****************************************************************
 * smbios_setup()
 ****************************************************************/

static const struct fakefw_block *
block_in(enum zone_id zone)
{
    int i;

    for (i = 0; i < fakefw_block_count(); i++)
        if (fakefw_block(i)->zone == zone)
            return fakefw_block(i);
    return NULL;
}

static void
offer_files(void)
{
    fakefw_add_file(SMBIOS_ANCHOR_FILE, anchor, anchor_len);
    fakefw_add_file(SMBIOS_TABLES_FILE, tables, tables_len);
}

// Our type 0 as it must come out, byte by byte (DSP0134 7.1, 2.4 layout).
static void
our_type0(u8 *p, u16 handle)
{
    static const u8 formatted[0x18] = {
        0x00, 0x18, 0x00, 0x00, // type 0, length, handle (below)
        1, 2,                   // vendor, version: strings 1 and 2
        0x00, 0xe0,             // starting segment 0xe000
        3,                      // release date: string 3
        3,                      // ROM size: (3 + 1) * 64 KiB
        0x08, 0, 0, 0, 0, 0, 0, 0, // characteristics: not supported
        0x01, 0x10,             // extensions: ACPI; a virtual machine
        2, 7,                   // system BIOS release: stubs/version.h
        0xff, 0xff,             // no embedded controller firmware
    };
    static const char strings[] = "ReefBIOS\0test\0" "11/29/2026\0";

    assert_int_equal(sizeof(formatted) + sizeof(strings), OUR_TYPE0_LEN);
    memcpy(p, formatted, sizeof(formatted));
    put_le(p + 2, handle, 2);
    memcpy(p + sizeof(formatted), strings, sizeof(strings));
}

#define NO_TYPE0 (-1) // assert_installed(): none added

// The installed entry point and tables: one ZONE_HIGH block, always with
// room for our type 0, and one ZONE_FSEG block, both 16-byte aligned. The
// table starts the block: our type 0 with `handle` then QEMU's bytes, or
// QEMU's bytes alone (handle NO_TYPE0). The entry point is QEMU's with the
// address, checksums and the fields the type 0 changes filled in; `log`
// is the one line expected (LOG_WARN or lower), or NULL for none.
static void
assert_installed(int kind, int handle, const char *log)
{
    static u8 want[OUR_TYPE0_LEN + TABLES_MAX];
    const struct fakefw_block *high = block_in(ZONE_HIGH);
    const struct fakefw_block *fseg = block_in(ZONE_FSEG);
    u32 added = handle == NO_TYPE0 ? 0 : OUR_TYPE0_LEN;
    u32 len = tables_len + added, count = tables_count + !!added;
    u32 max = MAX(tables_max, added), walk_count = 0, walk_max = 0;
    u32 addr, i;
    const u8 *a;

    if (log) {
        assert_int_equal(stub_log_count(), 1);
        assert_string_equal(stub_log_last(), log);
    } else {
        assert_int_equal(stub_log_count(), 0);
    }
    assert_int_equal(fakefw_violations(), 0);
    assert_true(fakefw_canaries_ok());
    assert_int_equal(fakefw_block_count(), 2);
    assert_non_null(high);
    assert_non_null(fseg);
    assert_int_equal(high->size, OUR_TYPE0_LEN + tables_len);
    assert_int_equal(high->align, 16);
    assert_int_equal((uintptr_t)high->data % 16, 0);
    if (added)
        our_type0(want, handle);
    memcpy(want + added, tables, tables_len);
    assert_memory_equal(high->data, want, len);
    assert_int_equal(smbios_check_tables(high->data, len, &walk_count,
                                         &walk_max), 0);
    assert_int_equal(walk_count, count);
    assert_int_equal(walk_max, max);
    assert_int_equal(fseg->size, anchor_len);
    assert_int_equal(fseg->align, 16);
    assert_int_equal((uintptr_t)fseg->data % 16, 0);
    addr = (u32)(uintptr_t)high->data;
    a = fseg->data;
    if (kind == SMBIOS_EP_21) {
        assert_memory_equal(a, "_SM_", 4);
        assert_int_equal(get_le(a + 0x08, 2), max);
        assert_int_equal(get_le(a + 0x16, 2), len);
        assert_int_equal(get_le(a + 0x18, 4), addr);
        assert_int_equal(get_le(a + 0x1c, 2), count);
        assert_int_equal(sum8(a + 0x10, 0x0f), 0);
        assert_int_equal(sum8(a, 0x1f), 0);
        // The rest is QEMU's: checksums, 0x08-0x09 and 0x15-0x1d change.
        for (i = 0; i < anchor_len; i++)
            if (i != 0x04 && i != 0x08 && i != 0x09
                && (i < 0x15 || i > 0x1d))
                assert_int_equal(a[i], anchor[i]);
    } else {
        assert_memory_equal(a, "_SM3_", 5);
        assert_int_equal(get_le(a + 0x0c, 4),
                         MAX(get_le(anchor + 0x0c, 4), len));
        assert_int_equal(get_le(a + 0x10, 8), addr);
        assert_int_equal(sum8(a, 0x18), 0);
        for (i = 0; i < anchor_len; i++)
            if (i != 0x05 && (i < 0x0c || i > 0x17))
                assert_int_equal(a[i], anchor[i]);
    }
}

static void
assert_nothing_installed(const char *want)
{
    assert_int_equal(stub_log_count(), 1);
    if (!stub_log_has(want))
        fail_msg("log \"%s\" lacks \"%s\"", stub_log_last(), want);
    assert_null(block_in(ZONE_FSEG));
    assert_int_equal(fakefw_violations(), 0);
    assert_true(fakefw_canaries_ok());
}

static void
test_setup_no_files(void **state)
{
    (void)state;
    smbios_setup();
    // "no tables from qemu" is LOG_INFO: below the unit tests' level.
    assert_int_equal(stub_log_count(), 0);
    assert_int_equal(fakefw_block_count(), 0);
    assert_int_equal(fakefw_violations(), 0);
}

// QEMU's default (no -smbios type=0): our type 0 goes first, handle 0.
static void
test_setup_anchor21(void **state)
{
    (void)state;
    add_qemu_structs_no_type0();
    make_anchor21();
    offer_files();
    smbios_setup();
    assert_installed(SMBIOS_EP_21, 0, NULL);
    // 125 bytes and 3 structures from QEMU; type 1 stays the largest.
    assert_int_equal(get_le(block_in(ZONE_FSEG)->data + 0x16, 2), 175);
    assert_int_equal(get_le(block_in(ZONE_FSEG)->data + 0x1c, 2), 4);
    assert_int_equal(get_le(block_in(ZONE_FSEG)->data + 0x08, 2), 81);
}

static void
test_setup_anchor30(void **state)
{
    (void)state;
    add_qemu_structs_no_type0();
    make_anchor30();
    offer_files();
    smbios_setup();
    assert_installed(SMBIOS_EP_30, 0, NULL);
    assert_int_equal(get_le(block_in(ZONE_FSEG)->data + 0x0c, 4), 175);
}

// A maximum size QEMU gave with room to spare is kept.
static void
test_setup_anchor30_roomy_max_size(void **state)
{
    (void)state;
    add_qemu_structs_no_type0();
    make_anchor30();
    put_le(anchor + 0x0c, 4096, 4);
    offer_files();
    smbios_setup();
    assert_installed(SMBIOS_EP_30, 0, NULL);
    assert_int_equal(get_le(block_in(ZONE_FSEG)->data + 0x0c, 4), 4096);
}

// -smbios type=0,...: QEMU's type 0 is the only one, tables as given.
static void
test_setup_qemu_type0(void **state)
{
    (void)state;
    add_qemu_structs();
    make_anchor21();
    offer_files();
    smbios_setup();
    assert_installed(SMBIOS_EP_21, NO_TYPE0, NULL);
    setup(NULL);
    add_qemu_structs();
    make_anchor30();
    offer_files();
    smbios_setup();
    assert_installed(SMBIOS_EP_30, NO_TYPE0, NULL);
}

// A type 0 anywhere counts (a -smbios file= blob lands where it lands).
static void
test_setup_qemu_type0_not_first(void **state)
{
    (void)state;
    add_struct(1, 0x1b, 0x0100, type1_strings);
    add_struct(0, 0x18, 0x0000, type0_strings);
    add_struct(127, 0x04, 0x7f00, NULL);
    make_anchor30();
    offer_files();
    smbios_setup();
    assert_installed(SMBIOS_EP_30, NO_TYPE0, NULL);
}

// Handle 0 taken: one past the highest handle; the reserved range
// 0xff00-0xffff neither counts nor is chosen.
static void
test_setup_handle0_taken(void **state)
{
    (void)state;
    add_struct(1, 0x1b, 0x0000, type1_strings);
    add_struct(11, 0x05, 0x1234, type11_strings);
    add_struct(126, 0x04, 0xff00, NULL);
    add_struct(127, 0x04, 0xfffe, NULL);
    make_anchor21();
    offer_files();
    smbios_setup();
    assert_installed(SMBIOS_EP_21, 0x1235, NULL);
}

static void
test_setup_handle_last_free(void **state)
{
    (void)state;
    add_struct(1, 0x1b, 0x0000, type1_strings);
    add_struct(127, 0x04, 0xfefe, NULL);
    make_anchor30();
    offer_files();
    smbios_setup();
    assert_installed(SMBIOS_EP_30, 0xfeff, NULL);
}

// 0 and 0xfeff taken: no handle, so no type 0, and QEMU's table as given.
static void
test_setup_no_free_handle(void **state)
{
    (void)state;
    add_struct(1, 0x1b, 0x0000, type1_strings);
    add_struct(11, 0x05, 0xfeff, type11_strings);
    add_struct(127, 0x04, 0x7f00, NULL);
    make_anchor21();
    offer_files();
    smbios_setup();
    assert_installed(SMBIOS_EP_21, NO_TYPE0, "smbios: no free handle for a"
                     " BIOS information structure in 3 structures");
}

// Fills the table with OEM structures (no strings, handles from 0x100)
// and an end-of-table to exactly `total` bytes (>= 12).
static void
fill_tables(u32 total)
{
    u16 handle = 0x100;

    while (tables_len + 6 < total) {
        u32 left = total - 6 - tables_len, size = left;

        // Up to 255 + 2 bytes each, never leaving 1 to 5 bytes behind.
        if (size > 257)
            size = left - 257 >= 6 ? 257 : left - 6;
        add_struct(0x80, size - 2, handle++, NULL);
    }
    add_struct(127, 4, 0x7f00, NULL);
    assert_int_equal(tables_len, total);
}

// _SM_: our type 0 fits while the table stays within 0xffff bytes.
static void
test_setup_anchor21_type0_fits(void **state)
{
    (void)state;
    fill_tables(0xffff - OUR_TYPE0_LEN);
    make_anchor21();
    offer_files();
    smbios_setup();
    assert_installed(SMBIOS_EP_21, 0, NULL);
    assert_int_equal(get_le(block_in(ZONE_FSEG)->data + 0x16, 2), 0xffff);
}

// One byte more and there is no room: QEMU's table goes in as given.
static void
test_setup_anchor21_type0_too_big(void **state)
{
    (void)state;
    fill_tables(0xffff - OUR_TYPE0_LEN + 1);
    make_anchor21();
    offer_files();
    smbios_setup();
    assert_installed(SMBIOS_EP_21, NO_TYPE0, "smbios: no room for a BIOS"
                     " information structure of 50 bytes: 65486 bytes of"
                     " tables, _SM_ max 65535");
    assert_int_equal(get_le(block_in(ZONE_FSEG)->data + 0x16, 2), 65486);
    // _SM3_ has no such limit.
    setup(NULL);
    fill_tables(0xffff - OUR_TYPE0_LEN + 1);
    make_anchor30();
    offer_files();
    smbios_setup();
    assert_installed(SMBIOS_EP_30, 0, NULL);
    assert_int_equal(get_le(block_in(ZONE_FSEG)->data + 0x0c, 4), 0x10000);
}

// Big tables (many OEM strings, DIMMs): fine with _SM3_, too big for _SM_
// (QEMU refuses to start with them, but must not be trusted to).
static void
add_big_tables(void)
{
    static char text[241];
    static const char *const s[] = { text, NULL };
    int i;

    memset(text, 'o', sizeof(text) - 1);
    for (i = 0; i < 280; i++)
        add_struct(11, 5, i, s);
    add_struct(127, 4, 0xffff, NULL);
    assert_true(tables_len > 0xffff);
}

static void
test_setup_big_tables30(void **state)
{
    (void)state;
    add_big_tables();
    make_anchor30();
    offer_files();
    smbios_setup();
    // Handles 0-279 and the reserved 0xffff taken.
    assert_installed(SMBIOS_EP_30, 280, NULL);
}

static void
test_setup_big_tables21(void **state)
{
    (void)state;
    add_big_tables();
    make_anchor21(); // table length field truncated to 16 bits
    offer_files();
    smbios_setup();
    assert_nothing_installed("too big for an _SM_ anchor");
    // Refused before the tables took any room.
    assert_int_equal(fakefw_block_count(), 0);
}

static void
test_setup_one_file(void **state)
{
    (void)state;
    add_qemu_structs();
    make_anchor21();
    fakefw_add_file(SMBIOS_ANCHOR_FILE, anchor, anchor_len);
    smbios_setup();
    assert_nothing_installed("smbios: qemu offers etc/smbios/smbios-anchor"
                             " without etc/smbios/smbios-tables");
    setup(NULL);
    add_qemu_structs();
    fakefw_add_file(SMBIOS_TABLES_FILE, tables, tables_len);
    smbios_setup();
    assert_nothing_installed("smbios: qemu offers etc/smbios/smbios-tables"
                             " without etc/smbios/smbios-anchor");
    assert_int_equal(fakefw_block_count(), 0);
}

static void
test_setup_anchor_file_too_big(void **state)
{
    (void)state;
    add_qemu_structs();
    make_anchor21();
    anchor_len = 33;
    offer_files();
    smbios_setup();
    assert_nothing_installed("smbios: anchor file of 33 bytes, want at most"
                             " 32");
}

// Both anchors accept an empty table file; it is refused before taking
// any room or reading a byte of it.
static void
test_setup_empty_tables(void **state)
{
    (void)state;
    make_anchor30();
    offer_files();
    smbios_setup();
    assert_nothing_installed("smbios: tables file of 0 bytes, want 1 to"
                             " 4294967245");
    assert_int_equal(fakefw_block_count(), 0);
    setup(NULL);
    make_anchor21();
    offer_files();
    smbios_setup();
    assert_nothing_installed("smbios: tables file of 0 bytes");
    assert_int_equal(fakefw_block_count(), 0);
}

// An _SM3_ anchor lets the tables file be almost 4 GiB; adding room for
// our type 0 must not wrap the size asked of zone_alloc() (a wrapped,
// small block would then take the whole file). The fake file's record is
// given the size directly: nothing may read that far.
static void
test_setup_huge_tables30(void **state)
{
    struct fwcfg_file *f;

    (void)state;
    add_qemu_structs_no_type0();
    make_anchor30();
    put_le(anchor + 0x0c, 0xffffffff, 4);
    fakefw_add_file(SMBIOS_ANCHOR_FILE, anchor, anchor_len);
    f = (struct fwcfg_file *)fakefw_add_file(SMBIOS_TABLES_FILE, tables,
                                             tables_len);
    f->size = 0xffffffff - OUR_TYPE0_LEN + 1;
    smbios_setup();
    assert_nothing_installed("smbios: tables file of 4294967246 bytes, want"
                             " 1 to 4294967245");
    assert_int_equal(fakefw_block_count(), 0);
    // The largest size accepted asks for the whole 4 GiB, and gets none.
    setup(NULL);
    add_qemu_structs_no_type0();
    make_anchor30();
    put_le(anchor + 0x0c, 0xffffffff, 4);
    fakefw_add_file(SMBIOS_ANCHOR_FILE, anchor, anchor_len);
    f = (struct fwcfg_file *)fakefw_add_file(SMBIOS_TABLES_FILE, tables,
                                             tables_len);
    f->size = 0xffffffff - OUR_TYPE0_LEN;
    smbios_setup();
    assert_nothing_installed("smbios: no room for 4294967295 bytes of"
                             " tables");
    assert_int_equal(fakefw_block_count(), 0);
}

static void
test_setup_read_fails(void **state)
{
    (void)state;
    add_qemu_structs();
    make_anchor21();
    offer_files();
    fakefw_fail_io(SMBIOS_ANCHOR_FILE);
    smbios_setup();
    assert_nothing_installed("smbios: reading etc/smbios/smbios-anchor"
                             " failed");
    setup(NULL);
    add_qemu_structs();
    make_anchor21();
    offer_files();
    fakefw_fail_io(SMBIOS_TABLES_FILE);
    smbios_setup();
    assert_nothing_installed("smbios: reading etc/smbios/smbios-tables"
                             " failed");
}

static void
test_setup_zone_full(void **state)
{
    (void)state;
    add_qemu_structs_no_type0();
    make_anchor21();
    offer_files();
    fakefw_zone_limit(ZONE_HIGH, OUR_TYPE0_LEN + tables_len - 1);
    smbios_setup();
    assert_nothing_installed("smbios: no room for 175 bytes of tables");
    // Room for our type 0 is asked for even when QEMU has its own.
    setup(NULL);
    add_qemu_structs();
    make_anchor21();
    offer_files();
    fakefw_zone_limit(ZONE_HIGH, OUR_TYPE0_LEN + tables_len - 1);
    smbios_setup();
    assert_nothing_installed("smbios: no room for 224 bytes of tables");
    setup(NULL);
    add_qemu_structs_no_type0();
    make_anchor21();
    offer_files();
    fakefw_zone_limit(ZONE_HIGH, OUR_TYPE0_LEN + tables_len);
    smbios_setup();
    assert_installed(SMBIOS_EP_21, 0, NULL);
    setup(NULL);
    add_qemu_structs();
    make_anchor30();
    offer_files();
    fakefw_zone_limit(ZONE_FSEG, 16);
    smbios_setup();
    assert_nothing_installed("smbios: no room for the 24-byte entry point");
}

// Every malformed input goes through smbios_setup(): one LOG_WARN line
// naming the problem, no entry point.
struct bad_case {
    void (*build)(void);
    const char *want;
};

static void
bad_anchor_string(void)
{
    add_qemu_structs();
    make_anchor30();
    anchor[3] = '4';
}

static void
bad_short_anchor(void)
{
    add_qemu_structs();
    make_anchor21();
    anchor_len = 0x1e;
}

static void
bad_length_field(void)
{
    add_qemu_structs();
    make_anchor30();
    anchor[0x06] = 0x1f;
}

static void
bad_version(void)
{
    add_qemu_structs();
    make_anchor21();
    anchor[0x07] = 0;
}

static void
bad_no_dmi(void)
{
    add_qemu_structs();
    make_anchor21();
    memcpy(anchor + 0x10, "_SM_\0", 5);
}

static void
bad_table_length(void)
{
    add_qemu_structs();
    make_anchor21();
    put_le(anchor + 0x16, tables_len + 16, 2);
}

static void
bad_count(void)
{
    add_qemu_structs();
    make_anchor21();
    put_le(anchor + 0x1c, 5, 2);
}

// With our type 0 added, QEMU's count is still checked (both sides of
// the message count ours).
static void
bad_count_no_type0(void)
{
    add_qemu_structs_no_type0();
    make_anchor21();
    put_le(anchor + 0x1c, 5, 2);
}

static void
bad_max_size30(void)
{
    add_qemu_structs();
    make_anchor30();
    put_le(anchor + 0x0c, 100, 4);
}

static void
bad_walk_off_end(void)
{
    add_qemu_structs();
    tables[TYPE1_OFFSET + 1] = 200; // type 1's formatted area
    make_anchor30();
}

static void
bad_length_below_4(void)
{
    add_qemu_structs();
    tables[TYPE1_OFFSET + 1] = 2;
    make_anchor21();
}

static void
bad_no_double_nul(void)
{
    add_qemu_structs();
    tables_len--; // the end-of-table's second NUL
    make_anchor30();
}

static void
bad_no_end_of_table(void)
{
    add_struct(0, 0x18, 0, type0_strings);
    add_struct(1, 0x1b, 1, type1_strings);
    make_anchor21();
}

static void
bad_header_cut_off(void)
{
    add_struct(0, 0x18, 0, type0_strings);
    tables[tables_len++] = 127;
    tables[tables_len++] = 4;
    make_anchor30();
}

static void
bad_after_end_of_table(void)
{
    add_qemu_structs();
    add_struct(1, 0x1b, 1, type1_strings);
    tables_count--;
    make_anchor30();
}

static void
test_setup_refuses(void **state)
{
    const struct bad_case *c = *state;

    c->build();
    offer_files();
    smbios_setup();
    assert_nothing_installed(c->want);
}

#define BAD(name, want_) \
    static const struct bad_case name##_case = { name, want_ }
BAD(bad_anchor_string, "starts with neither _SM_ nor _SM3_");
BAD(bad_short_anchor, "_SM_ anchor file is 30 bytes with length field 31");
BAD(bad_length_field, "_SM3_ anchor file is 24 bytes with length field 31");
BAD(bad_version, "_SM_ anchor version 2.0");
BAD(bad_no_dmi, "lacks the _DMI_ intermediate anchor");
BAD(bad_table_length, "_SM_ anchor table length 190, tables file 174");
BAD(bad_count, "_SM_ anchor lists 5 structures, tables hold 4");
BAD(bad_count_no_type0, "_SM_ anchor lists 6 structures, tables hold 4");
BAD(bad_max_size30, "_SM3_ anchor table maximum size 100, tables file 174");
BAD(bad_walk_off_end, "bad structure 1 at offset 49, type 1 length 200:"
    " formatted area past the end");
BAD(bad_length_below_4, "bad structure 1 at offset 49, type 1 length 2:"
    " formatted area below 4 bytes");
BAD(bad_no_double_nul, "bad structure 3 at offset 168, type 127 length 4:"
    " strings not ended by a double nul");
BAD(bad_no_end_of_table, "no end-of-table structure (type 127) in 130 bytes,"
    " 2 structures");
BAD(bad_header_cut_off, "structure 1 at offset 49: header cut off, 2 of 51"
    " bytes left");
BAD(bad_after_end_of_table, "81 bytes after the end-of-table structure at"
    " offset 168");
#undef BAD

int
main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
#define R(c) { "test_setup_refuses_" #c, test_setup_refuses, setup,      \
               teardown, (void *)&c##_case }
        T(test_tables_qemu),
        T(test_tables_only_end_of_table),
        T(test_tables_null_outputs),
        T(test_tables_outputs_untouched_on_error),
        T(test_tables_strings_everywhere),
        T(test_tables_empty),
        T(test_tables_missing_end_of_table),
        T(test_tables_header_cut_off),
        T(test_tables_length_below_4),
        T(test_tables_formatted_area_past_end),
        T(test_tables_walk_off_the_end),
        T(test_tables_missing_double_nul),
        T(test_tables_string_without_terminator),
        T(test_tables_bytes_after_end_of_table),
        T(test_tables_no_nul_after_strings),
        T(test_tables_first_problem_only),
        T(test_fix_anchor21),
        T(test_fix_anchor30),
        T(test_fix_anchor_twice),
        T(test_anchor21_later_versions),
        T(test_anchor30_max_size_above_tables),
        T(test_anchor_bad_string),
        T(test_anchor_short_file),
        T(test_anchor_long_file),
        T(test_anchor_wrong_length_field),
        T(test_anchor_bad_version),
        T(test_anchor21_no_dmi),
        T(test_anchor21_table_length),
        T(test_anchor21_tables_over_64k),
        T(test_anchor21_count),
        T(test_anchor21_address_above_4g),
        T(test_anchor21_max_struct_beyond_tables),
        T(test_anchor30_max_size_below_tables),
        T(test_setup_no_files),
        T(test_setup_anchor21),
        T(test_setup_anchor30),
        T(test_setup_anchor30_roomy_max_size),
        T(test_setup_qemu_type0),
        T(test_setup_qemu_type0_not_first),
        T(test_setup_handle0_taken),
        T(test_setup_handle_last_free),
        T(test_setup_no_free_handle),
        T(test_setup_anchor21_type0_fits),
        T(test_setup_anchor21_type0_too_big),
        T(test_setup_big_tables30),
        T(test_setup_big_tables21),
        T(test_setup_one_file),
        T(test_setup_anchor_file_too_big),
        T(test_setup_empty_tables),
        T(test_setup_huge_tables30),
        T(test_setup_read_fails),
        T(test_setup_zone_full),
        R(bad_anchor_string),
        R(bad_short_anchor),
        R(bad_length_field),
        R(bad_version),
        R(bad_no_dmi),
        R(bad_table_length),
        R(bad_count),
        R(bad_count_no_type0),
        R(bad_max_size30),
        R(bad_walk_off_end),
        R(bad_length_below_4),
        R(bad_no_double_nul),
        R(bad_no_end_of_table),
        R(bad_header_cut_off),
        R(bad_after_end_of_table),
#undef R
#undef T
    };

    return cmocka_run_group_tests_name("smbios", tests, NULL, NULL);
}
