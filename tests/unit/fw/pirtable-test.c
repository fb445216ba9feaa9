// Unit tests for src/fw/pirtable.c (host-compiled only).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// The table is read back byte by byte at the offsets of the $PIR
// specification 1.0 section 2, not through src/std/pirtable.h, so a wrong
// offset there cannot hide. Builds go into heap buffers of exactly the
// length passed (ASan catches a write past it); refused builds must leave
// the buffer as it was.
#include <setjmp.h> // jmp_buf, for cmocka
#include <stdarg.h> // va_list, for cmocka
#include <stddef.h> // size_t, for cmocka
#include <stdint.h> // uintmax_t, for cmocka
#include <stdio.h> // snprintf
#include <stdlib.h> // malloc, free
#include <string.h> // memset
#include <cmocka.h> // cmocka_unit_test

#include "fw/pirtable.h" // pirtable_build
#include "stub_output.h" // stub_log_count
#include "testbytes.h" // get_le, sum8

#define FILL 0xa5
#define QEMU_IRQS 0x0e20 // IRQ 5, 9, 10, 11
#define PIIX_LINK(n) (0x60 + (n)) // PIRQA..D route registers

static struct pir_slot slots[5000];

static u8 *
new_buf(u32 len)
{
    u8 *p = malloc(len ? len : 1);

    assert_non_null(p);
    memset(p, FILL, len);
    return p;
}

static void
assert_untouched(const u8 *p, u32 len)
{
    u32 i;

    for (i = 0; i < len; i++)
        assert_int_equal(p[i], FILL);
}

// PIIX3 at 00:01.0 (8086:7000) and n slots the way i440FX wires them:
// device d's INTx# on PIRQ (d + x) % 4, slot number d, device 1 embedded.
static void
make_input(struct pir_input *in, int n)
{
    int i, pin;

    memset(in, 0, sizeof(*in));
    in->router_bus = 0;
    in->router_devfn = 1 << 3;
    in->router_vendor = 0x8086;
    in->router_device = 0x7000;
    in->irq_bitmap = QEMU_IRQS;
    in->exclusive_irqs = 0;
    in->slots = slots;
    in->slot_count = n;
    for (i = 0; i < n && i < (int)(sizeof(slots) / sizeof(slots[0])); i++) {
        slots[i].bus = i / 32;
        slots[i].dev = i % 32;
        slots[i].slot_number = i % 32 == 1 ? 0 : i % 32;
        for (pin = 0; pin < 4; pin++)
            slots[i].link[pin] = PIIX_LINK((i % 32 + pin) % 4);
    }
}

// Checks the header against `in` and every entry against its slot.
static void
check_table(const u8 *t, const struct pir_input *in)
{
    u32 size = 32 + 16 * in->slot_count;
    int i, pin;

    assert_memory_equal(t, "$PIR", 4);
    assert_int_equal(get_le(t + 4, 2), 0x0100);
    assert_int_equal(get_le(t + 6, 2), size);
    assert_int_equal(t[8], in->router_bus);
    assert_int_equal(t[9], in->router_devfn);
    assert_int_equal(get_le(t + 10, 2), in->exclusive_irqs);
    assert_int_equal(get_le(t + 12, 2), in->router_vendor);
    assert_int_equal(get_le(t + 14, 2), in->router_device);
    assert_int_equal(get_le(t + 16, 4), 0); // miniport data
    for (i = 20; i < 31; i++)
        assert_int_equal(t[i], 0);
    assert_int_equal(sum8(t, size), 0);
    for (i = 0; i < in->slot_count; i++) {
        const u8 *e = t + 32 + 16 * i;
        const struct pir_slot *s = &in->slots[i];

        assert_int_equal(e[0], s->bus);
        assert_int_equal(e[1], s->dev << 3);
        for (pin = 0; pin < 4; pin++) {
            assert_int_equal(e[2 + 3 * pin], s->link[pin]);
            assert_int_equal(get_le(e + 3 + 3 * pin, 2),
                             s->link[pin] ? in->irq_bitmap : 0);
        }
        assert_int_equal(e[14], s->slot_number);
        assert_int_equal(e[15], 0);
    }
}

static u8 *
build_ok(const struct pir_input *in)
{
    u32 size = pirtable_size(in);
    u8 *buf = new_buf(size);

    stub_log_reset();
    assert_int_equal(pirtable_check(in), size);
    assert_int_equal(pirtable_build(buf, size, in), size);
    assert_int_equal(stub_log_count(), 0);
    check_table(buf, in);
    return buf;
}

// pirtable_build() into len bytes gives 0 and exactly one log line
// containing `why`, and no byte of the buffer changes; for a bad input
// (not just a short buffer) pirtable_check() refuses the same way.
static void
assert_refused(const struct pir_input *in, u32 len, bool bad_input,
               const char *why)
{
    u8 *buf = new_buf(len);

    stub_log_reset();
    assert_int_equal(pirtable_build(buf, len, in), 0);
    assert_int_equal(stub_log_count(), 1);
    if (!stub_log_has(why))
        fail_msg("log \"%s\" lacks \"%s\"", stub_log_last(), why);
    assert_untouched(buf, len);
    free(buf);
    if (!bad_input)
        return;
    stub_log_reset();
    assert_int_equal(pirtable_check(in), 0);
    assert_int_equal(stub_log_count(), 1);
    assert_true(stub_log_has(why));
}

static int
setup(void **state)
{
    (void)state;
    memset(slots, 0, sizeof(slots));
    stub_log_reset();
    return 0;
}

static void
test_size(void **state)
{
    struct pir_input in;

    (void)state;
    make_input(&in, 0);
    assert_int_equal(pirtable_size(&in), 32);
    make_input(&in, 6);
    assert_int_equal(pirtable_size(&in), 32 + 6 * 16);
    in.slot_count = -3;
    assert_int_equal(pirtable_size(&in), 32);
    in.slot_count = 0x7fffffff;
    assert_true(pirtable_size(&in) > 0xffff);
}

static void
test_qemu_slots(void **state)
{
    struct pir_input in;
    u8 *buf;

    (void)state;
    make_input(&in, 6);
    in.exclusive_irqs = 0x0c00;
    buf = build_ok(&in);
    // device 3: INTA# on PIRQD (0x63), INTB# on PIRQA (0x60), bitmap 0x0e20
    assert_int_equal(buf[32 + 3 * 16 + 1], 0x18);
    assert_int_equal(buf[32 + 3 * 16 + 2], 0x63);
    assert_int_equal(buf[32 + 3 * 16 + 3], 0x20);
    assert_int_equal(buf[32 + 3 * 16 + 4], 0x0e);
    assert_int_equal(buf[32 + 3 * 16 + 5], 0x60);
    assert_int_equal(buf[32 + 3 * 16 + 14], 3);
    assert_int_equal(buf[32 + 1 * 16 + 14], 0); // embedded
    free(buf);
}

static void
test_no_slots(void **state)
{
    struct pir_input in;
    u8 *buf;

    (void)state;
    make_input(&in, 0);
    in.slots = NULL;
    buf = build_ok(&in);
    free(buf);
}

// Unconnected pins have link 0 and an empty bitmap.
static void
test_unconnected_pins(void **state)
{
    struct pir_input in;
    u8 *buf;

    (void)state;
    make_input(&in, 2);
    slots[1].link[1] = 0;
    slots[1].link[3] = 0;
    buf = build_ok(&in);
    assert_int_equal(buf[48 + 5], 0);
    assert_int_equal(get_le(buf + 48 + 6, 2), 0);
    assert_int_equal(buf[48 + 11], 0);
    assert_int_equal(get_le(buf + 48 + 12, 2), 0);
    assert_int_equal(get_le(buf + 48 + 3, 2), QEMU_IRQS);
    free(buf);
}

// ICH9-like router at 00:1f.0 on another bus layout, devices up to 31.
static void
test_router_fields(void **state)
{
    struct pir_input in;
    u8 *buf;

    (void)state;
    make_input(&in, 64);
    in.router_bus = 0;
    in.router_devfn = 0x1f << 3;
    in.router_vendor = 0x8086;
    in.router_device = 0x2918;
    in.irq_bitmap = 0xdef8;
    in.exclusive_irqs = 0xffff;
    buf = build_ok(&in);
    assert_int_equal(get_le(buf + 12, 4), 0x29188086);
    assert_int_equal(buf[32 + 63 * 16], 1); // bus 1
    assert_int_equal(buf[32 + 63 * 16 + 1], 31 << 3);
    free(buf);
}

static void
test_bigger_buffer(void **state)
{
    struct pir_input in;
    u32 size;
    u8 *buf;

    (void)state;
    make_input(&in, 3);
    size = pirtable_size(&in);
    buf = new_buf(size + 40);
    assert_int_equal(pirtable_build(buf, size + 40, &in), size);
    check_table(buf, &in);
    assert_untouched(buf + size, 40);
    free(buf);
}

// The exact bytes of one table, pinned: PIIX3's two devices, one with
// unconnected pins. Taken from the builder before entries were stored in
// place; any change to the output shows here first.
static void
test_exact_bytes(void **state)
{
    static const u8 want[] = {
        0x24, 0x50, 0x49, 0x52, 0x00, 0x01, 0x40, 0x00,
        0x00, 0x08, 0x00, 0x00, 0x86, 0x80, 0x00, 0x70,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x4c,
        0x00, 0x00, 0x60, 0x20, 0x0c, 0x61, 0x20, 0x0c,
        0x62, 0x20, 0x0c, 0x63, 0x20, 0x0c, 0x00, 0x00,
        0x00, 0x08, 0x61, 0x20, 0x0c, 0x00, 0x00, 0x00,
        0x63, 0x20, 0x0c, 0x60, 0x20, 0x0c, 0x00, 0x00
    };
    struct pir_input in;
    u8 *buf;

    (void)state;
    make_input(&in, 2);
    slots[0].slot_number = 0;
    slots[1].link[0] = PIIX_LINK(1);
    slots[1].link[1] = 0;
    slots[1].link[2] = PIIX_LINK(3);
    slots[1].link[3] = PIIX_LINK(0);
    in.irq_bitmap = 0x0c20;
    assert_int_equal(pirtable_size(&in), sizeof(want));
    buf = build_ok(&in);
    assert_memory_equal(buf, want, sizeof(want));
    // written alone after the check, the same bytes
    memset(buf, FILL, sizeof(want));
    assert_int_equal(pirtable_check(&in), sizeof(want));
    pirtable_write(buf, &in);
    assert_memory_equal(buf, want, sizeof(want));
    free(buf);
}

static void
test_max_slots(void **state)
{
    struct pir_input in;
    u8 *buf;

    (void)state;
    make_input(&in, 4093);
    assert_int_equal(pirtable_size(&in), 0xfff0);
    buf = build_ok(&in);
    free(buf);
    make_input(&in, 4094);
    assert_refused(&in, pirtable_size(&in), true, "pirtable: 4094 slots, can"
                   " describe 0 to 4093");
}

static void
test_refuse_bad_count(void **state)
{
    struct pir_input in;

    (void)state;
    make_input(&in, 0);
    in.slot_count = -1;
    assert_refused(&in, 64, true, "pirtable: -1 slots");
    make_input(&in, 2);
    in.slots = NULL;
    assert_refused(&in, 64, true, "pirtable: 2 slots without a list");
}

static void
test_refuse_bad_dev(void **state)
{
    struct pir_input in;

    (void)state;
    make_input(&in, 3);
    slots[2].bus = 4;
    slots[2].dev = 32;
    assert_refused(&in, pirtable_size(&in), true, "pirtable: slot 2 (bus 4 dev"
                   " 32) out of range");
}

static void
test_refuse_small_buffer(void **state)
{
    struct pir_input in;
    u32 size, len;

    (void)state;
    make_input(&in, 5);
    size = pirtable_size(&in);
    for (len = 0; len < size; len++) {
        char why[64];

        snprintf(why, sizeof(why), "pirtable: room for %u bytes, table"
                 " needs %u", len, size);
        assert_refused(&in, len, false, why);
    }
    free(build_ok(&in));
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup(f, setup)
    const struct CMUnitTest tests[] = {
        T(test_size),
        T(test_qemu_slots),
        T(test_no_slots),
        T(test_unconnected_pins),
        T(test_router_fields),
        T(test_bigger_buffer),
        T(test_exact_bytes),
        T(test_max_slots),
        T(test_refuse_bad_count),
        T(test_refuse_bad_dev),
        T(test_refuse_small_buffer),
#undef T
    };

    return cmocka_run_group_tests_name("pirtable", tests, NULL, NULL);
}
