// Boot list, INT 18h/19h and "no bootable device" (32-bit flat; INT
// 18h/19h entered through call32).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Every bootable thing is an entry with a priority: its line in QEMU's
// bootorder file, else its class default. boot_run() tries entries in
// order; a failed entry falls through to the next.
#include "boot.h" // boot_run
#include "bootorder.h" // bootorder_find
#include "bregs.h" // struct bregs
#include "fw/fw_cfg.h" // fw_cfg_find
#include "hw/pci.h" // PORT_PCI_RESET
#include "hw/serial.h" // serial_write
#include "linuxboot.h" // linuxboot_boot
#include "malloc.h" // zone_alloc
#include "output.h" // dprintf
#include "std/bda.h" // BDA
#include "string.h" // strlen
#include "timer.h" // mdelay
#include "x86.h" // outb

#define BOOT_MAX_ENTRIES 16
#define PRIO_DEFAULT_KERNEL 100 // -kernel first when bootorder is silent
#define PORT_KBD_CMD 0x64
#define  KBD_CMD_RESET 0xfe
#define VGA_TEXT 0xb8000

enum boot_type { BOOT_KERNEL };

struct boot_entry {
    enum boot_type type;
    int prio;
    const char *desc;
};

static struct boot_entry Entries[BOOT_MAX_ENTRIES];
static int EntryCount, NextEntry;
static char *BootOrder;
static u32 BootOrderLen;

static int
boot_prio(const char *path, int fallback)
{
    int index = BootOrder ? bootorder_find(BootOrder, BootOrderLen, path)
        : -1;
    return index >= 0 ? index : fallback;
}

static void
boot_add(enum boot_type type, int prio, const char *desc)
{
    if (EntryCount == BOOT_MAX_ENTRIES) {
        dprintf(LOG_WARN, "boot: list full, dropping %s\n", desc);
        return;
    }
    int i = EntryCount++;
    for (; i > 0 && Entries[i - 1].prio > prio; i--) // stable by prio
        Entries[i] = Entries[i - 1];
    Entries[i] = (struct boot_entry){ type, prio, desc };
    dprintf(LOG_INFO, "boot: entry %s, priority %d\n", desc, prio);
}

static void
boot_read_bootorder(void)
{
    const struct fwcfg_file *f = fw_cfg_find("bootorder");
    if (!f || !f->size)
        return;
    char *text = zone_alloc(ZONE_HIGH, f->size + 1, 1);
    if (!text || fw_cfg_read_file(f, 0, text, f->size))
        return;
    text[f->size] = 0;
    BootOrder = text;
    BootOrderLen = f->size;
}

void POST_STEP
boot_setup(void)
{
    boot_read_bootorder();
    const char *rom = linuxboot_rom_path();
    if (rom)
        boot_add(BOOT_KERNEL, boot_prio(rom, PRIO_DEFAULT_KERNEL),
                 "kernel from fw_cfg");
    if (!EntryCount)
        dprintf(LOG_INFO, "boot: no boot entries\n");
}

/****************************************************************
 * Boot failure
 ****************************************************************/

void
reset_machine(void)
{
    dprintf(LOG_INFO, "boot: rebooting\n");
    outb(PCI_RESET_SYS, PORT_PCI_RESET);
    outb(PCI_RESET_SYS | PCI_RESET_CPU, PORT_PCI_RESET);
    udelay(100);
    outb(KBD_CMD_RESET, PORT_KBD_CMD);
    udelay(100);
    // Last resort: an empty IDT makes the next interrupt a triple fault.
    static const u64 null_idt = 0;
    asm volatile("lidt %0; int3" : : "m"(null_idt));
    for (;;)
        cpu_halt();
}

// Tell the user on every console we have: log, serial, text screen.
static void
boot_fail_message(const char *msg)
{
    dprintf(LOG_ERR, "boot: %s\n", msg);
    if (BDA->com_port[0]) {
        serial_write(BDA->com_port[0], msg, strlen(msg));
        serial_write(BDA->com_port[0], "\n", 1);
    }
    volatile u16 *screen = (void *)VGA_TEXT;
    for (u32 i = 0; msg[i] && i < 80; i++)
        screen[i] = 0x0700 | (u8)msg[i];
}

static void NORETURN
boot_fail(void)
{
    u32 wait_ms = fw_cfg_read_file_int("etc/boot-fail-wait",
                                       CONFIG_BOOT_FAIL_WAIT_DEFAULT * 1000);
    if (wait_ms == 0xffffffff) {
        boot_fail_message("no bootable device");
        for (;;)
            cpu_halt();
    }
    char msg[64];
    output_snprintf(msg, sizeof(msg), "no bootable device, retrying in %u"
                    " seconds", wait_ms / 1000);
    boot_fail_message(msg);
    mdelay(wait_ms);
    reset_machine();
}

/****************************************************************
 * Boot
 ****************************************************************/

static void
boot_entry_run(struct boot_entry *e)
{
    switch (e->type) {
    case BOOT_KERNEL:
        linuxboot_boot();
        break;
    }
}

static void NORETURN
boot_run_from(int index)
{
    for (NextEntry = index; NextEntry < EntryCount;) {
        struct boot_entry *e = &Entries[NextEntry++];
        dprintf(LOG_INFO, "boot: trying %s\n", e->desc);
        boot_entry_run(e);
        dprintf(LOG_WARN, "boot: %s failed\n", e->desc);
    }
    boot_fail();
}

void
boot_run(void)
{
    boot_run_from(0);
}

// INT 19h: start the boot list over (a boot sector may call it).
VISIBLE32 void
handle_19(struct bregs *r)
{
    (void)r;
    dprintf(LOG_INFO, "boot: int 19h\n");
    boot_run_from(0);
}

// INT 18h: the running boot target gave up; try the next entry.
VISIBLE32 void
handle_18(struct bregs *r)
{
    (void)r;
    dprintf(LOG_INFO, "boot: int 18h\n");
    boot_run_from(NextEntry);
}
