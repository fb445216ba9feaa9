// MC146818 real-time clock and CMOS memory (32-bit flat).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Motorola MC146818A data sheet; QEMU's CMOS memory-size bytes are listed
// in QEMU hw/i386/pc.c (pc_cmos_init). Frozen legacy interface.
#ifndef HW_RTC_H
#define HW_RTC_H

#define PORT_CMOS_INDEX  0x70
#define  CMOS_NMI_DISABLE 0x80
#define PORT_CMOS_DATA   0x71

#define CMOS_RTC_SECONDS      0x00
#define CMOS_RTC_MINUTES      0x02
#define CMOS_RTC_HOURS        0x04
#define CMOS_RTC_DAY_OF_MONTH 0x07
#define CMOS_RTC_MONTH        0x08
#define CMOS_RTC_YEAR         0x09
#define CMOS_STATUS_A         0x0a
#define  RTC_A_UIP            0x80 // update in progress
#define CMOS_STATUS_B         0x0b
#define  RTC_B_DSE            0x01
#define  RTC_B_24HR           0x02
#define  RTC_B_BINARY         0x04
#define  RTC_B_SET            0x80
#define CMOS_STATUS_D         0x0d
#define CMOS_SHUTDOWN         0x0f // reset reason; 0xfe = S3 resume (QEMU)
#define CMOS_MEM_EXT_LOW      0x30 // KiB above 1 MiB, up to 64 MiB
#define CMOS_MEM_EXT_HIGH     0x31
#define CMOS_MEM_16M_LOW      0x34 // 64 KiB units above 16 MiB, below 4G
#define CMOS_MEM_16M_HIGH     0x35
#define CMOS_MEM_4G_LOW       0x5b // 64 KiB units above 4 GiB (24 bits)
#define CMOS_MEM_4G_MID       0x5c
#define CMOS_MEM_4G_HIGH      0x5d
#define CMOS_CENTURY          0x32

#ifndef __ASSEMBLY__
#include "types.h" // u8

u8 rtc_read(u8 index);
void rtc_write(u8 index, u8 value);
// Wait until no RTC update is in progress (up to ~2 ms), so that a
// following read of the time registers is consistent. False on timeout.
bool rtc_wait_ready(void);
void rtc_setup(void);
#endif
#endif // HW_RTC_H
