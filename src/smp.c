// CPU discovery with INIT-SIPI-SIPI: every AP runs ap_entry (romlayout.S)
// once, records its APIC ID and halts with interrupts off, which is the
// state an OS expects to wake with its own INIT-SIPI (32-bit flat).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Intel SDM volume 3A, 8.4.4 (MP initialization example). QEMU's CPUs
// need no delays between the IPIs, so none are spent. The expected count
// comes from fw_cfg; a CPU that never answers is logged, not waited for.
#include "config.h" // BUILD_BIOS16_BASE
#include "fw/fw_cfg.h" // fw_cfg_read_u32
#include "hw/lapic.h" // lapic_write
#include "output.h" // dprintf
#include "smp.h" // smp_setup
#include "timer.h" // timer_deadline_us
#include "x86.h" // cpuid

#define SMP_TIMEOUT_US (100000 + 5000 * SMP_MAX_CPUS / 64)

#define FW_CFG_FEATURE_CONTROL "etc/msr_feature_control"
#define MSR_IA32_FEATURE_CONTROL 0x3a

// Written by the APs in real mode (romlayout.S ap_entry): E-segment data.
u32 SmpCount;
u32 SmpApicIds[SMP_MAX_CPUS] NOINIT; // [0, SmpCount) are set
extern char ap_entry[];

// The MSRs every CPU replays; in .data.resume so S3 resume has them.
struct smp_msr {
    u32 index, lo, hi;
} PACKED;
_Static_assert(sizeof(struct smp_msr) == SMP_MSR_SIZE, "smp_msr layout");
// Read only up to SmpMsrCount; NOINIT survives a resume untouched.
struct smp_msr SmpMsrs[SMP_MAX_MSRS] NOINIT;
u32 SmpMsrCount __attribute__((section(".data.resume")));
u32 SmpExpected __attribute__((section(".data.resume")));

void
smp_msr_add(u32 index, u64 value)
{
    wrmsr(index, value);
    if (SmpMsrCount == SMP_MAX_MSRS) {
        dprintf(LOG_WARN, "smp: msr list full, 0x%x not set on the aps\n",
                index);
        return;
    }
    SmpMsrs[SmpMsrCount++] = (struct smp_msr){ index, (u32)value,
                                               (u32)(value >> 32) };
}

static u32
cpu_apic_id(void)
{
    u32 eax, ebx, ecx, edx;
    cpuid(0, &eax, &ebx, &ecx, &edx);
    if (eax >= 0xb) {
        cpuid(0xb, &eax, &ebx, &ecx, &edx);
        return edx; // x2APIC ID: also right above 255
    }
    cpuid(1, &eax, &ebx, &ecx, &edx);
    return ebx >> 24;
}

static void
smp_wait_icr(void)
{
    while (lapic_read(LAPIC_ICR_LOW) & LAPIC_ICR_PENDING)
        cpu_relax();
}

// INIT-SIPI-SIPI to every AP, then wait until `expected` CPUs (the BSP
// included) have checked in or the timeout passes.
static u32
smp_start_aps(u32 expected)
{
    SmpApicIds[0] = cpu_apic_id();
    SmpCount = 1;
    // Virtual wire mode: the PIC's interrupts arrive through LINT0, NMIs
    // through LINT1 (MP specification 3.6.2.2).
    lapic_write(LAPIC_SVR, lapic_read(LAPIC_SVR) | LAPIC_SVR_ENABLE);
    lapic_write(LAPIC_LVT_LINT0, LAPIC_LVT_EXTINT);
    lapic_write(LAPIC_LVT_LINT1, LAPIC_LVT_NMI);
    if (expected > 1) {
        u32 vector = ((u32)ap_entry >> 12) & 0xff;
        lapic_write(LAPIC_ICR_HIGH, 0);
        lapic_write(LAPIC_ICR_LOW, LAPIC_ICR_ALL_BUT_SELF | LAPIC_ICR_ASSERT
                    | LAPIC_ICR_INIT);
        smp_wait_icr();
        lapic_write(LAPIC_ICR_LOW, LAPIC_ICR_ALL_BUT_SELF | LAPIC_ICR_ASSERT
                    | LAPIC_ICR_STARTUP | vector);
        smp_wait_icr();
        u64 deadline = timer_deadline_us(SMP_TIMEOUT_US);
        while (*(volatile u32 *)&SmpCount < expected
               && !timer_passed(deadline))
            cpu_relax();
    }
    u32 count = *(volatile u32 *)&SmpCount;
    if (count > SMP_MAX_CPUS) {
        dprintf(LOG_WARN, "smp: %u cpus answered, keeping %u\n", count,
                SMP_MAX_CPUS);
        count = SMP_MAX_CPUS;
    }
    SmpCount = count;
    if (count != expected)
        dprintf(LOG_WARN, "smp: %u of %u cpus answered\n", count, expected);
    return count;
}

void POST_STEP
smp_setup(void)
{
    u64 feature = fw_cfg_read_file_int(FW_CFG_FEATURE_CONTROL, 0);
    if (feature)
        smp_msr_add(MSR_IA32_FEATURE_CONTROL, feature);
    SmpExpected = fw_cfg_read_u32(FW_CFG_NB_CPUS) & 0xffff;
    u32 count = smp_start_aps(SmpExpected);
    dprintf(LOG_INFO, "smp: %u cpus, bsp apic id %u, %u msrs on each\n",
            count, SmpApicIds[0], SmpMsrCount);
}

int
smp_resume(void)
{
    for (u32 i = 0; i < SmpMsrCount; i++)
        wrmsr(SmpMsrs[i].index, ((u64)SmpMsrs[i].hi << 32) | SmpMsrs[i].lo);
    return smp_start_aps(SmpExpected) - 1;
}

int
smp_cpu_count(void)
{
    return SmpCount;
}

const u32 *
smp_apic_ids(void)
{
    return SmpApicIds;
}
