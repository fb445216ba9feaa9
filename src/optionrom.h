// Option ROMs from fw_cfg: load, check, initialise, boot (32-bit flat).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#ifndef OPTIONROM_H
#define OPTIONROM_H

#include "types.h" // u32

#define OPTIONROM_AREA_START 0xc0000
#define OPTIONROM_AREA_END   0xe0000 // the BIOS image starts here

// Copy the fw_cfg file (e.g. "genroms/multiboot_dma.bin") into the option
// ROM area, run its init entry, and boot its BEV. Returns when the ROM is
// unusable or its BEV returned.
void optionrom_boot_fw_cfg(const char *file);

#endif // OPTIONROM_H
