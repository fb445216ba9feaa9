// Option ROMs from fw_cfg: load into 0xc0000-0xdffff, check, initialise,
// boot through the PnP bootstrap entry vector (32-bit flat).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// QEMU hands its own boot ROMs (multiboot_dma.bin, pvh.bin, ...) over as
// fw_cfg files "genroms/NAME"; they are ordinary PnP option ROMs whose BEV
// does the work. Headers: src/std/optionrom.h.
#include "bregs.h" // call16_far
#include "fw/fw_cfg.h" // fw_cfg_find
#include "optionrom.h" // optionrom_boot_fw_cfg
#include "output.h" // dprintf
#include "romheader.h" // optionrom_check
#include "std/optionrom.h" // struct optionrom_header
#include "string.h" // memcpy

#define OPTIONROM_ALIGN 2048

static u32 RomCursor = OPTIONROM_AREA_START;

void POST_STEP
optionrom_boot_fw_cfg(const char *file)
{
    const struct fwcfg_file *f = fw_cfg_find(file);
    if (!f)
        return;
    u32 addr = RomCursor;
    if (f->size > OPTIONROM_AREA_END - addr) {
        dprintf(LOG_WARN, "optionrom: %s: %u bytes do not fit at 0x%05x\n",
                file, f->size, addr);
        return;
    }
    if (fw_cfg_read_file(f, 0, (void *)addr, f->size))
        return;
    int bev = optionrom_check((void *)addr, f->size, file);
    if (bev <= 0) {
        if (!bev)
            dprintf(LOG_WARN, "optionrom: %s: no boot entry vector\n", file);
        return;
    }
    const struct optionrom_header *h = (void *)addr;
    RomCursor = ALIGN_UP(addr + h->size * 512, OPTIONROM_ALIGN);
    u16 seg = addr >> 4;
    dprintf(LOG_INFO, "optionrom: %s at 0x%05x, init\n", file, addr);
    struct bregs r = { .cs = seg, .ip = 3, .flags = 0x0002 };
    call16_far(&r);
    dprintf(LOG_INFO, "optionrom: %s boot entry %04x:%04x\n", file, seg,
            bev);
    r = (struct bregs){ .cs = seg, .ip = bev, .flags = 0x0002 };
    call16_far(&r);
    dprintf(LOG_WARN, "optionrom: %s boot entry returned\n", file);
}
