// System management mode: SMRAM (TSEG on Q35, the legacy VGA window on
// i440FX), SMBASE relocation of every CPU, a minimal SMI handler, SMRAM
// locked (32-bit flat; the handlers are 16-bit assembler in src/smm.S).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Intel SDM volume 3C, chapter "System Management Mode" (SMRAM, the
// IA-32 and Intel 64 save state maps, SMBASE relocation, RSM). Intel
// 82441FX (i440FX) datasheet: SMRAM register 72h; Intel 3 Series (Q35)
// MCH datasheet: SMRAM 9Dh, ESMRAMC 9Eh; Intel 82371AB (PIIX4)
// datasheet: DEVACTB 58h; Intel ICH9 datasheet: SMI_EN at PMBASE + 30h.
#ifndef FW_SMM_H
#define FW_SMM_H

// Host bridge SMRAM control: the same bit layout on both chipsets.
#define I440FX_SMRAM        0x72
#define Q35_SMRAM           0x9d
#define  SMRAM_D_OPEN       0x40 // SMRAM visible outside SMM
#define  SMRAM_D_CLS        0x20 // data accesses in SMM go to VGA
#define  SMRAM_D_LCK        0x10 // SMRAM and ESMRAMC read-only until reset
#define  SMRAM_G_SMRAME     0x08 // SMRAM enabled (seen by SMM)
#define  SMRAM_C_BASE_SEG   0x07 // read-only 010b: 0xa0000-0xbffff
#define Q35_ESMRAMC         0x9e
#define  ESMRAMC_H_SMRAME   0x80 // SMRAM remapped to 0xfeda0000 instead
#define  ESMRAMC_TSEG_SZ    0x06 // 00b: 1 MiB (01b 2 MiB, 10b 8 MiB)
#define  ESMRAMC_T_EN       0x01 // TSEG at the top of low RAM
#define SMM_TSEG_SIZE       0x100000 // what TSEG_SZ 00b gives

// What QEMU presets at reset when it runs the machine without SMM
// (-machine smm=off): the APM SMI enable bit, as if a firmware had
// already set SMM up. PIIX4 PM DEVACTB bit 25 (APMC_EN) is bit 1 of the
// byte at 5Bh; ICH9 SMI_EN bit 5.
#define PIIX_DEVACTB_HIGH   0x5b
#define  PIIX_DEVACTB_HIGH_APMC_EN 0x02
#define ICH9_PMIO_SMI_EN    0x30
#define  ICH9_SMI_EN_APMC_EN 0x00000020

// The architectural default SMBASE and the offsets from SMBASE that
// matter (the SDM numbers the save state from SMBASE + 8000h: 7EFCh is
// SMBASE + 0xfefc here).
#define SMM_DEFAULT_SMBASE  0x30000
#define SMM_ENTRY           0x8000 // SMI entry point: CS base SMBASE, IP 8000h
#define SMM_SAVE_START      0xfe00 // what QEMU and KVM write on entry
#define SMM_SAVE_SIZE       0x200
#define SMM_SAVE_REVISION   0xfefc // SMM revision identifier
#define  SMM_REVISION_RELOC 0x00020000 // bit 17: SMBASE relocation
#define  SMM_REVISION_AMD64 0x0064 // low word of the Intel 64 map's ID
#define SMM_SAVE_SMBASE32   0xfef8 // SMBASE field, IA-32 map
#define SMM_SAVE_SMBASE64   0xff00 // SMBASE field, Intel 64 map

// Results the relocation handler leaves for the BSP.
#define SMM_RELOC_PENDING   0
#define SMM_RELOC_DONE      1 // new SMBASE written to the save state
#define SMM_RELOC_NO_SMRAM  2 // SMM does not see SMRAM: not relocated
#define SMM_RELOC_NO_SUPPORT 3 // revision ID lacks bit 17

#define SMM_MARKER          "REEF-SMI" // 8 bytes in every SMI handler copy
#define SMM_RELOC_MAX       128 // bytes: relocation handler and its data
#define SMM_HANDLER_MAX     64 // bytes: one copy of the SMI handler

#ifndef __ASSEMBLY__
#include "types.h" // u32

// POST, from memmap_setup() before anything is allocated at the top of
// low RAM: on Q35 with SMM, e820-reserve TSEG, the last SMM_TSEG_SIZE
// bytes below top (QEMU puts it there). Returns the size taken from top.
u32 smm_tseg_reserve(u32 top);
// POST, after chipset and PCI setup: find out whether QEMU gives us SMM,
// open SMRAM, install the SMI handler and move the BSP's SMBASE into
// SMRAM. SMRAM stays open (and unlocked) for smm_ap_setup().
void smm_setup(void);
// POST, right after smp_setup() parked the APs: move each AP's SMBASE
// into SMRAM, then close and lock SMRAM.
void smm_ap_setup(void);
// S3 resume, after the APs are parked again: QEMU's reset cleared the
// SMRAM registers and every CPU's SMBASE; do all of the above again.
void smm_resume(void);
#endif
#endif // FW_SMM_H
