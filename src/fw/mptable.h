// MP configuration table builder (32-bit flat; also host-compiled for
// tests).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Builds the MP floating pointer and the MP 1.4 configuration table
// (layouts: src/std/mptable.h) from facts the caller gathered: the CPUs'
// local APIC IDs, the I/O APIC, the PCI interrupt routing. It touches only
// the buffers it is given; the caller allocates them (the floating pointer
// in ZONE_FSEG, 16-byte aligned) and passes the physical addresses they
// live at, since the table's pointers are physical.
//
// The table describes a virtual-wire system (IMCRP clear) with one I/O
// APIC and, in this order:
// - one processor entry per CPU, in input order, enabled, BP on the BSP,
//   signature = CPUID 1 EAX bits 11:0, features = CPUID 1 EDX;
// - bus entries "PCI   " for bus ids 0..max_pci_bus, then "ISA   " with
//   id max_pci_bus + 1;
// - the I/O APIC, enabled;
// - I/O interrupt entries (type INT) for ISA IRQs 0-15 but 2 (the
//   cascade) on the I/O APIC pin of the same number, except IRQ 0 on pin
//   2 when irq0_override; level-triggered active-low when their bit is set
//   in pci_level_irqs, explicitly edge-triggered active-high otherwise;
// - one I/O interrupt entry per PCI interrupt source, in input order:
//   source bus irq dev << 2 | (pin - 1) (appendix D), to I/O APIC pin
//   `irq`, level/low. Another function of a device on the same pin is the
//   same source: later repeats of (bus, dev, pin) with the same irq are
//   left out, so the caller may pass one entry per PCI function;
// - local interrupt entries for every local APIC (dest 0xff), source the
//   ISA bus: ExtINT on LINT0, NMI on LINT1, polarity and trigger
//   conforming.
// No OEM table and no extended entries (length and checksum 0).
//
// mptable_check() and mptable_build() refuse, with one LOG_WARN line
// "mptable: ..." naming the reason and the values and without writing
// anything, when:
// - cpus is NULL, cpu_count is not 1..255, a CPU's APIC ID is above 254
//   (the entries hold 8 bits, and 0xff is the local interrupt entries'
//   "every local APIC"; the MP spec has no x2APIC entries), two CPUs share
//   an APIC ID (4.3.1: IDs must be unique), or there is not exactly one
//   BSP;
// - ioapic_id is 255, or equals a CPU's APIC ID while some CPU's local
//   APIC version is below 0x14: such APICs (82489DX, P6 and older)
//   arbitrate on the serial APIC bus, where every local and I/O APIC ID
//   must differ. From version 0x14 on (xAPIC; every APIC QEMU and KVM
//   emulate) interrupts travel on the system bus, the I/O APIC ID is only
//   a name, and a collision is allowed (QEMU's ACPI MADT gives its I/O
//   APIC ID 0, like CPU 0's);
// - max_pci_bus is not -1..254 (-1: no PCI bus, the ISA bus is id 0);
// - pci_count is not 0..MPTABLE_MAX_PCI_IRQS or pci is NULL with a count;
//   a PCI interrupt has bus > max_pci_bus, dev > 31, pin not 1..4, or irq
//   0 (the timer), 2 (the cascade) or above 15; or a (bus, dev, pin)
//   repeats with another irq;
// - (mptable_build() only) the floating pointer's address is not 16-byte
//   aligned, the buffer is too small, or the table would cross 4 GiB.
// The caller decides what a refusal means (normally: no MP table, the
// OS uses ACPI).
#ifndef FW_MPTABLE_H
#define FW_MPTABLE_H

#include "types.h" // u8, bool

#define MPTABLE_FLOAT_SIZE 16 // the floating pointer
#define MPTABLE_MAX_CPUS 255
#define MPTABLE_MAX_PCI_IRQS 4096 // keeps the base table below 64 KiB
#define MPTABLE_LAPIC_ADDR 0xfee00000 // written as every CPU's local APIC
#define MPTABLE_OEM_ID "ReefBIOS" // 8 characters
#define MPTABLE_PRODUCT_ID "QEMU" // padded with spaces to 12

struct mp_cpu {
    u32 apic_id;                // 0..254 can be described
    u8 apic_version;            // local APIC version register bits 7:0
    bool bsp;
};

struct mp_pci_irq {
    u8 bus;
    u8 dev;                     // 0..31
    u8 pin;                     // 1 = INTA# .. 4 = INTD#
    u8 irq;                     // ISA IRQ = I/O APIC pin the PIRQ drives
};

struct mp_input {
    const struct mp_cpu *cpus;
    int cpu_count;
    u32 cpu_signature;          // CPUID 1 EAX
    u32 cpu_features;           // CPUID 1 EDX
    u8 ioapic_id;
    u8 ioapic_version;          // I/O APIC version register bits 7:0
    u32 ioapic_addr;
    bool irq0_override;         // ISA IRQ 0 is I/O APIC pin 2 (QEMU)
    u16 pci_level_irqs;         // bit n: ISA IRQ n level/low (PCI)
    const struct mp_pci_irq *pci;
    int pci_count;
    int max_pci_bus;            // -1..254
};

// Bytes mptable_build() writes for `in`: the floating pointer plus the
// configuration table. No checks and no log: for an input mptable_check()
// refuse the value is finite but meaningless. Below 64 KiB for any
// accepted input; 5320 bytes for 255 CPUs, one PCI bus and no PCI
// interrupt.
u32 mptable_size(const struct mp_input *in);

// Checks `in` (see above, all but the placement). Returns the bytes of
// the configuration table alone (mptable_size(in) - MPTABLE_FLOAT_SIZE),
// or 0 after one LOG_WARN line when the input is refused. Lets a caller
// refuse before it allocates, then write once with mptable_write().
u32 mptable_check(const struct mp_input *in);

// Writes the floating pointer (MPTABLE_FLOAT_SIZE bytes) at fp, physical
// fp_addr, and the configuration table at cfg, physical cfg_addr (no
// alignment needed; an OS wants it in e820-reserved memory, e.g.
// ZONE_HIGH, or in the F-segment). Checks nothing: `in` must be one
// mptable_check() accepted, cfg must have room for the size it returned,
// fp_addr must be 16-byte aligned and the table must end at or below
// 4 GiB.
void mptable_write(void *fp, u32 fp_addr, void *cfg, u32 cfg_addr,
                   const struct mp_input *in);

// mptable_check(), then the placement checks, then mptable_write() with
// the floating pointer at buf (physical address buf_addr, which must be
// 16-byte aligned) and the configuration table right after it, at
// buf_addr + 16. Returns the bytes written (mptable_size(in)), or 0 after
// one LOG_WARN line when the input is refused (see above) or len is too
// small; nothing is written then, and never anything past len.
int mptable_build(void *buf, u32 len, u32 buf_addr,
                  const struct mp_input *in);

#endif // FW_MPTABLE_H
