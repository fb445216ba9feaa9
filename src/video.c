// INT 10h answers while no VGA BIOS is present (32-bit flat, entered
// through call32).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Callers such as Linux's setup code (arch/x86/boot/video*.c) ask for the
// current mode and probe for EGA/VGA/VESA; answering "80x25 text, no EGA,
// no VESA" makes them fall back cleanly. Teletype output goes to the log,
// so boot loaders' messages are not lost.
#include "bregs.h" // struct bregs
#include "output.h" // dprintf
#include "std/bda.h" // BDA

static char TtyLine[80] NOINIT; // [0, TtyLen) are set
static u32 TtyLen;

static void
video_tty_putc(char c)
{
    if (c == '\r')
        return;
    if (c != '\n')
        TtyLine[TtyLen++] = c;
    if (c == '\n' || TtyLen == sizeof(TtyLine) - 1) {
        TtyLine[TtyLen] = 0;
        dprintf(LOG_INFO, "video: %s\n", TtyLine);
        TtyLen = 0;
    }
}

VISIBLE32 void
handle_10(struct bregs *r)
{
    dprintf(LOG_TRACE, "int10: ax=%04x bx=%04x\n", r->ax, r->bx);
    switch (r->ah) {
    case 0x00: // set mode: remember it, nothing to program
        BDA->video_mode = r->al & 0x7f;
        break;
    case 0x02: // set cursor position
        BDA->cursor_pos[r->bh & 7] = r->dx;
        break;
    case 0x03: // get cursor position and shape
        r->dx = BDA->cursor_pos[r->bh & 7];
        r->cx = BDA->cursor_type;
        break;
    case 0x0e: // teletype output
        video_tty_putc(r->al);
        break;
    case 0x0f: // get mode
        r->al = BDA->video_mode;
        r->ah = BDA->video_cols;
        r->bh = BDA->video_page;
        break;
    default: // EGA (12h), VGA (1Ah), VESA (4Fh) probes: leave the
             // registers unchanged, which says "not present"
        dprintf(LOG_DEBUG, "int10: no video bios, ax=%04x bx=%04x\n",
                r->ax, r->bx);
        break;
    }
}
