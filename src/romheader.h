// Option ROM header check (32-bit flat; also host-compiled for tests).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#ifndef ROMHEADER_H
#define ROMHEADER_H

#include "types.h" // u32

// Checks the ROM image rom[0..len-1] (name is for the log): the 0xaa55
// signature, a size (512-byte units) that is not 0 and fits in len, a
// zero byte sum over that size, and if there is a PnP expansion header,
// its "$PnP" signature and place inside the ROM and a BEV inside the ROM.
// Returns the BEV offset (0 when there is no PnP header), or -1 after
// one log line naming what was wrong.
int optionrom_check(const u8 *rom, u32 len, const char *name);

#endif // ROMHEADER_H
