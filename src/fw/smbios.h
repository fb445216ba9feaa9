// SMBIOS tables from QEMU: checks and installation (32-bit flat; pure
// parts also host-compiled for tests).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// QEMU (hw/smbios/smbios.c) builds the whole structure table and offers it
// as the fw_cfg file "etc/smbios/smbios-tables", with an entry point in
// "etc/smbios/smbios-anchor": the 31-byte "_SM_" one (SMBIOS 2.x,
// -machine smbios-entry-point-type=32) or the 24-byte "_SM3_" one (3.x,
// =64). It fills in every field but the table address and the checksums,
// which firmware writes once it has placed the table (and may correct the
// _SM_ maximum structure size). Layouts: src/std/smbios.h.
#ifndef FW_SMBIOS_H
#define FW_SMBIOS_H

#include "types.h" // u32

#define SMBIOS_ANCHOR_FILE "etc/smbios/smbios-anchor"
#define SMBIOS_TABLES_FILE "etc/smbios/smbios-tables"
#define SMBIOS_ANCHOR_MAX 32 // bytes; both entry points are smaller

// Entry point kinds, as smbios_check_anchor() and smbios_fix_anchor()
// return them.
#define SMBIOS_EP_21 2 // "_SM_", 32-bit table address, tables <= 64 KiB
#define SMBIOS_EP_30 3 // "_SM3_", 64-bit table address

// Walks the structure table buf[0..len-1] (DSP0134 6.1): each structure
// is a 4-byte header {type, length, handle}, a formatted area of `length`
// (>= 4) bytes, then strings up to the first double NUL; the table must
// end exactly after its end-of-table structure (type 127). On success
// returns 0 and stores the number of structures (end-of-table included)
// in *count and the size of the largest one, strings included, in
// *max_struct (either pointer may be NULL). Otherwise logs the first
// problem in one LOG_WARN line (structure index, offset, type, length)
// and returns -1. buf may be NULL when len is 0.
int smbios_check_tables(const u8 *buf, u32 len, u32 *count,
                        u32 *max_struct);

// Checks what can be checked of an entry point before the table is read:
// the anchor string(s), anchor_len against the length field and the
// format, the version (_SM_: 2.1 or later; _SM3_: 3.0 or later) and the
// table size (_SM_: table length field == tables_len <= 0xffff; _SM3_:
// maximum size field >= tables_len). Returns SMBIOS_EP_21 or SMBIOS_EP_30,
// or logs one LOG_WARN line and returns -1.
int smbios_check_anchor(const u8 *anchor, u32 anchor_len, u32 tables_len);

// smbios_check_anchor(), then for _SM_ also checks that the number of
// structures field equals count and that tables_addr is below 4 GiB.
// On success writes tables_addr into the table address field (and, for
// _SM_, max_struct into the maximum structure size field), recomputes the
// checksums (_SM_: the intermediate one over 0x10..0x1e, then the whole
// entry point's) and returns the kind. On failure logs one LOG_WARN line,
// returns -1 and leaves anchor unchanged.
int smbios_fix_anchor(u8 *anchor, u32 anchor_len, u32 tables_len,
                      u64 tables_addr, u32 count, u32 max_struct);

// Installs QEMU's tables: reads the anchor, the tables into ZONE_HIGH
// (16-byte aligned), checks both, and places the fixed-up entry point in
// ZONE_FSEG (16-byte aligned, where the OS scans for it). Logs
// "smbios: no tables from qemu" at LOG_INFO when QEMU offers neither
// file. When QEMU's tables have no type 0 (BIOS information), one of ours
// goes in front (if a handle is free and a 2.1 table stays within 64
// KiB; else one LOG_WARN line and QEMU's tables as given). Any other
// failure costs one LOG_WARN line and installs no entry point. Call
// before the F-segment is made read-only.
void smbios_setup(void);

#endif // FW_SMBIOS_H
