// 8254 programmable interval timer (32-bit flat).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Intel 8254 data sheet; port 0x61 bits: IBM PC/AT technical reference.
#ifndef HW_PIT_H
#define HW_PIT_H

#define PORT_PIT_CH0     0x40
#define PORT_PIT_CH2     0x42
#define PORT_PIT_MODE    0x43
#define  PIT_SEL_CH0     0x00
#define  PIT_SEL_CH2     0x80
#define  PIT_RW_LOHI     0x30
#define  PIT_MODE0       0x00 // interrupt on terminal count
#define  PIT_MODE2       0x04 // rate generator
#define  PIT_LATCH       0x00 // with a channel select: latch its count
#define PORT_PS2_CTRLB   0x61
#define  PS2_CTRLB_GATE2 0x01 // channel 2 gate
#define  PS2_CTRLB_SPKR  0x02 // speaker data
#define  PS2_CTRLB_OUT2  0x20 // channel 2 output (read)
#define PIT_HZ           1193182

#ifndef __ASSEMBLY__
#include "types.h" // u32

// Channel 0 at 18.2 Hz (divisor 65536) for the BDA tick count.
void pit_setup(void);
// Start channel 2 counting down from count (one tick = 1/PIT_HZ s) and
// read where it is; used to calibrate the TSC without waiting up front.
void pit_start_channel2(u16 count);
u16 pit_read_channel2(void);
#endif
#endif // HW_PIT_H
