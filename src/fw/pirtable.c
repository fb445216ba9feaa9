// PCI IRQ routing table ($PIR) builder (32-bit flat; also host-compiled
// for tests).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// pirtable_check() decides on the whole input before anything is
// written, so a refused input leaves the buffer as it was.
// pirtable_write() stores entries and header in place through the
// packed layouts of std/pirtable.h.
#include "checksum.h" // checksum
#include "fw/pirtable.h" // pirtable_build
#include "output.h" // dprintf
#include "std/pirtable.h" // struct pir_header
#include "string.h" // memcpy, memset

#define PCI_DEVS 32
#define PCI_PINS 4


u32
pirtable_size(const struct pir_input *in)
{
    u32 n = 0;

    if (in->slot_count > 0)
        n = MIN((u32)in->slot_count, PIRTABLE_MAX_SLOTS + 1u);
    return sizeof(struct pir_header) + n * sizeof(struct pir_entry);
}

u32
pirtable_check(const struct pir_input *in)
{
    int i;

    if (in->slot_count < 0 || in->slot_count > PIRTABLE_MAX_SLOTS) {
        dprintf(LOG_WARN, "pirtable: %d slots, can describe 0 to %d\n",
                in->slot_count, PIRTABLE_MAX_SLOTS);
        return 0;
    }
    if (in->slot_count && !in->slots) {
        dprintf(LOG_WARN, "pirtable: %d slots without a list\n",
                in->slot_count);
        return 0;
    }
    for (i = 0; i < in->slot_count; i++) {
        if (in->slots[i].dev >= PCI_DEVS) {
            dprintf(LOG_WARN, "pirtable: slot %d (bus %u dev %u) out of"
                    " range\n", i, in->slots[i].bus, in->slots[i].dev);
            return 0;
        }
    }
    return pirtable_size(in);
}

void
pirtable_write(void *buf, const struct pir_input *in)
{
    struct pir_header *hdr = buf;
    struct pir_entry *e = (struct pir_entry *)(hdr + 1);
    const struct pir_slot *slot = in->slots;
    u16 bitmap = in->irq_bitmap;
    u32 size;
    int s, pin;

    for (s = 0; s < in->slot_count; s++, slot++, e++) {
        e->bus = slot->bus;
        e->devfn = slot->dev << 3;
        for (pin = 0; pin < PCI_PINS; pin++) {
            u8 link = slot->link[pin];

            e->pins[pin].link = link;
            e->pins[pin].irq_bitmap = link ? bitmap : 0;
        }
        e->slot = slot->slot_number;
        e->reserved = 0;
    }
    size = (u8 *)e - (u8 *)buf;

    memcpy(hdr->signature, PIR_SIGNATURE, sizeof(hdr->signature));
    hdr->version = PIR_VERSION_1_0;
    hdr->table_size = size;
    hdr->router_bus = in->router_bus;
    hdr->router_devfn = in->router_devfn;
    hdr->exclusive_irqs = in->exclusive_irqs;
    hdr->compatible_router = in->router_vendor
        | (u32)in->router_device << 16;
    hdr->miniport_data = 0;
    memset(hdr->reserved, 0, sizeof(hdr->reserved));
    hdr->checksum = 0;
    hdr->checksum = -checksum(hdr, size);
    dprintf(LOG_DEBUG, "pirtable: router %02x:%02x.%x %04x:%04x, %d slots,"
            " %u bytes\n", in->router_bus, in->router_devfn >> 3,
            in->router_devfn & 7, in->router_vendor, in->router_device,
            in->slot_count, size);
}

int
pirtable_build(void *buf, u32 len, const struct pir_input *in)
{
    u32 size = pirtable_check(in);

    if (!size)
        return 0;
    if (len < size) {
        dprintf(LOG_WARN, "pirtable: room for %u bytes, table needs %u\n",
                len, size);
        return 0;
    }
    pirtable_write(buf, in);
    return size;
}
