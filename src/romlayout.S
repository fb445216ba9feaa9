// Reset vector, mode transitions, 16-bit entry stubs and the fixed
// IBM-compatible entry points (16-bit and 32-bit assembler).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Sections (placed by src/layout.ld, modes checked by scripts/checkmodes.py):
//   .text16          16-bit code: real-mode entry stubs and the 16-bit
//                    halves of the mode transitions; must sit in the
//                    F-segment because it runs with CS = 0xf000
//   .fixed           the fixed entry points, from F000:E05B to F000:FFFF
//   .text.visible32  32-bit code that 16-bit code jumps to
//   .text            other 32-bit code (call16)
//
// Rules for every routine here: the comment says inputs, outputs and
// clobbers; interrupts stay disabled across a mode switch; nothing writes
// to the F-segment (it is read-only after POST).

#include "config.h"
#include "asm-offsets.h"
#include "bregs.h"
#include "resume.h"
#include "smp.h"

#define PORT_PCI_CMD    0x0cf8
#define PORT_PCI_DATA   0x0cfc
#define PORT_PIC1_CMD   0x20
#define PORT_PIC2_CMD   0xa0
#define PIC_EOI         0x20
#define HOSTBRIDGE_I440FX 0x12378086 // 8086:1237, pc machine
#define HOSTBRIDGE_Q35    0x29c08086 // 8086:29c0, q35 machine
#define I440FX_PAM_DWORD0 0x58 // PAM0 is the byte at 0x59
#define Q35_PAM_DWORD0    0x90 // PAM0 is the byte at 0x90
#define PORT_CMOS_INDEX 0x70
#define PORT_CMOS_DATA  0x71
#define CMOS_SHUTDOWN   0x0f
#define CMOS_SHUTDOWN_S3 0xfe
#define PAM_ENTRY_SIZE  24 // bytes per pam_table entry
#define RET_UNSUPPORTED 0x86 // AH: function not supported
#define TICKS_PER_DAY   0x1800b0

// Offset of a symbol inside the F-segment, for 16-bit addressing. i386
// relocations keep their addend in the field, so OFF16() only goes into
// 32-bit fields (addr32 operands, ljmpl, movl): the linker's sum wraps to
// the 16-bit offset.
#define OFF16(sym) ((sym) - BUILD_BIOS16_BASE)
// The same symbol in the flash copy at the top of 4 GiB.
#define FLASH(sym) ((sym) - BUILD_BIOS_ADDR + BUILD_BIOS_FLASH)

        .section .note.GNU-stack, "", @progbits

// The stack 32-bit interrupt handlers run on (call32_bregs). It lives in
// the E-segment, which stays writable after POST.
#define CALL32_STACK_SIZE 4096
        .section .bss.noinit, "aw", @nobits // a stack: not cleared at reset
        .balign 16
call32_stack:
        .skip CALL32_STACK_SIZE
call32_stack_top:

/****************************************************************
 * GDT
 ****************************************************************/

        .section .text16, "ax"
        .balign 16
gdt:
        .quad 0
        .quad 0x00cf9b000000ffff // SEG32_CODE: flat, 32-bit, accessed
        .quad 0x00cf93000000ffff // SEG32_DATA: flat, writable, accessed
        .quad 0x00009b0f0000ffff // SEG16_CODE: base 0xf0000, 64 KiB
        .quad 0x000093000000ffff // SEG16_DATA: base 0, 64 KiB
gdt_end:

// Used at reset: the GDT is read through the flash copy, which is
// pristine even when a previous boot left the shadow RAM stale.
gdt_desc_flash:
        .word gdt_end - gdt - 1
        .long FLASH(gdt)
// Used at run time, from the shadow copy.
gdt_desc:
        .word gdt_end - gdt - 1
        .long gdt

/****************************************************************
 * Mode switches
 ****************************************************************/

// Loads \sel into ds, es, ss, fs and gs through a scratch register: \wide
// takes the selector (%eax in 32-bit code, %ax in 16-bit code saves the
// size prefix), \reg16 is its low half.
.macro LOAD_DATA_SEGS sel, wide, reg16
        mov $\sel, \wide
        movw \reg16, %ds
        movw \reg16, %es
        movw \reg16, %ss
        movw \reg16, %fs
        movw \reg16, %gs
.endm

// Real mode -> 32-bit flat: loads the run-time GDT, sets PE and far-jumps
// to \target in SEG32_CODE. \reg: a 32-bit scratch register.
.macro REAL_TO_FLAT32 reg, target
        addr32 lgdtl %cs:OFF16(gdt_desc)
        movl %cr0, \reg
        orl $CR0_PE, \reg
        movl \reg, %cr0
        ljmpl $SEG32_CODE, $\target
.endm

// 16-bit protected mode (cs = SEG16_CODE, every data segment register
// loaded with SEG16_DATA's real-mode limits) -> real mode: PE off, then a
// far jump reloads cs with the BIOS segment. \reg: a 32-bit scratch
// register.
.macro PM16_TO_REAL reg
        movl %cr0, \reg
        andl $~CR0_PE, \reg
        movl \reg, %cr0
        ljmpl $BUILD_BIOS_SEG, $OFF16(.Lreal\@)
.Lreal\@:
.endm

// Pops the struct bregs that ENTRY32 pushed, or call16 built (segment
// registers, then pushal's), and returns to its frame with iret.
.macro POP_BREGS_IRET
        popw %ds
        popw %es
        popw %fs
        popw %gs
        popal
        iret
.endm

/****************************************************************
 * POST entry: real mode -> 32-bit flat, shadow, then C
 ****************************************************************/

// Entered from the reset vector with CS base 0xffff0000 (the flash) or by
// software jumping to F000:E05B. Never returns.
        .code16
post_entry16:
        cli
        cld
        addr32 lgdtl %cs:OFF16(gdt_desc_flash)
        movl %cr0, %eax
        andl $~(CR0_CD | CR0_NW), %eax
        orl $CR0_PE, %eax
        movl %eax, %cr0
        ljmpl $SEG32_CODE, $post_entry32

// 32-bit code and constants run and stay in the flash window (layout.ld
// links them there). Open the PAM registers so 0xc0000-0xfffff is
// read-write RAM, copy what must live below 1 MiB (data, 16-bit code, the
// fixed entry points; .data.resume too unless this is an S3 resume) into
// 0xe0000-0xfffff, clear bss, enter post_main() or s3_resume().
        .code32
        .section .text.visible32, "ax"
post_entry32:
        LOAD_DATA_SEGS SEG32_DATA, %eax, %ax
        // No stack until we know where one may go: an S3 resume must not
        // write to the OS's low memory. The POST start TSC waits in
        // ebp (low) and esp (high).
        rdtsc
        movl %eax, %ebp
        movl %edx, %esp

        movl $0x80000000, %eax          // 00:00.0 register 0: vendor/device
        movw $PORT_PCI_CMD, %dx
        outl %eax, %dx
        movw $PORT_PCI_DATA, %dx
        inl %dx, %eax
        movl $pam_table, %ebx
1:      movl (%ebx), %ecx
        xorl %edx, %edx                 // (not a resume: see below)
        testl %ecx, %ecx
        jz 4f                           // unknown host bridge: no shadow
        cmpl %ecx, %eax
        je 2f
        addl $PAM_ENTRY_SIZE, %ebx
        jmp 1b
2:      movl 4(%ebx), %eax              // first PAM dword
        movw $PORT_PCI_CMD, %dx
        outl %eax, %dx
        movw $PORT_PCI_DATA, %dx
        inl %dx, %eax
        andl 8(%ebx), %eax
        orl 12(%ebx), %eax
        outl %eax, %dx
        movl 4(%ebx), %eax              // second PAM dword
        addl $4, %eax
        movw $PORT_PCI_CMD, %dx
        outl %eax, %dx
        movw $PORT_PCI_DATA, %dx
        inl %dx, %eax
        andl 16(%ebx), %eax
        orl 20(%ebx), %eax
        outl %eax, %dx

        // S3 resume: CMOS shutdown status 0xfe (QEMU sets it on wakeup)
        // and POST's marker in the (now readable) shadow RAM.
        movl $copy_table, %ebx          // POST: every range
        xorl %edx, %edx                 // edx = 1 on resume
        movb $CMOS_SHUTDOWN, %al
        outb %al, $PORT_CMOS_INDEX
        inb $PORT_CMOS_DATA, %al
        cmpb $CMOS_SHUTDOWN_S3, %al
        jne 3f
        cmpl $RESUME_MAGIC, ResumeMagic
        jne 3f
        incl %edx
        addl $8, %ebx                   // resume: keep .data.resume
3:      movl (%ebx), %edi               // copy the pristine image, range
        testl %edi, %edi                //   by range (the gaps between
        jz 4f                           //   sections stay as they are)
        movl 4(%ebx), %ecx
        subl %edi, %ecx
        shrl $2, %ecx
        leal BUILD_BIOS_FLASH - BUILD_BIOS_ADDR(%edi), %esi
        rep movsl
        addl $8, %ebx
        jmp 3b
4:      movl $post_main, %ebx           // POST
        movl $BUILD_STACK_TOP, %esi     // low RAM is always RAM
        testl %edx, %edx
        jz 5f
        movl $s3_resume, %ebx
        movl $call32_stack_top, %esi    // the E-segment: not the OS's
// ebx = C entry, esi = its stack top, ebp/esp = TSC at reset.
5:
        movl %esp, %edx
        movl $__bss_start, %edi
        movl $__bss_end, %ecx
        subl %edi, %ecx
        shrl $2, %ecx
        xorl %eax, %eax
        rep stosl
        movl %esi, %esp
        pushl %edx
        pushl %ebp
        call *%ebx                      // post_main/s3_resume(u64 tsc)
1:      hlt
        jmp 1b

// The parts of the image the reset path copies from flash: [start, end)
// pairs, 4-byte aligned (layout.ld), ending with 0. An S3 resume starts at
// the second entry, so .data.resume keeps what POST left. Not copied:
// .bss (cleared), 32-bit code and .rodata (run and read in flash).
// The fixed area adds one range per FIXED() piece below: 8 KiB that are
// almost all gaps would cost 2 000 emulated string steps.
        .pushsection .rodata.copy_table, "a"
        .balign 4
copy_table:
        .long __resume_start, __resume_end
        .long __resume_end, __data_end
        .long __text16_start, __text16_end
        .subsection 2
        .long 0
        .popsection

// PAM programming per host bridge: ID, config address of the first of two
// dwords, then for each dword the bits kept and the bits set. i440FX:
// 0x58 keeps DRAMC, PAM0 = 0x30 (0xf0000-0xfffff read-write), PAM1-6 =
// 0x33; Q35: PAM0-6 at 0x90-0x96, 0x97 kept. Two config writes each: each
// one changes the memory map.
        .balign 4
pam_table:
        .long HOSTBRIDGE_I440FX, 0x80000000 | I440FX_PAM_DWORD0
        .long 0x000000ff, 0x33333000, 0x00000000, 0x33333333
        .long HOSTBRIDGE_Q35, 0x80000000 | Q35_PAM_DWORD0
        .long 0x00000000, 0x33333330, 0xff000000, 0x00333333
        .long 0

/****************************************************************
 * call32: real-mode interrupt -> 32-bit C handler
 ****************************************************************/

// Entry stub for vector handled in 32-bit C: saves the caller's registers
// as a struct bregs on its stack and calls handler(struct bregs *).
.macro ENTRY32 name, handler
        .section .text16, "ax"
        .code16
        .global \name
\name:
        pushal
        pushw %gs
        pushw %fs
        pushw %es
        pushw %ds
        movl $\handler, %ebx
        jmp call32_bregs
.endm

// Inputs: ebx = 32-bit handler; ss:sp -> struct bregs (caller's frame).
// Runs the handler on the call32 stack, or keeps the current stack when
// it already is inside the call32 stack (a nested call via call16).
// Returns to the caller with the registers from struct bregs (iret).
        .section .text16, "ax"
        .code16
call32_bregs:
        smsw %ax                        // CR0's low half: allowed in vm86
        testb $CR0_PE, %al
        jnz call32_refused
        cli
        cld
        movw %ss, %si
        movzwl %si, %esi
        movzwl %sp, %edi
        movl %esi, %eax
        shll $4, %eax
        addl %edi, %eax                 // eax = flat struct bregs
        movl $call32_stack_top, %edx
        cmpl $call32_stack, %eax
        jb 1f
        cmpl %edx, %eax
        jae 1f
        movl %eax, %edx
1:      REAL_TO_FLAT32 %ecx, call32_bregs32

        .section .text.visible32, "ax"
        .code32
call32_bregs32:
        LOAD_DATA_SEGS SEG32_DATA, %ecx, %cx
        movl %edx, %esp
        pushl %esi                      // caller ss
        pushl %edi                      // caller sp
        pushl %eax
        call *%ebx
        addl $4, %esp
        popl %edi
        popl %esi
        ljmpl $SEG16_CODE, $OFF16(call32_bregs_ret16)

        .section .text16, "ax"
        .code16
call32_bregs_ret16:
        LOAD_DATA_SEGS SEG16_DATA, %cx, %cx
        PM16_TO_REAL %ecx
        movw %si, %ss
        movl %edi, %esp
        POP_BREGS_IRET

// The caller runs in vm86 (DOS under EMM386, a DPMI host) or in 16-bit
// protected mode, where loading our GDT and CR0 would fault: the service
// fails as "not supported" (CF set, AH = 86h, every other register as
// the caller left it). The services vm86 callers need most run in 16-bit
// code and never get here (int 11h, 12h, 1Ah AH=00h-01h, below).
call32_refused:
        movw %sp, %bp                   // ss: the caller's frame
        movb $RET_UNSUPPORTED, BREGS_ah(%bp)
        orw $F_CF, BREGS_flags(%bp)
        POP_BREGS_IRET

/****************************************************************
 * call16: 32-bit C -> real mode
 ****************************************************************/

// void call16(struct bregs *regs, u32 stack)
// Enters real mode with every register from *regs and transfers to
// regs->cs:regs->ip with regs->flags, as if by an interrupt: the target
// returns with iret and the registers it leaves are stored back in *regs.
// stack == 0: the frame goes on the current stack (esp below 1 MiB).
// stack == (ss << 16 | sp): jump there with exactly that ss:sp; never
// returns (used to start a boot target).
// Clobbers: eax, ecx, edx (cdecl).
//
// void call16_far(struct bregs *regs)
// The same with a far call: the target returns with retf (option ROM
// entry points, boot entry vectors).
        .section .text, "ax"
        .code32
        .global call16, call16_far
call16:
        pushal
        movl $OFF16(call16_return16), %ebp
        movl 40(%esp), %eax             // stack
        jmp 0f
call16_far:
        pushal
        movl $OFF16(call16_return16_far), %ebp
        xorl %eax, %eax
0:      movl 36(%esp), %esi             // regs
        testl %eax, %eax
        jnz 1f
        movl %esp, %edi                 // return mode: frame goes below
        subl $4, %edi                   //   saved esp,
        movl %esp, (%edi)
        subl $6, %edi                   //   a return frame back to us
        movw %bp, (%edi)
        movw $BUILD_BIOS_SEG, 2(%edi)
        movw BREGS_flags(%esi), %cx
        movw %cx, 4(%edi)
        leal -BREGS_size(%edi), %ebx    // and the registers.
        xorl %ecx, %ecx                 // ss: 0 below 64 KiB, else chosen
        cmpl $0xffff, %ebx              //   so that sp is about 0xf000
        jbe 2f
        leal -0xf000(%ebx), %ecx
        shrl $4, %ecx
        jmp 2f
1:      movzwl %ax, %edi                // jump mode: frame below ss:sp
        shrl $16, %eax
        movl %eax, %ecx
        shll $4, %eax
        addl %eax, %edi
        leal -BREGS_size(%edi), %ebx
2:      movl %ebx, %edi                 // ebx = flat frame, ecx = ss
        movl %ecx, %edx
        movl $BREGS_size, %ecx
        rep movsb
        movl %edx, %ecx
        movl %ecx, %eax
        shll $4, %eax
        subl %eax, %ebx                 // ebx = sp
        ljmpl $SEG16_CODE, $OFF16(call16_enter16)

        .section .text16, "ax"
        .code16
call16_enter16:
        LOAD_DATA_SEGS SEG16_DATA, %ax, %ax
        PM16_TO_REAL %eax
        movw %cx, %ss
        movzwl %bx, %esp
        POP_BREGS_IRET

// The call16 target returned here with iret; ss:sp points at the saved
// esp.
call16_return16:
        pushfw
call16_return16_flags:                  // the target's flags on the stack
        pushw %cs
        pushw $0
        pushal
        pushw %gs
        pushw %fs
        pushw %es
        pushw %ds
        cli
        cld
        movw %ss, %ax
        movzwl %ax, %eax
        shll $4, %eax
        movzwl %sp, %ecx
        addl %ecx, %eax                 // eax = flat struct bregs
        REAL_TO_FLAT32 %ecx, call16_return32

// The call16_far target returned here with retf: the flags word of the
// return frame is still on the stack; replace it with the target's flags.
call16_return16_far:
        pushw %bp
        movw %sp, %bp
        pushfw
        popw 2(%bp)
        popw %bp
        jmp call16_return16_flags

        .section .text.visible32, "ax"
        .code32
call16_return32:
        LOAD_DATA_SEGS SEG32_DATA, %ecx, %cx
        movl BREGS_size(%eax), %esp     // the esp call16 saved
        movl 36(%esp), %edi             // regs
        movl %eax, %esi
        movl $BREGS_size - 6, %ecx      // all but the return frame,
        rep movsb
        movl 36(%esp), %edi             // then the flags the target left
        movw BREGS_flags(%eax), %cx
        movw %cx, BREGS_flags(%edi)
        popal
        ret

/****************************************************************
 * AP entry (SIPI target)
 ****************************************************************/

// Started by smp_setup()'s SIPI in real mode at CS:IP = xx00:0000: it must
// sit on a 4 KiB boundary (layout.ld puts .text16.ap first in .text16).
// Writes the BSP's MSR list (SmpMsrs: MTRRs, feature control), then
// records this CPU's APIC ID (x2APIC ID from CPUID 0Bh when available)
// in SmpApicIds[SmpCount++] and halts with interrupts off until the OS
// sends its own INIT-SIPI. Uses only 32-bit addressing: E-segment data is
// reached through ds = 0xe000 with 32-bit displacements.
        .section .text16.ap, "ax"
        .code16
        .global ap_entry
ap_entry:
        cli
        cld
        movw $(BUILD_BIOS_ADDR >> 4), %ax
        movw %ax, %ds
        xorl %ebx, %ebx
        xorl %esi, %esi                 // the BSP's MSR list, in order
1:      cmpl (SmpMsrCount - BUILD_BIOS_ADDR)(%ebx), %esi
        jae 2f
        imull $SMP_MSR_SIZE, %esi, %edi
        movl (SmpMsrs - BUILD_BIOS_ADDR)(%ebx, %edi), %ecx
        movl (SmpMsrs - BUILD_BIOS_ADDR + 4)(%ebx, %edi), %eax
        movl (SmpMsrs - BUILD_BIOS_ADDR + 8)(%ebx, %edi), %edx
        wrmsr
        incl %esi
        jmp 1b
2:      xorl %eax, %eax
        cpuid
        cmpl $0xb, %eax
        jb 3f
        movl $0xb, %eax
        xorl %ecx, %ecx
        cpuid                           // edx = x2APIC ID
        jmp 4f
3:      movl $1, %eax
        cpuid
        shrl $24, %ebx
        movl %ebx, %edx                 // edx = APIC ID
4:      xorl %ebx, %ebx
        movl $1, %eax
        lock xaddl %eax, (SmpCount - BUILD_BIOS_ADDR)(%ebx)
        cmpl $SMP_MAX_CPUS, %eax
        jae 5f
        movl %edx, (SmpApicIds - BUILD_BIOS_ADDR)(%ebx, %eax, 4)
5:      cli
        hlt
        jmp 5b

/****************************************************************
 * 16-bit interrupt handlers
 ****************************************************************/

        ENTRY32 entry_10, handle_10
        ENTRY32 entry_13, handle_13
        ENTRY32 entry_15, handle_15
        ENTRY32 entry_16, handle_16
        ENTRY32 entry_18, handle_18
        ENTRY32 entry_19, handle_19
        ENTRY32 entry_1a_rtc, handle_1a

        .section .text16, "ax"
        .code16

// Services that only read or write the BDA run here, with no mode
// switch: cheaper, and they work for vm86 callers (call32_refused).
        .global entry_11, entry_12, entry_1a

// int 11h: the equipment list (BDA 40:10) in ax.
entry_11:
        pushw %ds
        pushw $BDA_SEG
        popw %ds
        movw BDA_EQUIPMENT, %ax
        popw %ds
        iret

// int 12h: conventional memory in KiB (BDA 40:13) in ax.
entry_12:
        pushw %ds
        pushw $BDA_SEG
        popw %ds
        movw BDA_MEM_SIZE_KB, %ax
        popw %ds
        iret

// int 1Ah AH=00h: cx:dx = the tick count, al = the midnight flag, which
// reading clears. AH=01h: set the tick count from cx:dx, clear the flag,
// ah = 0. Both return with CF clear; the RTC functions (AH=02h and up)
// are 32-bit C (clock.c). IF is clear from the int, so IRQ 0 cannot
// change the count halfway.
entry_1a:
        cmpb $0x01, %ah
        ja entry_1a_rtc
        pushw %bp
        pushw %ds
        movw %sp, %bp
        andw $~F_CF, 8(%bp)             // the caller's flags: ds, bp, ip, cs
        pushw $BDA_SEG
        popw %ds
        testb %ah, %ah
        jnz 1f
        movw BDA_TICKS, %dx
        movw BDA_TICKS + 2, %cx
        movb BDA_MIDNIGHT, %al
        jmp 2f
1:      movw %dx, BDA_TICKS
        movw %cx, BDA_TICKS + 2
        movb $0, %ah
2:      movb $0, BDA_MIDNIGHT
        popw %ds
        popw %bp
        iret

// IRQ 0 (int 08h): count ticks in the BDA, wrap at midnight, chain to
// int 1Ch, acknowledge the PIC.
        .global entry_08
entry_08:
        pushw %ds
        pushl %eax
        movw $BDA_SEG, %ax
        movw %ax, %ds
        movl BDA_TICKS, %eax
        incl %eax
        cmpl $TICKS_PER_DAY, %eax
        jb 1f
        xorl %eax, %eax
        incb BDA_MIDNIGHT
1:      movl %eax, BDA_TICKS
        int $0x1c
        movb $PIC_EOI, %al
        outb %al, $PORT_PIC1_CMD
        popl %eax
        popw %ds
        iret

// IRQs nobody claimed: acknowledge them so the PIC does not stall.
        .global entry_irq_master, entry_irq_slave
entry_irq_slave:
        pushw %ax
        movb $PIC_EOI, %al
        outb %al, $PORT_PIC2_CMD
        outb %al, $PORT_PIC1_CMD
        popw %ax
        iret
entry_irq_master:
        pushw %ax
        movb $PIC_EOI, %al
        outb %al, $PORT_PIC1_CMD
        popw %ax
        iret

/****************************************************************
 * Fixed addresses F000:E05B-F000:FFFF
 ****************************************************************/

// The IBM PC/AT BIOS entry points and tables that old software reaches
// by absolute address. scripts/checkrom.py verifies each symbol below.
// .fixed starts at F000:E05B (BUILD_FIXED_BASE).
#define ORG(addr) .org (addr) - 0xe05b
// FIXED(addr) starts a piece of the fixed area that the reset path copies
// to RAM: copy_table gets [addr, end) where end is where the next FIXED()
// (or FIXED_LAST) starts, rounded up to a dword. ORG() inside a piece
// leaves a gap that is copied along; the gaps between pieces are not.
.macro FIXED_CLOSE
        .ifdef fixed_open
fixed_end\@:
        .pushsection .rodata.copy_table, 1
        .long fixed_end\@ + 3
        .popsection
        .endif
.endm
.macro FIXED addr
        FIXED_CLOSE
        ORG(\addr)
        .set fixed_open, 1
        .pushsection .rodata.copy_table, 1
        .long 0xf0000 + \addr
        .popsection
.endm

        .section .fixed, "ax"
        .code16
        .global fixed_post, fixed_int13_hd, fixed_int19, fixed_cfgtable
        .global fixed_int16, fixed_int09, fixed_int13_fd, fixed_fdparm
        .global fixed_int10, fixed_int12, fixed_int11, fixed_int15
        .global fixed_int1a, fixed_int08, fixed_iret, fixed_int05
        .global fixed_reset, fixed_date, fixed_model, fixed_int0e
        .global fixed_int14, fixed_int17, fixed_nmi, fixed_csum

        FIXED 0xe05b
fixed_post:
        jmp post_entry16
        FIXED 0xe2c3
fixed_nmi:
        iret
        FIXED 0xe3fe
fixed_int13_hd:
        jmp entry_13
        FIXED 0xe401                     // fixed disk parameter table:
        .fill 16, 1, 0                  //   none (no ST-506 drives)
        FIXED 0xe6f2
fixed_int19:
        jmp entry_19
        ORG(0xe6f5)                     // int 15h C0h configuration table
fixed_cfgtable:
        .word 8                         // bytes that follow
        .byte 0xfc                      // model: AT
        .byte 0x00                      // submodel
        .byte 0x01                      // BIOS revision
        .byte 0x70                      // feature 1: EBDA, int 15h 4Fh,
                                        //   RTC, second PIC
        .byte 0x40                      // feature 2: int 16h 09h
        .byte 0x00, 0x00, 0x00          // features 3-5
        FIXED 0xe729                     // baud rate divisors
        .word 0x0417, 0x0300, 0x0180, 0x00c0, 0x0060, 0x0030, 0x0018, 0x000c
        FIXED 0xe739
fixed_int14:
        iret
        FIXED 0xe82e
fixed_int16:
        jmp entry_16
        FIXED 0xe987
fixed_int09:
        jmp entry_irq_master
        FIXED 0xec59
fixed_int13_fd:
        jmp entry_13
        FIXED 0xef57
fixed_int0e:
        jmp entry_irq_master
        FIXED 0xefc7                     // diskette parameter table (1.44M)
fixed_fdparm:
        .byte 0xaf, 0x02, 0x25, 0x02, 0x12, 0x1b, 0xff, 0x6c, 0xf6, 0x0f
        .byte 0x08
        FIXED 0xefd2
fixed_int17:
        iret
        FIXED 0xf045                     // int 10h functions 0-Fh
        jmp entry_10
        FIXED 0xf065
fixed_int10:
        jmp entry_10
        FIXED 0xf841
fixed_int12:
        jmp entry_12
        FIXED 0xf84d
fixed_int11:
        jmp entry_11
        FIXED 0xf859
fixed_int15:
        jmp entry_15
        FIXED 0xfe6e
fixed_int1a:
        jmp entry_1a
        FIXED 0xfea5
fixed_int08:
        jmp entry_08
        FIXED 0xff53
fixed_iret:
        iret
fixed_int05:                            // print screen: nothing to print
        iret
        FIXED 0xfff0
fixed_reset:                            // CS base is 0xffff0000 here, so a
        jmp post_entry16                //   near jump stays in the flash
        ORG(0xfff5)
fixed_date:
        .ascii "11/29/26"
        ORG(0xfffe)
fixed_model:
        .byte 0xfc                      // PC/AT
fixed_csum:
        .byte 0                         // F-segment sums to 0 (checkrom.py)
        FIXED_CLOSE
