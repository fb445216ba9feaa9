// fwcfgdump: Multiboot 1 test kernel (32-bit) that dumps QEMU's fw_cfg
// files in hex on a second debugcon port, so a test can replay the ACPI
// linker-loader script on QEMU's own blobs and compare the result with
// guest memory (tests/qemu/test_acpi.py, tests/qemu/acpi_model.py).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// It runs after the BIOS has booted it (through QEMU's multiboot_dma.bin
// option ROM), so every fw_cfg file it reads is what QEMU offers after the
// BIOS ran the table-loader: e.g. etc/vmgenid_addr holds the address the
// BIOS wrote back. Output on REPORT_PORT (0x403), one record after the other:
//
//   FWCFGDUMP begin magic=<8 hex>
//   BLOB multiboot-mmap size=<8 hex>      (if the loader gave a memory map)
//   <hex lines, 32 bytes each>
//   END
//   FILE select=<4 hex> size=<8 hex> name=<name>
//   <hex lines>
//   END
//   FILE select=<4 hex> size=<8 hex> name=<name> skipped   (over the cap)
//   VMGENID addr=<16 hex>                 (if QEMU has etc/vmgenid_addr)
//   FWCFGDUMP done
//
// then it halts with interrupts off (it does not exit QEMU), so the test
// can read guest memory over QMP. Without fw_cfg it prints
// "FWCFGDUMP no-fwcfg" before "done". The VMGENID line repeats the 8
// bytes of etc/vmgenid_addr (also in its FILE record) as one number: the
// address the BIOS wrote back, where QEMU writes a new VM generation GUID.
//
// fw_cfg: QEMU docs/specs/fw_cfg.rst. Selector port 0x510 (16-bit), data
// port 0x511 (8-bit, auto-increment); key 0x19 is the file directory: be32
// count, then per file { be32 size; be16 select; be16 reserved;
// char name[56]; }.
// Multiboot Specification 0.6.96, 3.1 (header), 3.2 (machine state) and
// 3.3 (boot information: flags bit 6, mmap_length at 44, mmap_addr at 48).

#include "multiboot.h" // MULTIBOOT_HEADER, MB_BOOT_MAGIC

#define MBI_FLAG_MMAP           0x40
#define MBI_MMAP_LENGTH         44
#define MBI_MMAP_ADDR           48

#define REPORT_PORT             0x403
#define FW_CFG_PORT_SEL         0x510
#define FW_CFG_PORT_DATA        0x511
#define FW_CFG_SIGNATURE        0x0000
#define FW_CFG_FILE_DIR         0x0019
#define FW_CFG_QEMU             0x554d4551 // "QEMU" read as a LE dword

#define FILE_ENTRY_SIZE         64
#define FILE_SIZE               0
#define FILE_SELECT             4
#define FILE_NAME               8
#define MAX_FILES               256
#define MAX_DUMP_SIZE           0x100000 // larger files are listed only
#define BYTES_PER_LINE          32
#define STACK_SIZE              4096

        MULTIBOOT_HEADER MB_FLAG_MEMINFO

        .text
        .code32
        .global _start
_start:
        cli
        cld
        movl $stack_top, %esp
        movl %eax, boot_magic
        movl %ebx, boot_info
        leal s_begin, %eax
        call dbg_puts
        movl boot_magic, %eax
        call dbg_puthex32
        call dbg_newline
        call dump_mmap
        call fwcfg_probe
        jc 9f
        call read_directory
        call dump_files
        call vmgenid
        jmp 8f
9:      leal s_nofwcfg, %eax
        call dbg_puts
8:      leal s_done, %eax
        call dbg_puts
1:      cli
        hlt
        jmp 1b

// The multiboot memory map (the BIOS's E820 as the option ROM read it).
dump_mmap:
        cmpl $MB_BOOT_MAGIC, boot_magic
        jne 1f
        movl boot_info, %ebx
        testl $MBI_FLAG_MMAP, (%ebx)
        jz 1f
        leal s_mmap, %eax
        call dbg_puts
        movl MBI_MMAP_LENGTH(%ebx), %eax
        call dbg_puthex32
        call dbg_newline
        movl MBI_MMAP_ADDR(%ebx), %esi
        movl MBI_MMAP_LENGTH(%ebx), %ecx
        call hexmem
        leal s_end, %eax
        call dbg_puts
1:      ret

// CF set when there is no fw_cfg.
fwcfg_probe:
        movw $FW_CFG_SIGNATURE, %ax
        call fwcfg_select
        call fwcfg_read32
        cmpl $FW_CFG_QEMU, %eax
        jne 1f
        clc
        ret
1:      stc
        ret

// The directory into dir_buf, its entry count (capped) into file_count.
read_directory:
        movw $FW_CFG_FILE_DIR, %ax
        call fwcfg_select
        call fwcfg_read32
        bswapl %eax
        cmpl $MAX_FILES, %eax
        jbe 1f
        movl $MAX_FILES, %eax
1:      movl %eax, file_count
        movl %eax, %ecx
        shll $6, %ecx                   // * FILE_ENTRY_SIZE
        leal dir_buf, %edi
        movw $FW_CFG_PORT_DATA, %dx
        rep insb
        ret

// One FILE record per directory entry.
dump_files:
        leal dir_buf, %ebx
        movl file_count, %ebp
1:      testl %ebp, %ebp
        jz 4f
        leal s_file, %eax
        call dbg_puts
        call entry_select
        call dbg_puthex16
        leal s_size, %eax
        call dbg_puts
        call entry_size
        call dbg_puthex32
        leal s_name, %eax
        call dbg_puts
        leal FILE_NAME(%ebx), %eax
        call dbg_puts
        call entry_size
        cmpl $MAX_DUMP_SIZE, %eax
        jbe 2f
        leal s_skipped, %eax
        call dbg_puts
        jmp 3f
2:      call dbg_newline
        call entry_select
        call fwcfg_select
        call entry_size
        movl %eax, %ecx
        call hexstream
        leal s_end, %eax
        call dbg_puts
3:      addl $FILE_ENTRY_SIZE, %ebx
        decl %ebp
        jmp 1b
4:      ret

// ebx = directory entry; eax = its select key / size (host order).
entry_select:
        movzwl FILE_SELECT(%ebx), %eax
        xchgb %al, %ah
        ret
entry_size:
        movl FILE_SIZE(%ebx), %eax
        bswapl %eax
        ret

// Report etc/vmgenid_addr as one number.
vmgenid:
        leal dir_buf, %ebx
        movl file_count, %ebp
1:      testl %ebp, %ebp
        jz 9f
        leal FILE_NAME(%ebx), %esi
        leal s_vmgenid_addr, %edi
        call streq
        je 2f
        addl $FILE_ENTRY_SIZE, %ebx
        decl %ebp
        jmp 1b
2:      call entry_size
        cmpl $8, %eax
        jb 9f
        call entry_select
        call fwcfg_select
        call fwcfg_read32
        movl %eax, %ebx                 // low half
        call fwcfg_read32               // high half
        pushl %eax
        leal s_vmgenid, %eax
        call dbg_puts
        popl %eax
        call dbg_puthex32
        movl %ebx, %eax
        call dbg_puthex32
        call dbg_newline
9:      ret

// ax = key.
fwcfg_select:
        movw $FW_CFG_PORT_SEL, %dx
        outw %ax, %dx
        ret

// Four data bytes, first one lowest, in eax. Clobbers ecx, edx.
fwcfg_read32:
        movw $FW_CFG_PORT_DATA, %dx
        movl $4, %ecx
1:      inb %dx, %al
        rorl $8, %eax
        loop 1b
        ret

// Hex of ecx bytes, BYTES_PER_LINE per line: hexmem from esi (advanced
// past them), hexstream from the fw_cfg data port.
hexmem:
        pushl %edi
        movl $fetch_mem, %edi
        jmp 1f
hexstream:
        pushl %edi
        movl $fetch_port, %edi
1:      pushl %ebx
        xorl %ebx, %ebx
2:      testl %ecx, %ecx
        jz 4f
        call *%edi                      // al = the next byte
        call dbg_puthex8
        incl %ebx
        cmpl $BYTES_PER_LINE, %ebx
        jne 3f
        call dbg_newline
        xorl %ebx, %ebx
3:      decl %ecx
        jmp 2b
4:      testl %ebx, %ebx
        jz 5f
        call dbg_newline
5:      popl %ebx
        popl %edi
        ret

fetch_mem:
        lodsb
        ret

fetch_port:
        movw $FW_CFG_PORT_DATA, %dx
        inb %dx, %al
        ret

// ZF set when the NUL-terminated strings at esi and edi are equal.
streq:
1:      movb (%esi), %al
        cmpb (%edi), %al
        jne 2f
        incl %esi
        incl %edi
        testb %al, %al
        jnz 1b
2:      ret

#include "report.inc" // dbg_puts, dbg_newline, dbg_puthex32/16/8

        .section .rodata
s_begin:        .asciz "FWCFGDUMP begin magic="
s_mmap:         .asciz "BLOB multiboot-mmap size="
s_end:          .asciz "END\n"
s_file:         .asciz "FILE select="
s_size:         .asciz " size="
s_name:         .asciz " name="
s_skipped:      .asciz " skipped\n"
s_vmgenid_addr: .asciz "etc/vmgenid_addr"
s_vmgenid:      .asciz "VMGENID addr="
s_nofwcfg:      .asciz "FWCFGDUMP no-fwcfg\n"
s_done:         .asciz "FWCFGDUMP done\n"

        .data
        .balign 4
boot_magic:     .long 0
boot_info:      .long 0
file_count:     .long 0

        .bss
        .balign 16
dir_buf:        .skip MAX_FILES * FILE_ENTRY_SIZE
        .balign 16
stack:          .skip STACK_SIZE
stack_top:
        .section .note.GNU-stack, "", @progbits
