// PCI configuration space: MMCONFIG or ports 0xcf8/0xcfc (32-bit flat).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// PCI Local Bus Specification 3.0, 3.2.2.3.2 (configuration mechanism #1);
// PCI Express Base Specification, 7.2.2 (enhanced configuration access).
#ifndef HW_PCI_H
#define HW_PCI_H

#define PORT_PCI_CMD   0x0cf8
#define PORT_PCI_DATA  0x0cfc
#define PORT_PCI_RESET 0x0cf9 // PIIX/ICH reset control register
#define  PCI_RESET_SYS  0x02
#define  PCI_RESET_CPU  0x04

#define PCI_VENDOR_ID  0x00
#define PCI_DEVICE_ID  0x02
#define PCI_COMMAND    0x04
#define  PCI_COMMAND_IO     0x0001
#define  PCI_COMMAND_MEMORY 0x0002
#define  PCI_COMMAND_MASTER 0x0004
#define PCI_CLASS_REVISION 0x08
#define PCI_HEADER_TYPE 0x0e
#define  PCI_HEADER_TYPE_MULTI 0x80
#define PCI_INTERRUPT_LINE 0x3c
#define PCI_INTERRUPT_PIN  0x3d

#define PCI_BDF(bus, dev, fn) (((bus) << 8) | ((dev) << 3) | (fn))

#ifndef __ASSEMBLY__
#include "types.h" // u16

u32 pci_config_readl(u16 bdf, u32 reg);
u16 pci_config_readw(u16 bdf, u32 reg);
u8 pci_config_readb(u16 bdf, u32 reg);
void pci_config_writel(u16 bdf, u32 reg, u32 value);
void pci_config_writew(u16 bdf, u32 reg, u16 value);
void pci_config_writeb(u16 bdf, u32 reg, u8 value);
// The same register two or three times with one select (one VM exit
// fewer per select on the ports): read into *old (unless old is NULL, as
// for a 64-bit BAR's upper half), write value, read back (BAR sizing); or
// read, clear and set bits, write, returning what was read.
u32 pci_config_probel(u16 bdf, u32 reg, u32 value, u32 *old);
u8 pci_config_modb(u16 bdf, u32 reg, u8 clear, u8 set);
// Use the MMCONFIG window at base (256 buses) for every later access.
void pci_mmconfig_enable(u32 base);
#endif
#endif // HW_PCI_H
