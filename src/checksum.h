// 8-bit byte sums, the checksum of most PC firmware tables (32-bit flat;
// host tests too).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#ifndef CHECKSUM_H
#define CHECKSUM_H

#include "types.h" // u8

// Words summed between two folds: each 16-bit lane of `even` below gains
// at most 255 per word, and 256 * 255 < 65536.
#define CHECKSUM_CHUNK_WORDS 256

// The sum of len bytes at buf, modulo 256: 0 for a valid table. One copy
// for every caller (src/checksum.c): TCG translates each copy anew.
u8 checksum(const void *buf, u32 len);

#endif // CHECKSUM_H
