// CPU discovery: wake every AP once, record its APIC ID, park it (32-bit
// flat).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#ifndef SMP_H
#define SMP_H

#include "types.h" // u32

#define SMP_MAX_CPUS 1024

#ifndef __ASSEMBLY__
void smp_setup(void);
int smp_cpu_count(void);
// APIC IDs by discovery order; entry 0 is the BSP.
const u32 *smp_apic_ids(void);
#endif
#endif // SMP_H
