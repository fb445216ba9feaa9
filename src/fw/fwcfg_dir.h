// QEMU fw_cfg file directory parser (32-bit flat; also host-compiled for
// tests).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Format: QEMU docs/specs/fw_cfg.rst, "File Directory". The directory is
// the item at select key 0x19; it holds a big-endian u32 count, then that
// many 64-byte records { be32 size; be16 select; be16 reserved;
// char name[56]; }.
#ifndef FW_FWCFG_DIR_H
#define FW_FWCFG_DIR_H

#include "types.h" // u32

#define FWCFG_DIR_SELECT 0x19 // select key of the file directory
#define FWCFG_FILE_FIRST 0x20 // lowest select key a file may have
#define FWCFG_NAME_SIZE 56 // bytes of a name, its NUL included
#define FWCFG_DIR_HEADER 4 // the count before the first record
#define FWCFG_DIR_ENTRY_SIZE 64 // bytes per directory record

// A directory record once parsed: the parser rewrites each record where
// it lies (the layout is the record's), so nothing is copied.
struct fwcfg_file {
    u32 size; // bytes of the file's content
    u16 select; // key to select it with
    u16 hash; // fwcfg_name_hash(name), in the record's reserved field
    // NUL-terminated; the bytes of its last word after the NUL are zero,
    // those of later words are whatever QEMU left there.
    char name[FWCFG_NAME_SIZE];
};

// Parses the directory in buf[0..len-1] in place (buf 4-byte aligned):
// the files it keeps end up, in directory order, as the first records,
// see fwcfg_dir_files(). Skips, with one log line each: a record whose
// name has no NUL in its 56 bytes, an empty name, a select key below
// 0x20, a name already kept (the first one stays). A count larger than
// the records that len holds is logged and only the records present are
// parsed; past max kept files one line is logged and the rest ignored.
// Returns the number of files kept.
int fwcfg_dir_parse(void *buf, u32 len, int max);

// The files fwcfg_dir_parse(buf, ...) kept.
static inline struct fwcfg_file *
fwcfg_dir_files(void *buf)
{
    return (struct fwcfg_file *)((u8 *)buf + FWCFG_DIR_HEADER);
}

// A 16-bit hash of a NUL-terminated name: most names share a prefix
// ("etc/"), so comparing hashes first saves a name compare per file and
// lookup. Names longer than 55 characters, which no file has, hash to 0.
u16 fwcfg_name_hash(const char *name);

// The file called `name` among files[0..n-1] (records fwcfg_dir_parse()
// kept, or copies of them), or NULL.
const struct fwcfg_file *fwcfg_dir_find(const struct fwcfg_file *files,
                                        int n, const char *name);

#endif // FW_FWCFG_DIR_H
