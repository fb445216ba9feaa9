// Structure offsets for assembler, extracted by scripts/gen-offsets.py
// (compiled to assembly only, never linked).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#include "bregs.h" // struct bregs
#include "std/bda.h" // struct bios_data_area

#define OFFSET(name, value) \
    asm volatile("\n.ascii \"->" #name " %c0\"" : : "i"(value))

void
asm_offsets(void)
{
    OFFSET(BREGS_size, sizeof(struct bregs));
    OFFSET(BREGS_flags, offsetof(struct bregs, flags));
    OFFSET(BREGS_ip, offsetof(struct bregs, ip));
    OFFSET(BREGS_ah, offsetof(struct bregs, ah));
    OFFSET(BDA_SEG, BDA_ADDR >> 4);
    OFFSET(BDA_EQUIPMENT, offsetof(struct bios_data_area, equipment));
    OFFSET(BDA_MEM_SIZE_KB, offsetof(struct bios_data_area, mem_size_kb));
    OFFSET(BDA_TICKS, offsetof(struct bios_data_area, timer_ticks));
    OFFSET(BDA_MIDNIGHT, offsetof(struct bios_data_area, timer_rollover));
}
