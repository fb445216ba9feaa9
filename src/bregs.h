// Registers of a real-mode caller, as the entry stubs save them (all modes).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// The 16-bit entry stubs in romlayout.S build this struct on the stack
// (segment pushes, pushal, then the CPU's interrupt frame above it), and
// call16() loads a real-mode context from it. Assembler offsets come from
// asm-offsets.c; never copy them by hand.
#ifndef BREGS_H
#define BREGS_H

#define F_CF  (1 << 0)
#define F_ZF  (1 << 6)
#define F_IF  (1 << 9)

#ifndef __ASSEMBLY__
#include "types.h" // u32


struct bregs {
    u16 ds, es, fs, gs;
    union { u32 edi; u16 di; };
    union { u32 esi; u16 si; };
    union { u32 ebp; u16 bp; };
    u32 esp_unused;
    union { u32 ebx; u16 bx; struct { u8 bl, bh; }; };
    union { u32 edx; u16 dx; struct { u8 dl, dh; }; };
    union { u32 ecx; u16 cx; struct { u8 cl, ch; }; };
    union { u32 eax; u16 ax; struct { u8 al, ah; }; };
    u16 ip, cs, flags; // the interrupt frame
} PACKED;

_Static_assert(sizeof(struct bregs) == 46, "bregs layout");

static inline void
bregs_ok(struct bregs *r)
{
    r->flags &= ~F_CF;
}

// Set CF and AH = code: the common "function failed" answer.
static inline void
bregs_fail(struct bregs *r, u8 code)
{
    r->flags |= F_CF;
    r->ah = code;
}

// "Function not supported": CF set, AH = code, and a debug line naming
// the handler, source line and the registers.
#define bregs_unsupported(r, code) \
    bregs_log_unsupported((r), (code), __func__, __LINE__)
void bregs_log_unsupported(struct bregs *r, u8 code, const char *func,
                           int line);

// Enter real mode with *regs and transfer to regs->cs:regs->ip as an
// interrupt would (romlayout.S). stack == 0: return when the target irets,
// with the registers it left in *regs. stack == ss << 16 | sp: jump with
// that stack and never return.
ASMLINKAGE void call16(struct bregs *regs, u32 stack);
// The same as a far call: the target returns with retf.
ASMLINKAGE void call16_far(struct bregs *regs);

// Real-mode segment:offset (e.g. es:di from a caller) -> flat address.
static inline void *
bregs_far_fl(u16 seg, u16 off)
{
    return (void *)(((u32)seg << 4) + off);
}

#endif // !__ASSEMBLY__
#endif // BREGS_H
