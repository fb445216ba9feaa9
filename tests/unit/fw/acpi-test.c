// Unit tests for src/fw/acpi.c (host-compiled only): the walk from the
// RSDP over the tables QEMU's linker-loader installed, with the real
// loader (src/fw/tableloader.c) behind tests/unit/stubs/fakefw.c.
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Blobs are exactly as large as their files, with poisoned guards around
// them, so a read past a table or the RSDP is an ASan report.
#include <setjmp.h> // jmp_buf, for cmocka
#include <stdarg.h> // va_list, for cmocka
#include <stddef.h> // size_t, for cmocka
#include <stdint.h> // uintmax_t, for cmocka
#include <stdio.h> // snprintf
#include <cmocka.h> // cmocka_unit_test

#include "e820map.h" // struct e820_map
#include "fakefw.h" // fakefw_reset
#include "fw/acpi.h" // acpi_setup
#include "loaderscript.h" // script_alloc
#include "stub_output.h" // stub_log_count

#define TABLES "etc/acpi/tables"
#define RSDP "etc/acpi/rsdp"

// etc/acpi/tables as QEMU lays it out, offsets within the blob.
#define FACS 0x000
#define FACS_LEN 64
#define FACP 0x040
#define FACP_LEN 0xf4
#define APIC 0x140
#define APIC_LEN 0x48
#define RSDT 0x190
#define RSDT_LEN (36 + 2 * 4)
#define XSDT 0x1c0
#define XSDT_LEN (36 + 2 * 8)
#define TABLES_LEN 0x200

struct e820_map MemMap; // acpi.c reserves the FACS here
static struct e820_entry MapStorage[8];
static struct loader_script Script;
static u8 Tables[TABLES_LEN], Rsdp[36];
static char Want[128];

static int
setup(void **state)
{
    (void)state;
    fakefw_reset();
    stub_log_reset();
    e820map_init(&MemMap, MapStorage, ARRAY_SIZE(MapStorage));
    memset(&Script, 0, sizeof(Script));
    memset(Tables, 0, sizeof(Tables));
    memcpy(Tables + FACS, "FACS", 4);
    put_le(Tables + FACS + 4, FACS_LEN, 4);
    acpi_table_header(Tables + FACP, "FACP", FACP_LEN);
    put_le(Tables + FACP + 36, FACS, 4); // FIRMWARE_CTRL
    put_le(Tables + FACP + 132, 0, 8); // X_FIRMWARE_CTRL: unused
    acpi_table_header(Tables + APIC, "APIC", APIC_LEN);
    acpi_table_header(Tables + RSDT, "RSDT", RSDT_LEN);
    put_le(Tables + RSDT + 36, FACP, 4);
    put_le(Tables + RSDT + 40, APIC, 4);
    acpi_table_header(Tables + XSDT, "XSDT", XSDT_LEN);
    put_le(Tables + XSDT + 36, FACP, 8);
    put_le(Tables + XSDT + 44, APIC, 8);
    memset(Rsdp, 0, sizeof(Rsdp));
    memcpy(Rsdp, "RSD PTR ", 8);
    Rsdp[15] = 2;
    put_le(Rsdp + 16, RSDT, 4);
    put_le(Rsdp + 20, sizeof(Rsdp), 4);
    put_le(Rsdp + 24, XSDT, 8);
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    return fakefw_canaries_ok() && fakefw_violations() == 0 ? 0 : -1;
}

// The script QEMU writes for these tables, with the pointers that
// `pointers` selects (bit n: the nth of the list below), then runs POST's
// ACPI step on files of rsdp_len and the tables.
#define P_FACS 1
#define P_RSDT 2
#define P_XSDT 4
#define P_RSDP_RSDT 8
#define P_RSDP_XSDT 16
#define P_ALL 31
#define P_RSDT_SECOND 32 // the RSDT's second entry alone
static void
run(u32 rsdp_len, int pointers)
{
    script_alloc(&Script, RSDP, 16, TABLELOADER_ZONE_FSEG);
    script_alloc(&Script, TABLES, 64, TABLELOADER_ZONE_HIGH);
    if (pointers & P_FACS)
        script_pointer(&Script, TABLES, TABLES, FACP + 36, 4);
    if (pointers & P_RSDT)
        script_pointer(&Script, TABLES, TABLES, RSDT + 36, 4);
    if (pointers & (P_RSDT | P_RSDT_SECOND))
        script_pointer(&Script, TABLES, TABLES, RSDT + 40, 4);
    if (pointers & P_XSDT) {
        script_pointer(&Script, TABLES, TABLES, XSDT + 36, 8);
        script_pointer(&Script, TABLES, TABLES, XSDT + 44, 8);
    }
    if (pointers & P_RSDP_RSDT)
        script_pointer(&Script, RSDP, TABLES, 16, 4);
    if ((pointers & P_RSDP_XSDT) && rsdp_len >= 32)
        script_pointer(&Script, RSDP, TABLES, 24, 8);
    script_cksum(&Script, RSDP, 8, 0, 20);
    fakefw_add_file(RSDP, Rsdp, rsdp_len);
    fakefw_add_file(TABLES, Tables, TABLES_LEN);
    fakefw_add_file(TABLELOADER_FILE, Script.buf, Script.len);
    acpi_setup();
}

static u32
blob_addr(const char *name)
{
    const struct tableloader_file *f = tableloader_find(name);
    assert_non_null(f);
    return (u32)(uintptr_t)f->data;
}

static void
assert_facs_reserved(void)
{
    u32 facs = blob_addr(TABLES) + FACS;
    assert_int_equal(acpi_facs(), facs);
    for (int i = 0; i < MemMap.count; i++)
        if (MemMap.entries[i].start == facs) {
            assert_int_equal(MemMap.entries[i].size, FACS_LEN);
            assert_int_equal(MemMap.entries[i].type, E820_NVS);
            return;
        }
    fail_msg("no e820 entry at the FACS 0x%08x", facs);
}

static void
assert_logged(const char *line)
{
    if (!stub_log_has(line))
        fail_msg("log \"%s\" lacks \"%s\"", stub_log_last(), line);
}

// What QEMU installs: RSDP 2.0 -> XSDT -> FACP -> FACS, no complaint.
static void
test_qemu_tables(void **state)
{
    (void)state;
    run(sizeof(Rsdp), P_ALL);
    assert_int_equal(acpi_rsdp(), blob_addr(RSDP));
    assert_facs_reserved();
    assert_int_equal(stub_log_count(), 0);
}

// An ACPI 1.0 RSDP is 20 bytes: a revision byte of 2 there must not make
// the walk read an XSDT address past the blob.
static void
test_rsdp_20_bytes(void **state)
{
    (void)state;
    run(20, P_ALL);
    assert_int_equal(acpi_rsdp(), blob_addr(RSDP));
    assert_facs_reserved();
}

// Revision 0: the RSDT, even with an XSDT address in the blob.
static void
test_rsdp_revision_0(void **state)
{
    (void)state;
    Rsdp[15] = 0;
    put_le(Rsdp + 24, 0x12345678, 8); // would not be followed
    run(sizeof(Rsdp), P_ALL & ~P_RSDP_XSDT);
    assert_facs_reserved();
    assert_int_equal(stub_log_count(), 0);
}

// A table address the loader did not patch points outside every blob:
// skipped with a line, and the walk goes on to the next entry.
static void
test_table_outside_blobs(void **state)
{
    (void)state;
    Rsdp[15] = 0; // RSDT: its first entry stays the raw offset
    put_le(Tables + RSDT + 36, 0x1000, 4);
    put_le(Tables + RSDT + 40, FACP, 4);
    run(sizeof(Rsdp), P_FACS | P_RSDT_SECOND | P_RSDP_RSDT);
    assert_logged("acpi: table at 0x00001000 not in a loader blob");
    assert_int_equal(stub_log_count(), 1);
    assert_facs_reserved();
}

// A length that runs past the blob: the table is skipped, so is its FACS.
static void
test_table_length_past_blob(void **state)
{
    (void)state;
    put_le(Tables + FACP + 4, TABLES_LEN - FACP + 1, 4);
    run(sizeof(Rsdp), P_ALL);
    snprintf(Want, sizeof(Want), "acpi: table at 0x%08x bad length %u",
             blob_addr(TABLES) + FACP, TABLES_LEN - FACP + 1);
    assert_logged(Want);
    assert_int_equal(acpi_facs(), 0);
    assert_int_equal(MemMap.count, 0);
}

static void
test_facs_not_valid(void **state)
{
    (void)state;
    memcpy(Tables + FACS, "FACZ", 4);
    run(sizeof(Rsdp), P_ALL);
    snprintf(Want, sizeof(Want), "acpi: facs at 0x%08x not valid",
             blob_addr(TABLES) + FACS);
    assert_logged(Want);
    assert_int_equal(acpi_facs(), 0);
    assert_int_equal(MemMap.count, 0);
}

// Without a valid checksum no OS finds the RSDP: it is not reported. A
// first run finds it, so the second also shows that nothing of an
// earlier run is reported again.
static void
test_rsdp_bad_checksum(void **state)
{
    (void)state;
    run(sizeof(Rsdp), P_ALL);
    assert_int_equal(acpi_rsdp(), blob_addr(RSDP));
    setup(state);
    fakefw_add_file(RSDP, Rsdp, sizeof(Rsdp));
    fakefw_add_file(TABLES, Tables, TABLES_LEN);
    script_alloc(&Script, RSDP, 16, TABLELOADER_ZONE_FSEG);
    fakefw_add_file(TABLELOADER_FILE, Script.buf, Script.len);
    acpi_setup();
    snprintf(Want, sizeof(Want), "acpi: rsdp at 0x%08x not valid",
             blob_addr(RSDP));
    assert_logged(Want);
    assert_int_equal(acpi_rsdp(), 0);
    assert_int_equal(acpi_facs(), 0);
}

static void
test_no_loader(void **state)
{
    (void)state;
    run(sizeof(Rsdp), P_ALL);
    setup(state);
    acpi_setup();
    assert_int_equal(acpi_rsdp(), 0);
    assert_int_equal(acpi_facs(), 0);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_qemu_tables),
        T(test_rsdp_20_bytes),
        T(test_rsdp_revision_0),
        T(test_table_outside_blobs),
        T(test_table_length_past_blob),
        T(test_facs_not_valid),
        T(test_rsdp_bad_checksum),
        T(test_no_loader),
#undef T
    };

    return cmocka_run_group_tests_name("acpi", tests, NULL, NULL);
}
