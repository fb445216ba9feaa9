// Shared by the libFuzzer targets (host-compiled only).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#ifndef FUZZ_H
#define FUZZ_H

#include <stdint.h> // uint8_t
#include <stdio.h> // fprintf
#include <stdlib.h> // abort

// A property of the code under test: a crash report when it fails.
#define REQUIRE(cond) do {                                              \
        if (!(cond)) {                                                  \
            fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #cond);  \
            abort();                                                    \
        }                                                               \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif // FUZZ_H
