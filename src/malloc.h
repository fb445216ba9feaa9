// Allocation zones: temporary POST memory, reserved high memory and the
// F-segment table pool (32-bit flat).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#ifndef MALLOC_H
#define MALLOC_H

#include "types.h" // u32

// ZONE_TMP lives only until the boot target is loaded; ZONE_HIGH is
// e820-reserved below 4 GiB and outlives the boot (tables, runtime state);
// ZONE_FSEG is inside the F-segment (RSDP, SMBIOS entry point, MP, $PIR)
// and becomes read-only at boot.
enum zone_id { ZONE_TMP, ZONE_HIGH, ZONE_FSEG, ZONE_COUNT };

#define ZONE_TMP_START  0x70000
#define ZONE_TMP_END    0x90000

void malloc_preinit(void);
// Give ZONE_HIGH its range; allocations are taken from the top down.
void malloc_setup_high(u32 start, u32 end);
// Returns NULL (after a log line) when the zone is full. align: power of 2.
void *zone_alloc(enum zone_id zone, u32 size, u32 align);
// Lowest address ZONE_HIGH handed out: [used_start, end) stays reserved.
u32 zone_high_used_start(void);
u32 zone_high_end(void);

#endif // MALLOC_H
