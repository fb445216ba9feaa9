// Freestanding string and memory helpers (32-bit flat).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
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
    asm volatile("rep movsl\n\tmovl %3, %%ecx\n\trep movsb"
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
    asm volatile("rep stosl\n\tmovl %2, %%ecx\n\trep stosb"
                 : "+D"(d), "+c"(n) : "r"(tail), "a"(0x01010101u * (u8)c)
                 : "memory");
    return dst;
}

int
memcmp(const void *a, const void *b, size_t n)
{
    const u8 *x = a, *y = b;
    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x < *y ? -1 : 1;
    return 0;
}

size_t
strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

size_t
strnlen(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n])
        n++;
    return n;
}

int
strncmp(const char *a, const char *b, size_t n)
{
    for (; n; n--, a++, b++) {
        if (*a != *b)
            return (u8)*a < (u8)*b ? -1 : 1;
        if (!*a)
            break;
    }
    return 0;
}

int
strcmp(const char *a, const char *b)
{
    for (; *a == *b; a++, b++)
        if (!*a)
            return 0;
    return (u8)*a < (u8)*b ? -1 : 1;
}

char *
strchr(const char *s, int c)
{
    for (;; s++) {
        if (*s == (char)c)
            return (char *)s;
        if (!*s)
            return NULL;
    }
}
