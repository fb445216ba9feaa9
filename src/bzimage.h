// Linux x86 boot protocol: bzImage setup header checks and loader fields
// (32-bit flat; also host-compiled for tests).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Field names, offsets and rules follow the kernel's
// Documentation/arch/x86/boot.rst ("The Linux/x86 Boot Protocol").
#ifndef BZIMAGE_H
#define BZIMAGE_H

#include "types.h" // u32, PACKED

#define BZIMAGE_HDR_OFFSET 0x1f1 // setup_sects, first field of the header
#define BZIMAGE_HDR_END 0x26c // first byte after kernel_info_offset
#define BZIMAGE_BOOT_FLAG 0xaa55
#define BZIMAGE_MAGIC 0x53726448 // "HdrS", little-endian
#define BZIMAGE_SETUP_MAX 0x8000 // boot sector + setup code, at most

// Protocol version as the header holds it: major in the high byte.
#define BZIMAGE_PROTO(major, minor) (((major) << 8) | (minor))

// loadflags bits.
#define BZIMAGE_LOADED_HIGH 0x01 // protected-mode code at 0x100000
#define BZIMAGE_KASLR_FLAG 0x02 // set by the kernel
#define BZIMAGE_QUIET_FLAG 0x20
#define BZIMAGE_KEEP_SEGMENTS 0x40 // obsolete
#define BZIMAGE_CAN_USE_HEAP 0x80 // heap_end_ptr is valid

// xloadflags bits (2.12+).
#define BZIMAGE_XLF_KERNEL_64 0x01
#define BZIMAGE_XLF_CAN_BE_LOADED_ABOVE_4G 0x02

#define BZIMAGE_LOADER_UNDEFINED 0xff // type_of_loader without an id
#define BZIMAGE_VID_MODE_NORMAL 0xffff
#define BZIMAGE_OLD_CMDLINE_MAGIC 0xa33f // old protocol, at offset 0x20

// The header, from offset 0x1f1 of the kernel file (and of the real-mode
// setup in memory) up to boot protocol 2.15. Fields past what a kernel's
// protocol version defines hold whatever its setup code has there.
struct linux_setup_header {
    u8 setup_sects;          // 0x1f1 setup size in sectors, 0 means 4
    u16 root_flags;          // 0x1f2
    u32 syssize;             // 0x1f4 protected-mode size, 16-byte units
    u16 ram_size;            // 0x1f8 obsolete
    u16 vid_mode;            // 0x1fa written by the loader
    u16 root_dev;            // 0x1fc
    u16 boot_flag;           // 0x1fe 0xaa55
    u16 jump;                // 0x200 short jump past the header
    u32 header;              // 0x202 "HdrS"
    u16 version;             // 0x206 boot protocol version
    u32 realmode_swtch;      // 0x208
    u16 start_sys_seg;       // 0x20c obsolete
    u16 kernel_version;      // 0x20e offset of a version string - 0x200
    u8 type_of_loader;       // 0x210 written by the loader
    u8 loadflags;            // 0x211
    u16 setup_move_size;     // 0x212 protocol 2.00-2.01 only
    u32 code32_start;        // 0x214 protected-mode entry
    u32 ramdisk_image;       // 0x218 written by the loader
    u32 ramdisk_size;        // 0x21c written by the loader
    u32 bootsect_kludge;     // 0x220 obsolete
    u16 heap_end_ptr;        // 0x224 2.01+, written by the loader
    u8 ext_loader_ver;       // 0x226 2.02+
    u8 ext_loader_type;      // 0x227 2.02+
    u32 cmd_line_ptr;        // 0x228 2.02+, written by the loader
    u32 initrd_addr_max;     // 0x22c 2.03+
    u32 kernel_alignment;    // 0x230 2.05+
    u8 relocatable_kernel;   // 0x234 2.05+
    u8 min_alignment;        // 0x235 2.10+
    u16 xloadflags;          // 0x236 2.12+
    u32 cmdline_size;        // 0x238 2.06+, without the NUL
    u32 hardware_subarch;    // 0x23c 2.07+
    u64 hardware_subarch_data; // 0x240 2.07+
    u32 payload_offset;      // 0x248 2.08+
    u32 payload_length;      // 0x24c 2.08+
    u64 setup_data;          // 0x250 2.09+
    u64 pref_address;        // 0x258 2.10+
    u32 init_size;           // 0x260 2.10+
    u32 handover_offset;     // 0x264 2.11+
    u32 kernel_info_offset;  // 0x268 2.15+
} PACKED;

#define BZIMAGE_HDR_AT(field, off) _Static_assert(                     \
        offsetof(struct linux_setup_header, field) + BZIMAGE_HDR_OFFSET \
        == (off), "setup header field " #field " not at " #off)
BZIMAGE_HDR_AT(syssize, 0x1f4);
BZIMAGE_HDR_AT(vid_mode, 0x1fa);
BZIMAGE_HDR_AT(boot_flag, 0x1fe);
BZIMAGE_HDR_AT(header, 0x202);
BZIMAGE_HDR_AT(version, 0x206);
BZIMAGE_HDR_AT(type_of_loader, 0x210);
BZIMAGE_HDR_AT(loadflags, 0x211);
BZIMAGE_HDR_AT(code32_start, 0x214);
BZIMAGE_HDR_AT(ramdisk_image, 0x218);
BZIMAGE_HDR_AT(heap_end_ptr, 0x224);
BZIMAGE_HDR_AT(cmd_line_ptr, 0x228);
BZIMAGE_HDR_AT(initrd_addr_max, 0x22c);
BZIMAGE_HDR_AT(xloadflags, 0x236);
BZIMAGE_HDR_AT(cmdline_size, 0x238);
BZIMAGE_HDR_AT(setup_data, 0x250);
BZIMAGE_HDR_AT(pref_address, 0x258);
BZIMAGE_HDR_AT(init_size, 0x260);
BZIMAGE_HDR_AT(kernel_info_offset, 0x268);
_Static_assert(sizeof(struct linux_setup_header) + BZIMAGE_HDR_OFFSET
               == BZIMAGE_HDR_END, "setup header size");

// Errors from bzimage_check().
enum {
    BZIMAGE_ERR_SHORT = -1,   // setup_len cannot hold the header
    BZIMAGE_ERR_MAGIC = -2,   // boot_flag or "HdrS" wrong
    BZIMAGE_ERR_VERSION = -3, // protocol before 2.00
    BZIMAGE_ERR_ZIMAGE = -4,  // LOADED_HIGH clear: zImage, not supported
    BZIMAGE_ERR_SETUP = -5,   // setup_sects disagrees with setup_len
    BZIMAGE_ERR_KERNEL = -6,  // no protected-mode part
    BZIMAGE_ERR_INITRD = -7,  // initrd larger than the kernel can address
    BZIMAGE_ERR_CMDLINE = -8, // command line longer than the kernel takes
};

// What a checked header says, with defaults for older protocols already
// applied.
struct bzimage_info {
    u16 version;          // boot protocol, BZIMAGE_PROTO(2, x)
    u8 setup_sects;       // 0 in the header already replaced by 4
    u32 setup_size;       // (setup_sects + 1) * 512: bytes of setup to copy
    u8 loadflags;
    u32 code32_start;     // where the protected-mode part goes
    u32 initrd_addr_max;  // highest byte address the initrd may use
    u32 cmdline_max;      // largest command line in bytes, NUL included
    u32 kernel_alignment; // 2.05+, else 0
    u8 relocatable;       // 2.05+, else 0
    u16 xloadflags;       // 2.12+, else 0
    u32 pref_address_low; // low half of pref_address (2.10+), else
                          // 0x100000
    u32 init_size;        // 2.10+, else 0
};

// Checks the real-mode setup of a kernel as QEMU's fw_cfg hands it over:
// setup = FW_CFG_SETUP_DATA (the file's first setup_len bytes), setup_len =
// FW_CFG_SETUP_SIZE, kernel_len = FW_CFG_KERNEL_SIZE (the protected-mode
// part), initrd_len = FW_CFG_INITRD_SIZE and cmdline_len =
// FW_CFG_CMDLINE_SIZE (which counts the NUL; 0 for none). Refuses, with one
// "linux: invalid kernel: ..." line naming the field and its value:
// setup_len < 0x26c; boot_flag != 0xaa55; no "HdrS"; protocol < 2.00;
// LOADED_HIGH clear (zImage); setup_len < (setup_sects + 1) * 512 or that
// above 0x8000; kernel_len 0; initrd_len > initrd_addr_max + 1 (0x37ffffff
// before 2.03); cmdline_len > cmdline_size + 1 (cmdline_size 255 before
// 2.06). Reads only setup[0..0x26b], so the buffer may be shorter than
// setup_len as long as it holds that much. Returns 0 and fills *out (if
// out is not NULL), or a negative BZIMAGE_ERR_*.
int bzimage_check(const void *setup, u32 setup_len, u32 kernel_len,
                  u32 initrd_len, u32 cmdline_len, struct bzimage_info *out);

// Where the loader put things, for bzimage_fill(). Addresses are linear.
struct bzimage_fill_args {
    u32 setup_addr;   // where the setup's first byte (boot sector) is
    u32 heap_end;     // end of the setup heap, as an offset from
                      // setup_addr (e.g. 0xe000), at most 0x10000;
                      // 0x200 or less: no heap
    u32 cmdline_addr; // NUL-terminated command line
    u32 cmdline_size; // its bytes with the NUL; 0 for no command line
    u32 initrd_addr;
    u32 initrd_size;  // 0 for no initrd
};

// Writes the fields that boot.rst marks as the boot loader's into a setup
// that bzimage_check() accepted (so at least 0x26c bytes; nothing past
// that is written): type_of_loader 0xff (no assigned id), vid_mode 0xffff
// ("normal"), ramdisk_image/ramdisk_size, and
//  - 2.01+ with a heap: heap_end_ptr = heap_end - 0x200 and CAN_USE_HEAP
//    set in loadflags (a heap_end above 0x10000 is logged and ignored);
//  - 2.02+: cmd_line_ptr = cmdline_addr (0 without a command line);
//  - 2.00-2.01: the old command line protocol, cmd_line_magic 0xa33f at
//    offset 0x20, cmd_line_offset at 0x22 and setup_move_size (offset +
//    size); that needs the whole command line below setup_addr + 0xffff,
//    else it is dropped with a log line.
void bzimage_fill(void *setup, const struct bzimage_fill_args *a);

#endif // BZIMAGE_H
