// Power-on self test: the order of POST, one step per line (32-bit flat).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Entered from romlayout.S (post_entry32) once the image runs from shadow
// RAM with a stack at BUILD_STACK_TOP and bss cleared. Every reset comes
// here with a pristine copy of the image (the reset path copies it again
// from flash), so no state survives from an earlier boot.
#include "boot.h" // boot_run
#include "fw/acpi.h" // acpi_setup
#include "fw/biostables.h" // biostables_setup
#include "fw/chipset.h" // chipset_setup
#include "fw/fw_cfg.h" // fw_cfg_setup
#include "fw/mtrr.h" // mtrr_setup
#include "fw/pciinit.h" // pci_setup
#include "fw/smbios.h" // smbios_setup
#include "fw/shadow.h" // shadow_setup
#include "fw/smm.h" // smm_setup
#include "hw/pic.h" // pic_setup
#include "hw/pit.h" // pit_setup
#include "hw/rtc.h" // rtc_setup
#include "ivt.h" // ivt_setup
#include "malloc.h" // malloc_preinit
#include "memmap.h" // memmap_setup
#include "output.h" // dprintf
#include "resume.h" // resume_prepboot
#include "smp.h" // smp_setup
#include "timer.h" // timer_setup
#include "version.h" // REEF_VERSION

static void
post_step(const char *name)
{
    if (!output_active())
        return;
    u32 us = timer_us_since_start();
    dprintf(LOG_INFO, "post: %s at %u.%03u ms\n", name, (u32)(us / 1000),
            (u32)(us % 1000));
}

void VISIBLE32 NORETURN
post_main(u64 tsc_start)
{
    output_preinit();
    dprintf(LOG_INFO, "ReefBIOS %s (built %s with %s)\n", REEF_VERSION,
            REEF_BUILD_DATE, REEF_COMPILER);
    timer_setup(tsc_start);

    post_step("platform");
    malloc_preinit();
    shadow_setup();

    post_step("fw_cfg");
    fw_cfg_setup();

    post_step("memory map");
    memmap_setup();
    fw_cfg_persist();

    post_step("interrupts");
    ivt_setup();
    bda_setup();
    pic_setup();
    pit_setup();
    rtc_setup();
    pic_unmask(1 << 0); // the system tick

    post_step("chipset");
    chipset_setup();
    pci_setup();
    smm_setup();

    post_step("cpus");
    mtrr_setup();
    smp_setup();
    smm_ap_setup(); // the parked APs' SMBASE, then SMRAM locked

    post_step("firmware tables");
    acpi_setup();
    biostables_setup();
    smbios_setup();

    post_step("boot list");
    boot_setup();

    post_step("prepare boot");
    memmap_prepboot();
    resume_prepboot();
    shadow_prepboot();

    post_step("boot");
    boot_run();
}
