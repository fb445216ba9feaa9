// Memory map setup: RAM from QEMU, the BIOS's own reservations, the high
// zone (32-bit flat).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#include "config.h" // BUILD_BIOS_ADDR
#include "fw/chipset.h" // ICH9_RCBA_ADDR, ICH9_RCRB_SIZE
#include "fw/fw_cfg.h" // fw_cfg_find
#include "fw/shadow.h" // shadow_machine
#include "fw/smm.h" // smm_tseg_reserve
#include "hw/rtc.h" // rtc_read
#include "malloc.h" // malloc_setup_high
#include "memmap.h" // memmap_setup
#include "output.h" // dprintf, output_active

#define E820_MAX_ENTRIES 64
#define EBDA_START (BUILD_LOWMEM_TOP - BUILD_EBDA_KB * 1024)

// What the BIOS itself keeps, set in this order over QEMU's RAM: EBDA,
// the legacy hole (VGA memory and option ROMs are not RAM to the OS), the
// BIOS, the flash. On q35 the chipset also decodes the RCRB at RCBA;
// QEMU's DSDT does not describe it (no PNP0C02 resource), so e820 is the
// only place the OS can learn that the range is taken. It must stay last:
// on pc the list ends before it.
static const struct e820_entry BiosRanges[] = {
    { EBDA_START, BUILD_LOWMEM_TOP - EBDA_START, E820_RESERVED },
    { BUILD_LOWMEM_TOP, BUILD_BIOS_ADDR - BUILD_LOWMEM_TOP, 0 }, // a hole
    { BUILD_BIOS_ADDR, 0x100000 - BUILD_BIOS_ADDR, E820_RESERVED },
    { FLASH_BASE, 0x100000000ULL - FLASH_BASE, E820_RESERVED },
    { ICH9_RCBA_ADDR, ICH9_RCRB_SIZE, E820_RESERVED }, // q35 only
};

static struct e820_entry MemMapEntries[E820_MAX_ENTRIES] NOINIT; // MemMap.count used
struct e820_map MemMap;
static u32 LowRamEnd;

u32
memmap_lowram_end(void)
{
    return LowRamEnd;
}

static int
memmap_from_qemu(void)
{
    const struct fwcfg_file *f = fw_cfg_find("etc/e820");
    if (!f)
        return -1;
    u32 len = MIN(f->size, (u32)E820_MAX_ENTRIES * 20);
    void *buf = zone_alloc(ZONE_TMP, len, 4);
    if (!buf || fw_cfg_read_file(f, 0, buf, len))
        return -1;
    if (e820map_import_qemu(&MemMap, buf, len) <= 0)
        return -1;
    dprintf(LOG_INFO, "e820: from fw_cfg etc/e820 (%u bytes)\n", f->size);
    return 0;
}

static void
memmap_from_cmos(void)
{
    u16 ext_kb = rtc_read(CMOS_MEM_EXT_LOW)
        | (rtc_read(CMOS_MEM_EXT_HIGH) << 8);
    u16 ext64k = rtc_read(CMOS_MEM_16M_LOW)
        | (rtc_read(CMOS_MEM_16M_HIGH) << 8);
    u32 high64k = rtc_read(CMOS_MEM_4G_LOW)
        | (rtc_read(CMOS_MEM_4G_MID) << 8)
        | ((u32)rtc_read(CMOS_MEM_4G_HIGH) << 16);
    e820map_add(&MemMap, 0, BUILD_LOWMEM_TOP, E820_RAM);
    e820map_from_cmos(&MemMap, ext_kb, ext64k, high64k);
    dprintf(LOG_INFO, "e820: from cmos, ext=%ukb 16m+=%ux64k 4g+=%ux64k\n",
            ext_kb, ext64k, high64k);
}

u32
memmap_lowram_top(void)
{
    return (u32)e820map_ram_top_below(&MemMap, 0x100000000ULL);
}

bool
memmap_is_ram(u64 start, u64 size)
{
    u64 end = start + size;
    if (end < start)
        return false;
    for (int i = 0; i < MemMap.count && start < end; i++) {
        struct e820_entry *e = &MemMap.entries[i];
        if (e->type == E820_RAM && e->start <= start
            && start < e->start + e->size)
            start = e->start + e->size;
    }
    return start >= end;
}

void POST_STEP
memmap_setup(void)
{
    e820map_init(&MemMap, MemMapEntries, E820_MAX_ENTRIES);
    if (memmap_from_qemu())
        memmap_from_cmos();
    // One call for all of them: under TCG each call site of its own,
    // with its 64-bit arguments, would be translated for one use.
    e820map_apply_list(&MemMap, BiosRanges, ARRAY_SIZE(BiosRanges)
                       - (shadow_machine() != MACHINE_Q35));

    u32 top = memmap_lowram_top();
    LowRamEnd = top;
    top -= smm_tseg_reserve(top); // Q35 SMRAM: QEMU fixes it at the top
    if (top < 16 * 1024 * 1024)
        dprintf(LOG_WARN, "e820: only %u KiB of RAM below 4 GiB\n",
                top / 1024);
    u32 high = top - HIGH_ZONE_SIZE;
    malloc_setup_high(high, top);
    e820map_add(&MemMap, high, HIGH_ZONE_SIZE, E820_RESERVED);
    // The map is logged only when someone listens: the dump's loop
    // (and the call to it) would be translated for nothing.
    if (output_active()) {
        dprintf(LOG_INFO, "e820: low ram top 0x%08x, high zone"
                " 0x%08x-0x%08x, ram total %u MiB\n", top, high, top - 1,
                (u32)(e820map_ram_total(&MemMap) >> 20));
        e820map_dump(&MemMap);
    }
}

// Whole pages only: an OS uses no partial page, and Linux relocates an
// initrd that ends in one (initrd_place() puts it right below the top of
// RAM), as that page is not in its direct map.
void
memmap_prepboot(void)
{
    static u32 returned_end; // where what an earlier call returned ends
    u32 start = zone_high_end() - HIGH_ZONE_SIZE;
    // Read once: MAX() evaluates its arguments twice.
    u32 used = ALIGN_DOWN(zone_high_used_start(), 4096);
    u32 end = MAX(used, start);
    if (end < returned_end) {
        // Allocated since the last call (the PVH loader's structures):
        // reserved again. What the zone keeps above (the FACS's ACPI NVS
        // among it) is left as it is.
        e820map_add(&MemMap, end, returned_end - end, E820_RESERVED);
    } else if (end > start) {
        e820map_add(&MemMap, start, end - start, E820_RAM);
    }
    returned_end = end;
    if (end > start)
        dprintf(LOG_INFO, "e820: high zone returns %u KiB to the os,"
                " keeps 0x%08x-0x%08x\n", (end - start) / 1024, end,
                zone_high_end() - 1);
}
