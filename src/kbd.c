// INT 16h answers while no keyboard driver is present (32-bit flat,
// entered through call32).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// IBM PC/AT Technical Reference, "Keyboard" (int 16h). Without a
// keyboard driver there are never keys: reads answer at once with no key
// instead of waiting forever.
#include "bregs.h" // struct bregs
#include "output.h" // dprintf
#include "std/bda.h" // BDA

#define RET_UNSUPPORTED 0x86

VISIBLE32 void
handle_16(struct bregs *r)
{
    dprintf(LOG_TRACE, "int16: ax=%04x\n", r->ax);
    switch (r->ah) {
    case 0x00: case 0x10: // read key: none will ever come
        dprintf(LOG_DEBUG, "int16: read key with no keyboard\n");
        r->ax = 0;
        break;
    case 0x01: case 0x11: // check key: none
        r->flags |= F_ZF;
        break;
    case 0x02: // shift flags
        r->al = BDA->kbd_flag0;
        break;
    case 0x12: // extended shift flags
        r->al = BDA->kbd_flag0;
        r->ah = BDA->kbd_flag1;
        break;
    case 0x03: // typematic rate: accepted
        break;
    case 0x05: // store key: buffer full
        r->al = 1;
        break;
    default:
        bregs_unsupported(r, RET_UNSUPPORTED);
        break;
    }
}
