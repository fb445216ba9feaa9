// Unit tests for src/fw/fwcfg_dir.c (host-compiled only).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#include <setjmp.h> // jmp_buf, for cmocka
#include <stdarg.h> // va_list, for cmocka
#include <stddef.h> // size_t, for cmocka
#include <stdint.h> // uintmax_t, for cmocka
#include <string.h> // memset
#include <cmocka.h> // cmocka_unit_test

#include "fw/fwcfg_dir.h" // fwcfg_dir_parse
#include "stub_output.h" // stub_log_count

#define DIR_MAX 16

// A directory of up to DIR_MAX records, plus one spare byte so a test can
// place it at an odd address.
static unsigned char dir_buf[1 + 4 + DIR_MAX * 64];
static unsigned char *dir;
static u32 dir_count; // records written
static struct fwcfg_file files[DIR_MAX];

static void
put_be(unsigned char *p, u32 v, int bytes)
{
    while (bytes--) {
        p[bytes] = v;
        v >>= 8;
    }
}

// Appends a record and bumps the count field.
static void
add_record(u32 size, u16 select, const char *name)
{
    unsigned char *r = dir + 4 + dir_count * 64;

    put_be(r, size, 4);
    put_be(r + 4, select, 2);
    put_be(r + 6, 0xbeef, 2); // reserved: ignored
    memset(r + 8, 0, 56);
    memcpy(r + 8, name, strnlen(name, 56));
    dir_count++;
    put_be(dir, dir_count, 4);
}

static u32
dir_len(void)
{
    return 4 + dir_count * 64;
}

static int
setup(void **state)
{
    (void)state;
    memset(dir_buf, 0x5a, sizeof(dir_buf));
    dir = dir_buf;
    dir_count = 0;
    put_be(dir, 0, 4);
    memset(files, 0xa5, sizeof(files));
    stub_log_reset();
    return 0;
}

// The start of a QEMU 8 pc machine's directory.
static void
add_qemu_records(void)
{
    add_record(0x10, 0x20, "bios-geometry");
    add_record(0x1b, 0x21, "bootorder");
    add_record(0x14, 0x25, "etc/acpi/rsdp");
    add_record(0x20000, 0x26, "etc/acpi/tables");
    add_record(0x3c, 0x28, "etc/e820");
    add_record(0x8, 0x2a, "etc/reserved-memory-end");
    add_record(0x280, 0x2b, "etc/table-loader");
    add_record(0x9000, 0x2e, "genroms/kvmvapic.bin");
}

static void
test_parse_qemu_directory(void **state)
{
    const struct fwcfg_file *f;

    (void)state;
    add_qemu_records();
    assert_int_equal(fwcfg_dir_parse(dir, dir_len(), files, DIR_MAX), 8);
    assert_int_equal(stub_log_count(), 0);
    assert_string_equal(files[0].name, "bios-geometry");
    assert_int_equal(files[0].select, 0x20);
    assert_int_equal(files[0].size, 0x10);
    f = fwcfg_dir_find(files, 8, "etc/e820");
    assert_non_null(f);
    assert_ptr_equal(f, &files[4]);
    assert_int_equal(f->select, 0x28);
    assert_int_equal(f->size, 0x3c);
    f = fwcfg_dir_find(files, 8, "etc/acpi/tables");
    assert_non_null(f);
    assert_int_equal(f->size, 0x20000);
    assert_string_equal(files[7].name, "genroms/kvmvapic.bin");
}

static void
test_big_endian_fields(void **state)
{
    (void)state;
    add_record(0x12345678, 0xabcd, "x");
    assert_int_equal(fwcfg_dir_parse(dir, dir_len(), files, DIR_MAX), 1);
    assert_int_equal(files[0].size, 0x12345678);
    assert_int_equal(files[0].select, 0xabcd);
}

static void
test_name_padding_zeroed(void **state)
{
    static const char zeros[56];

    (void)state;
    add_record(1, 0x20, "opt/a");
    memset(dir + 4 + 8 + 6, 'z', 50); // junk after the NUL
    assert_int_equal(fwcfg_dir_parse(dir, dir_len(), files, DIR_MAX), 1);
    assert_string_equal(files[0].name, "opt/a");
    assert_memory_equal(files[0].name + 5, zeros, 51);
}

static void
test_find_missing_and_null(void **state)
{
    (void)state;
    add_qemu_records();
    assert_int_equal(fwcfg_dir_parse(dir, dir_len(), files, DIR_MAX), 8);
    assert_null(fwcfg_dir_find(files, 8, "etc/e82"));
    assert_null(fwcfg_dir_find(files, 8, "etc/e8200"));
    assert_null(fwcfg_dir_find(files, 8, ""));
    assert_null(fwcfg_dir_find(files, 4, "etc/e820")); // past n
    assert_null(fwcfg_dir_find(files, 0, "bootorder"));
    assert_null(fwcfg_dir_find(NULL, 8, "bootorder"));
    assert_null(fwcfg_dir_find(files, 8, NULL));
}

static void
test_empty_directory(void **state)
{
    (void)state;
    assert_int_equal(fwcfg_dir_parse(dir, 4, files, DIR_MAX), 0);
    assert_int_equal(stub_log_count(), 0);
    // Spare bytes after the records are fine.
    assert_int_equal(fwcfg_dir_parse(dir, 4 + 63, files, DIR_MAX), 0);
    assert_int_equal(stub_log_count(), 0);
}

static void
test_too_short(void **state)
{
    (void)state;
    assert_int_equal(fwcfg_dir_parse(dir, 3, files, DIR_MAX), 0);
    assert_int_equal(stub_log_count(), 1);
    assert_string_equal(stub_log_last(),
                        "fw_cfg: file directory too short, len=3");
    assert_int_equal(fwcfg_dir_parse(NULL, 100, files, DIR_MAX), 0);
    assert_int_equal(stub_log_count(), 2);
    assert_string_equal(stub_log_last(),
                        "fw_cfg: file directory too short, len=0");
}

static void
test_truncated_directory(void **state)
{
    (void)state;
    add_record(1, 0x20, "a");
    add_record(2, 0x21, "b");
    add_record(3, 0x22, "c");
    // The third record lacks its last byte.
    assert_int_equal(fwcfg_dir_parse(dir, dir_len() - 1, files, DIR_MAX), 2);
    assert_int_equal(stub_log_count(), 1);
    assert_string_equal(stub_log_last(), "fw_cfg: file directory truncated,"
                        " count=3 len=195 holds 2");
    assert_string_equal(files[1].name, "b");
}

static void
test_count_huge(void **state)
{
    (void)state;
    add_record(1, 0x20, "a");
    put_be(dir, 0xffffffff, 4);
    assert_int_equal(fwcfg_dir_parse(dir, dir_len(), files, DIR_MAX), 1);
    assert_int_equal(stub_log_count(), 1);
    assert_string_equal(stub_log_last(), "fw_cfg: file directory truncated,"
                        " count=4294967295 len=68 holds 1");
}

static void
test_count_smaller_than_len(void **state)
{
    (void)state;
    add_record(1, 0x20, "a");
    add_record(2, 0x21, "b");
    put_be(dir, 1, 4);
    assert_int_equal(fwcfg_dir_parse(dir, dir_len(), files, DIR_MAX), 1);
    assert_int_equal(stub_log_count(), 0);
}

static void
test_unterminated_name_skipped(void **state)
{
    (void)state;
    add_record(1, 0x20, "a");
    add_record(2, 0x21, "b");
    add_record(3, 0x22, "c");
    memset(dir + 4 + 64 + 8, 'n', 56);
    assert_int_equal(fwcfg_dir_parse(dir, dir_len(), files, DIR_MAX), 2);
    assert_int_equal(stub_log_count(), 1);
    assert_string_equal(stub_log_last(),
                        "fw_cfg: file name at entry 1 not terminated");
    assert_string_equal(files[0].name, "a");
    assert_string_equal(files[1].name, "c");
}

static void
test_longest_name(void **state)
{
    char name[56];

    (void)state;
    memset(name, 'q', 55);
    name[55] = '\0';
    add_record(1, 0x20, name);
    assert_int_equal(fwcfg_dir_parse(dir, dir_len(), files, DIR_MAX), 1);
    assert_string_equal(files[0].name, name);
    assert_non_null(fwcfg_dir_find(files, 1, name));
    assert_int_equal(stub_log_count(), 0);
}

static void
test_empty_name_skipped(void **state)
{
    (void)state;
    add_record(1, 0x20, "");
    add_record(2, 0x21, "b");
    assert_int_equal(fwcfg_dir_parse(dir, dir_len(), files, DIR_MAX), 1);
    assert_int_equal(stub_log_count(), 1);
    assert_string_equal(stub_log_last(),
                        "fw_cfg: file name at entry 0 empty, select=0x20");
    assert_string_equal(files[0].name, "b");
}

static void
test_low_select_skipped(void **state)
{
    (void)state;
    add_record(1, 0x19, "etc/evil");
    add_record(2, 0x1f, "etc/low");
    add_record(3, 0x20, "etc/ok");
    assert_int_equal(fwcfg_dir_parse(dir, dir_len(), files, DIR_MAX), 1);
    assert_int_equal(stub_log_count(), 2);
    assert_true(stub_log_has("fw_cfg: file \"etc/evil\" at entry 0 has"
                             " select 0x19 below 0x20, skipped"));
    assert_string_equal(stub_log_last(), "fw_cfg: file \"etc/low\" at entry"
                        " 1 has select 0x1f below 0x20, skipped");
    assert_string_equal(files[0].name, "etc/ok");
    assert_null(fwcfg_dir_find(files, 1, "etc/evil"));
}

static void
test_duplicate_keeps_first(void **state)
{
    const struct fwcfg_file *f;

    (void)state;
    add_record(1, 0x20, "etc/e820");
    add_record(2, 0x21, "bootorder");
    add_record(3, 0x22, "etc/e820");
    assert_int_equal(fwcfg_dir_parse(dir, dir_len(), files, DIR_MAX), 2);
    assert_int_equal(stub_log_count(), 1);
    assert_string_equal(stub_log_last(), "fw_cfg: file \"etc/e820\" at entry"
                        " 2 duplicated, select=0x22, keeping the first");
    f = fwcfg_dir_find(files, 2, "etc/e820");
    assert_non_null(f);
    assert_int_equal(f->select, 0x20);
    assert_int_equal(f->size, 1);
}

// The hash only filters: names are compared whenever hashes match, so a
// collision never returns the wrong file.
static void
test_find_hash_collision(void **state)
{
    struct fwcfg_file two[2] = {
        { .size = 1, .select = 0x20, .name = "etc/one" },
        { .size = 2, .select = 0x21, .name = "etc/two" },
    };
    (void)state;
    two[0].hash = two[1].hash = fwcfg_name_hash("etc/two");
    assert_ptr_equal(fwcfg_dir_find(two, 2, "etc/two"), &two[1]);
    assert_null(fwcfg_dir_find(two, 2, "etc/one"));
    assert_int_not_equal(fwcfg_name_hash("etc/one"),
                         fwcfg_name_hash("etc/two"));
    assert_int_equal(fwcfg_name_hash(""), 2166136261u);
}

static void
test_more_than_max(void **state)
{
    (void)state;
    add_qemu_records();
    assert_int_equal(fwcfg_dir_parse(dir, dir_len(), files, 3), 3);
    assert_int_equal(stub_log_count(), 1);
    assert_string_equal(stub_log_last(), "fw_cfg: more than 3 files,"
                        " ignoring entry 3 and after");
    assert_string_equal(files[2].name, "etc/acpi/rsdp");
    // files[3] is not written.
    assert_int_equal((unsigned char)files[3].name[0], 0xa5);
}

static void
test_exactly_max(void **state)
{
    (void)state;
    add_qemu_records();
    add_record(1, 0x10, "bad"); // skipped, so not "more than max"
    assert_int_equal(fwcfg_dir_parse(dir, dir_len(), files, 8), 8);
    assert_int_equal(stub_log_count(), 1);
    assert_false(stub_log_has("more than"));
}

static void
test_max_zero_and_null_out(void **state)
{
    (void)state;
    add_record(1, 0x20, "a");
    assert_int_equal(fwcfg_dir_parse(dir, dir_len(), files, 0), 0);
    assert_string_equal(stub_log_last(), "fw_cfg: more than 0 files,"
                        " ignoring entry 0 and after");
    assert_int_equal(fwcfg_dir_parse(dir, dir_len(), NULL, 5), 0);
    assert_int_equal(fwcfg_dir_parse(dir, dir_len(), files, -1), 0);
    assert_string_equal(stub_log_last(), "fw_cfg: more than 0 files,"
                        " ignoring entry 0 and after");
    assert_int_equal(stub_log_count(), 3);
}

static void
test_unaligned_buffer(void **state)
{
    (void)state;
    dir = dir_buf + 1;
    add_qemu_records();
    assert_int_equal(fwcfg_dir_parse(dir, dir_len(), files, DIR_MAX), 8);
    assert_int_equal(fwcfg_dir_find(files, 8, "bootorder")->size, 0x1b);
}

static void
test_one_line_per_bad_record(void **state)
{
    (void)state;
    add_record(1, 0x20, "a");
    add_record(1, 0x01, "b");
    add_record(1, 0x21, "");
    add_record(1, 0x22, "a");
    add_record(1, 0x23, "c");
    memset(dir + 4 + 4 * 64 + 8, 'x', 56);
    assert_int_equal(fwcfg_dir_parse(dir, dir_len(), files, DIR_MAX), 1);
    assert_int_equal(stub_log_count(), 4);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup(name, setup)
        T(test_parse_qemu_directory),
        T(test_big_endian_fields),
        T(test_name_padding_zeroed),
        T(test_find_missing_and_null),
        T(test_empty_directory),
        T(test_too_short),
        T(test_truncated_directory),
        T(test_count_huge),
        T(test_count_smaller_than_len),
        T(test_unterminated_name_skipped),
        T(test_longest_name),
        T(test_empty_name_skipped),
        T(test_low_select_skipped),
        T(test_duplicate_keeps_first),
        T(test_find_hash_collision),
        T(test_more_than_max),
        T(test_exactly_max),
        T(test_max_zero_and_null_out),
        T(test_unaligned_buffer),
        T(test_one_line_per_bad_record),
#undef T
    };

    return cmocka_run_group_tests_name("fwcfg_dir", tests, NULL, NULL);
}
