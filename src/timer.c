// TSC frequency from kvmclock or CPUID when the CPU or hypervisor states
// it, else calibrated against the PIT; every delay and timeout goes
// through here (32-bit flat).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// kvmclock: Linux Documentation/virt/kvm/x86/msr.rst (MSR_KVM_SYSTEM_TIME_NEW
// and struct pvclock_vcpu_time_info), cpuid.rst (KVM_FEATURE_CLOCKSOURCE2).
// CPUID leaf 0x15 (TSC/core crystal clock ratio): Intel SDM volume 2A,
// CPUID. Leaf 0x40000010 (TSC and bus kHz): the hypervisor timing leaf
// VMware defined, which QEMU/KVM also offer (-cpu ...,vmware-cpuid-freq=on
// with a known, invariant TSC rate).
//
// The PM timer is not a calibration source: the chipset's PM I/O is only
// enabled later in POST, and QEMU derives it from the same virtual clock
// as the PIT.
#include "div64.h" // div64_u32
#include "hw/pit.h" // pit_wait_ticks
#include "output.h" // dprintf
#include "timer.h" // timer_setup
#include "tscrate.h" // tsc_khz_check
#include "x86.h" // rdtsc

#define CPUID_TSC_CRYSTAL       0x15
#define CPUID_HV_SIGNATURE      0x40000000
#define CPUID_KVM_FEATURES      0x40000001
#define CPUID_HV_TIMING         0x40000010
#define  KVM_FEATURE_CLOCKSOURCE2 (1 << 3)
#define MSR_KVM_SYSTEM_TIME_NEW 0x4b564d01
#define CALIBRATE_TICKS         256 // PIT ticks (215 us): +-0.4%

struct pvclock_vcpu_time_info {
    u32 version;
    u32 pad0;
    u64 tsc_timestamp;
    u64 system_time;
    u32 tsc_to_system_mul;
    s8 tsc_shift;
    u8 flags;
    u8 pad[2];
} PACKED;
_Static_assert(sizeof(struct pvclock_vcpu_time_info) == 32, "pvclock");

static u64 TscStart;
static u32 TscKhz = 1000000; // a guess until calibrated

enum hypervisor { HV_NONE, HV_KVM, HV_VMWARE };

// Which hypervisor's signature CPUID 0x40000000 carries, and its highest
// leaf; one CPUID, compared as the three little-endian register values.
static enum hypervisor
hypervisor_detect(u32 *max_leaf)
{
    u32 ebx, ecx, edx;
    cpuid(CPUID_HV_SIGNATURE, max_leaf, &ebx, &ecx, &edx);
    if (ebx == 0x4b4d564b && ecx == 0x564b4d56 && edx == 0x0000004d)
        return HV_KVM;          // "KVMKVMKVM\0\0\0"
    if (ebx == 0x61774d56 && ecx == 0x4d566572 && edx == 0x65726177)
        return HV_VMWARE;       // "VMwareVMware"
    return HV_NONE;
}

static bool
kvm_has_clocksource(enum hypervisor hv, u32 max_leaf)
{
    if (hv != HV_KVM || max_leaf < CPUID_KVM_FEATURES)
        return false;
    u32 eax, ebx, ecx, edx;
    cpuid(CPUID_KVM_FEATURES, &eax, &ebx, &ecx, &edx);
    return eax & KVM_FEATURE_CLOCKSOURCE2;
}

// The rate the CPU or the hypervisor states in CPUID, 0 if neither does.
// Only KVM and VMware are trusted with leaf 0x40000010; other hypervisors
// may use it for something else.
static u32
cpuid_tsc_khz(enum hypervisor hv, u32 max_leaf, const char **source)
{
    u32 eax, ebx, ecx, edx, khz;
    if (hv != HV_NONE && max_leaf >= CPUID_HV_TIMING) {
        cpuid(CPUID_HV_TIMING, &eax, &ebx, &ecx, &edx);
        khz = tsc_khz_check(eax, "cpuid 0x40000010");
        if (khz) {
            *source = "cpuid 0x40000010";
            return khz;
        }
    }
    cpuid(0, &eax, &ebx, &ecx, &edx);
    if (eax < CPUID_TSC_CRYSTAL)
        return 0;
    cpuid(CPUID_TSC_CRYSTAL, &eax, &ebx, &ecx, &edx);
    *source = "cpuid 0x15";
    return tsc_khz_from_crystal(eax, ebx, ecx);
}

static u32
kvmclock_khz(void)
{
    static struct pvclock_vcpu_time_info info ALIGNED(32);
    wrmsr(MSR_KVM_SYSTEM_TIME_NEW, (u32)&info | 1);
    u32 mul = info.tsc_to_system_mul;
    s8 shift = info.tsc_shift;
    wrmsr(MSR_KVM_SYSTEM_TIME_NEW, 0); // leave the OS a clean MSR
    return tsc_khz_from_pvclock(mul, shift);
}

// Without kvmclock the TSC is measured against PIT channel 2, which
// timer_setup() starts counting down. The first user of the frequency
// waits until CALIBRATE_TICKS have passed (POST has usually spent that
// long already) instead of POST always waiting a fixed time; later users
// refine the figure over a longer span until CALIBRATE_FINAL_TICKS, well
// before the 16-bit count could wrap. QEMU's PIT is coarse, so the first
// figure can be a few percent off; the refined one is not.
#define CALIBRATE_FINAL_TICKS 24000 // 20 ms
static u64 CalibrateTsc;
static u16 CalibrateCount;
static bool Calibrated, CalibrationFinal;

static void
timer_calibrate(void)
{
    if (CalibrationFinal)
        return;
    // Both samples are taken the same way (count read, then TSC), so the
    // time a PIT read takes cancels out.
    u32 ticks;
    u64 now;
    do {
        ticks = (u16)(CalibrateCount - pit_read_channel2());
        now = rdtsc();
    } while (ticks < CALIBRATE_TICKS);
    u32 khz = tsc_khz_check(div64_u32((now - CalibrateTsc) * PIT_HZ,
                                      ticks * 1000, NULL), "pit");
    if (khz)
        TscKhz = khz;
    CalibrationFinal = ticks >= CALIBRATE_FINAL_TICKS;
    if (!Calibrated)
        dprintf(LOG_INFO, "timer: tsc %u khz from pit\n", TscKhz);
    Calibrated = true;
}

void POST_STEP
timer_setup(u64 tsc_start)
{
    TscStart = tsc_start;
    const char *source = "kvmclock";
    u32 max_leaf;
    enum hypervisor hv = hypervisor_detect(&max_leaf);
    u32 khz = kvm_has_clocksource(hv, max_leaf) ? kvmclock_khz() : 0;
    if (!khz)
        khz = cpuid_tsc_khz(hv, max_leaf, &source);
    if (khz) {
        TscKhz = khz;
        Calibrated = CalibrationFinal = true;
        dprintf(LOG_INFO, "timer: tsc %u khz from %s\n", TscKhz, source);
        return;
    }
    pit_start_channel2(0xffff);
    CalibrateCount = pit_read_channel2();
    CalibrateTsc = rdtsc();
}

u64
timer_us_since_start(void)
{
    timer_calibrate();
    return div64_u32((rdtsc() - TscStart) * 1000, TscKhz, NULL);
}

u64
timer_deadline_us(u32 us)
{
    timer_calibrate();
    return rdtsc() + div64_u32((u64)us * TscKhz, 1000, NULL);
}

bool
timer_passed(u64 deadline)
{
    return (s64)(rdtsc() - deadline) >= 0;
}

void
udelay(u32 us)
{
    u64 deadline = timer_deadline_us(us);
    while (!timer_passed(deadline))
        cpu_relax();
}

void
mdelay(u32 ms)
{
    while (ms--)
        udelay(1000);
}
