// Interrupt vector table, BDA and EBDA setup (32-bit flat).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#ifndef IVT_H
#define IVT_H

#include "types.h" // u16

void ivt_setup(void);
void bda_setup(void);
// Real-mode far pointer of a 16-bit symbol in the F-segment.
u32 ivt_far_ptr(const void *sym);

#endif // IVT_H
