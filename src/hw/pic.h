// 8259A interrupt controllers (32-bit flat).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Intel 8259A data sheet; ELCR: PIIX4 datasheet 4.1.10.
#ifndef HW_PIC_H
#define HW_PIC_H

#define PORT_PIC1_CMD   0x20
#define PORT_PIC1_DATA  0x21
#define PORT_PIC2_CMD   0xa0
#define PORT_PIC2_DATA  0xa1
#define PIC_ICW1_INIT   0x11 // edge, cascade, ICW4 needed
#define PIC_ICW4_8086   0x01
#define PIC_EOI         0x20
#define PIC1_VECTOR     0x08 // IRQ 0-7 -> int 08h-0Fh (PC/AT)
#define PIC2_VECTOR     0x70 // IRQ 8-15 -> int 70h-77h

#ifndef __ASSEMBLY__
#include "types.h" // u16

void pic_setup(void);
// Unmask (enable) the IRQs whose bits are set in mask, IRQ n = bit n.
void pic_unmask(u16 mask);
#endif
#endif // HW_PIC_H
