// PCI IRQ routing table ($PIR) builder (32-bit flat; also host-compiled
// for tests).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Everything is checked before the first byte is written, so a refused
// input leaves the buffer as it was.
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

static int
check_input(const struct pir_input *in)
{
    int i;

    if (in->slot_count < 0 || in->slot_count > PIRTABLE_MAX_SLOTS) {
        dprintf(LOG_WARN, "pirtable: %d slots, can describe 0 to %d\n",
                in->slot_count, PIRTABLE_MAX_SLOTS);
        return -1;
    }
    if (in->slot_count && !in->slots) {
        dprintf(LOG_WARN, "pirtable: %d slots without a list\n",
                in->slot_count);
        return -1;
    }
    for (i = 0; i < in->slot_count; i++) {
        if (in->slots[i].dev >= PCI_DEVS) {
            dprintf(LOG_WARN, "pirtable: slot %d (bus %u dev %u) out of"
                    " range\n", i, in->slots[i].bus, in->slots[i].dev);
            return -1;
        }
    }
    return 0;
}

int
pirtable_build(void *buf, u32 len, const struct pir_input *in)
{
    struct pir_header hdr;
    u8 *p = buf;
    u32 size;
    int s;

    if (check_input(in))
        return 0;
    size = pirtable_size(in);
    if (len < size) {
        dprintf(LOG_WARN, "pirtable: room for %u bytes, table needs %u\n",
                len, size);
        return 0;
    }

    for (s = 0; s < in->slot_count; s++) {
        const struct pir_slot *slot = &in->slots[s];
        struct pir_entry e;
        int pin;

        memset(&e, 0, sizeof(e));
        e.bus = slot->bus;
        e.devfn = slot->dev << 3;
        for (pin = 0; pin < PCI_PINS; pin++) {
            e.pins[pin].link = slot->link[pin];
            if (slot->link[pin])
                e.pins[pin].irq_bitmap = in->irq_bitmap;
        }
        e.slot = slot->slot_number;
        memcpy(p + sizeof(hdr) + s * sizeof(e), &e, sizeof(e));
    }

    memset(&hdr, 0, sizeof(hdr));
    memcpy(hdr.signature, PIR_SIGNATURE, sizeof(hdr.signature));
    hdr.version = PIR_VERSION_1_0;
    hdr.table_size = size;
    hdr.router_bus = in->router_bus;
    hdr.router_devfn = in->router_devfn;
    hdr.exclusive_irqs = in->exclusive_irqs;
    hdr.compatible_router = in->router_vendor
        | (u32)in->router_device << 16;
    memcpy(p, &hdr, sizeof(hdr));
    p[offsetof(struct pir_header, checksum)] = -checksum(p, size);
    dprintf(LOG_DEBUG, "pirtable: router %02x:%02x.%x %04x:%04x, %d slots,"
            " %u bytes\n", in->router_bus, in->router_devfn >> 3,
            in->router_devfn & 7, in->router_vendor, in->router_device,
            in->slot_count, size);
    return size;
}
