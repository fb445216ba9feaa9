// 8-bit byte sums, the checksum of most PC firmware tables (every mode;
// host tests too).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#ifndef CHECKSUM_H
#define CHECKSUM_H

#include "types.h" // u8

// A 32-bit load from any address (x86 allows it; the type tells the
// compiler and UBSan so).
typedef u32 __attribute__((may_alias, aligned(1))) checksum_word;

// The sum of len bytes at buf, modulo 256: 0 for a valid table. Eight
// bytes per step (the ACPI loader sums kilobytes, and every instruction
// counts where firmware code is emulated): bytes 0 and 2, and 1 and 3,
// of each word add up in two 16-bit lanes, folded before they can
// overflow (64 steps add at most 64 * 4 * 255 per lane).
static inline u8
checksum(const void *buf, u32 len)
{
    const u8 *p = buf;
    u32 sum = 0;
    while (len >= 8) {
        u32 pairs = len / 8 < 64 ? len / 8 : 64, lanes = 0;
        len -= pairs * 8;
        for (; pairs; pairs--, p += 8) {
            u32 a = *(const checksum_word *)p;
            u32 b = *(const checksum_word *)(p + 4);
            lanes += (a & 0x00ff00ff) + ((a >> 8) & 0x00ff00ff)
                + (b & 0x00ff00ff) + ((b >> 8) & 0x00ff00ff);
        }
        sum += (lanes & 0xffff) + (lanes >> 16);
    }
    while (len--)
        sum += *p++;
    return sum;
}

#endif // CHECKSUM_H
