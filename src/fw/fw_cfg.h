// QEMU fw_cfg interface: items, files, DMA (32-bit flat).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// QEMU docs/specs/fw_cfg.rst; item keys from QEMU include/standard-headers/
// linux/qemu_fw_cfg.h.
#ifndef FW_FW_CFG_H
#define FW_FW_CFG_H

#define PORT_FW_CFG_SEL     0x510 // 16-bit selector
#define PORT_FW_CFG_DATA    0x511 // 8-bit data
#define PORT_FW_CFG_DMA     0x514 // 64-bit big-endian descriptor address

#define FW_CFG_SIGNATURE    0x00
#define FW_CFG_ID           0x01
#define  FW_CFG_ID_TRAD     0x01
#define  FW_CFG_ID_DMA      0x02
#define FW_CFG_NB_CPUS      0x05
#define FW_CFG_MAX_CPUS     0x0f
#define FW_CFG_KERNEL_ADDR  0x07
#define FW_CFG_KERNEL_SIZE  0x08
#define FW_CFG_INITRD_ADDR  0x0a
#define FW_CFG_INITRD_SIZE  0x0b
#define FW_CFG_KERNEL_ENTRY 0x10
#define FW_CFG_KERNEL_DATA  0x11
#define FW_CFG_INITRD_DATA  0x12
#define FW_CFG_CMDLINE_ADDR 0x13
#define FW_CFG_CMDLINE_SIZE 0x14
#define FW_CFG_CMDLINE_DATA 0x15
#define FW_CFG_SETUP_ADDR   0x16
#define FW_CFG_SETUP_SIZE   0x17
#define FW_CFG_SETUP_DATA   0x18
#define FW_CFG_FILE_DIR     0x19

// DMA control word bits (big-endian in the descriptor).
#define FW_CFG_DMA_ERROR    0x01
#define FW_CFG_DMA_READ     0x02
#define FW_CFG_DMA_SKIP     0x04
#define FW_CFG_DMA_SELECT   0x08
#define FW_CFG_DMA_WRITE    0x10

#ifndef __ASSEMBLY__
#include "fw/fwcfg_dir.h" // struct fwcfg_file
#include "types.h" // u32

struct fw_cfg_dma_desc {
    u32 control; // big-endian
    u32 length; // big-endian
    u64 address; // big-endian
} PACKED;

// Probe the signature and the DMA feature; read the file directory.
void fw_cfg_setup(void);
bool fw_cfg_present(void);
bool fw_cfg_has_dma(void);
// Read len bytes of an item from its start. 0 or negative on error.
int fw_cfg_read_item(u16 key, void *buf, u32 len);
u32 fw_cfg_read_u32(u16 key); // little-endian items; 0 when absent
const struct fwcfg_file *fw_cfg_find(const char *name);
// Read len bytes at offset of a file; refused when outside the file.
int fw_cfg_read_file(const struct fwcfg_file *f, u32 offset, void *buf,
                     u32 len);
// Read a whole small file holding a decimal or little-endian integer.
u64 fw_cfg_read_file_int(const char *name, u64 fallback);
// Move the file directory from ZONE_TMP to ZONE_HIGH.
void fw_cfg_persist(void);
// Write into a file at offset (DMA only, as QEMU requires).
int fw_cfg_write_file(const struct fwcfg_file *f, u32 offset,
                      const void *buf, u32 len);
#endif
#endif // FW_FW_CFG_H
