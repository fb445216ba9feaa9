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

// The sum of len bytes at buf, modulo 256: 0 for a valid table. Four
// bytes per step (the ACPI loader sums kilobytes, and every instruction
// counts where firmware code is emulated): bytes 0 and 2, and 1 and 3,
// of each word add up in two 16-bit lanes, folded before they can
// overflow (128 words add at most 128 * 2 * 255 per lane).
static inline u8
checksum(const void *buf, u32 len)
{
    const u8 *p = buf;
    u32 sum = 0;
    while (len >= 4) {
        u32 words = len / 4 < 128 ? len / 4 : 128, lanes = 0;
        len -= words * 4;
        for (; words; words--, p += 4) {
            u32 w = *(const checksum_word *)p;
            lanes += (w & 0x00ff00ff) + ((w >> 8) & 0x00ff00ff);
        }
        sum += (lanes & 0xffff) + (lanes >> 16);
    }
    while (len--)
        sum += *p++;
    return sum;
}

#endif // CHECKSUM_H
