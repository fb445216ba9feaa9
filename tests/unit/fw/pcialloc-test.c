// Unit tests for src/fw/pcialloc.c (host-compiled only).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Every run is followed by check_tree(), which verifies what any result
// must satisfy, recomputing group membership independently: each placed
// resource is naturally aligned and inside the window of the group it
// joins, bridge windows are whole units of their granularity and nest in
// their parent's, nothing on one bus overlaps, I/O stays below 64 KiB,
// 32-bit windows below 4 GiB. The tests then check the chosen addresses.
// A seeded random test runs the checker over many generated trees.
#include <setjmp.h> // jmp_buf, for cmocka
#include <stdarg.h> // va_list, for cmocka
#include <stddef.h> // size_t, for cmocka
#include <stdint.h> // uintmax_t, for cmocka
#include <string.h> // memset
#include <cmocka.h> // cmocka_unit_test

#include "fw/pcialloc.h" // pcialloc_run
#include "stub_output.h" // stub_log_has

#define MAX_BUSES 64
#define MAX_RES 600
#define KIB 0x400ULL
#define MIB 0x100000ULL
#define GIB 0x40000000ULL
#define FOUR_GIB 0x100000000ULL
#define IO_START 0xc000
#define IO_END 0x10000
#define MEM32_START 0xc0000000ULL
#define MEM32_END 0xfec00000ULL
#define MEM64_START (8 * GIB)
#define MEM64_END (1ULL << 40)

static struct pa_bus buses[MAX_BUSES];
static struct pa_res res[MAX_RES];
static u16 scratch[PCIALLOC_SCRATCH(MAX_RES, MAX_BUSES)];
static struct pa_tree tree;

static struct pa_window
window(u64 start, u64 end)
{
    return (struct pa_window){ .start = start, .end = end };
}

static int
setup(void **state)
{
    (void)state;
    memset(buses, 0, sizeof(buses));
    memset(res, 0, sizeof(res));
    memset(&tree, 0, sizeof(tree));
    tree.bus = buses;
    tree.res = res;
    tree.scratch = scratch;
    tree.win[PA_IO] = window(IO_START, IO_END);
    tree.win[PA_MEM] = window(MEM32_START, MEM32_END);
    tree.win[PA_PREF] = window(MEM64_START, MEM64_END);
    stub_log_reset();
    return 0;
}

static int
add_root(void)
{
    buses[tree.nbus] = (struct pa_bus){ .parent = -1, .flags = PA_BUS_ROOT };
    return tree.nbus++;
}

static int
add_bridge(int parent, u8 flags)
{
    buses[tree.nbus] = (struct pa_bus){ .parent = parent, .flags = flags };
    return tree.nbus++;
}

static int
add_res(int bus, u8 type, u8 flags, u64 size)
{
    res[tree.nres] = (struct pa_res){ .bus = bus, .type = type,
                                      .flags = flags, .size = size };
    return tree.nres++;
}

/****************************************************************
 * The invariant checker
 ****************************************************************/

static bool
root(int b)
{
    return buses[b].flags & PA_BUS_ROOT;
}

// The group of its bus that a placed resource joined.
static int
group_of_res(const struct pa_res *r)
{
    if (r->type == PA_IO)
        return PA_IO;
    if (root(r->bus))
        return r->high ? PA_PREF : PA_MEM;
    if (r->type == PA_PREF && !(buses[r->bus].flags & PA_BUS_NO_PREF))
        return PA_PREF;
    return PA_MEM;
}

// The group of its parent that window g of bridge b joined.
static int
group_of_window(int b, int g)
{
    const struct pa_bus *parent = &buses[buses[b].parent];
    if (g != PA_PREF)
        return g;
    if (parent->flags & PA_BUS_ROOT)
        return buses[b].pref_high ? PA_PREF : PA_MEM;
    return parent->flags & PA_BUS_NO_PREF ? PA_MEM : PA_PREF;
}

static void
assert_inside(u64 start, u64 size, u64 outer, u64 outer_size)
{
    assert_true(start >= outer);
    assert_true(size <= outer_size);
    assert_true(start - outer <= outer_size - size);
}

struct span {
    u64 start, size;
    bool io;
};

static void
assert_disjoint(const struct span *s, int n)
{
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            if (s[i].io == s[j].io)
                assert_true(s[i].start + s[i].size <= s[j].start
                            || s[j].start + s[j].size <= s[i].start);
}

static void
check_tree(void)
{
    static struct span spans[MAX_RES + 3 * MAX_BUSES];
    for (int b = 0; b < tree.nbus; b++) {
        const struct pa_bus *bus = &buses[b];
        for (int g = 0; g < PA_NTYPES; g++) {
            if (!bus->size[g])
                continue;
            if (root(b)) {
                const struct pa_window *w = &tree.win[g];
                u64 floor = w->reach && w->reach < w->start ? w->reach
                    : w->start;
                assert_inside(bus->base[g], bus->size[g], floor,
                              w->end - floor);
                assert_inside(bus->base[g], bus->size[g],
                              tree.used_start[g],
                              tree.used_end[g] - tree.used_start[g]);
                continue;
            }
            u64 gran = g == PA_IO ? PCIALLOC_IO_GRAN : PCIALLOC_MEM_GRAN;
            assert_int_equal(bus->base[g] % gran, 0);
            assert_int_equal(bus->size[g] % gran, 0);
            assert_true(bus->size[g] >= bus->reserve[g]);
            int pg = group_of_window(b, g);
            const struct pa_bus *parent = &buses[bus->parent];
            assert_inside(bus->base[g], bus->size[g], parent->base[pg],
                          parent->size[pg]);
            if (g == PA_IO)
                assert_true(bus->base[g] + bus->size[g] <= 0x10000);
            if (g == PA_IO)
                assert_false(bus->flags & PA_BUS_NO_IO);
            if (g == PA_MEM)
                assert_true(bus->base[g] + bus->size[g] <= FOUR_GIB);
            if (g == PA_PREF) {
                assert_false(bus->flags & PA_BUS_NO_PREF);
                assert_int_equal(bus->pref_high, bus->base[g] >= FOUR_GIB);
                if (!(bus->flags & PA_BUS_PREF64))
                    assert_false(bus->pref_high);
            }
        }
    }
    for (int k = 0; k < tree.nres; k++) {
        const struct pa_res *r = &res[k];
        if (!r->size || r->state != PA_PLACED)
            continue;
        assert_int_equal(r->addr % r->size, 0);
        int g = group_of_res(r);
        const struct pa_bus *bus = &buses[r->bus];
        assert_inside(r->addr, r->size, bus->base[g], bus->size[g]);
        assert_int_equal(r->high, r->addr >= FOUR_GIB);
        if (r->high)
            assert_true(r->flags & PA_RES_64);
        if (r->type == PA_IO)
            assert_true(r->addr + r->size <= 0x10000);
    }
    // Nothing on one bus overlaps: its resources and its bridges'
    // windows (memory groups share one address space).
    for (int b = 0; b < tree.nbus; b++) {
        int n = 0;
        for (int k = 0; k < tree.nres; k++)
            if (res[k].bus == b && res[k].size
                && res[k].state == PA_PLACED)
                spans[n++] = (struct span){ res[k].addr, res[k].size,
                                            res[k].type == PA_IO };
        for (int c = 0; c < tree.nbus; c++)
            if (!root(c) && buses[c].parent == b)
                for (int g = 0; g < PA_NTYPES; g++)
                    if (buses[c].size[g])
                        spans[n++] = (struct span){ buses[c].base[g],
                                                    buses[c].size[g],
                                                    g == PA_IO };
        assert_disjoint(spans, n);
    }
    // Roots do not overlap each other either.
    int n = 0;
    for (int b = 0; b < tree.nbus; b++)
        for (int g = 0; root(b) && g < PA_NTYPES; g++)
            if (buses[b].size[g])
                spans[n++] = (struct span){ buses[b].base[g],
                                            buses[b].size[g], g == PA_IO };
    assert_disjoint(spans, n);
}

static int
run(void)
{
    int unplaced = pcialloc_run(&tree);
    assert_true(unplaced >= 0);
    check_tree();
    return unplaced;
}

/****************************************************************
 * Packing and alignment
 ****************************************************************/

static void
test_root_packing(void **state)
{
    (void)state;
    int r0 = add_root();
    int a = add_res(r0, PA_MEM, 0, 4 * KIB);
    int b = add_res(r0, PA_MEM, 0, 16 * MIB);
    int c = add_res(r0, PA_PREF, PA_RES_64, 16 * KIB);
    int d = add_res(r0, PA_MEM, 0, 4 * KIB);
    int io1 = add_res(r0, PA_IO, 0, 0x20);
    int io2 = add_res(r0, PA_IO, 0, 0x100);
    int none = add_res(r0, PA_MEM, 0, 0);
    assert_int_equal(run(), 0);
    // Largest alignment first, ties in input order, packed against the
    // top of the 32-bit window.
    u64 total = 16 * MIB + 16 * KIB + 8 * KIB;
    u64 base = (MEM32_END - total) & ~(16 * MIB - 1);
    assert_int_equal(res[b].addr, base);
    assert_int_equal(res[c].addr, base + 16 * MIB);
    assert_int_equal(res[a].addr, base + 16 * MIB + 16 * KIB);
    assert_int_equal(res[d].addr, base + 16 * MIB + 20 * KIB);
    assert_false(res[c].high); // small: stays below 4 GiB
    // I/O from the window start upwards.
    assert_int_equal(res[io2].addr, IO_START);
    assert_int_equal(res[io1].addr, IO_START + 0x100);
    assert_int_equal(tree.used_start[PA_IO], IO_START);
    assert_int_equal(tree.used_end[PA_IO], IO_START + 0x120);
    assert_int_equal(res[none].addr, 0);
    assert_int_equal(tree.used_start[PA_PREF], tree.used_end[PA_PREF]);
}

static void
test_alignment(void **state)
{
    (void)state;
    int r0 = add_root();
    // Window starts that are not aligned for the BARs.
    tree.win[PA_MEM] = window(0xd0100000, MEM32_END);
    tree.win[PA_IO] = window(0xc004, IO_END);
    int big = add_res(r0, PA_MEM, 0, 256 * MIB);
    int small = add_res(r0, PA_MEM, 0, 16);
    int io = add_res(r0, PA_IO, 0, 0x40);
    assert_int_equal(run(), 0);
    // The block (256 MiB + 16) goes as high as its alignment allows.
    assert_int_equal(res[big].addr, 0xe0000000);
    assert_int_equal(res[small].addr, 0xf0000000);
    assert_int_equal(res[io].addr, 0xc040);
}

/****************************************************************
 * Bridges
 ****************************************************************/

static void
test_bridge_rounding(void **state)
{
    (void)state;
    int r0 = add_root();
    int br = add_bridge(r0, PA_BUS_PREF64);
    int m = add_res(br, PA_MEM, 0, 4 * KIB);
    int p = add_res(br, PA_PREF, PA_RES_64, 16 * KIB);
    int io = add_res(br, PA_IO, 0, 0x20);
    int m2 = add_res(br, PA_MEM, 0, 2 * MIB);
    assert_int_equal(run(), 0);
    // I/O: 4 KiB units; memory: 1 MiB units, aligned to the largest BAR.
    assert_int_equal(buses[br].size[PA_IO], 4 * KIB);
    assert_int_equal(buses[br].base[PA_IO], IO_START);
    assert_int_equal(res[io].addr, IO_START);
    assert_int_equal(buses[br].size[PA_MEM], 3 * MIB);
    assert_int_equal(buses[br].base[PA_MEM] % (2 * MIB), 0);
    assert_int_equal(res[m2].addr, buses[br].base[PA_MEM]);
    assert_int_equal(res[m].addr, buses[br].base[PA_MEM] + 2 * MIB);
    assert_int_equal(buses[br].size[PA_PREF], MIB);
    assert_int_equal(res[p].addr, buses[br].base[PA_PREF]);
    assert_false(buses[br].pref_high);
    // 3 MiB (2 MiB aligned) + 1 MiB end at the top of the window.
    assert_int_equal(tree.used_start[PA_MEM], MEM32_END - 4 * MIB);
    assert_int_equal(tree.used_end[PA_MEM], MEM32_END);
}

static void
test_bridge_reservation(void **state)
{
    (void)state;
    int r0 = add_root();
    int empty = add_bridge(r0, PA_BUS_PREF64);
    buses[empty].reserve[PA_IO] = 4 * KIB;
    buses[empty].reserve[PA_MEM] = 2 * MIB;
    buses[empty].reserve[PA_PREF] = 2 * MIB;
    int full = add_bridge(r0, PA_BUS_PREF64);
    buses[full].reserve[PA_MEM] = 2 * MIB;
    buses[full].reserve[PA_PREF] = 0x180000; // not a whole unit
    int big = add_res(full, PA_MEM, 0, 4 * MIB);
    int plain = add_bridge(r0, PA_BUS_PREF64);
    add_res(plain, PA_MEM, 0, 4 * KIB);
    assert_int_equal(run(), 0);
    assert_int_equal(buses[empty].size[PA_IO], 4 * KIB);
    assert_int_equal(buses[empty].size[PA_MEM], 2 * MIB);
    assert_int_equal(buses[empty].size[PA_PREF], 2 * MIB);
    // Contents larger than the reservation win; reservations round up.
    assert_int_equal(buses[full].size[PA_MEM], 4 * MIB);
    assert_int_equal(buses[full].size[PA_PREF], 2 * MIB);
    assert_int_equal(buses[full].size[PA_IO], 0);
    assert_int_equal(res[big].addr, buses[full].base[PA_MEM]);
    // No reservation, no contents: closed.
    assert_int_equal(buses[plain].size[PA_IO], 0);
    assert_int_equal(buses[plain].size[PA_PREF], 0);
    assert_int_equal(buses[plain].size[PA_MEM], MIB);
}

static void
test_nested_bridges(void **state)
{
    (void)state;
    int r0 = add_root();
    int up = add_bridge(r0, PA_BUS_PREF64);
    int down1 = add_bridge(up, PA_BUS_PREF64);
    int down2 = add_bridge(up, PA_BUS_PREF64);
    int leaf = add_bridge(down1, PA_BUS_PREF64);
    int a = add_res(leaf, PA_MEM, 0, 8 * KIB);
    add_res(leaf, PA_IO, 0, 0x80);
    add_res(down2, PA_IO, 0, 0x80);
    add_res(down2, PA_PREF, PA_RES_64, 8 * MIB);
    add_res(up, PA_MEM, 0, 4 * KIB);
    add_res(r0, PA_MEM, 0, 4 * KIB);
    assert_int_equal(run(), 0);
    // Each level adds its unit: 2 x 4 KiB of I/O at the top.
    assert_int_equal(buses[up].size[PA_IO], 8 * KIB);
    assert_int_equal(buses[up].size[PA_MEM], 2 * MIB);
    assert_int_equal(buses[up].size[PA_PREF], 8 * MIB);
    assert_int_equal(buses[leaf].size[PA_MEM], MIB);
    assert_int_equal(res[a].addr, buses[leaf].base[PA_MEM]);
}

static void
test_bridge_without_windows(void **state)
{
    (void)state;
    int r0 = add_root();
    int noio = add_bridge(r0, PA_BUS_NO_IO | PA_BUS_NO_PREF);
    buses[noio].reserve[PA_IO] = 4 * KIB;
    buses[noio].reserve[PA_PREF] = 2 * MIB;
    int below = add_bridge(noio, PA_BUS_PREF64);
    int io = add_res(noio, PA_IO, 0, 0x20);
    int io2 = add_res(below, PA_IO, 0, 0x20);
    int pref = add_res(noio, PA_PREF, 0, 64 * KIB);
    int pref2 = add_res(below, PA_PREF, PA_RES_64, 64 * KIB);
    assert_int_equal(run(), 2);
    assert_int_equal(res[io].state, PA_SKIP_NOWIN);
    assert_int_equal(res[io2].state, PA_SKIP_NOWIN);
    assert_int_equal(buses[noio].size[PA_IO], 0);
    assert_int_equal(buses[below].size[PA_IO], 0);
    assert_int_equal(buses[noio].size[PA_PREF], 0);
    // Prefetchable BARs and windows fall back to the memory window.
    assert_int_equal(res[pref].state, PA_PLACED);
    assert_inside(res[pref].addr, res[pref].size, buses[noio].base[PA_MEM],
                  buses[noio].size[PA_MEM]);
    assert_inside(buses[below].base[PA_PREF], buses[below].size[PA_PREF],
                  buses[noio].base[PA_MEM], buses[noio].size[PA_MEM]);
    assert_int_equal(res[pref2].state, PA_PLACED);
}

/****************************************************************
 * Above 4 GiB
 ****************************************************************/

static void
test_exhaustion_moves_high(void **state)
{
    (void)state;
    int r0 = add_root();
    tree.win[PA_MEM] = window(0xe0000000, MEM32_END);
    int small = add_res(r0, PA_PREF, PA_RES_64, 16 * KIB);
    int big = add_res(r0, PA_PREF, PA_RES_64, 256 * MIB);
    int big32 = add_res(r0, PA_MEM, 0, 256 * MIB);
    int np64 = add_res(r0, PA_MEM, PA_RES_64, 64 * MIB);
    assert_int_equal(run(), 0);
    // 576 MiB do not fit in 492 MiB: the largest movable one goes high,
    // the rest stays below 4 GiB.
    assert_true(res[big].high);
    assert_int_equal(res[big].addr, MEM64_START);
    assert_false(res[small].high);
    assert_false(res[big32].high);
    assert_false(res[np64].high);
    assert_int_equal(tree.used_start[PA_PREF], MEM64_START);
    assert_int_equal(tree.used_end[PA_PREF], MEM64_START + 256 * MIB);
}

static void
test_exhaustion_moves_several(void **state)
{
    (void)state;
    int r0 = add_root();
    tree.win[PA_MEM] = window(0xf8000000, MEM32_END);
    int a = add_res(r0, PA_MEM, PA_RES_64, 128 * MIB);
    int b = add_res(r0, PA_PREF, PA_RES_64, 64 * MIB);
    int br = add_bridge(r0, PA_BUS_PREF64);
    add_res(br, PA_PREF, PA_RES_64, 64 * MIB);
    int c = add_res(r0, PA_MEM, 0, 32 * MIB);
    assert_int_equal(run(), 0);
    // 108 MiB of window: 128 + 64 + 64 + 32 MiB need two moves; of the
    // two 64 MiB items the later one (the bridge) goes.
    assert_true(res[a].high);
    assert_true(buses[br].pref_high);
    assert_false(res[b].high);
    assert_false(res[c].high);
    assert_int_equal(res[b].addr, 0xf8000000);
}

static void
test_large_starts_high(void **state)
{
    (void)state;
    int r0 = add_root();
    tree.high_min = 256 * MIB;
    int big = add_res(r0, PA_PREF, PA_RES_64, GIB);
    int mid = add_res(r0, PA_PREF, PA_RES_64, 128 * MIB);
    int np = add_res(r0, PA_MEM, PA_RES_64, 512 * MIB);
    int br = add_bridge(r0, PA_BUS_PREF64);
    add_res(br, PA_PREF, PA_RES_64, 512 * MIB);
    assert_int_equal(run(), 0);
    assert_true(res[big].high);
    assert_true(buses[br].pref_high);
    // Below the threshold, or not prefetchable: low while there is room.
    assert_false(res[mid].high);
    assert_false(res[np].high);
    // Bottom-up in the 64-bit window, 1 GiB first.
    assert_int_equal(res[big].addr, MEM64_START);
    assert_int_equal(buses[br].base[PA_PREF], MEM64_START + GIB);
}

static void
test_want_high(void **state)
{
    (void)state;
    int r0 = add_root();
    int rp = add_bridge(r0, PA_BUS_PREF64);
    int below = add_bridge(rp, PA_BUS_PREF64 | PA_BUS_WANT_HIGH);
    buses[below].reserve[PA_PREF] = 32 * MIB;
    int low = add_bridge(r0, PA_BUS_PREF64 | PA_BUS_PREF_LOW);
    buses[low].reserve[PA_PREF] = 32 * MIB;
    assert_int_equal(run(), 0);
    assert_true(buses[rp].pref_high);
    assert_true(buses[below].pref_high);
    assert_false(buses[low].pref_high);
}

static void
test_not_able_stays_low(void **state)
{
    (void)state;
    int r0 = add_root();
    tree.win[PA_MEM] = window(0xf0000000, MEM32_END);
    // A 32-bit prefetchable BAR two levels down pins the whole window
    // below 4 GiB; so does a bridge without 64-bit decoding.
    int top = add_bridge(r0, PA_BUS_PREF64);
    int mid = add_bridge(top, PA_BUS_PREF64);
    add_res(mid, PA_PREF, 0, 64 * MIB);
    int big1 = add_res(mid, PA_PREF, PA_RES_64, 128 * MIB);
    int old = add_bridge(r0, 0);
    int big2 = add_res(old, PA_PREF, PA_RES_64, 128 * MIB);
    int ok = add_bridge(r0, PA_BUS_PREF64);
    int big3 = add_res(ok, PA_PREF, PA_RES_64, 64 * MIB);
    int unplaced = run();
    assert_false(buses[top].pref_high);
    assert_false(buses[old].pref_high);
    assert_true(buses[ok].pref_high);
    assert_int_equal(res[big3].state, PA_PLACED);
    // 236 MiB cannot hold 192 + 128 MiB: the largest is skipped.
    assert_int_equal(unplaced, 1);
    assert_int_equal(res[big2].state, PA_SKIP_FULL);
    assert_int_equal(res[big1].state, PA_PLACED);
}

static void
test_no_high_window(void **state)
{
    (void)state;
    int r0 = add_root();
    tree.high_min = 256 * MIB;
    tree.win[PA_PREF] = window(0, 0);
    int big = add_res(r0, PA_PREF, PA_RES_64, 512 * MIB);
    int too_big = add_res(r0, PA_PREF, PA_RES_64, 2 * GIB);
    assert_int_equal(run(), 1);
    assert_false(res[big].high);
    assert_int_equal(res[big].state, PA_PLACED);
    assert_int_equal(res[too_big].state, PA_SKIP_FULL);
}

/****************************************************************
 * Exhaustion without a way out
 ****************************************************************/

static void
test_io_reservations_dropped(void **state)
{
    (void)state;
    int r0 = add_root();
    int ports[6];
    for (int i = 0; i < 6; i++) {
        ports[i] = add_bridge(r0, PA_BUS_PREF64);
        buses[ports[i]].reserve[PA_IO] = 4 * KIB;
        buses[ports[i]].reserve[PA_MEM] = 2 * MIB;
    }
    int io = add_res(ports[2], PA_IO, 0, 0x20);
    int rootio = add_res(r0, PA_IO, 0, 0x40);
    assert_int_equal(run(), 0);
    // 6 x 4 KiB > 16 KiB: I/O reservations go one at a time, from the
    // last port, until the rest fits; memory ones stay.
    for (int i = 0; i < 6; i++) {
        assert_int_equal(buses[ports[i]].size[PA_IO], i < 3 ? 4 * KIB : 0);
        assert_int_equal(buses[ports[i]].dropped, i < 3 ? 0 : 1 << PA_IO);
        assert_int_equal(buses[ports[i]].size[PA_MEM], 2 * MIB);
    }
    assert_int_equal(res[io].state, PA_PLACED);
    assert_int_equal(res[rootio].state, PA_PLACED);
}

static void
test_io_reach(void **state)
{
    (void)state;
    int r0 = add_root();
    tree.win[PA_IO].reach = 0x6000;
    int ports[6];
    for (int i = 0; i < 6; i++) {
        ports[i] = add_bridge(r0, PA_BUS_PREF64);
        buses[ports[i]].reserve[PA_IO] = 4 * KIB;
    }
    int io = add_res(r0, PA_IO, 0, 0x40);
    assert_int_equal(run(), 0);
    // 24 KiB + 0x40 do not fit above 0xc000: the block moves down
    // against the end, as far as it must (and no further than reach).
    for (int i = 0; i < 6; i++) {
        assert_int_equal(buses[ports[i]].size[PA_IO], 4 * KIB);
        assert_int_equal(buses[ports[i]].dropped, 0);
    }
    assert_int_equal(tree.used_start[PA_IO], 0x9000);
    assert_int_equal(res[io].addr, 0xf000);
    // Beyond reach, reservations go again.
    setup(NULL);
    r0 = add_root();
    tree.win[PA_IO].reach = 0x6000;
    for (int i = 0; i < 11; i++) {
        int b = add_bridge(r0, PA_BUS_PREF64);
        buses[b].reserve[PA_IO] = 4 * KIB;
    }
    assert_int_equal(run(), 0);
    assert_int_equal(tree.used_start[PA_IO], 0x6000);
    // 11 x 4 KiB > 40 KiB: the last bridge (bus 11) loses its I/O.
    assert_int_equal(buses[11].dropped, 1 << PA_IO);
    assert_int_equal(buses[10].dropped, 0);
}

static void
test_fits_nowhere_skipped(void **state)
{
    (void)state;
    int r0 = add_root();
    tree.win[PA_PREF] = window(MEM64_START, MEM64_START + 4 * GIB);
    int huge = add_res(r0, PA_PREF, PA_RES_64, 8 * GIB);
    int huge32 = add_res(r0, PA_MEM, 0, 2 * GIB);
    int ok = add_res(r0, PA_MEM, 0, 4 * KIB);
    int ok64 = add_res(r0, PA_PREF, PA_RES_64, 16 * KIB);
    int io[5];
    for (int i = 0; i < 5; i++)
        io[i] = add_res(r0, PA_IO, 0, 4 * KIB);
    assert_int_equal(run(), 3);
    assert_int_equal(res[huge].state, PA_SKIP_FULL);
    assert_int_equal(res[huge32].state, PA_SKIP_FULL);
    assert_int_equal(res[huge].addr, 0);
    assert_int_equal(res[ok].state, PA_PLACED);
    assert_int_equal(res[ok64].state, PA_PLACED);
    // Equal sizes: the last one goes.
    for (int i = 0; i < 4; i++)
        assert_int_equal(res[io[i]].state, PA_PLACED);
    assert_int_equal(res[io[4]].state, PA_SKIP_FULL);
}

static void
test_hopeless_keeps_reservations(void **state)
{
    (void)state;
    int r0 = add_root();
    tree.win[PA_PREF] = window(0, 0);
    int port = add_bridge(r0, PA_BUS_PREF64);
    buses[port].reserve[PA_MEM] = 2 * MIB;
    buses[port].reserve[PA_PREF] = 2 * MIB;
    int huge = add_res(r0, PA_PREF, PA_RES_64, GIB);
    int ok = add_res(r0, PA_MEM, 0, 4 * KIB);
    assert_int_equal(run(), 1);
    // A BAR larger than the whole window goes first, alone.
    assert_int_equal(res[huge].state, PA_SKIP_FULL);
    assert_int_equal(res[ok].state, PA_PLACED);
    assert_int_equal(buses[port].dropped, 0);
    assert_int_equal(buses[port].size[PA_MEM], 2 * MIB);
    assert_int_equal(buses[port].size[PA_PREF], 2 * MIB);
}

static void
test_skip_inside_bridge(void **state)
{
    (void)state;
    int r0 = add_root();
    tree.win[PA_MEM] = window(0xfe400000, MEM32_END);
    tree.win[PA_PREF] = window(0, 0);
    int br = add_bridge(r0, PA_BUS_PREF64);
    buses[br].reserve[PA_MEM] = 8 * MIB;
    int a = add_res(br, PA_MEM, 0, 8 * MIB);
    int b = add_res(br, PA_MEM, 0, 4 * KIB);
    int c = add_res(r0, PA_MEM, 0, 4 * KIB);
    assert_int_equal(run(), 1);
    assert_int_equal(buses[br].dropped, 1 << PA_MEM);
    assert_int_equal(res[a].state, PA_SKIP_FULL);
    assert_int_equal(res[b].state, PA_PLACED);
    assert_int_equal(res[c].state, PA_PLACED);
    assert_int_equal(buses[br].size[PA_MEM], MIB);
}

/****************************************************************
 * Several roots (pxb), bad input, random trees
 ****************************************************************/

static void
test_extra_roots_contiguous(void **state)
{
    (void)state;
    int r0 = add_root();
    int r1 = add_root();
    int br = add_bridge(r1, PA_BUS_PREF64);
    add_res(r0, PA_MEM, 0, 4 * KIB);
    add_res(r0, PA_IO, 0, 0x20);
    add_res(r1, PA_MEM, 0, 4 * KIB);
    add_res(r1, PA_MEM, 0, 8 * KIB);
    add_res(br, PA_MEM, 0, 4 * KIB);
    add_res(r1, PA_IO, 0, 0x20);
    assert_int_equal(run(), 0);
    // Each root's resources form one span, inside the window.
    assert_int_equal(buses[r1].size[PA_MEM], MIB + 12 * KIB);
    assert_int_equal(buses[r0].size[PA_MEM], 4 * KIB);
    assert_int_equal(buses[r1].size[PA_IO], 0x20);
}

static void
test_invalid_tree(void **state)
{
    (void)state;
    int r0 = add_root();
    int br = add_bridge(r0, 0);
    buses[br].parent = br; // parent not below
    assert_int_equal(pcialloc_run(&tree), -1);
    assert_true(stub_log_has("pcialloc: inconsistent tree"));
    buses[br].parent = r0;
    add_res(br, PA_MEM, 0, 3 * KIB); // not a power of two
    assert_int_equal(pcialloc_run(&tree), -1);
    res[0].size = 4 * KIB;
    res[0].bus = 7; // no such bus
    assert_int_equal(pcialloc_run(&tree), -1);
    res[0].bus = br;
    buses[r0].parent = 0; // a root with a parent
    assert_int_equal(pcialloc_run(&tree), -1);
    buses[r0].parent = -1;
    tree.scratch = NULL;
    assert_int_equal(pcialloc_run(&tree), -1);
    tree.scratch = scratch;
    assert_int_equal(run(), 0);
}

static u64 rng_state;

static u32
rng(void)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return rng_state >> 33;
}

static void
random_tree(void)
{
    setup(NULL);
    tree.high_min = (rng() & 1) ? 256 * MIB : 0;
    if (rng() % 4 == 0)
        tree.win[PA_MEM].start = 0xf8000000;
    if (rng() % 4 == 0)
        tree.win[PA_PREF] = window(0, 0);
    if (rng() % 2)
        tree.win[PA_IO].reach = 0x1000;
    int roots = 1 + rng() % 3;
    for (int i = 0; i < roots; i++)
        add_root();
    int nbus = roots + rng() % (MAX_BUSES - roots);
    while (tree.nbus < nbus) {
        u8 flags = rng() & (PA_BUS_NO_IO | PA_BUS_NO_PREF | PA_BUS_PREF64
                            | PA_BUS_PREF_LOW | PA_BUS_WANT_HIGH);
        if (rng() % 4)
            flags &= ~(PA_BUS_NO_IO | PA_BUS_NO_PREF);
        int b = add_bridge(rng() % tree.nbus, flags);
        if (rng() % 3 == 0) {
            buses[b].reserve[PA_IO] = (rng() % 3) * 4 * KIB;
            buses[b].reserve[PA_MEM] = (rng() % 5) * MIB;
            buses[b].reserve[PA_PREF] = (rng() % 5) * MIB + rng() % 3;
        }
    }
    int nres = rng() % (MAX_RES / 2);
    while (tree.nres < nres) {
        u8 type = rng() % 3;
        u64 size = type == PA_IO ? 4ULL << (rng() % 9)
            : 16ULL << (rng() % (rng() % 8 ? 20 : 30));
        add_res(rng() % tree.nbus, type, rng() % 2 ? PA_RES_64 : 0, size);
    }
}

static void
test_random_trees(void **state)
{
    (void)state;
    rng_state = 0x5eed;
    for (int i = 0; i < 200; i++) {
        random_tree();
        int unplaced = run();
        int counted = 0;
        for (int k = 0; k < tree.nres; k++)
            counted += res[k].state != PA_PLACED;
        assert_int_equal(unplaced, counted);
    }
}

// A tree of one root alone takes the short path (run_flat()); the same
// tree with a second, empty root takes the general one. Both must give
// the same result, also when a window overflows and the general passes
// take over (tight windows, sizes whose sum wraps). A root's reservation
// (ignored) is cleared by both.
static void
test_flat_matches_general(void **state)
{
    (void)state;
    static struct pa_res flat[MAX_RES];
    rng_state = 0xf1a7;
    for (int i = 0; i < 400; i++) {
        setup(NULL);
        tree.high_min = (rng() & 1) ? 256 * MIB : 0;
        if (rng() % 3 == 0)
            tree.win[PA_MEM].start = 0xfe000000;
        if (rng() % 4 == 0)
            tree.win[PA_PREF] = window(0, 0);
        else if (rng() % 4 == 0)
            tree.win[PA_PREF] = window(MEM64_START, MEM64_START + 2 * GIB);
        if (rng() % 3 == 0)
            tree.win[PA_IO] = window(0xf000, IO_END);
        if (rng() % 2)
            tree.win[PA_IO].reach = 0x6000;
        add_root();
        int nres = rng() % 48;
        while (tree.nres < nres) {
            u8 type = rng() % 3;
            u64 size = rng() % 25 == 0 ? 0 // not a resource: ignored
                : type == PA_IO ? 4ULL << (rng() % 11)
                : rng() % 50 == 0 ? 1ULL << 63
                : rng() % 10 == 0 ? 256 * MIB // high_min
                : 16ULL << (rng() % (rng() % 8 ? 20 : 32));
            add_res(0, type, rng() % 2 ? PA_RES_64 : 0, size);
        }
        buses[0].reserve[rng() % PA_NTYPES] = MIB;
        buses[0].dropped = 7; // stale output
        int unplaced = run();
        memcpy(flat, res, tree.nres * sizeof(*res));
        struct pa_bus bus0 = buses[0];
        u64 used_start[PA_NTYPES], used_end[PA_NTYPES];
        memcpy(used_start, tree.used_start, sizeof(used_start));
        memcpy(used_end, tree.used_end, sizeof(used_end));

        add_root();
        buses[0].reserve[rng() % PA_NTYPES] = MIB;
        buses[0].dropped = 7;
        assert_int_equal(run(), unplaced);
        for (int k = 0; k < tree.nres; k++) {
            assert_int_equal(res[k].state, flat[k].state);
            assert_int_equal(res[k].addr, flat[k].addr);
            assert_int_equal(res[k].high, flat[k].high);
        }
        for (int g = 0; g < PA_NTYPES; g++) {
            assert_int_equal(buses[0].base[g], bus0.base[g]);
            assert_int_equal(buses[0].size[g], bus0.size[g]);
            assert_int_equal(tree.used_start[g], used_start[g]);
            assert_int_equal(tree.used_end[g], used_end[g]);
            assert_int_equal(buses[0].reserve[g], 0);
            assert_int_equal(bus0.reserve[g], 0);
        }
        assert_int_equal(buses[0].pref_high, bus0.pref_high);
        assert_int_equal(buses[0].dropped, bus0.dropped);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_root_packing, setup),
        cmocka_unit_test_setup(test_alignment, setup),
        cmocka_unit_test_setup(test_bridge_rounding, setup),
        cmocka_unit_test_setup(test_bridge_reservation, setup),
        cmocka_unit_test_setup(test_nested_bridges, setup),
        cmocka_unit_test_setup(test_bridge_without_windows, setup),
        cmocka_unit_test_setup(test_exhaustion_moves_high, setup),
        cmocka_unit_test_setup(test_exhaustion_moves_several, setup),
        cmocka_unit_test_setup(test_large_starts_high, setup),
        cmocka_unit_test_setup(test_want_high, setup),
        cmocka_unit_test_setup(test_not_able_stays_low, setup),
        cmocka_unit_test_setup(test_no_high_window, setup),
        cmocka_unit_test_setup(test_io_reservations_dropped, setup),
        cmocka_unit_test_setup(test_io_reach, setup),
        cmocka_unit_test_setup(test_fits_nowhere_skipped, setup),
        cmocka_unit_test_setup(test_hopeless_keeps_reservations, setup),
        cmocka_unit_test_setup(test_skip_inside_bridge, setup),
        cmocka_unit_test_setup(test_extra_roots_contiguous, setup),
        cmocka_unit_test_setup(test_invalid_tree, setup),
        cmocka_unit_test_setup(test_random_trees, setup),
        cmocka_unit_test_setup(test_flat_matches_general, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
