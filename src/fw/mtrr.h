// Memory type range registers (32-bit flat; the range split is also
// host-compiled for tests).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Intel SDM volume 3A, 12.11 (MTRRs: 12.11.2.2 fixed ranges, 12.11.2.3
// variable ranges, 12.11.2.1 IA32_MTRR_DEF_TYPE).
#ifndef FW_MTRR_H
#define FW_MTRR_H

#define MSR_MTRR_CAP        0x0fe
#define  MTRR_CAP_VCNT      0xff
#define  MTRR_CAP_FIX       0x100
#define MSR_MTRR_PHYSBASE(n) (0x200 + 2 * (n))
#define MSR_MTRR_PHYSMASK(n) (0x201 + 2 * (n))
#define  MTRR_PHYSMASK_VALID 0x800
#define MSR_MTRR_FIX64K_00000 0x250
#define MSR_MTRR_FIX16K_80000 0x258
#define MSR_MTRR_FIX16K_A0000 0x259
#define MSR_MTRR_FIX4K_C0000  0x268 // 8 MSRs, to 0x26f
#define MSR_MTRR_DEF_TYPE   0x2ff
#define  MTRR_DEF_ENABLE    0x800
#define  MTRR_DEF_FIXED_ENABLE 0x400
#define MTRR_TYPE_UC        0x00
#define MTRR_TYPE_WB        0x06
#define MTRR_FIXED_BYTES(type) (0x0101010101010101ULL * (type))

#ifndef __ASSEMBLY__
#include "types.h" // u64

struct mtrr_range {
    u64 base, size; // size a power of two, base aligned to it
};

// Split [start, end) into the fewest naturally aligned power-of-two
// blocks; returns how many there are, storing at most max of them.
int mtrr_split(u64 start, u64 end, struct mtrr_range *out, int max);
// The blocks of [low, 4 GiB), as mtrr_split() gives them; stores all of
// them (at most MTRR_HOLE_MAX) and returns how many there are.
#define MTRR_HOLE_MAX 32
int mtrr_split_hole(u32 low, struct mtrr_range *out);
// Blocks as above covering [start, e) for the smallest e >= end (up to
// limit) that needs at most max of them; -1 if there is none.
int mtrr_cover(u64 start, u64 end, u64 limit, struct mtrr_range *out,
               int max);
// Program the BSP and queue the same MSRs for every AP (smp.c): RAM
// write-back, the PCI hole below 4 GiB, the 64-bit PCI window and VGA
// memory uncached.
void mtrr_setup(void);
#endif
#endif // FW_MTRR_H
