// E820 memory map builder (32-bit flat; also host-compiled for tests).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Internally a range is [start, last] with an inclusive last byte, so that
// a range may end at the top of the 64-bit space. Only one range cannot be
// held in an entry: all of it (start 0, size 2^64), so two touching entries
// of one type that would add up to that stay two entries.
#include "e820map.h" // struct e820_map
#include "output.h" // dprintf
#include "string.h" // memcpy

#define E820_1MB 0x100000ULL
#define E820_16MB 0x1000000ULL
#define E820_4GB 0x100000000ULL
#define E820_QEMU_RECORD 20 // bytes per record in fw_cfg "etc/e820"
#define E820_MAX_TYPE E820_UNUSABLE // highest type taken from etc/e820

static u64
entry_last(const struct e820_entry *e)
{
    return e->start + e->size - 1;
}

// The size of a and b as one entry, or 0 if they cannot be one: b must
// start right after a ends and have a's type, and the two together must
// not be all 2^64 bytes (that size wraps to 0). b lies above a, so its
// start is not 0 and an `a` that ends at the top of the space never
// seems to touch it.
static u64
merged_size(const struct e820_entry *a, const struct e820_entry *b)
{
    if (a->type != b->type || a->start + a->size != b->start)
        return 0;
    return a->size + b->size;
}

void
e820map_init(struct e820_map *m, struct e820_entry *storage, int max)
{
    // Without storage the map points at a spare entry of its own that is
    // never read or written (max is 0), so that every function may
    // compute entries + count without testing for NULL.
    static struct e820_entry none[1];

    m->entries = storage ? storage : none;
    m->count = 0;
    m->max = storage && max > 0 ? max : 0;
}

// Appends the piece at *p to the pieces that start at `piece`, merged
// into the one before it when they can be one entry. Returns where the
// next piece goes.
static struct e820_entry *
piece_push(struct e820_entry *piece, struct e820_entry *p)
{
    u64 size;

    if (p > piece && (size = merged_size(p - 1, p))) {
        p[-1].size = size;
        return p;
    }
    return p + 1;
}

// Makes [start, last] hold `type`, or nothing if type is 0. At most three
// pieces replace the entries that overlap the range: what is left of the
// first one on the left, the new range, what is left of the last one on
// the right. They merge with each other first, left to right, then with
// the untouched neighbours: that order decides which two entries stay
// apart when the result would be all of the space. The result is computed
// before the table is touched, so a table without room stays as it was.
static int
e820map_apply(struct e820_map *m, u64 start, u64 last, u32 type)
{
    struct e820_entry *e = m->entries, *end = e + m->count, *lo, *hi, *s;
    // The pieces go to buf[1..3]. buf[0], and buf[1] until a piece is
    // there, have type 0, which merges with no entry: so the neighbour
    // merges below need no test for "no piece at all".
    struct e820_entry buf[4], *piece = buf + 1, *p = piece;
    int n, shift;
    u64 size;

    buf[0].type = buf[1].type = 0;

    // Entries lo..hi-1 are those that overlap [start, last]. Searched
    // from the top: most ranges the BIOS sets lie high in the map.
    for (hi = end; hi > e && hi[-1].start > last; hi--)
        ;
    for (lo = hi; lo > e && entry_last(lo - 1) >= start; lo--)
        ;
    if (!type && hi == lo)
        return 0; // removing what is not there
    if (hi > lo && lo->start < start) {
        p->start = lo->start;
        p->size = start - lo->start;
        p->type = lo->type;
        p++;
    }
    if (type) {
        p->start = start;
        p->size = last - start + 1;
        p->type = type;
        p = piece_push(piece, p);
    }
    if (hi > lo && entry_last(hi - 1) > last) {
        p->start = last + 1;
        p->size = entry_last(hi - 1) - last;
        p->type = hi[-1].type;
        p = piece_push(piece, p);
    }
    n = p - piece;
    if (lo > e && (size = merged_size(lo - 1, piece))) {
        lo--;
        piece[0].start = lo->start;
        piece[0].size = size;
    }
    if (hi < end && (size = merged_size(p - 1, hi))) {
        p[-1].size = size;
        hi++;
    }

    shift = n - (hi - lo);
    if (m->count + shift > m->max) {
        if (type)
            dprintf(LOG_WARN, "e820: table full at %d entries, cannot add"
                    " start=0x%llx size=0x%llx type=%u\n",
                    m->max, start, last - start + 1, type);
        else
            dprintf(LOG_WARN, "e820: table full at %d entries, cannot"
                    " remove start=0x%llx size=0x%llx\n",
                    m->max, start, last - start + 1);
        return -1;
    }
    // Slide the entries after the range to their place an entry at a
    // time (from the end when they move up), then put the pieces in with
    // memcpy(): its code is translated already, a loop here would be too.
    if (shift > 0) {
        for (s = end; s > hi; s--)
            s[shift - 1] = s[-1];
    } else if (shift < 0) {
        for (s = hi; s < end; s++)
            s[shift] = *s;
    }
    memcpy(lo, piece, n * sizeof(*piece));
    m->count += shift;
    return 0;
}

// Checks a caller's range; returns 1 to go on, 0 if there is nothing to do
// and -1 if it is refused (logged).
static int
e820map_check_range(u64 start, u64 size, const char *what)
{
    if (!size)
        return 0;
    if (start + size - 1 < start) {
        dprintf(LOG_WARN, "e820: %s range wraps past 2^64, start=0x%llx"
                " size=0x%llx\n", what, start, size);
        return -1;
    }
    return 1;
}

int
e820map_add(struct e820_map *m, u64 start, u64 size, u32 type)
{
    int ret = e820map_check_range(start, size, "add");

    if (ret <= 0)
        return ret;
    if (!type) {
        dprintf(LOG_WARN, "e820: add type 0 refused, start=0x%llx"
                " size=0x%llx\n", start, size);
        return -1;
    }
    return e820map_apply(m, start, start + size - 1, type);
}

int
e820map_remove(struct e820_map *m, u64 start, u64 size)
{
    int ret = e820map_check_range(start, size, "remove");

    if (ret <= 0)
        return ret;
    return e820map_apply(m, start, start + size - 1, 0);
}

u64
e820map_ram_top_below(const struct e820_map *m, u64 limit)
{
    int i;

    if (limit <= E820_1MB)
        return 0;
    // The type first: it is one compare. 1 MiB - start wraps to more than
    // any size when the entry starts above 1 MiB.
    for (i = 0; i < m->count; i++) {
        const struct e820_entry *e = &m->entries[i];

        if (e->type != E820_RAM || E820_1MB - e->start >= e->size)
            continue;
        return MIN(entry_last(e), limit - 1) + 1;
    }
    return 0;
}

u64
e820map_ram_total(const struct e820_map *m)
{
    u64 total = 0;
    int i;

    for (i = 0; i < m->count; i++) {
        u64 size = m->entries[i].size;

        if (m->entries[i].type != E820_RAM)
            continue;
        if (total + size < total)
            return ~0ULL;
        total += size;
    }
    return total;
}

// A record of etc/e820 is laid out as struct e820_entry (packed, so it
// may sit at any address) in little-endian order, which is the order of
// x86 and of every host the tests run on: records are read in place.
_Static_assert(sizeof(struct e820_entry) == E820_QEMU_RECORD,
               "etc/e820 record layout");
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
               "etc/e820 records are read as host integers");

// Sets each record r[0..n-1] in order (later ones win), skipping with a
// log line those that are empty, of a type outside min_type..5, or that
// run past 2^64 - 1; type 0 (where min_type allows it) makes a hole.
// `what` names the records in log lines. Returns how many were set.
static int
apply_records(struct e820_map *m, const struct e820_entry *r, u32 n,
              u32 min_type, const char *what)
{
    u32 i;
    int applied = 0;

    for (i = 0; i < n; i++, r++) {
        u64 start = r->start, size = r->size;
        u32 type = r->type;

        if (!size) {
            dprintf(LOG_DEBUG, "e820: %s entry %u empty, skipped\n",
                    what, i);
            continue;
        }
        if (type < min_type || type > E820_MAX_TYPE) {
            dprintf(LOG_WARN, "e820: %s entry %u has unknown type %u,"
                    " start=0x%llx size=0x%llx, skipped\n",
                    what, i, type, start, size);
            continue;
        }
        if (start + size - 1 < start) {
            dprintf(LOG_WARN, "e820: %s entry %u wraps past 2^64,"
                    " start=0x%llx size=0x%llx, skipped\n",
                    what, i, start, size);
            continue;
        }
        // Checked as e820map_add() would: set the range directly.
        if (e820map_apply(m, start, start + size - 1, type) == 0)
            applied++;
    }
    return applied;
}

int
e820map_apply_list(struct e820_map *m, const struct e820_entry *list, u32 n)
{
    return apply_records(m, list, n, 0, "list");
}

int
e820map_import_qemu(struct e820_map *m, const void *buf, u32 len)
{
    if (!buf)
        len = 0;
    if (len % E820_QEMU_RECORD)
        dprintf(LOG_WARN, "e820: etc/e820 size %u not a multiple of %d,"
                " ignoring %u trailing bytes\n", len, E820_QEMU_RECORD,
                len % E820_QEMU_RECORD);
    return apply_records(m, buf, len / E820_QEMU_RECORD, E820_RAM,
                         "etc/e820");
}

int
e820map_from_cmos(struct e820_map *m, u16 ext_kb_30, u16 ext64k_34,
                  u32 high64k_5b)
{
    u64 top;
    int ret = 0;

    if (ext64k_34)
        top = E820_16MB + ((u64)ext64k_34 << 16);
    else
        top = E820_1MB + ((u64)ext_kb_30 << 10);
    if (top > E820_4GB) {
        dprintf(LOG_WARN, "e820: cmos ram top 0x%llx above 4 GiB, clamped,"
                " cmos34=0x%x\n", top, ext64k_34);
        top = E820_4GB;
    }
    if (top > E820_1MB && e820map_add(m, E820_1MB, top - E820_1MB, E820_RAM))
        ret = -1;

    if (high64k_5b > 0xffffff) {
        dprintf(LOG_WARN, "e820: cmos high ram 0x%x wider than 24 bits,"
                " masked\n", high64k_5b);
        high64k_5b &= 0xffffff;
    }
    if (high64k_5b
        && e820map_add(m, E820_4GB, (u64)high64k_5b << 16, E820_RAM))
        ret = -1;
    return ret;
}

static const char *
type_name(u32 type)
{
    switch (type) {
    case E820_RAM: return "ram";
    case E820_RESERVED: return "reserved";
    case E820_ACPI: return "acpi";
    case E820_NVS: return "nvs";
    case E820_UNUSABLE: return "unusable";
    default: return "?";
    }
}

void
e820map_dump(const struct e820_map *m)
{
    for (int i = 0; i < m->count; i++) {
        const struct e820_entry *e = &m->entries[i];
        dprintf(LOG_INFO, "e820: %016llx-%016llx %s\n", e->start,
                entry_last(e), type_name(e->type));
    }
}
