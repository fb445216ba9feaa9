// Unit tests for the MTRR range split (src/fw/mtrr.c).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fw/mtrr.h"

// mtrr_setup() is not run here; these satisfy the linker.
void smp_msr_add(u32 index, u64 value) { (void)index; (void)value; }
u32 memmap_lowram_end(void) { return 0; }

#define FOUR_GB 0x100000000ULL

// Every block is a power of two, aligned to its size, and the blocks
// tile [start, end) exactly.
static void
check_tiling(u64 start, u64 end, const struct mtrr_range *r, int n)
{
    u64 pos = start;
    for (int i = 0; i < n; i++) {
        assert_int_equal(r[i].size & (r[i].size - 1), 0);
        assert_int_equal(r[i].base & (r[i].size - 1), 0);
        assert_int_equal(r[i].base, pos);
        pos += r[i].size;
    }
    assert_int_equal(pos, end);
}

static void
test_power_of_two_holes(void **state)
{
    struct mtrr_range r[16];
    (void)state;
    assert_int_equal(mtrr_split(0x80000000, FOUR_GB, r, 16), 1);
    assert_int_equal(r[0].base, 0x80000000);
    assert_int_equal(r[0].size, 0x80000000);
    assert_int_equal(mtrr_split(0xc0000000, FOUR_GB, r, 16), 1);
    assert_int_equal(r[0].size, 0x40000000);
}

static void
test_small_ram(void **state)
{
    struct mtrr_range r[16];
    (void)state;
    // 256 MiB of RAM: the hole is 3.75 GiB, four blocks.
    int n = mtrr_split(0x10000000, FOUR_GB, r, 16);
    assert_int_equal(n, 4);
    check_tiling(0x10000000, FOUR_GB, r, n);
    assert_int_equal(r[0].size, 0x10000000);
    assert_int_equal(r[3].size, 0x80000000);
}

static void
test_odd_sizes(void **state)
{
    static const u64 tops[] = { 0x0ff00000, 0x7ffe0000, 0xbfe00000,
                                0x12345000, 0x00100000, 0xfffff000 };
    struct mtrr_range r[64];
    (void)state;
    for (unsigned i = 0; i < sizeof(tops) / sizeof(tops[0]); i++) {
        int n = mtrr_split(tops[i], FOUR_GB, r, 64);
        assert_true(n > 0 && n <= 64);
        check_tiling(tops[i], FOUR_GB, r, n);
    }
}

static void
test_max_respected(void **state)
{
    struct mtrr_range r[3] = {{ 0 }};
    struct mtrr_range guard = { 0x1234, 0x5678 };
    struct mtrr_range *after = &guard;
    (void)state;
    // 0x12345000 needs many blocks; only three are stored, all counted.
    int n = mtrr_split(0x12345000, FOUR_GB, r, 3);
    assert_true(n > 3);
    check_tiling(0x12345000, r[2].base + r[2].size, r, 3);
    assert_int_equal(after->base, 0x1234);
}

static void
test_empty_and_zero_start(void **state)
{
    struct mtrr_range r[4];
    (void)state;
    assert_int_equal(mtrr_split(FOUR_GB, FOUR_GB, r, 4), 0);
    assert_int_equal(mtrr_split(0, FOUR_GB, r, 4), 1);
    assert_int_equal(r[0].size, FOUR_GB);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_power_of_two_holes),
        cmocka_unit_test(test_small_ram),
        cmocka_unit_test(test_odd_sizes),
        cmocka_unit_test(test_max_respected),
        cmocka_unit_test(test_empty_and_zero_start),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
