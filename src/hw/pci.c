// PCI configuration space accessors (32-bit flat): the enhanced
// configuration mechanism (MMCONFIG) once the chipset has it enabled,
// configuration mechanism #1 (ports 0xcf8/0xcfc) until then.
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Under a hypervisor every port access is a VM exit and mechanism #1
// needs two per access; an MMCONFIG access is one.
#include "hw/pci.h" // pci_config_readl
#include "x86.h" // outl

// Base of the MMCONFIG window, 0 while config cycles use the ports. In
// .bss, so it is 0 again on S3 resume (the reset path clears .bss), when
// the chipset has forgotten the window until chipset_program() runs.
static u32 PciMmconfig;

void
pci_mmconfig_enable(u32 base)
{
    PciMmconfig = base;
}

static volatile void *
pci_mmconfig(u16 bdf, u32 reg)
{
    return (volatile void *)(PciMmconfig + ((u32)bdf << 12) + reg);
}

static void
pci_select(u16 bdf, u32 reg)
{
    outl(0x80000000 | ((u32)bdf << 8) | (reg & 0xfc), PORT_PCI_CMD);
}

u32
pci_config_readl(u16 bdf, u32 reg)
{
    if (PciMmconfig)
        return *(volatile u32 *)pci_mmconfig(bdf, reg);
    pci_select(bdf, reg);
    return inl(PORT_PCI_DATA);
}

u16
pci_config_readw(u16 bdf, u32 reg)
{
    if (PciMmconfig)
        return *(volatile u16 *)pci_mmconfig(bdf, reg);
    pci_select(bdf, reg);
    return inw(PORT_PCI_DATA + (reg & 2));
}

u8
pci_config_readb(u16 bdf, u32 reg)
{
    if (PciMmconfig)
        return *(volatile u8 *)pci_mmconfig(bdf, reg);
    pci_select(bdf, reg);
    return inb(PORT_PCI_DATA + (reg & 3));
}

void
pci_config_writel(u16 bdf, u32 reg, u32 value)
{
    if (PciMmconfig) {
        *(volatile u32 *)pci_mmconfig(bdf, reg) = value;
        return;
    }
    pci_select(bdf, reg);
    outl(value, PORT_PCI_DATA);
}

void
pci_config_writew(u16 bdf, u32 reg, u16 value)
{
    if (PciMmconfig) {
        *(volatile u16 *)pci_mmconfig(bdf, reg) = value;
        return;
    }
    pci_select(bdf, reg);
    outw(value, PORT_PCI_DATA + (reg & 2));
}

void
pci_config_writeb(u16 bdf, u32 reg, u8 value)
{
    if (PciMmconfig) {
        *(volatile u8 *)pci_mmconfig(bdf, reg) = value;
        return;
    }
    pci_select(bdf, reg);
    outb(value, PORT_PCI_DATA + (reg & 3));
}

u32
pci_config_probel(u16 bdf, u32 reg, u32 value, u32 *old)
{
    if (PciMmconfig) {
        volatile u32 *p = pci_mmconfig(bdf, reg);
        if (old)
            *old = *p;
        *p = value;
        return *p;
    }
    pci_select(bdf, reg);
    if (old)
        *old = inl(PORT_PCI_DATA);
    outl(value, PORT_PCI_DATA);
    return inl(PORT_PCI_DATA);
}

u8
pci_config_modb(u16 bdf, u32 reg, u8 clear, u8 set)
{
    if (PciMmconfig) {
        volatile u8 *p = pci_mmconfig(bdf, reg);
        u8 old = *p;
        *p = (old & ~clear) | set;
        return old;
    }
    pci_select(bdf, reg);
    u8 old = inb(PORT_PCI_DATA + (reg & 3));
    outb((old & ~clear) | set, PORT_PCI_DATA + (reg & 3));
    return old;
}
