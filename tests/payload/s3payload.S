// Multiboot 1 test payload (32-bit) for the BIOS's S3 resume path.
//
// It reports itself and the CMOS shutdown status on the debug port, finds
// the ACPI PM I/O base the BIOS programmed and writes SLP_TYP = S3 |
// SLP_EN to PM1a_CNT. What happens on wakeup depends on its command line:
//
// - default: the FACS waking vectors stay zero, so the BIOS has nowhere
//   to go and must reboot; the test counts this payload's boot lines.
// - "wake": before suspending it prints the BSP's MTRR MSRs, makes the
//   FACS version 2 and sets X_FIRMWARE_WAKING_VECTOR to wake32 below
//   (32-bit flat entry, ACPI 6.5 5.2.10). After wakeup it prints the BSP's
//   MTRRs again, then has every AP (halted by the BIOS's resume path with
//   interrupts off) read its own through an NMI whose real-mode handler
//   (nmi_stub, copied to STUB_BASE) stores the values, and prints those:
//   what the BIOS restored, before any OS could touch them. Then it exits
//   QEMU through isa-debug-exit (status 3), or halts without that device.
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Debug-port lines (0x402):
//   S3PAYLOAD boot cmos-shutdown=XX pm-base=XXXX
//   S3PAYLOAD msrs when=boot cpu=bsp 2ff=<16 hex> 200=<16 hex> ...   (wake)
//   S3PAYLOAD suspend pm1a-cnt=XXXX
//   S3PAYLOAD still running              (only if the CPU was not stopped)
//   S3PAYLOAD woke                                                    (wake)
//   S3PAYLOAD msrs when=wake cpu=bsp ...                              (wake)
//   S3PAYLOAD msrs when=wake cpu=ap ...  (or "S3PAYLOAD ap timeout")  (wake)
//   S3PAYLOAD wake done                                               (wake)
//
// References: Multiboot Specification 0.6.96, 3.1-3.3; ACPI 6.5 4.8.3.2.1
// (PM1 control: SLP_TYP bits 12:10, SLP_EN bit 13), 5.2.5 (RSDP), 5.2.9
// (FADT FIRMWARE_CTRL at 36), 5.2.10 (FACS); QEMU's DSDT gives \_S3 = 1.
// PM base: i440FX PIIX4 PM 00:01.3 PMBA (0x40), Q35 ICH9 LPC 00:1f.0
// PMBASE (0x40), base in bits 15:6. Local APIC ICR: Intel SDM vol. 3A
// 10.6.1 (NMI delivery mode, "all excluding self" shorthand).

#include "multiboot.h" // MULTIBOOT_HEADER

#define MB_INFO_CMDLINE (1 << 2)
#define REPORT_PORT     0x402
#define PORT_EXIT       0xf4
#define PORT_CMOS_INDEX 0x70
#define PORT_CMOS_DATA  0x71
#define CMOS_SHUTDOWN   0x0f
#define PORT_PCI_CMD    0xcf8
#define PORT_PCI_DATA   0xcfc
#define PCI_HOST_ID     0x80000000      // 00:00.0 register 0
#define Q35_HOST_ID     0x29c08086
#define ICH9_PMBASE     0x8000f840      // 00:1f.0 register 0x40
#define PIIX4_PMBA      0x80000b40      // 00:01.3 register 0x40
#define PM_BASE_MASK    0xffc0
#define PM1A_CNT        4               // offset in the PM block
#define SLP_TYP_S3      (1 << 10)
#define SLP_EN          (1 << 13)
#define SPIN_LOOPS      200000000       // well past QEMU pausing the CPU
#define BIOS_AREA       0xe0000         // the RSDP is in 0xe0000-0xfffff
#define BIOS_AREA_END   0x100000
#define RSDP_RSDT       16
#define SDT_LENGTH      4
#define SDT_HEADER      36
#define FADT_FACS       36
#define FACS_WAKE       12
#define FACS_X_WAKE     24
#define FACS_VERSION    32
#define STUB_BASE       0x7000          // below 1 MiB, free for an OS
#define IVT_NMI         (2 * 4)
#define APIC_ICR_LO     0xfee00300
#define APIC_ICR_HI     0xfee00310
#define ICR_BUSY        (1 << 12)
#define ICR_NMI_OTHERS  0x000c4400      // all excluding self, NMI, assert
#define AP_WAIT_LOOPS   100000000
#define MSR_BYTES       8

        MULTIBOOT_HEADER 0

        .text
        .code32
        .global _start
_start:
        cli
        movl $stack_top, %esp           // Multiboot leaves esp undefined
        movl %ebx, %ebp                 // multiboot information
        leal msg_boot, %eax
        call dbg_puts
        movb $CMOS_SHUTDOWN, %al
        outb %al, $PORT_CMOS_INDEX
        inb $PORT_CMOS_DATA, %al
        movzbl %al, %eax
        movl $2, %ecx
        call dbg_puthex
        // PM base: which register depends on the host bridge.
        movl $PCI_HOST_ID, %eax
        call pci_read
        movl $PIIX4_PMBA, %ebx
        cmpl $Q35_HOST_ID, %eax
        jne 1f
        movl $ICH9_PMBASE, %ebx
1:      movl %ebx, %eax
        call pci_read
        andl $PM_BASE_MASK, %eax
        movl %eax, %edi                 // PM base
        leal msg_pm, %eax
        call dbg_puts
        movl %edi, %eax
        movl $4, %ecx
        call dbg_puthex
        leal msg_nl, %eax
        call dbg_puts

        call wake_wanted
        testl %eax, %eax
        jz 2f
        call set_waking_vector
        testl %eax, %eax
        jz 2f
        leal msg_msrs_boot, %eax
        call dbg_puts
        call print_own_msrs

2:      leal msg_suspend, %eax
        call dbg_puts
        leal PM1A_CNT(%edi), %edx
        inw %dx, %ax
        andw $~(7 << 10), %ax           // keep SCI_EN and the rest
        orw $(SLP_TYP_S3 | SLP_EN), %ax
        movzwl %ax, %esi
        movl %esi, %eax
        movl $4, %ecx
        call dbg_puthex
        leal msg_nl, %eax
        call dbg_puts
        leal PM1A_CNT(%edi), %edx
        movw %si, %ax
        outw %ax, %dx

        // QEMU stops the CPU once its main loop sees the request; only if
        // that never happens do we get to say so.
        movl $SPIN_LOOPS, %ecx
3:      loop 3b
        leal msg_running, %eax
        call dbg_puts
halt:   cli
        hlt
        jmp halt

// wake_wanted: eax = 1 if the Multiboot command line has "wake".
wake_wanted:
        xorl %eax, %eax
        testl $MB_INFO_CMDLINE, (%ebp)
        jz 6f
        movl 16(%ebp), %edx             // the command line
4:      movb (%edx), %cl
        testb %cl, %cl
        jz 6f
        cmpl $0x656b6177, (%edx)        // "wake"
        je 5f
        incl %edx
        jmp 4b
5:      incl %eax
6:      ret

// set_waking_vector: find the FACS (RSDP -> RSDT -> FACP), make it version
// 2 with X_FIRMWARE_WAKING_VECTOR = wake32; eax = 0 if there is none.
set_waking_vector:
        movl $BIOS_AREA, %edx
7:      cmpl $0x20445352, (%edx)        // "RSD "
        jne 8f
        cmpl $0x20525450, 4(%edx)       // "PTR "
        je 9f
8:      addl $16, %edx
        cmpl $BIOS_AREA_END, %edx
        jb 7b
        jmp 12f
9:      movl RSDP_RSDT(%edx), %edx      // RSDT
        movl SDT_LENGTH(%edx), %ecx
        leal (%edx, %ecx), %ecx         // end of its entries
        addl $SDT_HEADER, %edx
10:     cmpl %ecx, %edx
        jae 12f
        movl (%edx), %eax
        cmpl $0x50434146, (%eax)        // "FACP"
        je 11f
        addl $4, %edx
        jmp 10b
11:     movl FADT_FACS(%eax), %edx      // FACS
        cmpl $0x53434146, (%edx)        // "FACS"
        jne 12f
        movl $0, FACS_WAKE(%edx)
        movl $wake32, FACS_X_WAKE(%edx)
        movl $0, FACS_X_WAKE + 4(%edx)
        movb $2, FACS_VERSION(%edx)
        pushl %edx
        leal msg_facs, %eax
        call dbg_puts
        popl %eax
        movl $8, %ecx
        call dbg_puthex
        leal msg_nl, %eax
        call dbg_puts
        movl $1, %eax
        ret
12:     leal msg_no_facs, %eax
        call dbg_puts
        xorl %eax, %eax
        ret

// wake32: the BIOS's 32-bit waking vector (flat, paging off).
wake32:
        cli
        movl $stack_top, %esp
        leal msg_woke, %eax
        call dbg_puts
        leal msg_msrs_wake_bsp, %eax
        call dbg_puts
        call print_own_msrs

        // Every AP: NMI into nmi_stub, which stores its MSRs for us.
        movl $nmi_stub, %esi
        movl $STUB_BASE, %edi
        movl $(stub_end - nmi_stub), %ecx
        cld
        rep movsb
        movl $((STUB_BASE >> 4) << 16), IVT_NMI  // STUB_BASE>>4 : 0000
        movl $APIC_ICR_LO, %ebx
13:     testl $ICR_BUSY, (%ebx)
        jnz 13b
        movl $0, APIC_ICR_HI
        movl $ICR_NMI_OTHERS, (%ebx)
        movl $AP_WAIT_LOOPS, %ecx
14:     cmpl $0, STUB_BASE + (stub_done - nmi_stub)
        jne 15f
        loop 14b
        leal msg_ap_timeout, %eax
        call dbg_puts
        jmp 16f
15:     leal msg_msrs_wake_ap, %eax
        call dbg_puts
        movl $(STUB_BASE + (stub_values - nmi_stub)), %esi
        call print_msr_values
16:     leal msg_wake_done, %eax
        call dbg_puts
        movb $1, %al
        outb %al, $PORT_EXIT
        jmp halt

// print_own_msrs: rdmsr each MSR of stub_msrs on this CPU and print
// " IDX=<16 hex>" each, then a newline. Clobbers eax-edx, esi.
print_own_msrs:
        movl $stub_msrs, %esi
17:     movl (%esi), %ecx
        testl %ecx, %ecx
        jz 18f
        rdmsr
        pushl %eax
        pushl %edx
        movl %ecx, %eax
        call print_index
        popl %eax                       // high half
        movl $8, %ecx
        call dbg_puthex
        popl %eax                       // low half
        movl $8, %ecx
        call dbg_puthex
        addl $4, %esi
        jmp 17b
18:     leal msg_nl, %eax
        jmp dbg_puts

// print_msr_values: esi = values (low, high dwords) in stub_msrs order.
print_msr_values:
        movl $stub_msrs, %edi
19:     movl (%edi), %eax
        testl %eax, %eax
        jz 18b
        call print_index
        movl 4(%esi), %eax
        movl $8, %ecx
        call dbg_puthex
        movl (%esi), %eax
        movl $8, %ecx
        call dbg_puthex
        addl $4, %edi
        addl $MSR_BYTES, %esi
        jmp 19b

// print_index: " XXX=" for MSR eax (3 hex digits). Clobbers eax, ecx, edx.
print_index:
        pushl %eax
        leal msg_space, %eax
        call dbg_puts
        popl %eax
        movl $3, %ecx
        call dbg_puthex
        leal msg_equals, %eax
        jmp dbg_puts

// pci_read: eax = config address (bit 31 set), returns the dword in eax.
// Clobbers edx.
pci_read:
        movw $PORT_PCI_CMD, %dx
        outl %eax, %dx
        movw $PORT_PCI_DATA, %dx
        inl %dx, %eax
        ret

#include "report.inc" // dbg_puts, dbg_puthex

// The AP's NMI handler, copied to STUB_BASE and entered in real mode at
// (STUB_BASE >> 4):0000 from the BIOS's AP halt loop: store each MSR of
// stub_msrs, set stub_done, halt for good. No stack needed beyond the
// NMI frame.
        .code16
nmi_stub:
        cli
        movw %cs, %ax
        movw %ax, %ds
        movw $(stub_msrs - nmi_stub), %si
        movw $(stub_values - nmi_stub), %di
23:     movl (%si), %ecx
        testl %ecx, %ecx
        jz 24f
        rdmsr
        movl %eax, (%di)
        movl %edx, 4(%di)
        addw $4, %si
        addw $MSR_BYTES, %di
        jmp 23b
24:     movl $1, (stub_done - nmi_stub)
25:     cli
        hlt
        jmp 25b
        .balign 4
stub_done:
        .long 0
// MTRRdefType, the 8 variable range pairs, the 11 fixed ranges; 0 ends.
stub_msrs:
        .long 0x2ff
        .long 0x200, 0x201, 0x202, 0x203, 0x204, 0x205, 0x206, 0x207
        .long 0x208, 0x209, 0x20a, 0x20b, 0x20c, 0x20d, 0x20e, 0x20f
        .long 0x250, 0x258, 0x259
        .long 0x268, 0x269, 0x26a, 0x26b, 0x26c, 0x26d, 0x26e, 0x26f
        .long 0
stub_values:
        .space 28 * MSR_BYTES
stub_end:
        .code32

        .section .rodata
msg_boot:    .asciz "S3PAYLOAD boot cmos-shutdown="
msg_pm:      .asciz " pm-base="
msg_suspend: .asciz "S3PAYLOAD suspend pm1a-cnt="
msg_nl:      .asciz "\n"
msg_running: .asciz "S3PAYLOAD still running\n"
msg_facs:    .asciz "S3PAYLOAD x-waking-vector set, facs="
msg_no_facs: .asciz "S3PAYLOAD no facs\n"
msg_msrs_boot: .asciz "S3PAYLOAD msrs when=boot cpu=bsp"
msg_woke:    .asciz "S3PAYLOAD woke\n"
msg_msrs_wake_bsp: .asciz "S3PAYLOAD msrs when=wake cpu=bsp"
msg_msrs_wake_ap: .asciz "S3PAYLOAD msrs when=wake cpu=ap"
msg_ap_timeout: .asciz "S3PAYLOAD ap timeout\n"
msg_wake_done: .asciz "S3PAYLOAD wake done\n"
msg_space:   .asciz " "
msg_equals:  .asciz "="

        .data
        .balign 16
        .space 1024
stack_top:
        .section .note.GNU-stack, "", @progbits
