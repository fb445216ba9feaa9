// -kernel boot: load a Linux bzImage, its command line and initrd straight
// from fw_cfg (DMA when offered) and enter its real-mode setup (32-bit
// flat).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// QEMU (hw/i386/x86.c) parses the kernel file, decides where the setup,
// kernel, command line and initrd go, and offers them as fw_cfg items
// 0x07-0x18 together with an option ROM (genroms/linuxboot_dma.bin) that
// would copy them. We do that copy ourselves, but only after checking the
// header (bzimage.c) and that every destination is RAM the BIOS does not
// use. Boot protocol: Linux Documentation/arch/x86/boot.rst.
#include "autoconf.h" // CONFIG_BOOT_LINUX
#include "bregs.h" // struct bregs
#include "bzimage.h" // bzimage_check
#include "config.h" // BUILD_STACK_TOP
#include "fw/acpi.h" // acpi_rsdp
#include "fw/fw_cfg.h" // fw_cfg_read_u32
#include "linuxboot.h" // linuxboot_boot
#include "malloc.h" // zone_alloc
#include "memmap.h" // memmap_is_ram
#include "optionrom.h" // optionrom_boot_fw_cfg
#include "output.h" // dprintf
#include "string.h" // strlen
#include "timer.h" // timer_us_since_start

#define SETUP_LOW_LIMIT  BUILD_STACK_TOP // below: IVT, BDA, our stack
#define SETUP_HIGH_LIMIT (BUILD_LOWMEM_TOP - BUILD_EBDA_KB * 1024)
#define SETUP_SEG_SPAN   0x10000 // setup code, heap and stack: one segment
#define ENTRY_OFFSET     0x200 // setup entry: (segment + 0x20):0000

enum rom_kind { ROM_NONE, ROM_LINUX, ROM_MULTIBOOT, ROM_PVH };

// The bootorder path of each option ROM QEMU offers for -kernel: "/rom@"
// and its fw_cfg file name.
#define ROM_PREFIX "/rom@"
#define ROM_PREFIX_LEN (sizeof(ROM_PREFIX) - 1) // no strlen() call
static const struct {
    const char *path;
    enum rom_kind kind;
} KernelRoms[] = {
    { ROM_PREFIX "genroms/linuxboot_dma.bin", ROM_LINUX },
    { ROM_PREFIX "genroms/linuxboot.bin", ROM_LINUX },
    { ROM_PREFIX "genroms/multiboot_dma.bin", ROM_MULTIBOOT },
    { ROM_PREFIX "genroms/multiboot.bin", ROM_MULTIBOOT },
    { ROM_PREFIX "genroms/pvh.bin", ROM_PVH },
};

static enum rom_kind RomKind;
static const char *RomPath; // a KernelRoms[].path

const char *
linuxboot_rom_path(void)
{
    for (u32 i = 0; i < ARRAY_SIZE(KernelRoms); i++) {
        if (!fw_cfg_find(KernelRoms[i].path + ROM_PREFIX_LEN))
            continue;
        RomKind = KernelRoms[i].kind;
        RomPath = KernelRoms[i].path;
        return RomPath;
    }
    return NULL;
}

// The parts of a -kernel boot, each with its fw_cfg items
// FW_CFG_<KEY>_ADDR, _SIZE and _DATA, in one table so that one loop
// queries them.
enum { PART_SETUP, PART_KERNEL, PART_CMDLINE, PART_INITRD, PART_COUNT };
struct part {
    const char *name;
    u16 addr_key, size_key, data_key;
};
#define PART(name, KEY) { #name, FW_CFG_##KEY##_ADDR, FW_CFG_##KEY##_SIZE, \
                          FW_CFG_##KEY##_DATA }
static const struct part Parts[PART_COUNT] = {
    [PART_SETUP] = PART(setup, SETUP),
    [PART_KERNEL] = PART(kernel, KERNEL),
    [PART_CMDLINE] = PART(cmdline, CMDLINE),
    [PART_INITRD] = PART(initrd, INITRD),
};
// Not an fw_cfg item: the setup's 64 KiB segment (no keys).
static const struct part SegPart = { "setup segment", 0, 0, 0 };

// One part and where it goes.
struct blob {
    const struct part *part;
    u32 addr, size;
};

// Where QEMU wants parts first..PART_COUNT - 1, and how big they are.
static void
blobs_query(struct blob *b, int first)
{
    for (int i = first; i < PART_COUNT; i++) {
        b[i].part = &Parts[i];
        b[i].addr = fw_cfg_read_u32(Parts[i].addr_key);
        b[i].size = fw_cfg_read_u32(Parts[i].size_key);
    }
}

static bool
blob_fits(const struct blob *b, u32 low, u32 high)
{
    if (!b->size)
        return true;
    if (b->addr >= low && b->addr <= high && b->size <= high - b->addr
        && memmap_is_ram(b->addr, b->size))
        return true;
    dprintf(LOG_ERR, "linux: invalid kernel: %s at 0x%08x size %u outside"
            " ram 0x%08x-0x%08x\n", b->part->name, b->addr, b->size, low, high);
    return false;
}

static bool
blobs_overlap(const struct blob *a, const struct blob *b)
{
    if (!a->size || !b->size)
        return false;
    if (a->addr + a->size <= b->addr || b->addr + b->size <= a->addr)
        return false;
    dprintf(LOG_ERR, "linux: invalid kernel: %s 0x%08x+%u overlaps %s"
            " 0x%08x+%u\n", a->part->name, a->addr, a->size, b->part->name,
            b->addr,
            b->size);
    return true;
}

// QEMU places the initrd just below the top of low RAM minus what it
// expects the firmware to keep (160 KiB); ReefBIOS may keep more, so when
// QEMU's spot is not RAM the initrd moves down to the highest spot that
// is, as any boot loader may choose (boot.rst, ramdisk_image).
static void
initrd_place(struct blob *initrd, u32 initrd_max)
{
    if (!initrd->size || memmap_is_ram(initrd->addr, initrd->size))
        return;
    u32 top = MIN(memmap_lowram_top(), initrd_max + 1);
    if (top < initrd->size)
        return; // blob_fits() refuses it with a line
    u32 addr = ALIGN_DOWN(top - initrd->size, 4096);
    dprintf(LOG_INFO, "linux: initrd moved from 0x%08x to 0x%08x: qemu's"
            " place is not ram\n", initrd->addr, addr);
    initrd->addr = addr;
}

static int
blob_load(const struct blob *b)
{
    if (!b->size)
        return 0;
    return fw_cfg_read_item(b->part->data_key, (void *)b->addr, b->size);
}

// sp: the top of the setup heap (at most 0xfff0, inside the segment).
static void NORETURN
linuxboot_enter(u32 setup_addr, u16 sp)
{
    // Static, so zero already: no clearing code. Entered once, no return.
    static struct bregs r;
    u16 seg = setup_addr >> 4;
    r.ds = r.es = r.fs = r.gs = seg;
    r.cs = seg + (ENTRY_OFFSET >> 4);
    r.flags = 0x0002; // interrupts off
    // The time is read only for the log (it may calibrate the TSC).
    if (output_active()) {
        u32 us = timer_us_since_start();
        dprintf(LOG_INFO, "boot: linux handoff at %u.%03u ms, entry"
                " %04x:0000\n", (u32)(us / 1000), (u32)(us % 1000), r.cs);
    }
    // The stack sits at the top of the heap, as boot.rst suggests.
    call16(&r, ((u32)seg << 16) | sp);
    __builtin_unreachable();
}

// Loads parts first..end - 1; false (after a line) when a read fails.
static bool
blobs_load(const struct blob *b, int first, int end, const char *who)
{
    for (int i = first; i < end; i++)
        if (blob_load(&b[i])) {
            dprintf(LOG_ERR, "%s: fw_cfg read failed\n", who);
            return false;
        }
    return true;
}

// The slot after the parts holds the setup segment.
#define PART_SEG PART_COUNT
// Pairs of bzImage destinations that must not overlap, in the order they
// are checked.
static const u8 BzOverlaps[][2] = {
    { PART_KERNEL, PART_INITRD }, { PART_SEG, PART_CMDLINE },
    { PART_KERNEL, PART_CMDLINE },
};

static void
linuxboot_bzimage(void)
{
    struct blob b[PART_COUNT + 1];
    struct blob *setup = &b[PART_SETUP], *kernel = &b[PART_KERNEL];
    struct blob *cmdline = &b[PART_CMDLINE], *initrd = &b[PART_INITRD];
    struct blob *seg = &b[PART_SEG];
    blobs_query(b, PART_SETUP);
    dprintf(LOG_INFO, "linux: setup %u at 0x%x, kernel %u at 0x%x, cmdline"
            " %u at 0x%x, initrd %u at 0x%x, load by %s\n", setup->size,
            setup->addr, kernel->size, kernel->addr, cmdline->size,
            cmdline->addr, initrd->size, initrd->addr,
            fw_cfg_has_dma() ? "dma" : "pio");

    // The setup segment: code, heap and stack in one 64 KiB segment. It
    // is checked first so that the setup is read once, into its place
    // (RAM nothing else uses), and its header checked there before
    // anything else is placed.
    if (setup->addr & 0xf) {
        dprintf(LOG_ERR, "linux: invalid kernel: setup address 0x%08x not"
                " paragraph aligned\n", setup->addr);
        return;
    }
    u32 heap_top = MIN(SETUP_HIGH_LIMIT - setup->addr, (u32)SETUP_SEG_SPAN);
    if (cmdline->size && cmdline->addr > setup->addr)
        heap_top = MIN(heap_top, cmdline->addr - setup->addr);
    *seg = (struct blob){ &SegPart, setup->addr, heap_top };
    if (!blob_fits(seg, SETUP_LOW_LIMIT, SETUP_HIGH_LIMIT))
        return;
    if (heap_top < setup->size) {
        dprintf(LOG_ERR, "linux: invalid kernel: setup %u bytes above the"
                " setup segment's %u\n", setup->size, heap_top);
        return;
    }
    if (!blobs_load(b, PART_SETUP, PART_SETUP + 1, "linux"))
        return;
    struct bzimage_info info;
    if (bzimage_check((void *)setup->addr, setup->size, kernel->size,
                      initrd->size, cmdline->size, &info))
        return;

    u32 initrd_max = MIN(info.initrd_addr_max, 0xfffffffe);
    initrd_place(initrd, initrd_max);
    if (!blob_fits(kernel, 0x100000, 0xffffffff)
        || !blob_fits(cmdline, SETUP_LOW_LIMIT, SETUP_HIGH_LIMIT)
        || !blob_fits(initrd, 0x100000, initrd_max + 1))
        return;
    // One loop body to translate, not three copies.
#pragma GCC unroll 1
    for (u32 i = 0; i < ARRAY_SIZE(BzOverlaps); i++)
        if (blobs_overlap(&b[BzOverlaps[i][0]], &b[BzOverlaps[i][1]]))
            return;
    if (!blobs_load(b, PART_KERNEL, PART_COUNT, "linux"))
        return;

    struct bzimage_fill_args args = {
        .setup_addr = setup->addr, .heap_end = heap_top & ~0xfu,
        .cmdline_addr = cmdline->addr, .cmdline_size = cmdline->size,
        .initrd_addr = initrd->addr, .initrd_size = initrd->size,
    };
    bzimage_fill((void *)setup->addr, &args);
    linuxboot_enter(setup->addr, MIN(args.heap_end, 0xfff0u));
}

/****************************************************************
 * PVH
 ****************************************************************/

// Xen's PVH boot ABI (xen/include/public/arch-x86/hvm/start_info.h):
// 32-bit flat protected mode, paging off, ebx = struct hvm_start_info.
// Loaded here rather than by QEMU's pvh.bin because that ROM puts the
// initrd where QEMU said, which on q35 is now TSEG.
#define PVH_START_MAGIC 0x336ec578

struct hvm_start_info {
    u32 magic, version, flags, nr_modules;
    u64 modlist_paddr, cmdline_paddr, rsdp_paddr;
    u64 memmap_paddr; // version 1
    u32 memmap_entries, reserved;
} PACKED;
_Static_assert(sizeof(struct hvm_start_info) == 56, "start_info");

struct hvm_modlist_entry {
    u64 paddr, size, cmdline_paddr, reserved;
} PACKED;

struct hvm_memmap_entry {
    u64 addr, size;
    u32 type, reserved;
} PACKED;

static void
linuxboot_pvh(void)
{
    struct blob b[PART_COUNT];
    struct blob *kernel = &b[PART_KERNEL], *cmdline = &b[PART_CMDLINE];
    struct blob *initrd = &b[PART_INITRD];
    blobs_query(b, PART_KERNEL);
    u32 entry = fw_cfg_read_u32(FW_CFG_KERNEL_ENTRY);
    dprintf(LOG_INFO, "pvh: kernel %u at 0x%x entry 0x%x, cmdline %u at 0x%x,"
            " initrd %u at 0x%x, load by %s\n", kernel->size, kernel->addr,
            entry, cmdline->size, cmdline->addr, initrd->size, initrd->addr,
            fw_cfg_has_dma() ? "dma" : "pio");
    initrd_place(initrd, 0xfffffffe);
    if (cmdline->size && !cmdline->addr) {
        // QEMU leaves the PVH command line's place to the loader.
        void *p = zone_alloc(ZONE_HIGH, cmdline->size, 16);
        if (!p)
            return;
        cmdline->addr = (u32)p;
    }
    if (!kernel->size || entry < kernel->addr
        || entry - kernel->addr >= kernel->size) {
        dprintf(LOG_ERR, "pvh: invalid kernel: entry 0x%x outside the"
                " kernel 0x%x+%u\n", entry, kernel->addr, kernel->size);
        return;
    }
    if (!blob_fits(kernel, 0x100000, 0xffffffff)
        || (!memmap_is_ram(cmdline->addr, cmdline->size)
            && cmdline->addr < zone_high_used_start()
            && !blob_fits(cmdline, SETUP_LOW_LIMIT, 0xffffffff))
        || !blob_fits(initrd, 0x100000, 0xffffffff)
        || blobs_overlap(kernel, initrd) || blobs_overlap(kernel, cmdline)
        || blobs_overlap(cmdline, initrd))
        return;
    struct hvm_start_info *si = zone_alloc(ZONE_HIGH, sizeof(*si), 16);
    struct hvm_modlist_entry *mod = zone_alloc(ZONE_HIGH, sizeof(*mod), 16);
    // Room for the map after memmap_prepboot() runs again below (it
    // changes entry boundaries, not their number; two spare all the same).
    int map_max = MemMap.count + 2;
    struct hvm_memmap_entry *map = zone_alloc(ZONE_HIGH, map_max
                                              * sizeof(*map), 16);
    if (!si || !mod || !map)
        return;
    // POST already returned the high zone's unused part to the OS; these
    // structures (and the command line) came from that part.
    memmap_prepboot();
    if (MemMap.count > map_max) {
        dprintf(LOG_ERR, "pvh: e820 grew to %d entries, room for %d\n",
                MemMap.count, map_max);
        return;
    }
    // QEMU loaded the ELF's segments itself (its ROM blobs, at every
    // reset); FW_CFG_KERNEL_DATA is the file, not what goes at the
    // kernel's address.
    if (!blobs_load(b, PART_CMDLINE, PART_COUNT, "pvh"))
        return;
    for (int i = 0; i < MemMap.count; i++)
        map[i] = (struct hvm_memmap_entry){ MemMap.entries[i].start,
                                            MemMap.entries[i].size,
                                            MemMap.entries[i].type, 0 };
    *mod = (struct hvm_modlist_entry){ initrd->addr, initrd->size, 0, 0 };
    *si = (struct hvm_start_info){
        .magic = PVH_START_MAGIC, .version = 1,
        .nr_modules = initrd->size ? 1 : 0, .modlist_paddr = (u32)mod,
        .cmdline_paddr = cmdline->size ? cmdline->addr : 0,
        .rsdp_paddr = acpi_rsdp(), .memmap_paddr = (u32)map,
        .memmap_entries = MemMap.count,
    };
    if (output_active()) { // the time is read only for the log
        u32 us = timer_us_since_start();
        dprintf(LOG_INFO, "boot: pvh handoff at %u.%03u ms, entry 0x%08x,"
                " start info at 0x%08x\n", (u32)(us / 1000),
                (u32)(us % 1000), entry, (u32)si);
    }
    // Already in 32-bit flat mode with paging and interrupts off.
    asm volatile("jmp *%0" : : "r"(entry), "b"(si) : "memory");
    __builtin_unreachable();
}

void
linuxboot_boot(void)
{
    if (RomKind == ROM_NONE)
        return;
    // Without our loaders (CONFIG_BOOT_LINUX), and always for multiboot,
    // QEMU's ROM loads the kernel and its parts itself (fw_cfg DMA) at
    // the addresses QEMU chose, and enters it.
    if (!CONFIG_BOOT_LINUX || RomKind == ROM_MULTIBOOT)
        optionrom_boot_fw_cfg(RomPath + ROM_PREFIX_LEN);
    else if (RomKind == ROM_LINUX)
        linuxboot_bzimage();
    else
        linuxboot_pvh();
}
