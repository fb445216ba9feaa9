// 8-bit byte sums, the checksum of most PC firmware tables (every mode;
// host tests too).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#ifndef CHECKSUM_H
#define CHECKSUM_H

#include "types.h" // u8

// The sum of len bytes at buf, modulo 256: 0 for a valid table.
static inline u8
checksum(const void *buf, u32 len)
{
    const u8 *p = buf;
    u8 sum = 0;
    while (len--)
        sum += *p++;
    return sum;
}

#endif // CHECKSUM_H
