// PCI IRQ routing table ($PIR) builder (32-bit flat; also host-compiled
// for tests).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Builds the $PIR table (layout: src/std/pirtable.h) from the chipset's
// PIRQ wiring, which the caller knows: the interrupt router (PIIX's or
// ICH9's LPC function) and, per slot or embedded device, which PIRQ link
// drives each of INTA#..INTD#. It touches only the buffer it is given; the
// caller places the result on a 16-byte boundary in the F-segment
// (ZONE_FSEG), where the OS scans for it.
//
// The table is version 1.0 with the router's bus and devfn, the router's
// own vendor/device as the compatible router, the exclusive IRQs, no
// miniport data, and one 16-byte entry per slot in input order: devfn =
// dev << 3, for each pin its link and irq_bitmap (both 0 when the link is
// 0, not connected), the slot number. The checksum byte makes the whole
// table sum to zero.
//
// pirtable_check() and pirtable_build() refuse, with one LOG_WARN line
// "pirtable: ..." naming the reason and the values and without writing
// anything, when slot_count is negative or too big for the 16-bit size
// field (over PIRTABLE_MAX_SLOTS), slots is NULL while slot_count is not
// 0, a slot's dev is above 31, or (pirtable_build() only) len is below
// pirtable_size().
#ifndef FW_PIRTABLE_H
#define FW_PIRTABLE_H

#include "types.h" // u8

#define PIRTABLE_MAX_SLOTS 4093 // (0xffff - 32 header bytes) / 16

struct pir_slot {
    u8 bus;
    u8 dev;                     // 0..31
    u8 slot_number;             // 0: embedded device
    u8 link[4];                 // PIRQ link per INTA#..INTD#, 0: none
};

struct pir_input {
    u8 router_bus, router_devfn;
    u16 router_vendor, router_device;
    u16 irq_bitmap;             // IRQs the links may be routed to
    u16 exclusive_irqs;         // IRQs devoted to PCI
    const struct pir_slot *slots;
    int slot_count;
};

// Bytes pirtable_build() writes for `in`: 32 + 16 per slot. Pure
// arithmetic (no checks, no log); finite but meaningless for an input
// pirtable_check() refuses.
u32 pirtable_size(const struct pir_input *in);

// Checks `in` (see above, all but len). Returns the table's size
// (pirtable_size(in)), or 0 after one LOG_WARN line when refused. Lets a
// caller refuse before it allocates, then write once with
// pirtable_write().
u32 pirtable_check(const struct pir_input *in);

// Writes the table at buf. Checks nothing: `in` must be one
// pirtable_check() accepted and buf must have room for the size it
// returned.
void pirtable_write(void *buf, const struct pir_input *in);

// pirtable_check(), the room check, then pirtable_write(). Returns the
// table's size, or 0 after one LOG_WARN line when refused (see above);
// nothing is written then, and never anything past len.
int pirtable_build(void *buf, u32 len, const struct pir_input *in);

#endif // FW_PIRTABLE_H
