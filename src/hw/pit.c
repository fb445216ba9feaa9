// 8254 PIT: the 18.2 Hz system tick and channel 2 busy waits (32-bit flat).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#include "hw/pit.h" // pit_setup
#include "x86.h" // outb

void
pit_setup(void)
{
    outb(PIT_SEL_CH0 | PIT_RW_LOHI | PIT_MODE2, PORT_PIT_MODE);
    outb(0, PORT_PIT_CH0); // divisor 0 = 65536: 18.2 Hz
    outb(0, PORT_PIT_CH0);
}

void
pit_start_channel2(u16 count)
{
    u8 ctrl = inb(PORT_PS2_CTRLB) & ~(PS2_CTRLB_SPKR | PS2_CTRLB_GATE2);
    outb(ctrl, PORT_PS2_CTRLB);
    outb(PIT_SEL_CH2 | PIT_RW_LOHI | PIT_MODE0, PORT_PIT_MODE);
    outb(count & 0xff, PORT_PIT_CH2);
    outb(count >> 8, PORT_PIT_CH2);
    outb(ctrl | PS2_CTRLB_GATE2, PORT_PS2_CTRLB); // count starts
}

u16
pit_read_channel2(void)
{
    outb(PIT_SEL_CH2 | PIT_LATCH, PORT_PIT_MODE);
    u8 lo = inb(PORT_PIT_CH2);
    return lo | (inb(PORT_PIT_CH2) << 8);
}
