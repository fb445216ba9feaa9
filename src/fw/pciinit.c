// PCI setup: find the functions on bus 0 and give each interrupt pin the
// ISA IRQ its PIRQ link is routed to (32-bit flat).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Resource assignment and buses behind bridges come later; the MP table
// and $PIR need the interrupt routing now.
#include "fw/chipset.h" // chipset_pci_irq
#include "fw/pciinit.h" // pci_setup
#include "hw/pci.h" // pci_config_readl
#include "output.h" // dprintf

#define PCI_MAX_DEVICES 256

static struct pci_device Devices[PCI_MAX_DEVICES];
static int DeviceCount;

static void
pci_add(u16 bdf, u32 id)
{
    if (DeviceCount == PCI_MAX_DEVICES) {
        dprintf(LOG_WARN, "pci: more than %d functions, %02x:%02x.%x"
                " ignored\n", PCI_MAX_DEVICES, bdf >> 8, (bdf >> 3) & 0x1f,
                bdf & 7);
        return;
    }
    struct pci_device *d = &Devices[DeviceCount++];
    d->bdf = bdf;
    d->id = id;
    d->class_rev = pci_config_readl(bdf, PCI_CLASS_REVISION);
    d->pin = pci_config_readb(bdf, PCI_INTERRUPT_PIN);
    d->irq = chipset_pci_irq(bdf, d->pin, &d->link);
    if (d->irq)
        pci_config_writeb(bdf, PCI_INTERRUPT_LINE, d->irq);
    dprintf(LOG_DEBUG, "pci: %02x:%02x.%x %04x:%04x class %06x pin %u"
            " irq %u\n", bdf >> 8, (bdf >> 3) & 0x1f, bdf & 7, id & 0xffff,
            id >> 16, d->class_rev >> 8, d->pin, d->irq);
}

void
pci_setup(void)
{
    for (u16 dev = 0; dev < 32; dev++) {
        for (u16 fn = 0; fn < 8; fn++) {
            u16 bdf = PCI_BDF(0, dev, fn);
            u32 id = pci_config_readl(bdf, PCI_VENDOR_ID);
            if ((id & 0xffff) == 0xffff || (id & 0xffff) == 0) {
                if (!fn)
                    break;
                continue;
            }
            pci_add(bdf, id);
            if (!fn && !(pci_config_readb(bdf, PCI_HEADER_TYPE)
                         & PCI_HEADER_TYPE_MULTI))
                break;
        }
    }
    dprintf(LOG_INFO, "pci: %d functions on bus 0\n", DeviceCount);
}

const struct pci_device *
pci_devices(int *count)
{
    *count = DeviceCount;
    return Devices;
}
