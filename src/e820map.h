// E820 memory map builder (32-bit flat; also host-compiled for tests).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// The map is an array of entries that the caller owns, kept sorted by start
// address, with no two entries overlapping and no two touching entries of
// the same type (those are merged). Every function keeps that so, and a
// call that fails leaves the map as it was.
#ifndef E820MAP_H
#define E820MAP_H

#include "types.h" // u64, PACKED

// Range types, as int 15h E820 and the ACPI spec number them.
#define E820_RAM       1
#define E820_RESERVED  2
#define E820_ACPI      3 // ACPI tables, reclaimable after the OS read them
#define E820_NVS       4 // ACPI non-volatile storage
#define E820_UNUSABLE  5

// One range, 20 bytes as int 15h E820 returns it (without the ACPI 3.0
// extended attributes dword).
struct e820_entry {
    u64 start;
    u64 size;
    u32 type;
} PACKED;

struct e820_map {
    struct e820_entry *entries; // caller's storage, `max` entries
    int count;
    int max;
};

// Empties the map; it will use storage[0..max-1] (max < 0 counts as 0).
void e820map_init(struct e820_map *m, struct e820_entry *storage, int max);

// Sets [start, start+size) to `type`: the parts of existing entries that
// overlap the range are replaced (so a later add wins), touching entries of
// the same type merge. size 0 does nothing and returns 0. A range that runs
// past 2^64 - 1, and type 0, are refused with a log line. Returns 0, or -1
// (logged, map unchanged) if the table has no room for the result.
int e820map_add(struct e820_map *m, u64 start, u64 size, u32 type);

// Makes [start, start+size) absent from the map (a hole), cutting entries
// as needed. Same return values and refusals as e820map_add; only cutting
// a hole inside one entry needs a free slot.
int e820map_remove(struct e820_map *m, u64 start, u64 size);

// Sets or removes a list of ranges in one call, in list order: an entry
// of type 1..5 is set as e820map_add() sets it, one of type 0 is made a
// hole as e820map_remove() makes it. Entries of size 0 are skipped;
// those of a type above 5 or that run past 2^64 - 1 are logged and
// skipped. Returns how many entries were applied (an entry whose add or
// remove failed for want of room is logged and not counted).
int e820map_apply_list(struct e820_map *m, const struct e820_entry *list,
                       u32 n);

// Top of low RAM: the end (exclusive) of the RAM entry that holds address
// 0x100000 (1 MiB), but at most `limit`. Returns 0 if no RAM entry holds
// 1 MiB or if limit <= 1 MiB.
u64 e820map_ram_top_below(const struct e820_map *m, u64 limit);

// Sum of the sizes of all E820_RAM entries (saturates at 2^64 - 1).
u64 e820map_ram_total(const struct e820_map *m);

// Applies QEMU's fw_cfg file "etc/e820": an array of 20-byte records
// { le64 address; le64 length; le32 type; }, in file order through
// e820map_add (so later records win). A trailing partial record is logged
// and ignored; records of a type other than 1..5, or running past 2^64 - 1,
// are logged and skipped; zero-length records are skipped. Returns the
// number of records applied (those whose e820map_add returned 0).
int e820map_import_qemu(struct e820_map *m, const void *buf, u32 len);

// Adds the RAM that the CMOS sizes describe, for when fw_cfg has no
// "etc/e820". The caller reads the CMOS and passes:
//   ext_kb_30   bytes 0x30 (low) and 0x31: KiB of RAM above 1 MiB, at most
//               0xffff (QEMU caps it so);
//   ext64k_34   bytes 0x34 (low) and 0x35: 64 KiB units of RAM above
//               16 MiB, below 4 GiB;
//   high64k_5b  bytes 0x5b (low), 0x5c, 0x5d: 64 KiB units of RAM above
//               4 GiB (24 bits; higher bits are logged and dropped).
// It adds RAM [1 MiB, top) where top = 16 MiB + ext64k_34 * 64 KiB if
// ext64k_34 is nonzero, else 1 MiB + ext_kb_30 KiB; top is clamped (with a
// log line) to 4 GiB. It adds RAM [4 GiB, 4 GiB + high64k_5b * 64 KiB) if
// high64k_5b is nonzero. Nothing below 1 MiB: the caller adds the low
// 640 KiB and every reservation (and does so after this call, so that they
// win). Returns 0, or -1 if an add failed for want of room.
int e820map_from_cmos(struct e820_map *m, u16 ext_kb_30, u16 ext64k_34,
                      u32 high64k_5b);

// Logs every entry at LOG_INFO, one line each (start-end type). It loops
// even when no one listens: callers check output_active() first.
void e820map_dump(const struct e820_map *m);

#endif // E820MAP_H
