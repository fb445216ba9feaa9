// CMOS access and RTC setup (32-bit flat).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#include "hw/rtc.h" // rtc_read
#include "timer.h" // timer_deadline_us
#include "x86.h" // outb

// NMIs stay enabled: the index port's top bit is kept clear.
u8
rtc_read(u8 index)
{
    outb(index, PORT_CMOS_INDEX);
    return inb(PORT_CMOS_DATA);
}

void
rtc_write(u8 index, u8 value)
{
    outb(index, PORT_CMOS_INDEX);
    outb(value, PORT_CMOS_DATA);
}

bool
rtc_wait_ready(void)
{
    u64 deadline = timer_deadline_us(2500);
    while (rtc_read(CMOS_STATUS_A) & RTC_A_UIP)
        if (timer_passed(deadline))
            return false;
    return true;
}

// 24-hour BCD mode with the standard 32.768 kHz base, as DOS-era software
// expects; QEMU's RTC follows whatever we choose.
void
rtc_setup(void)
{
    rtc_write(CMOS_STATUS_A, 0x26);
    rtc_write(CMOS_STATUS_B, RTC_B_24HR);
    rtc_read(CMOS_STATUS_D);
}
