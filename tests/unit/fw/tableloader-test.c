// Unit tests for src/fw/tableloader.c (host-compiled only).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Scripts are built byte by byte at QEMU's offsets (with
// tests/unit/stubs/loaderscript.h, not the module's struct), run against
// tests/unit/stubs/fakefw.c, and after every test the teardown checks
// that no canary byte around any zone block changed and that the module
// never made a call the fake refuses.
#include <setjmp.h> // jmp_buf, for cmocka
#include <stdarg.h> // va_list, for cmocka
#include <stddef.h> // size_t, for cmocka
#include <stdint.h> // uintmax_t, for cmocka
#include <stdio.h> // snprintf
#include <string.h> // memcpy, memset
#include <cmocka.h> // cmocka_unit_test

#include "fakefw.h" // fakefw_reset
#include "fw/fw_cfg.h" // fw_cfg_find
#include "fw/tableloader.h" // tableloader_run
#include "stub_output.h" // stub_log_count
#include "loaderscript.h" // script_alloc
#include "testbytes.h" // get_le, put_le, sum8

#define ENTRY TABLELOADER_ENTRY_SIZE
#define MAX_ENTRIES SCRIPT_MAX_ENTRIES

static struct loader_script Script;
static char want[256]; // an expected log line

static u64
addr(const void *p)
{
    return (u64)(uintptr_t)p;
}

static u8 *
entry(u32 command)
{
    return script_entry(&Script, command);
}

static u8 *
cmd_alloc(const char *file, u32 align, u8 zone)
{
    return script_alloc(&Script, file, align, zone);
}

static u8 *
cmd_pointer(const char *dest, const char *src, u32 offset, u8 size)
{
    return script_pointer(&Script, dest, src, offset, size);
}

static u8 *
cmd_cksum(const char *file, u32 offset, u32 start, u32 length)
{
    return script_cksum(&Script, file, offset, start, length);
}

static u8 *
cmd_wrptr(const char *dest, const char *src, u32 dst_offset, u32 src_offset,
          u8 size)
{
    return script_wrptr(&Script, dest, src, dst_offset, src_offset, size);
}

// Offers the script as etc/table-loader and runs it.
static int
run_len(bool stash, u32 len)
{
    fakefw_add_file("etc/table-loader", Script.buf, len);
    return tableloader_run(stash);
}

static int
run(bool stash)
{
    return run_len(stash, Script.len);
}

static void
check_clean(void)
{
    assert_true(fakefw_canaries_ok());
    assert_int_equal(fakefw_violations(), 0);
}

static int
setup(void **state)
{
    (void)state;
    fakefw_reset();
    memset(&Script, 0, sizeof(Script));
    stub_log_reset();
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    return fakefw_canaries_ok() && fakefw_violations() == 0 ? 0 : -1;
}

// A file of n bytes i * 7 + 1, so loads can be compared.
static const struct fwcfg_file *
add_blob_file(const char *name, u32 n)
{
    u8 buf[8192];
    u32 i;

    assert_true(n <= sizeof(buf));
    for (i = 0; i < n; i++)
        buf[i] = i * 7 + 1;
    return fakefw_add_file(name, buf, n);
}

static u8 *
blob(const char *name)
{
    const struct tableloader_file *f = tableloader_find(name);

    assert_non_null(f);
    return f->data;
}

static void
assert_log(int count, const char *line)
{
    assert_int_equal(stub_log_count(), count);
    assert_string_equal(stub_log_last(), line);
}

/****************************************************************
 * A QEMU-like script: RSDP (fseg) -> RSDT/XSDT -> FACP -> DSDT/FACS,
 * and a vmgenid-style WRITE_POINTER.
 ****************************************************************/

#define FACS 0x000
#define DSDT 0x040
#define DSDT_LEN 0x30
#define FACP 0x080
#define FACP_LEN 0xf4
#define RSDT 0x180
#define RSDT_LEN 40
#define XSDT 0x1c0
#define XSDT_LEN 44
#define TABLES_LEN 0x200
#define RSDP_LEN 36
#define GUID_OFFSET 40

static void
qemu_files(void)
{
    u8 tables[TABLES_LEN] = { 0 }, rsdp[RSDP_LEN] = { 0 };

    memcpy(tables + FACS, "FACS", 4);
    put_le(tables + FACS + 4, 64, 4);
    acpi_table_header(tables + DSDT, "DSDT", DSDT_LEN);
    acpi_table_header(tables + FACP, "FACP", FACP_LEN);
    put_le(tables + FACP + 36, FACS, 4); // FIRMWARE_CTRL: offset of FACS
    put_le(tables + FACP + 40, DSDT, 4);
    put_le(tables + FACP + 140, DSDT, 8); // X_DSDT
    acpi_table_header(tables + RSDT, "RSDT", RSDT_LEN);
    put_le(tables + RSDT + 36, FACP, 4);
    acpi_table_header(tables + XSDT, "XSDT", XSDT_LEN);
    put_le(tables + XSDT + 36, FACP, 8);
    memcpy(rsdp, "RSD PTR ", 8);
    memcpy(rsdp + 9, "BOCHS ", 6);
    rsdp[15] = 2;
    put_le(rsdp + 16, RSDT, 4);
    put_le(rsdp + 20, RSDP_LEN, 4);
    put_le(rsdp + 24, XSDT, 8);
    fakefw_add_file("etc/acpi/rsdp", rsdp, RSDP_LEN);
    fakefw_add_file("etc/acpi/tables", tables, TABLES_LEN);
    fakefw_add_file("etc/vmgenid_guid", NULL, 4096);
    fakefw_add_file("etc/vmgenid_addr", NULL, 8);
}

static void
qemu_script(void)
{
    cmd_alloc("etc/acpi/rsdp", 16, 2);
    cmd_alloc("etc/acpi/tables", 64, 1);
    cmd_alloc("etc/vmgenid_guid", 4096, 1);
    cmd_pointer("etc/acpi/tables", "etc/acpi/tables", FACP + 36, 4);
    cmd_pointer("etc/acpi/tables", "etc/acpi/tables", FACP + 40, 4);
    cmd_pointer("etc/acpi/tables", "etc/acpi/tables", FACP + 140, 8);
    cmd_cksum("etc/acpi/tables", FACP + 9, FACP, FACP_LEN);
    cmd_cksum("etc/acpi/tables", DSDT + 9, DSDT, DSDT_LEN);
    cmd_pointer("etc/acpi/tables", "etc/acpi/tables", RSDT + 36, 4);
    cmd_cksum("etc/acpi/tables", RSDT + 9, RSDT, RSDT_LEN);
    cmd_pointer("etc/acpi/tables", "etc/acpi/tables", XSDT + 36, 8);
    cmd_cksum("etc/acpi/tables", XSDT + 9, XSDT, XSDT_LEN);
    cmd_pointer("etc/acpi/rsdp", "etc/acpi/tables", 16, 4);
    cmd_pointer("etc/acpi/rsdp", "etc/acpi/tables", 24, 8);
    cmd_cksum("etc/acpi/rsdp", 8, 0, 20);
    cmd_cksum("etc/acpi/rsdp", 32, 0, RSDP_LEN);
    cmd_wrptr("etc/vmgenid_addr", "etc/vmgenid_guid", 0, GUID_OFFSET, 8);
}

static void
test_qemu_script(void **state)
{
    const struct tableloader_file *rsdp, *tables, *guid;
    const struct tableloader_wp *wp;
    const u8 *r, *d;
    u64 t;

    (void)state;
    qemu_files();
    qemu_script();
    assert_int_equal(run(true), 17);
    assert_int_equal(stub_log_count(), 0);
    rsdp = tableloader_find("etc/acpi/rsdp");
    tables = tableloader_find("etc/acpi/tables");
    guid = tableloader_find("etc/vmgenid_guid");
    assert_non_null(rsdp);
    assert_non_null(tables);
    assert_non_null(guid);
    assert_null(tableloader_find("etc/vmgenid_addr"));
    assert_int_equal(rsdp->zone, TABLELOADER_ZONE_FSEG);
    assert_int_equal(rsdp->size, RSDP_LEN);
    assert_int_equal(tables->zone, TABLELOADER_ZONE_HIGH);
    assert_int_equal(tables->size, TABLES_LEN);
    assert_int_equal(addr(rsdp->data) % 16, 0);
    assert_int_equal(addr(tables->data) % 64, 0);
    assert_int_equal(addr(guid->data) % 4096, 0);
    // The zones asked for: the script copy, then one block per ALLOCATE.
    assert_int_equal(fakefw_block_count(), 4);
    assert_int_equal(fakefw_block(0)->zone, ZONE_TMP);
    assert_int_equal(fakefw_block(0)->size, Script.len);
    assert_memory_equal(fakefw_block(0)->data, Script.buf, Script.len);
    assert_int_equal(fakefw_block(1)->zone, ZONE_FSEG);
    assert_int_equal(fakefw_block(1)->align, 16);
    assert_int_equal(fakefw_block(2)->zone, ZONE_HIGH);
    assert_int_equal(fakefw_block(2)->align, 64);
    assert_int_equal(fakefw_block(3)->align, 4096);
    assert_int_equal(fakefw_block(0)->align, 4);
    t = addr(tables->data);
    r = rsdp->data;
    d = tables->data;
    assert_memory_equal(r, "RSD PTR ", 8);
    assert_int_equal(get_le(r + 16, 4), t + RSDT);
    assert_int_equal(get_le(r + 24, 8), t + XSDT);
    assert_int_equal(sum8(r, 20), 0);
    assert_int_equal(sum8(r, RSDP_LEN), 0);
    assert_int_equal(get_le(d + RSDT + 36, 4), t + FACP);
    assert_int_equal(get_le(d + XSDT + 36, 8), t + FACP);
    assert_int_equal(get_le(d + FACP + 36, 4), t + FACS);
    assert_int_equal(get_le(d + FACP + 40, 4), t + DSDT);
    assert_int_equal(get_le(d + FACP + 140, 8), t + DSDT);
    assert_int_equal(sum8(d + FACP, FACP_LEN), 0);
    assert_int_equal(sum8(d + DSDT, DSDT_LEN), 0);
    assert_int_equal(sum8(d + RSDT, RSDT_LEN), 0);
    assert_int_equal(sum8(d + XSDT, XSDT_LEN), 0);
    // vmgenid: the GUID's address went to QEMU, and is kept for S3.
    assert_int_equal(fakefw_writes(), 1);
    assert_int_equal(get_le(fakefw_file_data("etc/vmgenid_addr"), 8),
                     addr(guid->data) + GUID_OFFSET);
    assert_int_equal(tableloader_wp_count(), 1);
    wp = tableloader_wp_records();
    assert_int_equal(wp->key, fw_cfg_find("etc/vmgenid_addr")->select);
    assert_int_equal(wp->size, 8);
    assert_int_equal(wp->pad, 0);
    assert_int_equal(wp->offset, 0);
    assert_int_equal(wp->value, addr(guid->data) + GUID_OFFSET);
    check_clean();
}

static void
test_loaded_content(void **state)
{
    u32 i;
    const u8 *b;

    (void)state;
    add_blob_file("a", 300);
    cmd_alloc("a", 1, 1);
    assert_int_equal(run(true), 1);
    b = blob("a");
    for (i = 0; i < 300; i++)
        assert_int_equal(b[i], (u8)(i * 7 + 1));
    assert_int_equal(tableloader_find("a")->size, 300);
}

static void
test_find_and_rerun(void **state)
{
    char name[56];

    (void)state;
    memset(name, 'n', 55);
    name[55] = '\0';
    add_blob_file(name, 4); // the longest name there can be
    add_blob_file("b", 4);
    cmd_alloc(name, 4, 1);
    cmd_alloc("b", 4, 1);
    assert_int_equal(run(true), 2);
    assert_non_null(tableloader_find(name));
    assert_null(tableloader_find(NULL));
    assert_null(tableloader_find("c"));
    assert_null(tableloader_find(""));
    // A second run starts from an empty table.
    fakefw_reset();
    setup(NULL);
    add_blob_file("c", 4);
    cmd_alloc("c", 4, 1);
    assert_int_equal(run(true), 1);
    assert_null(tableloader_find("b"));
    assert_non_null(tableloader_find("c"));
}

/****************************************************************
 * The script itself
 ****************************************************************/

static void
test_no_script(void **state)
{
    (void)state;
    assert_int_equal(tableloader_run(true), -1);
    assert_int_equal(fakefw_block_count(), 0);
    assert_int_equal(tableloader_wp_count(), 0);
}

static void
test_empty_script(void **state)
{
    (void)state;
    assert_int_equal(run(true), 0);
    assert_int_equal(stub_log_count(), 0);
    assert_int_equal(fakefw_block_count(), 0);
}

static void
test_partial_tail(void **state)
{
    (void)state;
    add_blob_file("a", 8);
    add_blob_file("b", 8);
    cmd_alloc("a", 8, 1);
    cmd_alloc("b", 8, 1);
    memset(Script.buf + Script.len, 0xff, 44); // would be an unknown command
    assert_int_equal(run_len(true, 2 * ENTRY + 44), 2);
    assert_log(1, "loader: etc/table-loader size 300 not a multiple of 128,"
               " ignoring the last 44 bytes");
    // Only whole entries were read.
    assert_int_equal(fakefw_block(0)->size, 2 * ENTRY);
    assert_non_null(tableloader_find("b"));
}

static void
test_tail_only(void **state)
{
    (void)state;
    assert_int_equal(run_len(true, 127), 0);
    assert_log(1, "loader: etc/table-loader size 127 not a multiple of 128,"
               " ignoring the last 127 bytes");
    assert_int_equal(fakefw_block_count(), 0);
}

static void
test_script_unreadable(void **state)
{
    (void)state;
    cmd_alloc("a", 8, 1);
    fakefw_add_file("etc/table-loader", Script.buf, Script.len);
    fakefw_fail_io("etc/table-loader");
    assert_int_equal(tableloader_run(true), -1);
    assert_log(1, "loader: cannot read etc/table-loader, size 128");
}

static void
test_script_no_tmp_room(void **state)
{
    (void)state;
    cmd_alloc("a", 8, 1);
    cmd_alloc("b", 8, 1);
    fakefw_zone_limit(ZONE_TMP, ENTRY);
    assert_int_equal(run(true), -1);
    assert_log(1, "loader: cannot read etc/table-loader, size 256");
}

static void
test_unknown_commands(void **state)
{
    (void)state;
    add_blob_file("a", 8);
    entry(0);
    entry(5);
    cmd_alloc("a", 8, 1);
    entry(0xffffffff);
    entry(0x101); // only the low byte would look like ALLOCATE
    assert_int_equal(run(true), 1);
    // Zeroed entries are QEMU's padding: skipped without a word.
    assert_int_equal(stub_log_count(), 3);
    assert_false(stub_log_has("loader: cmd 0 unknown: command 0x0 skipped"));
    assert_true(stub_log_has("loader: cmd 1 unknown: command 0x5 skipped"));
    assert_true(stub_log_has("loader: cmd 3 unknown: command 0xffffffff"
                             " skipped"));
    assert_string_equal(stub_log_last(),
                        "loader: cmd 4 unknown: command 0x101 skipped");
    assert_non_null(tableloader_find("a"));
}

/****************************************************************
 * ALLOCATE
 ****************************************************************/

static void
test_alloc_unterminated(void **state)
{
    u8 *e;

    (void)state;
    e = cmd_alloc("", 8, 1);
    memset(e + 4, 'A', 56); // align follows at once: no NUL in the name
    assert_int_equal(run(true), 0);
    assert_log(1, "loader: cmd 0 allocate ?: name not terminated in 56"
               " bytes");
    assert_int_equal(fakefw_block_count(), 1); // the script only
}

static void
test_alloc_unknown_file(void **state)
{
    (void)state;
    cmd_alloc("etc/nothere", 8, 1);
    assert_int_equal(run(true), 0);
    assert_log(1, "loader: cmd 0 allocate etc/nothere: file not in fw_cfg");
}

static void
test_alloc_empty_name(void **state)
{
    (void)state;
    fakefw_add_file("", NULL, 4); // even if fw_cfg offered one
    cmd_alloc("", 8, 1);
    assert_int_equal(run(true), 1);
    assert_int_equal(stub_log_count(), 0);
}

static void
test_alloc_empty_file(void **state)
{
    (void)state;
    fakefw_add_file("etc/empty", NULL, 0);
    cmd_alloc("etc/empty", 8, 1);
    assert_int_equal(run(true), 0);
    assert_log(1, "loader: cmd 0 allocate etc/empty: file size 0");
    assert_null(tableloader_find("etc/empty"));
    assert_int_equal(fakefw_block_count(), 1);
}

static void
test_alloc_duplicate(void **state)
{
    u8 *b;

    (void)state;
    add_blob_file("a", 8);
    cmd_alloc("a", 8, 1);
    cmd_cksum("a", 0, 0, 8); // changes byte 0 of the blob
    cmd_alloc("a", 16, 2);
    assert_int_equal(run(true), 2);
    b = blob("a");
    snprintf(want, sizeof(want), "loader: cmd 2 allocate a: already"
             " allocated at 0x%08x", (u32)addr(b));
    assert_log(1, want);
    assert_int_equal(sum8(b, 8), 0); // not reloaded
    assert_int_equal(tableloader_find("a")->zone, TABLELOADER_ZONE_HIGH);
    assert_int_equal(fakefw_block_count(), 2);
}

static void
test_alloc_align(void **state)
{
    (void)state;
    add_blob_file("a", 8);
    add_blob_file("b", 8);
    add_blob_file("c", 8);
    cmd_alloc("a", 3, 1);
    cmd_alloc("a", 0x80000000 | 1, 1);
    cmd_alloc("a", 8192, 1);
    cmd_alloc("a", 0x80000000, 1);
    cmd_alloc("b", 0, 1); // taken as 1
    cmd_alloc("c", 4096, 1);
    assert_int_equal(run(true), 2);
    assert_int_equal(stub_log_count(), 4);
    assert_true(stub_log_has("loader: cmd 0 allocate a: align 3 not a power"
                             " of two"));
    assert_true(stub_log_has("loader: cmd 1 allocate a: align 2147483649 not"
                             " a power of two"));
    assert_true(stub_log_has("loader: cmd 2 allocate a: align 8192 above"
                             " 4096"));
    assert_string_equal(stub_log_last(), "loader: cmd 3 allocate a: align"
                        " 2147483648 above 4096");
    assert_null(tableloader_find("a"));
    assert_int_equal(fakefw_block(1)->align, 1);
    assert_int_equal(fakefw_block(2)->align, 4096);
    assert_int_equal(addr(blob("c")) % 4096, 0);
}

static void
test_alloc_zone(void **state)
{
    (void)state;
    add_blob_file("a", 8);
    cmd_alloc("a", 8, 0);
    cmd_alloc("a", 8, 3);
    cmd_alloc("a", 8, 0xff);
    cmd_alloc("a", 8, 2);
    assert_int_equal(run(true), 1);
    assert_int_equal(stub_log_count(), 3);
    assert_true(stub_log_has("loader: cmd 0 allocate a: zone 0 unknown"));
    assert_true(stub_log_has("loader: cmd 1 allocate a: zone 3 unknown"));
    assert_string_equal(stub_log_last(),
                        "loader: cmd 2 allocate a: zone 255 unknown");
    assert_int_equal(tableloader_find("a")->zone, TABLELOADER_ZONE_FSEG);
    assert_int_equal(fakefw_block(1)->zone, ZONE_FSEG);
}

static void
test_alloc_table_full(void **state)
{
    char name[16];
    int i;

    (void)state;
    for (i = 0; i <= TABLELOADER_MAX_FILES; i++) {
        snprintf(name, sizeof(name), "f%d", i);
        add_blob_file(name, 4);
        cmd_alloc(name, 4, 1);
    }
    assert_int_equal(run(true), TABLELOADER_MAX_FILES);
    assert_log(1, "loader: cmd 32 allocate f32: blob table full at 32");
    assert_non_null(tableloader_find("f31"));
    assert_null(tableloader_find("f32"));
}

static void
test_alloc_zone_full(void **state)
{
    (void)state;
    add_blob_file("a", 100);
    add_blob_file("b", 100);
    fakefw_zone_limit(ZONE_FSEG, 150);
    cmd_alloc("a", 16, 2);
    cmd_alloc("b", 16, 2);
    assert_int_equal(run(true), 1);
    assert_log(1, "loader: cmd 1 allocate b: no room for size 100");
    assert_null(tableloader_find("b"));
}

static void
test_alloc_read_fails(void **state)
{
    (void)state;
    add_blob_file("a", 100);
    fakefw_fail_io("a");
    cmd_alloc("a", 16, 1);
    cmd_cksum("a", 0, 0, 1);
    assert_int_equal(run(true), 0);
    assert_int_equal(stub_log_count(), 2);
    assert_true(stub_log_has("loader: cmd 0 allocate a: fw_cfg read failed,"
                             " size 100"));
    assert_string_equal(stub_log_last(),
                        "loader: cmd 1 add_checksum a: not allocated");
}

/****************************************************************
 * ADD_POINTER
 ****************************************************************/

static void
test_pointer_names(void **state)
{
    u8 *e;

    (void)state;
    add_blob_file("a", 16);
    cmd_alloc("a", 8, 1);
    e = cmd_pointer("", "a", 0, 4);
    memset(e + 4, 'd', 56);
    e = cmd_pointer("a", "", 0, 4);
    memset(e + 60, 's', 56);
    assert_int_equal(run(true), 1);
    assert_int_equal(stub_log_count(), 2);
    assert_true(stub_log_has("loader: cmd 1 add_pointer ?: dest name not"
                             " terminated in 56 bytes"));
    assert_string_equal(stub_log_last(), "loader: cmd 2 add_pointer a: src"
                        " name not terminated in 56 bytes");
    assert_int_equal(get_le(blob("a"), 4), 0x160f0801); // unchanged
}

static void
test_pointer_before_alloc(void **state)
{
    (void)state;
    add_blob_file("a", 16);
    add_blob_file("b", 16);
    cmd_pointer("a", "b", 0, 4);
    cmd_alloc("a", 8, 1);
    cmd_pointer("a", "b", 0, 4);
    cmd_pointer("a", "etc/nothere", 0, 4);
    assert_int_equal(run(true), 1);
    assert_int_equal(stub_log_count(), 3);
    assert_true(stub_log_has("loader: cmd 0 add_pointer a: not allocated"));
    assert_true(stub_log_has("loader: cmd 2 add_pointer a: src b not"
                             " allocated"));
    assert_string_equal(stub_log_last(), "loader: cmd 3 add_pointer a: src"
                        " etc/nothere not allocated");
    assert_int_equal(get_le(blob("a"), 4), 0x160f0801);
}

static void
test_pointer_size(void **state)
{
    (void)state;
    add_blob_file("a", 16);
    cmd_alloc("a", 8, 1);
    cmd_pointer("a", "a", 0, 3);
    cmd_pointer("a", "a", 0, 0);
    cmd_pointer("a", "a", 0, 16);
    assert_int_equal(run(true), 1);
    assert_int_equal(stub_log_count(), 3);
    assert_true(stub_log_has("loader: cmd 1 add_pointer a: pointer size 3"
                             " invalid"));
    assert_true(stub_log_has("loader: cmd 2 add_pointer a: pointer size 0"
                             " invalid"));
    assert_string_equal(stub_log_last(), "loader: cmd 3 add_pointer a:"
                        " pointer size 16 invalid");
}

static void
test_pointer_offset(void **state)
{
    u8 before[16];
    u64 a;
    int i;

    (void)state;
    add_blob_file("a", 16);
    cmd_alloc("a", 8, 1);
    cmd_pointer("a", "a", 0xfffffffc, 8); // offset + size wraps to 4
    cmd_pointer("a", "a", 13, 4); // one byte past the end
    cmd_pointer("a", "a", 16, 1);
    cmd_pointer("a", "a", 0xffffffff, 1);
    cmd_pointer("a", "a", 8, 8); // exactly the last 8 bytes: fine
    assert_int_equal(run(true), 2);
    assert_int_equal(stub_log_count(), 4);
    assert_true(stub_log_has("loader: cmd 1 add_pointer a: offset"
                             " 0xfffffffc size 8 outside blob size 16"));
    assert_true(stub_log_has("loader: cmd 2 add_pointer a: offset 0xd size"
                             " 4 outside blob size 16"));
    assert_true(stub_log_has("loader: cmd 3 add_pointer a: offset 0x10 size"
                             " 1 outside blob size 16"));
    assert_string_equal(stub_log_last(), "loader: cmd 4 add_pointer a:"
                        " offset 0xffffffff size 1 outside blob size 16");
    for (i = 0; i < 16; i++)
        before[i] = i * 7 + 1;
    a = addr(blob("a"));
    assert_memory_equal(blob("a"), before, 8);
    assert_int_equal(get_le(blob("a") + 8, 8), get_le(before + 8, 8) + a);
}

static void
test_pointer_fits(void **state)
{
    u8 data[32] = { 0 };
    u64 a;

    (void)state;
    put_le(data + 0, 0, 2);
    put_le(data + 2, 0, 1);
    put_le(data + 4, 0xffffffff, 4);
    put_le(data + 8, ~0ull, 8);
    fakefw_add_file("a", data, sizeof(data));
    cmd_alloc("a", 8, 1);
    cmd_pointer("a", "a", 0, 2);
    cmd_pointer("a", "a", 2, 1);
    cmd_pointer("a", "a", 4, 4);
    cmd_pointer("a", "a", 8, 8);
    assert_int_equal(run(true), 1);
    a = addr(blob("a"));
    assert_true(a > 0xffff && a < 0x100000000ull);
    assert_int_equal(stub_log_count(), 4);
    snprintf(want, sizeof(want), "loader: cmd 1 add_pointer a: value 0x0 +"
             " 0x%llx does not fit size 2", (unsigned long long)a);
    assert_true(stub_log_has(want));
    snprintf(want, sizeof(want), "loader: cmd 2 add_pointer a: value 0x0 +"
             " 0x%llx does not fit size 1", (unsigned long long)a);
    assert_true(stub_log_has(want));
    snprintf(want, sizeof(want), "loader: cmd 3 add_pointer a: value"
             " 0xffffffff + 0x%llx does not fit size 4",
             (unsigned long long)a);
    assert_true(stub_log_has(want));
    snprintf(want, sizeof(want), "loader: cmd 4 add_pointer a: value"
             " 0xffffffffffffffff + 0x%llx does not fit size 8",
             (unsigned long long)a);
    assert_string_equal(stub_log_last(), want);
    assert_memory_equal(blob("a"), data, sizeof(data));
}

// An address is known only once a run placed the blob, and the fake arena
// places the same files for the same script at the same addresses: run
// twice, the second time with values that make the sums just fit (or just
// not).
static void
test_pointer_fits_exactly(void **state)
{
    u8 data[16] = { 0 };
    u64 a;

    (void)state;
    cmd_alloc("a", 8, 1);
    cmd_pointer("a", "a", 0, 4);
    cmd_pointer("a", "a", 4, 4);
    cmd_pointer("a", "a", 8, 8);
    fakefw_add_file("a", data, sizeof(data));
    assert_int_equal(run(true), 4);
    a = addr(blob("a"));
    fakefw_reset();
    stub_log_reset();
    put_le(data, 0xffffffff - a, 4);
    put_le(data + 4, 0x100000000ull - a, 4);
    put_le(data + 8, ~0ull - a, 8);
    fakefw_add_file("a", data, sizeof(data));
    assert_int_equal(run(true), 3);
    assert_int_equal(addr(blob("a")), a);
    assert_int_equal(get_le(blob("a"), 4), 0xffffffff);
    assert_int_equal(get_le(blob("a") + 4, 4), 0x100000000ull - a);
    assert_int_equal(get_le(blob("a") + 8, 8), ~0ull);
    snprintf(want, sizeof(want), "loader: cmd 2 add_pointer a: value 0x%llx"
             " + 0x%llx does not fit size 4",
             (unsigned long long)(0x100000000ull - a), (unsigned long long)a);
    assert_log(1, want);
}

/****************************************************************
 * ADD_CHECKSUM
 ****************************************************************/

static void
test_checksum_math(void **state)
{
    u8 data[8] = { 0x10, 0x20, 0x30, 0x05, 0x40, 0x50, 0x60, 0x70 };

    (void)state;
    fakefw_add_file("a", data, sizeof(data));
    cmd_alloc("a", 8, 1);
    cmd_cksum("a", 3, 4, 4); // range excludes the byte: 0x05 - 0x160
    cmd_cksum("a", 0, 0, 0); // empty range: nothing changes
    assert_int_equal(run(true), 3);
    assert_int_equal(blob("a")[3], (u8)(0x05 - 0x60));
    assert_int_equal(blob("a")[0], 0x10);
    assert_memory_equal(blob("a") + 4, data + 4, 4);
    assert_int_equal(stub_log_count(), 0);
}

static void
test_checksum_bad(void **state)
{
    u8 *e;

    (void)state;
    add_blob_file("a", 16);
    cmd_cksum("a", 0, 0, 16);
    cmd_alloc("a", 8, 1);
    e = cmd_cksum("", 0, 0, 16);
    memset(e + 4, 'c', 56);
    cmd_cksum("a", 16, 0, 16);
    cmd_cksum("a", 0xffffffff, 0, 16);
    cmd_cksum("a", 0, 0, 17);
    cmd_cksum("a", 0, 17, 0);
    cmd_cksum("a", 0, 0xffffff00, 0x200); // start + length wraps
    cmd_cksum("a", 0, 1, 0xffffffff);
    cmd_cksum("a", 15, 16, 0); // empty range at the very end: fine
    assert_int_equal(run(true), 2);
    assert_int_equal(stub_log_count(), 8);
    assert_true(stub_log_has("loader: cmd 0 add_checksum a: not"
                             " allocated"));
    assert_true(stub_log_has("loader: cmd 2 add_checksum ?: name not"
                             " terminated in 56 bytes"));
    assert_true(stub_log_has("loader: cmd 3 add_checksum a: checksum offset"
                             " 0x10 outside blob size 16"));
    assert_true(stub_log_has("loader: cmd 4 add_checksum a: checksum offset"
                             " 0xffffffff outside blob size 16"));
    assert_true(stub_log_has("loader: cmd 5 add_checksum a: start 0x0"
                             " length 17 outside blob size 16"));
    assert_true(stub_log_has("loader: cmd 6 add_checksum a: start 0x11"
                             " length 0 outside blob size 16"));
    assert_true(stub_log_has("loader: cmd 7 add_checksum a: start"
                             " 0xffffff00 length 512 outside blob size 16"));
    assert_string_equal(stub_log_last(), "loader: cmd 8 add_checksum a:"
                        " start 0x1 length 4294967295 outside blob size 16");
    assert_int_equal(get_le(blob("a"), 4), 0x160f0801);
}

/****************************************************************
 * WRITE_POINTER
 ****************************************************************/

// "g" is a 64-byte blob, "addr" a 32-byte writable fw_cfg file.
static void
wp_files(void)
{
    add_blob_file("g", 64);
    fakefw_add_file("addr", NULL, 32);
    cmd_alloc("g", 16, 1);
}

static void
test_wrptr_sizes_and_offsets(void **state)
{
    u8 *e;
    u64 g;

    (void)state;
    wp_files();
    e = cmd_wrptr("", "g", 0, 0, 8);
    memset(e + 4, 'd', 56);
    e = cmd_wrptr("addr", "", 0, 0, 8);
    memset(e + 60, 's', 56);
    cmd_wrptr("addr", "h", 0, 0, 8);
    cmd_wrptr("nothere", "g", 0, 0, 8);
    cmd_wrptr("addr", "g", 0, 0, 3);
    cmd_wrptr("addr", "g", 0xfffffffc, 0, 8);
    cmd_wrptr("addr", "g", 25, 0, 8);
    cmd_wrptr("addr", "g", 0, 64, 8);
    cmd_wrptr("addr", "g", 0, 0xffffffff, 8);
    cmd_wrptr("addr", "g", 0, 0, 2);
    cmd_wrptr("addr", "g", 28, 63, 4); // g's last byte, the file's end
    assert_int_equal(run(true), 2);
    assert_int_equal(stub_log_count(), 10);
    assert_true(stub_log_has("loader: cmd 1 write_pointer ?: dest name not"
                             " terminated in 56 bytes"));
    assert_true(stub_log_has("loader: cmd 2 write_pointer addr: src name not"
                             " terminated in 56 bytes"));
    assert_true(stub_log_has("loader: cmd 3 write_pointer addr: src h not"
                             " allocated"));
    assert_true(stub_log_has("loader: cmd 4 write_pointer nothere: file not"
                             " in fw_cfg"));
    assert_true(stub_log_has("loader: cmd 5 write_pointer addr: pointer size"
                             " 3 invalid"));
    assert_true(stub_log_has("loader: cmd 6 write_pointer addr: dst_offset"
                             " 0xfffffffc size 8 outside file size 32"));
    assert_true(stub_log_has("loader: cmd 7 write_pointer addr: dst_offset"
                             " 0x19 size 8 outside file size 32"));
    assert_true(stub_log_has("loader: cmd 8 write_pointer addr: src_offset"
                             " 0x40 outside src blob size 64"));
    assert_true(stub_log_has("loader: cmd 9 write_pointer addr: src_offset"
                             " 0xffffffff outside src blob size 64"));
    g = addr(blob("g"));
    snprintf(want, sizeof(want), "loader: cmd 10 write_pointer addr: value"
             " 0x%llx does not fit size 2", (unsigned long long)g);
    assert_string_equal(stub_log_last(), want);
    assert_int_equal(fakefw_writes(), 1);
    assert_int_equal(get_le(fakefw_file_data("addr"), 8), 0);
    assert_int_equal(get_le(fakefw_file_data("addr") + 8, 8), 0);
    assert_int_equal(get_le(fakefw_file_data("addr") + 16, 8), 0);
    assert_int_equal(get_le(fakefw_file_data("addr") + 24, 4), 0);
    assert_int_equal(get_le(fakefw_file_data("addr") + 28, 4), g + 63);
    assert_int_equal(tableloader_wp_count(), 1);
    assert_int_equal(tableloader_wp_records()[0].offset, 28);
    assert_int_equal(tableloader_wp_records()[0].size, 4);
    assert_int_equal(tableloader_wp_records()[0].value, g + 63);
}

static void
test_wrptr_no_dma(void **state)
{
    (void)state;
    wp_files();
    cmd_wrptr("addr", "g", 0, 0, 8);
    fakefw_set_dma(false);
    assert_int_equal(run(true), 1);
    assert_log(1, "loader: cmd 1 write_pointer addr: refused: no fw_cfg"
               " dma");
    assert_int_equal(fakefw_writes(), 0);
    assert_int_equal(get_le(fakefw_file_data("addr"), 8), 0);
    assert_int_equal(tableloader_wp_count(), 0);
}

static void
test_wrptr_write_fails(void **state)
{
    (void)state;
    wp_files();
    cmd_wrptr("addr", "g", 4, 0, 4);
    fakefw_fail_io("addr");
    assert_int_equal(run(true), 1);
    assert_log(1, "loader: cmd 1 write_pointer addr: fw_cfg write failed"
               " at 0x4");
    assert_int_equal(tableloader_wp_count(), 0);
}

static void
test_wrptr_records_overflow(void **state)
{
    const struct tableloader_wp *wp;
    u64 g;
    int i;

    (void)state;
    wp_files();
    for (i = 0; i < CONFIG_S3_WRITE_POINTERS + 2; i++)
        cmd_wrptr("addr", "g", i, i, 8);
    assert_int_equal(run(true), CONFIG_S3_WRITE_POINTERS + 3);
    assert_log(1, "loader: cmd 9 write_pointer addr: more than 8 s3"
               " records, not kept for resume");
    assert_int_equal(fakefw_writes(), CONFIG_S3_WRITE_POINTERS + 2);
    assert_int_equal(tableloader_wp_count(), CONFIG_S3_WRITE_POINTERS);
    g = addr(blob("g"));
    wp = tableloader_wp_records();
    for (i = 0; i < CONFIG_S3_WRITE_POINTERS; i++) {
        assert_int_equal(wp[i].key, fw_cfg_find("addr")->select);
        assert_int_equal(wp[i].offset, i);
        assert_int_equal(wp[i].value, g + i);
    }
    // The last write won in the file, as it did in QEMU.
    assert_int_equal(get_le(fakefw_file_data("addr") + 9, 8), g + 9);
}

static void
test_wrptr_stash_disabled(void **state)
{
    (void)state;
    wp_files();
    cmd_wrptr("addr", "g", 0, 0, 8);
    assert_int_equal(run(true), 2);
    assert_int_equal(tableloader_wp_count(), 1);
    // The next run, with S3 off, drops the old records and keeps none.
    fakefw_reset();
    setup(NULL);
    wp_files();
    cmd_wrptr("addr", "g", 0, 0, 8);
    assert_int_equal(run(false), 2);
    assert_int_equal(fakefw_writes(), 1);
    assert_int_equal(get_le(fakefw_file_data("addr"), 8), addr(blob("g")));
    assert_int_equal(tableloader_wp_count(), 0);
    assert_int_equal(stub_log_count(), 0);
}

/****************************************************************
 * Several faults, one line each
 ****************************************************************/

static void
test_one_line_per_bad_command(void **state)
{
    (void)state;
    qemu_files();
    cmd_alloc("etc/acpi/rsdp", 3, 2);
    cmd_alloc("etc/acpi/tables", 64, 7);
    qemu_script();
    cmd_pointer("etc/acpi/rsdp", "etc/acpi/tables", 0xfffffffc, 8);
    cmd_cksum("etc/acpi/rsdp", 36, 0, 36);
    cmd_alloc("etc/acpi/rsdp", 16, 2);
    entry(9);
    cmd_wrptr("etc/vmgenid_addr", "etc/vmgenid_guid", 0, 4096, 8);
    assert_int_equal(run(true), 17);
    assert_int_equal(stub_log_count(), 7);
    // The good script still produced valid tables.
    assert_int_equal(sum8(blob("etc/acpi/rsdp"), RSDP_LEN), 0);
    assert_int_equal(sum8(blob("etc/acpi/tables") + FACP, FACP_LEN), 0);
    check_clean();
}

/****************************************************************
 * Name matching: the word-by-word fast path and the checks it skips
 ****************************************************************/

// Names of 1..8 characters, so the NUL falls in every byte of a word;
// prefixes of each other; the longest name there can be. Each blob's
// first byte gets a pointer, so a wrong match shows in another blob.
static void
test_names_every_length(void **state)
{
    static const char *const names[] = {
        "a", "ab", "abc", "abcd", "abcde", "abcdef", "abcdefg", "abcdefgh",
    };
    char longest[56];
    u64 base[9];
    int i, n = ARRAY_SIZE(names);

    (void)state;
    memset(longest, 'n', 55);
    longest[55] = '\0';
    for (i = 0; i < n; i++) {
        add_blob_file(names[i], 8);
        cmd_alloc(names[i], 8, 1);
    }
    add_blob_file(longest, 8);
    cmd_alloc(longest, 8, 1);
    // Backwards, so the blob found last is never the one named.
    cmd_pointer(longest, longest, 0, 8);
    for (i = n - 1; i >= 0; i--) {
        cmd_pointer(names[i], names[i], 0, 8);
        cmd_cksum(names[i], 7, 0, 8);
    }
    cmd_pointer("abcdefghi", "a", 0, 8);
    cmd_pointer("a", "abcdefghi", 0, 8);
    cmd_cksum("abcdefghi", 0, 0, 8);
    assert_int_equal(run(true), (n + 1) + 1 + 2 * n);
    assert_int_equal(stub_log_count(), 3);
    assert_true(stub_log_has("loader: cmd 26 add_pointer abcdefghi: not"
                             " allocated"));
    assert_true(stub_log_has("loader: cmd 27 add_pointer a: src abcdefghi"
                             " not allocated"));
    assert_string_equal(stub_log_last(), "loader: cmd 28 add_checksum"
                        " abcdefghi: not allocated");
    for (i = 0; i < n; i++)
        base[i] = addr(blob(names[i]));
    base[n] = addr(blob(longest));
    for (i = 0; i < n; i++) {
        u8 *b = blob(names[i]);
        u64 old = get_le(fakefw_file_data(names[i]), 8);

        // Its own address added, then the checksum in byte 7.
        assert_int_equal(get_le(b, 7), (old + base[i]) & 0xffffffffffffffull);
        assert_int_equal(sum8(b, 8), 0);
    }
    assert_int_equal(get_le(blob(longest), 8),
                     get_le(fakefw_file_data(longest), 8) + base[n]);
}

// Fields with other bytes after their NUL (QEMU zero-fills, a script
// need not): the fast match misses them, the checks still find the blob.
static void
test_names_not_zero_filled(void **state)
{
    u8 *e;

    (void)state;
    add_blob_file("etc/acpi/tables", 16);
    add_blob_file("etc/x", 8);
    fakefw_add_file("etc/addr", NULL, 8);
    fakefw_set_dma(true);
    e = cmd_alloc("etc/acpi/tables", 8, 1);
    memset(e + 4 + 16, 0xaa, 56 - 16);
    e = cmd_alloc("etc/x", 8, 1);
    memset(e + 4 + 6, 'y', 56 - 6 - 1);
    e = cmd_pointer("etc/acpi/tables", "etc/x", 0, 8);
    memset(e + 4 + 16, 'd', 56 - 16);
    memset(e + 60 + 6, 's', 56 - 6);
    e = cmd_cksum("etc/x", 7, 0, 8);
    memset(e + 4 + 6, 0xff, 56 - 6);
    e = cmd_wrptr("etc/addr", "etc/acpi/tables", 0, 4, 8);
    memset(e + 4 + 9, 'd', 56 - 9);
    memset(e + 60 + 16, 's', 56 - 16);
    // Garbage after the NUL of a name that is no blob: still "not
    // allocated", not a match of some blob.
    e = cmd_cksum("etc/acpi/tab", 0, 0, 1);
    memset(e + 4 + 13, 0, 56 - 13);
    memcpy(e + 4 + 13, "les", 3);
    assert_int_equal(run(true), 5);
    assert_int_equal(stub_log_count(), 1);
    assert_string_equal(stub_log_last(), "loader: cmd 5 add_checksum"
                        " etc/acpi/tab: not allocated");
    assert_int_equal(get_le(blob("etc/acpi/tables"), 8),
                     get_le(fakefw_file_data("etc/acpi/tables"), 8)
                     + addr(blob("etc/x")));
    assert_int_equal(sum8(blob("etc/x"), 8), 0);
    assert_int_equal(get_le(fakefw_file_data("etc/addr"), 8),
                     addr(blob("etc/acpi/tables")) + 4);
}

// A name that runs to the end of its field with no NUL never matches,
// even where its first 55 bytes are a blob's name and only the field's
// last byte differs from the zero filling.
static void
test_names_unterminated_near_match(void **state)
{
    char name[56];
    u8 *e;

    (void)state;
    memset(name, 'n', 55);
    name[55] = '\0';
    add_blob_file(name, 8);
    cmd_alloc(name, 8, 1);
    e = cmd_pointer(name, name, 0, 8);
    e[4 + 55] = 'x';
    e = cmd_pointer(name, name, 0, 8);
    e[60 + 55] = 'x';
    e = cmd_cksum(name, 0, 0, 8);
    e[4 + 55] = 'x';
    assert_int_equal(run(true), 1);
    assert_int_equal(stub_log_count(), 3);
    assert_true(stub_log_has("loader: cmd 1 add_pointer ?: dest name not"
                             " terminated in 56 bytes"));
    snprintf(want, sizeof(want), "loader: cmd 2 add_pointer %s: src name"
             " not terminated in 56 bytes", name);
    assert_true(stub_log_has(want));
    assert_string_equal(stub_log_last(), "loader: cmd 3 add_checksum ?:"
                        " name not terminated in 56 bytes");
    assert_memory_equal(blob(name), fakefw_file_data(name), 8);
}

// tableloader_holds(): ranges inside one blob, not across or past one.
static void
test_holds(void **state)
{
    const u8 *a, *b;

    (void)state;
    add_blob_file("a", 16);
    add_blob_file("b", 64);
    cmd_alloc("a", 8, 1);
    cmd_alloc("b", 8, 2);
    assert_int_equal(run(true), 2);
    a = blob("a");
    b = blob("b");
    assert_true(tableloader_holds(a, 16));
    assert_true(tableloader_holds(a + 15, 1));
    assert_true(tableloader_holds(a + 16, 0));
    assert_true(tableloader_holds(b + 28, 36));
    assert_false(tableloader_holds(a, 17));
    assert_false(tableloader_holds(a + 16, 1));
    assert_false(tableloader_holds(a + 8, 0xfffffffc));
    assert_false(tableloader_holds(b + 29, 36));
    assert_false(tableloader_holds((void *)((uintptr_t)a - 1), 1));
    assert_false(tableloader_holds((void *)((uintptr_t)b - 1), 2));
    assert_false(tableloader_holds(NULL, 0));
    // A new run forgets the blobs of the last one.
    setup(NULL);
    assert_int_equal(run(true), 0);
    assert_false(tableloader_holds(a, 1));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(test_qemu_script),
        T(test_loaded_content),
        T(test_find_and_rerun),
        T(test_no_script),
        T(test_empty_script),
        T(test_partial_tail),
        T(test_tail_only),
        T(test_script_unreadable),
        T(test_script_no_tmp_room),
        T(test_unknown_commands),
        T(test_alloc_unterminated),
        T(test_alloc_unknown_file),
        T(test_alloc_empty_name),
        T(test_alloc_empty_file),
        T(test_alloc_duplicate),
        T(test_alloc_align),
        T(test_alloc_zone),
        T(test_alloc_table_full),
        T(test_alloc_zone_full),
        T(test_alloc_read_fails),
        T(test_pointer_names),
        T(test_pointer_before_alloc),
        T(test_pointer_size),
        T(test_pointer_offset),
        T(test_pointer_fits),
        T(test_pointer_fits_exactly),
        T(test_checksum_math),
        T(test_checksum_bad),
        T(test_wrptr_sizes_and_offsets),
        T(test_wrptr_no_dma),
        T(test_wrptr_write_fails),
        T(test_wrptr_records_overflow),
        T(test_wrptr_stash_disabled),
        T(test_one_line_per_bad_command),
        T(test_names_every_length),
        T(test_names_not_zero_filled),
        T(test_names_unterminated_near_match),
        T(test_holds),
#undef T
    };

    return cmocka_run_group_tests_name("tableloader", tests, NULL, NULL);
}
