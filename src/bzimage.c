// Linux x86 boot protocol: bzImage setup header checks and loader fields
// (32-bit flat; also host-compiled for tests).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#include "bzimage.h" // struct linux_setup_header
#include "output.h" // dprintf
#include "string.h" // memcpy, memset

#define BZIMAGE_SECTOR 512
#define BZIMAGE_DEFAULT_SECTS 4 // what setup_sects 0 stands for
#define BZIMAGE_OLD_INITRD_MAX 0x37ffffff // initrd_addr_max before 2.03
#define BZIMAGE_OLD_CMDLINE_SIZE 255 // cmdline_size before 2.06
#define BZIMAGE_OLD_CMDLINE_AT 0x20 // old protocol magic; offset at +2
#define BZIMAGE_HEAP_SLACK 0x200 // heap_end_ptr is the heap end minus this
#define BZIMAGE_SEGMENT 0x10000 // the setup runs in one real-mode segment

// The header is copied in and out rather than cast in place: the caller's
// buffer may be of any type and alignment.
static void
header_read(struct linux_setup_header *h, const void *setup)
{
    memcpy(h, (const u8 *)setup + BZIMAGE_HDR_OFFSET, sizeof(*h));
}

static void
header_write(void *setup, const struct linux_setup_header *h)
{
    memcpy((u8 *)setup + BZIMAGE_HDR_OFFSET, h, sizeof(*h));
}

int
bzimage_check(const void *setup, u32 setup_len, u32 kernel_len,
              u32 initrd_len, u32 cmdline_len, struct bzimage_info *out)
{
    struct linux_setup_header h;
    struct bzimage_info info;
    u64 cmdline_max;
    u32 sects, syssize;

    if (!setup || setup_len < BZIMAGE_HDR_END) {
        dprintf(LOG_WARN, "linux: invalid kernel: setup_len 0x%x below"
                " 0x%x\n", setup ? setup_len : 0, BZIMAGE_HDR_END);
        return BZIMAGE_ERR_SHORT;
    }
    header_read(&h, setup);
    if (h.boot_flag != BZIMAGE_BOOT_FLAG) {
        dprintf(LOG_WARN, "linux: invalid kernel: boot_flag 0x%04x\n",
                h.boot_flag);
        return BZIMAGE_ERR_MAGIC;
    }
    if (h.header != BZIMAGE_MAGIC) {
        dprintf(LOG_WARN, "linux: invalid kernel: header magic 0x%08x\n",
                h.header);
        return BZIMAGE_ERR_MAGIC;
    }
    if (h.version < BZIMAGE_PROTO(2, 0)) {
        dprintf(LOG_WARN, "linux: invalid kernel: protocol version 0x%04x"
                " below 0x0200\n", h.version);
        return BZIMAGE_ERR_VERSION;
    }
    if (!(h.loadflags & BZIMAGE_LOADED_HIGH)) {
        dprintf(LOG_WARN, "linux: invalid kernel: loadflags 0x%02x without"
                " LOADED_HIGH (zImage)\n", h.loadflags);
        return BZIMAGE_ERR_ZIMAGE;
    }

    sects = h.setup_sects ? h.setup_sects : BZIMAGE_DEFAULT_SECTS;
    memset(&info, 0, sizeof(info));
    info.version = h.version;
    info.setup_sects = sects;
    info.setup_size = (sects + 1) * BZIMAGE_SECTOR;
    if (info.setup_size > BZIMAGE_SETUP_MAX) {
        dprintf(LOG_WARN, "linux: invalid kernel: setup_sects %u (0x%x"
                " bytes) above 0x%x\n", sects, info.setup_size,
                BZIMAGE_SETUP_MAX);
        return BZIMAGE_ERR_SETUP;
    }
    if (setup_len < info.setup_size) {
        dprintf(LOG_WARN, "linux: invalid kernel: setup_len 0x%x below"
                " setup_sects %u (0x%x bytes)\n", setup_len, sects,
                info.setup_size);
        return BZIMAGE_ERR_SETUP;
    }
    if (!kernel_len) {
        dprintf(LOG_WARN, "linux: invalid kernel: kernel_len 0\n");
        return BZIMAGE_ERR_KERNEL;
    }
    // syssize is 16 bits before 2.04; a file cut short still has a
    // header that claims the whole kernel.
    syssize = h.version >= BZIMAGE_PROTO(2, 4) ? h.syssize
        : (h.syssize & 0xffff);
    if ((u64)syssize * 16 > kernel_len) {
        dprintf(LOG_WARN, "linux: invalid kernel: kernel_len 0x%x below"
                " syssize 0x%x paragraphs (truncated)\n", kernel_len,
                syssize);
        return BZIMAGE_ERR_KERNEL;
    }

    info.loadflags = h.loadflags;
    info.code32_start = h.code32_start;
    if (h.version >= BZIMAGE_PROTO(2, 12))
        info.xloadflags = h.xloadflags;
    info.initrd_addr_max = h.version >= BZIMAGE_PROTO(2, 3)
        ? h.initrd_addr_max : BZIMAGE_OLD_INITRD_MAX;
    // A 64-bit kernel that may sit above 4 GiB takes its initrd anywhere
    // (boot.rst, xloadflags): initrd_addr_max no longer binds.
    if (info.xloadflags & BZIMAGE_XLF_CAN_BE_LOADED_ABOVE_4G)
        info.initrd_addr_max = 0xffffffff;
    if ((u64)initrd_len > (u64)info.initrd_addr_max + 1) {
        dprintf(LOG_WARN, "linux: invalid kernel: initrd_len 0x%x above"
                " initrd_addr_max 0x%x\n", initrd_len, info.initrd_addr_max);
        return BZIMAGE_ERR_INITRD;
    }
    cmdline_max = h.version >= BZIMAGE_PROTO(2, 6)
        ? h.cmdline_size : BZIMAGE_OLD_CMDLINE_SIZE;
    cmdline_max += 1;
    info.cmdline_max = MIN(cmdline_max, 0xffffffffULL);
    if (cmdline_len > cmdline_max) {
        dprintf(LOG_WARN, "linux: invalid kernel: cmdline_len 0x%x above"
                " cmdline_size 0x%llx + 1\n", cmdline_len, cmdline_max - 1);
        return BZIMAGE_ERR_CMDLINE;
    }

    if (h.version >= BZIMAGE_PROTO(2, 5)) {
        info.kernel_alignment = h.kernel_alignment;
        info.relocatable = h.relocatable_kernel;
    }
    info.pref_address_low = 0x100000;
    if (h.version >= BZIMAGE_PROTO(2, 10)) {
        info.pref_address_low = (u32)h.pref_address;
        info.init_size = h.init_size;
    }
    if (setup_len > info.setup_size)
        dprintf(LOG_DEBUG, "linux: setup_len 0x%x, using the first 0x%x"
                " bytes\n", setup_len, info.setup_size);
    dprintf(LOG_DEBUG, "linux: boot protocol %u.%02u, setup 0x%x bytes,"
            " kernel 0x%x bytes, loadflags 0x%02x\n", h.version >> 8,
            h.version & 0xff, info.setup_size, kernel_len, h.loadflags);
    if (out)
        *out = info;
    return 0;
}

static void
put_le16(u8 *p, u16 v)
{
    p[0] = v;
    p[1] = v >> 8;
}

void
bzimage_fill(void *setup, const struct bzimage_fill_args *a)
{
    struct linux_setup_header h;
    u32 cmdline = a->cmdline_size ? a->cmdline_addr : 0;
    u32 off;

    header_read(&h, setup);
    h.type_of_loader = BZIMAGE_LOADER_UNDEFINED;
    h.vid_mode = BZIMAGE_VID_MODE_NORMAL;
    h.ramdisk_image = a->initrd_size ? a->initrd_addr : 0;
    h.ramdisk_size = a->initrd_size;
    if (a->heap_end > BZIMAGE_SEGMENT) {
        dprintf(LOG_WARN, "linux: heap_end 0x%x beyond the setup segment,"
                " no heap\n", a->heap_end);
    } else if (h.version >= BZIMAGE_PROTO(2, 1)
               && a->heap_end > BZIMAGE_HEAP_SLACK) {
        h.heap_end_ptr = a->heap_end - BZIMAGE_HEAP_SLACK;
        h.loadflags |= BZIMAGE_CAN_USE_HEAP;
    }

    if (h.version >= BZIMAGE_PROTO(2, 2)) {
        h.cmd_line_ptr = cmdline;
    } else if (cmdline) {
        off = cmdline - a->setup_addr;
        if (cmdline < a->setup_addr || off >= BZIMAGE_SEGMENT
            || a->cmdline_size >= BZIMAGE_SEGMENT - off) {
            dprintf(LOG_WARN, "linux: command line at 0x%x size 0x%x"
                    " outside setup segment 0x%x, dropped\n",
                    cmdline, a->cmdline_size, a->setup_addr);
        } else {
            put_le16((u8 *)setup + BZIMAGE_OLD_CMDLINE_AT,
                     BZIMAGE_OLD_CMDLINE_MAGIC);
            put_le16((u8 *)setup + BZIMAGE_OLD_CMDLINE_AT + 2, off);
            h.setup_move_size = off + a->cmdline_size;
        }
    }
    header_write(setup, &h);
}
