// The machine's memory map as the BIOS reports it (32-bit flat).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#ifndef MEMMAP_H
#define MEMMAP_H

#include "e820map.h" // struct e820_map

// QEMU's ACPI tables alone take 128 KiB (more with many CPUs); QEMU
// keeps only 160 KiB below the top of low RAM free of its initrd, so the
// kernel loader checks (and if need be moves) the initrd.
#define HIGH_ZONE_SIZE  (256 * 1024)
#define FLASH_BASE      0xfffc0000 // the 256 KiB image, as QEMU maps it

// Build e820 from fw_cfg etc/e820 (or CMOS), add our reservations, carve
// ZONE_HIGH from the top of low RAM.
void memmap_setup(void);
// Return the unused part of ZONE_HIGH to the OS before boot.
void memmap_prepboot(void);
extern struct e820_map MemMap;
// End of the RAM QEMU gives below 4 GiB, before the BIOS reserved any
// of it (memory types follow this, not e820).
u32 memmap_lowram_end(void);
// Top of RAM below 4 GiB (end of the block containing 1 MiB).
u32 memmap_lowram_top(void);
// True when [start, start + size) is entirely e820 RAM.
bool memmap_is_ram(u64 start, u64 size);

#endif // MEMMAP_H
