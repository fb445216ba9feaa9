// Freestanding string and memory helpers (32-bit flat code and host tests).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Host tests compile with -iquote src, so <string.h> there is still libc's;
// these prototypes match libc's so the two agree.
#ifndef STRING_H
#define STRING_H

#include "types.h" // size_t

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
// Fills count 32-bit words at dst with v (one string instruction).
void memset_l(void *dst, u32 v, size_t count);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);

// -ffreestanding turns off the compiler's own expansion of these: ask for
// it where the size is a small constant, which becomes a few moves (no
// call to translate or execute). Larger sizes call the functions above,
// which move dwords; gcc's own expansion would move bytes. string.c,
// which defines them, opts out.
#define STRING_INLINE_MAX 32
#ifndef STRING_NO_BUILTINS
#define memcpy(dst, src, n)                                             \
    (__builtin_constant_p(n) && (n) <= STRING_INLINE_MAX                \
     ? __builtin_memcpy(dst, src, n) : memcpy(dst, src, n))
#define memset(dst, c, n)                                               \
    (__builtin_constant_p(n) && (n) <= STRING_INLINE_MAX                \
     ? __builtin_memset(dst, c, n) : memset(dst, c, n))
#endif

#endif // STRING_H
