// PCI configuration mechanism #1 accessors (32-bit flat).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#include "hw/pci.h" // pci_config_readl
#include "x86.h" // outl

static void
pci_select(u16 bdf, u32 reg)
{
    outl(0x80000000 | ((u32)bdf << 8) | (reg & 0xfc), PORT_PCI_CMD);
}

u32
pci_config_readl(u16 bdf, u32 reg)
{
    pci_select(bdf, reg);
    return inl(PORT_PCI_DATA);
}

u16
pci_config_readw(u16 bdf, u32 reg)
{
    pci_select(bdf, reg);
    return inw(PORT_PCI_DATA + (reg & 2));
}

u8
pci_config_readb(u16 bdf, u32 reg)
{
    pci_select(bdf, reg);
    return inb(PORT_PCI_DATA + (reg & 3));
}

void
pci_config_writel(u16 bdf, u32 reg, u32 value)
{
    pci_select(bdf, reg);
    outl(value, PORT_PCI_DATA);
}

void
pci_config_writew(u16 bdf, u32 reg, u16 value)
{
    pci_select(bdf, reg);
    outw(value, PORT_PCI_DATA + (reg & 2));
}

void
pci_config_writeb(u16 bdf, u32 reg, u8 value)
{
    pci_select(bdf, reg);
    outb(value, PORT_PCI_DATA + (reg & 3));
}
