// libFuzzer target for src/tscrate.c (host-compiled only).
//
// Input: the values a hypervisor or CPU states, little-endian: kvmclock
// mul (4 bytes) and shift (1), CPUID 0x15 EAX, EBX, ECX (4 each) and a
// stated rate in kHz (8). Every function must return 0 or a rate within
// TSC_KHZ_MIN..TSC_KHZ_MAX, and never divide by zero or shift out of
// range (UBSan).
#include <stdint.h> // uint8_t
#include <string.h> // memcpy

#include "fuzz.h" // REQUIRE
#include "tscrate.h" // tsc_khz_from_pvclock

static int
rate_ok(u32 khz)
{
    return !khz || (khz >= TSC_KHZ_MIN && khz <= TSC_KHZ_MAX);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    u8 in[4 + 1 + 12 + 8] = { 0 };
    u32 mul, den, num, crystal;
    s8 shift;
    u64 khz;

    memcpy(in, data, size < sizeof(in) ? size : sizeof(in));
    memcpy(&mul, in, 4);
    shift = (s8)in[4];
    memcpy(&den, in + 5, 4);
    memcpy(&num, in + 9, 4);
    memcpy(&crystal, in + 13, 4);
    memcpy(&khz, in + 17, 8);
    REQUIRE(rate_ok(tsc_khz_from_pvclock(mul, shift)));
    REQUIRE(rate_ok(tsc_khz_from_crystal(den, num, crystal)));
    u32 checked = tsc_khz_check(khz, "fuzz");
    REQUIRE(rate_ok(checked));
    REQUIRE(!checked || checked == khz);
    return 0;
}
