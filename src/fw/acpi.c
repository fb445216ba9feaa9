// ACPI tables: run the linker-loader, then walk what it installed from
// the RSDP, log every table and reserve the FACS as ACPI NVS (32-bit
// flat).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// ACPI 6.5: 5.2.5 (RSDP), 5.2.7/5.2.8 (RSDT/XSDT), 5.2.9 (FADT: FACS at
// offset 36, X_FIRMWARE_CTRL at 132), 5.2.10 (FACS in ACPI NVS memory).
// QEMU's etc/system-states: one byte per sleep state S0-S5, bit 7 set when
// the state is enabled (QEMU hw/acpi/core.c).
#include "checksum.h" // checksum
#include "fw/acpi.h" // acpi_setup
#include "fw/fw_cfg.h" // fw_cfg_find
#include "fw/tableloader.h" // tableloader_run
#include "memmap.h" // MemMap
#include "output.h" // dprintf
#include "string.h" // memcmp

#define RSDP_FILE "etc/acpi/rsdp"
#define RSDP_SIGNATURE 0x2052545020445352ULL // "RSD PTR " little-endian
#define SYSTEM_STATES_FILE "etc/system-states"
#define SYSTEM_STATE_ENABLED 0x80
#define ACPI_HEADER_SIZE 36
#define FADT_FIRMWARE_CTRL 36
#define FADT_X_FIRMWARE_CTRL 132
#define ACPI_TABLES_MAX 64

struct acpi_header {
    char signature[4];
    u32 length;
    u8 revision;
    u8 checksum;
    char oem_id[6];
    char oem_table_id[8];
    u32 oem_revision;
    u32 creator_id;
    u32 creator_revision;
} PACKED;
_Static_assert(sizeof(struct acpi_header) == ACPI_HEADER_SIZE, "header");

struct rsdp {
    char signature[8];      // "RSD PTR "
    u8 checksum;
    char oem_id[6];
    u8 revision;
    u32 rsdt_address;
    u32 length;             // revision >= 2 from here
    u64 xsdt_address;
    u8 extended_checksum;
    u8 reserved[3];
} PACKED;
_Static_assert(sizeof(struct rsdp) == 36, "rsdp");

bool
acpi_s3_enabled(void)
{
    const struct fwcfg_file *f = fw_cfg_find(SYSTEM_STATES_FILE);
    u8 states[6];
    if (!f || f->size < sizeof(states)
        || fw_cfg_read_file(f, 0, states, sizeof(states)))
        return false;
    return states[3] & SYSTEM_STATE_ENABLED;
}

// The tables live in blobs the loader placed: a pointer outside every
// blob is not followed (QEMU wrote it, but the loader checked only the
// blobs), nor is a length past the end of one. Their checksums are not
// summed again: the loader's ADD_CHECKSUM commands just set them, a
// command it refused was logged, and the OS checks every table itself.
static const struct acpi_header *
acpi_table(u64 addr)
{
    if (!addr || addr > 0xffffffffULL - ACPI_HEADER_SIZE)
        return NULL;
    const struct acpi_header *t = (void *)(uintptr_t)addr;
    if (!tableloader_holds(t, ACPI_HEADER_SIZE)) {
        dprintf(LOG_WARN, "acpi: table at 0x%08x not in a loader blob\n",
                (u32)addr);
        return NULL;
    }
    if (t->length < ACPI_HEADER_SIZE || !tableloader_holds(t, t->length)) {
        dprintf(LOG_WARN, "acpi: table at 0x%08x bad length %u\n",
                (u32)addr, t->length);
        return NULL;
    }
    return t;
}

static void
acpi_log_table(const struct acpi_header *t)
{
    dprintf(LOG_INFO, "acpi: %.4s at 0x%08x length %u\n", t->signature,
            (u32)(uintptr_t)t, t->length);
}

// The FACS must be ACPI NVS in e820 (the OS keeps it across sleep).
static u32 Facs, Rsdp;

u32
acpi_facs(void)
{
    return Facs;
}

u32
acpi_rsdp(void)
{
    return Rsdp;
}

static void
acpi_reserve_facs(const struct acpi_header *fadt)
{
    u64 facs = 0;
    if (fadt->length >= FADT_X_FIRMWARE_CTRL + 8)
        facs = *(const unaligned_u64 *)((const u8 *)fadt
                                        + FADT_X_FIRMWARE_CTRL);
    if (!facs && fadt->length >= FADT_FIRMWARE_CTRL + 4)
        facs = *(const unaligned_u32 *)((const u8 *)fadt
                                        + FADT_FIRMWARE_CTRL);
    if (!facs || facs > 0xffffffffULL)
        return;
    // Inside a blob, all of it: its length becomes an e820 entry.
    const unaligned_u32 *f = (void *)(uintptr_t)facs;
    if (!tableloader_holds(f, 64) || memcmp(f, "FACS", 4) || f[1] < 64
        || !tableloader_holds(f, f[1])) {
        dprintf(LOG_WARN, "acpi: facs at 0x%08x not valid\n", (u32)facs);
        return;
    }
    e820map_add(&MemMap, (u32)facs, f[1], E820_NVS);
    Facs = (u32)facs;
    dprintf(LOG_INFO, "acpi: FACS at 0x%08x length %u (nvs)\n", (u32)facs,
            f[1]);
}

// size: the RSDP blob's. An ACPI 1.0 RSDP is 20 bytes and ends before the
// XSDT address, whatever its revision byte says.
static void
acpi_walk(const struct rsdp *rsdp, u32 size)
{
    bool x = rsdp->revision >= 2 && size >= sizeof(*rsdp)
        && rsdp->xsdt_address;
    const struct acpi_header *sdt = acpi_table(x ? rsdp->xsdt_address
                                                 : rsdp->rsdt_address);
    if (!sdt)
        return;
    acpi_log_table(sdt);
    u32 entry = x ? 8 : 4;
    u32 count = MIN((sdt->length - ACPI_HEADER_SIZE) / entry,
                    (u32)ACPI_TABLES_MAX);
    const u8 *entries = (const u8 *)sdt + ACPI_HEADER_SIZE;
    for (u32 i = 0; i < count; i++) {
        u64 addr = x ? *(const unaligned_u64 *)(entries + 8 * i)
            : *(const unaligned_u32 *)(entries + 4 * i);
        const struct acpi_header *t = acpi_table(addr);
        if (!t)
            continue;
        acpi_log_table(t);
        if (!memcmp(t->signature, "FACP", 4))
            acpi_reserve_facs(t);
    }
}

void
acpi_setup(void)
{
    Rsdp = Facs = 0; // what this run finds, nothing else
    if (!CONFIG_ACPI)
        return;
    bool s3 = acpi_s3_enabled();
    int n = tableloader_run(s3);
    if (n < 0) {
        dprintf(LOG_INFO, "acpi: no table-loader from qemu\n");
        return;
    }
    dprintf(LOG_INFO, "acpi: loader ran %d commands, s3 %s, %d write"
            " pointers kept\n", n, s3 ? "enabled" : "disabled",
            tableloader_wp_count());
    const struct tableloader_file *f = tableloader_find(RSDP_FILE);
    if (!f || f->size < 20) {
        dprintf(LOG_WARN, "acpi: no rsdp blob\n");
        return;
    }
    const struct rsdp *rsdp = f->data;
    // Compared as a number: a "RSD PTR " string in the image could sit
    // where the OS scans for the real one. The checksum is summed again
    // (20 bytes): without a valid one no OS finds the tables by scanning,
    // and the PVH handoff should not pass it on.
    if (*(const unaligned_u64 *)rsdp->signature != RSDP_SIGNATURE
        || checksum(rsdp, 20)) {
        dprintf(LOG_WARN, "acpi: rsdp at 0x%08x not valid\n",
                (u32)(uintptr_t)rsdp);
        return;
    }
    dprintf(LOG_INFO, "acpi: RSDP at 0x%08x revision %u\n",
            (u32)(uintptr_t)rsdp, rsdp->revision);
    Rsdp = (u32)(uintptr_t)rsdp;
    acpi_walk(rsdp, f->size);
}
