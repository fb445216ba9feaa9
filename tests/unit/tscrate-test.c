// Unit tests for src/tscrate.c (host-compiled only): the rates kvmclock
// and CPUID state come out right, and absurd ones are refused with one
// log line instead of reaching the delays and timeouts.
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#include <setjmp.h> // jmp_buf, for cmocka
#include <stdarg.h> // va_list, for cmocka
#include <stddef.h> // size_t, for cmocka
#include <stdint.h> // uintmax_t, for cmocka
#include <cmocka.h> // cmocka_unit_test

#include "stub_output.h" // stub_log_count
#include "tscrate.h" // tsc_khz_from_pvclock

// The kvmclock rate computed another way: in 128 bits, shifting first.
static unsigned __int128
reference_pvclock_khz(u32 mul, int shift)
{
    unsigned __int128 num = (unsigned __int128)1000000 << 32;
    unsigned __int128 den = mul;
    if (shift >= 0)
        den <<= shift;
    else
        num <<= -shift;
    return num / den;
}

static int
setup(void **state)
{
    (void)state;
    stub_log_reset();
    return 0;
}

static void
assert_refused(u32 khz, const char *why)
{
    assert_int_equal(khz, 0);
    assert_int_equal(stub_log_count(), 1);
    if (!stub_log_has(why))
        fail_msg("log \"%s\" lacks \"%s\"", stub_log_last(), why);
    stub_log_reset();
}

// What KVM hands out for common rates (mul for shift, as Linux's
// kvm_get_time_scale() picks them), and a sweep of shifts: the 128-bit
// reference exactly, no log.
static void
test_pvclock_rates(void **state)
{
    (void)state;
    // 2.6 GHz: 10^9 / 2.6e9 * 2^33 = 3303820996.9, rounded up, gives
    // 2 599 999.9 kHz, rounded down.
    assert_int_equal(tsc_khz_from_pvclock(3303820997u, -1), 2599999);
    assert_int_equal(tsc_khz_from_pvclock(3303820996u, -1), 2600000);
    // 1 GHz, one ns a tick = 2^31 / 2^32 * 2^1: mul 2^31, shift 1.
    assert_int_equal(tsc_khz_from_pvclock(0x80000000u, 1), 1000000);
    // 100 MHz, 10 ns a tick = 0.625 * 2^4: mul 0.625 * 2^32, shift 4.
    assert_int_equal(tsc_khz_from_pvclock(0xa0000000u, 4), 100000);
    for (int shift = -31; shift <= 31; shift++) {
        for (u64 mul = 0x10000; mul <= 0xffffffffu; mul += mul / 3 + 1) {
            unsigned __int128 want = reference_pvclock_khz(mul, shift);
            if (want < TSC_KHZ_MIN || want > TSC_KHZ_MAX)
                continue;
            assert_int_equal(tsc_khz_from_pvclock(mul, shift), want);
        }
    }
    assert_int_equal(stub_log_count(), 0);
}

static void
test_pvclock_refused(void **state)
{
    (void)state;
    assert_refused(tsc_khz_from_pvclock(0, 0), "kvmclock mul 0x00000000"
                   " shift 0: no tsc rate in 1000..100000000 khz");
    // Below 1 MHz: mul 2^31 is 2 GHz, shift 11 makes it 976 kHz (shift
    // 10 would give 1953, still accepted).
    assert_int_equal(tsc_khz_from_pvclock(0x80000000u, 10), 1953);
    assert_refused(tsc_khz_from_pvclock(0x80000000u, 11),
                   "kvmclock mul 0x80000000 shift 11");
    // Above 100 GHz: mul 1 is 4.3 THz before any shift.
    assert_refused(tsc_khz_from_pvclock(1, 0), "mul 0x00000001 shift 0");
    assert_refused(tsc_khz_from_pvclock(0x80000000u, -31), "shift -31");
    // Shifts no real clock uses, far past the width of the numbers.
    assert_refused(tsc_khz_from_pvclock(0x80000000u, 127), "shift 127");
    assert_refused(tsc_khz_from_pvclock(0x80000000u, -128), "shift -128");
    assert_refused(tsc_khz_from_pvclock(0x80000000u, 64), "shift 64");
    assert_refused(tsc_khz_from_pvclock(0x80000000u, -32), "shift -32");
}

// Every in-range result of the sweep in test_pvclock_rates() is also
// checked against the limits here, at the edges.
static void
test_pvclock_edges(void **state)
{
    (void)state;
    // 10^6 * 2^32 / mul = 100 GHz exactly: mul = 2^32 / 100000 is not an
    // integer, so take the mul just above and below it.
    u32 mul = (u32)(((u64)1000000 << 32) / TSC_KHZ_MAX);
    assert_int_equal(tsc_khz_from_pvclock(mul + 1, 0),
                     (u32)reference_pvclock_khz(mul + 1, 0));
    assert_refused(tsc_khz_from_pvclock(mul - 1, 0), "shift 0");
}

static void
test_crystal(void **state)
{
    (void)state;
    // A 24 MHz crystal, ratio 216/2: 2.592 GHz.
    assert_int_equal(tsc_khz_from_crystal(2, 216, 24000000), 2592000);
    // 25 MHz crystal, 176/2 (a common server part): 2.2 GHz.
    assert_int_equal(tsc_khz_from_crystal(2, 176, 25000000), 2200000);
    // Any field 0: not stated, no log.
    assert_int_equal(tsc_khz_from_crystal(0, 216, 24000000), 0);
    assert_int_equal(tsc_khz_from_crystal(2, 0, 24000000), 0);
    assert_int_equal(tsc_khz_from_crystal(2, 216, 0), 0);
    assert_int_equal(stub_log_count(), 0);
}

static void
test_crystal_refused(void **state)
{
    (void)state;
    // den * 1000 is 2^32 * 125: a single 32-bit divisor den * 1000 would
    // be 0 here and the division would fault.
    assert_refused(tsc_khz_from_crystal(0x20000000u, 1, 1),
                   "cpuid 0x15 crystal 1 hz * 1 / 536870912");
    assert_refused(tsc_khz_from_crystal(1, 0xffffffffu, 0xffffffffu),
                   "crystal 4294967295 hz * 4294967295 / 1: tsc rate not"
                   " in 1000..100000000 khz");
    assert_refused(tsc_khz_from_crystal(1000, 1, 999999), "/ 1000");
}

static void
test_check(void **state)
{
    (void)state;
    assert_int_equal(tsc_khz_check(0, "cpuid 0x40000010"), 0);
    assert_int_equal(stub_log_count(), 0);
    assert_int_equal(tsc_khz_check(TSC_KHZ_MIN, "x"), TSC_KHZ_MIN);
    assert_int_equal(tsc_khz_check(TSC_KHZ_MAX, "x"), TSC_KHZ_MAX);
    assert_int_equal(tsc_khz_check(2600000, "x"), 2600000);
    assert_int_equal(stub_log_count(), 0);
    assert_refused(tsc_khz_check(TSC_KHZ_MIN - 1, "cpuid 0x40000010"),
                   "tsc 999 khz from cpuid 0x40000010 not in");
    assert_refused(tsc_khz_check(TSC_KHZ_MAX + 1ULL, "pit"),
                   "tsc 100000001 khz from pit");
    // Above 32 bits: the log shows the whole value, not a truncated one.
    assert_refused(tsc_khz_check(1ULL << 40, "pit"), "tsc 1099511627776 khz");
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup(f, setup)
    const struct CMUnitTest tests[] = {
        T(test_pvclock_rates),
        T(test_pvclock_refused),
        T(test_pvclock_edges),
        T(test_crystal),
        T(test_crystal_refused),
        T(test_check),
#undef T
    };

    return cmocka_run_group_tests_name("tscrate", tests, NULL, NULL);
}
