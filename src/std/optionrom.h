// Option ROM and PnP expansion header layouts.
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// PCI Firmware Specification 3.0, 5.1 (ROM header); Plug and Play BIOS
// Specification 1.0A, 3.2 (expansion header, BEV).
#ifndef STD_OPTIONROM_H
#define STD_OPTIONROM_H

#include "types.h" // u16

#define OPTIONROM_SIGNATURE 0xaa55
#define PNP_SIGNATURE 0x506e5024 // "$PnP"

struct optionrom_header {
    u16 signature;          // 00 0xaa55
    u8 size;                // 02 in 512-byte units
    u8 init[3];             // 03 entry point (far call to seg:0003)
    u8 reserved[0x12];      // 06
    u16 pci_offset;         // 18 PCI data structure
    u16 pnp_offset;         // 1a PnP expansion header
} PACKED;
_Static_assert(sizeof(struct optionrom_header) == 0x1c, "rom header");

struct pnp_header {
    u32 signature;          // 00 "$PnP"
    u8 revision;            // 04
    u8 length;              // 05 in 16-byte units
    u16 next;               // 06
    u8 reserved;            // 08
    u8 checksum;            // 09 header sums to 0
    u32 device_id;          // 0a
    u16 manufacturer;       // 0e
    u16 product;            // 10
    u8 device_type[3];      // 12
    u8 device_indicators;   // 15
    u16 bcv;                // 16 boot connection vector
    u16 dv;                 // 18 disconnect vector
    u16 bev;                // 1a bootstrap entry vector
    u16 reserved2;          // 1c
    u16 static_info;        // 1e
} PACKED;
_Static_assert(sizeof(struct pnp_header) == 0x20, "pnp header");
_Static_assert(offsetof(struct pnp_header, bev) == 0x1a, "pnp bev");

#endif // STD_OPTIONROM_H
