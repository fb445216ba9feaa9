// CPU discovery: wake every AP once, record its APIC ID, park it (32-bit
// flat).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#ifndef SMP_H
#define SMP_H

#include "types.h" // u32

#define SMP_MAX_CPUS 1024
#define SMP_MAX_MSRS 64
#define SMP_MSR_SIZE 12 // struct smp_msr

#ifndef __ASSEMBLY__
// An MSR every CPU gets: written on the BSP now, by each AP when it
// starts (POST and S3 resume), in the order added.
void smp_msr_add(u32 index, u64 value);
void smp_setup(void);
// S3 resume: the BSP and every AP write the MSR list again; returns how
// many APs reported back.
int smp_resume(void);
int smp_cpu_count(void);
// APIC IDs by discovery order; entry 0 is the BSP.
const u32 *smp_apic_ids(void);
#endif
#endif // SMP_H
