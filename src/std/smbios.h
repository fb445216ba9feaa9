// SMBIOS entry points and structure header, as the spec lays them out
// (every mode; host tests too).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// DMTF DSP0134 (System Management BIOS Reference Specification) 3.x:
// section 5.2.1 "SMBIOS 2.1 (32-bit) Entry Point", section 5.2.2
// "SMBIOS 3.0 (64-bit) Entry Point", section 6.1.2 "Structure header
// format" and 6.1.3 "Text strings". Multi-byte fields are little-endian.
// On x86 both entry points sit on a 16-byte boundary in 0xf0000-0xfffff,
// where the OS finds them by their anchor strings.
#ifndef STD_SMBIOS_H
#define STD_SMBIOS_H

#include "types.h" // u8, PACKED

#define SMBIOS_21_ANCHOR "_SM_"
#define SMBIOS_21_ANCHOR_LEN 4
#define SMBIOS_21_DMI_ANCHOR "_DMI_"
#define SMBIOS_21_DMI_ANCHOR_LEN 5
#define SMBIOS_30_ANCHOR "_SM3_"
#define SMBIOS_30_ANCHOR_LEN 5

// DSP0134 5.2.1: the 32-bit entry point. The checksum makes the sum of
// entry_length bytes zero; the intermediate checksum does the same for
// the 15 bytes from dmi_anchor (0x10) through bcd_revision (0x1e).
struct smbios_21_entry {
    char anchor[4];             // 0x00 "_SM_"
    u8 checksum;                // 0x04
    u8 entry_length;            // 0x05 0x1f
    u8 major;                   // 0x06 SMBIOS version of the tables
    u8 minor;                   // 0x07
    u16 max_struct_size;        // 0x08 largest structure, strings included
    u8 ep_revision;             // 0x0a 0: 2.1 layout, formatted area 0
    u8 formatted_area[5];       // 0x0b
    char dmi_anchor[5];         // 0x10 "_DMI_"
    u8 dmi_checksum;            // 0x15
    u16 table_length;           // 0x16 bytes of the structure table
    u32 table_address;          // 0x18 physical address of the table
    u16 num_structs;            // 0x1c structures in the table
    u8 bcd_revision;            // 0x1e e.g. 0x28 for 2.8
} PACKED;                       // 0x1f

_Static_assert(offsetof(struct smbios_21_entry, checksum) == 0x04,
               "_SM_ checksum");
_Static_assert(offsetof(struct smbios_21_entry, entry_length) == 0x05,
               "_SM_ entry length");
_Static_assert(offsetof(struct smbios_21_entry, major) == 0x06,
               "_SM_ major");
_Static_assert(offsetof(struct smbios_21_entry, minor) == 0x07,
               "_SM_ minor");
_Static_assert(offsetof(struct smbios_21_entry, max_struct_size) == 0x08,
               "_SM_ max structure size");
_Static_assert(offsetof(struct smbios_21_entry, ep_revision) == 0x0a,
               "_SM_ entry point revision");
_Static_assert(offsetof(struct smbios_21_entry, formatted_area) == 0x0b,
               "_SM_ formatted area");
_Static_assert(offsetof(struct smbios_21_entry, dmi_anchor) == 0x10,
               "_SM_ intermediate anchor");
_Static_assert(offsetof(struct smbios_21_entry, dmi_checksum) == 0x15,
               "_SM_ intermediate checksum");
_Static_assert(offsetof(struct smbios_21_entry, table_length) == 0x16,
               "_SM_ structure table length");
_Static_assert(offsetof(struct smbios_21_entry, table_address) == 0x18,
               "_SM_ structure table address");
_Static_assert(offsetof(struct smbios_21_entry, num_structs) == 0x1c,
               "_SM_ number of structures");
_Static_assert(offsetof(struct smbios_21_entry, bcd_revision) == 0x1e,
               "_SM_ bcd revision");
_Static_assert(sizeof(struct smbios_21_entry) == 0x1f, "_SM_ size");

#define SMBIOS_21_ENTRY_LEN 0x1f
#define SMBIOS_21_DMI_START 0x10 // intermediate checksum covers 0x10..0x1e
#define SMBIOS_21_DMI_LEN (SMBIOS_21_ENTRY_LEN - SMBIOS_21_DMI_START)
#define SMBIOS_21_TABLE_MAX 0xffff // table_length is 16 bits

// DSP0134 5.2.2: the 64-bit entry point. The checksum makes the sum of
// entry_length bytes zero. The table ends at its end-of-table structure
// (type 127), within table_max_size bytes.
struct smbios_30_entry {
    char anchor[5];             // 0x00 "_SM3_"
    u8 checksum;                // 0x05
    u8 entry_length;            // 0x06 0x18
    u8 major;                   // 0x07 SMBIOS version of the tables
    u8 minor;                   // 0x08
    u8 docrev;                  // 0x09
    u8 ep_revision;             // 0x0a 1: 3.0 layout
    u8 reserved;                // 0x0b 0
    u32 table_max_size;         // 0x0c the table is at most this long
    u64 table_address;          // 0x10 physical address of the table
} PACKED;                       // 0x18

_Static_assert(offsetof(struct smbios_30_entry, checksum) == 0x05,
               "_SM3_ checksum");
_Static_assert(offsetof(struct smbios_30_entry, entry_length) == 0x06,
               "_SM3_ entry length");
_Static_assert(offsetof(struct smbios_30_entry, major) == 0x07,
               "_SM3_ major");
_Static_assert(offsetof(struct smbios_30_entry, minor) == 0x08,
               "_SM3_ minor");
_Static_assert(offsetof(struct smbios_30_entry, docrev) == 0x09,
               "_SM3_ docrev");
_Static_assert(offsetof(struct smbios_30_entry, ep_revision) == 0x0a,
               "_SM3_ entry point revision");
_Static_assert(offsetof(struct smbios_30_entry, reserved) == 0x0b,
               "_SM3_ reserved");
_Static_assert(offsetof(struct smbios_30_entry, table_max_size) == 0x0c,
               "_SM3_ structure table maximum size");
_Static_assert(offsetof(struct smbios_30_entry, table_address) == 0x10,
               "_SM3_ structure table address");
_Static_assert(sizeof(struct smbios_30_entry) == 0x18, "_SM3_ size");

#define SMBIOS_30_ENTRY_LEN 0x18

// DSP0134 6.1.2: every structure starts with this header. length covers
// the formatted area only (the header included, so at least 4); the
// string-set follows it: NUL-terminated strings ended by one more NUL, or
// two NULs when the structure has no strings (6.1.3).
struct smbios_header {
    u8 type;                    // 0x00
    u8 length;                  // 0x01 bytes of the formatted area
    u16 handle;                 // 0x02
} PACKED;                       // 0x04

_Static_assert(offsetof(struct smbios_header, type) == 0x00, "type");
_Static_assert(offsetof(struct smbios_header, length) == 0x01, "length");
_Static_assert(offsetof(struct smbios_header, handle) == 0x02, "handle");
_Static_assert(sizeof(struct smbios_header) == 0x04, "header size");

// Structure types used here (DSP0134 7).
#define SMBIOS_TYPE_BIOS            0
#define SMBIOS_TYPE_SYSTEM          1
#define SMBIOS_TYPE_OEM_STRINGS     11
#define SMBIOS_TYPE_INACTIVE        126
#define SMBIOS_TYPE_END_OF_TABLE    127

#endif // STD_SMBIOS_H
