// Fake fw_cfg files and allocation zones for host tests (host-compiled
// only).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#include <sanitizer/asan_interface.h> // ASAN_POISON_MEMORY_REGION
#include <stdio.h> // fprintf
#include <stdlib.h> // abort, malloc
#include <string.h> // memcpy, strcmp
#include <sys/mman.h> // mmap, MAP_32BIT

#include "fakefw.h" // fakefw_reset
#include "fw/fw_cfg.h" // fw_cfg_find

#define ARENA_SIZE (32u << 20)
#define BLOCK_MIN_ALIGN 16 // whole ASan granules before every block

struct fake_file {
    struct fwcfg_file f;
    u8 *data;
    bool fail;
};

static struct fake_file Files[FAKEFW_MAX_FILES];
static int FileCount;
static bool Dma = true;
static int Violations, Writes;

static u8 *Arena;
static u32 ArenaUsed; // bytes of the arena handed out, guards included
static struct fakefw_block Blocks[FAKEFW_MAX_BLOCKS];
static int BlockCount;
static u32 ZoneUsed[ZONE_COUNT], ZoneLimit[ZONE_COUNT];

static u8
pattern(u32 off)
{
    return (u8)(off * 31 + 0x5a);
}

static void
violation(const char *what, const char *name, u32 a, u32 b)
{
    fprintf(stderr, "fakefw: %s %s %u %u\n", what, name ? name : "", a, b);
    Violations++;
}

static void
arena_init(void)
{
    void *p;

    if (Arena)
        return;
    p = mmap(NULL, ARENA_SIZE, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED || (uintptr_t)p + ARENA_SIZE > 0x100000000ull) {
        fprintf(stderr, "fakefw: no arena below 4 GiB\n");
        abort();
    }
    Arena = p;
    ASAN_POISON_MEMORY_REGION(Arena, ARENA_SIZE);
}

void
fakefw_reset(void)
{
    int i;

    for (i = 0; i < FileCount; i++)
        free(Files[i].data);
    memset(Files, 0, sizeof(Files));
    FileCount = 0;
    Dma = true;
    Violations = Writes = 0;
    arena_init();
    ASAN_POISON_MEMORY_REGION(Arena, ArenaUsed);
    ArenaUsed = 0;
    BlockCount = 0;
    for (i = 0; i < ZONE_COUNT; i++) {
        ZoneUsed[i] = 0;
        ZoneLimit[i] = ~0u;
    }
}

static struct fake_file *
lookup(const char *name)
{
    int i;

    for (i = 0; i < FileCount; i++)
        if (strcmp(Files[i].f.name, name) == 0)
            return &Files[i];
    return NULL;
}

const struct fwcfg_file *
fakefw_add_file(const char *name, const void *data, u32 size)
{
    struct fake_file *ff = &Files[FileCount];

    if (FileCount >= FAKEFW_MAX_FILES || strlen(name) >= FWCFG_NAME_SIZE) {
        fprintf(stderr, "fakefw: cannot add %s\n", name);
        abort();
    }
    ff->data = malloc(size ? size : 1);
    if (!ff->data)
        abort();
    if (data)
        memcpy(ff->data, data, size);
    else
        memset(ff->data, 0, size);
    strcpy(ff->f.name, name);
    ff->f.size = size;
    ff->f.select = FWCFG_FILE_FIRST + FileCount;
    FileCount++;
    return &ff->f;
}

u8 *
fakefw_file_data(const char *name)
{
    struct fake_file *ff = lookup(name);

    return ff ? ff->data : NULL;
}

void
fakefw_fail_io(const char *name)
{
    struct fake_file *ff = lookup(name);

    if (ff)
        ff->fail = true;
}

void
fakefw_set_dma(bool on)
{
    Dma = on;
}

void
fakefw_zone_limit(enum zone_id zone, u32 bytes)
{
    ZoneLimit[zone] = bytes;
}

int
fakefw_violations(void)
{
    return Violations;
}

int
fakefw_writes(void)
{
    return Writes;
}

int
fakefw_block_count(void)
{
    return BlockCount;
}

const struct fakefw_block *
fakefw_block(int i)
{
    return i >= 0 && i < BlockCount ? &Blocks[i] : NULL;
}

static bool
span_ok(u32 from, u32 to)
{
    bool ok = true;

    ASAN_UNPOISON_MEMORY_REGION(Arena + from, to - from);
    for (; from < to; from++)
        if (Arena[from] != pattern(from))
            ok = false;
    return ok;
}

bool
fakefw_canaries_ok(void)
{
    u32 from = 0;
    bool ok = true;
    int i;

    for (i = 0; i < BlockCount; i++) {
        u32 start = Blocks[i].data - Arena;

        ok &= span_ok(from, start);
        ASAN_POISON_MEMORY_REGION(Arena + from, start - from);
        from = start + Blocks[i].size;
    }
    ok &= span_ok(from, ArenaUsed);
    ASAN_POISON_MEMORY_REGION(Arena + from, ArenaUsed - from);
    return ok;
}

/****************************************************************
 * The seams: fw_cfg and zone_alloc
 ****************************************************************/

const struct fwcfg_file *
fw_cfg_find(const char *name)
{
    struct fake_file *ff = lookup(name);

    return ff ? &ff->f : NULL;
}

bool
fw_cfg_has_dma(void)
{
    return Dma;
}

static struct fake_file *
checked(const struct fwcfg_file *f, u32 offset, u32 len, const char *op)
{
    struct fake_file *ff = (struct fake_file *)f;

    if (ff < Files || ff >= Files + FileCount || &ff->f != f) {
        violation(op, "unknown file", 0, 0);
        return NULL;
    }
    if (offset > f->size || len > f->size - offset) {
        violation(op, f->name, offset, len);
        return NULL;
    }
    return ff->fail ? NULL : ff;
}

int
fw_cfg_read_file(const struct fwcfg_file *f, u32 offset, void *buf, u32 len)
{
    struct fake_file *ff = checked(f, offset, len, "read outside");

    if (!ff)
        return -1;
    memcpy(buf, ff->data + offset, len);
    return 0;
}

int
fw_cfg_write_file(const struct fwcfg_file *f, u32 offset, const void *buf,
                  u32 len)
{
    struct fake_file *ff;

    if (!Dma) {
        violation("write without dma", f->name, offset, len);
        return -1;
    }
    ff = checked(f, offset, len, "write outside");
    if (!ff)
        return -1;
    memcpy(ff->data + offset, buf, len);
    Writes++;
    return 0;
}

void *
zone_alloc(enum zone_id zone, u32 size, u32 align)
{
    u32 a = align < BLOCK_MIN_ALIGN ? BLOCK_MIN_ALIGN : align;
    u32 from = ArenaUsed, start, end, i;
    struct fakefw_block *b;

    if (zone >= ZONE_COUNT || !size || !align || (align & (align - 1))) {
        violation("zone_alloc", "", size, align);
        return NULL;
    }
    if (size > ZoneLimit[zone] - ZoneUsed[zone]
        || BlockCount >= FAKEFW_MAX_BLOCKS)
        return NULL;
    start = ALIGN_UP(from + FAKEFW_GUARD, a);
    if (start < from || start > ARENA_SIZE - 2 * FAKEFW_GUARD
        || size > ARENA_SIZE - 2 * FAKEFW_GUARD - start)
        return NULL;
    // The next gap starts on a granule: only this block's tail granule is
    // shared with a guard, and ASan can mark that one exactly.
    end = ALIGN_UP(start + size + FAKEFW_GUARD, BLOCK_MIN_ALIGN);
    ASAN_UNPOISON_MEMORY_REGION(Arena + from, end - from);
    for (i = from; i < end; i++)
        Arena[i] = pattern(i);
    ASAN_POISON_MEMORY_REGION(Arena + from, start - from);
    ASAN_POISON_MEMORY_REGION(Arena + start + size, end - start - size);
    ArenaUsed = end;
    ZoneUsed[zone] += size;
    b = &Blocks[BlockCount++];
    b->zone = zone;
    b->size = size;
    b->align = align;
    b->data = Arena + start;
    return b->data;
}
