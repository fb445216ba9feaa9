// Legacy firmware tables built by ReefBIOS: MP table and $PIR (32-bit
// flat).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#ifndef FW_BIOSTABLES_H
#define FW_BIOSTABLES_H

// Describe the CPUs, I/O APIC and PCI interrupt routing for OSes without
// ACPI. Runs after smp_setup() and pci_setup().
void biostables_setup(void);

#endif // FW_BIOSTABLES_H
