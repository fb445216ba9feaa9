// PVH test kernel (32-bit ELF with a Xen PVH entry note): reports the
// hvm_start_info magic and address on the debug port, then exits QEMU
// through isa-debug-exit. QEMU loads it with its pvh.bin option ROM.
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Xen public/arch-x86/hvm/start_info.h (entry state, magic) and
// public/elfnote.h (XEN_ELFNOTE_PHYS32_ENTRY = 18).

#define XEN_ELFNOTE_PHYS32_ENTRY 18
#define START_INFO_MAGIC 0x336ec578
#define PORT_DEBUG      0x402
#define PORT_EXIT       0xf4

        .section .note.pvh, "a", @note
        .balign 4
        .long 4                         // name size
        .long 4                         // descriptor size
        .long XEN_ELFNOTE_PHYS32_ENTRY
        .asciz "Xen"
        .long _start

        .text
        .code32
        .global _start
_start:
        movl %ebx, %edi                 // struct hvm_start_info *
        movw $PORT_DEBUG, %dx
        leal banner, %ecx
1:      movb (%ecx), %al
        testb %al, %al
        jz 2f
        outb %al, %dx
        incl %ecx
        jmp 1b
2:      movl (%edi), %ebx               // its magic
        movl $8, %ecx
3:      roll $4, %ebx
        movl %ebx, %eax
        andl $0xf, %eax
        movb hexdigits(%eax), %al
        outb %al, %dx
        loop 3b
        movb $'\n', %al
        outb %al, %dx
        cmpl $START_INFO_MAGIC, (%edi)
        sete %al
        movw $PORT_EXIT, %dx
        outb %al, %dx
4:      hlt
        jmp 4b

        .section .rodata
banner: .asciz "PVHKERNEL magic="
hexdigits: .ascii "0123456789abcdef"
        .section .note.GNU-stack, "", @progbits
