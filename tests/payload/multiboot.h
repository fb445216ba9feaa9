/*
 * multiboot.h - the Multiboot 1 header for the test payloads that QEMU's
 * -kernel loads through its multiboot option ROM (Multiboot Specification
 * 0.6.96, section 3.1). Included by the payloads' .S files.
 *
 * Copyright (C) 2026 The ReefBIOS authors
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#ifndef PAYLOAD_MULTIBOOT_H
#define PAYLOAD_MULTIBOOT_H

#define MB_MAGIC        0x1badb002 // in the header
#define MB_BOOT_MAGIC   0x2badb002 // in eax at the entry point
#define MB_FLAG_MEMINFO 0x00000002 // bit 1: memory information wanted

/* The header in its own section (the payloads' .ld files put it first). */
.macro MULTIBOOT_HEADER flags
        .pushsection .multiboot, "a"
        .balign 4
        .long MB_MAGIC, \flags, -(MB_MAGIC + \flags)
        .popsection
.endm

#endif
