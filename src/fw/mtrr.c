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
#include "fw/mtrr.h" // mtrr_setup
#include "fw/pciinit.h" // pci_mem64_window
#include "memmap.h" // memmap_lowram_end
#include "output.h" // dprintf
#include "smp.h" // smp_msr_add
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

void
mtrr_setup(void)
{
    u32 eax, ebx, ecx, edx;
    cpuid(1, &eax, &ebx, &ecx, &edx);
    if (!(edx & CPUID_FEATURE_MTRR)) {
        dprintf(LOG_INFO, "mtrr: cpu has none\n");
        return;
    }
    u64 cap = rdmsr(MSR_MTRR_CAP);
    int vcnt = MIN((int)(cap & MTRR_CAP_VCNT), MTRR_MAX_VARIABLE);
    smp_msr_add(MSR_MTRR_DEF_TYPE, 0); // off while the ranges change
    if (cap & MTRR_CAP_FIX) {
        u64 wb = MTRR_FIXED_BYTES(MTRR_TYPE_WB);
        smp_msr_add(MSR_MTRR_FIX64K_00000, wb);
        smp_msr_add(MSR_MTRR_FIX16K_80000, wb);
        smp_msr_add(MSR_MTRR_FIX16K_A0000,
                    MTRR_FIXED_BYTES(MTRR_TYPE_UC)); // VGA memory
        for (int i = 0; i < 8; i++) // option ROMs and the BIOS: shadow RAM
            smp_msr_add(MSR_MTRR_FIX4K_C0000 + i, wb);
    }
    struct mtrr_range uc[MTRR_MAX_VARIABLE];
    u32 low = memmap_lowram_end();
    int n = mtrr_split(low, FOUR_GB, uc, vcnt);
    if (n > vcnt) {
        dprintf(LOG_WARN, "mtrr: hole at 0x%08x needs %d ranges, cpu has"
                " %d: the rest stays write-back\n", low, n, vcnt);
        n = vcnt;
    }
    u32 bits = cpu_phys_bits();
    u64 limit = 1ULL << bits, start, end;
    if (pci_mem64_window(&start, &end)) {
        int m = mtrr_cover(start, end, limit, uc + n, vcnt - n);
        if (m < 0)
            dprintf(LOG_WARN, "mtrr: pci window 0x%llx-0x%llx needs more"
                    " than the %d ranges left: stays write-back\n", start,
                    end - 1, vcnt - n);
        else
            n += m;
    }
    u64 mask = (limit - 1) & ~0xfffULL;
    for (int i = 0; i < vcnt; i++) {
        bool used = i < n;
        smp_msr_add(MSR_MTRR_PHYSBASE(i),
                    used ? uc[i].base | MTRR_TYPE_UC : 0);
        smp_msr_add(MSR_MTRR_PHYSMASK(i),
                    used ? (~(uc[i].size - 1) & mask) | MTRR_PHYSMASK_VALID
                    : 0);
        if (used)
            dprintf(LOG_INFO, "mtrr: %d uc 0x%08llx size 0x%llx\n", i,
                    uc[i].base, uc[i].size);
    }
    smp_msr_add(MSR_MTRR_DEF_TYPE, MTRR_DEF_ENABLE | MTRR_DEF_FIXED_ENABLE
                | MTRR_TYPE_WB);
    dprintf(LOG_INFO, "mtrr: default wb, %d of %d variable ranges,"
            " phys bits %u\n", n, vcnt, bits);
}
