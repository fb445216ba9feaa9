// Local APIC registers (32-bit flat).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Intel SDM volume 3A, chapter 11 (table 11-1 register map, 11.6.1 ICR,
// 8.4.4 the INIT-SIPI-SIPI sequence).
#ifndef HW_LAPIC_H
#define HW_LAPIC_H

#define LAPIC_BASE          0xfee00000
#define LAPIC_ID            0x020
#define LAPIC_VERSION       0x030
#define LAPIC_SVR           0x0f0
#define  LAPIC_SVR_ENABLE   0x100
#define LAPIC_ICR_LOW       0x300
#define  LAPIC_ICR_INIT     0x00000500
#define  LAPIC_ICR_STARTUP  0x00000600
#define  LAPIC_ICR_PENDING  0x00001000
#define  LAPIC_ICR_ASSERT   0x00004000
#define  LAPIC_ICR_ALL_BUT_SELF 0x000c0000
#define LAPIC_ICR_HIGH      0x310
#define LAPIC_LVT_LINT0     0x350
#define LAPIC_LVT_LINT1     0x360
#define  LAPIC_LVT_EXTINT   0x00000700
#define  LAPIC_LVT_NMI      0x00000400
#define LAPIC_LVT_MASKED    0x00010000

#define IOAPIC_BASE         0xfec00000
#define IOAPIC_REGSEL       0x00
#define IOAPIC_WINDOW       0x10
#define IOAPIC_REG_ID       0x00
#define IOAPIC_REG_VERSION  0x01

#ifndef __ASSEMBLY__
#include "types.h" // u32

static inline u32
lapic_read(u32 reg)
{
    return *(volatile u32 *)(LAPIC_BASE + reg);
}

static inline void
lapic_write(u32 reg, u32 value)
{
    *(volatile u32 *)(LAPIC_BASE + reg) = value;
}

static inline u32
ioapic_read(u32 reg)
{
    *(volatile u32 *)(IOAPIC_BASE + IOAPIC_REGSEL) = reg;
    return *(volatile u32 *)(IOAPIC_BASE + IOAPIC_WINDOW);
}
#endif
#endif // HW_LAPIC_H
