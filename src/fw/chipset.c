// Chipset setup: ACPI PM I/O, SCI, SMBus, RCBA and PCI interrupt routing
// on i440FX/PIIX and Q35/ICH9 (32-bit flat).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// QEMU builds its ACPI tables from the PM base and routing programmed
// here (the FADT's PM1 block follows PMBA/PMBASE), so this runs before
// the table loader. PCI interrupts: each PIRQ link is routed to one ISA
// IRQ, made level-triggered in the ELCR; a device's link follows QEMU's
// wiring (hw/pci-host/i440fx, hw/isa/lpc_ich9 and their DSDTs).
#include "fw/chipset.h" // chipset_setup
#include "fw/shadow.h" // shadow_machine
#include "hw/pci.h" // pci_config_writel
#include "memmap.h" // MemMap
#include "output.h" // dprintf
#include "x86.h" // outb

// The ISA IRQ of each PIRQ link, A-D (and E-H on ICH9, same pattern).
static const u8 PirqIrqs[4] = { 10, 10, 11, 11 };

static void
elcr_set_level(u16 irqs)
{
    outb(inb(PORT_PIC_ELCR1) | (irqs & 0xff), PORT_PIC_ELCR1);
    outb(inb(PORT_PIC_ELCR2) | (irqs >> 8), PORT_PIC_ELCR2);
}

static u32
pirq_route_dword(void)
{
    return PirqIrqs[0] | (PirqIrqs[1] << 8) | (PirqIrqs[2] << 16)
        | ((u32)PirqIrqs[3] << 24);
}

static void
piix_setup(void)
{
    pci_config_writel(PIIX_ISA_BDF, PIIX_PIRQRC, pirq_route_dword());
    if (pci_config_readl(PIIX_PM_BDF, PCI_VENDOR_ID) != PCI_ID_PIIX4_PM) {
        dprintf(LOG_WARN, "chipset: no piix4 pm at 00:01.3\n");
        return;
    }
    pci_config_writel(PIIX_PM_BDF, PIIX_PMBA, PORT_ACPI_PM_BASE | 1);
    pci_config_writeb(PIIX_PM_BDF, PIIX_PMREGMISC, PIIX_PMREGMISC_PMIOSE);
    pci_config_writeb(PIIX_PM_BDF, PCI_INTERRUPT_LINE, ACPI_SCI_IRQ);
    pci_config_writel(PIIX_PM_BDF, PIIX_SMBBA, PORT_SMB_BASE | 1);
    pci_config_writeb(PIIX_PM_BDF, PIIX_SMBHSTCFG,
                      PIIX_SMBHSTCFG_EN | PIIX_SMBHSTCFG_IRQ9);
    pci_config_writew(PIIX_PM_BDF, PCI_COMMAND, PCI_COMMAND_IO);
}

// MMCONFIG: QEMU describes it in the MCFG table only when enabled here;
// the OS trusts it only when e820 reserves it. Every later config cycle
// goes through it (one exit instead of two under a hypervisor).
static void
ich9_setup(void)
{
    pci_config_writel(Q35_MCH_BDF, Q35_PCIEXBAR + 4, 0);
    pci_config_writel(Q35_MCH_BDF, Q35_PCIEXBAR,
                      Q35_MMCONFIG_BASE | Q35_PCIEXBAR_EN);
    pci_mmconfig_enable(Q35_MMCONFIG_BASE);
    pci_config_writel(ICH9_LPC_BDF, ICH9_PIRQA_ROUT, pirq_route_dword());
    pci_config_writel(ICH9_LPC_BDF, ICH9_PIRQE_ROUT, pirq_route_dword());
    pci_config_writel(ICH9_LPC_BDF, ICH9_PMBASE, PORT_ACPI_PM_BASE | 1);
    pci_config_writeb(ICH9_LPC_BDF, ICH9_ACPI_CNTL, ICH9_ACPI_CNTL_EN);
    pci_config_writel(ICH9_LPC_BDF, ICH9_RCBA,
                      ICH9_RCBA_ADDR | ICH9_RCBA_EN);
    pci_config_writel(ICH9_SMBUS_BDF, ICH9_SMB_BASE, PORT_SMB_BASE | 1);
    pci_config_writeb(ICH9_SMBUS_BDF, ICH9_SMB_HOSTC, ICH9_SMB_HOSTC_EN);
    pci_config_writew(ICH9_SMBUS_BDF, PCI_COMMAND, PCI_COMMAND_IO);
}

void
chipset_program(void)
{
    switch (shadow_machine()) {
    case MACHINE_I440FX:
        piix_setup();
        break;
    case MACHINE_Q35:
        ich9_setup();
        break;
    default:
        dprintf(LOG_WARN, "chipset: unknown machine, nothing set up\n");
        return;
    }
    elcr_set_level(chipset_pci_irq_mask());
}

void POST_STEP
chipset_setup(void)
{
    chipset_program();
    if (shadow_machine() == MACHINE_Q35) {
        e820map_add(&MemMap, Q35_MMCONFIG_BASE, Q35_MMCONFIG_SIZE,
                    E820_RESERVED);
        dprintf(LOG_INFO, "chipset: mmconfig at 0x%08x, 256 buses,"
                " used for config cycles\n",
                Q35_MMCONFIG_BASE);
    }
    dprintf(LOG_INFO, "chipset: pm base 0x%04x, sci irq %d, smbus 0x%04x,"
            " pirq irqs %d %d %d %d\n", PORT_ACPI_PM_BASE, ACPI_SCI_IRQ,
            PORT_SMB_BASE, PirqIrqs[0], PirqIrqs[1], PirqIrqs[2],
            PirqIrqs[3]);
}

u16
chipset_pci_irq_mask(void)
{
    u16 mask = 0;
    for (u32 i = 0; i < ARRAY_SIZE(PirqIrqs); i++)
        mask |= 1 << PirqIrqs[i];
    return mask;
}

u16
chipset_router_bdf(void)
{
    return shadow_machine() == MACHINE_Q35 ? ICH9_LPC_BDF : PIIX_ISA_BDF;
}

// Devices on bus 0 only; bridges' secondary buses swizzle onto these
// (PCI-to-PCI Bridge Architecture Specification 9.1), which the PCI
// enumeration code applies before asking.
u8
chipset_pci_irq(u16 bdf, u8 pin, u8 *link)
{
    if (pin < 1 || pin > 4)
        return 0;
    u8 slot = (bdf >> 3) & 0x1f, index;
    switch (shadow_machine()) {
    case MACHINE_I440FX:
        index = (slot + pin - 1) & 3;
        *link = PIIX_PIRQRC + index;
        break;
    case MACHINE_Q35:
        // Slots 0-24 rotate over PIRQ E-H, slots 25-31 use A-D by pin
        // (QEMU's q35 DSDT _PRT).
        if (slot <= 24) {
            index = (slot + pin - 1) & 3;
            *link = ICH9_PIRQE_ROUT + index;
        } else {
            index = (pin - 1) & 3;
            *link = ICH9_PIRQA_ROUT + index;
        }
        break;
    default:
        return 0;
    }
    return PirqIrqs[index];
}
