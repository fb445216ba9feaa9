// TSC rates stated by the CPU or the hypervisor, checked before use
// (32-bit flat; host tests too).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Each function turns what one source states into kHz. It returns 0
// silently when the source states nothing, and 0 after one LOG_WARN line
// "timer: ..." with the raw values when the rate falls outside
// TSC_KHZ_MIN..TSC_KHZ_MAX: every delay and timeout is derived from this
// rate, so an absurd one would make them expire at once or never.
#ifndef TSCRATE_H
#define TSCRATE_H

#include "types.h" // u32, s8

#define TSC_KHZ_MIN 1000u       // 1 MHz
#define TSC_KHZ_MAX 100000000u  // 100 GHz

// kvmclock (struct pvclock_vcpu_time_info): ns = ((tsc << shift) * mul)
// >> 32, with a negative shift shifting right. mul 0 is refused: a
// hypervisor that offers kvmclock must fill it in.
u32 tsc_khz_from_pvclock(u32 mul, s8 shift);

// CPUID 0x15: TSC Hz = crystal_hz * num / den (EAX = den, EBX = num,
// ECX = crystal_hz). Any of them 0 means not stated.
u32 tsc_khz_from_crystal(u32 den, u32 num, u32 crystal_hz);

// A rate in kHz that a source states directly (CPUID 0x40000010 EAX) or
// that was measured (PIT calibration); 0 means not stated. `source`
// names it in the log line.
u32 tsc_khz_check(u64 khz, const char *source);

#endif // TSCRATE_H
