// Little-endian fields and byte sums for the host tests and fuzzers,
// written independently of the firmware code they check (host-compiled
// only).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#ifndef TESTBYTES_H
#define TESTBYTES_H

#include "types.h" // u8, u32, u64

// The bytes-long little-endian value at p.
static inline u64
get_le(const u8 *p, int bytes)
{
    u64 v = 0;

    while (bytes--)
        v = (v << 8) | p[bytes];
    return v;
}

// Stores the low `bytes` bytes of v at p, little-endian.
static inline void
put_le(u8 *p, u64 v, int bytes)
{
    for (int i = 0; i < bytes; i++, v >>= 8)
        p[i] = v;
}

// The byte sum modulo 256, one byte at a time.
static inline u8
sum8(const u8 *p, u32 len)
{
    u8 s = 0;

    while (len--)
        s += *p++;
    return s;
}

#endif // TESTBYTES_H
