// libFuzzer target for src/fw/acpi.c (host-compiled only): the walk over
// the ACPI tables QEMU's linker-loader installed.
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Input: { flags; le16 tables size; u8 pointer count; 8 bytes: the RSDP's
// RSDT and XSDT fields; pointers, 3 bytes each: le16 offset, u8 whose bit
// 0 makes it 8 bytes wide, not 4 }, then the tables blob. The
// script the fuzzer writes for it is QEMU's shape: allocate
// etc/acpi/tables (high) and etc/acpi/rsdp (F-segment), point the RSDP's
// RSDT (offset 16) and, with flag bit 0, XSDT (offset 24) fields into
// the tables, add each listed pointer inside the tables (4 or 8 bytes,
// plus the tables' address), and checksum the RSDP. The RSDP is 20 bytes
// (ACPI 1.0) or, with flag bit 1, 36; flag bit 2 makes it revision 2.
// The RSDT/XSDT fields and the tables hold what the input says, so every
// length, count and address acpi.c reads is the fuzzer's. After each run,
// through the fakes in tests/unit/stubs/fakefw.c: no canary around any
// blob changed (ASan catches any read outside one), and a reserved FACS
// lies inside the tables blob and is ACPI NVS in the memory map.
#include <stdint.h> // uint8_t
#include <string.h> // memcpy, memset

#include "e820map.h" // struct e820_map
#include "fakefw.h" // fakefw_reset
#include "fuzz.h" // REQUIRE
#include "fw/acpi.h" // acpi_setup
#include "loaderscript.h" // script_alloc
#include "stub_output.h" // stub_log_reset

#define TABLES "etc/acpi/tables"
#define RSDP "etc/acpi/rsdp"
#define TABLES_MAX 4096
#define POINTERS_MAX (SCRIPT_MAX_ENTRIES - 5)

struct e820_map MemMap; // acpi.c reserves the FACS here
static struct e820_entry MapStorage[16];

static struct loader_script Script;
static u8 Rsdp[36];

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 4)
        return 0;
    u8 flags = data[0];
    u32 tables_size = (data[1] | data[2] << 8) % TABLES_MAX + 1;
    int pointers = data[3] % (POINTERS_MAX + 1);
    data += 4;
    size -= 4;
    if (size < (size_t)pointers * 3 + 8)
        return 0;

    fakefw_reset();
    stub_log_reset();
    e820map_init(&MemMap, MapStorage, ARRAY_SIZE(MapStorage));
    u32 rsdp_size = flags & 2 ? 36 : 20;
    memset(Rsdp, 0, sizeof(Rsdp));
    memcpy(Rsdp, "RSD PTR ", 8);
    Rsdp[15] = flags & 4 ? 2 : 0;
    memcpy(Rsdp + 16, data, 4); // RSDT: an offset into the tables
    memcpy(Rsdp + 24, data + 4, 4); // XSDT, low half
    data += 8;
    size -= 8;

    Script.len = 0;
    script_alloc(&Script, TABLES, 64, TABLELOADER_ZONE_HIGH);
    script_alloc(&Script, RSDP, 16, TABLELOADER_ZONE_FSEG);
    script_pointer(&Script, RSDP, TABLES, 16, 4);
    if (flags & 1 && rsdp_size == 36)
        script_pointer(&Script, RSDP, TABLES, 24, 8);
    for (int i = 0; i < pointers; i++, data += 3, size -= 3)
        script_pointer(&Script, TABLES, TABLES, data[0] | data[1] << 8,
                       data[2] & 1 ? 8 : 4);
    script_cksum(&Script, RSDP, 8, 0, 20);

    u8 tables[TABLES_MAX] = { 0 };
    memcpy(tables, data, size < tables_size ? size : tables_size);
    fakefw_add_file(TABLES, tables, tables_size);
    fakefw_add_file(RSDP, Rsdp, rsdp_size);
    fakefw_add_file(TABLELOADER_FILE, Script.buf, Script.len);

    acpi_setup();

    REQUIRE(fakefw_canaries_ok());
    REQUIRE(!fakefw_violations());
    const struct tableloader_file *t = tableloader_find(TABLES);
    u32 facs = acpi_facs();
    if (facs) {
        REQUIRE(t);
        u32 base = (u32)(uintptr_t)t->data;
        REQUIRE(facs >= base && facs - base <= t->size - 64);
        bool nvs = false;
        for (int i = 0; i < MemMap.count; i++)
            nvs |= MemMap.entries[i].start == facs
                && MemMap.entries[i].type == E820_NVS;
        REQUIRE(nvs);
    }
    return 0;
}
