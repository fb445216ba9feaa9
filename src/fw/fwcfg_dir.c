// QEMU fw_cfg file directory parser (32-bit flat; also host-compiled for
// tests).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#include "fw/fwcfg_dir.h" // struct fwcfg_file
#include "output.h" // dprintf
#include "string.h" // memcpy, memset, strnlen, strcmp

#define FWCFG_DIR_HEADER 4 // the count before the first record

static u32
get_be(const u8 *p, int bytes)
{
    u32 v = 0;
    int i;

    for (i = 0; i < bytes; i++)
        v = (v << 8) | p[i];
    return v;
}

u32
fwcfg_name_hash(const char *name)
{
    u32 hash = 2166136261u; // FNV-1a 32-bit offset basis and prime

    for (; *name; name++)
        hash = (hash ^ (u8)*name) * 16777619u;
    return hash;
}

static const struct fwcfg_file *
dir_find(const struct fwcfg_file *files, int n, const char *name, u32 hash)
{
    for (int i = 0; i < n; i++)
        if (files[i].hash == hash && strcmp(files[i].name, name) == 0)
            return &files[i];
    return NULL;
}

int
fwcfg_dir_parse(const void *buf, u32 len, struct fwcfg_file *out, int max)
{
    const u8 *p = buf;
    u32 count, fits, i;
    int n = 0;

    if (!out)
        max = 0;
    if (!p || len < FWCFG_DIR_HEADER) {
        dprintf(LOG_WARN, "fw_cfg: file directory too short, len=%u\n",
                p ? len : 0);
        return 0;
    }
    count = get_be(p, 4);
    fits = (len - FWCFG_DIR_HEADER) / FWCFG_DIR_ENTRY_SIZE;
    if (count > fits) {
        dprintf(LOG_WARN, "fw_cfg: file directory truncated, count=%u"
                " len=%u holds %u\n", count, len, fits);
        count = fits;
    }
    p += FWCFG_DIR_HEADER;
    for (i = 0; i < count; i++, p += FWCFG_DIR_ENTRY_SIZE) {
        const char *name = (const char *)p + 8;
        u16 select = get_be(p + 4, 2);
        size_t name_len = strnlen(name, FWCFG_NAME_SIZE);

        if (name_len == FWCFG_NAME_SIZE) {
            dprintf(LOG_WARN, "fw_cfg: file name at entry %u not"
                    " terminated\n", i);
            continue;
        }
        if (!name_len) {
            dprintf(LOG_WARN, "fw_cfg: file name at entry %u empty,"
                    " select=0x%x\n", i, select);
            continue;
        }
        if (select < FWCFG_FILE_FIRST) {
            dprintf(LOG_WARN, "fw_cfg: file \"%s\" at entry %u has select"
                    " 0x%x below 0x%x, skipped\n", name, i, select,
                    FWCFG_FILE_FIRST);
            continue;
        }
        u32 hash = fwcfg_name_hash(name);
        if (dir_find(out, n, name, hash)) {
            dprintf(LOG_WARN, "fw_cfg: file \"%s\" at entry %u duplicated,"
                    " select=0x%x, keeping the first\n", name, i, select);
            continue;
        }
        if (n >= max) {
            dprintf(LOG_WARN, "fw_cfg: more than %d files, ignoring entry"
                    " %u and after\n", max < 0 ? 0 : max, i);
            break;
        }
        out[n].size = get_be(p, 4);
        out[n].hash = hash;
        out[n].select = select;
        memset(out[n].name, 0, sizeof(out[n].name));
        memcpy(out[n].name, name, name_len);
        n++;
    }
    return n;
}

const struct fwcfg_file *
fwcfg_dir_find(const struct fwcfg_file *files, int n, const char *name)
{
    if (!files || !name)
        return NULL;
    return dir_find(files, n, name, fwcfg_name_hash(name));
}
