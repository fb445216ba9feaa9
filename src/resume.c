// S3 resume: replay WRITE_POINTERs through a private fw_cfg DMA path,
// restore the chipset, lock shadow RAM, jump to the OS waking vector
// (32-bit flat).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// QEMU wakes a suspended guest by resetting the machine with RAM kept and
// CMOS shutdown status 0xfe. romlayout.S sees that plus RESUME_MAGIC,
// copies the pristine image around .data.resume and enters s3_resume().
// Everything here is small and fixed: no PCI enumeration, no table
// rebuild, no fw_cfg file lookups, no allocation. Waking vectors: ACPI
// 6.5, 5.2.10 (FACS) and 16.3.2 (which vector applies).
#include "boot.h" // reset_machine
#include "bregs.h" // call16
#include "byteorder.h" // cpu_to_be32
#include "config.h" // BUILD_BIOS_ADDR
#include "fw/acpi.h" // acpi_facs
#include "fw/chipset.h" // chipset_program
#include "fw/fw_cfg.h" // struct fw_cfg_dma_desc
#include "fw/shadow.h" // shadow_setup
#include "fw/smm.h" // smm_resume
#include "fw/tableloader.h" // tableloader_wp_records
#include "hw/pic.h" // pic_setup
#include "hw/rtc.h" // rtc_write
#include "output.h" // dprintf
#include "resume.h" // s3_resume
#include "smp.h" // smp_resume
#include "string.h" // memcmp
#include "x86.h" // outl

#define FACS_FW_WAKING_VECTOR  12
#define FACS_X_FW_WAKING_VECTOR 24
#define FACS_VERSION           32
#define RESUME_NO_REPLAY_FILE  "opt/org.reefbios/s3-no-replay"
#define RESUME_STACK_SIZE      512

// What POST leaves for resume; survives the resume copy (layout.ld).
struct resume_state {
    u32 facs; // 0: no ACPI, nothing to wake
    u8 replay; // 0: debug knob set, WRITE_POINTERs not replayed
} PACKED;
u32 ResumeMagic __attribute__((section(".data.resume")));
static struct resume_state Resume __attribute__((section(".data.resume")));

// The private DMA path: one descriptor, one 8-byte buffer, both in the
// E-segment (e820-reserved, so the OS never touches them).
static struct fw_cfg_dma_desc ResumeDesc ALIGNED(16);
static u64 ResumeBuf;
static u8 ResumeStack[RESUME_STACK_SIZE] ALIGNED(16) NOINIT;

void POST_STEP
resume_prepboot(void)
{
    Resume.facs = acpi_facs();
    Resume.replay = !fw_cfg_find(RESUME_NO_REPLAY_FILE);
    if (!Resume.replay)
        dprintf(LOG_WARN, "resume: %s set: write pointers will not be"
                " replayed\n", RESUME_NO_REPLAY_FILE);
    ResumeMagic = RESUME_MAGIC;
}

/****************************************************************
 * WRITE_POINTER replay
 ****************************************************************/

static int
resume_dma(u32 control, void *buf, u32 len)
{
    ResumeDesc.control = cpu_to_be32(control);
    ResumeDesc.length = cpu_to_be32(len);
    ResumeDesc.address = cpu_to_be64((u32)buf);
    barrier();
    outl(0, PORT_FW_CFG_DMA);
    outl(cpu_to_be32((u32)&ResumeDesc), PORT_FW_CFG_DMA + 4);
    u32 status;
    while ((status = be32_to_cpu(*(volatile u32 *)&ResumeDesc.control))
           & ~FW_CFG_DMA_ERROR)
        cpu_relax();
    return status & FW_CFG_DMA_ERROR ? -1 : 0;
}

static void
resume_replay(void)
{
    const struct tableloader_wp *wp = tableloader_wp_records();
    int count = tableloader_wp_count();
    if (!Resume.replay) {
        dprintf(LOG_WARN, "resume: %d write pointers not replayed (knob)\n",
                count);
        return;
    }
    for (int i = 0; i < count; i++) {
        u32 select = FW_CFG_DMA_SELECT | ((u32)wp[i].key << 16);
        ResumeBuf = wp[i].value;
        int err = resume_dma(select | FW_CFG_DMA_SKIP, NULL, wp[i].offset)
            || resume_dma(FW_CFG_DMA_WRITE, &ResumeBuf, wp[i].size);
        dprintf(err ? LOG_ERR : LOG_INFO, "resume: write pointer key 0x%04x"
                " offset %u size %u value 0x%llx%s\n", wp[i].key,
                wp[i].offset, wp[i].size, wp[i].value,
                err ? ": dma error" : "");
    }
}

/****************************************************************
 * Waking vector
 ****************************************************************/

static void NORETURN
resume_wake(void)
{
    const u8 *facs = (const u8 *)Resume.facs;
    if (!facs || memcmp(facs, "FACS", 4)) {
        dprintf(LOG_ERR, "resume: no facs (0x%08x), rebooting\n",
                Resume.facs);
        reset_machine();
    }
    u32 vector = *(const u32 *)(facs + FACS_FW_WAKING_VECTOR);
    u64 xvector = facs[FACS_VERSION] >= 1
        ? *(const u64 *)(facs + FACS_X_FW_WAKING_VECTOR) : 0;
    shadow_prepboot();
    if (xvector && xvector < 0x100000000ULL) {
        // We do not offer 64-bit wake: 32-bit flat, paging off, as now.
        dprintf(LOG_INFO, "resume: 32-bit waking vector 0x%08x\n",
                (u32)xvector);
        ((void (*)(void))(u32)xvector)();
    }
    if (!vector) {
        dprintf(LOG_ERR, "resume: os set no waking vector, rebooting\n");
        reset_machine();
    }
    dprintf(LOG_INFO, "resume: waking vector 0x%08x\n", vector);
    struct bregs r = { .cs = vector >> 4, .ip = vector & 0xf,
                       .flags = 0x0002 };
    u32 sp = (u32)ResumeStack + sizeof(ResumeStack) - BUILD_BIOS_ADDR;
    call16(&r, (BUILD_BIOS_ADDR >> 4) << 16 | sp);
    __builtin_unreachable();
}

void VISIBLE32 NORETURN
s3_resume(u64 tsc_start)
{
    (void)tsc_start;
    rtc_write(CMOS_SHUTDOWN, 0); // a reset from here on is a fresh POST
    output_preinit();
    dprintf(LOG_INFO, "resume: s3 wakeup\n");
    shadow_setup();
    chipset_program();
    pic_setup();
    int aps = smp_resume();
    dprintf(LOG_INFO, "resume: msrs restored on the bsp and %d aps\n", aps);
    smm_resume(); // QEMU's reset cleared SMRAM control and every SMBASE
    resume_replay();
    resume_wake();
}
