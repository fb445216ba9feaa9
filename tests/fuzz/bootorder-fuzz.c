// libFuzzer target for QEMU bootorder matching (src/bootorder.c): any
// bytes as the file, the first line of them as the path; the answer must
// agree with a straightforward line split.
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h" // LLVMFuzzerTestOneInput
#include "bootorder.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    char *text = malloc(size ? size : 1);
    memcpy(text, data, size);
    const char *nl = memchr(text, '\n', size);
    size_t plen = nl ? (size_t)(nl - text) : size;
    char *path = malloc(plen + 1);
    memcpy(path, text, plen);
    path[plen] = 0;
    int got = bootorder_find(text, size, path);
    // Reference: the first index whose whole line equals path, before
    // any NUL.
    size_t end = strnlen(text, size), pos = 0;
    int want = -1;
    for (int index = 0; pos < end; index++) {
        const char *e = memchr(text + pos, '\n', end - pos);
        size_t llen = e ? (size_t)(e - (text + pos)) : end - pos;
        if (llen == strlen(path) && !memcmp(text + pos, path, llen)) {
            want = index;
            break;
        }
        pos += llen + 1;
    }
    assert(got == want);
    free(path);
    free(text);
    return 0;
}
