// libFuzzer target for src/romheader.c (host-compiled only).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Input: the ROM image itself, in a buffer of exactly its length so ASan
// sees any read past it. Its first two bytes, if the input is long enough,
// are forced to the 0xaa55 signature and its third byte to a size that
// fits, half of the time, so the deeper checks are reached quickly. An
// accepted ROM's BEV must lie inside the size it claims.
#include <stdint.h> // uint8_t
#include <stdio.h> // fprintf
#include <stdlib.h> // abort, malloc
#include <string.h> // memcpy

#include "fuzz.h" // REQUIRE
#include "romheader.h" // optionrom_check

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 128 * 1024)
        return 0;
    u8 *rom = malloc(size - 1 ? size - 1 : 1);
    if (!rom)
        return 0;
    u32 len = size - 1;
    memcpy(rom, data + 1, len);
    if ((data[0] & 1) && len >= 3) {
        rom[0] = 0x55;
        rom[1] = 0xaa;
        rom[2] = len / 512 ? (data[0] >> 1) % (len / 512) + 1 : 1;
    }
    int bev = optionrom_check(rom, len, "fuzz.rom");
    if (bev > 0)
        REQUIRE((u32)bev < rom[2] * 512u && rom[2] * 512u <= len);
    free(rom);
    return 0;
}
