// INT 15h system services (32-bit flat, entered through call32). INT 11h
// and INT 12h only read the BDA: they are 16-bit, in romlayout.S.
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Function numbers and results: IBM PC/AT Technical Reference (int 15h),
// ACPI 6.5 section 15.1 (E820h), Phoenix BIOS 4.0 User's Manual (E801h).
#include "bregs.h" // struct bregs
#include "config.h" // BUILD_BIOS16_BASE
#include "memmap.h" // MemMap
#include "output.h" // dprintf
#include "string.h" // memcpy
#include "timer.h" // udelay
#include "x86.h" // inb

#define RET_UNSUPPORTED 0x86
#define SMAP_SIGNATURE  0x534d4150 // "SMAP"
#define PORT_A20        0x92
#define  A20_ENABLE     0x02
#define MiB             0x100000

extern char fixed_cfgtable[]; // romlayout.S

/****************************************************************
 * Memory size
 ****************************************************************/

// E820h: one map entry per call; ebx is the continuation index.
static void
handle_15e820(struct bregs *r)
{
    if (r->edx != SMAP_SIGNATURE || r->ecx < sizeof(struct e820_entry)
        || r->ebx >= (u32)MemMap.count) {
        bregs_unsupported(r, RET_UNSUPPORTED);
        return;
    }
    memcpy(bregs_far_fl(r->es, r->di), &MemMap.entries[r->ebx],
           sizeof(struct e820_entry));
    r->ebx = r->ebx + 1 < (u32)MemMap.count ? r->ebx + 1 : 0;
    r->eax = SMAP_SIGNATURE;
    r->ecx = sizeof(struct e820_entry);
    bregs_ok(r);
}

// E801h: KiB between 1 and 16 MiB in ax/cx, 64 KiB blocks above 16 MiB
// (below 4 GiB) in bx/dx.
static void
handle_15e801(struct bregs *r)
{
    u32 top = memmap_lowram_top();
    u32 low_kb = top > 16 * MiB ? 15 * 1024 : (top - MiB) / 1024;
    u32 high64k = top > 16 * MiB ? (top - 16 * MiB) >> 16 : 0;
    r->ax = r->cx = low_kb;
    r->bx = r->dx = MIN(high64k, 0xffffu);
    bregs_ok(r);
}

// 88h: KiB above 1 MiB, at most 63 MiB (the answer is 16-bit).
static void
handle_1588(struct bregs *r)
{
    u32 kb = (memmap_lowram_top() - MiB) / 1024;
    r->ax = MIN(kb, 63u * 1024);
    bregs_ok(r);
}

/****************************************************************
 * A20, block move, wait, configuration
 ****************************************************************/

static void
handle_1524(struct bregs *r)
{
    u8 port = inb(PORT_A20);
    switch (r->al) {
    case 0x00:
        outb(port & ~A20_ENABLE, PORT_A20);
        break;
    case 0x01:
        outb(port | A20_ENABLE, PORT_A20);
        break;
    case 0x02:
        r->al = !!(port & A20_ENABLE);
        break;
    case 0x03:
        r->bx = 0x0002; // through port 92h (the keyboard controller path
        break;          // is not offered)
    default:
        bregs_unsupported(r, RET_UNSUPPORTED);
        return;
    }
    r->ah = 0;
    bregs_ok(r);
}

// 87h: copy cx words between the 24-bit bases of the descriptors at
// es:si + 10h (source) and + 18h (destination).
static void
handle_1587(struct bregs *r)
{
    u8 *gdt = bregs_far_fl(r->es, r->si);
    u32 src = gdt[0x12] | (gdt[0x13] << 8) | (gdt[0x14] << 16)
        | ((u32)gdt[0x17] << 24);
    u32 dst = gdt[0x1a] | (gdt[0x1b] << 8) | (gdt[0x1c] << 16)
        | ((u32)gdt[0x1f] << 24);
    memmove((void *)dst, (void *)src, (u32)r->cx * 2);
    r->ah = 0;
    bregs_ok(r);
}

// 86h: wait cx:dx microseconds.
static void
handle_1586(struct bregs *r)
{
    udelay(((u32)r->cx << 16) | r->dx);
    r->ah = 0;
    bregs_ok(r);
}

static void
handle_15c0(struct bregs *r)
{
    r->es = BUILD_BIOS_SEG;
    r->bx = (u32)fixed_cfgtable - BUILD_BIOS16_BASE;
    r->ah = 0;
    bregs_ok(r);
}

// ECh: the OS announces its target operating mode; nothing to tune.
static void
handle_15ec(struct bregs *r)
{
    r->ah = 0;
    bregs_ok(r);
}

VISIBLE32 void
handle_15(struct bregs *r)
{
    dprintf(LOG_TRACE, "int15: ax=%04x\n", r->ax);
    switch (r->ah) {
    case 0x24: handle_1524(r); break;
    case 0x4f: r->flags |= F_CF; break; // key not intercepted
    case 0x86: handle_1586(r); break;
    case 0x87: handle_1587(r); break;
    case 0x88: handle_1588(r); break;
    case 0x90: case 0x91: r->ah = 0; bregs_ok(r); break; // busy/post
    case 0xc0: handle_15c0(r); break;
    case 0xec: handle_15ec(r); break;
    case 0xe8:
        if (r->al == 0x20) {
            handle_15e820(r);
            break;
        }
        if (r->al == 0x01) {
            handle_15e801(r);
            break;
        }
        bregs_unsupported(r, RET_UNSUPPORTED);
        break;
    default: bregs_unsupported(r, RET_UNSUPPORTED); break;
    }
}
