// Unit tests for src/checksum.c (host-compiled only): checksum() must
// equal a plain byte-by-byte sum for every length, start alignment and
// content.
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#include <setjmp.h> // jmp_buf, for cmocka
#include <stdarg.h> // va_list, for cmocka
#include <stddef.h> // size_t, for cmocka
#include <stdint.h> // uintmax_t, for cmocka
#include <stdlib.h> // malloc, free
#include <cmocka.h> // cmocka_unit_test

#include "checksum.h" // checksum
#include "testbytes.h" // sum8

// Longer than several chunks of CHECKSUM_CHUNK_WORDS words, so folds
// between chunks are covered too.
#define LONG (5 * CHECKSUM_CHUNK_WORDS * 4 + 37)

static u32 Seed;

static u8
next_byte(void)
{
    Seed = Seed * 1103515245 + 12345;
    return Seed >> 16;
}

// Bytes from `kind`: 0 random, 1 all 0xff (every lane at its largest),
// 2 all 0x01, 3 only odd bytes set, 4 only even bytes set (the two
// accumulators apart).
static void
fill(u8 *buf, u32 len, int kind)
{
    for (u32 i = 0; i < len; i++) {
        switch (kind) {
        case 0: buf[i] = next_byte(); break;
        case 1: buf[i] = 0xff; break;
        case 2: buf[i] = 1; break;
        case 3: buf[i] = i & 1 ? 0xff : 0; break;
        default: buf[i] = i & 1 ? 0 : 0xff; break;
        }
    }
}

// One buffer of exactly start + len bytes (so ASan sees any overread),
// summed from offset start, against the bytewise reference.
static void
check_one(u32 start, u32 len, int kind)
{
    u8 *buf = malloc(start + len ? start + len : 1);

    assert_non_null(buf);
    fill(buf, start + len, kind);
    assert_int_equal(checksum(buf + start, len), sum8(buf + start, len));
    free(buf);
}

// Every length 0..300 at every start offset 0..7.
static void
test_short_all_alignments(void **state)
{
    (void)state;
    Seed = 1;
    for (int kind = 0; kind < 5; kind++)
        for (u32 start = 0; start < 8; start++)
            for (u32 len = 0; len <= 300; len++)
                check_one(start, len, kind);
}

// Long runs across chunk folds, every start offset, every length near a
// chunk boundary, and the 0xff worst case for the lane limit.
static void
test_long_buffers(void **state)
{
    static const u32 lens[] = {
        CHECKSUM_CHUNK_WORDS * 4 - 1, CHECKSUM_CHUNK_WORDS * 4,
        CHECKSUM_CHUNK_WORDS * 4 + 1, CHECKSUM_CHUNK_WORDS * 4 + 4,
        CHECKSUM_CHUNK_WORDS * 4 + 35, 2 * CHECKSUM_CHUNK_WORDS * 4,
        2 * CHECKSUM_CHUNK_WORDS * 4 + 3, LONG - 8, LONG,
    };
    (void)state;
    Seed = 2;
    for (int kind = 0; kind < 5; kind++)
        for (u32 start = 0; start < 8; start++)
            for (u32 i = 0; i < sizeof(lens) / sizeof(lens[0]); i++)
                check_one(start, lens[i], kind);
}

// Random lengths and contents up to 64 KiB.
static void
test_random_buffers(void **state)
{
    (void)state;
    Seed = 3;
    for (int round = 0; round < 200; round++) {
        u32 len = (next_byte() << 8 | next_byte()) % 65536;
        u32 start = next_byte() & 7;
        u8 *buf = malloc(start + len + 1);

        assert_non_null(buf);
        fill(buf, start + len, round % 8 ? 0 : 1);
        assert_int_equal(checksum(buf + start, len),
                         sum8(buf + start, len));
        free(buf);
    }
}

// A table made valid with -checksum() sums to 0.
static void
test_fix_up(void **state)
{
    u8 table[36];
    (void)state;
    Seed = 4;
    fill(table, sizeof(table), 0);
    table[9] = 0;
    table[9] = -checksum(table, sizeof(table));
    assert_int_equal(checksum(table, sizeof(table)), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_short_all_alignments),
        cmocka_unit_test(test_long_buffers),
        cmocka_unit_test(test_random_buffers),
        cmocka_unit_test(test_fix_up),
    };

    return cmocka_run_group_tests_name("checksum", tests, NULL, NULL);
}
