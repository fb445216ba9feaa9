// TSC rates stated by the CPU or the hypervisor, checked before use
// (32-bit flat; host tests too). See tscrate.h.
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// kvmclock: Linux Documentation/virt/kvm/x86/msr.rst (struct
// pvclock_vcpu_time_info). CPUID leaf 0x15: Intel SDM volume 2A, CPUID.
#include "div64.h" // div64_u32
#include "output.h" // dprintf
#include "tscrate.h" // tsc_khz_check

static bool
in_range(u64 khz)
{
    return khz >= TSC_KHZ_MIN && khz <= TSC_KHZ_MAX;
}

u32
tsc_khz_from_pvclock(u32 mul, s8 shift)
{
    // kHz = 10^6 * 2^32 / (mul * 2^shift), rounded down. The quotient by
    // mul is at most 2^52: a left shift comes only after checking that
    // the result stays in range, and takes the remainder's share along.
    u64 khz = 0;
    u32 rem;
    if (mul) {
        khz = div64_u32(1000000ULL << 32, mul, &rem);
        if (shift >= 0)
            khz = shift < 64 ? khz >> shift : 0;
        else if (-shift < 32 && khz <= (TSC_KHZ_MAX >> -shift))
            khz = (khz << -shift) + div64_u32((u64)rem << -shift, mul, NULL);
        else
            khz = 0;
    }
    if (!in_range(khz)) {
        dprintf(LOG_WARN, "timer: kvmclock mul 0x%08x shift %d: no tsc rate"
                " in %u..%u khz, ignored\n", mul, shift, TSC_KHZ_MIN,
                TSC_KHZ_MAX);
        return 0;
    }
    return khz;
}

u32
tsc_khz_from_crystal(u32 den, u32 num, u32 crystal_hz)
{
    if (!den || !num || !crystal_hz)
        return 0;
    // The product fits 64 bits; dividing by den and by 1000 one after
    // the other keeps every divisor within 32 bits.
    u64 hz = div64_u32((u64)crystal_hz * num, den, NULL);
    u64 khz = div64_u32(hz, 1000, NULL);
    if (!in_range(khz)) {
        dprintf(LOG_WARN, "timer: cpuid 0x15 crystal %u hz * %u / %u: tsc"
                " rate not in %u..%u khz, ignored\n", crystal_hz, num, den,
                TSC_KHZ_MIN, TSC_KHZ_MAX);
        return 0;
    }
    return khz;
}

u32
tsc_khz_check(u64 khz, const char *source)
{
    if (!khz)
        return 0;
    if (!in_range(khz)) {
        dprintf(LOG_WARN, "timer: tsc %llu khz from %s not in %u..%u khz,"
                " ignored\n", khz, source, TSC_KHZ_MIN, TSC_KHZ_MAX);
        return 0;
    }
    return khz;
}
