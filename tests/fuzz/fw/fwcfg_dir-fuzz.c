// libFuzzer target for src/fw/fwcfg_dir.c (host-compiled only).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Input: byte 0 picks max (0..19), the rest is the directory, parsed in
// place in a buffer of its exact size (so ASan sees any access past it).
// Every kept file must have a terminated, non-empty, unique name, a
// select key of at least 0x20, the hash fwcfg_name_hash() gives its name,
// and be what fwcfg_dir_find() returns for that name (looked up through a
// copy of its exact size).
#include <stdint.h> // uint8_t
#include <stdio.h> // fprintf
#include <stdlib.h> // abort, malloc
#include <string.h> // memchr

#include "fuzz.h" // REQUIRE
#include "fw/fwcfg_dir.h" // fwcfg_dir_parse

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fwcfg_file *files;
    uint8_t *buf;
    int max, n, i;

    if (size < 1)
        return 0;
    max = data[0] % 20;
    buf = malloc(size - 1 ? size - 1 : 1); // malloc'd: 4-byte aligned
    REQUIRE(buf);
    memcpy(buf, data + 1, size - 1);
    n = fwcfg_dir_parse(buf, size - 1, max);
    files = fwcfg_dir_files(buf);
    REQUIRE(n >= 0 && n <= max);
    REQUIRE(n <= (int)((size - 1) / 64));
    for (i = 0; i < n; i++) {
        const char *end = memchr(files[i].name, '\0', sizeof(files[i].name));
        char *name;

        REQUIRE(end);
        REQUIRE(files[i].name[0]);
        REQUIRE(files[i].select >= FWCFG_FILE_FIRST);
        REQUIRE(files[i].hash == fwcfg_name_hash(files[i].name));
        name = malloc(end - files[i].name + 1);
        REQUIRE(name);
        memcpy(name, files[i].name, end - files[i].name + 1);
        REQUIRE(fwcfg_dir_find(files, n, name) == &files[i]);
        free(name);
    }
    free(buf);
    return 0;
}
