// PCI setup: device discovery and interrupt lines (32-bit flat).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#ifndef FW_PCIINIT_H
#define FW_PCIINIT_H

#include "types.h" // u16

struct pci_device {
    u16 bdf;
    u32 id; // vendor | device << 16
    u32 class_rev; // class code << 8 | revision
    u8 pin; // 1 = INTA .. 4 = INTD, 0 = none
    u8 irq; // ISA IRQ the pin is routed to (0 = none)
    u8 link; // chipset routing register of that PIRQ
};

// Find every function on bus 0 and program its interrupt line.
void pci_setup(void);
const struct pci_device *pci_devices(int *count);

#endif // FW_PCIINIT_H
