// Freestanding string and memory helpers (32-bit flat).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#define STRING_NO_BUILTINS // this file defines them
#include "string.h" // memcpy

void *
memcpy(void *dst, const void *src, size_t n)
{
    // Dwords, then the 0-3 bytes left: a quarter of the iterations where
    // string instructions are emulated one step at a time (TCG, and
    // hypervisors without real-mode and unpaged hardware support).
    void *d = dst;
    size_t tail = n & 3;
    n >>= 2;
    asm volatile("rep movsl\n\tmovl %k3, %%ecx\n\trep movsb"
                 : "+D"(d), "+S"(src), "+c"(n) : "r"(tail) : "memory");
    return dst;
}

void *
memmove(void *dst, const void *src, size_t n)
{
    if ((uintptr_t)dst <= (uintptr_t)src || (uintptr_t)dst >= (uintptr_t)src + n)
        return memcpy(dst, src, n);
    u8 *d = dst;
    const u8 *s = src;
    while (n--)
        d[n] = s[n];
    return dst;
}

void *
memset(void *dst, int c, size_t n)
{
    void *d = dst;
    size_t tail = n & 3;
    n >>= 2;
    asm volatile("rep stosl\n\tmovl %k2, %%ecx\n\trep stosb"
                 : "+D"(d), "+c"(n) : "r"(tail), "a"(0x01010101u * (u8)c)
                 : "memory");
    return dst;
}

void
memset_l(void *dst, u32 v, size_t count)
{
    asm volatile("rep stosl" : "+D"(dst), "+c"(count) : "a"(v) : "memory");
}


size_t
strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

// Word-at-a-time helpers: 4 characters per step where firmware code is
// emulated one instruction at a time. No paging, so reading the rest of
// an aligned word past a NUL cannot fault.
typedef u32 __attribute__((may_alias, aligned(1))) word_t;
#define ONES 0x01010101u
#define HIGHS 0x80808080u
// Non-zero when some byte of w is 0.
#define HAS_ZERO(w) (((w) - ONES) & ~(w) & HIGHS)

int
memcmp(const void *a, const void *b, size_t n)
{
    const u8 *x = a, *y = b;
    // Equal dwords are skipped four bytes at a time (signatures, paths);
    // the first difference is then found bytewise.
    for (; n >= 4 && *(const word_t *)x == *(const word_t *)y; n -= 4)
        x += 4, y += 4;
    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x < *y ? -1 : 1;
    return 0;
}

size_t
strnlen(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && ((uintptr_t)(s + n) & 3))
        if (!s[n++])
            return n - 1;
    while (max - n >= 4 && !HAS_ZERO(*(const word_t *)(s + n)))
        n += 4;
    while (n < max && s[n])
        n++;
    return n;
}
