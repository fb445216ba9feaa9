// 8-bit byte sums (32-bit flat; also host-compiled for tests).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#include "checksum.h" // checksum

// A 32-bit load from any address (x86 allows it; the type tells the
// compiler and UBSan so).
typedef u32 __attribute__((may_alias, aligned(1))) checksum_word;

// Four instructions per 32-bit word (every instruction counts where
// firmware code is emulated, and the ACPI loader sums kilobytes): `all`
// adds whole words, `even` only bytes 0 and 2 of each. Per chunk, with
// B0..B3 the sums of bytes 0..3 of its words (each below 65536):
//   even             = B0 + B2 * 2^16
//   odd = all - even = B1 * 2^8 + B3 * 2^24   (mod 2^32; B1 * 2^8 < 2^24)
// so the low bytes of even, even >> 16, odd >> 8 and odd >> 24 are
// B0..B3 modulo 256, and so is the low byte of their sum. Loads need no
// alignment (x86). No SSE/MMX: the emulating hypervisor lacks them.
u8
checksum(const void *buf, u32 len)
{
    const u8 *p = buf;
    u32 sum = 0, words, all, even, odd, w;

    while (len >= 4) {
        words = len / 4 < CHECKSUM_CHUNK_WORDS ? len / 4
            : CHECKSUM_CHUNK_WORDS;
        len -= words * 4;
        all = even = 0;
        // The odd words first, then eight per pass: little loop
        // overhead, little code to translate.
        for (; words % 8; words--, p += 4) {
            w = *(const checksum_word *)p;
            all += w;
            even += w & 0x00ff00ff;
        }
        for (; words; words -= 8, p += 32) {
#pragma GCC unroll 8
            for (u32 i = 0; i < 32; i += 4) {
                w = *(const checksum_word *)(p + i);
                all += w;
                even += w & 0x00ff00ff;
            }
        }
        odd = all - even;
        sum += even + (even >> 16) + (odd >> 8) + (odd >> 24);
    }
    while (len--)
        sum += *p++;
    return sum;
}
