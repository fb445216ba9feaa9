// libFuzzer target for src/fw/fwcfg_dir.c (host-compiled only).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Input: byte 0 picks max (0..19; the output array is allocated exactly so
// ASan sees any write past it), the rest is the directory. Every stored
// file must have a terminated, non-empty, unique name, a select key of at
// least 0x20, and be what fwcfg_dir_find() returns for its name.
#include <stdint.h> // uint8_t
#include <stdio.h> // fprintf
#include <stdlib.h> // abort, malloc
#include <string.h> // memchr

#include "fuzz.h" // REQUIRE
#include "fw/fwcfg_dir.h" // fwcfg_dir_parse

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fwcfg_file *out;
    int max, n, i;

    if (size < 1)
        return 0;
    max = data[0] % 20;
    out = malloc(max * sizeof(*out) + 1);
    REQUIRE(out);
    n = fwcfg_dir_parse(data + 1, size - 1, out, max);
    REQUIRE(n >= 0 && n <= max);
    REQUIRE(n <= (int)((size - 1) / 64));
    for (i = 0; i < n; i++) {
        REQUIRE(memchr(out[i].name, '\0', sizeof(out[i].name)));
        REQUIRE(out[i].name[0]);
        REQUIRE(out[i].select >= FWCFG_FILE_FIRST);
        REQUIRE(fwcfg_dir_find(out, n, out[i].name) == &out[i]);
    }
    free(out);
    return 0;
}
