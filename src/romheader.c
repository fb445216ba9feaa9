// Option ROM header check (32-bit flat; also host-compiled for tests and
// the fuzzer): everything a ROM from outside claims about itself is
// checked against the bytes it came in.
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// PCI Firmware Specification 3.0, 5.1 (ROM header); Plug and Play BIOS
// Specification 1.0A, 3.2 (expansion header, BEV).
#include "checksum.h" // checksum
#include "output.h" // dprintf
#include "romheader.h" // optionrom_check
#include "std/optionrom.h" // struct optionrom_header

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
