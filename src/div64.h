// 64-by-32-bit division without libgcc (32-bit flat; host tests too).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#ifndef DIV64_H
#define DIV64_H

#include "types.h" // u64

// Returns n / d and stores n % d in *rem (rem may be NULL). d != 0.
static inline u64
div64_u32(u64 n, u32 d, u32 *rem)
{
    u32 hi = n >> 32, lo = (u32)n;
    u32 qhi = hi / d, r = hi % d, qlo;
#if defined(__i386__)
    asm("divl %4" : "=a"(qlo), "=d"(r) : "a"(lo), "d"(r), "rm"(d));
#else
    u64 low = ((u64)r << 32) | lo;
    qlo = (u32)(low / d);
    r = (u32)(low % d);
#endif
    if (rem)
        *rem = r;
    return ((u64)qhi << 32) | qlo;
}

#endif // DIV64_H
