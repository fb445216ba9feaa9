// INT 13h disk services while no disk driver is present (32-bit flat,
// entered through call32).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Every drive is absent: each call fails with CF set and AH = 01h
// (invalid function or drive), which is what EDD probes (AH=41h, Linux
// arch/x86/boot/edd.c) and drive counting loops stop on. The hard disk
// status byte in the BDA follows (IBM PC/AT Technical Reference).
#include "bregs.h" // struct bregs
#include "output.h" // dprintf
#include "std/bda.h" // BDA

#define DISK_RET_EPARAM 0x01

VISIBLE32 void
handle_13(struct bregs *r)
{
    dprintf(LOG_DEBUG, "int13: no drive 0x%02x, ax=%04x\n", r->dl, r->ax);
    if (r->dl & 0x80)
        BDA->disk_last_status = DISK_RET_EPARAM;
    bregs_fail(r, DISK_RET_EPARAM);
}
