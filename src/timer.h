// TSC time base for timestamps, delays and timeouts (32-bit flat).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#ifndef TIMER_H
#define TIMER_H

#include "types.h" // u64

// tsc_start: the TSC read at the first 32-bit instruction of POST.
void timer_setup(u64 tsc_start);
// Microseconds since POST started.
u64 timer_us_since_start(void);
u64 timer_deadline_us(u32 us);
bool timer_passed(u64 deadline);
void udelay(u32 us);
void mdelay(u32 ms);

#endif // TIMER_H
