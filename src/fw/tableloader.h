// QEMU ACPI linker/loader ("etc/table-loader") executor (32-bit flat; also
// host-compiled for tests).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Format: QEMU hw/acpi/bios-linker-loader.c (struct BiosLinkerLoaderEntry,
// documented in include/hw/acpi/bios-linker-loader.h): the file is a run of
// 128-byte entries, each a little-endian u32 command and a union:
//   1 ALLOCATE      { char file[56]; u32 align; u8 zone; }  zone 1 high,
//                                                            2 fseg
//   2 ADD_POINTER   { char dest[56]; char src[56]; u32 offset; u8 size; }
//   3 ADD_CHECKSUM  { char file[56]; u32 offset; u32 start; u32 length; }
//   4 WRITE_POINTER { char dest[56]; char src[56]; u32 dst_offset;
//                     u32 src_offset; u8 size; }
//
// Rules this executor applies (each broken one costs the command a LOG_WARN
// line "loader: cmd N NAME FILE: ..." and the command is skipped; nothing
// outside the blob or fw_cfg file a command targets is ever written):
// - names must be NUL-terminated inside their 56 bytes;
// - ALLOCATE: the fw_cfg file exists and is not empty; align is a power of
//   two up to TABLELOADER_MAX_ALIGN (0 is taken as 1: QEMU never sends it);
//   zone 1 or 2; a second ALLOCATE of a name is skipped; at most
//   TABLELOADER_MAX_FILES blobs;
// - every blob a command names was allocated earlier;
// - offsets and lengths lie inside the blob (or, for WRITE_POINTER's
//   dest, the fw_cfg file); WRITE_POINTER's src_offset is strictly inside
//   the src blob, as QEMU asserts when it builds the entry;
// - pointer sizes are 1, 2, 4 or 8, and the patched or written value must
//   fit that many bytes (no carry is dropped);
// - WRITE_POINTER needs fw_cfg DMA;
// - unknown commands are logged and skipped; a tail shorter than 128 bytes
//   is logged and ignored, every whole entry before it runs.
// ADD_POINTER does not check that the field's old value (an offset into
// src, by QEMU's convention) lies inside src: only the OS reads the result.
#ifndef FW_TABLELOADER_H
#define FW_TABLELOADER_H

#include "autoconf.h" // CONFIG_S3_WRITE_POINTERS
#include "types.h" // u32

#define TABLELOADER_FILE "etc/table-loader"
#define TABLELOADER_NAME_SIZE 56
#define TABLELOADER_ENTRY_SIZE 128
#define TABLELOADER_MAX_FILES 32
#define TABLELOADER_MAX_ALIGN 4096 // QEMU's largest today (vmgenid, nvdimm)

#define TABLELOADER_ALLOCATE      1
#define TABLELOADER_ADD_POINTER   2
#define TABLELOADER_ADD_CHECKSUM  3
#define TABLELOADER_WRITE_POINTER 4

#define TABLELOADER_ZONE_HIGH 1
#define TABLELOADER_ZONE_FSEG 2

// A blob ALLOCATE loaded; zone is TABLELOADER_ZONE_HIGH or _FSEG.
struct tableloader_file {
    char name[TABLELOADER_NAME_SIZE];
    void *data;
    u32 size;
    u8 zone;
};

// One executed WRITE_POINTER, enough to repeat it on S3 resume: write the
// low `size` bytes of `value` (little-endian) at `offset` of the fw_cfg
// file with select key `key`.
struct tableloader_wp {
    u16 key;
    u8 size;
    u8 pad;
    u32 offset;
    u64 value;
} PACKED;
_Static_assert(sizeof(struct tableloader_wp) == 16, "tableloader_wp size");

// Reads etc/table-loader (a copy goes to ZONE_TMP) and runs it. Each run
// starts from an empty blob table and no WRITE_POINTER records; with
// stash_s3 false (S3 disabled) no record is kept. Returns the number of
// commands executed, skipped ones not counted, or -1 when there is no
// script or it cannot be read.
int tableloader_run(bool stash_s3);

// The blob an ALLOCATE of `name` loaded, or NULL.
const struct tableloader_file *tableloader_find(const char *name);

// Whether [p, p + len) lies inside one blob the last run loaded (what the
// loader patched and checksummed; a table pointer may be followed there).
bool tableloader_holds(const void *p, u32 len);

// WRITE_POINTER records kept for S3 resume (in section .data.resume).
int tableloader_wp_count(void);
const struct tableloader_wp *tableloader_wp_records(void);

#endif // FW_TABLELOADER_H
