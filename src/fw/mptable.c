// MP configuration table builder (32-bit flat; also host-compiled for
// tests).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// mptable_check() decides on the whole input before anything is written,
// so a refused input leaves the buffers as they were; as it validates it
// counts the distinct PCI sources, so the same pass yields the size the
// caller allocates before the one write. mptable_write() stores entries
// in place through the packed layouts of std/mptable.h, so the buffers
// need no alignment.
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


_Static_assert(sizeof(MPTABLE_OEM_ID) - 1 <= 8, "OEM id fits 8 bytes");
_Static_assert(sizeof(MPTABLE_PRODUCT_ID) - 1 <= 12,
               "product id fits 12 bytes");

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

// The configuration table's base part, header and entries, for `cpus`
// processors, `buses` buses (PCI and ISA) and `pci` distinct PCI sources.
static u32
config_size(u32 cpus, u32 buses, u32 pci)
{
    return sizeof(struct mp_config) + cpus * sizeof(struct mp_processor)
        + buses * sizeof(struct mp_bus) + sizeof(struct mp_ioapic)
        + (ISA_ENTRIES + pci + LINT_ENTRIES) * sizeof(struct mp_intsrc);
}

// True if an earlier PCI interrupt has the same source as pci[i] (another
// function of the device on the same pin): the wire is listed once.
static bool
pci_repeats(const struct mp_pci_irq *pci, int i, int *first)
{
    const struct mp_pci_irq *p = &pci[i];
    int j;

    for (j = 0; j < i; j++) {
        const struct mp_pci_irq *q = &pci[j];

        if (q->bus == p->bus && q->dev == p->dev && q->pin == p->pin) {
            if (first)
                *first = j;
            return true;
        }
    }
    return false;
}

u32
mptable_size(const struct mp_input *in)
{
    u32 buses = 1, pci = clamp_count(in->pci_count, COUNT_CLAMP);
    int i;

    // PCI buses 0..max_pci_bus, then the ISA bus.
    if (in->max_pci_bus >= 0)
        buses = clamp_count(in->max_pci_bus, MAX_PCI_BUS) + 2;
    // I/O interrupt entries for PCI: one per distinct source (a refused
    // count or list is taken as it is).
    if (in->pci && in->pci_count <= MPTABLE_MAX_PCI_IRQS)
        for (i = 0; i < in->pci_count; i++)
            if (pci_repeats(in->pci, i, NULL))
                pci--;
    return MPTABLE_FLOAT_SIZE
        + config_size(clamp_count(in->cpu_count, COUNT_CLAMP), buses, pci);
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
        bsps += cpu->bsp;
        old_apic |= cpu->apic_version < APIC_VERSION_XAPIC;
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

// Checks the PCI part; on success returns the number of distinct PCI
// sources (the I/O interrupt entries they take), else -1.
static int
check_pci(const struct mp_input *in)
{
    int i, j, distinct = 0;

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

        if (p->bus > in->max_pci_bus || p->dev >= PCI_DEVS || p->pin < 1
            || p->pin > PCI_PINS || p->irq == 0 || p->irq == ISA_IRQ_CASCADE
            || p->irq >= ISA_IRQS) {
            dprintf(LOG_WARN, "mptable: pci interrupt %d (bus %u dev %u"
                    " pin %u irq %u) out of range\n", i, p->bus, p->dev,
                    p->pin, p->irq);
            return -1;
        }
        if (!pci_repeats(in->pci, i, &j)) {
            distinct++;
        } else if (in->pci[j].irq != p->irq) {
            dprintf(LOG_WARN, "mptable: pci interrupt %d (bus %u dev %u"
                    " pin %u) on irq %u, and on irq %u as %d\n", i, p->bus,
                    p->dev, p->pin, p->irq, in->pci[j].irq, j);
            return -1;
        }
    }
    return distinct;
}

u32
mptable_check(const struct mp_input *in)
{
    int pci;

    if (check_cpus(in))
        return 0;
    pci = check_pci(in);
    if (pci < 0)
        return 0;
    return config_size(in->cpu_count, in->max_pci_bus + 2, pci);
}

/****************************************************************
 * Writing
 ****************************************************************/

static struct mp_intsrc *
put_intsrc(struct mp_intsrc *e, u8 type, u8 irq_type, u16 flags, u8 bus,
           u8 irq, u8 dest_apic, u8 dest_pin)
{
    e->type = type;
    e->irq_type = irq_type;
    e->flags = flags;
    e->source_bus = bus;
    e->source_irq = irq;
    e->dest_apic = dest_apic;
    e->dest_pin = dest_pin;
    return e + 1;
}

static void
write_floating(struct mp_floating *f, u32 cfg_addr)
{
    memcpy(f->signature, MP_FLOAT_SIGNATURE, sizeof(f->signature));
    f->physaddr = cfg_addr;
    f->length = sizeof(*f) / 16;
    f->spec_rev = MP_SPEC_REV_1_4;
    f->checksum = 0;
    f->feature1 = 0;
    f->feature2 = 0;
    memset(f->feature3, 0, sizeof(f->feature3));
    f->checksum = -checksum(f, sizeof(*f));
}

void
mptable_write(void *fp, u32 fp_addr, void *cfg, u32 cfg_addr,
              const struct mp_input *in)
{
    struct mp_config *hdr = cfg;
    struct mp_processor *cpu = (struct mp_processor *)(hdr + 1);
    struct mp_bus *bus;
    struct mp_ioapic *ioapic;
    struct mp_intsrc *e;
    u8 isa_bus = in->max_pci_bus + 1;
    u32 len;
    int i, pci = 0;

    for (i = 0; i < in->cpu_count; i++, cpu++) {
        cpu->type = MP_ENTRY_PROCESSOR;
        cpu->apic_id = in->cpus[i].apic_id;
        cpu->apic_version = in->cpus[i].apic_version;
        cpu->cpu_flags = MP_CPU_EN | (in->cpus[i].bsp ? MP_CPU_BP : 0);
        cpu->signature = in->cpu_signature & MP_CPU_SIGNATURE_MASK;
        cpu->features = in->cpu_features;
        memset(cpu->reserved, 0, sizeof(cpu->reserved));
    }
    bus = (struct mp_bus *)cpu;
    for (i = 0; i <= isa_bus; i++, bus++) {
        bus->type = MP_ENTRY_BUS;
        bus->bus_id = i;
        if (i < isa_bus)
            memcpy(bus->bus_type, MP_BUS_PCI, sizeof(bus->bus_type));
        else
            memcpy(bus->bus_type, MP_BUS_ISA, sizeof(bus->bus_type));
    }
    ioapic = (struct mp_ioapic *)bus;
    ioapic->type = MP_ENTRY_IOAPIC;
    ioapic->apic_id = in->ioapic_id;
    ioapic->apic_version = in->ioapic_version;
    ioapic->flags = MP_IOAPIC_EN;
    ioapic->addr = in->ioapic_addr;
    e = (struct mp_intsrc *)(ioapic + 1);
    for (i = 0; i < ISA_IRQS; i++) {
        u16 flags = MP_IRQ_POLARITY_HIGH | MP_IRQ_TRIGGER_EDGE;
        u8 pin = i;

        if (i == ISA_IRQ_CASCADE)
            continue;
        if (i == 0 && in->irq0_override)
            pin = 2;
        if (in->pci_level_irqs & (1u << i))
            flags = MP_IRQ_POLARITY_LOW | MP_IRQ_TRIGGER_LEVEL;
        e = put_intsrc(e, MP_ENTRY_IOINT, MP_INT_INT, flags, isa_bus, i,
                       in->ioapic_id, pin);
    }
    for (i = 0; i < in->pci_count; i++) {
        const struct mp_pci_irq *p = &in->pci[i];

        if (pci_repeats(in->pci, i, NULL))
            continue;
        e = put_intsrc(e, MP_ENTRY_IOINT, MP_INT_INT,
                       MP_IRQ_POLARITY_LOW | MP_IRQ_TRIGGER_LEVEL, p->bus,
                       p->dev << 2 | (p->pin - 1), in->ioapic_id, p->irq);
        pci++;
    }
    e = put_intsrc(e, MP_ENTRY_LINT, MP_INT_EXTINT, 0, isa_bus, 0,
                   APIC_ID_ALL, 0);
    e = put_intsrc(e, MP_ENTRY_LINT, MP_INT_NMI, 0, isa_bus, 0,
                   APIC_ID_ALL, 1);

    len = (u8 *)e - (u8 *)hdr;
    memcpy(hdr->signature, MP_CONFIG_SIGNATURE, sizeof(hdr->signature));
    hdr->base_length = len;
    hdr->spec_rev = MP_SPEC_REV_1_4;
    hdr->checksum = 0;
    memset(hdr->oem_id, ' ', sizeof(hdr->oem_id));
    memcpy(hdr->oem_id, MPTABLE_OEM_ID, sizeof(MPTABLE_OEM_ID) - 1);
    memset(hdr->product_id, ' ', sizeof(hdr->product_id));
    memcpy(hdr->product_id, MPTABLE_PRODUCT_ID,
         sizeof(MPTABLE_PRODUCT_ID) - 1);
    hdr->oem_table = 0;
    hdr->oem_table_size = 0;
    hdr->entry_count = in->cpu_count + isa_bus + 1 + 1 + ISA_ENTRIES + pci
        + LINT_ENTRIES;
    hdr->lapic_addr = MPTABLE_LAPIC_ADDR;
    hdr->ext_length = 0;
    hdr->ext_checksum = 0;
    hdr->reserved = 0;
    hdr->checksum = -checksum(hdr, len);
    write_floating(fp, cfg_addr);
    dprintf(LOG_DEBUG, "mptable: %d cpus, %u buses, %d pci interrupts, %u"
            " bytes at 0x%08x, floating pointer at 0x%08x\n", in->cpu_count,
            isa_bus + 1, pci, len, cfg_addr, fp_addr);
}

int
mptable_build(void *buf, u32 len, u32 buf_addr, const struct mp_input *in)
{
    u32 size = mptable_check(in);

    if (!size)
        return 0;
    size += MPTABLE_FLOAT_SIZE;
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
    if (buf_addr % 16) {
        dprintf(LOG_WARN, "mptable: floating pointer at 0x%08x, not 16-byte"
                " aligned\n", buf_addr);
        return 0;
    }
    mptable_write(buf, buf_addr, (u8 *)buf + MPTABLE_FLOAT_SIZE,
                  buf_addr + MPTABLE_FLOAT_SIZE, in);
    return size;
}
