// 16550 UART output at 115200 8N1 (32-bit flat).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#include "hw/serial.h" // serial_setup
#include "x86.h" // outb

#define SERIAL_TIMEOUT 100000 // LSR polls before giving up on a byte

bool
serial_setup(u16 base)
{
    outb(0x5a, base + SERIAL_SCR);
    if (inb(base + SERIAL_SCR) != 0x5a)
        return false;
    outb(0, base + SERIAL_IER);
    outb(SERIAL_LCR_DLAB, base + SERIAL_LCR);
    outb(1, base + SERIAL_DLL); // 115200 baud
    outb(0, base + SERIAL_DLM);
    outb(SERIAL_LCR_8N1, base + SERIAL_LCR);
    outb(0x03, base + SERIAL_MCR); // DTR, RTS
    return true;
}

void
serial_write(u16 base, const char *buf, u32 len)
{
    for (u32 i = 0; i < len; i++) {
        if (buf[i] == '\n')
            serial_write(base, "\r", 1);
        for (u32 n = 0; n < SERIAL_TIMEOUT; n++)
            if (inb(base + SERIAL_LSR) & SERIAL_LSR_THRE)
                break;
        outb(buf[i], base + SERIAL_THR);
    }
}
