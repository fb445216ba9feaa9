// Shadow RAM control through the host bridge PAM registers (32-bit flat).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Intel 82441FX (i440FX) datasheet 3.2.18 (PAM0-6 at 59h-5Fh); Intel
// 3 Series (Q35) MCH datasheet 5.1.17 (PAM0-6 at 90h-96h). Each PAM byte
// has two 4-bit fields: 0 = ROM/PCI, 1 = read-only, 3 = read-write.
#ifndef FW_SHADOW_H
#define FW_SHADOW_H

#define I440FX_PAM0       0x59
#define Q35_PAM0          0x90
#define PAM_FSEG_SHIFT    4 // PAM0 bits 5:4 cover 0xf0000-0xfffff
#define  PAM_READ_ONLY    0x1
#define  PAM_READ_WRITE   0x3
#define PCI_ID_I440FX     0x12378086
#define PCI_ID_Q35        0x29c08086

#ifndef __ASSEMBLY__
#include "types.h" // bool

enum machine_type { MACHINE_UNKNOWN, MACHINE_I440FX, MACHINE_Q35 };

// What romlayout.S shadowed on: detected again here from the host bridge.
void shadow_setup(void);
enum machine_type shadow_machine(void);
// Make the F-segment read-only: one PAM write, one memory-map change.
void shadow_prepboot(void);
#endif
#endif // FW_SHADOW_H
