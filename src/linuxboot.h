// -kernel boot straight from fw_cfg (32-bit flat).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#ifndef LINUXBOOT_H
#define LINUXBOOT_H

// The bootorder path of the option ROM QEMU registered for -kernel
// ("/rom@genroms/linuxboot_dma.bin", ...), or NULL without -kernel.
const char *linuxboot_rom_path(void);
// Load and enter the kernel. Returns only when it cannot be booted (after
// a log line saying why).
void linuxboot_boot(void);

#endif // LINUXBOOT_H
