// Unit tests for src/string.c (host-compiled only). The firmware's
// versions replace the C library's, so this file includes them under
// other names instead of linking them, and compares them with libc's.
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#include <setjmp.h> // jmp_buf, for cmocka
#include <stdarg.h> // va_list, for cmocka
#include <stddef.h> // size_t, for cmocka
#include <stdint.h> // uintmax_t, for cmocka
#include <string.h> // the reference versions
#include <cmocka.h> // cmocka_unit_test

#define memcpy reef_memcpy
#define memmove reef_memmove
#define memset reef_memset
#define memset_l reef_memset_l
#define memcmp reef_memcmp
#define strlen reef_strlen
#define strnlen reef_strnlen
#include "string.c"
#undef memcpy
#undef memmove
#undef memset
#undef memset_l
#undef memcmp
#undef strlen
#undef strnlen

#define BUF 96

static int
sign(int v)
{
    return (v > 0) - (v < 0);
}

// Every length 0..BUF-1 from every start alignment, with bytes around
// the range that must stay untouched.
static void
test_memcpy_memset(void **state)
{
    static unsigned char src[BUF + 8], dst[BUF + 8], want[BUF + 8];
    (void)state;
    for (int i = 0; i < BUF + 8; i++)
        src[i] = i * 7 + 1;
    for (int off = 0; off < 4; off++)
        for (int len = 0; len < BUF; len++) {
            memset(dst, 0xee, sizeof(dst));
            memcpy(want, dst, sizeof(dst));
            memcpy(want + off, src + 3, len);
            assert_ptr_equal(reef_memcpy(dst + off, src + 3, len),
                             dst + off);
            assert_memory_equal(dst, want, sizeof(dst));
            memset(want + off, 0x5a, len);
            assert_ptr_equal(reef_memset(dst + off, 0x15a, len), dst + off);
            assert_memory_equal(dst, want, sizeof(dst));
        }
}

static void
test_memset_l(void **state)
{
    static uint32_t buf[BUF + 2];
    (void)state;
    for (int len = 0; len < BUF; len++) {
        for (int i = 0; i < BUF + 2; i++)
            buf[i] = 0xeeeeeeee;
        reef_memset_l(buf + 1, 0x12345678, len);
        assert_int_equal(buf[0], 0xeeeeeeee);
        for (int i = 0; i < len; i++)
            assert_int_equal(buf[1 + i], 0x12345678);
        assert_int_equal(buf[1 + len], 0xeeeeeeee);
    }
}

// Every length, both alignments and every position of a first difference
// (either sign) against libc's.
static void
test_memcmp(void **state)
{
    static unsigned char a[BUF + 8], b[BUF + 8];
    (void)state;
    for (int offa = 0; offa < 4; offa++)
        for (int offb = 0; offb < 4; offb++)
            for (int len = 0; len < 24; len++)
                for (int diff = -1; diff < len; diff++)
                    for (int up = 0; up < 2; up++) {
                        for (int i = 0; i < BUF + 8; i++)
                            a[i] = b[i] = i * 13 + 5;
                        memmove(b + offb, a + offa, len);
                        if (diff >= 0)
                            b[offb + diff] += up ? 1 : -1;
                        assert_int_equal(
                            sign(reef_memcmp(a + offa, b + offb, len)),
                            sign(memcmp(a + offa, b + offb, len)));
                    }
}

static void
test_strnlen(void **state)
{
    static char buf[BUF + 8];
    (void)state;
    for (int off = 0; off < 4; off++)
        for (int len = 0; len < BUF - 8; len++) {
            memset(buf, 'a', sizeof(buf));
            buf[off + len] = 0;
            for (int max = 0; max < BUF - off; max += max < 12 ? 1 : 7)
                assert_int_equal(reef_strnlen(buf + off, max),
                                 strnlen(buf + off, max));
        }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memcpy_memset),
        cmocka_unit_test(test_memset_l),
        cmocka_unit_test(test_memcmp),
        cmocka_unit_test(test_strnlen),
    };
    return cmocka_run_group_tests_name("string", tests, NULL, NULL);
}
