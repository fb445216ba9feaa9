// ReefBIOS's own memory map and segment layout (every mode, and assembler).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
//   0x00000-0x004ff  IVT and BDA
//   0x00500-0x07bff  POST stack (grows down from BUILD_STACK_TOP); free
//                    after boot
//   0x07c00          boot sector load address
//   EBDA             BUILD_EBDA_KB below 640 KiB, e820-reserved
//   0xe0000-0xeffff  image part 1: writable data and bss first (runtime
//                    state, the call32 stack), then 32-bit code; stays
//                    read-write after POST
//   0xf0000-0xfffff  image part 2: table pool, 16-bit entry code, GDT,
//                    32-bit constants and the fixed
//                    IBM entry points; locked read-only before boot
//   0xfffc0000-      the 256 KiB flash image as QEMU maps it; its last
//   0xffffffff       128 KiB is the pristine copy shadowed to 0xe0000
// See docs/Memory_Model.md.
#ifndef CONFIG_H
#define CONFIG_H

#define BUILD_BIOS_ADDR     0xe0000 // where the image runs (shadow RAM)
#define BUILD_BIOS_SIZE     0x20000
#define BUILD_BIOS_FLASH    0xfffe0000 // pristine copy in the flash window
#define BUILD_BIOS_SEG      0xf000 // real-mode segment of 16-bit code
#define BUILD_BIOS16_BASE   0xf0000
#define BUILD_FIXED_BASE    0xfe05b // first fixed entry point (POST)

#define BUILD_STACK_TOP     0x7c00 // POST stack
#define BUILD_EBDA_KB       1 // EBDA size; int 12h reports 640 - this
#define BUILD_LOWMEM_TOP    0xa0000

// Protected-mode selectors of the GDT in romlayout.S.
#define SEG32_CODE  0x08 // flat 4 GiB code
#define SEG32_DATA  0x10 // flat 4 GiB data
#define SEG16_CODE  0x18 // base 0xf0000, 64 KiB: return path to real mode
#define SEG16_DATA  0x20 // base 0, 64 KiB: real-mode-compatible limits

#define CR0_PE  0x00000001
#define CR0_NW  0x20000000
#define CR0_CD  0x40000000

#endif // CONFIG_H
