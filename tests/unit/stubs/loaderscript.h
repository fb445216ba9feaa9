// etc/table-loader scripts and ACPI table headers for the host tests and
// fuzzers, written from QEMU's layout of BiosLinkerLoaderEntry (128-byte
// entries) and ACPI 6.5 5.2.6, independently of src/fw/tableloader.c
// (host-compiled only).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#ifndef LOADERSCRIPT_H
#define LOADERSCRIPT_H

#include <stdlib.h> // abort
#include <string.h> // memcpy, memset

#include "fw/tableloader.h" // TABLELOADER_ALLOCATE
#include "testbytes.h" // put_le

#define SCRIPT_MAX_ENTRIES 64

struct loader_script {
    // One entry more than the most a script holds, for tests that append
    // raw bytes after the last one.
    u8 buf[(SCRIPT_MAX_ENTRIES + 1) * TABLELOADER_ENTRY_SIZE];
    u32 len;
};

// Appends a zeroed entry with `command`; aborts when the script is full.
static inline u8 *
script_entry(struct loader_script *s, u32 command)
{
    if (s->len >= SCRIPT_MAX_ENTRIES * TABLELOADER_ENTRY_SIZE)
        abort();
    u8 *e = s->buf + s->len;
    memset(e, 0, TABLELOADER_ENTRY_SIZE);
    put_le(e, command, 4);
    s->len += TABLELOADER_ENTRY_SIZE;
    return e;
}

// A name field: the name's bytes, at most 56, the rest left zero.
static inline void
script_name(u8 *field, const char *name)
{
    for (int i = 0; i < TABLELOADER_NAME_SIZE && name[i]; i++)
        field[i] = name[i];
}

static inline u8 *
script_alloc(struct loader_script *s, const char *file, u32 align, u8 zone)
{
    u8 *e = script_entry(s, TABLELOADER_ALLOCATE);
    script_name(e + 4, file);
    put_le(e + 60, align, 4);
    e[64] = zone;
    return e;
}

static inline u8 *
script_pointer(struct loader_script *s, const char *dest, const char *src,
               u32 offset, u8 size)
{
    u8 *e = script_entry(s, TABLELOADER_ADD_POINTER);
    script_name(e + 4, dest);
    script_name(e + 60, src);
    put_le(e + 116, offset, 4);
    e[120] = size;
    return e;
}

static inline u8 *
script_cksum(struct loader_script *s, const char *file, u32 offset,
             u32 start, u32 length)
{
    u8 *e = script_entry(s, TABLELOADER_ADD_CHECKSUM);
    script_name(e + 4, file);
    put_le(e + 60, offset, 4);
    put_le(e + 64, start, 4);
    put_le(e + 68, length, 4);
    return e;
}

static inline u8 *
script_wrptr(struct loader_script *s, const char *dest, const char *src,
             u32 dst_offset, u32 src_offset, u8 size)
{
    u8 *e = script_entry(s, TABLELOADER_WRITE_POINTER);
    script_name(e + 4, dest);
    script_name(e + 60, src);
    put_le(e + 116, dst_offset, 4);
    put_le(e + 120, src_offset, 4);
    e[124] = size;
    return e;
}

// An ACPI table header: signature, length, revision 2, and the OEM
// fields and body filled with a pattern (the checksum is the loader's).
static inline void
acpi_table_header(u8 *t, const char *sig, u32 len)
{
    memcpy(t, sig, 4);
    put_le(t + 4, len, 4);
    t[8] = 2;
    for (u32 i = 10; i < len; i++)
        t[i] = i * 13 + 3;
}

#endif // LOADERSCRIPT_H
