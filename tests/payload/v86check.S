// Multiboot 1 test kernel that calls BIOS services from virtual-8086
// mode, the way DOS programs do under EMM386, and reports on debugcon
// port 0x403. Exits QEMU through isa-debug-exit (port 0xf4).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// The 32-bit part builds a GDT with a TSS (ring-0 stack, an I/O
// permission bitmap that allows every port), an IDT whose vectors 0-31
// report the fault and stop, and whose vector 30h (callable from ring 3)
// ends the test; then it enters vm86 with IOPL 3 and IF clear. The vm86
// part copies itself to V86_SEG:0 first (vm86 reaches only the first
// MiB) and calls each service the way a vm86 monitor reflects an
// interrupt: pushf, then a far call through the real-mode IVT (an "int"
// instruction would go to our IDT). Intel SDM vol. 3B, chapter 20
// (8086 emulation).
//
// Report lines (tests/qemu/test_payloads.py parses them):
//   V86CHECK int12=<ax> bda=<40:13> int11=<ax> bda=<40:10>
//   V86CHECK ticks=<cx:dx after setting 00123456> flags=<flags>
//       e820=<ax> flags=<flags> rtc=<ax> flags=<flags>
//   V86CHECK done
// or, when anything faults (a BIOS that switches modes from vm86):
//   V86CHECK fault vector=<n> error=<code> cs=<cs> eip=<eip>
// flags are the 16-bit flags the service returned (CF is bit 0).

#include "multiboot.h" // MULTIBOOT_HEADER

#define REPORT_PORT     0x403
#define PORT_EXIT       0xf4
#define SEG_CODE        0x08
#define SEG_DATA        0x10
#define SEG_TSS         0x18
#define V86_SEG         0x2000 // the vm86 part runs at 0x20000
#define V86_BASE        (V86_SEG << 4)
#define V86_STACK_TOP   0xfffe
#define EFLAGS_VM       (1 << 17)
#define EFLAGS_IOPL3    (3 << 12)
#define EFLAGS_FIXED    (1 << 1)
#define VEC_DONE        0x30
#define IDT_ENTRIES     (VEC_DONE + 1)
#define GATE_INT_DPL0   0x8e00 // present, interrupt gate, ring 0 only
#define GATE_INT_DPL3   0xee00 // present, interrupt gate, int from ring 3
#define TSS_SIZE        104
#define TSS_ESP0        4
#define TSS_SS0         8
#define TSS_IOMAP       102
#define IOMAP_SIZE      8192 // one bit per port: 0 = allowed
#define TSS_LIMIT       (TSS_SIZE + IOMAP_SIZE) // the 0xff byte included
#define BDA_EQUIPMENT   0x410
#define BDA_MEM_SIZE    0x413
#define TICKS_SET_HI    0x0012
#define TICKS_SET_LO    0x3456
#define E820_SMAP       0x534d4150

        MULTIBOOT_HEADER 0

        .text
        .code32
        .global _start
_start:
        movl $stack_top, %esp
        cld
        // TSS: the ring-0 stack for interrupts out of vm86, and the I/O
        // bitmap right after it (zero in .bss: every port allowed),
        // closed by the 0xff byte the CPU may read past its end.
        movl $stack_top, tss + TSS_ESP0
        movl $SEG_DATA, tss + TSS_SS0
        movw $TSS_SIZE, tss + TSS_IOMAP
        movb $0xff, tss + TSS_LIMIT
        movl $tss, %eax                 // TSS descriptor: base, limit
        movw %ax, gdt + SEG_TSS + 2
        shrl $16, %eax
        movb %al, gdt + SEG_TSS + 4
        movb %ah, gdt + SEG_TSS + 7
        lgdt gdt_desc
        ljmp $SEG_CODE, $1f
1:      movl $SEG_DATA, %eax
        movl %eax, %ds
        movl %eax, %es
        movl %eax, %ss
        movl %eax, %fs
        movl %eax, %gs
        movl $SEG_TSS, %eax
        ltr %ax

        // IDT: vectors 0-31 from fault_stubs, VEC_DONE for vm86 code.
        xorl %ecx, %ecx
2:      movl fault_stubs(, %ecx, 4), %eax
        movl $GATE_INT_DPL0, %edx
        call set_gate
        incl %ecx
        cmpl $32, %ecx
        jb 2b
        movl $VEC_DONE, %ecx
        movl $v86_done, %eax
        movl $GATE_INT_DPL3, %edx
        call set_gate
        lidt idt_desc

        movl $v86_start, %esi
        movl $V86_BASE, %edi
        movl $(v86_end - v86_start), %ecx
        rep movsb
        pushl $0                        // gs
        pushl $0                        // fs
        pushl $V86_SEG                  // ds
        pushl $V86_SEG                  // es
        pushl $V86_SEG                  // ss
        pushl $V86_STACK_TOP            // esp
        pushl $(EFLAGS_VM | EFLAGS_IOPL3 | EFLAGS_FIXED)
        pushl $V86_SEG                  // cs
        pushl $0                        // eip
        iretl

// set_gate: ecx = vector, eax = handler, edx = type and DPL bits.
// Clobbers eax, edx.
set_gate:
        movw %ax, idt(, %ecx, 8)
        movw $SEG_CODE, idt + 2(, %ecx, 8)
        movw %dx, idt + 4(, %ecx, 8)
        shrl $16, %eax
        movw %ax, idt + 6(, %ecx, 8)
        ret

// The vm86 part called int $VEC_DONE: its results are in low memory.
// Prints them as report_fields lists them.
v86_done:
        movl $SEG_DATA, %eax            // vm86 left null data segments
        movl %eax, %ds
        movl %eax, %es
        movl $report_fields, %ebx
1:      movl (%ebx), %eax               // label, or 0: end of line
        testl %eax, %eax
        jz 2f
        call dbg_puts
        movl 4(%ebx), %eax              // the 16-bit value's address
        movw (%eax), %ax
        call dbg_puthex16
        addl $8, %ebx
        jmp 1b
2:      call dbg_newline
        addl $4, %ebx
        cmpl $report_fields_end, %ebx
        jb 1b
        leal msg_done, %eax
        call dbg_puts
        movb $1, %al                    // QEMU exits with status 3
        jmp exit

// Vectors 0-31. Stack on entry to fault_common: vector, error code (0
// where the CPU pushes none), eip, cs, eflags, ...
        .irp vec, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
fault_\vec:
        .if (\vec != 8) && (\vec != 17) && (\vec != 21) && ((\vec < 10) || (\vec > 14))
        pushl $0
        .endif
        pushl $\vec
        jmp fault_common
        .endr

fault_common:
        movl $SEG_DATA, %eax
        movl %eax, %ds
        movl %eax, %es
        leal msg_fault, %eax
        call dbg_puts
        movl (%esp), %eax
        call dbg_puthex8
        leal msg_error, %eax
        call dbg_puts
        movl 4(%esp), %eax
        call dbg_puthex32
        leal msg_cs, %eax
        call dbg_puts
        movl 12(%esp), %eax
        call dbg_puthex16
        leal msg_eip, %eax
        call dbg_puts
        movl 8(%esp), %eax
        call dbg_puthex32
        call dbg_newline
        movb $0, %al                    // QEMU exits with status 1
exit:
        movw $PORT_EXIT, %dx
        outb %al, %dx
1:      hlt
        jmp 1b

#include "report.inc" // dbg_puts, dbg_puthex8/16/32, dbg_newline

/****************************************************************
 * vm86 part: copied to V86_SEG:0 and run there (cs = ds = es = ss)
 ****************************************************************/

#define V86(sym) ((sym) - v86_start)

// Calls the real-mode handler of interrupt \vec as a vm86 monitor
// reflects an int: flags, then a far call through the IVT at 0:4*vec.
.macro CALL_IVT vec
        pushw %ds
        pushw $0
        popw %ds
        pushfw
        lcallw *(\vec * 4)
        popw %ds
.endm

        .code16
v86_start:
        CALL_IVT 0x12
        movw %ax, V86(r_int12)
        CALL_IVT 0x11
        movw %ax, V86(r_int11)
        movb $0x01, %ah                 // int 1Ah: set the tick count,
        movw $TICKS_SET_HI, %cx         //   then read it back
        movw $TICKS_SET_LO, %dx
        CALL_IVT 0x1a
        xorw %cx, %cx
        xorw %dx, %dx
        movb $0x00, %ah
        CALL_IVT 0x1a
        pushfw
        popw V86(r_ticks_flags)
        movw %cx, V86(r_ticks_cx)
        movw %dx, V86(r_ticks_dx)
        movl $0xe820, %eax              // needs 32-bit code: refused
        xorl %ebx, %ebx
        movl $20, %ecx
        movl $E820_SMAP, %edx
        movw $V86(e820_buf), %di
        CALL_IVT 0x15
        pushfw
        popw V86(r_e820_flags)
        movw %ax, V86(r_e820_ax)
        movb $0x02, %ah                 // int 1Ah: read the RTC time
        CALL_IVT 0x1a
        pushfw
        popw V86(r_rtc_flags)
        movw %ax, V86(r_rtc_ax)
        int $VEC_DONE                   // to v86_done, in ring 0

        .balign 2
r_int12:        .word 0
r_int11:        .word 0
r_ticks_cx:     .word 0
r_ticks_dx:     .word 0
r_ticks_flags:  .word 0
r_e820_ax:      .word 0
r_e820_flags:   .word 0
r_rtc_ax:       .word 0
r_rtc_flags:    .word 0
e820_buf:       .fill 20, 1, 0
v86_end:

        .code32
        .section .rodata
        .balign 4
fault_stubs:
        .irp vec, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
        .long fault_\vec
        .endr
// The report lines: (label, address of a 16-bit value) pairs, each line
// ended by a 0.
#define RESULT(sym) (V86_BASE + V86(sym))
report_fields:
        .long msg_int12, RESULT(r_int12), msg_bda, BDA_MEM_SIZE
        .long msg_int11, RESULT(r_int11), msg_bda, BDA_EQUIPMENT, 0
        .long msg_ticks, RESULT(r_ticks_cx), msg_none, RESULT(r_ticks_dx)
        .long msg_flags, RESULT(r_ticks_flags)
        .long msg_e820, RESULT(r_e820_ax), msg_flags, RESULT(r_e820_flags)
        .long msg_rtc, RESULT(r_rtc_ax), msg_flags, RESULT(r_rtc_flags), 0
report_fields_end:
msg_int12:      .asciz "V86CHECK int12="
msg_int11:      .asciz " int11="
msg_bda:        .asciz " bda="
msg_ticks:      .asciz "V86CHECK ticks="
msg_none:       .asciz ""
msg_flags:      .asciz " flags="
msg_e820:       .asciz " e820="
msg_rtc:        .asciz " rtc="
msg_done:       .asciz "V86CHECK done\n"
msg_fault:      .asciz "V86CHECK fault vector="
msg_error:      .asciz " error="
msg_cs:         .asciz " cs="
msg_eip:        .asciz " eip="

        .data
        .balign 8
gdt:
        .quad 0
        .quad 0x00cf9a000000ffff        // SEG_CODE: flat 32-bit code
        .quad 0x00cf92000000ffff        // SEG_DATA: flat data
        .word TSS_LIMIT                 // SEG_TSS: 32-bit TSS, available;
        .word 0                         //   base filled in at run time
        .byte 0, 0x89, 0, 0
gdt_end:
gdt_desc:
        .word gdt_end - gdt - 1
        .long gdt
idt_desc:
        .word IDT_ENTRIES * 8 - 1
        .long idt

        .bss
        .balign 16
idt:    .skip IDT_ENTRIES * 8
tss:    .skip TSS_SIZE + IOMAP_SIZE + 1
        .balign 16
        .skip 4096
stack_top:
        .section .note.GNU-stack, "", @progbits
