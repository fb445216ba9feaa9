// Unit tests for src/romheader.c (host-compiled only).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#include <setjmp.h> // jmp_buf, for cmocka
#include <stdarg.h> // va_list, for cmocka
#include <stddef.h> // size_t, for cmocka
#include <stdint.h> // uintmax_t, for cmocka
#include <string.h> // memset
#include <cmocka.h> // cmocka_unit_test

#include "romheader.h" // optionrom_check
#include "stub_output.h" // stub_log_count

#define ROM_LEN 2048 // 4 sectors
#define PNP 0x40
#define BEV 0x100

static u8 rom[ROM_LEN];

static void
put16(u32 off, u16 v)
{
    rom[off] = v;
    rom[off + 1] = v >> 8;
}

// Makes rom[0..sectors*512-1] sum to zero through its last byte.
static void
fix_checksum(u32 sectors)
{
    u8 sum = 0;
    rom[sectors * 512 - 1] = 0;
    for (u32 i = 0; i < sectors * 512; i++)
        sum += rom[i];
    rom[sectors * 512 - 1] = -sum;
}

// A valid 4-sector ROM with a PnP header at PNP whose BEV is BEV.
static int
setup(void **state)
{
    (void)state;
    memset(rom, 0, sizeof(rom));
    put16(0, 0xaa55);
    rom[2] = ROM_LEN / 512;
    put16(0x1a, PNP);
    memcpy(rom + PNP, "$PnP", 4);
    rom[PNP + 5] = 2; // 32 bytes
    put16(PNP + 0x1a, BEV);
    fix_checksum(ROM_LEN / 512);
    stub_log_reset();
    return 0;
}

static void
expect_refused(u32 len, const char *line)
{
    assert_int_equal(optionrom_check(rom, len, "test.rom"), -1);
    assert_int_equal(stub_log_count(), 1);
    assert_string_equal(stub_log_last(), line);
}

static void
test_valid(void **state)
{
    (void)state;
    assert_int_equal(optionrom_check(rom, ROM_LEN, "test.rom"), BEV);
    assert_int_equal(stub_log_count(), 0);
    // A longer file than the ROM says is fine: only its size counts.
    assert_int_equal(optionrom_check(rom, ROM_LEN, "test.rom"), BEV);
}

static void
test_no_pnp(void **state)
{
    (void)state;
    put16(0x1a, 0);
    fix_checksum(ROM_LEN / 512);
    assert_int_equal(optionrom_check(rom, ROM_LEN, "test.rom"), 0);
    assert_int_equal(stub_log_count(), 0);
}

static void
test_signature_and_length(void **state)
{
    (void)state;
    expect_refused(0x1b, "optionrom: test.rom: no rom signature, len=27");
    stub_log_reset();
    put16(0, 0x55aa);
    expect_refused(ROM_LEN, "optionrom: test.rom: no rom signature,"
                   " len=2048");
}

static void
test_size(void **state)
{
    (void)state;
    rom[2] = 0;
    expect_refused(ROM_LEN, "optionrom: test.rom: size 0 outside the file"
                   " (2048)");
    stub_log_reset();
    rom[2] = ROM_LEN / 512;
    expect_refused(ROM_LEN - 1, "optionrom: test.rom: size 2048 outside"
                   " the file (2047)");
}

static void
test_checksum(void **state)
{
    (void)state;
    rom[0x300]++;
    expect_refused(ROM_LEN, "optionrom: test.rom: checksum 0x01, not 0");
}

static void
test_pnp_header(void **state)
{
    (void)state;
    // The 32-byte header must end inside the ROM: 0x7e0 fits, 0x7e1 not.
    memcpy(rom + 0x7e0, "$PnP", 4);
    put16(0x1a, 0x7e0);
    put16(0x7e0 + 0x1a, BEV);
    fix_checksum(ROM_LEN / 512);
    assert_int_equal(optionrom_check(rom, ROM_LEN, "test.rom"), BEV);
    put16(0x1a, 0x7e1);
    fix_checksum(ROM_LEN / 512);
    expect_refused(ROM_LEN, "optionrom: test.rom: bad pnp header at 0x7e1");
    stub_log_reset();
    put16(0x1a, 0xffff);
    fix_checksum(ROM_LEN / 512);
    expect_refused(ROM_LEN, "optionrom: test.rom: bad pnp header at"
                   " 0xffff");
    stub_log_reset();
    put16(0x1a, PNP);
    rom[PNP] = '#';
    fix_checksum(ROM_LEN / 512);
    expect_refused(ROM_LEN, "optionrom: test.rom: bad pnp header at 0x40");
}

static void
test_bev_outside(void **state)
{
    (void)state;
    put16(PNP + 0x1a, ROM_LEN);
    fix_checksum(ROM_LEN / 512);
    expect_refused(ROM_LEN, "optionrom: test.rom: bev 0x800 outside the"
                   " rom");
    stub_log_reset();
    put16(PNP + 0x1a, ROM_LEN - 1);
    fix_checksum(ROM_LEN / 512);
    assert_int_equal(optionrom_check(rom, ROM_LEN, "test.rom"),
                     ROM_LEN - 1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup(name, setup)
        T(test_valid),
        T(test_no_pnp),
        T(test_signature_and_length),
        T(test_size),
        T(test_checksum),
        T(test_pnp_header),
        T(test_bev_outside),
#undef T
    };
    return cmocka_run_group_tests_name("romheader", tests, NULL, NULL);
}
