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
#define FWCFG_DIR_ENTRY_SIZE 64 // bytes per directory record

struct fwcfg_file {
    u32 size; // bytes of the file's content
    u32 hash; // fwcfg_name_hash(name): lookups compare names only on a match
    u16 select; // key to select it with
    char name[FWCFG_NAME_SIZE]; // NUL-terminated
};

// Parses the directory in buf[0..len-1] into out[0..max-1], in directory
// order. Skips, with one log line each: a record whose name has no NUL in
// its 56 bytes, an empty name, a select key below 0x20, a name already
// stored (the first one stays). A count larger than the records that len
// holds is logged and only the records present are parsed; past max stored
// files one line is logged and the rest ignored. Returns the number of
// files stored.
int fwcfg_dir_parse(const void *buf, u32 len, struct fwcfg_file *out,
                    int max);

// FNV-1a of a NUL-terminated name: most names share a prefix ("etc/"),
// so comparing hashes first saves a string compare per file and lookup.
u32 fwcfg_name_hash(const char *name);

// The file called `name` among files[0..n-1], or NULL.
const struct fwcfg_file *fwcfg_dir_find(const struct fwcfg_file *files,
                                        int n, const char *name);

#endif // FW_FWCFG_DIR_H
