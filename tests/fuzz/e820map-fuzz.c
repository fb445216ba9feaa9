// libFuzzer target for src/e820map.c (host-compiled only).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Input: byte 0 picks the table size (1..24 entries, allocated exactly so
// ASan sees any write past it), byte 1 the mode:
//   0: the rest is an etc/e820 file for e820map_import_qemu();
//   1: 3-byte add/remove operations on 4 KiB pages at the bottom or the
//      very top of the space, each checked against a page-by-page model
//      (entries, return value, refusals);
//   2: free-form operations with 64-bit values, CMOS sizes, imports and
//      lists.
// After every call the map must be sorted, without overlap, merged, and
// unchanged when the call failed.
#include <stdint.h> // uint8_t
#include <stdio.h> // fprintf
#include <stdlib.h> // abort, malloc
#include <string.h> // memcmp

#include "fuzz.h" // REQUIRE
#include "e820map.h" // e820map_add

#define PAGE 0x1000ULL
#define PAGES 512 // model pages: a start and a size of up to 255 each
#define TOP_WINDOW 256 // pages below 2^64 when the window is at the top
#define TOP ~0ULL

static void
check_invariants(const struct e820_map *m)
{
    int i;

    REQUIRE(m->count >= 0 && m->count <= m->max);
    for (i = 0; i < m->count; i++) {
        const struct e820_entry *e = &m->entries[i];
        u64 last = e->start + e->size - 1;

        REQUIRE(e->size != 0);
        REQUIRE(last >= e->start);
        REQUIRE(e->type != 0);
        if (i) {
            const struct e820_entry *p = &m->entries[i - 1];
            u64 plast = p->start + p->size - 1;

            REQUIRE(plast < e->start);
            if (plast + 1 == e->start && p->type == e->type)
                REQUIRE(p->start == 0 && last == TOP);
        }
    }
}

// A copy of the map to compare with after a failed call.
struct snapshot {
    struct e820_entry e[24];
    int count;
};

static void
snap(struct snapshot *s, const struct e820_map *m)
{
    s->count = m->count;
    memcpy(s->e, m->entries, m->count * sizeof(s->e[0]));
}

static void
require_same(const struct snapshot *s, const struct e820_map *m)
{
    REQUIRE(s->count == m->count);
    REQUIRE(!memcmp(s->e, m->entries, m->count * sizeof(s->e[0])));
}

static u64
take(const uint8_t **p, size_t *left, int bytes)
{
    u64 v = 0;

    while (bytes-- && *left) {
        v = (v << 8) | **p;
        (*p)++;
        (*left)--;
    }
    return v;
}

static void
run_import(struct e820_map *m, const uint8_t *data, size_t size)
{
    int n = e820map_import_qemu(m, data, size);

    REQUIRE(n >= 0 && (size_t)n <= size / 20);
    check_invariants(m);
}

// Entries that the model's pages make: runs of one nonzero type.
static int
model_entries(const u8 *pages, u64 base, struct e820_entry *out, int max)
{
    int i = 0, n = 0;

    while (i < PAGES) {
        int j = i;

        if (!pages[i]) {
            i++;
            continue;
        }
        while (j < PAGES && pages[j] == pages[i])
            j++;
        if (n < max) {
            out[n].start = base + i * PAGE;
            out[n].size = (j - i) * PAGE;
            out[n].type = pages[i];
        }
        n++;
        i = j;
    }
    return n;
}

static void
run_model(struct e820_map *m, const uint8_t *data, size_t size)
{
    static u8 pages[PAGES], next[PAGES];
    struct e820_entry want[24];
    struct snapshot before;
    // The window sits at the bottom or at the very top of the space.
    u64 base = size && (data[0] & 1) ? 0 - TOP_WINDOW * PAGE : 0;
    size_t i;

    memset(pages, 0, sizeof(pages));
    for (i = 1; i + 3 <= size; i += 3) {
        int remove = data[i] & 1, type = (data[i] >> 1) & 7;
        int start = data[i + 1], npages = data[i + 2], p, n, ret;
        bool wraps = base && start + npages > TOP_WINDOW;

        snap(&before, m);
        if (remove)
            ret = e820map_remove(m, base + start * PAGE, npages * PAGE);
        else
            ret = e820map_add(m, base + start * PAGE, npages * PAGE, type);
        check_invariants(m);
        if (!npages) {
            REQUIRE(ret == 0);
            require_same(&before, m);
            continue;
        }
        if (wraps || (!remove && !type)) {
            REQUIRE(ret == -1);
            require_same(&before, m);
            continue;
        }
        memcpy(next, pages, sizeof(next));
        for (p = start; p < start + npages && p < PAGES; p++)
            next[p] = remove ? 0 : type;
        n = model_entries(next, base, want, 24);
        if (n > m->max) {
            REQUIRE(ret == -1);
            require_same(&before, m);
            continue;
        }
        REQUIRE(ret == 0);
        REQUIRE(m->count == n);
        REQUIRE(!memcmp(want, m->entries, n * sizeof(want[0])));
        memcpy(pages, next, sizeof(pages));
    }
}

static void
run_wild(struct e820_map *m, const uint8_t *data, size_t size)
{
    struct snapshot before;

    while (size) {
        u8 op = take(&data, &size, 1);
        u64 a = take(&data, &size, 8), b = take(&data, &size, 8);
        u8 t = take(&data, &size, 1);
        size_t len;
        int ret;

        snap(&before, m);
        switch (op % 7) {
        case 0: // small values collide more
            if (op & 0x80) {
                a &= 0xffffff;
                b &= 0xffffff;
            }
            ret = e820map_add(m, a, b, t % 8);
            break;
        case 1:
            if (op & 0x80) {
                a &= 0xffffff;
                b &= 0xffffff;
            }
            ret = e820map_remove(m, a, b);
            break;
        case 2:
            len = MIN((size_t)t, size);
            run_import(m, data, len);
            data += len;
            size -= len;
            ret = 0;
            break;
        case 3:
            ret = e820map_from_cmos(m, a, a >> 16, b);
            REQUIRE(ret == 0 || ret == -1);
            ret = 0;
            break;
        case 4: {
            u64 top = e820map_ram_top_below(m, a);

            REQUIRE(top <= a);
            REQUIRE(top == 0 || top > 0x100000);
            e820map_ram_total(m);
            ret = 0;
            break;
        }
        case 5: { // a list of up to 4 entries from the next bytes
            struct e820_entry list[4];
            u32 n = MIN((size_t)t % 5 * sizeof(list[0]), size)
                / sizeof(list[0]);

            memcpy(list, data, n * sizeof(list[0]));
            data += n * sizeof(list[0]);
            size -= n * sizeof(list[0]);
            ret = e820map_apply_list(m, list, n);
            REQUIRE(ret >= 0 && (u32)ret <= n);
            ret = 0;
            break;
        }
        default:
            e820map_dump(m);
            ret = 0;
            break;
        }
        check_invariants(m);
        REQUIRE(ret == 0 || ret == -1);
        if (ret)
            require_same(&before, m);
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct e820_entry *storage;
    struct e820_map m;
    int max;

    if (size < 2)
        return 0;
    max = 1 + data[0] % 24;
    storage = malloc(max * sizeof(*storage));
    REQUIRE(storage);
    e820map_init(&m, storage, max);
    switch (data[1] % 3) {
    case 0:
        run_import(&m, data + 2, size - 2);
        break;
    case 1:
        run_model(&m, data + 2, size - 2);
        break;
    default:
        run_wild(&m, data + 2, size - 2);
        break;
    }
    free(storage);
    return 0;
}
