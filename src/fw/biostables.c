// MP configuration table and $PIR from what POST found: the CPUs'
// APIC IDs, the I/O APIC, the chipset's PIRQ routing (32-bit flat).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// The builders (mptable.c, pirtable.c) are pure and refuse what they
// cannot describe, with a log line; here we gather the facts and place
// the results. Each table is checked first, then its final home is
// allocated and it is written there once: a refused table costs no
// memory, and nothing half-written is ever where an OS looks.
#include "autoconf.h" // CONFIG_MPTABLE, CONFIG_PIRTABLE
#include "fw/biostables.h" // biostables_setup
#include "fw/chipset.h" // chipset_pci_irq
#include "fw/fw_cfg.h" // fw_cfg_read_u32
#include "fw/mptable.h" // mptable_check, mptable_write
#include "fw/pciinit.h" // pci_all_devices, pci_devices
#include "fw/pirtable.h" // pirtable_check, pirtable_write
#include "hw/lapic.h" // ioapic_read
#include "hw/pci.h" // pci_config_readl
#include "malloc.h" // zone_alloc
#include "output.h" // dprintf
#include "smp.h" // smp_apic_ids
#include "x86.h" // cpuid

#define FW_CFG_IRQ0_OVERRIDE 0x8002
#define MP_FSEG_MAX 1024 // larger configuration tables go to ZONE_HIGH
#define PIR_LINK_IRQS ((1 << 5) | (1 << 10) | (1 << 11)) // QEMU's _PRS
#define PIR_MAX_SLOTS 32 // one per device on bus 0

static void
mptable_setup(void)
{
    if (!CONFIG_MPTABLE)
        return;
    int count = smp_cpu_count();
    const u32 *ids = smp_apic_ids();
    int npci, max_bus = 0;
    const struct pci_device *devs = pci_all_devices(&npci);
    // Both lists in one scratch block: the CPUs' 8-byte entries first, so
    // the 4-byte PCI ones after them stay aligned.
    struct mp_cpu *cpus = zone_alloc(ZONE_TMP, count * sizeof(*cpus)
                                     + npci * sizeof(struct mp_pci_irq) + 1,
                                     4);
    if (!cpus)
        return;
    struct mp_pci_irq *pci = (struct mp_pci_irq *)(cpus + count);
    u8 apic_version = lapic_read(LAPIC_VERSION);
    for (int i = 0; i < count; i++)
        cpus[i] = (struct mp_cpu){ ids[i], apic_version, i == 0 };
    int n = 0;
    // Every bus gets a bus entry and every function with an interrupt pin
    // an entry of its own, behind bridges too (with the IRQ its pin is
    // swizzled to on the root bus), so an OS need not know the swizzle.
    for (int i = 0; i < npci; i++) {
        max_bus = MAX(max_bus, devs[i].bdf >> 8);
        if (devs[i].irq)
            pci[n++] = (struct mp_pci_irq){ devs[i].bdf >> 8,
                                            (devs[i].bdf >> 3) & 0x1f,
                                            devs[i].pin, devs[i].irq };
    }
    u32 eax, ebx, ecx, edx;
    cpuid(1, &eax, &ebx, &ecx, &edx);
    struct mp_input in = {
        .cpus = cpus, .cpu_count = count,
        .cpu_signature = eax, .cpu_features = edx,
        .ioapic_id = (ioapic_read(IOAPIC_REG_ID) >> 24) & 0x0f,
        .ioapic_version = ioapic_read(IOAPIC_REG_VERSION),
        .ioapic_addr = IOAPIC_BASE,
        .irq0_override = fw_cfg_read_u32(FW_CFG_IRQ0_OVERRIDE) != 0,
        .pci_level_irqs = chipset_pci_irq_mask(),
        .pci = pci, .pci_count = n, .max_pci_bus = max_bus,
    };
    u32 cfg_len = mptable_check(&in);
    if (!cfg_len)
        return;
    // A small table goes right after the floating pointer, in the same
    // block (16 + 16-aligned: where a separate allocation would put it).
    bool in_fseg = cfg_len <= MP_FSEG_MAX;
    u8 *cfg = in_fseg ? NULL : zone_alloc(ZONE_HIGH, cfg_len, 16);
    u8 *fp = zone_alloc(ZONE_FSEG,
                        MPTABLE_FLOAT_SIZE + (in_fseg ? cfg_len : 0), 16);
    if (in_fseg && fp)
        cfg = fp + MPTABLE_FLOAT_SIZE;
    if (!fp || !cfg)
        return;
    mptable_write(fp, (u32)fp, cfg, (u32)cfg, &in);
    dprintf(LOG_INFO, "mptable: pointer at 0x%08x, table at 0x%08x size"
            " %u, %d cpus, %d pci interrupts\n", (u32)fp, (u32)cfg, cfg_len,
            count, n);
}

static void
pirtable_setup(void)
{
    if (!CONFIG_PIRTABLE)
        return;
    int npci;
    const struct pci_device *devs = pci_devices(&npci);
    struct pir_slot slots[PIR_MAX_SLOTS];
    int n = 0;
    for (int i = 0; i < npci && n < PIR_MAX_SLOTS; i++) {
        u16 bdf = devs[i].bdf;
        if (bdf & 7) // one slot entry per device, from function 0
            continue;
        struct pir_slot *s = &slots[n++];
        *s = (struct pir_slot){ bdf >> 8, (bdf >> 3) & 0x1f, 0 };
        for (u8 pin = 1; pin <= 4; pin++)
            chipset_pci_irq(bdf, pin, &s->link[pin - 1]);
    }
    u16 router = chipset_router_bdf();
    u32 id = pci_config_readl(router, PCI_VENDOR_ID);
    struct pir_input in = {
        .router_bus = router >> 8, .router_devfn = router & 0xff,
        .router_vendor = id, .router_device = id >> 16,
        .irq_bitmap = PIR_LINK_IRQS, .exclusive_irqs = 0,
        .slots = slots, .slot_count = n,
    };
    u32 len = pirtable_check(&in);
    if (!len)
        return;
    void *pir = zone_alloc(ZONE_FSEG, len, 16);
    if (!pir)
        return;
    pirtable_write(pir, &in);
    dprintf(LOG_INFO, "pirtable: $PIR at 0x%08x size %u, %d slots\n",
            (u32)pir, len, n);
}

void
biostables_setup(void)
{
    mptable_setup();
    pirtable_setup();
}
