// MP floating pointer and MP configuration table, as the spec lays them
// out (every mode; host tests too).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Intel MultiProcessor Specification 1.4, chapter 4 "MP Configuration
// Table": 4.1 the floating pointer structure, 4.2 the configuration table
// header, 4.3 the base table entries. Multi-byte fields are little-endian.
// The floating pointer sits on a 16-byte boundary in the first KiB of the
// EBDA, the last KiB of base memory or 0xf0000-0xfffff; the configuration
// table it points to may be anywhere below 4 GiB. Base entries follow the
// header sorted by type; each type has a fixed length.
#ifndef STD_MPTABLE_H
#define STD_MPTABLE_H

#include "types.h" // u8, PACKED

#define MP_FLOAT_SIGNATURE "_MP_"
#define MP_CONFIG_SIGNATURE "PCMP"
#define MP_SPEC_REV_1_4 0x04

// 4.1: the floating pointer. length counts 16-byte paragraphs (1); the
// checksum makes its 16 bytes sum to zero.
struct mp_floating {
    char signature[4];          // 0x00 "_MP_"
    u32 physaddr;               // 0x04 configuration table, 0: none
    u8 length;                  // 0x08 1 (paragraphs)
    u8 spec_rev;                // 0x09 4: version 1.4
    u8 checksum;                // 0x0a
    u8 feature1;                // 0x0b 0: table present, else default
                                //      configuration number
    u8 feature2;                // 0x0c bit 7 IMCRP: IMCR, PIC mode
    u8 feature3[3];             // 0x0d reserved, 0
} PACKED;                       // 0x10

_Static_assert(offsetof(struct mp_floating, signature) == 0x00,
               "_MP_ signature");
_Static_assert(offsetof(struct mp_floating, physaddr) == 0x04,
               "_MP_ physical address pointer");
_Static_assert(offsetof(struct mp_floating, length) == 0x08, "_MP_ length");
_Static_assert(offsetof(struct mp_floating, spec_rev) == 0x09,
               "_MP_ spec revision");
_Static_assert(offsetof(struct mp_floating, checksum) == 0x0a,
               "_MP_ checksum");
_Static_assert(offsetof(struct mp_floating, feature1) == 0x0b,
               "_MP_ feature byte 1");
_Static_assert(offsetof(struct mp_floating, feature2) == 0x0c,
               "_MP_ feature byte 2");
_Static_assert(offsetof(struct mp_floating, feature3) == 0x0d,
               "_MP_ feature bytes 3-5");
_Static_assert(sizeof(struct mp_floating) == 0x10, "_MP_ size");

#define MP_FEATURE2_IMCRP 0x80

// 4.2: the configuration table header. base_length covers the header and
// the base entries; checksum makes those bytes sum to zero. The extended
// entries follow the base table: ext_length bytes whose sum plus
// ext_checksum is zero.
struct mp_config {
    char signature[4];          // 0x00 "PCMP"
    u16 base_length;            // 0x04 header + base entries, bytes
    u8 spec_rev;                // 0x06 4: version 1.4
    u8 checksum;                // 0x07
    char oem_id[8];             // 0x08 space-padded, no NUL
    char product_id[12];        // 0x10 space-padded, no NUL
    u32 oem_table;              // 0x1c physical address, 0: none
    u16 oem_table_size;         // 0x20
    u16 entry_count;            // 0x22 base entries
    u32 lapic_addr;             // 0x24 every CPU's local APIC
    u16 ext_length;             // 0x28 extended entries, bytes
    u8 ext_checksum;            // 0x2a
    u8 reserved;                // 0x2b
} PACKED;                       // 0x2c

_Static_assert(offsetof(struct mp_config, signature) == 0x00,
               "PCMP signature");
_Static_assert(offsetof(struct mp_config, base_length) == 0x04,
               "PCMP base table length");
_Static_assert(offsetof(struct mp_config, spec_rev) == 0x06,
               "PCMP spec revision");
_Static_assert(offsetof(struct mp_config, checksum) == 0x07,
               "PCMP checksum");
_Static_assert(offsetof(struct mp_config, oem_id) == 0x08, "PCMP oem id");
_Static_assert(offsetof(struct mp_config, product_id) == 0x10,
               "PCMP product id");
_Static_assert(offsetof(struct mp_config, oem_table) == 0x1c,
               "PCMP oem table pointer");
_Static_assert(offsetof(struct mp_config, oem_table_size) == 0x20,
               "PCMP oem table size");
_Static_assert(offsetof(struct mp_config, entry_count) == 0x22,
               "PCMP entry count");
_Static_assert(offsetof(struct mp_config, lapic_addr) == 0x24,
               "PCMP local apic address");
_Static_assert(offsetof(struct mp_config, ext_length) == 0x28,
               "PCMP extended table length");
_Static_assert(offsetof(struct mp_config, ext_checksum) == 0x2a,
               "PCMP extended table checksum");
_Static_assert(offsetof(struct mp_config, reserved) == 0x2b,
               "PCMP reserved");
_Static_assert(sizeof(struct mp_config) == 0x2c, "PCMP header size");

// 4.3: base entry types (the first byte of every entry).
#define MP_ENTRY_PROCESSOR 0
#define MP_ENTRY_BUS       1
#define MP_ENTRY_IOAPIC    2
#define MP_ENTRY_IOINT     3
#define MP_ENTRY_LINT      4

// 4.3.1: one per processor. The signature holds CPUID 1 EAX bits 0-11
// (stepping, model, family); the features are CPUID 1 EDX.
struct mp_processor {
    u8 type;                    // 0x00 MP_ENTRY_PROCESSOR
    u8 apic_id;                 // 0x01 local APIC ID
    u8 apic_version;            // 0x02 local APIC version register 7:0
    u8 cpu_flags;               // 0x03 MP_CPU_*
    u32 signature;              // 0x04
    u32 features;               // 0x08
    u8 reserved[8];             // 0x0c
} PACKED;                       // 0x14

_Static_assert(offsetof(struct mp_processor, type) == 0x00, "cpu type");
_Static_assert(offsetof(struct mp_processor, apic_id) == 0x01,
               "cpu apic id");
_Static_assert(offsetof(struct mp_processor, apic_version) == 0x02,
               "cpu apic version");
_Static_assert(offsetof(struct mp_processor, cpu_flags) == 0x03,
               "cpu flags");
_Static_assert(offsetof(struct mp_processor, signature) == 0x04,
               "cpu signature");
_Static_assert(offsetof(struct mp_processor, features) == 0x08,
               "cpu feature flags");
_Static_assert(offsetof(struct mp_processor, reserved) == 0x0c,
               "cpu reserved");
_Static_assert(sizeof(struct mp_processor) == 0x14, "cpu entry size");

#define MP_CPU_EN 0x01 // usable
#define MP_CPU_BP 0x02 // the bootstrap processor
#define MP_CPU_SIGNATURE_MASK 0xfff // stepping 3:0, model 7:4, family 11:8

// 4.3.2: one per bus; bus ids are the table's own numbering (PCI buses
// use their bus numbers). The type is a space-padded string (table 4-8).
struct mp_bus {
    u8 type;                    // 0x00 MP_ENTRY_BUS
    u8 bus_id;                  // 0x01
    char bus_type[6];           // 0x02 e.g. "PCI   ", "ISA   "
} PACKED;                       // 0x08

_Static_assert(offsetof(struct mp_bus, type) == 0x00, "bus type");
_Static_assert(offsetof(struct mp_bus, bus_id) == 0x01, "bus id");
_Static_assert(offsetof(struct mp_bus, bus_type) == 0x02,
               "bus type string");
_Static_assert(sizeof(struct mp_bus) == 0x08, "bus entry size");

#define MP_BUS_PCI "PCI   "
#define MP_BUS_ISA "ISA   "

// 4.3.3: one per I/O APIC.
struct mp_ioapic {
    u8 type;                    // 0x00 MP_ENTRY_IOAPIC
    u8 apic_id;                 // 0x01
    u8 apic_version;            // 0x02 I/O APIC version register 7:0
    u8 flags;                   // 0x03 MP_IOAPIC_EN
    u32 addr;                   // 0x04 memory-mapped base
} PACKED;                       // 0x08

_Static_assert(offsetof(struct mp_ioapic, type) == 0x00, "ioapic type");
_Static_assert(offsetof(struct mp_ioapic, apic_id) == 0x01, "ioapic id");
_Static_assert(offsetof(struct mp_ioapic, apic_version) == 0x02,
               "ioapic version");
_Static_assert(offsetof(struct mp_ioapic, flags) == 0x03, "ioapic flags");
_Static_assert(offsetof(struct mp_ioapic, addr) == 0x04, "ioapic address");
_Static_assert(sizeof(struct mp_ioapic) == 0x08, "ioapic entry size");

#define MP_IOAPIC_EN 0x01

// 4.3.4 and 4.3.5: an interrupt source wired to an I/O APIC input
// (MP_ENTRY_IOINT; dest_apic is an I/O APIC ID, dest_pin its INTIN#) or
// to a local APIC input (MP_ENTRY_LINT; dest_apic 0xff means every local
// APIC, dest_pin is LINTIN#). A PCI source_irq is device << 2 | pin with
// pin 0 for INTA# (appendix D); an ISA one is the IRQ number.
struct mp_intsrc {
    u8 type;                    // 0x00 MP_ENTRY_IOINT or MP_ENTRY_LINT
    u8 irq_type;                // 0x01 MP_INT_*
    u16 flags;                  // 0x02 MP_IRQ_* polarity | trigger
    u8 source_bus;              // 0x04 bus id
    u8 source_irq;              // 0x05
    u8 dest_apic;               // 0x06
    u8 dest_pin;                // 0x07
} PACKED;                       // 0x08

_Static_assert(offsetof(struct mp_intsrc, type) == 0x00, "int type");
_Static_assert(offsetof(struct mp_intsrc, irq_type) == 0x01,
               "interrupt type");
_Static_assert(offsetof(struct mp_intsrc, flags) == 0x02, "int flags");
_Static_assert(offsetof(struct mp_intsrc, source_bus) == 0x04,
               "source bus id");
_Static_assert(offsetof(struct mp_intsrc, source_irq) == 0x05,
               "source bus irq");
_Static_assert(offsetof(struct mp_intsrc, dest_apic) == 0x06,
               "destination apic id");
_Static_assert(offsetof(struct mp_intsrc, dest_pin) == 0x07,
               "destination pin");
_Static_assert(sizeof(struct mp_intsrc) == 0x08, "interrupt entry size");

// Interrupt types (table 4-11).
#define MP_INT_INT    0 // vectored, by the APIC's redirection entry
#define MP_INT_NMI    1
#define MP_INT_SMI    2
#define MP_INT_EXTINT 3 // vectored by the 8259

// Flags (table 4-10): polarity in bits 1:0, trigger mode in bits 3:2; 0 in
// either conforms to the source bus (ISA: high, edge).
#define MP_IRQ_POLARITY_HIGH 0x1
#define MP_IRQ_POLARITY_LOW  0x3
#define MP_IRQ_TRIGGER_EDGE  0x4
#define MP_IRQ_TRIGGER_LEVEL 0xc

#define MP_LAPIC_ALL 0xff // dest_apic of a local interrupt: every CPU

#endif // STD_MPTABLE_H
