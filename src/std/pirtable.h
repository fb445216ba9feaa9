// PCI IRQ routing table ($PIR), as the spec lays it out (every mode; host
// tests too).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Microsoft "PCI IRQ Routing Table Specification" 1.0, section 2 "Table
// Format": a 32-byte header, then one 16-byte entry per slot or embedded
// device. Multi-byte fields are little-endian. The table sits on a 16-byte
// boundary in 0xf0000-0xfffff, where the OS finds it by its signature;
// the checksum makes the whole table (table_size bytes) sum to zero.
#ifndef STD_PIRTABLE_H
#define STD_PIRTABLE_H

#include "types.h" // u8, PACKED

#define PIR_SIGNATURE "$PIR"
#define PIR_VERSION_1_0 0x0100

// The header. The compatible router is vendor ID | device ID << 16 of a
// router the OS knows how to program, 0 if none; exclusive_irqs has bit n
// set when IRQ n is devoted to PCI.
struct pir_header {
    char signature[4];          // 0x00 "$PIR"
    u16 version;                // 0x04 0x0100: 1.0
    u16 table_size;             // 0x06 header + entries, bytes
    u8 router_bus;              // 0x08 the interrupt router's bus
    u8 router_devfn;            // 0x09 device << 3 | function
    u16 exclusive_irqs;         // 0x0a
    u32 compatible_router;      // 0x0c
    u32 miniport_data;          // 0x10 0
    u8 reserved[11];            // 0x14 0
    u8 checksum;                // 0x1f
} PACKED;                       // 0x20

_Static_assert(offsetof(struct pir_header, signature) == 0x00,
               "$PIR signature");
_Static_assert(offsetof(struct pir_header, version) == 0x04,
               "$PIR version");
_Static_assert(offsetof(struct pir_header, table_size) == 0x06,
               "$PIR table size");
_Static_assert(offsetof(struct pir_header, router_bus) == 0x08,
               "$PIR router bus");
_Static_assert(offsetof(struct pir_header, router_devfn) == 0x09,
               "$PIR router device/function");
_Static_assert(offsetof(struct pir_header, exclusive_irqs) == 0x0a,
               "$PIR exclusive irqs");
_Static_assert(offsetof(struct pir_header, compatible_router) == 0x0c,
               "$PIR compatible router");
_Static_assert(offsetof(struct pir_header, miniport_data) == 0x10,
               "$PIR miniport data");
_Static_assert(offsetof(struct pir_header, reserved) == 0x14,
               "$PIR reserved");
_Static_assert(offsetof(struct pir_header, checksum) == 0x1f,
               "$PIR checksum");
_Static_assert(sizeof(struct pir_header) == 0x20, "$PIR header size");

// One INTx# line of a slot: the link value (chipset specific; for PIIX
// and ICH the PIRQ routing register's config offset, 0 = not connected)
// and the IRQs that link may be routed to (bit n: IRQ n).
struct pir_pin {
    u8 link;                    // 0x00
    u16 irq_bitmap;             // 0x01
} PACKED;                       // 0x03

_Static_assert(offsetof(struct pir_pin, link) == 0x00, "$PIR pin link");
_Static_assert(offsetof(struct pir_pin, irq_bitmap) == 0x01,
               "$PIR pin irq bitmap");
_Static_assert(sizeof(struct pir_pin) == 0x03, "$PIR pin size");

// A slot or embedded device (slot 0); pins[0] is INTA#.
struct pir_entry {
    u8 bus;                     // 0x00
    u8 devfn;                   // 0x01 device << 3, function bits 0
    struct pir_pin pins[4];     // 0x02 INTA#, 0x05 B, 0x08 C, 0x0b D
    u8 slot;                    // 0x0e 0: embedded
    u8 reserved;                // 0x0f
} PACKED;                       // 0x10

_Static_assert(offsetof(struct pir_entry, bus) == 0x00, "$PIR entry bus");
_Static_assert(offsetof(struct pir_entry, devfn) == 0x01,
               "$PIR entry device");
_Static_assert(offsetof(struct pir_entry, pins[0]) == 0x02,
               "$PIR entry INTA#");
_Static_assert(offsetof(struct pir_entry, pins[1]) == 0x05,
               "$PIR entry INTB#");
_Static_assert(offsetof(struct pir_entry, pins[2]) == 0x08,
               "$PIR entry INTC#");
_Static_assert(offsetof(struct pir_entry, pins[3]) == 0x0b,
               "$PIR entry INTD#");
_Static_assert(offsetof(struct pir_entry, slot) == 0x0e,
               "$PIR entry slot number");
_Static_assert(offsetof(struct pir_entry, reserved) == 0x0f,
               "$PIR entry reserved");
_Static_assert(sizeof(struct pir_entry) == 0x10, "$PIR entry size");

#endif // STD_PIRTABLE_H
