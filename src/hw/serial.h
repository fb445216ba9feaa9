// 16550 UART used for the log and the boot-failure message (32-bit flat).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Registers: PC16550D data sheet, "Register summary".
#ifndef HW_SERIAL_H
#define HW_SERIAL_H

#define PORT_COM1    0x3f8
#define SERIAL_THR   0 // transmit holding (DLAB=0)
#define SERIAL_DLL   0 // divisor low (DLAB=1)
#define SERIAL_IER   1
#define SERIAL_DLM   1 // divisor high (DLAB=1)
#define SERIAL_LCR   3
#define  SERIAL_LCR_8N1   0x03
#define  SERIAL_LCR_DLAB  0x80
#define SERIAL_MCR   4
#define SERIAL_LSR   5
#define  SERIAL_LSR_THRE  0x20 // transmitter holding register empty
#define SERIAL_SCR   7 // scratch: used to probe for the chip

#ifndef __ASSEMBLY__
#include "types.h" // u16

// Returns false when no UART answers at base.
bool serial_setup(u16 base);
void serial_write(u16 base, const char *buf, u32 len);
#endif
#endif // HW_SERIAL_H
