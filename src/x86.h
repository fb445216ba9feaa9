// x86 instruction wrappers: port I/O, control registers, TSC, CPUID.
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Port I/O is always outX(value, port) in this project.
#ifndef X86_H
#define X86_H

#include "types.h" // u8

static inline void
outb(u8 value, u16 port)
{
    asm volatile("outb %b0, %w1" : : "a"(value), "Nd"(port));
}

static inline void
outw(u16 value, u16 port)
{
    asm volatile("outw %w0, %w1" : : "a"(value), "Nd"(port));
}

static inline void
outl(u32 value, u16 port)
{
    asm volatile("outl %0, %w1" : : "a"(value), "Nd"(port));
}

static inline u8
inb(u16 port)
{
    u8 value;
    asm volatile("inb %w1, %b0" : "=a"(value) : "Nd"(port));
    return value;
}

static inline u16
inw(u16 port)
{
    u16 value;
    asm volatile("inw %w1, %w0" : "=a"(value) : "Nd"(port));
    return value;
}

static inline u32
inl(u16 port)
{
    u32 value;
    asm volatile("inl %w1, %0" : "=a"(value) : "Nd"(port));
    return value;
}

// Write len bytes with one string I/O instruction: one VM exit per page
// under KVM instead of one per byte.
static inline void
outsb(u16 port, const void *buf, u32 len)
{
    asm volatile("rep outsb"
                 : "+S"(buf), "+c"(len) : "d"(port) : "memory");
}

static inline void
insb(u16 port, void *buf, u32 len)
{
    asm volatile("rep insb"
                 : "+D"(buf), "+c"(len) : "d"(port) : "memory");
}

static inline u64
rdtsc(void)
{
    u32 lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((u64)hi << 32) | lo;
}

static inline void
cpuid(u32 leaf, u32 *eax, u32 *ebx, u32 *ecx, u32 *edx)
{
    asm volatile("cpuid"
                 : "=a"(*eax), "=b"(*ebx), "=c"(*ecx), "=d"(*edx)
                 : "a"(leaf), "c"(0));
}

// The CPU's physical address width (CPUID 0x80000008 EAX[7:0]); 36 when
// the leaf is missing or its value is not a plausible 36..52.
static inline u32
cpu_phys_bits(void)
{
    u32 eax, ebx, ecx, edx;
    cpuid(0x80000000, &eax, &ebx, &ecx, &edx);
    if (eax < 0x80000008)
        return 36;
    cpuid(0x80000008, &eax, &ebx, &ecx, &edx);
    u32 bits = eax & 0xff;
    return bits < 36 || bits > 52 ? 36 : bits;
}

static inline u64
rdmsr(u32 index)
{
    u32 lo, hi;
    asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(index));
    return ((u64)hi << 32) | lo;
}

static inline void
wrmsr(u32 index, u64 value)
{
    asm volatile("wrmsr"
                 : : "c"(index), "a"((u32)value), "d"((u32)(value >> 32)));
}

static inline void
cpu_relax(void)
{
    asm volatile("pause" ::: "memory");
}

static inline void
barrier(void)
{
    asm volatile("" ::: "memory");
}

static inline void
irq_disable(void)
{
    asm volatile("cli" ::: "memory");
}

static inline void
irq_enable(void)
{
    asm volatile("sti" ::: "memory");
}

static inline void
cpu_halt(void)
{
    asm volatile("hlt" ::: "memory");
}

#endif // X86_H
