// Structure offsets for assembler, extracted by scripts/gen-offsets.py
// (compiled to assembly only, never linked).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#include "bregs.h" // struct bregs

#define OFFSET(name, value) \
    asm volatile("\n.ascii \"->" #name " %c0\"" : : "i"(value))

void
asm_offsets(void)
{
    OFFSET(BREGS_size, sizeof(struct bregs));
    OFFSET(BREGS_flags, offsetof(struct bregs, flags));
    OFFSET(BREGS_ip, offsetof(struct bregs, ip));
    OFFSET(BREGS_ah, offsetof(struct bregs, ah));
}
