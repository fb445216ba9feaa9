// ACPI tables: run QEMU's linker-loader and report what it installed
// (32-bit flat).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#ifndef FW_ACPI_H
#define FW_ACPI_H

#include "types.h" // bool

// Runs after chipset and PCI setup: QEMU builds the tables from that
// state when the loader first reads them.
void acpi_setup(void);
// Address of the RSDP the loader installed (0 if none).
u32 acpi_rsdp(void);
// Address of the FACS the loader installed (0 if none).
u32 acpi_facs(void);
// Whether QEMU's etc/system-states says S3 is enabled.
bool acpi_s3_enabled(void);

#endif // FW_ACPI_H
