// QEMU "bootorder" file matching (32-bit flat; host tests too).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// The file is QEMU's list of Open Firmware device paths, one per line,
// highest priority first (QEMU docs/specs/fw_cfg.rst, "bootorder").
#ifndef BOOTORDER_H
#define BOOTORDER_H

#include "types.h" // u32

// Index (0 = first) of the first line equal to path, or -1. The text need
// not be NUL-terminated; a NUL ends it early. Lines may end in "\n".
int bootorder_find(const char *text, u32 len, const char *path);

#endif // BOOTORDER_H
