// PCI setup: number every bus, size and place every BAR and bridge
// window, enable decoding, program interrupt lines (32-bit flat).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// pci_setup() runs after chipset_setup() and before the ACPI tables are
// first read (QEMU builds their _CRS, hotplug slots and pxb roots from
// what is programmed here):
//  1. extra roots: QEMU's pxb host bridges hang root buses at fixed bus
//     numbers; fw_cfg "etc/extra-pci-roots" (u64) says how many. While
//     no bridge has a bus number nothing else answers above bus 0, so a
//     scan of buses 1-255 finds them.
//  2. buses: each root, depth first. A bridge gets the next number as
//     its secondary bus and, while its side is scanned, the highest
//     number its hierarchy may use (below the next root) as subordinate;
//     then the highest number used below it, at least secondary plus
//     QEMU's bus reservation.
//  3. resources: every BAR and ROM BAR is sized with decoding off (it
//     stays off until step 4), every bridge's windows probed, hotplug
//     reservations added; fw/pcialloc.c places them all.
//  4. program bridges' windows, BARs, command registers (what decoded
//     before, plus I/O and memory when every BAR of that space got an
//     address; bridges also bus master, to forward their devices' DMA
//     and MSIs), cache line size (16 dwords: the 64-byte x86 line) and
//     interrupt lines.
// Under a hypervisor every config access is an exit: each register is
// read once (vendor and device ID, header type, command), a BAR is
// sized with one select, and one that reads zero before and after is
// not implemented and left at once.
//
// Windows:
//   I/O    0xc000-0xffff, from 0xc000 upwards. On q35, when that is
//          too small (a 4 KiB window per hotplug port adds up fast), it
//          extends down to 0x6000 (as OVMF's aperture does), packed
//          against 0xffff. PIIX/ICH9 legacy I/O (PM 0x600, SMBus 0x700,
//          QEMU's ACPI hotplug registers: 0xaXXX on pc, 0xcXX on q35)
//          stays below.
//   mem32  from the top of low RAM rounded up to 256 MiB (on q35 not
//          below the end of MMCONFIG, 0xc0000000) to the I/O APIC at
//          0xfec00000; filled from the top.
//   mem64  from the end of everything e820 lists (or fw_cfg "etc/
//          reserved-memory-end", where memory hotplug goes), rounded up
//          to 1 GiB, to 2^physical address bits (CPUID 0x80000008, at
//          most 46, 36 without it); filled from the bottom.
// Policy: 64-bit prefetchable BARs, and bridge prefetchable windows that
// can go above 4 GiB, of 256 MiB or more on a root bus go to mem64 from
// the start; the rest stays below 4 GiB while it fits (pcialloc.h: what
// moves up, then what is dropped, when it does not).
// Hotplug: PCIe root and downstream ports with a hot-plug capable slot,
// and SHPC bridges, reserve 4 KiB I/O, 2 MiB memory and 2 MiB
// prefetchable; QEMU's reservation capability replaces each figure it
// sets (pref32: keep it below 4 GiB; pref64: put it above).
// Interrupts: the swizzle of the PCI-to-PCI Bridge spec (9.1) up to the
// root bus, then the chipset's routing of that slot on bus 0 (QEMU
// routes pxb roots' slots as bus 0's).
#include "fw/chipset.h" // chipset_pci_irq
#include "fw/fw_cfg.h" // fw_cfg_read_file_int
#include "fw/pcialloc.h" // pcialloc_run
#include "fw/pciinit.h" // pci_setup
#include "fw/shadow.h" // shadow_machine
#include "hw/pci.h" // pci_config_readl
#include "malloc.h" // zone_alloc
#include "memmap.h" // MemMap
#include "output.h" // dprintf
#include "x86.h" // cpuid

#define PCI_MAX_DEVICES   256
#define PCI_MAX_ROOTS     16
#define PCI_IO_START      0xc000
#define PCI_IO_REACH_Q35  0x6000 // OVMF's q35 I/O aperture starts here too
#define PCI_IO_END        0x10000
#define PCI_MEM32_ALIGN   0x10000000ULL // 256 MiB
#define PCI_MEM32_END     0xfec00000ULL // the I/O APIC
#define PCI_MEM64_ALIGN   0x40000000ULL // 1 GiB
// The 64-bit window ends at 2^physical address bits, at most 2^46 (64
// TiB): far beyond any BAR, and addressable with 4-level paging.
#define PCI_PHYS_BITS_MAX 46
#define PCI_HIGH_MIN      0x10000000ULL // 256 MiB
#define PCI_HOTPLUG_IO    0x1000
#define PCI_HOTPLUG_MEM   0x200000
#define PCI_HOTPLUG_PREF  0x200000
#define PCI_CACHE_LINE    16 // dwords
#define PCI_ROM_TAG       7 // resource tag for the ROM BAR
#define FOUR_GB           0x100000000ULL

#define BDF_FMT "%02x:%02x.%x"
#define BDF_ARGS(bdf) (bdf) >> 8, ((bdf) >> 3) & 0x1f, (bdf) & 7

static struct pci_device *Devices;
static int DeviceCount, Bus0Count, NextBus, RootCount;
// Allocator buses (roots, then one per bridge) and most resources
// (BARs and ROM BARs) the functions found may have.
static int AllocBuses, MaxResources;
static u8 Roots[PCI_MAX_ROOTS];
static u64 Mem64Start, Mem64End;

/****************************************************************
 * Config space helpers
 ****************************************************************/

static bool
pci_present(u16 bdf, u32 *id)
{
    *id = pci_config_readl(bdf, PCI_VENDOR_ID);
    return (u16)*id != 0xffff && (u16)*id != 0;
}

static u64
pci_config_readq(u16 bdf, u32 reg)
{
    return pci_config_readl(bdf, reg)
        | (u64)pci_config_readl(bdf, reg + 4) << 32;
}

// The capability with this id after pos (0: the first one), or 0.
static u8
pci_find_cap(u16 bdf, u8 id, u8 pos)
{
    if (pos)
        pos = pci_config_readb(bdf, pos + 1);
    else if (pci_config_readw(bdf, PCI_STATUS) & PCI_STATUS_CAP_LIST)
        pos = pci_config_readb(bdf, PCI_CAPABILITY_LIST);
    for (int n = 0; n < 48 && pos >= 0x40; n++) { // 48: a loop guard
        pos &= 0xfc;
        if (pci_config_readb(bdf, pos) == id)
            return pos;
        pos = pci_config_readb(bdf, pos + 1);
    }
    return 0;
}

// QEMU's resource reservation capability on a Red Hat bridge, or 0.
static u8
qemu_cap(const struct pci_device *d)
{
    u16 bdf = d->bdf;
    if ((u16)d->id != PCI_VENDOR_ID_REDHAT)
        return 0;
    u8 pos = 0;
    for (int n = 0; n < 48; n++) { // a loop guard, as in pci_find_cap
        pos = pci_find_cap(bdf, PCI_CAP_ID_VNDR, pos);
        if (!pos)
            break;
        if (pos <= 0x100 - QEMU_CAP_LEN
            && pci_config_readb(bdf, pos + 2) >= QEMU_CAP_LEN
            && pci_config_readb(bdf, pos + QEMU_CAP_TYPE)
               == QEMU_CAP_TYPE_RESERVE)
            return pos;
    }
    return 0;
}

/****************************************************************
 * Enumeration
 ****************************************************************/

// Records a function; returns its header type register (with the
// multi-function bit).
static u8
pci_add(u16 bdf, u32 id, int parent, int root)
{
    u8 header = pci_config_readb(bdf, PCI_HEADER_TYPE);
    if (DeviceCount == PCI_MAX_DEVICES) {
        dprintf(LOG_WARN, "pci: more than %d functions, " BDF_FMT
                " ignored\n", PCI_MAX_DEVICES, BDF_ARGS(bdf));
        return header;
    }
    struct pci_device *d = &Devices[DeviceCount++];
    *d = (struct pci_device){ .bdf = bdf, .id = id, .parent = parent,
                              .root = root };
    d->class_rev = pci_config_readl(bdf, PCI_CLASS_REVISION);
    d->header = header & PCI_HEADER_TYPE_MASK;
    d->pin = pci_config_readb(bdf, PCI_INTERRUPT_PIN);
    MaxResources += d->header == PCI_HEADER_TYPE_NORMAL ? 7 : 3;
    if (d->header == PCI_HEADER_TYPE_BRIDGE)
        d->abus = AllocBuses++;
    dprintf(LOG_DEBUG, "pci: " BDF_FMT " %04x:%04x class %06x header %u\n",
            BDF_ARGS(bdf), id & 0xffff, id >> 16, d->class_rev >> 8,
            d->header);
    return header;
}

static void pci_scan_bus(int bus, int parent, int root, int limit);

// Bus numbers for bridge i and everything behind it, up to limit.
static void
pci_bridge_buses(int i, int limit)
{
    u16 bdf = Devices[i].bdf;
    // Found once, for here and for pci_bridge_probe().
    u8 cap = Devices[i].qemu_cap = qemu_cap(&Devices[i]);
    if (NextBus >= limit) {
        dprintf(LOG_WARN, "pci: " BDF_FMT ": no bus number left (last"
                " %d), devices behind it stay hidden\n", BDF_ARGS(bdf),
                limit);
        return;
    }
    int secondary = ++NextBus;
    u32 keep = pci_config_readl(bdf, PCI_PRIMARY_BUS) & 0xff000000;
    pci_config_writel(bdf, PCI_PRIMARY_BUS, keep | (bdf >> 8)
                      | secondary << 8 | (u32)limit << 16);
    pci_scan_bus(secondary, i, Devices[i].root, limit);
    int sub = NextBus;
    if (cap) {
        u32 reserve = pci_config_readl(bdf, cap + QEMU_CAP_BUS_RES);
        if (reserve != 0xffffffff && reserve > (u32)(sub - secondary))
            sub = reserve > (u32)(limit - secondary) ? limit
                : secondary + (int)reserve;
    }
    NextBus = sub;
    Devices[i].secondary = secondary;
    Devices[i].subordinate = sub;
    pci_config_writeb(bdf, PCI_PRIMARY_BUS + 2, sub);
}

// Records the functions of a bus, then numbers its bridges' buses.
static void
pci_scan_bus(int bus, int parent, int root, int limit)
{
    int first = DeviceCount;
    for (int bdf = PCI_BDF(bus, 0, 0), end = bdf + 256; bdf < end; bdf++) {
        // After function 0, absent or not multi-function: next device.
        bool fn0 = !(bdf & 7);
        u32 id;
        if (!pci_present(bdf, &id)) {
            if (fn0)
                bdf += 7;
            continue;
        }
        if (!(pci_add(bdf, id, parent, root) & PCI_HEADER_TYPE_MULTI) && fn0)
            bdf += 7;
    }
    if (!bus) // bus 0's functions come first
        Bus0Count = DeviceCount;
    int end = DeviceCount;
    for (int i = first; i < end; i++)
        if (Devices[i].header == PCI_HEADER_TYPE_BRIDGE)
            pci_bridge_buses(i, limit);
}

static void
pci_find_roots(void)
{
    Roots[0] = 0;
    RootCount = 1;
    u64 extra = fw_cfg_read_file_int("etc/extra-pci-roots", 0);
    for (int bus = 1; bus < 256 && extra; bus++) {
        for (int dev = 0; dev < 32; dev++) {
            u32 id;
            if (!pci_present(PCI_BDF(bus, dev, 0), &id))
                continue;
            if (RootCount == PCI_MAX_ROOTS) {
                dprintf(LOG_WARN, "pci: more than %d root buses\n",
                        PCI_MAX_ROOTS);
                return;
            }
            Roots[RootCount++] = bus;
            extra--;
            break;
        }
    }
    if (extra)
        dprintf(LOG_WARN, "pci: %u extra root buses not found\n",
                (u32)extra);
}

static void
pci_enumerate(void)
{
    AllocBuses = RootCount; // bridges' buses follow, numbered in pci_add()
    for (int r = 0; r < RootCount; r++) {
        int first = DeviceCount;
        int limit = r + 1 < RootCount ? Roots[r + 1] - 1 : 255;
        NextBus = Roots[r];
        pci_scan_bus(Roots[r], -1, r, limit);
        dprintf(LOG_INFO, "pci: root bus %d: buses %d-%d, %d functions\n",
                Roots[r], Roots[r], NextBus, DeviceCount - first);
    }
}

/****************************************************************
 * Sizing
 ****************************************************************/

// The allocator bus a function sits on.
static int
pci_abus(const struct pci_device *d)
{
    return d->parent >= 0 ? Devices[d->parent].abus : d->root;
}

static void
pci_bridge_probe(const struct pci_device *d, struct pa_bus *b)
{
    u16 bdf = d->bdf;
    // Bridge 1.2, 3.2.5.6 and 3.2.5.9: an absent I/O or prefetchable
    // window reads as zero and ignores writes.
    u16 old = pci_config_readw(bdf, PCI_IO_BASE);
    pci_config_writew(bdf, PCI_IO_BASE, 0xf0f0);
    if (!(pci_config_readw(bdf, PCI_IO_BASE) & 0xf0f0))
        b->flags |= PA_BUS_NO_IO;
    pci_config_writew(bdf, PCI_IO_BASE, old);
    old = pci_config_readw(bdf, PCI_PREF_MEMORY_BASE);
    pci_config_writew(bdf, PCI_PREF_MEMORY_BASE, 0xfff0);
    u16 pref = pci_config_readw(bdf, PCI_PREF_MEMORY_BASE);
    pci_config_writew(bdf, PCI_PREF_MEMORY_BASE, old);
    if (!(pref & 0xfff0))
        b->flags |= PA_BUS_NO_PREF;
    else if (pref & PCI_PREF_RANGE_TYPE_64)
        b->flags |= PA_BUS_PREF64;

    bool hotplug = pci_find_cap(bdf, PCI_CAP_ID_SHPC, 0);
    u8 exp = pci_find_cap(bdf, PCI_CAP_ID_EXP, 0);
    if (exp) {
        u16 flags = pci_config_readw(bdf, exp + PCI_EXP_FLAGS);
        u8 type = (flags >> PCI_EXP_FLAGS_TYPE_SHIFT) & 0xf;
        if ((type == PCI_EXP_TYPE_ROOT_PORT
             || type == PCI_EXP_TYPE_DOWNSTREAM)
            && (flags & PCI_EXP_FLAGS_SLOT)
            && (pci_config_readl(bdf, exp + PCI_EXP_SLTCAP)
                & PCI_EXP_SLTCAP_HPC))
            hotplug = true;
    }
    if (hotplug) {
        b->reserve[PA_IO] = PCI_HOTPLUG_IO;
        b->reserve[PA_MEM] = PCI_HOTPLUG_MEM;
        b->reserve[PA_PREF] = PCI_HOTPLUG_PREF;
    }
    u8 cap = d->qemu_cap;
    if (cap) {
        u64 io = pci_config_readq(bdf, cap + QEMU_CAP_IO);
        u32 mem = pci_config_readl(bdf, cap + QEMU_CAP_MEM);
        u32 pref32 = pci_config_readl(bdf, cap + QEMU_CAP_PREF32);
        u64 pref64 = pci_config_readq(bdf, cap + QEMU_CAP_PREF64);
        if (io != ~0ULL)
            b->reserve[PA_IO] = MIN(io, PCI_IO_END);
        if (mem != ~0U)
            b->reserve[PA_MEM] = mem;
        if (pref32 != ~0U) {
            b->reserve[PA_PREF] = pref32;
            b->flags |= PA_BUS_PREF_LOW;
        } else if (pref64 != ~0ULL) {
            b->reserve[PA_PREF] = pref64;
            if (pref64)
                b->flags |= PA_BUS_WANT_HIGH;
        }
    }
    dprintf(LOG_DEBUG, "pci: " BDF_FMT " windows%s%s%s, hotplug %d, reserve"
            " io 0x%llx mem 0x%llx pref 0x%llx\n", BDF_ARGS(bdf),
            b->flags & PA_BUS_NO_IO ? " no-io" : "",
            b->flags & PA_BUS_NO_PREF ? " no-pref" : "",
            b->flags & PA_BUS_PREF64 ? " pref64" : "", hotplug,
            b->reserve[PA_IO], b->reserve[PA_MEM], b->reserve[PA_PREF]);
}

// Sizes the BAR at reg (or the ROM BAR), which held old and reads val
// after ones were written; returns how many dwords it takes. PCI 3.0,
// 6.2.5.1: the bits that stay zero after writing ones give the size; a
// 64-bit BAR's upper half is the next register. Decoding is off; a BAR
// that gets a size is programmed later (or its space stays off), so only
// one without a size gets its old value back. Every config access is a
// VM exit under a hypervisor: none more than needed.
static int
pci_bar_size(u16 bdf, u32 reg, u32 old, u32 val, bool rom, bool last,
             struct pa_res *r)
{
    // The mask's halves; the upper one only matters for a 64-bit BAR
    // (all ones in the log line of a 32-bit one).
    u32 mask = val & PCI_BASE_ADDRESS_MEM_MASK, high = ~0U;
    int used = 1;
    r->flags = 0;
    r->type = PA_MEM;
    if (rom) {
        mask = val & PCI_ROM_ADDRESS_MASK;
    } else if (val & PCI_BASE_ADDRESS_SPACE_IO) {
        r->type = PA_IO;
        mask = val & PCI_BASE_ADDRESS_IO_MASK;
        if (!(mask >> 16)) // a 16-bit decoder
            mask |= mask ? 0xffff0000 : 0;
    } else {
        if (val & PCI_BASE_ADDRESS_MEM_PREFETCH)
            r->type = PA_PREF;
        if ((val & 6) == PCI_BASE_ADDRESS_MEM_TYPE_64 && !last) {
            high = pci_config_probel(bdf, reg + 4, ~0U, NULL);
            r->flags = PA_RES_64;
            used = 2;
        }
    }
    // A 32-bit BAR takes 2^32 - mask, or nothing when no bit stuck (-0 is
    // 0); only a 64-bit one needs 64-bit arithmetic.
    u64 size = used == 2 ? -((u64)high << 32 | mask) : (u32)-mask;
    if (size & (size - 1)) {
        dprintf(LOG_WARN, "pci: " BDF_FMT " register 0x%02x: mask 0x%llx"
                " is no BAR size, ignored\n", BDF_ARGS(bdf), reg,
                (u64)high << 32 | mask);
        size = 0;
    }
    r->size = size;
    if (!r->size && val != old) {
        pci_config_writel(bdf, reg, old);
        if (used == 2)
            pci_config_writel(bdf, reg + 4, 0);
    }
    return used;
}

// I/O BARs on bus 0 that chipset_setup() placed in the legacy range
// (ICH9 SMBus BAR 4 at PORT_SMB_BASE) stay where they are.
static bool
pci_bar_fixed(u16 bdf, u32 val)
{
    u32 addr = val & PCI_BASE_ADDRESS_IO_MASK;
    return bdf < 0x100 && (val & PCI_BASE_ADDRESS_SPACE_IO) && addr
        && addr < PCI_IO_START;
}

static u32
pci_bar_reg(const struct pci_device *d, int bar)
{
    if (bar == PCI_ROM_TAG)
        return d->header == PCI_HEADER_TYPE_BRIDGE ? PCI_ROM_ADDRESS1
            : PCI_ROM_ADDRESS;
    return PCI_BASE_ADDRESS_0 + 4 * bar;
}

// Decoding stays off until pci_device_program() writes the command
// register (or pci_assign() gives it back on failure).
static void
pci_size_device(int i, struct pa_tree *t)
{
    struct pci_device *d = &Devices[i];
    u16 bdf = d->bdf;
    int bars = d->header == PCI_HEADER_TYPE_NORMAL ? 6
        : d->header == PCI_HEADER_TYPE_BRIDGE ? 2 : 1;
    // With the status register: readl serves the scan already, one
    // accessor less to run.
    u16 cmd = d->command = pci_config_readl(bdf, PCI_COMMAND);
    u16 decode = cmd & (PCI_COMMAND_IO | PCI_COMMAND_MEMORY);
    if (decode) // off while the BARs hold sizing patterns
        pci_config_writew(bdf, PCI_COMMAND, cmd & ~decode);
    u32 rom_reg = pci_bar_reg(d, PCI_ROM_TAG);
    for (int bar = 0; bar <= PCI_ROM_TAG; bar++) {
        if (bar == bars) {
            if (d->header == PCI_HEADER_TYPE_CARDBUS)
                break; // no expansion ROM BAR
            bar = PCI_ROM_TAG;
        }
        bool rom = bar == PCI_ROM_TAG;
        u32 reg = rom ? rom_reg : PCI_BASE_ADDRESS_0 + 4 * (u32)bar;
        u32 old, val = pci_config_probel(bdf, reg, rom ? PCI_ROM_ADDRESS_MASK
                                         : ~0U, &old);
        if (!val && !old) // not implemented: hardwired to zero
            continue;
        if (!rom && pci_bar_fixed(bdf, old)) {
            pci_config_writel(bdf, reg, old);
            dprintf(LOG_INFO, "pci: " BDF_FMT " bar %d io 0x%x kept\n",
                    BDF_ARGS(bdf), bar, old & PCI_BASE_ADDRESS_IO_MASK);
            continue;
        }
        struct pa_res *r = &t->res[t->nres];
        int used = pci_bar_size(bdf, reg, old, val, rom, bar == bars - 1, r);
        if (r->size) {
            r->bus = pci_abus(d);
            r->tag = i << 3 | bar;
            t->nres++;
        }
        bar += used - 1;
    }
}

static void
pci_windows(struct pa_tree *t)
{
    bool q35 = shadow_machine() == MACHINE_Q35;
    t->win[PA_IO] = (struct pa_window){ PCI_IO_START, PCI_IO_END,
                                        q35 ? PCI_IO_REACH_Q35 : 0 };
    u64 low = ALIGN_UP((u64)memmap_lowram_end(), PCI_MEM32_ALIGN);
    if (q35)
        low = MAX(low, (u64)Q35_MMCONFIG_BASE + Q35_MMCONFIG_SIZE);
    t->win[PA_MEM] = (struct pa_window){ low, PCI_MEM32_END };
    // Above everything but reserved ranges, and below the first of those
    // (QEMU reserves AMD's HyperTransport hole below 1 TiB).
    u32 bits = cpu_phys_bits();
    u64 start = MAX(fw_cfg_read_file_int("etc/reserved-memory-end", 0),
                    FOUR_GB), end = 1ULL << MIN(bits, PCI_PHYS_BITS_MAX);
    const struct e820_entry *e = MemMap.entries;
    for (int i = 0; i < MemMap.count; i++)
        if (e[i].type != E820_RESERVED)
            start = MAX(start, e[i].start + e[i].size);
    start = ALIGN_UP(start, PCI_MEM64_ALIGN);
    for (int i = 0; i < MemMap.count; i++)
        if (e[i].type == E820_RESERVED && e[i].start + e[i].size > start)
            end = MIN(end, e[i].start);
    t->win[PA_PREF] = (struct pa_window){ start, end };
    t->high_min = PCI_HIGH_MIN;
}

/****************************************************************
 * Programming
 ****************************************************************/

static const char *
pci_res_name(const struct pa_res *r)
{
    static const char *const names[] = { "io", "mem", "pref", "io",
                                         "mem64", "pref64" };
    return names[r->type + (r->flags & PA_RES_64 ? 3 : 0)];
}

static void
pci_bridge_program(const struct pci_device *d, const struct pa_bus *b)
{
    u16 bdf = d->bdf;
    u64 end[PA_NTYPES];
    for (int g = 0; g < PA_NTYPES; g++)
        end[g] = b->base[g] + b->size[g] - 1;
    // A closed window has its base above its limit.
    if (b->size[PA_IO])
        pci_config_writew(bdf, PCI_IO_BASE, (b->base[PA_IO] >> 8 & 0xf0)
                          | (end[PA_IO] & 0xf000));
    else
        pci_config_writew(bdf, PCI_IO_BASE, 0x00f0);
    pci_config_writel(bdf, PCI_IO_BASE_UPPER16, 0);
    if (b->size[PA_MEM])
        pci_config_writel(bdf, PCI_MEMORY_BASE, (b->base[PA_MEM] >> 16)
                          | (end[PA_MEM] & 0xfff00000));
    else
        pci_config_writel(bdf, PCI_MEMORY_BASE, 0x0000fff0);
    if (b->size[PA_PREF]) {
        pci_config_writel(bdf, PCI_PREF_MEMORY_BASE,
                          (u32)(b->base[PA_PREF] >> 16 & 0xfff0)
                          | ((u32)end[PA_PREF] & 0xfff00000));
        pci_config_writel(bdf, PCI_PREF_BASE_UPPER32, b->base[PA_PREF] >> 32);
        pci_config_writel(bdf, PCI_PREF_LIMIT_UPPER32, end[PA_PREF] >> 32);
    } else {
        pci_config_writel(bdf, PCI_PREF_MEMORY_BASE, 0x0000fff0);
        pci_config_writel(bdf, PCI_PREF_BASE_UPPER32, 0);
        pci_config_writel(bdf, PCI_PREF_LIMIT_UPPER32, 0);
    }
    dprintf(LOG_INFO, "pci: " BDF_FMT " bridge buses %d-%d io 0x%llx size"
            " 0x%llx mem 0x%llx size 0x%llx pref 0x%llx size 0x%llx\n",
            BDF_ARGS(bdf), d->secondary, d->subordinate, b->base[PA_IO],
            b->size[PA_IO], b->base[PA_MEM], b->size[PA_MEM],
            b->base[PA_PREF], b->size[PA_PREF]);
    if (b->dropped)
        dprintf(LOG_WARN, "pci: " BDF_FMT " hotplug reservation dropped,"
                " windows full:%s%s%s\n", BDF_ARGS(bdf),
                b->dropped & 1 << PA_IO ? " io" : "",
                b->dropped & 1 << PA_MEM ? " mem" : "",
                b->dropped & 1 << PA_PREF ? " pref" : "");
}

// The cache line size, and the ISA IRQ of a function's pin: swizzled
// through every bridge to the root bus, then routed like that slot on
// bus 0.
static void
pci_irq_setup(struct pci_device *d)
{
    pci_config_writeb(d->bdf, PCI_CACHE_LINE_SIZE, PCI_CACHE_LINE);
    if (!d->pin)
        return;
    const struct pci_device *p = d;
    u8 pin = d->pin;
    for (; p->parent >= 0; p = &Devices[p->parent])
        pin = ((((p->bdf >> 3) & 0x1f) + pin - 1) & 3) + 1;
    d->irq = chipset_pci_irq(p->bdf & 0xff, pin, &d->link);
    if (d->irq)
        pci_config_writeb(d->bdf, PCI_INTERRUPT_LINE, d->irq);
}

// BARs of function i (resources from *k on), its command register, then
// cache line size and interrupt line (one loop over the functions does
// all).
static void
pci_device_program(int i, const struct pa_tree *t, int *k)
{
    struct pci_device *d = &Devices[i];
    u16 bdf = d->bdf, on = 0, off = 0;
    for (; *k < t->nres && (int)(t->res[*k].tag >> 3) == i; (*k)++) {
        const struct pa_res *r = &t->res[*k];
        int bar = r->tag & 7;
        u16 space = r->type == PA_IO ? PCI_COMMAND_IO : PCI_COMMAND_MEMORY;
        // Looked up only when a log line is printed.
        static const char names[PCI_ROM_TAG + 1][6] = {
            "bar 0", "bar 1", "bar 2", "bar 3", "bar 4", "bar 5", "",
            "rom" };
        if (r->state != PA_PLACED) {
            dprintf(LOG_WARN, "pci: " BDF_FMT " %s %s size 0x%llx: %s,"
                    " left unassigned\n", BDF_ARGS(bdf), names[bar],
                    pci_res_name(r), r->size,
                    r->state == PA_SKIP_NOWIN ? "no window on the path"
                    : "no space");
            if (bar != PCI_ROM_TAG)
                off |= space;
            // Sizing left ones in it: 0 reads as unassigned to the OS.
            pci_config_writel(bdf, pci_bar_reg(d, bar), 0);
            if (r->flags & PA_RES_64)
                pci_config_writel(bdf, pci_bar_reg(d, bar) + 4, 0);
            continue;
        }
        u32 reg = pci_bar_reg(d, bar);
        pci_config_writel(bdf, reg, r->addr);
        if (r->flags & PA_RES_64)
            pci_config_writel(bdf, reg + 4, r->addr >> 32);
        if (bar != PCI_ROM_TAG)
            on |= space;
        dprintf(LOG_INFO, "pci: " BDF_FMT " %s %s 0x%llx size 0x%llx\n",
                BDF_ARGS(bdf), names[bar], pci_res_name(r), r->addr, r->size);
    }
    if (d->header == PCI_HEADER_TYPE_BRIDGE) {
        on |= PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
    } else if (on & off) {
        // A BAR left at 0 must not decode.
        dprintf(LOG_WARN, "pci: " BDF_FMT " decoding of%s%s left off\n",
                BDF_ARGS(bdf), on & off & PCI_COMMAND_IO ? " io" : "",
                on & off & PCI_COMMAND_MEMORY ? " memory" : "");
        on &= ~off;
    }
    // io, memory, master: bits 0-2; what decoded before sizing does again.
    pci_config_writeb(bdf, PCI_COMMAND, (u8)d->command | on);
    pci_irq_setup(d);
}

// Without resources assigned, cache line sizes and interrupt lines all
// the same.
static void
pci_irq_setup_all(void)
{
    for (int i = 0; i < DeviceCount; i++)
        pci_irq_setup(&Devices[i]);
}

static void
pci_assign(void)
{
    int nbus = AllocBuses, maxres = MaxResources;
    // One allocation: buses, resources, scratch (each array's size is a
    // multiple of 8, so the next one stays aligned).
    _Static_assert(sizeof(struct pa_bus) % 8 == 0
                   && sizeof(struct pa_res) % 8 == 0, "pci: array align");
    u32 bus_size = nbus * sizeof(struct pa_bus);
    u32 res_size = maxres * sizeof(struct pa_res);
    u8 *mem = zone_alloc(ZONE_TMP, bus_size + res_size
                         + 2 * PCIALLOC_SCRATCH(maxres, nbus), 8);
    if (!mem) {
        dprintf(LOG_ERR, "pci: no memory to assign resources\n");
        pci_irq_setup_all();
        return;
    }
    struct pa_tree t = { .nbus = nbus, .bus = (void *)mem,
                         .res = (void *)(mem + bus_size),
                         .scratch = (void *)(mem + bus_size + res_size) };
    for (int r = 0; r < RootCount; r++)
        t.bus[r] = (struct pa_bus){ .parent = -1, .flags = PA_BUS_ROOT };
    for (int i = 0; i < DeviceCount; i++) {
        const struct pci_device *d = &Devices[i];
        if (d->header == PCI_HEADER_TYPE_BRIDGE) {
            t.bus[d->abus] = (struct pa_bus){ .parent = pci_abus(d) };
            pci_bridge_probe(d, &t.bus[d->abus]);
        }
        pci_size_device(i, &t);
    }
    pci_windows(&t);
    int skipped = pcialloc_run(&t);
    if (skipped < 0) {
        for (int i = 0; i < DeviceCount; i++)
            pci_config_writew(Devices[i].bdf, PCI_COMMAND,
                              Devices[i].command);
        pci_irq_setup_all();
        return;
    }
    // Every bridge has an allocator bus after the roots': without one,
    // no loop looks for them.
    for (int i = 0; i < DeviceCount && nbus > RootCount; i++)
        if (Devices[i].header == PCI_HEADER_TYPE_BRIDGE)
            pci_bridge_program(&Devices[i], &t.bus[Devices[i].abus]);
    int k = 0;
    for (int i = 0; i < DeviceCount; i++)
        pci_device_program(i, &t, &k);
    static const char *const names[] = { "io", "mem32", "mem64" };
    for (int g = 0; g < PA_NTYPES && output_active(); g++)
        dprintf(LOG_INFO, "pci: %s window 0x%llx-0x%llx, used 0x%llx-0x%llx"
                "\n", names[g], t.win[g].reach ? t.win[g].reach
                : t.win[g].start, t.win[g].end - 1,
                t.used_start[g], t.used_end[g]);
    Mem64Start = t.used_start[PA_PREF];
    Mem64End = t.used_end[PA_PREF];
    dprintf(LOG_INFO, "pci: %d resources assigned, %d left unassigned\n",
            t.nres - skipped, skipped);
}

void
pci_setup(void)
{
    Devices = zone_alloc(ZONE_TMP, PCI_MAX_DEVICES * sizeof(*Devices), 4);
    if (!Devices)
        return;
    pci_find_roots();
    pci_enumerate();
    pci_assign();
    dprintf(LOG_INFO, "pci: %d functions on bus 0, %d in all, %d root"
            " buses\n", Bus0Count, DeviceCount, RootCount);
}

const struct pci_device *
pci_devices(int *count)
{
    *count = Bus0Count;
    return Devices;
}

const struct pci_device *
pci_all_devices(int *count)
{
    *count = DeviceCount;
    return Devices;
}

bool
pci_mem64_window(u64 *start, u64 *end)
{
    *start = Mem64Start;
    *end = Mem64End;
    return Mem64End > Mem64Start;
}
