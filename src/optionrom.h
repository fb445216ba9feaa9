// Option ROMs from fw_cfg: load, check, initialise, boot (32-bit flat).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#ifndef OPTIONROM_H
#define OPTIONROM_H

#include "types.h" // u32

#define OPTIONROM_AREA_START 0xc0000
#define OPTIONROM_AREA_END   0xe0000 // the BIOS image starts here

// Check a ROM image: signature, size against len, checksum, PnP header.
// Returns the BEV offset (0 when there is none), or -1 after a log line.
int optionrom_check(const u8 *rom, u32 len, const char *name);
// Copy the fw_cfg file (e.g. "genroms/multiboot_dma.bin") into the option
// ROM area, run its init entry, and boot its BEV. Returns when the ROM is
// unusable or its BEV returned.
void optionrom_boot_fw_cfg(const char *file);

#endif // OPTIONROM_H
