// MP configuration table builder (32-bit flat; also host-compiled for
// tests).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Everything is checked before the first byte is written, so a refused
// input leaves the buffers as they were. Entries are assembled in local
// structs and copied out, so the buffers need no alignment.
#include "checksum.h" // checksum
#include "fw/mptable.h" // mptable_build
#include "output.h" // dprintf
#include "std/mptable.h" // struct mp_config
#include "string.h" // memcpy, memset

#define ISA_IRQS 16
#define ISA_IRQ_CASCADE 2
#define ISA_ENTRIES (ISA_IRQS - 1) // every ISA IRQ but the cascade
#define LINT_ENTRIES 2 // ExtINT on LINT0, NMI on LINT1
#define PCI_DEVS 32
#define PCI_PINS 4
#define APIC_ID_ALL 0xff
#define APIC_VERSION_XAPIC 0x14 // first local APIC on the system bus
#define MAX_PCI_BUS 254 // the ISA bus takes the next id
#define COUNT_CLAMP 0x10000 // keeps mptable_size() from overflowing

// base_length and entry_count are u16: the largest table must fit.
_Static_assert(sizeof(struct mp_config)
               + MPTABLE_MAX_CPUS * sizeof(struct mp_processor)
               + (MAX_PCI_BUS + 2) * sizeof(struct mp_bus)
               + sizeof(struct mp_ioapic)
               + (ISA_ENTRIES + MPTABLE_MAX_PCI_IRQS + LINT_ENTRIES)
                 * sizeof(struct mp_intsrc) <= 0xffff,
               "the largest base table fits its 16-bit length");

// n limited to 0..max, so size arithmetic on any input stays in range.
static u32
clamp_count(int n, u32 max)
{
    if (n < 0)
        return 0;
    if ((u32)n > max)
        return max;
    return n;
}

static u32
bus_count(const struct mp_input *in)
{
    // PCI buses 0..max_pci_bus, then the ISA bus.
    if (in->max_pci_bus < 0)
        return 1;
    return clamp_count(in->max_pci_bus, MAX_PCI_BUS) + 2;
}

// True if an earlier PCI interrupt has the same source as pci[i] (another
// function of the device on the same pin): the wire is listed once.
static bool
pci_repeats(const struct mp_input *in, int i, int *first)
{
    const struct mp_pci_irq *p = &in->pci[i];
    int j;

    for (j = 0; j < i; j++) {
        const struct mp_pci_irq *q = &in->pci[j];

        if (q->bus == p->bus && q->dev == p->dev && q->pin == p->pin) {
            if (first)
                *first = j;
            return true;
        }
    }
    return false;
}

// I/O interrupt entries for PCI: one per distinct source.
static u32
pci_entries(const struct mp_input *in)
{
    u32 n = 0;
    int i;

    if (!in->pci || in->pci_count > MPTABLE_MAX_PCI_IRQS)
        return clamp_count(in->pci_count, COUNT_CLAMP); // refused anyway
    for (i = 0; i < in->pci_count; i++)
        if (!pci_repeats(in, i, NULL))
            n++;
    return n;
}

static u32
entry_count(const struct mp_input *in)
{
    return clamp_count(in->cpu_count, COUNT_CLAMP) + bus_count(in) + 1
        + ISA_ENTRIES + pci_entries(in) + LINT_ENTRIES;
}

// The configuration table's base part: header and entries.
static u32
config_size(const struct mp_input *in)
{
    return sizeof(struct mp_config)
        + clamp_count(in->cpu_count, COUNT_CLAMP)
          * sizeof(struct mp_processor)
        + bus_count(in) * sizeof(struct mp_bus)
        + sizeof(struct mp_ioapic)
        + (ISA_ENTRIES + pci_entries(in) + LINT_ENTRIES)
          * sizeof(struct mp_intsrc);
}

u32
mptable_size(const struct mp_input *in)
{
    return MPTABLE_FLOAT_SIZE + config_size(in);
}

/****************************************************************
 * Input checks
 ****************************************************************/

static int
check_cpus(const struct mp_input *in)
{
    u32 seen[256 / 32] = { 0 }; // APIC IDs 0..254 taken by a CPU
    int i, bsps = 0;
    bool old_apic = false;

    if (in->cpu_count < 1 || in->cpu_count > MPTABLE_MAX_CPUS) {
        dprintf(LOG_WARN, "mptable: %d cpus, can describe 1 to %d\n",
                in->cpu_count, MPTABLE_MAX_CPUS);
        return -1;
    }
    if (!in->cpus) {
        dprintf(LOG_WARN, "mptable: %d cpus without a list\n",
                in->cpu_count);
        return -1;
    }
    for (i = 0; i < in->cpu_count; i++) {
        const struct mp_cpu *cpu = &in->cpus[i];
        u32 id = cpu->apic_id;

        if (id >= APIC_ID_ALL) {
            dprintf(LOG_WARN, "mptable: cpu %d has apic id %u, above 254"
                    " (0xff: every local apic)\n", i, id);
            return -1;
        }
        if (seen[id / 32] & (1u << (id % 32))) {
            dprintf(LOG_WARN, "mptable: cpu %d repeats apic id %u\n", i, id);
            return -1;
        }
        seen[id / 32] |= 1u << (id % 32);
        if (cpu->bsp)
            bsps++;
        if (cpu->apic_version < APIC_VERSION_XAPIC)
            old_apic = true;
    }
    if (bsps != 1) {
        dprintf(LOG_WARN, "mptable: %d bsps among %d cpus, need 1\n", bsps,
                in->cpu_count);
        return -1;
    }
    if (in->ioapic_id == APIC_ID_ALL) {
        dprintf(LOG_WARN, "mptable: i/o apic id %u is the broadcast id\n",
                in->ioapic_id);
        return -1;
    }
    if (old_apic && (seen[in->ioapic_id / 32]
                     & (1u << (in->ioapic_id % 32)))) {
        dprintf(LOG_WARN, "mptable: i/o apic id %u is also a cpu's, and"
                " apic bus cpus (version below 0x%x) need unique ids\n",
                in->ioapic_id, APIC_VERSION_XAPIC);
        return -1;
    }
    return 0;
}

static int
check_pci(const struct mp_input *in)
{
    int i;

    if (in->max_pci_bus < -1 || in->max_pci_bus > MAX_PCI_BUS) {
        dprintf(LOG_WARN, "mptable: last pci bus %d, not -1 to %d\n",
                in->max_pci_bus, MAX_PCI_BUS);
        return -1;
    }
    if (in->pci_count < 0 || in->pci_count > MPTABLE_MAX_PCI_IRQS) {
        dprintf(LOG_WARN, "mptable: %d pci interrupts, can describe 0 to"
                " %d\n", in->pci_count, MPTABLE_MAX_PCI_IRQS);
        return -1;
    }
    if (in->pci_count && !in->pci) {
        dprintf(LOG_WARN, "mptable: %d pci interrupts without a list\n",
                in->pci_count);
        return -1;
    }
    for (i = 0; i < in->pci_count; i++) {
        const struct mp_pci_irq *p = &in->pci[i];
        int j;

        if (p->bus > in->max_pci_bus || p->dev >= PCI_DEVS || p->pin < 1
            || p->pin > PCI_PINS || p->irq == 0 || p->irq == ISA_IRQ_CASCADE
            || p->irq >= ISA_IRQS) {
            dprintf(LOG_WARN, "mptable: pci interrupt %d (bus %u dev %u"
                    " pin %u irq %u) out of range\n", i, p->bus, p->dev,
                    p->pin, p->irq);
            return -1;
        }
        if (pci_repeats(in, i, &j) && in->pci[j].irq != p->irq) {
            dprintf(LOG_WARN, "mptable: pci interrupt %d (bus %u dev %u"
                    " pin %u) on irq %u, and on irq %u as %d\n", i, p->bus,
                    p->dev, p->pin, p->irq, in->pci[j].irq, j);
            return -1;
        }
    }
    return 0;
}

static int
check_input(const struct mp_input *in)
{
    if (check_cpus(in) || check_pci(in))
        return -1;
    return 0;
}

/****************************************************************
 * Writing
 ****************************************************************/

static u8 *
put(u8 *p, const void *entry, u32 size)
{
    memcpy(p, entry, size);
    return p + size;
}

static u8 *
put_intsrc(u8 *p, u8 type, u8 irq_type, u16 flags, u8 bus, u8 irq,
           u8 dest_apic, u8 dest_pin)
{
    struct mp_intsrc e = {
        .type = type, .irq_type = irq_type, .flags = flags,
        .source_bus = bus, .source_irq = irq, .dest_apic = dest_apic,
        .dest_pin = dest_pin,
    };

    return put(p, &e, sizeof(e));
}

// Writes the configuration table (check_input() passed, cfg has room).
static u32
write_config(u8 *cfg, const struct mp_input *in)
{
    struct mp_config hdr;
    u8 *p = cfg + sizeof(hdr);
    u8 isa_bus = in->max_pci_bus + 1;
    int i;

    for (i = 0; i < in->cpu_count; i++) {
        const struct mp_cpu *cpu = &in->cpus[i];
        struct mp_processor e = {
            .type = MP_ENTRY_PROCESSOR, .apic_id = cpu->apic_id,
            .apic_version = cpu->apic_version,
            .cpu_flags = MP_CPU_EN | (cpu->bsp ? MP_CPU_BP : 0),
            .signature = in->cpu_signature & MP_CPU_SIGNATURE_MASK,
            .features = in->cpu_features,
        };

        p = put(p, &e, sizeof(e));
    }
    for (i = 0; i <= isa_bus; i++) {
        struct mp_bus e = { .type = MP_ENTRY_BUS, .bus_id = i };

        memcpy(e.bus_type, i < isa_bus ? MP_BUS_PCI : MP_BUS_ISA,
               sizeof(e.bus_type));
        p = put(p, &e, sizeof(e));
    }
    {
        struct mp_ioapic e = {
            .type = MP_ENTRY_IOAPIC, .apic_id = in->ioapic_id,
            .apic_version = in->ioapic_version, .flags = MP_IOAPIC_EN,
            .addr = in->ioapic_addr,
        };

        p = put(p, &e, sizeof(e));
    }
    for (i = 0; i < ISA_IRQS; i++) {
        u16 flags = MP_IRQ_POLARITY_HIGH | MP_IRQ_TRIGGER_EDGE;
        u8 pin = i;

        if (i == ISA_IRQ_CASCADE)
            continue;
        if (i == 0 && in->irq0_override)
            pin = 2;
        if (in->pci_level_irqs & (1u << i))
            flags = MP_IRQ_POLARITY_LOW | MP_IRQ_TRIGGER_LEVEL;
        p = put_intsrc(p, MP_ENTRY_IOINT, MP_INT_INT, flags, isa_bus, i,
                       in->ioapic_id, pin);
    }
    for (i = 0; i < in->pci_count; i++) {
        const struct mp_pci_irq *pci = &in->pci[i];

        if (pci_repeats(in, i, NULL))
            continue;
        p = put_intsrc(p, MP_ENTRY_IOINT, MP_INT_INT,
                       MP_IRQ_POLARITY_LOW | MP_IRQ_TRIGGER_LEVEL, pci->bus,
                       pci->dev << 2 | (pci->pin - 1), in->ioapic_id,
                       pci->irq);
    }
    p = put_intsrc(p, MP_ENTRY_LINT, MP_INT_EXTINT, 0, isa_bus, 0,
                   APIC_ID_ALL, 0);
    p = put_intsrc(p, MP_ENTRY_LINT, MP_INT_NMI, 0, isa_bus, 0,
                   APIC_ID_ALL, 1);

    memset(&hdr, 0, sizeof(hdr));
    memcpy(hdr.signature, MP_CONFIG_SIGNATURE, sizeof(hdr.signature));
    hdr.base_length = p - cfg;
    hdr.spec_rev = MP_SPEC_REV_1_4;
    memset(hdr.oem_id, ' ', sizeof(hdr.oem_id));
    memcpy(hdr.oem_id, MPTABLE_OEM_ID, sizeof(MPTABLE_OEM_ID) - 1);
    memset(hdr.product_id, ' ', sizeof(hdr.product_id));
    memcpy(hdr.product_id, MPTABLE_PRODUCT_ID,
           sizeof(MPTABLE_PRODUCT_ID) - 1);
    hdr.entry_count = entry_count(in);
    hdr.lapic_addr = MPTABLE_LAPIC_ADDR;
    put(cfg, &hdr, sizeof(hdr));
    cfg[offsetof(struct mp_config, checksum)] = -checksum(cfg, p - cfg);
    return p - cfg;
}

static void
write_floating(u8 *fp, u32 cfg_addr)
{
    struct mp_floating f;

    memset(&f, 0, sizeof(f));
    memcpy(f.signature, MP_FLOAT_SIGNATURE, sizeof(f.signature));
    f.physaddr = cfg_addr;
    f.length = sizeof(f) / 16;
    f.spec_rev = MP_SPEC_REV_1_4;
    f.checksum = -checksum(&f, sizeof(f));
    put(fp, &f, sizeof(f));
}

// Checks the placement, then writes both parts (check_input() passed).
static int
write_tables(u8 *fp, u32 fp_addr, u8 *cfg, u32 cfg_len, u32 cfg_addr,
             const struct mp_input *in)
{
    u32 size = config_size(in);

    if (fp_addr % 16) {
        dprintf(LOG_WARN, "mptable: floating pointer at 0x%08x, not 16-byte"
                " aligned\n", fp_addr);
        return 0;
    }
    if (cfg_len < size) {
        dprintf(LOG_WARN, "mptable: room for %u bytes, table needs %u\n",
                cfg_len, size);
        return 0;
    }
    if (cfg_addr > 0xffffffff - size + 1) {
        dprintf(LOG_WARN, "mptable: table of %u bytes at 0x%08x crosses"
                " 4 GiB\n", size, cfg_addr);
        return 0;
    }
    size = write_config(cfg, in);
    write_floating(fp, cfg_addr);
    dprintf(LOG_DEBUG, "mptable: %d cpus, %u buses, %u pci interrupts, %u"
            " bytes at 0x%08x, floating pointer at 0x%08x\n", in->cpu_count,
            bus_count(in), pci_entries(in), size, cfg_addr, fp_addr);
    return size;
}

int
mptable_build_split(void *fp, u32 fp_addr, void *cfg, u32 cfg_len,
                    u32 cfg_addr, const struct mp_input *in)
{
    if (check_input(in))
        return 0;
    return write_tables(fp, fp_addr, cfg, cfg_len, cfg_addr, in);
}

int
mptable_build(void *buf, u32 len, u32 buf_addr, const struct mp_input *in)
{
    u32 size;

    if (check_input(in))
        return 0;
    size = mptable_size(in);
    if (len < size) {
        dprintf(LOG_WARN, "mptable: room for %u bytes, table needs %u\n",
                len, size);
        return 0;
    }
    if (buf_addr > 0xffffffff - size + 1) {
        dprintf(LOG_WARN, "mptable: table of %u bytes at 0x%08x crosses"
                " 4 GiB\n", size, buf_addr);
        return 0;
    }
    if (!write_tables(buf, buf_addr, (u8 *)buf + MPTABLE_FLOAT_SIZE,
                      len - MPTABLE_FLOAT_SIZE, buf_addr + MPTABLE_FLOAT_SIZE,
                      in))
        return 0;
    return size;
}
