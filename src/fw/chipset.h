// Chipset setup for QEMU's i440FX/PIIX and Q35/ICH9 machines (32-bit
// flat).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Intel 82371AB (PIIX4) datasheet: PMBA 40h, PMREGMISC 80h, SMBBA 90h,
// SMBHSTCFG D2h, PIRQRC 60h-63h (PIIX3), ELCR 4D0h/4D1h. Intel I/O
// Controller Hub 9 datasheet 13.1 (LPC: PMBASE 40h, ACPI_CNTL 44h,
// PIRQ[A-D]_ROUT 60h-63h, PIRQ[E-H]_ROUT 68h-6Bh, RCBA F0h) and 13.14
// (SMBus: SMB_BASE 20h, HOSTC 40h).
#ifndef FW_CHIPSET_H
#define FW_CHIPSET_H

#define PORT_ACPI_PM_BASE   0x0600 // PM1 block, PM timer, GPE0 (our choice)
#define PORT_SMB_BASE       0x0700 // SMBus host controller (our choice)
#define PORT_PIC_ELCR1      0x04d0 // edge/level control, IRQ 0-7
#define PORT_PIC_ELCR2      0x04d1 // IRQ 8-15
#define ACPI_SCI_IRQ        9

#define PIIX_ISA_BDF        PCI_BDF(0, 1, 0)
#define PIIX_PM_BDF         PCI_BDF(0, 1, 3)
#define PIIX_PIRQRC         0x60 // 4 bytes, PIRQ A-D
#define PIIX_PMBA           0x40
#define PIIX_PMREGMISC      0x80
#define  PIIX_PMREGMISC_PMIOSE 0x01
#define PIIX_SMBBA          0x90
#define PIIX_SMBHSTCFG      0xd2
#define  PIIX_SMBHSTCFG_EN  0x01
#define  PIIX_SMBHSTCFG_IRQ9 0x08 // SMBus interrupts routed to IRQ 9
#define PCI_ID_PIIX3_ISA    0x70008086
#define PCI_ID_PIIX4_PM     0x71138086

#define Q35_MCH_BDF         PCI_BDF(0, 0, 0)
#define Q35_PCIEXBAR        0x60 // 64-bit: base, length, enable
#define  Q35_PCIEXBAR_EN    0x01 // length bits 2:1 = 00: 256 buses
#define Q35_MMCONFIG_BASE   0xb0000000 // QEMU's q35 PCI hole starts here
#define Q35_MMCONFIG_SIZE   0x10000000 // 256 buses x 1 MiB

#define ICH9_LPC_BDF        PCI_BDF(0, 0x1f, 0)
#define ICH9_SMBUS_BDF      PCI_BDF(0, 0x1f, 3)
#define ICH9_PMBASE         0x40
#define ICH9_ACPI_CNTL      0x44
#define  ICH9_ACPI_CNTL_EN  0x80 // ACPI I/O enable; SCI on IRQ 9 (bits 2:0 = 0)
#define ICH9_PIRQA_ROUT     0x60 // 4 bytes, PIRQ A-D
#define ICH9_PIRQE_ROUT     0x68 // 4 bytes, PIRQ E-H
#define ICH9_RCBA           0xf0
#define  ICH9_RCBA_EN       0x01
#define ICH9_RCBA_ADDR      0xfed1c000
#define ICH9_RCRB_SIZE      (16 * 1024) // the register block at RCBA
#define ICH9_SMB_BASE       0x20
#define ICH9_SMB_HOSTC      0x40
#define  ICH9_SMB_HOSTC_EN  0x01
#define PCI_ID_ICH9_LPC     0x29188086

#define PIRQ_DISABLED       0x80 // routing register: no IRQ

#ifndef __ASSEMBLY__
#include "types.h" // u8

// PM/ACPI I/O, SMBus, RCBA and PIRQ routing. Must run before the ACPI
// tables are first read: QEMU builds them from this state.
void chipset_setup(void);
// The register writes alone, also on S3 resume (QEMU's reset cleared
// them; config ports until MMCONFIG is on again).
void chipset_program(void);
// The ISA IRQ the chipset routes a PCI device's interrupt pin to (pin 1 =
// INTA), and the routing register ("link") it goes through; 0 if none.
u8 chipset_pci_irq(u16 bdf, u8 pin, u8 *link);
// Bitmap of ISA IRQs routed from PCI (level-triggered, active low).
u16 chipset_pci_irq_mask(void);
// The PIRQ router (for $PIR): its bdf and PCI id.
u16 chipset_router_bdf(void);
#endif
#endif // FW_CHIPSET_H
