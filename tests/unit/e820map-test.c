// Unit tests for src/e820map.c (host-compiled only).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#include <setjmp.h> // jmp_buf, for cmocka
#include <stdarg.h> // va_list, for cmocka
#include <stddef.h> // size_t, for cmocka
#include <stdint.h> // uintmax_t, for cmocka
#include <string.h> // memcmp
#include <cmocka.h> // cmocka_unit_test

#include "e820map.h" // e820map_add
#include "stub_output.h" // stub_log_count

#define MB 0x100000ULL
#define GB 0x40000000ULL
#define TOP ~0ULL // last byte of the 64-bit space

#define STORE_MAX 16

static struct e820_entry store[STORE_MAX];
static struct e820_map map;

// Expected entry, as {start, size, type}.
struct want {
    u64 start, size;
    u32 type;
};

static int
setup(void **state)
{
    (void)state;
    memset(store, 0xa5, sizeof(store));
    e820map_init(&map, store, STORE_MAX);
    stub_log_reset();
    return 0;
}

// Sorted, no overlap, no empty entry, touching entries of one type merged
// (unless together they would be all of the 64-bit space).
static void
check_invariants(const struct e820_map *m)
{
    int i;

    assert_true(m->count >= 0 && m->count <= m->max);
    for (i = 0; i < m->count; i++) {
        const struct e820_entry *e = &m->entries[i];
        u64 last = e->start + e->size - 1;

        assert_true(e->size != 0);
        assert_true(last >= e->start);
        assert_true(e->type != 0);
        if (i) {
            const struct e820_entry *p = &m->entries[i - 1];
            u64 plast = p->start + p->size - 1;

            assert_true(plast < e->start);
            if (plast + 1 == e->start && p->type == e->type)
                assert_true(p->start == 0 && last == TOP);
        }
    }
}

static void
check_map(const struct want *w, int n)
{
    int i;

    check_invariants(&map);
    assert_int_equal(map.count, n);
    for (i = 0; i < n; i++) {
        assert_int_equal(map.entries[i].start, w[i].start);
        assert_int_equal(map.entries[i].size, w[i].size);
        assert_int_equal(map.entries[i].type, w[i].type);
    }
}

#define CHECK_MAP(...) do {                                     \
        const struct want w_[] = { __VA_ARGS__ };               \
        check_map(w_, ARRAY_SIZE(w_));                          \
    } while (0)

static void
test_entry_layout(void **state)
{
    (void)state;
    assert_int_equal(sizeof(struct e820_entry), 20);
    assert_int_equal(offsetof(struct e820_entry, size), 8);
    assert_int_equal(offsetof(struct e820_entry, type), 16);
}

static void
test_init_empty(void **state)
{
    (void)state;
    assert_int_equal(map.count, 0);
    assert_int_equal(map.max, STORE_MAX);
    assert_int_equal(e820map_ram_total(&map), 0);
    assert_int_equal(e820map_ram_top_below(&map, 4 * GB), 0);
    e820map_init(&map, store, -3);
    assert_int_equal(map.max, 0);
    e820map_init(&map, NULL, 8);
    assert_int_equal(map.max, 0);
    assert_int_equal(e820map_remove(&map, 0, MB), 0);
    assert_int_equal(e820map_add(&map, 0, MB, E820_RAM), -1);
    assert_int_equal(map.count, 0);
}

static void
test_add_one(void **state)
{
    (void)state;
    assert_int_equal(e820map_add(&map, MB, 127 * MB, E820_RAM), 0);
    CHECK_MAP({ MB, 127 * MB, E820_RAM });
    assert_int_equal(stub_log_count(), 0);
}

static void
test_add_size_zero_is_noop(void **state)
{
    (void)state;
    assert_int_equal(e820map_add(&map, MB, 0, E820_RAM), 0);
    assert_int_equal(e820map_add(&map, TOP, 0, E820_RAM), 0);
    assert_int_equal(map.count, 0);
    assert_int_equal(stub_log_count(), 0);
}

static void
test_add_wrap_refused(void **state)
{
    (void)state;
    assert_int_equal(e820map_add(&map, 0, MB, E820_RAM), 0);
    assert_int_equal(e820map_add(&map, TOP - 0xfff, 0x1001, E820_RESERVED),
                     -1);
    assert_int_equal(stub_log_count(), 1);
    assert_string_equal(stub_log_last(), "e820: add range wraps past 2^64,"
                        " start=0xfffffffffffff000 size=0x1001");
    CHECK_MAP({ 0, MB, E820_RAM });
}

static void
test_add_up_to_top_of_space(void **state)
{
    (void)state;
    assert_int_equal(e820map_add(&map, TOP - 0xfff, 0x1000, E820_RESERVED),
                     0);
    assert_int_equal(e820map_add(&map, 1, TOP, E820_RAM), 0);
    CHECK_MAP({ 1, TOP, E820_RAM });
    assert_int_equal(stub_log_count(), 0);
}

static void
test_add_type0_refused(void **state)
{
    (void)state;
    assert_int_equal(e820map_add(&map, MB, MB, 0), -1);
    assert_int_equal(stub_log_count(), 1);
    assert_string_equal(stub_log_last(), "e820: add type 0 refused,"
                        " start=0x100000 size=0x100000");
    assert_int_equal(map.count, 0);
}

static void
test_add_keeps_sorted(void **state)
{
    (void)state;
    assert_int_equal(e820map_add(&map, 4 * GB, GB, E820_RAM), 0);
    assert_int_equal(e820map_add(&map, 0, 0x9fc00, E820_RAM), 0);
    assert_int_equal(e820map_add(&map, 0xfeffc000, 0x4000, E820_RESERVED),
                     0);
    assert_int_equal(e820map_add(&map, MB, GB - MB, E820_RAM), 0);
    CHECK_MAP({ 0, 0x9fc00, E820_RAM },
              { MB, GB - MB, E820_RAM },
              { 0xfeffc000, 0x4000, E820_RESERVED },
              { 4 * GB, GB, E820_RAM });
}

static void
test_touching_same_type_merges(void **state)
{
    (void)state;
    assert_int_equal(e820map_add(&map, 2 * MB, MB, E820_RAM), 0);
    assert_int_equal(e820map_add(&map, MB, MB, E820_RAM), 0); // left
    assert_int_equal(e820map_add(&map, 3 * MB, MB, E820_RAM), 0); // right
    CHECK_MAP({ MB, 3 * MB, E820_RAM });
}

static void
test_touching_other_type_stays_apart(void **state)
{
    (void)state;
    assert_int_equal(e820map_add(&map, 2 * MB, MB, E820_RAM), 0);
    assert_int_equal(e820map_add(&map, MB, MB, E820_ACPI), 0);
    assert_int_equal(e820map_add(&map, 3 * MB, MB, E820_NVS), 0);
    CHECK_MAP({ MB, MB, E820_ACPI },
              { 2 * MB, MB, E820_RAM },
              { 3 * MB, MB, E820_NVS });
}

static void
test_fill_gap_merges_three(void **state)
{
    (void)state;
    assert_int_equal(e820map_add(&map, MB, MB, E820_RAM), 0);
    assert_int_equal(e820map_add(&map, 3 * MB, MB, E820_RAM), 0);
    assert_int_equal(e820map_add(&map, 2 * MB, MB, E820_RAM), 0);
    CHECK_MAP({ MB, 3 * MB, E820_RAM });
}

static void
test_add_inside_splits(void **state)
{
    (void)state;
    assert_int_equal(e820map_add(&map, MB, 15 * MB, E820_RAM), 0);
    assert_int_equal(e820map_add(&map, 4 * MB, MB, E820_RESERVED), 0);
    CHECK_MAP({ MB, 3 * MB, E820_RAM },
              { 4 * MB, MB, E820_RESERVED },
              { 5 * MB, 11 * MB, E820_RAM });
    assert_int_equal(e820map_ram_total(&map), 14 * MB);
}

static void
test_add_inside_same_type_unchanged(void **state)
{
    (void)state;
    assert_int_equal(e820map_add(&map, MB, 15 * MB, E820_RAM), 0);
    assert_int_equal(e820map_add(&map, 4 * MB, MB, E820_RAM), 0);
    CHECK_MAP({ MB, 15 * MB, E820_RAM });
}

static void
test_add_at_edges_of_entry(void **state)
{
    (void)state;
    assert_int_equal(e820map_add(&map, MB, 15 * MB, E820_RAM), 0);
    assert_int_equal(e820map_add(&map, MB, MB, E820_RESERVED), 0);
    assert_int_equal(e820map_add(&map, 15 * MB, MB, E820_ACPI), 0);
    CHECK_MAP({ MB, MB, E820_RESERVED },
              { 2 * MB, 13 * MB, E820_RAM },
              { 15 * MB, MB, E820_ACPI });
}

static void
test_add_spanning_replaces(void **state)
{
    (void)state;
    assert_int_equal(e820map_add(&map, 0, MB, E820_RAM), 0);
    assert_int_equal(e820map_add(&map, 2 * MB, MB, E820_ACPI), 0);
    assert_int_equal(e820map_add(&map, 4 * MB, MB, E820_NVS), 0);
    assert_int_equal(e820map_add(&map, 6 * MB, MB, E820_RAM), 0);
    // Covers the ACPI and NVS entries whole, and the gaps around them.
    assert_int_equal(e820map_add(&map, MB + 0x1000, 5 * MB - 0x1000,
                                 E820_RESERVED), 0);
    CHECK_MAP({ 0, MB, E820_RAM },
              { MB + 0x1000, 5 * MB - 0x1000, E820_RESERVED },
              { 6 * MB, MB, E820_RAM });
}

static void
test_add_partial_overlaps(void **state)
{
    (void)state;
    assert_int_equal(e820map_add(&map, MB, 2 * MB, E820_RAM), 0);
    assert_int_equal(e820map_add(&map, 4 * MB, 2 * MB, E820_ACPI), 0);
    // Tail of the RAM entry and head of the ACPI one.
    assert_int_equal(e820map_add(&map, 2 * MB, 3 * MB, E820_NVS), 0);
    CHECK_MAP({ MB, MB, E820_RAM },
              { 2 * MB, 3 * MB, E820_NVS },
              { 5 * MB, MB, E820_ACPI });
}

static void
test_add_overlap_same_type_merges(void **state)
{
    (void)state;
    assert_int_equal(e820map_add(&map, MB, 2 * MB, E820_RAM), 0);
    assert_int_equal(e820map_add(&map, 4 * MB, 2 * MB, E820_RAM), 0);
    assert_int_equal(e820map_add(&map, 2 * MB, 3 * MB, E820_RAM), 0);
    CHECK_MAP({ MB, 5 * MB, E820_RAM });
}

static void
test_replace_exact_then_later_wins(void **state)
{
    (void)state;
    assert_int_equal(e820map_add(&map, MB, MB, E820_RAM), 0);
    assert_int_equal(e820map_add(&map, 2 * MB, MB, E820_RESERVED), 0);
    assert_int_equal(e820map_add(&map, 3 * MB, MB, E820_RAM), 0);
    // Replacing the middle one by RAM joins all three.
    assert_int_equal(e820map_add(&map, 2 * MB, MB, E820_RAM), 0);
    CHECK_MAP({ MB, 3 * MB, E820_RAM });
    // And the last add wins again.
    assert_int_equal(e820map_add(&map, 2 * MB, MB, E820_UNUSABLE), 0);
    CHECK_MAP({ MB, MB, E820_RAM },
              { 2 * MB, MB, E820_UNUSABLE },
              { 3 * MB, MB, E820_RAM });
}

static void
test_whole_space_stays_two_entries(void **state)
{
    (void)state;
    assert_int_equal(e820map_add(&map, 0, 1ULL << 63, E820_RAM), 0);
    assert_int_equal(e820map_add(&map, 1ULL << 63, 1ULL << 63, E820_RAM),
                     0);
    CHECK_MAP({ 0, 1ULL << 63, E820_RAM },
              { 1ULL << 63, 1ULL << 63, E820_RAM });
    assert_true(e820map_ram_total(&map) == TOP); // saturated
    // A hole lets the right part merge with what follows it.
    assert_int_equal(e820map_remove(&map, 0, 0x1000), 0);
    assert_int_equal(e820map_add(&map, 0x1000, 0x1000, E820_RAM), 0);
    CHECK_MAP({ 0x1000, TOP - 0xfff, E820_RAM });
    assert_int_equal(stub_log_count(), 0);
}

// The pieces of an add merge with each other before they merge with the
// neighbours: re-adding part of the upper half of the whole space keeps
// the split where it was (merging from the left would move it).
static void
test_whole_space_split_stays_put(void **state)
{
    (void)state;
    assert_int_equal(e820map_add(&map, 0, 1ULL << 63, E820_RAM), 0);
    assert_int_equal(e820map_add(&map, 1ULL << 63, 1ULL << 63, E820_RAM),
                     0);
    assert_int_equal(e820map_add(&map, (1ULL << 63) + 0x1000, 0x1000,
                                 E820_RAM), 0);
    CHECK_MAP({ 0, 1ULL << 63, E820_RAM },
              { 1ULL << 63, 1ULL << 63, E820_RAM });
    // Re-adding the top of the lower half: the same.
    assert_int_equal(e820map_add(&map, (1ULL << 63) - 0x1000, 0x1000,
                                 E820_RAM), 0);
    CHECK_MAP({ 0, 1ULL << 63, E820_RAM },
              { 1ULL << 63, 1ULL << 63, E820_RAM });
    assert_int_equal(stub_log_count(), 0);
}

// Fills the table to `n` alternating entries, 1 MiB each with gaps.
static void
fill_table(int n)
{
    int i;

    for (i = 0; i < n; i++)
        assert_int_equal(e820map_add(&map, (u64)i * 2 * MB, MB,
                                     i & 1 ? E820_RESERVED : E820_RAM), 0);
    assert_int_equal(map.count, n);
}

static void
test_full_table_add_leaves_map_unchanged(void **state)
{
    struct e820_entry before[STORE_MAX];

    (void)state;
    e820map_init(&map, store, 4);
    fill_table(4);
    memcpy(before, store, sizeof(before));
    stub_log_reset();
    assert_int_equal(e820map_add(&map, 100 * MB, MB, E820_RAM), -1);
    assert_int_equal(stub_log_count(), 1);
    assert_string_equal(stub_log_last(), "e820: table full at 4 entries,"
                        " cannot add start=0x6400000 size=0x100000 type=1");
    assert_int_equal(map.count, 4);
    assert_memory_equal(before, store, sizeof(before));
}

static void
test_full_table_split_leaves_map_unchanged(void **state)
{
    struct e820_entry before[STORE_MAX];

    (void)state;
    e820map_init(&map, store, 4);
    fill_table(3);
    memcpy(before, store, sizeof(before));
    // Splitting the middle of an entry needs two more slots, there is one.
    assert_int_equal(e820map_add(&map, 2 * MB + 0x1000, 0x1000, E820_ACPI),
                     -1);
    assert_int_equal(stub_log_count(), 1);
    assert_true(stub_log_has("e820: table full at 4 entries"));
    assert_int_equal(map.count, 3);
    assert_memory_equal(before, store, sizeof(before));
    // One more slot is enough at an edge.
    assert_int_equal(e820map_add(&map, 2 * MB, 0x1000, E820_ACPI), 0);
    assert_int_equal(map.count, 4);
    check_invariants(&map);
}

static void
test_full_table_merge_needs_no_slot(void **state)
{
    (void)state;
    e820map_init(&map, store, 4);
    fill_table(4);
    stub_log_reset();
    // Grows entry 0 (RAM) up to entry 1 (reserved): no new entry.
    assert_int_equal(e820map_add(&map, MB, MB, E820_RAM), 0);
    // Covers entries 2 and 3 and the gap: two become one.
    assert_int_equal(e820map_add(&map, 4 * MB, 4 * MB, E820_ACPI), 0);
    CHECK_MAP({ 0, 2 * MB, E820_RAM },
              { 2 * MB, MB, E820_RESERVED },
              { 4 * MB, 4 * MB, E820_ACPI });
    assert_int_equal(stub_log_count(), 0);
}

static void
test_zero_slot_table(void **state)
{
    (void)state;
    e820map_init(&map, store, 0);
    assert_int_equal(e820map_add(&map, 0, MB, E820_RAM), -1);
    assert_int_equal(stub_log_count(), 1);
    assert_int_equal(map.count, 0);
    assert_int_equal(e820map_remove(&map, 0, MB), 0);
}

static void
test_remove_hole_inside(void **state)
{
    (void)state;
    assert_int_equal(e820map_add(&map, MB, 15 * MB, E820_RAM), 0);
    assert_int_equal(e820map_remove(&map, 4 * MB, MB), 0);
    CHECK_MAP({ MB, 3 * MB, E820_RAM },
              { 5 * MB, 11 * MB, E820_RAM });
    // Adding the hole back merges again.
    assert_int_equal(e820map_add(&map, 4 * MB, MB, E820_RAM), 0);
    CHECK_MAP({ MB, 15 * MB, E820_RAM });
}

static void
test_remove_spanning_and_partial(void **state)
{
    (void)state;
    assert_int_equal(e820map_add(&map, 0, 2 * MB, E820_RAM), 0);
    assert_int_equal(e820map_add(&map, 3 * MB, MB, E820_ACPI), 0);
    assert_int_equal(e820map_add(&map, 5 * MB, 2 * MB, E820_RAM), 0);
    assert_int_equal(e820map_remove(&map, MB, 5 * MB), 0);
    CHECK_MAP({ 0, MB, E820_RAM },
              { 6 * MB, MB, E820_RAM });
}

static void
test_remove_exact_and_gap(void **state)
{
    (void)state;
    assert_int_equal(e820map_add(&map, MB, MB, E820_RAM), 0);
    assert_int_equal(e820map_add(&map, 4 * MB, MB, E820_RAM), 0);
    assert_int_equal(e820map_remove(&map, 2 * MB, 2 * MB), 0); // gap only
    assert_int_equal(map.count, 2);
    assert_int_equal(e820map_remove(&map, MB, MB), 0);
    CHECK_MAP({ 4 * MB, MB, E820_RAM });
    assert_int_equal(e820map_remove(&map, 0, 0), 0);
    assert_int_equal(stub_log_count(), 0);
}

static void
test_remove_refusals(void **state)
{
    struct e820_entry before[STORE_MAX];

    (void)state;
    assert_int_equal(e820map_add(&map, MB, MB, E820_RAM), 0);
    assert_int_equal(e820map_remove(&map, 2, TOP), -1);
    assert_string_equal(stub_log_last(), "e820: remove range wraps past"
                        " 2^64, start=0x2 size=0xffffffffffffffff");
    e820map_init(&map, store, 2);
    fill_table(2);
    memcpy(before, store, sizeof(before));
    stub_log_reset();
    assert_int_equal(e820map_remove(&map, 0x1000, 0x1000), -1);
    assert_int_equal(stub_log_count(), 1);
    assert_string_equal(stub_log_last(), "e820: table full at 2 entries,"
                        " cannot remove start=0x1000 size=0x1000");
    assert_memory_equal(before, store, sizeof(before));
}

static void
test_ram_top_below(void **state)
{
    (void)state;
    assert_int_equal(e820map_add(&map, 0, 0x9fc00, E820_RAM), 0);
    assert_int_equal(e820map_add(&map, 0x9fc00, 0x400, E820_RESERVED), 0);
    assert_int_equal(e820map_add(&map, 0xf0000, 0x10000, E820_RESERVED), 0);
    assert_int_equal(e820map_add(&map, MB, 0x7ee00000, E820_RAM), 0);
    assert_int_equal(e820map_add(&map, 4 * GB, 4 * GB, E820_RAM), 0);
    assert_int_equal(e820map_ram_top_below(&map, 4 * GB), 0x7ef00000);
    assert_int_equal(e820map_ram_top_below(&map, TOP), 0x7ef00000);
    assert_int_equal(e820map_ram_top_below(&map, 0x7ef00000), 0x7ef00000);
    assert_int_equal(e820map_ram_top_below(&map, 0x40000000), 0x40000000);
    assert_int_equal(e820map_ram_top_below(&map, MB + 1), MB + 1);
    assert_int_equal(e820map_ram_top_below(&map, MB), 0);
    assert_int_equal(e820map_ram_top_below(&map, 0), 0);
    // Reserving 1 MiB itself leaves no low RAM top.
    assert_int_equal(e820map_add(&map, MB, 0x1000, E820_RESERVED), 0);
    assert_int_equal(e820map_ram_top_below(&map, 4 * GB), 0);
}

static void
test_ram_top_below_entry_from_zero(void **state)
{
    (void)state;
    assert_int_equal(e820map_add(&map, 0, 64 * MB, E820_RAM), 0);
    assert_int_equal(e820map_ram_top_below(&map, 4 * GB), 64 * MB);
    e820map_init(&map, store, STORE_MAX);
    assert_int_equal(e820map_add(&map, 0, TOP, E820_RAM), 0);
    assert_int_equal(e820map_add(&map, TOP, 1, E820_RAM), 0);
    assert_int_equal(map.count, 2);
    assert_true(e820map_ram_top_below(&map, TOP) == TOP);
    e820map_init(&map, store, STORE_MAX);
    assert_int_equal(e820map_add(&map, 2 * MB, 64 * MB, E820_RAM), 0);
    assert_int_equal(e820map_ram_top_below(&map, 4 * GB), 0);
}

static void
test_ram_total(void **state)
{
    (void)state;
    assert_int_equal(e820map_add(&map, 0, 0x9fc00, E820_RAM), 0);
    assert_int_equal(e820map_add(&map, 0x9fc00, 0x400, E820_RESERVED), 0);
    assert_int_equal(e820map_add(&map, MB, 255 * MB, E820_RAM), 0);
    assert_int_equal(e820map_add(&map, 255 * MB, MB, E820_ACPI), 0);
    assert_int_equal(e820map_add(&map, 4 * GB, 2 * GB, E820_RAM), 0);
    assert_int_equal(e820map_ram_total(&map),
                     0x9fc00 + 254 * MB + 2 * GB);
}

// Writes one etc/e820 record, little-endian.
static void
put_record(unsigned char *p, u64 start, u64 size, u32 type)
{
    int i;

    for (i = 0; i < 8; i++) {
        p[i] = start >> (8 * i);
        p[8 + i] = size >> (8 * i);
    }
    for (i = 0; i < 4; i++)
        p[16 + i] = type >> (8 * i);
}

static void
test_import_qemu_typical(void **state)
{
    unsigned char buf[3 * 20];

    (void)state;
    put_record(buf, 0, 0x80000000, E820_RAM);
    put_record(buf + 20, 0xfeffc000, 0x4000, E820_RESERVED);
    put_record(buf + 40, 4 * GB, 0x80000000, E820_RAM);
    assert_int_equal(e820map_import_qemu(&map, buf, sizeof(buf)), 3);
    CHECK_MAP({ 0, 0x80000000, E820_RAM },
              { 0xfeffc000, 0x4000, E820_RESERVED },
              { 4 * GB, 0x80000000, E820_RAM });
    assert_int_equal(stub_log_count(), 0);
}

static void
test_import_qemu_partial_record(void **state)
{
    unsigned char buf[2 * 20 + 7];

    (void)state;
    memset(buf, 0xff, sizeof(buf));
    put_record(buf, 0, 0x80000000, E820_RAM);
    put_record(buf + 20, 4 * GB, GB, E820_RAM);
    assert_int_equal(e820map_import_qemu(&map, buf, sizeof(buf)), 2);
    assert_int_equal(stub_log_count(), 1);
    assert_string_equal(stub_log_last(), "e820: etc/e820 size 47 not a"
                        " multiple of 20, ignoring 7 trailing bytes");
    CHECK_MAP({ 0, 0x80000000, E820_RAM },
              { 4 * GB, GB, E820_RAM });
}

static void
test_import_qemu_bad_records_skipped(void **state)
{
    unsigned char buf[6 * 20];

    (void)state;
    put_record(buf, 0, 0x80000000, E820_RAM);
    put_record(buf + 20, 0x90000000, 0x1000, 6);
    put_record(buf + 40, 0xa0000000, 0, E820_RAM);
    put_record(buf + 60, TOP - 0xfff, 0x2000, E820_RESERVED);
    put_record(buf + 80, 0x7f000000, 0x1000000, E820_RESERVED); // wins
    put_record(buf + 100, 0xb0000000, 0x1000, 0);
    assert_int_equal(e820map_import_qemu(&map, buf, sizeof(buf)), 2);
    assert_int_equal(stub_log_count(), 3);
    assert_true(stub_log_has("e820: etc/e820 entry 1 has unknown type 6,"
                             " start=0x90000000 size=0x1000, skipped"));
    assert_true(stub_log_has("e820: etc/e820 entry 3 wraps past 2^64,"
                             " start=0xfffffffffffff000 size=0x2000,"
                             " skipped"));
    assert_true(stub_log_has("e820: etc/e820 entry 5 has unknown type 0,"));
    CHECK_MAP({ 0, 0x7f000000, E820_RAM },
              { 0x7f000000, 0x1000000, E820_RESERVED });
}

static void
test_import_qemu_empty_and_null(void **state)
{
    unsigned char buf[20] = { 0 };

    (void)state;
    assert_int_equal(e820map_import_qemu(&map, buf, 0), 0);
    assert_int_equal(e820map_import_qemu(&map, NULL, 40), 0);
    assert_int_equal(e820map_import_qemu(&map, buf, 19), 0);
    assert_int_equal(stub_log_count(), 1);
    assert_int_equal(map.count, 0);
}

static void
test_import_qemu_table_full(void **state)
{
    unsigned char buf[3 * 20];

    (void)state;
    e820map_init(&map, store, 2);
    put_record(buf, 0, MB, E820_RAM);
    put_record(buf + 20, 2 * MB, MB, E820_RESERVED);
    put_record(buf + 40, 4 * MB, MB, E820_RAM);
    assert_int_equal(e820map_import_qemu(&map, buf, sizeof(buf)), 2);
    assert_int_equal(stub_log_count(), 1);
    assert_true(stub_log_has("e820: table full at 2 entries"));
    CHECK_MAP({ 0, MB, E820_RAM },
              { 2 * MB, MB, E820_RESERVED });
}

// The BIOS's own ranges over QEMU's RAM, as memmap_setup() sets them:
// a reservation splits the RAM, a type 0 entry cuts a hole, later entries
// win, and nothing is logged.
static void
test_apply_list_bios_ranges(void **state)
{
    static const struct e820_entry list[] = {
        { 0x9fc00, 0x400, E820_RESERVED },
        { 0xa0000, 0x40000, 0 },
        { 0xe0000, 0x20000, E820_RESERVED },
        { 0xfffc0000, 0x40000, E820_RESERVED },
    };

    (void)state;
    assert_int_equal(e820map_add(&map, 0, 128 * MB, E820_RAM), 0);
    assert_int_equal(e820map_apply_list(&map, list, ARRAY_SIZE(list)), 4);
    CHECK_MAP({ 0, 0x9fc00, E820_RAM },
              { 0x9fc00, 0x400, E820_RESERVED },
              { 0xe0000, 0x20000, E820_RESERVED },
              { MB, 127 * MB, E820_RAM },
              { 0xfffc0000, 0x40000, E820_RESERVED });
    assert_int_equal(stub_log_count(), 0);
}

// Each entry is checked as e820map_add()/e820map_remove() check theirs,
// with the log line of a bad etc/e820 record; good entries after a bad
// one still apply.
static void
test_apply_list_bad_entries_skipped(void **state)
{
    static const struct e820_entry list[] = {
        { MB, 0, E820_RAM },
        { 2 * MB, MB, 6 },
        { TOP - 0xfff, 0x2000, 0 },
        { 0, 4 * MB, E820_RAM },
        { MB, MB, 0 },
    };

    (void)state;
    assert_int_equal(e820map_apply_list(&map, list, ARRAY_SIZE(list)), 2);
    assert_true(stub_log_has("e820: list entry 1 has unknown type 6,"
                             " start=0x200000 size=0x100000, skipped"));
    assert_true(stub_log_has("e820: list entry 2 wraps past 2^64,"
                             " start=0xfffffffffffff000 size=0x2000,"
                             " skipped"));
    CHECK_MAP({ 0, MB, E820_RAM },
              { 2 * MB, 2 * MB, E820_RAM });
    assert_int_equal(e820map_apply_list(&map, NULL, 0), 0);
}

// An entry that finds the table full is logged and not counted; the map
// keeps what the entries before it did.
static void
test_apply_list_table_full(void **state)
{
    static const struct e820_entry list[] = {
        { 0, 4 * MB, E820_RAM },
        { MB, MB, 0 },
        { 2 * MB, 0x1000, E820_RESERVED },
    };

    (void)state;
    e820map_init(&map, store, 2);
    assert_int_equal(e820map_apply_list(&map, list, ARRAY_SIZE(list)), 2);
    assert_true(stub_log_has("e820: table full at 2 entries, cannot add"));
    CHECK_MAP({ 0, MB, E820_RAM },
              { 2 * MB, 2 * MB, E820_RAM });
}

static void
test_cmos_small(void **state)
{
    (void)state;
    // 8 MiB machine: 7 MiB above 1 MiB, nothing above 16 MiB.
    assert_int_equal(e820map_from_cmos(&map, 7 * 1024, 0, 0), 0);
    CHECK_MAP({ MB, 7 * MB, E820_RAM });
    assert_int_equal(stub_log_count(), 0);
}

static void
test_cmos_qemu_128m(void **state)
{
    (void)state;
    // What QEMU writes for -m 128: 0x30 capped at 0xffff KiB, 0x34 counts
    // the 112 MiB above 16 MiB.
    assert_int_equal(e820map_from_cmos(&map, 0xffff, 0x700, 0), 0);
    CHECK_MAP({ MB, 127 * MB, E820_RAM });
}

static void
test_cmos_above_4g(void **state)
{
    (void)state;
    // A 6 GiB machine: RAM up to 2 GiB, then 4 GiB of it above 4 GiB.
    assert_int_equal(e820map_from_cmos(&map, 0xffff,
                                       (0x80000000 - 16 * MB) >> 16,
                                       (4 * GB) >> 16), 0);
    CHECK_MAP({ MB, 0x80000000 - MB, E820_RAM },
              { 4 * GB, 4 * GB, E820_RAM });
    assert_int_equal(e820map_ram_total(&map), 6 * GB - MB);
    assert_int_equal(stub_log_count(), 0);
}

static void
test_cmos_largest_high(void **state)
{
    (void)state;
    assert_int_equal(e820map_from_cmos(&map, 0, 0, 0xffffff), 0);
    CHECK_MAP({ 4 * GB, 0xffffffULL << 16, E820_RAM });
}

static void
test_cmos_nothing(void **state)
{
    (void)state;
    assert_int_equal(e820map_from_cmos(&map, 0, 0, 0), 0);
    assert_int_equal(map.count, 0);
    assert_int_equal(stub_log_count(), 0);
}

static void
test_cmos_clamps_to_4g(void **state)
{
    (void)state;
    assert_int_equal(e820map_from_cmos(&map, 0xffff, 0xffff, 0), 0);
    assert_int_equal(stub_log_count(), 1);
    assert_string_equal(stub_log_last(), "e820: cmos ram top 0x100ff0000"
                        " above 4 GiB, clamped, cmos34=0xffff");
    CHECK_MAP({ MB, 4 * GB - MB, E820_RAM });
}

static void
test_cmos_masks_24_bits(void **state)
{
    (void)state;
    assert_int_equal(e820map_from_cmos(&map, 0, 0, 0x1000010), 0);
    assert_int_equal(stub_log_count(), 1);
    assert_string_equal(stub_log_last(), "e820: cmos high ram 0x1000010"
                        " wider than 24 bits, masked");
    CHECK_MAP({ 4 * GB, 0x100000, E820_RAM });
}

static void
test_cmos_with_caller_ranges(void **state)
{
    (void)state;
    // The caller's low memory, then CMOS, then a reservation that wins.
    assert_int_equal(e820map_add(&map, 0, 0x9fc00, E820_RAM), 0);
    assert_int_equal(e820map_from_cmos(&map, 0xffff, 0x1f00, 0), 0);
    assert_int_equal(e820map_add(&map, 0x1ff00000, MB, E820_RESERVED), 0);
    CHECK_MAP({ 0, 0x9fc00, E820_RAM },
              { MB, 0x1ff00000 - MB, E820_RAM },
              { 0x1ff00000, MB, E820_RESERVED });
    assert_int_equal(e820map_ram_top_below(&map, 4 * GB), 0x1ff00000);
}

static void
test_cmos_table_full(void **state)
{
    (void)state;
    e820map_init(&map, store, 1);
    assert_int_equal(e820map_from_cmos(&map, 0xffff, 0x100, 0x100), -1);
    assert_int_equal(stub_log_count(), 1);
    CHECK_MAP({ MB, 31 * MB, E820_RAM }); // the low part went in
}

static void
test_cmos_no_room_at_all(void **state)
{
    (void)state;
    e820map_init(&map, store, 0);
    assert_int_equal(e820map_from_cmos(&map, 0xffff, 0x100, 0), -1);
    assert_int_equal(stub_log_count(), 1);
    assert_string_equal(stub_log_last(), "e820: table full at 0 entries,"
                        " cannot add start=0x100000 size=0x1f00000 type=1");
    assert_int_equal(map.count, 0);
}

static void
test_dump(void **state)
{
    (void)state;
    assert_int_equal(e820map_add(&map, 0, MB, E820_RAM), 0);
    assert_int_equal(e820map_add(&map, 4 * GB, MB, E820_RESERVED), 0);
    e820map_dump(&map);
    // LOG_DEBUG lines: built at LOG_WARN, nothing shows.
    assert_int_equal(stub_log_count(), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup(name, setup)
        T(test_entry_layout),
        T(test_init_empty),
        T(test_add_one),
        T(test_add_size_zero_is_noop),
        T(test_add_wrap_refused),
        T(test_add_up_to_top_of_space),
        T(test_add_type0_refused),
        T(test_add_keeps_sorted),
        T(test_touching_same_type_merges),
        T(test_touching_other_type_stays_apart),
        T(test_fill_gap_merges_three),
        T(test_add_inside_splits),
        T(test_add_inside_same_type_unchanged),
        T(test_add_at_edges_of_entry),
        T(test_add_spanning_replaces),
        T(test_add_partial_overlaps),
        T(test_add_overlap_same_type_merges),
        T(test_replace_exact_then_later_wins),
        T(test_whole_space_stays_two_entries),
        T(test_whole_space_split_stays_put),
        T(test_full_table_add_leaves_map_unchanged),
        T(test_full_table_split_leaves_map_unchanged),
        T(test_full_table_merge_needs_no_slot),
        T(test_zero_slot_table),
        T(test_remove_hole_inside),
        T(test_remove_spanning_and_partial),
        T(test_remove_exact_and_gap),
        T(test_remove_refusals),
        T(test_ram_top_below),
        T(test_ram_top_below_entry_from_zero),
        T(test_ram_total),
        T(test_import_qemu_typical),
        T(test_import_qemu_partial_record),
        T(test_import_qemu_bad_records_skipped),
        T(test_import_qemu_empty_and_null),
        T(test_import_qemu_table_full),
        T(test_apply_list_bios_ranges),
        T(test_apply_list_bad_entries_skipped),
        T(test_apply_list_table_full),
        T(test_cmos_small),
        T(test_cmos_qemu_128m),
        T(test_cmos_above_4g),
        T(test_cmos_largest_high),
        T(test_cmos_nothing),
        T(test_cmos_clamps_to_4g),
        T(test_cmos_masks_24_bits),
        T(test_cmos_with_caller_ranges),
        T(test_cmos_table_full),
        T(test_cmos_no_room_at_all),
        T(test_dump),
#undef T
    };

    return cmocka_run_group_tests_name("e820map", tests, NULL, NULL);
}
