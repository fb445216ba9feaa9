// INT 1Ah real-time clock services (32-bit flat, entered through call32).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// IBM PC/AT Technical Reference, "Time-of-day" (int 1Ah AH=00h-07h).
// The date and time come from the RTC in BCD. The tick count (AH=00h,
// 01h) lives in the BDA, advanced by IRQ 0: both its functions are
// 16-bit (romlayout.S entry_1a, entry_08) and never reach this file.
#include "bregs.h" // struct bregs
#include "hw/rtc.h" // rtc_read
#include "output.h" // dprintf

#define RET_UNSUPPORTED 0x86

// Reads and writes of the RTC fail (CF set) while it never leaves an
// update cycle, as the AT BIOS does.
static bool
rtc_usable(struct bregs *r)
{
    if (rtc_wait_ready())
        return true;
    dprintf(LOG_WARN, "rtc: update in progress timeout\n");
    r->flags |= F_CF;
    return false;
}

static void
handle_1a02(struct bregs *r)
{
    if (!rtc_usable(r))
        return;
    r->dh = rtc_read(CMOS_RTC_SECONDS);
    r->cl = rtc_read(CMOS_RTC_MINUTES);
    r->ch = rtc_read(CMOS_RTC_HOURS);
    r->dl = rtc_read(CMOS_STATUS_B) & RTC_B_DSE;
    r->ah = 0;
    r->al = r->ch;
    bregs_ok(r);
}

// Writes go in with the SET bit so no update cycle sees half a time.
static void
rtc_update(u8 index[3], u8 value[3])
{
    u8 b = rtc_read(CMOS_STATUS_B);
    rtc_write(CMOS_STATUS_B, b | RTC_B_SET);
    for (int i = 0; i < 3; i++)
        rtc_write(index[i], value[i]);
    rtc_write(CMOS_STATUS_B, b & ~RTC_B_SET);
}

static void
handle_1a03(struct bregs *r)
{
    if (!rtc_usable(r))
        return;
    u8 index[3] = { CMOS_RTC_SECONDS, CMOS_RTC_MINUTES, CMOS_RTC_HOURS };
    u8 value[3] = { r->dh, r->cl, r->ch };
    rtc_update(index, value);
    u8 b = rtc_read(CMOS_STATUS_B);
    rtc_write(CMOS_STATUS_B, (b & ~RTC_B_DSE) | (r->dl & RTC_B_DSE));
    r->ah = 0;
    r->al = r->ch;
    bregs_ok(r);
}

static void
handle_1a04(struct bregs *r)
{
    if (!rtc_usable(r))
        return;
    r->cl = rtc_read(CMOS_RTC_YEAR);
    r->dh = rtc_read(CMOS_RTC_MONTH);
    r->dl = rtc_read(CMOS_RTC_DAY_OF_MONTH);
    r->ch = rtc_read(CMOS_CENTURY);
    r->ah = 0;
    r->al = r->ch;
    bregs_ok(r);
}

static void
handle_1a05(struct bregs *r)
{
    if (!rtc_usable(r))
        return;
    u8 index[3] = { CMOS_RTC_YEAR, CMOS_RTC_MONTH, CMOS_RTC_DAY_OF_MONTH };
    u8 value[3] = { r->cl, r->dh, r->dl };
    rtc_update(index, value);
    rtc_write(CMOS_CENTURY, r->ch);
    r->ah = 0;
    r->al = r->ch;
    bregs_ok(r);
}

VISIBLE32 void
handle_1a(struct bregs *r)
{
    dprintf(LOG_TRACE, "int1a: ax=%04x\n", r->ax);
    switch (r->ah) {
    case 0x02: handle_1a02(r); break;
    case 0x03: handle_1a03(r); break;
    case 0x04: handle_1a04(r); break;
    case 0x05: handle_1a05(r); break;
    default: bregs_unsupported(r, RET_UNSUPPORTED); break;
    }
}
