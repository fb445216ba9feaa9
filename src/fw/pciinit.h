// PCI setup: bus enumeration, resource assignment, interrupt lines
// (32-bit flat).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Configuration header registers: PCI Local Bus Specification 3.0, 6.1
// (type 0), 6.2.5.1 (BARs), 6.2.5.2 (expansion ROM), 6.7 (capabilities);
// PCI-to-PCI Bridge Architecture Specification 1.2, 3.2 (type 1). PCI
// Express Base 3.0, 7.8 (PCI Express capability). QEMU's Red Hat
// vendor-specific capability: QEMU docs/pcie_pci_bridge.txt.
#ifndef FW_PCIINIT_H
#define FW_PCIINIT_H

#define PCI_STATUS             0x06
#define  PCI_STATUS_CAP_LIST   0x0010
#define PCI_CACHE_LINE_SIZE    0x0c // in dwords
#define PCI_BASE_ADDRESS_0     0x10 // 6 BARs (type 0), 2 (type 1)
#define  PCI_BASE_ADDRESS_SPACE_IO    0x01
#define  PCI_BASE_ADDRESS_MEM_TYPE_64 0x04
#define  PCI_BASE_ADDRESS_MEM_PREFETCH 0x08
#define  PCI_BASE_ADDRESS_IO_MASK     0xfffffffcU
#define  PCI_BASE_ADDRESS_MEM_MASK    0xfffffff0U
#define PCI_CAPABILITY_LIST    0x34
#define PCI_ROM_ADDRESS        0x30 // type 0
#define  PCI_ROM_ADDRESS_MASK  0xfffff800U // bit 0: decode enable
#define PCI_HEADER_TYPE_MASK   0x7f
#define  PCI_HEADER_TYPE_NORMAL 0
#define  PCI_HEADER_TYPE_BRIDGE 1
#define  PCI_HEADER_TYPE_CARDBUS 2

// Type 1 (PCI-to-PCI bridge) header.
#define PCI_PRIMARY_BUS        0x18 // then secondary 0x19, subordinate 0x1a
#define PCI_IO_BASE            0x1c // then I/O limit 0x1d; 4 KiB units
#define  PCI_IO_RANGE_MASK     0xf0
#define PCI_MEMORY_BASE        0x20 // then limit 0x22; 1 MiB units
#define PCI_PREF_MEMORY_BASE   0x24 // then limit 0x26; 1 MiB units
#define  PCI_PREF_RANGE_TYPE_64 0x01
#define PCI_PREF_BASE_UPPER32  0x28
#define PCI_PREF_LIMIT_UPPER32 0x2c
#define PCI_IO_BASE_UPPER16    0x30 // then limit upper 16 bits 0x32
#define PCI_ROM_ADDRESS1       0x38

// Capabilities.
#define PCI_CAP_ID_VNDR        0x09 // vendor specific
#define PCI_CAP_ID_SHPC        0x0c // standard hot-plug controller
#define PCI_CAP_ID_EXP         0x10 // PCI Express
#define PCI_EXP_FLAGS          0x02
#define  PCI_EXP_FLAGS_TYPE_SHIFT 4 // bits 7:4 device/port type
#define  PCI_EXP_TYPE_ROOT_PORT 0x4
#define  PCI_EXP_TYPE_DOWNSTREAM 0x6
#define  PCI_EXP_FLAGS_SLOT    0x0100 // slot implemented
#define PCI_EXP_SLTCAP         0x14
#define  PCI_EXP_SLTCAP_HPC    0x00000040 // hot-plug capable

// QEMU's resource reservation capability (vendor specific, on bridges
// with the Red Hat vendor ID): a field of all ones means "no opinion".
#define PCI_VENDOR_ID_REDHAT   0x1b36
#define QEMU_CAP_TYPE          0x03 // u8: 1 = resource reservation
#define  QEMU_CAP_TYPE_RESERVE 0x01
#define QEMU_CAP_BUS_RES       0x04 // u32: bus numbers below the secondary
#define QEMU_CAP_IO            0x08 // u64
#define QEMU_CAP_MEM           0x10 // u32: non-prefetchable
#define QEMU_CAP_PREF32        0x14 // u32: prefetchable below 4 GiB
#define QEMU_CAP_PREF64        0x18 // u64: prefetchable, 64-bit
#define QEMU_CAP_LEN           0x20

#ifndef __ASSEMBLY__
#include "types.h" // u16

struct pci_device {
    u16 bdf;
    u16 command; // (pci_setup's own) the command register before sizing
    u32 id; // vendor | device << 16
    u32 class_rev; // class code << 8 | revision
    u8 pin; // 1 = INTA .. 4 = INTD, 0 = none
    u8 irq; // ISA IRQ the pin is routed to (0 = none)
    u8 link; // chipset routing register of that PIRQ
    u8 header; // header type, without the multi-function bit
    u8 secondary, subordinate; // bridges: bus numbers (0: none given)
    s16 parent; // index of the bridge above; -1 on a root bus
    u8 root; // root bus index: 0 = bus 0, then the pxb roots in order
    u8 qemu_cap; // (pci_setup's own) bridges: QEMU's reservation cap, 0
    u16 abus; // bridges: index of the secondary bus in the allocator
};

// Number every bus, size and assign every BAR and bridge window, enable
// decoding and program interrupt lines. Before the ACPI tables are first
// read: QEMU builds _CRS, hotplug slots and pxb roots from this state.
void pci_setup(void);
// The functions on bus 0 (what the MP table and $PIR describe).
const struct pci_device *pci_devices(int *count);
// Every function found, bus 0's first.
const struct pci_device *pci_all_devices(int *count);
// The span above 4 GiB that BARs and bridge windows were given (for the
// MTRRs: uncached); false when nothing went there.
bool pci_mem64_window(u64 *start, u64 *end);
#endif
#endif // FW_PCIINIT_H
