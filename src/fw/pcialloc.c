// PCI resource allocator: addresses for BARs and bridge windows from
// their sizes (32-bit flat; also host-compiled for tests).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// The model and the policy are described in pcialloc.h. Items are named
// by one index: k < nres is resource k, and nres + 3 * j + g is window g
// of bus j. Bus windows never depend on where their bridge goes (only the
// choice "high or low" at the root level moves things between windows),
// so every pass sizes the buses bottom-up, packs the roots into the three
// windows and stops at the first window that overflows; one step of the
// policy then changes the input and the pass runs again. Every step
// removes something for good, so the loop ends. A tree of one root bus
// alone (the usual machine) is laid out by shorter code, run_flat(),
// with the same result, unless a window overflows.
#include "fw/pcialloc.h" // pcialloc_run
#include "output.h" // dprintf

// struct pa_bus.state
#define S_IO_OK 0x01 // every bridge up to the root forwards I/O
#define S_ABLE  0x02 // its prefetchable window may go above 4 GiB
#define S_WANT  0x04 // it, or a bridge below, asked for 64-bit space
#define S_HIGH  0x08 // (bridge on a root) prefetchable window is high

static const u64 Gran[PA_NTYPES] = {
    PCIALLOC_IO_GRAN, PCIALLOC_MEM_GRAN, PCIALLOC_MEM_GRAN };

static u64
align_up(u64 x, u64 align)
{
    u64 up = ALIGN_UP(x, align);
    return up < x ? ~0ULL : up; // saturates: such a group fits nowhere
}

static bool
is_root(const struct pa_tree *t, int b)
{
    return t->bus[b].flags & PA_BUS_ROOT;
}

// The group of its parent that window g of bridge b joins (a root's
// group g lands in window g).
static int
win_group(const struct pa_tree *t, int b, int g)
{
    const struct pa_bus *bus = &t->bus[b];
    if (g != PA_PREF || (bus->flags & PA_BUS_ROOT))
        return g;
    const struct pa_bus *parent = &t->bus[bus->parent];
    if (parent->flags & PA_BUS_ROOT)
        return bus->state & S_HIGH ? PA_PREF : PA_MEM;
    return parent->flags & PA_BUS_NO_PREF ? PA_MEM : PA_PREF;
}

static int
res_group(const struct pa_tree *t, const struct pa_res *r)
{
    u8 flags = t->bus[r->bus].flags;
    if (r->type == PA_IO)
        return PA_IO;
    if (flags & PA_BUS_ROOT)
        return r->high ? PA_PREF : PA_MEM;
    if (r->type == PA_PREF && !(flags & PA_BUS_NO_PREF))
        return PA_PREF;
    return PA_MEM;
}

// The window that group g of bus b ends up in.
static int
lands(const struct pa_tree *t, int b, int g)
{
    for (; !is_root(t, b); b = t->bus[b].parent)
        g = win_group(t, b, g);
    return g;
}

/****************************************************************
 * Items and packing
 ****************************************************************/

static int
item_count(const struct pa_tree *t)
{
    return PCIALLOC_SCRATCH(t->nres, t->nbus);
}

static u64
item_size(const struct pa_tree *t, int k)
{
    if (k < t->nres)
        return t->res[k].size;
    k -= t->nres;
    return t->bus[k / PA_NTYPES].size[k % PA_NTYPES];
}

static u64
item_align(const struct pa_tree *t, int k)
{
    if (k < t->nres)
        return t->res[k].size;
    k -= t->nres;
    return t->bus[k / PA_NTYPES].align[k % PA_NTYPES];
}

static u64 *
item_off(struct pa_tree *t, int k)
{
    if (k < t->nres)
        return &t->res[k].off;
    k -= t->nres;
    return &t->bus[k / PA_NTYPES].off[k % PA_NTYPES];
}

// True when item k joins group g of bus b (b == -1: window g).
static bool
item_in(const struct pa_tree *t, int k, int b, int g)
{
    if (k < t->nres) {
        const struct pa_res *r = &t->res[k];
        return r->bus == b && r->size && r->state == PA_PLACED
            && res_group(t, r) == g;
    }
    k -= t->nres;
    int j = k / PA_NTYPES, w = k % PA_NTYPES;
    const struct pa_bus *bus = &t->bus[j];
    if (!bus->size[w])
        return false;
    if (bus->flags & PA_BUS_ROOT)
        return b < 0 && w == g;
    return bus->parent == b && win_group(t, j, w) == g;
}

// Packs group g of bus b (b == -1: window g), largest alignment first;
// returns its size and stores its alignment.
static u64
layout(struct pa_tree *t, int b, int g, u64 *align)
{
    u16 *list = t->scratch;
    int n = 0;
    for (int k = 0; k < item_count(t); k++) {
        if (!item_in(t, k, b, g))
            continue;
        u64 a = item_align(t, k);
        int i = n++;
        for (; i > 0 && item_align(t, list[i - 1]) < a; i--)
            list[i] = list[i - 1];
        list[i] = k;
    }
    u64 off = 0;
    *align = 1;
    for (int i = 0; i < n; i++) {
        u64 a = item_align(t, list[i]), size = item_size(t, list[i]);
        off = align_up(off, a);
        *item_off(t, list[i]) = off;
        off = off + size < off ? ~0ULL : off + size;
        *align = MAX(*align, a);
    }
    return off;
}

// Bottom-up: children have higher indices than their parents.
static void
size_buses(struct pa_tree *t)
{
    for (int j = t->nbus - 1; j >= 0; j--) {
        struct pa_bus *bus = &t->bus[j];
        for (int g = 0; g < PA_NTYPES; g++) {
            u64 align, size = layout(t, j, g, &align);
            if (!(bus->flags & PA_BUS_ROOT)) {
                size = MAX(size, bus->reserve[g]);
                if (size) {
                    size = align_up(size, Gran[g]);
                    align = MAX(align, Gran[g]);
                }
            }
            bus->size[g] = size;
            bus->align[g] = align;
        }
    }
}

// The lowest address window g may take.
static u64
win_floor(const struct pa_window *w)
{
    return w->reach && w->reach < w->start ? w->reach : w->start;
}

// Puts the roots' group g, packed into size bytes aligned to align, in
// window g: false when it does not fit.
static bool
place_span(struct pa_tree *t, int g, u64 size, u64 align)
{
    const struct pa_window *w = &t->win[g];
    u64 base = w->start, floor = win_floor(w);
    t->used_start[g] = t->used_end[g] = base;
    if (!size)
        return true;
    if (g != PA_MEM) { // upwards from the start, while that fits
        base = align_up(w->start, align);
        if (base <= w->end && size <= w->end - base)
            goto placed;
    }
    // Against the end; an empty window (end <= floor) fails here too.
    base = ALIGN_DOWN(w->end - size, align);
    if (size > w->end || base < floor)
        return false;
placed:
    t->used_start[g] = base;
    t->used_end[g] = base + size;
    return true;
}

// Packs the roots' group g into window g: false when it does not fit.
static bool
place(struct pa_tree *t, int g)
{
    u64 align, size = layout(t, -1, g, &align);
    return place_span(t, g, size, align);
}

/****************************************************************
 * Policy steps
 ****************************************************************/

static bool
has_high_window(const struct pa_tree *t)
{
    return t->win[PA_PREF].end > t->win[PA_PREF].start;
}

static bool
res_movable(const struct pa_tree *t, const struct pa_res *r)
{
    return is_root(t, r->bus) && r->type != PA_IO && (r->flags & PA_RES_64)
        && r->size && r->state == PA_PLACED && !r->high;
}

static bool
bus_movable(const struct pa_tree *t, int j)
{
    const struct pa_bus *bus = &t->bus[j];
    return !(bus->flags & PA_BUS_ROOT) && is_root(t, bus->parent)
        && (bus->state & S_ABLE) && !(bus->state & S_HIGH)
        && bus->size[PA_PREF];
}

// Step 1: the largest movable item goes high (ties: the later one).
static bool
move_high(struct pa_tree *t)
{
    if (!has_high_window(t))
        return false;
    int best = -1;
    u64 best_size = 0;
    for (int k = 0; k < t->nres; k++)
        if (res_movable(t, &t->res[k]) && t->res[k].size >= best_size) {
            best = k;
            best_size = t->res[k].size;
        }
    for (int j = 0; j < t->nbus; j++)
        if (bus_movable(t, j) && t->bus[j].size[PA_PREF] >= best_size) {
            best = t->nres + j;
            best_size = t->bus[j].size[PA_PREF];
        }
    if (best < 0)
        return false;
    if (best < t->nres)
        t->res[best].high = true;
    else
        t->bus[best - t->nres].state |= S_HIGH;
    return true;
}

// Step 2: resources larger than window g are skipped.
static bool
skip_hopeless(struct pa_tree *t, int g)
{
    bool skipped = false;
    u64 floor = win_floor(&t->win[g]);
    u64 room = t->win[g].end > floor ? t->win[g].end - floor : 0;
    for (int k = 0; k < t->nres; k++) {
        struct pa_res *r = &t->res[k];
        if (r->size > room && r->state == PA_PLACED
            && lands(t, r->bus, res_group(t, r)) == g) {
            r->state = PA_SKIP_FULL;
            skipped = true;
        }
    }
    return skipped;
}

// Step 3: the largest reservation that makes a bridge window landing in
// window g larger than its contents is dropped (ties: the later bridge).
static bool
drop_reservation(struct pa_tree *t, int g)
{
    int best = -1, best_w = 0;
    for (int j = 0; j < t->nbus; j++) {
        struct pa_bus *bus = &t->bus[j];
        for (int w = 0; w < PA_NTYPES; w++) {
            u64 align;
            if (!bus->reserve[w] || lands(t, j, w) != g
                || bus->size[w] <= align_up(layout(t, j, w, &align),
                                            Gran[w]))
                continue;
            if (best < 0 || bus->reserve[w] >= t->bus[best].reserve[best_w]) {
                best = j;
                best_w = w;
            }
        }
    }
    if (best < 0)
        return false;
    t->bus[best].reserve[best_w] = 0;
    t->bus[best].dropped |= 1 << best_w;
    return true;
}

// Step 4: the largest resource in window g is skipped (ties: the later).
static bool
skip_largest(struct pa_tree *t, int g)
{
    int best = -1;
    for (int k = 0; k < t->nres; k++) {
        const struct pa_res *r = &t->res[k];
        if (r->size && r->state == PA_PLACED
            && lands(t, r->bus, res_group(t, r)) == g
            && (best < 0 || r->size >= t->res[best].size))
            best = k;
    }
    if (best < 0)
        return false;
    t->res[best].state = PA_SKIP_FULL;
    return true;
}

/****************************************************************
 * Setup and result
 ****************************************************************/

static bool
tree_valid(const struct pa_tree *t)
{
    if (t->nbus < 0 || t->nres < 0 || !t->scratch
        || PCIALLOC_SCRATCH((u32)t->nres, (u32)t->nbus) > 0xffff)
        return false;
    for (int j = 0; j < t->nbus; j++) {
        int parent = t->bus[j].parent;
        if ((t->bus[j].flags & PA_BUS_ROOT) ? parent != -1
            : parent < 0 || parent >= j)
            return false;
    }
    for (int k = 0; k < t->nres; k++) {
        const struct pa_res *r = &t->res[k];
        if (r->bus < 0 || r->bus >= t->nbus || r->type >= PA_NTYPES
            || (r->size & (r->size - 1)))
            return false;
    }
    return true;
}

// Reachability, ability to go high, and the starting choices.
static void
prepare(struct pa_tree *t)
{
    for (int j = 0; j < t->nbus; j++) {
        struct pa_bus *bus = &t->bus[j];
        u8 f = bus->flags;
        bus->state = bus->dropped = 0;
        if ((f & PA_BUS_ROOT) || (!(f & PA_BUS_NO_IO)
                                  && (t->bus[bus->parent].state & S_IO_OK)))
            bus->state |= S_IO_OK;
        if ((f & PA_BUS_NO_PREF) || ((f & PA_BUS_PREF64)
                                     && !(f & PA_BUS_PREF_LOW)))
            bus->state |= S_ABLE;
        if (f & PA_BUS_WANT_HIGH)
            bus->state |= S_WANT;
        if (f & PA_BUS_ROOT)
            bus->reserve[PA_IO] = bus->reserve[PA_MEM] = 0;
        if (!(bus->state & S_IO_OK))
            bus->reserve[PA_IO] = 0;
        if (f & (PA_BUS_NO_PREF | PA_BUS_ROOT))
            bus->reserve[PA_PREF] = 0;
    }
    for (int k = 0; k < t->nres; k++) {
        struct pa_res *r = &t->res[k];
        struct pa_bus *bus = &t->bus[r->bus];
        r->state = PA_PLACED;
        r->high = false;
        r->addr = 0;
        if (r->type == PA_IO && !(bus->state & S_IO_OK))
            r->state = PA_SKIP_NOWIN;
        if (r->type == PA_PREF && !(r->flags & PA_RES_64)
            && !(bus->flags & PA_BUS_NO_PREF))
            bus->state &= ~S_ABLE;
    }
    for (int j = t->nbus - 1; j >= 0; j--) {
        struct pa_bus *bus = &t->bus[j];
        if (bus->flags & PA_BUS_ROOT)
            continue;
        struct pa_bus *parent = &t->bus[bus->parent];
        if (parent->flags & PA_BUS_ROOT)
            continue;
        parent->state |= bus->state & S_WANT;
        if (!(bus->state & S_ABLE) && !(parent->flags & PA_BUS_NO_PREF))
            parent->state &= ~S_ABLE;
    }
}

static void
start_high(struct pa_tree *t)
{
    if (!has_high_window(t))
        return;
    for (int k = 0; k < t->nres; k++) {
        struct pa_res *r = &t->res[k];
        if (t->high_min && r->type == PA_PREF && res_movable(t, r)
            && r->size >= t->high_min)
            r->high = true;
    }
    for (int j = 0; j < t->nbus; j++) {
        struct pa_bus *bus = &t->bus[j];
        if (bus_movable(t, j) && ((bus->state & S_WANT)
                                  || (t->high_min && bus->size[PA_PREF]
                                      >= t->high_min)))
            bus->state |= S_HIGH;
    }
}

static void
assign(struct pa_tree *t)
{
    for (int j = 0; j < t->nbus; j++) {
        struct pa_bus *bus = &t->bus[j];
        for (int g = 0; g < PA_NTYPES; g++) {
            u64 base = (bus->flags & PA_BUS_ROOT) ? t->used_start[g]
                : t->bus[bus->parent].base[win_group(t, j, g)];
            bus->base[g] = bus->size[g] ? base + bus->off[g] : 0;
        }
        bus->pref_high = bus->size[PA_PREF] && lands(t, j, PA_PREF) == PA_PREF;
    }
    for (int k = 0; k < t->nres; k++) {
        struct pa_res *r = &t->res[k];
        if (!r->size || r->state != PA_PLACED)
            continue;
        int g = res_group(t, r);
        r->addr = t->bus[r->bus].base[g] + r->off;
        r->high = lands(t, r->bus, g) == PA_PREF;
    }
}

// The common case, one root bus and nothing else (no bridge, no pxb
// root), in less code: what prepare(), start_high(), a first pass of the
// general loop and assign() give when everything fits at once. The
// groups of the root hold only resources, aligned to their size, so one
// list of every resource, largest first (ties in input order), packs all
// three groups in one pass, and each group alone fills its window. False
// when a window overflows: the general passes then start over.
static bool
run_flat(struct pa_tree *t)
{
    struct pa_bus *bus = &t->bus[0];
    u16 *list = t->scratch;
    bool high = has_high_window(t) && t->high_min;
    for (int k = 0; k < t->nres; k++) {
        struct pa_res *r = &t->res[k];
        r->state = PA_PLACED;
        r->high = high && r->type == PA_PREF && (r->flags & PA_RES_64)
            && r->size >= t->high_min;
        int i = k; // insertion sort: strictly smaller ones move up
        for (; i > 0 && t->res[list[i - 1]].size < r->size; i--)
            list[i] = list[i - 1];
        list[i] = k;
    }
    // Larger powers of two go first, so each offset stays aligned, and
    // the first item of a group gives its alignment. Size 0 ones come
    // last and take no room (nor give an alignment a non-empty group
    // would use).
    u64 off[PA_NTYPES] = { 0 }, align[PA_NTYPES] = { 0 };
    for (int i = 0; i < t->nres; i++) {
        struct pa_res *r = &t->res[list[i]];
        int g = res_group(t, r);
        if (!off[g])
            align[g] = r->size;
        r->off = off[g];
        off[g] += r->size;
        if (off[g] < r->size)
            return false; // more than 2^64 bytes
    }
    for (int g = 0; g < PA_NTYPES; g++) {
        if (!place_span(t, g, off[g], align[g]))
            return false;
        bus->size[g] = off[g];
        bus->base[g] = off[g] ? t->used_start[g] : 0;
        bus->reserve[g] = 0; // as prepare() does for a root
    }
    bus->pref_high = bus->size[PA_PREF] != 0;
    bus->dropped = 0;
    for (int k = 0; k < t->nres; k++) {
        struct pa_res *r = &t->res[k];
        r->addr = r->size ? t->used_start[res_group(t, r)] + r->off : 0;
    }
    return true;
}

int
pcialloc_run(struct pa_tree *t)
{
    if (!tree_valid(t)) {
        dprintf(LOG_WARN, "pcialloc: inconsistent tree (%d buses, %d"
                " resources)\n", t->nbus, t->nres);
        return -1;
    }
    if (t->nbus == 1 && run_flat(t)) // bus 0 is a root (tree_valid)
        return 0;
    prepare(t);
    size_buses(t);
    start_high(t);
    for (;;) {
        size_buses(t);
        int g = 0;
        while (g < PA_NTYPES && place(t, g))
            g++;
        if (g == PA_NTYPES)
            break;
        if (!(g == PA_MEM && move_high(t)) && !skip_hopeless(t, g)
            && !drop_reservation(t, g) && !skip_largest(t, g))
            break; // cannot happen: an empty window always fits
    }
    assign(t);
    int unplaced = 0;
    for (int k = 0; k < t->nres; k++)
        if (t->res[k].size && t->res[k].state != PA_PLACED)
            unplaced++;
    return unplaced;
}
