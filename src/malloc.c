// Bump allocators over fixed zones; nothing is ever freed (32-bit flat).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#include "malloc.h" // zone_alloc
#include "output.h" // dprintf
#include "string.h" // memset

struct zone {
    const char *name;
    u32 start, end; // [start, end)
    u32 cur; // bottom-up: next free; top-down: lowest used
    bool top_down;
};

static struct zone Zones[ZONE_COUNT];
extern char __fseg_pool_start[], __fseg_pool_end[]; // layout.ld
// How far the previous boot filled the F-segment pool: its tables are
// still there after a reset (the pool is RAM the reset path does not
// copy), and a scanner must not find a stale "_MP_" or "$PIR" beyond the
// new ones. Zero at power-on (QEMU's RAM starts zeroed, as does the
// pool); anything larger than the pool is clamped.
static u32 FsegPrevUsed NOINIT;

void
malloc_preinit(void)
{
    Zones[ZONE_TMP] = (struct zone){ "tmp", ZONE_TMP_START, ZONE_TMP_END,
                                     ZONE_TMP_START, false };
    Zones[ZONE_FSEG] = (struct zone){ "fseg", (u32)__fseg_pool_start,
                                      (u32)__fseg_pool_end,
                                      (u32)__fseg_pool_start, false };
    Zones[ZONE_HIGH] = (struct zone){ "high", 0, 0, 0, true };
    memset(__fseg_pool_start, 0,
           MIN(FsegPrevUsed, (u32)(__fseg_pool_end - __fseg_pool_start)));
    FsegPrevUsed = 0;
}

void
malloc_setup_high(u32 start, u32 end)
{
    Zones[ZONE_HIGH] = (struct zone){ "high", start, end, end, true };
}

void *
zone_alloc(enum zone_id id, u32 size, u32 align)
{
    struct zone *z = &Zones[id];
    if (!align)
        align = 1;
    u32 addr;
    if (z->top_down) {
        addr = ALIGN_DOWN(z->cur - size, align);
        if (size > z->cur - z->start || addr < z->start)
            goto full;
        z->cur = addr;
    } else {
        addr = ALIGN_UP(z->cur, align);
        if (addr < z->cur || addr > z->end || size > z->end - addr)
            goto full;
        z->cur = addr + size;
        if (id == ZONE_FSEG)
            FsegPrevUsed = z->cur - z->start;
    }
    return (void *)addr;
full:
    dprintf(LOG_WARN, "malloc: zone %s full, size=%u align=%u free=%u\n",
            z->name, size, align,
            z->top_down ? z->cur - z->start : z->end - z->cur);
    return NULL;
}

u32
zone_high_used_start(void)
{
    return Zones[ZONE_HIGH].cur;
}

u32
zone_high_end(void)
{
    return Zones[ZONE_HIGH].end;
}
