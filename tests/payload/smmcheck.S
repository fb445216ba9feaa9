// Multiboot 1 test kernel (32-bit) that attacks the firmware's SMM setup
// the way an OS could and reports on debugcon port 0x403: it tries to
// open SMRAM (D_OPEN; on Q35 also TSEG off), looks for the SMI handler's
// marker in the legacy window and in the last MiB below the top of low
// RAM (Q35 TSEG), and sends SMIs to every CPU with its own handler
// waiting at the default SMBASE entry (0x38000). With "smm.s3" on the
// command line it then suspends to S3 through the FADT's PM1a control
// block and, once the firmware jumps to the FACS waking vector, checks
// everything again. Exits QEMU through isa-debug-exit (port 0xf4) when
// done.
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Report lines (tests/qemu/test_smm.py parses them):
//   SMMCHECK phase=boot|resume bridge=<host bridge id> low_top=<addr>
//       smram=<reg> esmramc=<reg>|none closed=hidden|visible@<addr>
//       open=<SMRAM after writing D_OPEN> open_esmramc=<ESMRAMC after
//       clearing T_EN>|none opened=hidden|visible@<addr>
//       bsp_hijack=<n> ap_hijack=<n>
//   SMMCHECK suspending                 (or: SMMCHECK no-s3 ...)
//   SMMCHECK lowmem=intact|changed      (after resume: 0x38000, 0x3fe00)
//   SMMCHECK done
// smram=none when the host bridge is neither i440FX nor Q35; "hijack"
// counts SMIs our handler at 0x38000 saw: CPUs whose SMBASE the firmware
// left at 0x30000. Multiboot Specification 0.6.96; ACPI 6.5 5.2.5 (RSDP),
// 5.2.9 (FADT), 5.2.10 (FACS), PM1 control register (SLP_TYP, SLP_EN);
// Intel SDM vol. 3A, APIC chapter (ICR, SMI delivery mode 010b).

#include "multiboot.h" // MULTIBOOT_HEADER

#define MB_INFO_CMDLINE 0x00000004 // mbi flags: cmdline field valid
#define REPORT_PORT     0x403
#define PORT_EXIT       0xf4
#define PORT_CMOS_INDEX 0x70
#define PORT_CMOS_DATA  0x71
#define CMOS_MEM_16M_LOW  0x34
#define CMOS_MEM_16M_HIGH 0x35
#define PORT_PCI_CMD    0xcf8
#define PORT_PCI_DATA   0xcfc
#define BRIDGE_I440FX   0x12378086
#define BRIDGE_Q35      0x29c08086
#define I440FX_SMRAM    0x72
#define Q35_SMRAM       0x9d
#define Q35_ESMRAMC     0x9e
#define SMRAM_D_OPEN    0x40
#define ESMRAMC_T_EN    0x01
#define SMRAM_START     0xa0000
#define SMRAM_END       0xc0000
#define TSEG_SCAN       0x100000 // below the top of low RAM
#define LAPIC_ID        0xfee00020
#define LAPIC_ICR_LOW   0xfee00300
#define LAPIC_ICR_HIGH  0xfee00310
#define ICR_SMI         0x00000200
#define ICR_PENDING     0x00001000
#define ICR_ASSERT      0x00004000
#define ICR_ALL_BUT_SELF 0x000c0000
#define HIJACK_ENTRY    0x38000 // default SMBASE 0x30000 + 0x8000
#define SAVE_AREA       0x3fe00 // default SMBASE + 0xfe00: save state
#define SAVE_AREA_DWORDS 128
#define WAKE_ADDR       0x6000 // real-mode waking vector (CS 0x600, IP 0)
#define PM_TMR_DEFAULT  0x608 // ReefBIOS's PM base + 8, if no FADT
#define PM_TMR_MASK     0x00ffffff
#define TICKS_10MS      35795 // ACPI PM timer: 3.579545 MHz
#define TICKS_50MS      178977
#define SLP_S3          ((1 << 10) | (1 << 13)) // SLP_TYP 1 (QEMU's S3), SLP_EN
#define FADT_FIRMWARE_CTRL 36
#define FADT_PM1A_CNT   64
#define FADT_PM_TMR     76
#define FADT_X_FIRMWARE_CTRL 132
#define FACS_WAKING_VECTOR 12
#define FACS_X_WAKING_VECTOR 24
#define SEG_CODE        0x08
#define SEG_DATA        0x10

        MULTIBOOT_HEADER 0

// Flat data segments and our own stack (no stack may be trusted on
// entry or after resume). Clobbers eax.
.macro FLAT_SEGMENTS
        movl $SEG_DATA, %eax
        movw %ax, %ds
        movw %ax, %es
        movw %ax, %fs
        movw %ax, %gs
        movw %ax, %ss
        movl $stack_top, %esp
.endm

        .text
        .code32
        .global _start
_start:
        cli
        cld
        movl %ebx, mbi
        lgdt gdt_desc                   // ours: the resume path needs it
        ljmp $SEG_CODE, $1f
1:      FLAT_SEGMENTS
        call parse_cmdline
        call find_low_top
        call find_bridge
        call find_fadt
        call install_hijack
        movl $phase_boot, %eax
        call check
        cmpl $0, want_s3
        je 2f
        call suspend                    // returns only if it cannot
2:      jmp finish

// Entered from wake16 in 32-bit mode, our GDT loaded, after S3 resume.
// QEMU's wakeup is a reset, and a reset copies the -kernel image (this
// payload, a ROM blob to QEMU) into RAM again: .data is back to its
// initial values, so what we still need is found again.
resume32:
        FLAT_SEGMENTS
        call find_low_top
        call find_bridge
        call find_fadt
        movl $msg_lowmem, %eax
        call dbg_puts
        movl $msg_intact, %eax
        call lowmem_intact
        jz 1f
        movl $msg_changed, %eax
1:      call dbg_puts
        movl $phase_resume, %eax
        call check
finish:
        movl $msg_done, %eax
        call dbg_puts
        movb $0x10, %al                 // QEMU exits with status 33
        outb %al, $PORT_EXIT
3:      hlt
        jmp 3b

/****************************************************************
 * Discovery
 ****************************************************************/

// parse_cmdline: want_s3 = 1 if the multiboot command line holds
// "smm.s3". Clobbers eax, ecx, esi, edi.
parse_cmdline:
        movl mbi, %esi
        testl $MB_INFO_CMDLINE, (%esi)
        jz 3f
        movl 16(%esi), %esi             // cmdline
1:      movl $token_s3, %edi
        movl %esi, %ecx
2:      movb (%edi), %al
        testb %al, %al
        jz 4f                           // whole token matched
        cmpb (%ecx), %al
        jne 5f
        incl %ecx
        incl %edi
        jmp 2b
5:      cmpb $0, (%esi)
        je 3f
        incl %esi
        jmp 1b
4:      movl $1, want_s3
3:      ret

// find_low_top: low_top = end of RAM below 4 GiB, where QEMU's TSEG
// ends, from what QEMU writes to CMOS 34h/35h (RAM above 16 MiB in
// 64 KiB units): not from the BIOS, whose memory map leaves TSEG out.
// Clobbers eax, ecx.
find_low_top:
        movb $CMOS_MEM_16M_HIGH, %al
        outb %al, $PORT_CMOS_INDEX
        inb $PORT_CMOS_DATA, %al
        movzbl %al, %ecx
        shll $8, %ecx
        movb $CMOS_MEM_16M_LOW, %al
        outb %al, $PORT_CMOS_INDEX
        inb $PORT_CMOS_DATA, %al
        movb %al, %cl
        shll $16, %ecx
        addl $0x1000000, %ecx
        movl %ecx, low_top
        ret

// find_bridge: bridge_id and smram_reg (0 if the chipset is unknown).
// Clobbers eax, edx.
find_bridge:
        movl $0x80000000, %eax
        movw $PORT_PCI_CMD, %dx
        outl %eax, %dx
        movw $PORT_PCI_DATA, %dx
        inl %dx, %eax
        movl %eax, bridge_id
        movl $I440FX_SMRAM, smram_reg
        cmpl $BRIDGE_I440FX, %eax
        je 1f
        movl $Q35_SMRAM, smram_reg
        cmpl $BRIDGE_Q35, %eax
        je 1f
        movl $0, smram_reg
1:      ret

// find_fadt: facs, pm1a_cnt and pm_tmr from RSDP -> RSDT -> FACP; facs
// stays 0 if any step fails. Clobbers eax, ebx, ecx, esi.
find_fadt:
        movl $PM_TMR_DEFAULT, pm_tmr
        movl $0xe0000, %esi
1:      cmpl $0x20445352, (%esi)        // "RSD "
        jne 2f
        cmpl $0x20525450, 4(%esi)       // "PTR "
        je 3f
2:      addl $16, %esi
        cmpl $0x100000, %esi
        jb 1b
        ret
3:      movl 16(%esi), %esi             // RSDT
        cmpl $0x54445352, (%esi)        // "RSDT"
        jne 9f
        movl 4(%esi), %ecx              // length
        addl %esi, %ecx
        leal 36(%esi), %ebx             // entries
4:      cmpl %ecx, %ebx
        jae 9f
        movl (%ebx), %eax
        cmpl $0x50434146, (%eax)        // "FACP"
        je 5f
        addl $4, %ebx
        jmp 4b
5:      movl FADT_PM_TMR(%eax), %ecx
        testl %ecx, %ecx
        jz 6f
        movl %ecx, pm_tmr
6:      movl FADT_PM1A_CNT(%eax), %ecx
        movl %ecx, pm1a_cnt
        movl FADT_FIRMWARE_CTRL(%eax), %ecx
        testl %ecx, %ecx
        jnz 7f
        cmpl $FADT_X_FIRMWARE_CTRL + 8, 4(%eax)
        jb 9f
        movl FADT_X_FIRMWARE_CTRL(%eax), %ecx
7:      cmpl $0x53434146, (%ecx)        // "FACS"
        jne 9f
        movl %ecx, facs
9:      ret

/****************************************************************
 * The checks
 ****************************************************************/

// install_hijack: our SMI handler at the default entry, a pattern over
// the default save state. Clobbers eax, ecx, esi, edi.
install_hijack:
        movl $hijack_start, %esi
        movl $HIJACK_ENTRY, %edi
        movl $hijack_end - hijack_start, %ecx
        rep movsb
        movl $SAVE_AREA, %edi
        xorl %ecx, %ecx
1:      leal 0x5a5a0000(%ecx), %eax
        stosl
        incl %ecx
        cmpl $SAVE_AREA_DWORDS, %ecx
        jb 1b
        ret

// lowmem_intact: ZF set when 0x38000 and 0x3fe00 still hold what
// install_hijack put there. Keeps eax. Clobbers ecx, esi, edi.
lowmem_intact:
        pushl %eax
        movl $hijack_start, %esi
        movl $HIJACK_ENTRY, %edi
        movl $hijack_end - hijack_start, %ecx
        repe cmpsb
        jne 2f
        movl $SAVE_AREA, %edi
        xorl %ecx, %ecx
1:      leal 0x5a5a0000(%ecx), %eax
        scasl
        jne 2f
        incl %ecx
        cmpl $SAVE_AREA_DWORDS, %ecx
        jb 1b
2:      popl %eax
        ret

// check: one report line for phase name eax. Clobbers everything but
// esp and ebp.
check:
        pushl %eax
        movl $msg_phase, %eax
        call dbg_puts
        popl %eax
        call dbg_puts
        movl $msg_bridge, %eax
        call dbg_puts
        movl bridge_id, %eax
        call dbg_puthex32
        movl $msg_low_top, %eax
        call dbg_puts
        movl low_top, %eax
        call dbg_puthex32
        movl $msg_smram, %eax
        call dbg_puts
        cmpl $0, smram_reg
        jne 1f
        movl $msg_none, %eax
        call dbg_puts
        jmp 2f
1:      movl smram_reg, %ecx
        call cfg_readb
        movb %al, saved_smram
        call dbg_puthex8
        movl $msg_esmramc, %eax
        call dbg_puts
        call esmramc_print
        movb %al, saved_esmramc
        movl $msg_closed, %eax
        call dbg_puts
        call report_marker
        movl $msg_open, %eax            // the attack: D_OPEN, TSEG off
        call dbg_puts
        movb saved_smram, %al
        orb $SMRAM_D_OPEN, %al
        movl smram_reg, %ecx
        call cfg_writeb
        cmpl $Q35_SMRAM, smram_reg
        jne 3f
        movb saved_esmramc, %al
        andb $~ESMRAMC_T_EN, %al
        movl $Q35_ESMRAMC, %ecx
        call cfg_writeb
3:      movl smram_reg, %ecx
        call cfg_readb
        call dbg_puthex8
        movl $msg_open_esmramc, %eax
        call dbg_puts
        call esmramc_print
        movl $msg_opened, %eax
        call dbg_puts
        call report_marker
        movb saved_smram, %al           // as it was
        movl smram_reg, %ecx
        call cfg_writeb
        cmpl $Q35_SMRAM, smram_reg
        jne 2f
        movb saved_esmramc, %al
        movl $Q35_ESMRAMC, %ecx
        call cfg_writeb
2:      movl $msg_bsp, %eax
        call dbg_puts
        movl LAPIC_ID, %edx             // physical destination: ourself
        andl $0xff000000, %edx
        movl $ICR_SMI | ICR_ASSERT, %eax
        movl $TICKS_10MS, %ecx
        call hijack_test
        movl $msg_ap, %eax
        call dbg_puts
        xorl %edx, %edx
        movl $ICR_SMI | ICR_ASSERT | ICR_ALL_BUT_SELF, %eax
        movl $TICKS_50MS, %ecx
        call hijack_test
        movb $'\n', %al
        jmp dbg_putc

// hijack_test: send the SMI IPI (eax = ICR low, edx = ICR high), wait
// ecx PM timer ticks, print how many SMIs our handler at 0x38000 took.
// Clobbers everything but esp and ebp.
hijack_test:
        movl $0, HIJACK_ENTRY + hijack_count - hijack_start
        movl %edx, LAPIC_ICR_HIGH
        movl %eax, LAPIC_ICR_LOW
1:      testl $ICR_PENDING, LAPIC_ICR_LOW
        jnz 1b
        movl %ecx, %ebx
        movw pm_tmr, %dx
        inl %dx, %eax
        movl %eax, %esi
2:      inl %dx, %eax
        subl %esi, %eax
        andl $PM_TMR_MASK, %eax
        cmpl %ebx, %eax
        jb 2b
        movl HIJACK_ENTRY + hijack_count - hijack_start, %eax
        movl $0, HIJACK_ENTRY + hijack_count - hijack_start
        jmp putdec

// esmramc_print: on Q35 print ESMRAMC and return it in al, else print
// "none". Clobbers eax-edx.
esmramc_print:
        cmpl $Q35_SMRAM, smram_reg
        je 1f
        movl $msg_none, %eax
        jmp dbg_puts
1:      movl $Q35_ESMRAMC, %ecx
        call cfg_readb
        pushl %eax
        call dbg_puthex8
        popl %eax
        ret

// cfg_readb: al = host bridge config byte ecx. Clobbers eax, edx.
cfg_readb:
        call cfg_select
        inb %dx, %al
        ret

// cfg_writeb: host bridge config byte ecx = al. Clobbers edx.
cfg_writeb:
        pushl %eax
        call cfg_select
        popl %eax
        outb %al, %dx
        ret

// cfg_select: config address of 00:00.0 byte ecx; dx = its data port.
// Clobbers eax.
cfg_select:
        movl %ecx, %eax
        andl $0xfc, %eax
        orl $0x80000000, %eax
        movw $PORT_PCI_CMD, %dx
        outl %eax, %dx
        movl %ecx, %edx
        andl $3, %edx
        addl $PORT_PCI_DATA, %edx
        ret

// report_marker: print "hidden", or "visible@<addr>" if the SMI handler
// marker is readable in the legacy window or in the last MiB below
// low_top (8-byte aligned: the firmware keeps it so). Clobbers eax-edx,
// esi, edi.
report_marker:
        movl $SMRAM_START, %esi
        movl $SMRAM_END, %edi
        call find_marker
        jnc 3f
        movl low_top, %edi
        cmpl $TSEG_SCAN, %edi
        jb 2f
        leal -TSEG_SCAN(%edi), %esi
        call find_marker
        jnc 3f
2:      movl $msg_hidden, %eax
        jmp dbg_puts
3:      movl $msg_visible, %eax
        call dbg_puts
        movl %esi, %eax
        jmp dbg_puthex32

// find_marker: CF clear and esi = its address if the marker is in
// [esi, edi); CF set if not. Clobbers ebx, ecx.
find_marker:
        movl marker, %ebx
        movl marker + 4, %ecx
1:      cmpl %ebx, (%esi)
        jne 2f
        cmpl %ecx, 4(%esi)
        jne 2f
        clc
        ret
2:      addl $8, %esi
        cmpl %edi, %esi
        jb 1b
        stc
        ret

/****************************************************************
 * S3
 ****************************************************************/

// suspend: waking vector -> wake16 at WAKE_ADDR, then SLP_TYP S3 and
// SLP_EN. Returns (after a report line) only if there is no FACS or
// PM1a control block.
suspend:
        cmpl $0, facs
        je 1f
        cmpl $0, pm1a_cnt
        je 1f
        movl $wake16_start, %esi
        movl $WAKE_ADDR, %edi
        movl $wake16_end - wake16_start, %ecx
        rep movsb
        movl facs, %ebx
        movl $WAKE_ADDR, FACS_WAKING_VECTOR(%ebx)
        movl $0, FACS_X_WAKING_VECTOR(%ebx)
        movl $0, FACS_X_WAKING_VECTOR + 4(%ebx)
        movl $msg_suspending, %eax
        call dbg_puts
        movw pm1a_cnt, %dx
        movw $SLP_S3, %ax
        outw %ax, %dx
2:      hlt                             // QEMU stops us here
        jmp 2b
1:      movl $msg_no_s3, %eax
        jmp dbg_puts

/****************************************************************
 * Output
 ****************************************************************/

#include "report.inc" // dbg_puts, dbg_putc, dbg_puthex32, dbg_puthex8

// putdec: eax in decimal. Clobbers eax-edx, esi.
putdec:
        movl $decbuf_end, %esi
        movl $10, %ebx
1:      xorl %edx, %edx
        divl %ebx
        addb $'0', %dl
        decl %esi
        movb %dl, (%esi)
        testl %eax, %eax
        jnz 1b
        movl %esi, %eax
        jmp dbg_puts

/****************************************************************
 * Code copied to low memory
 ****************************************************************/

        .section .rodata

// Our SMI handler for CPUs still at SMBASE 0x30000 (CS base 0x30000,
// IP 0x8000): count, return. The count is at a fixed CS offset.
        .code16
        .balign 4
hijack_start:
        lock incl %cs:(0x8000 + hijack_count - hijack_start)
        rsm
        .balign 4
hijack_count:
        .long 0
hijack_end:

// The S3 waking vector (real mode, CS = WAKE_ADDR >> 4, IP = 0): load
// our GDT (its descriptor is part of this copy), enter 32-bit mode at
// resume32.
        .balign 4
wake16_start:
        cli
        cld
        lgdtl %cs:(wake16_gdt_desc - wake16_start)
        movl %cr0, %eax
        orl $1, %eax
        movl %eax, %cr0
        ljmpl $SEG_CODE, $resume32
wake16_gdt_desc:
        .word gdt_end - gdt - 1
        .long gdt
wake16_end:
        .code32

        .balign 8
gdt:
        .quad 0
        .quad 0x00cf9b000000ffff        // SEG_CODE: flat 32-bit
        .quad 0x00cf93000000ffff        // SEG_DATA: flat
gdt_end:
gdt_desc:
        .word gdt_end - gdt - 1
        .long gdt

marker:         .ascii "REEF-SMI"       // src/fw/smm.h SMM_MARKER
token_s3:       .asciz "smm.s3"
phase_boot:     .asciz "boot"
phase_resume:   .asciz "resume"
msg_phase:      .asciz "SMMCHECK phase="
msg_bridge:     .asciz " bridge="
msg_smram:      .asciz " smram="
msg_none:       .asciz "none"
msg_low_top:    .asciz " low_top="
msg_esmramc:    .asciz " esmramc="
msg_open_esmramc: .asciz " open_esmramc="
msg_closed:     .asciz " closed="
msg_open:       .asciz " open="
msg_opened:     .asciz " opened="
msg_hidden:     .asciz "hidden"
msg_visible:    .asciz "visible@"
msg_bsp:        .asciz " bsp_hijack="
msg_ap:         .asciz " ap_hijack="
msg_suspending: .asciz "SMMCHECK suspending\n"
msg_no_s3:      .asciz "SMMCHECK no-s3 (no facs or pm1a control block)\n"
msg_lowmem:     .asciz "SMMCHECK lowmem="
msg_intact:     .asciz "intact\n"
msg_changed:    .asciz "changed\n"
msg_done:       .asciz "SMMCHECK done\n"

        .data
        .balign 4
mbi:            .long 0
want_s3:        .long 0
bridge_id:      .long 0
smram_reg:      .long 0
pm_tmr:         .long 0
pm1a_cnt:       .long 0
facs:           .long 0
saved_smram:    .long 0
saved_esmramc:  .long 0
low_top:        .long 0
decbuf:         .skip 12
decbuf_end:     .byte 0
        .balign 16
stack:          .skip 4096              // in .data: no bss to clear
stack_top:

        .section .note.GNU-stack, "", @progbits
