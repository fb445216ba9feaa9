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
#include "fw/pciinit.h"

// mtrr_setup() is not run here; these satisfy the linker.
void smp_msr_add(u32 index, u64 value) { (void)index; (void)value; }
u32 memmap_lowram_end(void) { return 0; }
bool pci_mem64_window(u64 *start, u64 *end) { *start = *end = 0; return 0; }

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

// The hole split gives mtrr_split()'s blocks for every start, 0 included.
static void
test_split_hole(void **state)
{
    static const u32 lows[] = { 0, 1, 0x1000, 0x0ff00000, 0x7ffe0000,
                                0x80000000, 0xbfe00000, 0x12345000,
                                0x00100000, 0xfffff000, 0xffffffff,
                                0x80000001 };
    struct mtrr_range a[MTRR_HOLE_MAX], b[64];
    (void)state;
    for (unsigned i = 0; i < sizeof(lows) / sizeof(lows[0]); i++) {
        int n = mtrr_split_hole(lows[i], a);
        assert_true(n > 0 && n <= MTRR_HOLE_MAX);
        assert_int_equal(n, mtrr_split(lows[i], FOUR_GB, b, 64));
        for (int j = 0; j < n; j++) {
            assert_int_equal(a[j].base, b[j].base);
            assert_int_equal(a[j].size, b[j].size);
        }
    }
}

#define GB (1ULL << 30)
#define PHYS_LIMIT (1ULL << 40)

static void
test_cover_exact(void **state)
{
    struct mtrr_range r[8];
    (void)state;
    // An aligned power-of-two window: one block, nothing rounded.
    assert_int_equal(mtrr_cover(8 * GB, 16 * GB, PHYS_LIMIT, r, 8), 1);
    assert_int_equal(r[0].base, 8 * GB);
    assert_int_equal(r[0].size, 8 * GB);
    // 7 GiB from 8 GiB: three blocks (4 + 2 + 1) when three are free.
    assert_int_equal(mtrr_cover(8 * GB, 15 * GB, PHYS_LIMIT, r, 3), 3);
    check_tiling(8 * GB, 15 * GB, r, 3);
    assert_int_equal(mtrr_cover(8 * GB, 8 * GB, PHYS_LIMIT, r, 8), 0);
}

static void
test_cover_rounds_end_up(void **state)
{
    struct mtrr_range r[8];
    struct mtrr_range guard[2] = {{ 0x1234, 0x5678 }, { 0x1234, 0x5678 }};
    (void)state;
    // 7 GiB from 8 GiB with one range left: all of 8-16 GiB.
    assert_int_equal(mtrr_cover(8 * GB, 15 * GB, PHYS_LIMIT, r, 1), 1);
    assert_int_equal(r[0].base, 8 * GB);
    assert_int_equal(r[0].size, 8 * GB);
    // A window ending mid-page with two ranges: never below the end, the
    // start never moves, nothing past max written.
    int n = mtrr_cover(6 * GB, 6 * GB + 0x12345, PHYS_LIMIT, guard, 1);
    assert_int_equal(n, 1);
    assert_int_equal(guard[0].base, 6 * GB);
    assert_true(guard[0].size >= 0x12345);
    assert_int_equal(guard[1].base, 0x1234);
}

static void
test_cover_limit(void **state)
{
    struct mtrr_range r[8];
    (void)state;
    // From 12 GiB no single block reaches past 15 GiB without going
    // beyond 16 GiB, so one range cannot do it under a 15.5 GiB limit.
    assert_int_equal(mtrr_cover(12 * GB, 15 * GB, 15 * GB + GB / 2, r, 1),
                     -1);
    assert_int_equal(mtrr_cover(12 * GB, 15 * GB, 16 * GB, r, 1), 1);
    assert_int_equal(mtrr_cover(12 * GB, 15 * GB, PHYS_LIMIT, r, 0), -1);
    // No room past the top of the address space either.
    assert_int_equal(mtrr_cover(0xfffffffffff00000ULL, 0xffffffffffffff00ULL,
                                ~0ULL, r, 1), -1);
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
        cmocka_unit_test(test_split_hole),
        cmocka_unit_test(test_cover_exact),
        cmocka_unit_test(test_cover_rounds_end_up),
        cmocka_unit_test(test_cover_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
