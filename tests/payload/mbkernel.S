// Multiboot 1 test kernel (32-bit): reports the boot loader's magic, its
// info pointer and whether the F-segment is writable on the debug port,
// then exits QEMU through isa-debug-exit. QEMU loads it with its multiboot_dma.bin option ROM,
// which ReefBIOS runs for -kernel images that are not bzImages.
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Multiboot Specification 0.6.96, 3.1 (header) and 3.2 (machine state).

#include "multiboot.h" // MULTIBOOT_HEADER, MB_BOOT_MAGIC

#define REPORT_PORT     0x402
#define PORT_EXIT       0xf4
#define FSEG_PROBE      0xffffe

        MULTIBOOT_HEADER MB_FLAG_MEMINFO

        .text
        .code32
        .global _start
_start:
        movl $stack_top, %esp           // the loader leaves esp undefined
        movl %eax, %esi                 // boot magic
        movl %ebx, %edi                 // info structure
        leal banner, %eax
        call dbg_puts
        movl %esi, %eax
        call dbg_puthex32
        leal mbi, %eax
        call dbg_puts
        movl %edi, %eax
        call dbg_puthex32
        // The BIOS must have made the F-segment read-only: try to flip
        // the model byte at F000:FFFE and report whether it stuck.
        leal fseg_ro, %eax
        movb FSEG_PROBE, %bl
        notb FSEG_PROBE
        cmpb FSEG_PROBE, %bl
        je 5f
        notb FSEG_PROBE
        leal fseg_rw, %eax
5:      call dbg_puts
        cmpl $MB_BOOT_MAGIC, %esi
        sete %al                        // exit code 3 on success, 1 else
        movw $PORT_EXIT, %dx
        outb %al, %dx
1:      hlt
        jmp 1b

#include "report.inc" // dbg_puts, dbg_puthex32

        .section .rodata
banner: .asciz "MBKERNEL magic="
mbi:    .asciz " mbi="
fseg_ro: .asciz " fseg=ro\n"
fseg_rw: .asciz " fseg=rw\n"

        .bss
        .balign 16
        .skip 1024
stack_top:
        .section .note.GNU-stack, "", @progbits
