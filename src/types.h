// Basic integer types and compiler helpers, for every mode and for host tests.
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#ifndef TYPES_H
#define TYPES_H

#ifndef __ASSEMBLY__

typedef unsigned char u8;
typedef signed char s8;
typedef unsigned short u16;
typedef signed short s16;
typedef unsigned int u32;
typedef signed int s32;
typedef unsigned long long u64;
typedef signed long long s64;

#include <stddef.h> // size_t, offsetof, NULL
#include <stdint.h> // uintptr_t
#include <stdbool.h> // bool

#define PACKED __attribute__((packed))
// Fields read or written in place in a byte buffer or a table from
// outside: any alignment, and they may alias the bytes.
typedef u16 __attribute__((may_alias, aligned(1))) unaligned_u16;
typedef u32 __attribute__((may_alias, aligned(1))) unaligned_u32;
typedef u64 __attribute__((may_alias, aligned(1))) unaligned_u64;
#define ALIGNED(n) __attribute__((aligned(n)))
// Not cleared at reset (src/layout.ld): for buffers always written before
// they are read, so the reset path need not zero kilobytes under an
// emulating hypervisor. Holds stale data after a reboot.
#define NOINIT __attribute__((section(".bss.noinit")))
#define NORETURN __attribute__((noreturn))
#define UNUSED __attribute__((unused))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a) (((x) + ((a) - 1)) & ~((typeof(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((typeof(x))(a) - 1))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

// 32-bit C passes arguments in registers (-mregparm=3, see docs/Build.md);
// functions written in or called from assembler take them on the stack.
#ifdef __i386__
#define ASMLINKAGE __attribute__((regparm(0)))
#else
#define ASMLINKAGE
#endif
// Entry points that 16-bit assembler reaches through call32(): the mode
// checker (scripts/checkmodes.py) lets .text16 refer only to symbols in
// these sections.
#define VISIBLE32 __attribute__((section(".text.visible32"), used)) ASMLINKAGE
// A step of POST or boot: stays a function of its own under LTO, so that
// a debugger (docs/Debugging.md) and tests/qemu/test_reboot.py can stop
// at its symbol.
#define POST_STEP __attribute__((noinline))

#endif // !__ASSEMBLY__
#endif // TYPES_H
