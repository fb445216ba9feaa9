// Option ROMs from fw_cfg: load into 0xc0000-0xdffff, check, initialise,
// boot through the PnP bootstrap entry vector (32-bit flat).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// QEMU hands its own boot ROMs (multiboot_dma.bin, pvh.bin, ...) over as
// fw_cfg files "genroms/NAME"; they are ordinary PnP option ROMs whose BEV
// does the work. Headers: src/std/optionrom.h.
#include "checksum.h" // checksum
#include "bregs.h" // call16_far
#include "fw/fw_cfg.h" // fw_cfg_find
#include "optionrom.h" // optionrom_boot_fw_cfg
#include "output.h" // dprintf
#include "std/optionrom.h" // struct optionrom_header
#include "string.h" // memcpy

#define OPTIONROM_ALIGN 2048

static u32 RomCursor = OPTIONROM_AREA_START;

int
optionrom_check(const u8 *rom, u32 len, const char *name)
{
    const struct optionrom_header *h = (const void *)rom;
    if (len < sizeof(*h) || h->signature != OPTIONROM_SIGNATURE) {
        dprintf(LOG_WARN, "optionrom: %s: no rom signature, len=%u\n", name,
                len);
        return -1;
    }
    u32 size = h->size * 512;
    if (!size || size > len) {
        dprintf(LOG_WARN, "optionrom: %s: size %u outside the file (%u)\n",
                name, size, len);
        return -1;
    }
    u8 sum = checksum(rom, size);
    if (sum) {
        dprintf(LOG_WARN, "optionrom: %s: checksum 0x%02x, not 0\n", name,
                sum);
        return -1;
    }
    u32 pnp = h->pnp_offset;
    if (!pnp)
        return 0;
    const struct pnp_header *p = (const void *)(rom + pnp);
    if (pnp > size - sizeof(*p) || p->signature != PNP_SIGNATURE) {
        dprintf(LOG_WARN, "optionrom: %s: bad pnp header at 0x%x\n", name,
                pnp);
        return -1;
    }
    if (p->bev >= size) {
        dprintf(LOG_WARN, "optionrom: %s: bev 0x%x outside the rom\n", name,
                p->bev);
        return -1;
    }
    return p->bev;
}

void
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
