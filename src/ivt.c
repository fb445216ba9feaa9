// Interrupt vector table, BDA and EBDA setup (32-bit flat).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Every vector gets a handler: services go to their entry stubs in
// romlayout.S, hardware IRQs to stubs that acknowledge the PIC, the rest
// to a plain iret.
#include "config.h" // BUILD_BIOS16_BASE
#include "hw/pic.h" // PIC1_VECTOR
#include "hw/serial.h" // PORT_COM1
#include "ivt.h" // ivt_setup
#include "output.h" // dprintf
#include "std/bda.h" // struct bios_data_area
#include "string.h" // memset, memset_l

// 16-bit entry points (romlayout.S): only their addresses are used here.
extern char entry_08[], entry_10[], entry_11[], entry_12[], entry_13[];
extern char entry_15[], entry_16[], entry_18[], entry_19[], entry_1a[];
extern char entry_irq_master[], entry_irq_slave[], fixed_iret[];
extern char fixed_fdparm[];

#define IVT ((volatile u32 *)0)
#define EBDA_SEG ((BUILD_LOWMEM_TOP - BUILD_EBDA_KB * 1024) >> 4)

u32
ivt_far_ptr(const void *sym)
{
    return ((u32)BUILD_BIOS_SEG << 16) | ((u32)sym - BUILD_BIOS16_BASE);
}

void POST_STEP
ivt_setup(void)
{
    memset_l((void *)IVT, ivt_far_ptr(fixed_iret), 256);
    for (int irq = 0; irq < 8; irq++) {
        IVT[PIC1_VECTOR + irq] = ivt_far_ptr(entry_irq_master);
        IVT[PIC2_VECTOR + irq] = ivt_far_ptr(entry_irq_slave);
    }
    static const struct { u8 vector; const char *entry; } services[] = {
        { 0x08, entry_08 }, { 0x10, entry_10 }, { 0x11, entry_11 },
        { 0x12, entry_12 }, { 0x13, entry_13 }, { 0x15, entry_15 },
        { 0x16, entry_16 }, { 0x18, entry_18 }, { 0x19, entry_19 },
        { 0x1a, entry_1a }, { 0x1e, fixed_fdparm },
    };
    for (u32 i = 0; i < ARRAY_SIZE(services); i++)
        IVT[services[i].vector] = ivt_far_ptr(services[i].entry);
    // Pointers to tables that do not exist, and user vectors.
    IVT[0x1d] = IVT[0x1f] = IVT[0x41] = IVT[0x46] = 0;
    for (int v = 0x60; v < 0x68; v++)
        IVT[v] = 0;
    dprintf(LOG_DEBUG, "ivt: 256 vectors set\n");
}

static int
bda_serial_ports(void)
{
    if (!serial_setup(PORT_COM1))
        return 0;
    BDA->com_port[0] = PORT_COM1;
    BDA->com_timeout[0] = 10;
    return 1;
}

void
bda_setup(void)
{
    memset((void *)BDA_ADDR, 0, sizeof(struct bios_data_area));
    BDA->ebda_seg = EBDA_SEG;
    BDA->mem_size_kb = (BUILD_LOWMEM_TOP >> 10) - BUILD_EBDA_KB;
    BDA->kbd_head = BDA->kbd_tail = BDA->kbd_buf_start =
        offsetof(struct bios_data_area, kbd_buf);
    BDA->kbd_buf_end = offsetof(struct bios_data_area, kbd_buf)
        + sizeof(BDA->kbd_buf);
    // A CGA-compatible text screen until a VGA BIOS says otherwise.
    BDA->video_mode = 3;
    BDA->video_cols = 80;
    BDA->video_rows = 24;
    BDA->char_height = 16;
    BDA->crtc_port = 0x3d4;
    int com = bda_serial_ports();
    BDA->equipment = BDA_EQUIP_VIDEO_80COL
        | (com << BDA_EQUIP_SERIAL_SHIFT);

    struct extended_bios_data_area *ebda = (void *)((u32)EBDA_SEG << 4);
    memset(ebda, 0, BUILD_EBDA_KB * 1024);
    ebda->size_kb = BUILD_EBDA_KB;
    dprintf(LOG_DEBUG, "bda: base memory %u KiB, ebda at 0x%05x\n",
            BDA->mem_size_kb, EBDA_SEG << 4);
}
