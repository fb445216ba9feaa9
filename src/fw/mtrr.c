// MTRR setup: RAM write-back; the hole between the top of low RAM and
// 4 GiB, the 64-bit PCI window and the legacy VGA window uncached (32-bit
// flat).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// The default type is write-back and variable ranges carve out the PCI
// hole, split into aligned power-of-two blocks so any RAM size works (a
// hole that starts at 0x0ff00000 needs more than one range). The 64-bit
// PCI window (what fw/pciinit.c placed above RAM) gets the ranges left;
// its end may be rounded up, since nothing but more MMIO space lies
// above it. Every MSR
// goes through smp_msr_add(): the BSP writes it now, each AP writes the
// same list when it starts, at POST and again on S3 resume.
#include "autoconf.h" // CONFIG_MTRR_INIT
#include "fw/mtrr.h" // mtrr_setup
#include "fw/pciinit.h" // pci_mem64_window
#include "memmap.h" // memmap_lowram_end
#include "output.h" // dprintf
#include "smp.h" // smp_msr_add
#include "string.h" // memset
#include "x86.h" // cpuid

#define CPUID_FEATURE_MTRR (1 << 12)
#define MTRR_MAX_VARIABLE 16
#define FOUR_GB 0x100000000ULL

int
mtrr_split(u64 start, u64 end, struct mtrr_range *out, int max)
{
    int n = 0;
    while (start < end) {
        u64 size = start ? start & -start : 1ULL << 63; // largest alignment
        while (size > end - start)
            size >>= 1;
        if (n < max)
            out[n] = (struct mtrr_range){ start, size };
        n++;
        start += size;
    }
    return n;
}

int
mtrr_cover(u64 start, u64 end, u64 limit, struct mtrr_range *out, int max)
{
    if (start >= end)
        return 0;
    for (u64 align = 0x1000; align; align <<= 1) {
        u64 top = ALIGN_UP(end, align);
        if (top < end || top > limit)
            break;
        int n = mtrr_split(start, top, NULL, 0);
        if (n <= max)
            return mtrr_split(start, top, out, max);
    }
    return -1;
}

int
mtrr_split_hole(u32 low, struct mtrr_range *out)
{
    // 4 GiB is aligned to every block size, so each block is as large as
    // its start's alignment: the start's lowest set bit. The start wraps
    // to 0 at 4 GiB; a start of 0 is the one 4 GiB block.
    int n = 0;
    do {
        u32 size = low & -low;
        out[n++] = (struct mtrr_range){ low, size };
        low += size;
    } while (low);
    if (!out[0].size) // outside the loop: one test, not one per block
        out[0].size = FOUR_GB;
    return n;
}

// The fixed-range MTRRs and the memory type of all eight of each one's
// ranges: RAM, VGA memory, then option ROMs and the BIOS in shadow RAM.
// One table and one loop translate less than eleven calls.
static const struct {
    u16 index;
    u8 type;
} FixedMtrrs[] = {
    { MSR_MTRR_FIX64K_00000, MTRR_TYPE_WB },
    { MSR_MTRR_FIX16K_80000, MTRR_TYPE_WB },
    { MSR_MTRR_FIX16K_A0000, MTRR_TYPE_UC },
    { MSR_MTRR_FIX4K_C0000 + 0, MTRR_TYPE_WB },
    { MSR_MTRR_FIX4K_C0000 + 1, MTRR_TYPE_WB },
    { MSR_MTRR_FIX4K_C0000 + 2, MTRR_TYPE_WB },
    { MSR_MTRR_FIX4K_C0000 + 3, MTRR_TYPE_WB },
    { MSR_MTRR_FIX4K_C0000 + 4, MTRR_TYPE_WB },
    { MSR_MTRR_FIX4K_C0000 + 5, MTRR_TYPE_WB },
    { MSR_MTRR_FIX4K_C0000 + 6, MTRR_TYPE_WB },
    { MSR_MTRR_FIX4K_C0000 + 7, MTRR_TYPE_WB },
};

void POST_STEP
mtrr_setup(void)
{
    if (!CONFIG_MTRR_INIT)
        return;
    u32 eax, ebx, ecx, edx;
    cpuid(1, &eax, &ebx, &ecx, &edx);
    if (!(edx & CPUID_FEATURE_MTRR)) {
        dprintf(LOG_INFO, "mtrr: cpu has none\n");
        return;
    }
    u32 cap = rdmsr(MSR_MTRR_CAP); // VCNT and FIX are in the low half
    int vcnt = MIN((int)(cap & MTRR_CAP_VCNT), MTRR_MAX_VARIABLE);
    smp_msr_add(MSR_MTRR_DEF_TYPE, 0); // off while the ranges change
    if (cap & MTRR_CAP_FIX) {
        for (u32 i = 0; i < ARRAY_SIZE(FixedMtrrs); i++) {
            u32 bytes = FixedMtrrs[i].type * 0x01010101u;
            smp_msr_add(FixedMtrrs[i].index, ((u64)bytes << 32) | bytes);
        }
    }
    // Room for every block the hole may need, so the split stores all
    // of them without a bounds test; only vcnt are used.
    struct mtrr_range uc[MTRR_HOLE_MAX];
    u32 low = memmap_lowram_end();
    int n = mtrr_split_hole(low, uc);
    if (n > vcnt) {
        dprintf(LOG_WARN, "mtrr: hole at 0x%08x needs %d ranges, cpu has"
                " %d: the rest stays write-back\n", low, n, vcnt);
        n = vcnt;
    }
    u32 bits = cpu_phys_bits();
    u64 start, end;
    if (pci_mem64_window(&start, &end)) {
        int m = mtrr_cover(start, end, 1ULL << bits, uc + n, vcnt - n);
        if (m < 0)
            dprintf(LOG_WARN, "mtrr: pci window 0x%llx-0x%llx needs more"
                    " than the %d ranges left: stays write-back\n", start,
                    end - 1, vcnt - n);
        else
            n += m;
    }
    // Unused ranges get base 0 and mask 0 (not valid): from a zero block
    // the loop below computes exactly that.
    memset(uc + n, 0, (vcnt - n) * sizeof(*uc));
    // cpu_phys_bits() is 36 to 52: the mask's low half is fixed.
    u64 mask = ((u64)((1u << (bits - 32)) - 1) << 32) | 0xfffff000u;
    for (int i = 0; i < vcnt; i++) {
        u32 valid = i < n ? MTRR_PHYSMASK_VALID : 0; // 32 bits: no shld
        smp_msr_add(MSR_MTRR_PHYSBASE(i), uc[i].base | MTRR_TYPE_UC);
        smp_msr_add(MSR_MTRR_PHYSMASK(i), (-uc[i].size & mask) | valid);
        if (i < n)
            dprintf(LOG_INFO, "mtrr: %d uc 0x%08llx size 0x%llx\n", i,
                    uc[i].base, uc[i].size);
    }
    smp_msr_add(MSR_MTRR_DEF_TYPE, MTRR_DEF_ENABLE | MTRR_DEF_FIXED_ENABLE
                | MTRR_TYPE_WB);
    dprintf(LOG_INFO, "mtrr: default wb, %d of %d variable ranges,"
            " phys bits %u\n", n, vcnt, bits);
}
