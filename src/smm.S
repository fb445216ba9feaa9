// SMI handlers (16-bit assembler): copied into RAM by src/fw/smm.c and
// never run where they are linked.
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Both blobs are data (.rodata.smm) to the linker and the mode checker:
// nothing calls them; a CPU enters one after an SMI, at SMBASE + 8000h.
// SMM's initial state (Intel SDM vol. 3C, "System Management Mode",
// processor state on entry): real-address-like mode, CS base = SMBASE,
// IP = 8000h, DS/ES/SS base 0, every limit 4 GiB, IF clear, NMIs
// blocked. The handlers use no stack and reach their own data relative
// to CS (REL()), so one copy works at any SMBASE; RSM restores every
// register and flag from the save state.

#include "fw/smm.h"

        .section .note.GNU-stack, "", @progbits

// Offset of sym from CS once the blob starting at start sits at
// SMBASE + 8000h.
#define REL(start, sym) (SMM_ENTRY + (sym) - (start))

        .section .rodata.smm, "a"
        .code16

/****************************************************************
 * Relocation handler
 ****************************************************************/

// Runs once per CPU at the default entry point, 0x38000 (SMBASE 0x30000).
// Inputs in smm_reloc_data (struct smm_reloc_data in smm.c): the new
// SMBASE, and a flat address inside SMRAM with the value the BSP stored
// there through the open window. Only when SMM reads that value back
// (SMM really sees SMRAM) does it write the new SMBASE into the save
// state, at 7EF8h or 7F00h from SMBASE + 8000h depending on the map the
// revision ID names. Outputs: the revision ID, then the status (written
// last: the BSP polls it). Clobbers nothing that RSM does not restore.
        .global smm_reloc_start, smm_reloc_data, smm_reloc_end
        .balign 16
smm_reloc_start:
        movl %cs:REL(smm_reloc_start, reloc_check_addr), %esi
        addr32 movl (%esi), %eax        // flat read: DS base 0, 4 GiB
        movl $SMM_RELOC_NO_SMRAM, %ebx
        cmpl %cs:REL(smm_reloc_start, reloc_check_value), %eax
        jne 3f
        movl %cs:SMM_SAVE_REVISION, %edx
        movl %edx, %cs:REL(smm_reloc_start, reloc_revision)
        movl $SMM_RELOC_NO_SUPPORT, %ebx
        testl $SMM_REVISION_RELOC, %edx
        jz 3f
        movl %cs:REL(smm_reloc_start, reloc_smbase), %eax
        cmpw $SMM_REVISION_AMD64, %dx
        je 1f
        movl %eax, %cs:SMM_SAVE_SMBASE32
        jmp 2f
1:      movl %eax, %cs:SMM_SAVE_SMBASE64
2:      movl $SMM_RELOC_DONE, %ebx
3:      movl %ebx, %cs:REL(smm_reloc_start, reloc_status)
        rsm

        .balign 4
smm_reloc_data:
reloc_smbase:           .long 0
reloc_check_addr:       .long 0
reloc_check_value:      .long 0
reloc_revision:         .long 0
reloc_status:           .long 0
smm_reloc_end:
        .org smm_reloc_start + SMM_RELOC_MAX // fails if the blob is larger

/****************************************************************
 * SMI handler
 ****************************************************************/

// The permanent handler: one copy at each CPU's SMBASE + 8000h inside
// SMRAM. It counts the SMIs this CPU took (smm.c checks the count after
// relocating, through the open window) and returns. APM SMIs stay
// disabled, so nothing needs acknowledging. The 8-byte marker lets a
// test find the handler's bytes, and find that it cannot see them once
// SMRAM is locked. The cookie is where the relocation handler checks
// that SMM sees SMRAM.
        .global smm_handler_start, smm_handler_marker, smm_handler_cookie
        .global smm_handler_count, smm_handler_end
        .balign 16
smm_handler_start:
        incl %cs:REL(smm_handler_start, smm_handler_count)
        rsm
        .balign 8
smm_handler_marker:
        .ascii SMM_MARKER
smm_handler_cookie:
        .long 0
smm_handler_count:
        .long 0
smm_handler_end:
        .org smm_handler_start + SMM_HANDLER_MAX // fails if larger
