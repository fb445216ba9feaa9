// Byte order conversion (every mode; host tests too).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#ifndef BYTEORDER_H
#define BYTEORDER_H

#include "types.h" // u32

static inline u32
cpu_to_be32(u32 x)
{
    return __builtin_bswap32(x);
}

static inline u32
be32_to_cpu(u32 x)
{
    return __builtin_bswap32(x);
}

static inline u16
be16_to_cpu(u16 x)
{
    return __builtin_bswap16(x);
}

static inline u64
cpu_to_be64(u64 x)
{
    return __builtin_bswap64(x);
}

#endif // BYTEORDER_H
