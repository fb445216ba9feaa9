// Boot list and INT 18h/19h (32-bit flat).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#ifndef BOOT_H
#define BOOT_H

#include "types.h" // NORETURN

// Collect the boot entries and their priorities from fw_cfg "bootorder".
void boot_setup(void);
// Try every entry in priority order; when none boots, tell the user and
// retry or reboot per etc/boot-fail-wait. Never returns.
void NORETURN boot_run(void);
// Reset the machine through the chipset, the keyboard controller, then a
// triple fault.
void NORETURN reset_machine(void);

#endif // BOOT_H
