// Shadow RAM: report what the reset path opened, lock the F-segment
// before boot (32-bit flat).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// romlayout.S (post_entry32) makes 0xc0000-0xfffff read-write RAM and
// copies the image in before any C runs; this file only closes the
// F-segment again. The E-segment stays writable: runtime state lives there.
#include "fw/shadow.h" // shadow_prepboot
#include "hw/pci.h" // pci_config_readl
#include "output.h" // dprintf
#include "string.h" // memcpy
#include "x86.h" // cpuid

#define CPUID_HYPERVISOR (1u << 31)

static enum machine_type Machine;

// The hypervisor's CPUID signature (leaf 0x40000000, present when
// CPUID 1 ECX bit 31 says so): "KVMKVMKVM", "TCGTCGTCGTCG", ...
static void
hypervisor_name(char name[13])
{
    u32 eax, ebx, ecx, edx;
    cpuid(1, &eax, &ebx, &ecx, &edx);
    if (!(ecx & CPUID_HYPERVISOR)) {
        memcpy(name, "none", 5);
        return;
    }
    cpuid(0x40000000, &eax, &ebx, &ecx, &edx);
    memcpy(name, &ebx, 4);
    memcpy(name + 4, &ecx, 4);
    memcpy(name + 8, &edx, 4);
    name[12] = 0;
}

void POST_STEP
shadow_setup(void)
{
    u32 id = pci_config_readl(PCI_BDF(0, 0, 0), PCI_VENDOR_ID);
    Machine = id == PCI_ID_I440FX ? MACHINE_I440FX
        : id == PCI_ID_Q35 ? MACHINE_Q35 : MACHINE_UNKNOWN;
    if (!output_active())
        return; // the CPUID below is for the log line only
    char hv[13];
    hypervisor_name(hv);
    dprintf(LOG_INFO, "shadow: host bridge %04x:%04x (%s), bios in ram,"
            " hypervisor %s\n", id & 0xffff, id >> 16,
            Machine == MACHINE_I440FX ? "i440fx"
            : Machine == MACHINE_Q35 ? "q35" : "unknown, running from rom",
            hv);
}

enum machine_type
shadow_machine(void)
{
    return Machine;
}

void POST_STEP
shadow_prepboot(void)
{
    if (Machine == MACHINE_UNKNOWN)
        return;
    u16 bdf = PCI_BDF(0, 0, 0);
    u32 reg = Machine == MACHINE_I440FX ? I440FX_PAM0 : Q35_PAM0;
    pci_config_modb(bdf, reg, 0xf0, PAM_READ_ONLY << PAM_FSEG_SHIFT);
    dprintf(LOG_INFO, "shadow: f-segment locked read-only\n");
}
