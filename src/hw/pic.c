// 8259A PIC setup: PC/AT vector bases, every IRQ masked but the timer
// and the cascade (32-bit flat).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#include "hw/pic.h" // pic_setup
#include "x86.h" // outb

void
pic_setup(void)
{
    outb(PIC_ICW1_INIT, PORT_PIC1_CMD);
    outb(PIC_ICW1_INIT, PORT_PIC2_CMD);
    outb(PIC1_VECTOR, PORT_PIC1_DATA);
    outb(PIC2_VECTOR, PORT_PIC2_DATA);
    outb(1 << 2, PORT_PIC1_DATA); // slave on IRQ 2
    outb(2, PORT_PIC2_DATA); // slave identity
    outb(PIC_ICW4_8086, PORT_PIC1_DATA);
    outb(PIC_ICW4_8086, PORT_PIC2_DATA);
    outb(~(1 << 2) & 0xff, PORT_PIC1_DATA); // mask all but cascade
    outb(0xff, PORT_PIC2_DATA);
}

void
pic_unmask(u16 mask)
{
    outb(inb(PORT_PIC1_DATA) & ~mask, PORT_PIC1_DATA);
    outb(inb(PORT_PIC2_DATA) & ~(mask >> 8), PORT_PIC2_DATA);
}
