// Unit tests for src/fw/fwcfg_dir.c (host-compiled only).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#include <setjmp.h> // jmp_buf, for cmocka
#include <stdarg.h> // va_list, for cmocka
#include <stddef.h> // size_t, for cmocka
#include <stdint.h> // uintmax_t, for cmocka
#include <stdio.h> // snprintf
#include <stdlib.h> // malloc
#include <string.h> // memset
#include <cmocka.h> // cmocka_unit_test

#include "fw/fwcfg_dir.h" // fwcfg_dir_parse
#include "stub_output.h" // stub_log_count

#define DIR_MAX 16

// A directory of up to DIR_MAX records (the parser wants it 4-byte
// aligned), and the files parse() found in it.
static u32 dir_buf[(4 + DIR_MAX * 64) / 4];
static unsigned char *dir;
static u32 dir_count; // records written
static struct fwcfg_file *files;

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
    dir = (unsigned char *)dir_buf;
    dir_count = 0;
    put_be(dir, 0, 4);
    files = NULL;
    stub_log_reset();
    return 0;
}

// Parses the first len bytes of dir in place.
static int
parse(u32 len, int max)
{
    int n = fwcfg_dir_parse(dir, len, max);

    files = fwcfg_dir_files(dir);
    assert_ptr_equal(files, dir + 4);
    return n;
}

// A copy of name in a buffer of its exact size, so that ASan catches a
// lookup reading past its NUL; free() it.
static char *
exact(const char *name)
{
    size_t len = strlen(name) + 1;
    char *copy = malloc(len);

    assert_non_null(copy);
    memcpy(copy, name, len);
    return copy;
}

// fwcfg_dir_find() with an exact-size copy of name.
static const struct fwcfg_file *
find(int n, const char *name)
{
    char *copy = exact(name);
    const struct fwcfg_file *f = fwcfg_dir_find(files, n, copy);

    free(copy);
    return f;
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
    assert_int_equal(parse(dir_len(), DIR_MAX), 8);
    assert_int_equal(stub_log_count(), 0);
    assert_string_equal(files[0].name, "bios-geometry");
    assert_int_equal(files[0].select, 0x20);
    assert_int_equal(files[0].size, 0x10);
    f = find(8, "etc/e820");
    assert_non_null(f);
    assert_ptr_equal(f, &files[4]);
    assert_int_equal(f->select, 0x28);
    assert_int_equal(f->size, 0x3c);
    f = find(8, "etc/acpi/tables");
    assert_non_null(f);
    assert_int_equal(f->size, 0x20000);
    assert_string_equal(files[7].name, "genroms/kvmvapic.bin");
}

static void
test_big_endian_fields(void **state)
{
    (void)state;
    add_record(0x12345678, 0xabcd, "x");
    assert_int_equal(parse(dir_len(), DIR_MAX), 1);
    assert_int_equal(files[0].size, 0x12345678);
    assert_int_equal(files[0].select, 0xabcd);
}

// QEMU does not clear a name's bytes after its NUL: junk there is no part
// of the name, for lookups and for duplicates.
static void
test_junk_after_name(void **state)
{
    static const char zeros[3];

    (void)state;
    add_record(1, 0x20, "opt/a");
    memset(dir + 4 + 8 + 6, 'z', 50);
    add_record(2, 0x21, "opt/a");
    memset(dir + 4 + 64 + 8 + 6, 'y', 50);
    add_record(3, 0x22, "opt/abcd");
    memset(dir + 4 + 128 + 8 + 9, 0xff, 47);
    assert_int_equal(parse(dir_len(), DIR_MAX), 2);
    assert_string_equal(stub_log_last(), "fw_cfg: file \"opt/a\" at entry"
                        " 1 duplicated, select=0x21, keeping the first");
    assert_string_equal(files[0].name, "opt/a");
    // The word holding the NUL is zero after it; later ones are as read.
    assert_memory_equal(files[0].name + 5, zeros, 3);
    assert_string_equal(files[1].name, "opt/abcd");
    assert_ptr_equal(find(2, "opt/a"), &files[0]);
    assert_ptr_equal(find(2, "opt/abcd"), &files[1]);
    assert_null(find(2, "opt/abc"));
    assert_null(find(2, "opt/abcdz"));
}

// Names of every length around word boundaries, looked up through copies
// of their exact size (ASan sees any read past a lookup name's NUL).
static void
test_name_lengths(void **state)
{
    char names[DIR_MAX][56];
    int i;

    (void)state;
    for (i = 0; i < DIR_MAX; i++) {
        int len = i < 12 ? i + 1 : 55 - (DIR_MAX - 1 - i);

        memset(names[i], 'a' + i, len);
        names[i][len] = '\0';
        add_record(i, 0x20 + i, names[i]);
    }
    assert_int_equal(parse(dir_len(), DIR_MAX), DIR_MAX);
    assert_int_equal(stub_log_count(), 0);
    for (i = 0; i < DIR_MAX; i++) {
        char shorter[56];

        assert_string_equal(files[i].name, names[i]);
        assert_int_equal(files[i].hash, fwcfg_name_hash(names[i]));
        assert_ptr_equal(find(DIR_MAX, names[i]), &files[i]);
        strcpy(shorter, names[i]);
        shorter[strlen(shorter) - 1] = '\0';
        assert_null(find(DIR_MAX, shorter));
    }
}

// Bytes 0x80 and up take the parser's exact test for a NUL.
static void
test_high_bytes_in_name(void **state)
{
    static const char *const names[] = {
        "\x80\x81\xff\x01", "\x81\x81\x81\x81\x81", "a\xff",
        "\x01\x01\x01\x01\x80",
    };
    unsigned i;

    (void)state;
    for (i = 0; i < 4; i++)
        add_record(i, 0x20 + i, names[i]);
    assert_int_equal(parse(dir_len(), DIR_MAX), 4);
    for (i = 0; i < 4; i++) {
        assert_string_equal(files[i].name, names[i]);
        assert_ptr_equal(find(4, names[i]), &files[i]);
    }
}

static void
test_find_missing_and_null(void **state)
{
    (void)state;
    add_qemu_records();
    assert_int_equal(parse(dir_len(), DIR_MAX), 8);
    assert_null(find(8, "etc/e82"));
    assert_null(find(8, "etc/e8200"));
    assert_null(find(8, ""));
    assert_null(find(4, "etc/e820")); // past n
    assert_null(find(0, "bootorder"));
    assert_null(fwcfg_dir_find(NULL, 8, "bootorder"));
    assert_null(fwcfg_dir_find(files, 8, NULL));
}

static void
test_empty_directory(void **state)
{
    (void)state;
    assert_int_equal(parse(4, DIR_MAX), 0);
    assert_int_equal(stub_log_count(), 0);
    // Spare bytes after the records are fine.
    assert_int_equal(parse(4 + 63, DIR_MAX), 0);
    assert_int_equal(stub_log_count(), 0);
}

static void
test_too_short(void **state)
{
    (void)state;
    assert_int_equal(parse(3, DIR_MAX), 0);
    assert_int_equal(stub_log_count(), 1);
    assert_string_equal(stub_log_last(),
                        "fw_cfg: file directory too short, len=3");
    assert_int_equal(fwcfg_dir_parse(NULL, 100, DIR_MAX), 0);
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
    assert_int_equal(parse(dir_len() - 1, DIR_MAX), 2);
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
    assert_int_equal(parse(dir_len(), DIR_MAX), 1);
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
    assert_int_equal(parse(dir_len(), DIR_MAX), 1);
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
    assert_int_equal(parse(dir_len(), DIR_MAX), 2);
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
    assert_int_equal(parse(dir_len(), DIR_MAX), 1);
    assert_string_equal(files[0].name, name);
    assert_non_null(find(1, name));
    assert_int_equal(stub_log_count(), 0);
}

static void
test_empty_name_skipped(void **state)
{
    (void)state;
    add_record(1, 0x20, "");
    add_record(2, 0x21, "b");
    assert_int_equal(parse(dir_len(), DIR_MAX), 1);
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
    assert_int_equal(parse(dir_len(), DIR_MAX), 1);
    assert_int_equal(stub_log_count(), 2);
    assert_true(stub_log_has("fw_cfg: file \"etc/evil\" at entry 0 has"
                             " select 0x19 below 0x20, skipped"));
    assert_string_equal(stub_log_last(), "fw_cfg: file \"etc/low\" at entry"
                        " 1 has select 0x1f below 0x20, skipped");
    assert_string_equal(files[0].name, "etc/ok");
    assert_null(find(1, "etc/evil"));
}

static void
test_duplicate_keeps_first(void **state)
{
    const struct fwcfg_file *f;

    (void)state;
    add_record(1, 0x20, "etc/e820");
    add_record(2, 0x21, "bootorder");
    add_record(3, 0x22, "etc/e820");
    assert_int_equal(parse(dir_len(), DIR_MAX), 2);
    assert_int_equal(stub_log_count(), 1);
    assert_string_equal(stub_log_last(), "fw_cfg: file \"etc/e820\" at entry"
                        " 2 duplicated, select=0x22, keeping the first");
    f = find(2, "etc/e820");
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
}

// The parser's duplicate filter keys on 8 bits of the hash: names that
// share them are still both kept, and true duplicates still found.
static void
test_duplicate_filter_collision(void **state)
{
    char a[24], b[24];
    bool found = false;

    (void)state;
    // Two names whose hashes differ but share their low 8 bits.
    for (int i = 1; !found; i++) {
        snprintf(b, sizeof(b), "opt/f%d", i);
        for (int j = 0; j < i && !found; j++) {
            snprintf(a, sizeof(a), "opt/f%d", j);
            found = (fwcfg_name_hash(a) & 0xff) == (fwcfg_name_hash(b) & 0xff)
                    && fwcfg_name_hash(a) != fwcfg_name_hash(b);
        }
    }
    add_record(1, 0x20, a);
    add_record(2, 0x21, b);
    add_record(3, 0x22, a);
    add_record(4, 0x23, b);
    assert_int_equal(parse(dir_len(), DIR_MAX), 2);
    assert_int_equal(stub_log_count(), 2);
    assert_ptr_equal(find(2, a), &files[0]);
    assert_ptr_equal(find(2, b), &files[1]);
    assert_int_equal(files[1].select, 0x21);
}

static void
test_name_hash(void **state)
{
    char longest[57];

    (void)state;
    memset(longest, 'l', 56);
    longest[55] = '\0';
    assert_int_not_equal(fwcfg_name_hash(longest), 0);
    longest[55] = 'l';
    longest[56] = '\0';
    // Too long for a file: no hash, and no match.
    assert_int_equal(fwcfg_name_hash(longest), 0);
    add_record(1, 0x20, "x");
    assert_int_equal(parse(dir_len(), DIR_MAX), 1);
    assert_null(find(1, longest));
    assert_int_equal(files[0].hash, fwcfg_name_hash("x"));
}

static void
test_more_than_max(void **state)
{
    (void)state;
    add_qemu_records();
    assert_int_equal(parse(dir_len(), 3), 3);
    assert_int_equal(stub_log_count(), 1);
    assert_string_equal(stub_log_last(), "fw_cfg: more than 3 files,"
                        " ignoring entry 3 and after");
    assert_string_equal(files[2].name, "etc/acpi/rsdp");
    // Records from the ignored one on are left as they were.
    assert_int_equal(dir[4 + 3 * 64 + 5], 0x26);
    assert_int_equal(dir[4 + 3 * 64 + 3], 0);
}

static void
test_exactly_max(void **state)
{
    (void)state;
    add_qemu_records();
    add_record(1, 0x10, "bad"); // skipped, so not "more than max"
    assert_int_equal(parse(dir_len(), 8), 8);
    assert_int_equal(stub_log_count(), 1);
    assert_false(stub_log_has("more than"));
}

static void
test_max_zero_and_null_out(void **state)
{
    (void)state;
    add_record(1, 0x20, "a");
    assert_int_equal(parse(dir_len(), 0), 0);
    assert_string_equal(stub_log_last(), "fw_cfg: more than 0 files,"
                        " ignoring entry 0 and after");
    assert_int_equal(parse(dir_len(), -1), 0);
    assert_string_equal(stub_log_last(), "fw_cfg: more than 0 files,"
                        " ignoring entry 0 and after");
    assert_int_equal(stub_log_count(), 2);
}

// Kept records move down over skipped ones, whole.
static void
test_kept_records_close_gaps(void **state)
{
    (void)state;
    add_record(1, 0x10, "low");
    add_record(0x1234, 0x21, "etc/one");
    add_record(3, 0x22, "");
    add_record(0x56789a, 0x1ff, "etc/two");
    assert_int_equal(parse(dir_len(), DIR_MAX), 2);
    assert_int_equal(files[0].size, 0x1234);
    assert_int_equal(files[0].select, 0x21);
    assert_string_equal(files[0].name, "etc/one");
    assert_int_equal(files[1].size, 0x56789a);
    assert_int_equal(files[1].select, 0x1ff);
    assert_int_equal(files[1].hash, fwcfg_name_hash("etc/two"));
    assert_string_equal(files[1].name, "etc/two");
    assert_ptr_equal(find(2, "etc/two"), &files[1]);
    assert_null(find(2, "low"));
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
    assert_int_equal(parse(dir_len(), DIR_MAX), 1);
    assert_int_equal(stub_log_count(), 4);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup(name, setup)
        T(test_parse_qemu_directory),
        T(test_big_endian_fields),
        T(test_junk_after_name),
        T(test_name_lengths),
        T(test_high_bytes_in_name),
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
        T(test_duplicate_filter_collision),
        T(test_name_hash),
        T(test_more_than_max),
        T(test_exactly_max),
        T(test_max_zero_and_null_out),
        T(test_kept_records_close_gaps),
        T(test_one_line_per_bad_record),
#undef T
    };

    return cmocka_run_group_tests_name("fwcfg_dir", tests, NULL, NULL);
}
