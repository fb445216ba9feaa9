// Unit tests for src/fw/mptable.c (host-compiled only).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// The tables are read back byte by byte at the offsets of the MP
// specification 1.4 chapter 4 (floating pointer 4.1, header 4.2, entries
// 4.3), not through src/std/mptable.h, so a wrong offset there cannot
// hide. Every build goes into a heap buffer of exactly the length passed,
// so ASan catches a write past it, and refused builds must leave their
// buffers as they were.
#include <setjmp.h> // jmp_buf, for cmocka
#include <stdarg.h> // va_list, for cmocka
#include <stddef.h> // size_t, for cmocka
#include <stdint.h> // uintmax_t, for cmocka
#include <stdio.h> // snprintf
#include <stdlib.h> // malloc, free
#include <string.h> // memcmp, memset
#include <cmocka.h> // cmocka_unit_test

#include "fw/mptable.h" // mptable_build
#include "stub_output.h" // stub_log_count
#include "testbytes.h" // get_le, sum8

#define BUF_ADDR 0xf0a30 // a 16-byte aligned F-segment address
#define FILL 0xa5
#define QEMU_LEVEL_IRQS (1u << 5 | 1u << 9 | 1u << 10 | 1u << 11)
#define SIGNATURE 0x00050654 // CPUID 1 EAX; bits 19:16 extended model
#define FEATURES 0x078bfbfd
#define IOAPIC_ADDR 0xfec00000
#define MAX_ENTRIES 9000

// Entry lengths and types (MP spec table 4-3).
#define T_CPU 0
#define T_BUS 1
#define T_IOAPIC 2
#define T_IOINT 3
#define T_LINT 4

// What parse() found: pointers to every entry, by type.
struct parsed {
    u32 base_length;
    int n[5];
    const u8 *e[5][MAX_ENTRIES];
};

static struct parsed parsed;
static struct mp_cpu cpus[300];
static struct mp_pci_irq pci[MAX_ENTRIES];

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

// Checks the floating pointer at fp (4.1) and returns its table address.
static u32
check_floating(const u8 *fp)
{
    assert_memory_equal(fp, "_MP_", 4);
    assert_int_equal(fp[8], 1); // length: one paragraph
    assert_int_equal(fp[9], 4); // version 1.4
    assert_int_equal(sum8(fp, 16), 0);
    assert_int_equal(fp[11], 0); // configuration table present
    assert_int_equal(fp[12], 0); // IMCRP clear: virtual wire
    assert_int_equal(fp[13], 0);
    assert_int_equal(fp[14], 0);
    assert_int_equal(fp[15], 0);
    return get_le(fp + 4, 4);
}

// Checks the configuration table at cfg (avail bytes there) against 4.2
// and walks its entries by type and length (4.3) into `parsed`.
static void
parse(const u8 *cfg, u32 avail)
{
    u32 off, count = 0;
    int last = 0;

    memset(&parsed, 0, sizeof(parsed));
    assert_true(avail >= 44);
    assert_memory_equal(cfg, "PCMP", 4);
    parsed.base_length = get_le(cfg + 4, 2);
    assert_true(parsed.base_length <= avail);
    assert_int_equal(cfg[6], 4);
    assert_int_equal(sum8(cfg, parsed.base_length), 0);
    assert_memory_equal(cfg + 8, "ReefBIOS", 8);
    assert_memory_equal(cfg + 16, "QEMU        ", 12);
    assert_int_equal(get_le(cfg + 28, 4), 0); // no OEM table
    assert_int_equal(get_le(cfg + 32, 2), 0);
    assert_int_equal(get_le(cfg + 36, 4), 0xfee00000);
    assert_int_equal(get_le(cfg + 40, 2), 0); // no extended entries
    assert_int_equal(cfg[42], 0);
    assert_int_equal(cfg[43], 0);
    for (off = 44; off < parsed.base_length; count++) {
        int type = cfg[off];
        u32 len = type == T_CPU ? 20 : 8;

        assert_in_range(type, T_CPU, T_LINT);
        assert_true(type >= last); // sorted by type
        assert_true(off + len <= parsed.base_length);
        assert_true(parsed.n[type] < MAX_ENTRIES);
        parsed.e[type][parsed.n[type]++] = cfg + off;
        last = type;
        off += len;
    }
    assert_int_equal(off, parsed.base_length);
    assert_int_equal(get_le(cfg + 34, 2), count);
}

// The I/O interrupt entry for source (bus, irq); there must be exactly
// one, or none when NULL is returned.
static const u8 *
find_ioint(u8 bus, u8 irq)
{
    const u8 *found = NULL;
    int i;

    for (i = 0; i < parsed.n[T_IOINT]; i++) {
        const u8 *e = parsed.e[T_IOINT][i];

        if (e[4] == bus && e[5] == irq) {
            assert_null(found);
            found = e;
        }
    }
    return found;
}

static void
assert_ioint(const u8 *e, u8 irq_type, u16 flags, u8 apic, u8 pin)
{
    assert_non_null(e);
    assert_int_equal(e[1], irq_type);
    assert_int_equal(get_le(e + 2, 2), flags);
    assert_int_equal(e[6], apic);
    assert_int_equal(e[7], pin);
}

// QEMU-like input: n CPUs with APIC IDs 0..n-1 (xAPIC version 0x14),
// CPU 0 the BSP, I/O APIC 0 (like CPU 0: allowed for xAPIC), IRQ 0 on
// pin 2, PCI bus 0 only.
static void
make_input(struct mp_input *in, int n)
{
    int i;

    for (i = 0; i < n && i < (int)(sizeof(cpus) / sizeof(cpus[0])); i++) {
        cpus[i].apic_id = i;
        cpus[i].apic_version = 0x14;
        cpus[i].bsp = i == 0;
    }
    memset(in, 0, sizeof(*in));
    in->cpus = cpus;
    in->cpu_count = n;
    in->cpu_signature = SIGNATURE;
    in->cpu_features = FEATURES;
    in->ioapic_id = 0;
    in->ioapic_version = 0x20;
    in->ioapic_addr = IOAPIC_ADDR;
    in->irq0_override = true;
    in->pci_level_irqs = QEMU_LEVEL_IRQS;
    in->pci = pci;
    in->pci_count = 0;
    in->max_pci_bus = 0;
}

static void
add_pci(struct mp_input *in, u8 bus, u8 dev, u8 pin, u8 irq)
{
    pci[in->pci_count].bus = bus;
    pci[in->pci_count].dev = dev;
    pci[in->pci_count].pin = pin;
    pci[in->pci_count].irq = irq;
    in->pci_count++;
}

// Builds `in` into an exact-size buffer at BUF_ADDR, checks the floating
// pointer, the return value and the size, and parses the table. Returns
// the buffer (free it).
static u8 *
build_ok(const struct mp_input *in)
{
    u32 size = mptable_size(in);
    u8 *buf = new_buf(size);

    stub_log_reset();
    assert_int_equal(mptable_check(in), size - 16);
    assert_int_equal(mptable_build(buf, size, BUF_ADDR, in), size);
    assert_int_equal(stub_log_count(), 0);
    assert_int_equal(check_floating(buf), BUF_ADDR + 16);
    parse(buf + 16, size - 16);
    assert_int_equal(parsed.base_length, size - 16);
    return buf;
}

// Checks the parts every table has: buses, I/O APIC, ISA interrupts and
// local interrupts, for `in`.
static void
check_common(const struct mp_input *in)
{
    int i, isa_bus = in->max_pci_bus + 1;

    assert_int_equal(parsed.n[T_CPU], in->cpu_count);
    assert_int_equal(parsed.n[T_BUS], isa_bus + 1);
    for (i = 0; i <= isa_bus; i++) {
        const u8 *e = parsed.e[T_BUS][i];

        assert_int_equal(e[1], i);
        assert_memory_equal(e + 2, i < isa_bus ? "PCI   " : "ISA   ", 6);
    }
    assert_int_equal(parsed.n[T_IOAPIC], 1);
    assert_int_equal(parsed.e[T_IOAPIC][0][1], in->ioapic_id);
    assert_int_equal(parsed.e[T_IOAPIC][0][2], in->ioapic_version);
    assert_int_equal(parsed.e[T_IOAPIC][0][3], 1); // enabled
    assert_int_equal(get_le(parsed.e[T_IOAPIC][0] + 4, 4), in->ioapic_addr);

    assert_int_equal(parsed.n[T_IOINT], 15 + in->pci_count);
    for (i = 0; i < 16; i++) {
        const u8 *e = find_ioint(isa_bus, i);
        u8 pin = i == 0 && in->irq0_override ? 2 : i;
        u16 flags = in->pci_level_irqs & (1u << i) ? 0x0f : 0x05;

        if (i == 2) {
            assert_null(e);
            continue;
        }
        assert_ioint(e, 0, flags, in->ioapic_id, pin);
    }
    assert_int_equal(parsed.n[T_LINT], 2);
    assert_int_equal(parsed.e[T_LINT][0][1], 3); // ExtINT
    assert_int_equal(get_le(parsed.e[T_LINT][0] + 2, 2), 0);
    assert_int_equal(parsed.e[T_LINT][0][4], isa_bus);
    assert_int_equal(parsed.e[T_LINT][0][5], 0);
    assert_int_equal(parsed.e[T_LINT][0][6], 0xff);
    assert_int_equal(parsed.e[T_LINT][0][7], 0); // LINT0
    assert_int_equal(parsed.e[T_LINT][1][1], 1); // NMI
    assert_int_equal(get_le(parsed.e[T_LINT][1] + 2, 2), 0);
    assert_int_equal(parsed.e[T_LINT][1][4], isa_bus);
    assert_int_equal(parsed.e[T_LINT][1][5], 0);
    assert_int_equal(parsed.e[T_LINT][1][6], 0xff);
    assert_int_equal(parsed.e[T_LINT][1][7], 1); // LINT1
}

static void
check_cpu(int index, u8 apic_id, u8 version, bool bsp)
{
    const u8 *e = parsed.e[T_CPU][index];

    assert_int_equal(e[1], apic_id);
    assert_int_equal(e[2], version);
    assert_int_equal(e[3], bsp ? 3 : 1);
    assert_int_equal(get_le(e + 4, 4), SIGNATURE & 0xfff);
    assert_int_equal(get_le(e + 8, 4), FEATURES);
    assert_int_equal(get_le(e + 12, 4), 0);
    assert_int_equal(get_le(e + 16, 4), 0);
}

// The PCI entry of (bus, dev, pin) routes to I/O APIC pin irq, level/low.
static void
check_pci(const struct mp_input *in, u8 bus, u8 dev, u8 pin, u8 irq)
{
    assert_ioint(find_ioint(bus, dev << 2 | (pin - 1)), 0, 0x0f,
                 in->ioapic_id, irq);
}

// Refusals: `in` (with room for its table) gives 0 and exactly one log
// line containing `why` from both mptable_build() and mptable_check(),
// and no byte of the buffer changes.
static void
assert_refused(const struct mp_input *in, const char *why)
{
    u32 size = mptable_size(in);
    u8 *buf = new_buf(size);

    stub_log_reset();
    assert_int_equal(mptable_build(buf, size, BUF_ADDR, in), 0);
    assert_int_equal(stub_log_count(), 1);
    if (!stub_log_has(why))
        fail_msg("log \"%s\" lacks \"%s\"", stub_log_last(), why);
    assert_true(stub_log_has("mptable: "));
    assert_untouched(buf, size);

    stub_log_reset();
    assert_int_equal(mptable_check(in), 0);
    assert_int_equal(stub_log_count(), 1);
    assert_true(stub_log_has(why));
    free(buf);
}

static int
setup(void **state)
{
    (void)state;
    memset(cpus, 0, sizeof(cpus));
    memset(pci, 0, sizeof(pci));
    stub_log_reset();
    return 0;
}

/****************************************************************
 * Tables built
 ****************************************************************/

static void
test_size(void **state)
{
    struct mp_input in;

    (void)state;
    make_input(&in, 1);
    // 16 + 44 + 1 * 20 + (2 buses + 1 I/O APIC + 15 ISA + 2 local) * 8
    assert_int_equal(mptable_size(&in), 240);
    make_input(&in, 4);
    in.max_pci_bus = 2;
    add_pci(&in, 0, 1, 1, 10);
    add_pci(&in, 1, 1, 1, 10);
    add_pci(&in, 2, 1, 1, 10);
    assert_int_equal(mptable_size(&in), 16 + 44 + 4 * 20
                     + (4 + 1 + 15 + 3 + 2) * 8);
    in.max_pci_bus = -1;
    in.pci_count = 0;
    assert_int_equal(mptable_size(&in), 16 + 44 + 4 * 20
                     + (1 + 1 + 15 + 2) * 8);
    // refused inputs still give a finite size
    in.pci_count = -5;
    in.cpu_count = -5;
    in.max_pci_bus = -100;
    assert_int_equal(mptable_size(&in), 16 + 44 + (1 + 1 + 15 + 2) * 8);
    in.pci_count = 0x7fffffff;
    in.cpu_count = 0x7fffffff;
    in.max_pci_bus = 0x7fffffff;
    assert_true(mptable_size(&in) > 0x10000);
}

static void
test_one_cpu(void **state)
{
    struct mp_input in;
    u8 *buf;

    (void)state;
    make_input(&in, 1);
    add_pci(&in, 0, 1, 1, 11);
    add_pci(&in, 0, 3, 1, 10);
    add_pci(&in, 0, 4, 2, 10);
    add_pci(&in, 0, 31, 4, 5);
    buf = build_ok(&in);
    assert_int_equal(mptable_size(&in), 16 + 44 + 20 + (2 + 1 + 15 + 4 + 2)
                     * 8);
    check_common(&in);
    check_cpu(0, 0, 0x14, true);
    check_pci(&in, 0, 1, 1, 11);
    check_pci(&in, 0, 3, 1, 10);
    check_pci(&in, 0, 4, 2, 10);
    check_pci(&in, 0, 31, 4, 5);
    // the encodings themselves: dev 4 INTB# is 0x11, dev 31 INTD# 0x7f
    assert_non_null(find_ioint(0, 0x11));
    assert_non_null(find_ioint(0, 0x7f));
    // IRQ 0 on pin 2 and nothing else there; pin 0 unused
    assert_int_equal(find_ioint(1, 0)[7], 2);
    assert_null(find_ioint(1, 2));
    free(buf);
}

static void
test_four_cpus(void **state)
{
    struct mp_input in;
    u8 *buf;

    (void)state;
    make_input(&in, 4);
    // sparse IDs, the BSP not first, mixed versions all xAPIC
    cpus[0].apic_id = 6;
    cpus[0].bsp = false;
    cpus[1].apic_id = 0;
    cpus[1].bsp = true;
    cpus[2].apic_id = 2;
    cpus[2].apic_version = 0x15;
    cpus[3].apic_id = 4;
    in.ioapic_id = 8;
    add_pci(&in, 0, 2, 1, 11);
    buf = build_ok(&in);
    check_common(&in);
    check_cpu(0, 6, 0x14, false);
    check_cpu(1, 0, 0x14, true);
    check_cpu(2, 2, 0x15, false);
    check_cpu(3, 4, 0x14, false);
    check_pci(&in, 0, 2, 1, 11);
    free(buf);
}

static void
test_255_cpus(void **state)
{
    struct mp_input in;
    u8 *buf;
    int i;

    (void)state;
    make_input(&in, 255);
    in.max_pci_bus = 3;
    for (i = 0; i < 32; i++)
        add_pci(&in, i % 4, i, i % 4 + 1, 10 + i % 2);
    buf = build_ok(&in);
    assert_int_equal(mptable_size(&in), 16 + 44 + 255 * 20
                     + (5 + 1 + 15 + 32 + 2) * 8);
    check_common(&in);
    for (i = 0; i < 255; i++)
        check_cpu(i, i, 0x14, i == 0);
    for (i = 0; i < 32; i++)
        check_pci(&in, i % 4, i, i % 4 + 1, 10 + i % 2);
    assert_int_equal(parsed.e[T_BUS][4][1], 4); // ISA after PCI 0-3
    free(buf);
}

static void
test_no_override(void **state)
{
    struct mp_input in;
    u8 *buf;

    (void)state;
    make_input(&in, 2);
    in.irq0_override = false;
    in.pci_level_irqs = 0;
    buf = build_ok(&in);
    check_common(&in);
    assert_int_equal(find_ioint(1, 0)[7], 0);
    assert_int_equal(get_le(find_ioint(1, 10) + 2, 2), 0x05);
    free(buf);
}

static void
test_no_pci_bus(void **state)
{
    struct mp_input in;
    u8 *buf;

    (void)state;
    make_input(&in, 1);
    in.max_pci_bus = -1;
    in.pci = NULL;
    buf = build_ok(&in);
    check_common(&in);
    assert_int_equal(parsed.n[T_BUS], 1);
    assert_memory_equal(parsed.e[T_BUS][0] + 1, "\0ISA   ", 7);
    assert_int_equal(find_ioint(0, 1)[7], 1);
    free(buf);
}

// An xAPIC I/O APIC may share a CPU's ID; so may one with any version
// when no CPU's APIC is on the serial APIC bus.
static void
test_ioapic_id_shared_xapic(void **state)
{
    struct mp_input in;
    u8 *buf;

    (void)state;
    make_input(&in, 4);
    in.ioapic_id = 3;
    buf = build_ok(&in);
    check_common(&in);
    free(buf);
}

// With pre-xAPIC CPUs the I/O APIC needs an ID of its own; a free one is
// fine.
static void
test_ioapic_id_apic_bus_unique(void **state)
{
    struct mp_input in;
    u8 *buf;
    int i;

    (void)state;
    make_input(&in, 4);
    for (i = 0; i < 4; i++)
        cpus[i].apic_version = 0x11;
    in.ioapic_id = 4;
    buf = build_ok(&in);
    check_common(&in);
    check_cpu(3, 3, 0x11, false);
    free(buf);
}

// The room given may exceed the table; nothing after the table changes.
static void
test_bigger_buffer(void **state)
{
    struct mp_input in;
    u32 size;
    u8 *buf;

    (void)state;
    make_input(&in, 2);
    size = mptable_size(&in);
    buf = new_buf(size + 64);
    assert_int_equal(mptable_build(buf, size + 64, BUF_ADDR, &in), size);
    assert_untouched(buf + size, 64);
    parse(buf + 16, size - 16);
    free(buf);
}

// The two parts apart (mptable_check(), then mptable_write() into blocks
// of exactly the size it gave): the pointer holds the table's own
// address.
static void
test_split(void **state)
{
    struct mp_input in;
    u32 size;
    u8 *fp, *cfg;

    (void)state;
    make_input(&in, 8);
    add_pci(&in, 0, 5, 3, 11);
    size = mptable_check(&in);
    assert_int_equal(size, mptable_size(&in) - 16);
    fp = new_buf(16);
    cfg = new_buf(size);
    mptable_write(fp, 0xf0040, cfg, 0x7fe123, &in);
    assert_int_equal(stub_log_count(), 0);
    assert_int_equal(check_floating(fp), 0x7fe123);
    parse(cfg, size);
    assert_int_equal(parsed.base_length, size);
    check_common(&in);
    check_pci(&in, 0, 5, 3, 11);
    free(fp);
    free(cfg);
}

// A table may end exactly at 4 GiB.
static void
test_ends_at_4g(void **state)
{
    struct mp_input in;
    u32 size;
    u8 *buf;

    (void)state;
    make_input(&in, 1);
    in.pci_count = 0;
    in.max_pci_bus = 0;
    size = mptable_size(&in); // 240 = 0xf0
    buf = new_buf(size);
    assert_int_equal(mptable_build(buf, size, 0xffffff10, &in), size);
    assert_int_equal(check_floating(buf), 0xffffff20);
    memset(buf, FILL, size);
    mptable_write(buf, 0xf0000, buf + 16, 0xffffff20, &in);
    assert_int_equal(check_floating(buf), 0xffffff20);
    assert_int_equal(stub_log_count(), 0);
    free(buf);
}

// The exact bytes of one table, pinned: two CPUs, buses 0-1, a function
// repeating another's source, a device behind the bridge. Taken from the
// builder before entries were stored in place; any change to the output
// shows here first.
static void
test_exact_bytes(void **state)
{
    static const u8 want[] = {
        0x5f, 0x4d, 0x50, 0x5f, 0x40, 0x0a, 0x0f, 0x00,
        0x01, 0x04, 0x47, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x50, 0x43, 0x4d, 0x50, 0x14, 0x01, 0x04, 0x2a,
        0x52, 0x65, 0x65, 0x66, 0x42, 0x49, 0x4f, 0x53,
        0x51, 0x45, 0x4d, 0x55, 0x20, 0x20, 0x20, 0x20,
        0x20, 0x20, 0x20, 0x20, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x1a, 0x00, 0x00, 0x00, 0xe0, 0xfe,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x14, 0x03,
        0x54, 0x06, 0x00, 0x00, 0xfd, 0xfb, 0x8b, 0x07,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x01, 0x14, 0x01, 0x54, 0x06, 0x00, 0x00,
        0xfd, 0xfb, 0x8b, 0x07, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x50, 0x43,
        0x49, 0x20, 0x20, 0x20, 0x01, 0x01, 0x50, 0x43,
        0x49, 0x20, 0x20, 0x20, 0x01, 0x02, 0x49, 0x53,
        0x41, 0x20, 0x20, 0x20, 0x02, 0x00, 0x20, 0x01,
        0x00, 0x00, 0xc0, 0xfe, 0x03, 0x00, 0x05, 0x00,
        0x02, 0x00, 0x00, 0x02, 0x03, 0x00, 0x05, 0x00,
        0x02, 0x01, 0x00, 0x01, 0x03, 0x00, 0x05, 0x00,
        0x02, 0x03, 0x00, 0x03, 0x03, 0x00, 0x05, 0x00,
        0x02, 0x04, 0x00, 0x04, 0x03, 0x00, 0x0f, 0x00,
        0x02, 0x05, 0x00, 0x05, 0x03, 0x00, 0x05, 0x00,
        0x02, 0x06, 0x00, 0x06, 0x03, 0x00, 0x05, 0x00,
        0x02, 0x07, 0x00, 0x07, 0x03, 0x00, 0x05, 0x00,
        0x02, 0x08, 0x00, 0x08, 0x03, 0x00, 0x0f, 0x00,
        0x02, 0x09, 0x00, 0x09, 0x03, 0x00, 0x0f, 0x00,
        0x02, 0x0a, 0x00, 0x0a, 0x03, 0x00, 0x0f, 0x00,
        0x02, 0x0b, 0x00, 0x0b, 0x03, 0x00, 0x05, 0x00,
        0x02, 0x0c, 0x00, 0x0c, 0x03, 0x00, 0x05, 0x00,
        0x02, 0x0d, 0x00, 0x0d, 0x03, 0x00, 0x05, 0x00,
        0x02, 0x0e, 0x00, 0x0e, 0x03, 0x00, 0x05, 0x00,
        0x02, 0x0f, 0x00, 0x0f, 0x03, 0x00, 0x0f, 0x00,
        0x00, 0x04, 0x00, 0x0b, 0x03, 0x00, 0x0f, 0x00,
        0x00, 0x0c, 0x00, 0x0a, 0x03, 0x00, 0x0f, 0x00,
        0x01, 0x01, 0x00, 0x05, 0x04, 0x03, 0x00, 0x00,
        0x02, 0x00, 0xff, 0x00, 0x04, 0x01, 0x00, 0x00,
        0x02, 0x00, 0xff, 0x01,
    };
    struct mp_input in;
    u8 *buf, *fp, *cfg;

    (void)state;
    make_input(&in, 2);
    in.max_pci_bus = 1;
    add_pci(&in, 0, 1, 1, 11);
    add_pci(&in, 0, 1, 1, 11);
    add_pci(&in, 0, 3, 1, 10);
    add_pci(&in, 1, 0, 2, 5);
    assert_int_equal(mptable_size(&in), sizeof(want));
    buf = build_ok(&in);
    assert_memory_equal(buf, want, sizeof(want));
    // the same bytes written apart, the pointer naming the same address
    fp = new_buf(16);
    cfg = new_buf(sizeof(want) - 16);
    mptable_write(fp, BUF_ADDR, cfg, BUF_ADDR + 16, &in);
    assert_memory_equal(fp, want, 16);
    assert_memory_equal(cfg, want + 16, sizeof(want) - 16);
    free(buf);
    free(fp);
    free(cfg);
}

/****************************************************************
 * Refusals
 ****************************************************************/

static void
test_refuse_256_cpus(void **state)
{
    struct mp_input in;

    (void)state;
    make_input(&in, 256);
    cpus[255].apic_id = 254; // IDs aside, the count alone is refused
    assert_refused(&in, "mptable: 256 cpus, can describe 1 to 255");
}

static void
test_refuse_no_cpus(void **state)
{
    struct mp_input in;

    (void)state;
    make_input(&in, 0);
    assert_refused(&in, "mptable: 0 cpus");
    make_input(&in, -1);
    assert_refused(&in, "mptable: -1 cpus");
    make_input(&in, 1);
    in.cpus = NULL;
    assert_refused(&in, "mptable: 1 cpus without a list");
}

static void
test_refuse_apic_id_255(void **state)
{
    struct mp_input in;

    (void)state;
    make_input(&in, 4);
    cpus[2].apic_id = 255;
    assert_refused(&in, "mptable: cpu 2 has apic id 255, above 254");
    cpus[2].apic_id = 256; // not 0 once cut to 8 bits
    assert_refused(&in, "mptable: cpu 2 has apic id 256, above 254");
    cpus[2].apic_id = 0x10002;
    assert_refused(&in, "mptable: cpu 2 has apic id 65538, above 254");
}

static void
test_refuse_duplicate_apic_id(void **state)
{
    struct mp_input in;

    (void)state;
    make_input(&in, 4);
    cpus[3].apic_id = 1;
    assert_refused(&in, "mptable: cpu 3 repeats apic id 1");
}

static void
test_refuse_bsp_count(void **state)
{
    struct mp_input in;

    (void)state;
    make_input(&in, 4);
    cpus[0].bsp = false;
    assert_refused(&in, "mptable: 0 bsps among 4 cpus");
    cpus[0].bsp = true;
    cpus[2].bsp = true;
    assert_refused(&in, "mptable: 2 bsps among 4 cpus");
}

static void
test_refuse_ioapic_id(void **state)
{
    struct mp_input in;

    (void)state;
    make_input(&in, 2);
    in.ioapic_id = 255;
    assert_refused(&in, "mptable: i/o apic id 255 is the broadcast id");
    // one CPU on the serial APIC bus makes the IDs one space
    in.ioapic_id = 1;
    cpus[0].apic_version = 0x13;
    assert_refused(&in, "mptable: i/o apic id 1 is also a cpu's");
}

static void
test_refuse_pci_bus_range(void **state)
{
    struct mp_input in;

    (void)state;
    make_input(&in, 1);
    in.max_pci_bus = 255;
    assert_refused(&in, "mptable: last pci bus 255, not -1 to 254");
    in.max_pci_bus = -2;
    assert_refused(&in, "mptable: last pci bus -2");
}

static void
test_refuse_pci_entries(void **state)
{
    static const struct { u8 bus, dev, pin, irq; } bad[] = {
        { 1, 1, 1, 10 },        // bus past max_pci_bus 0
        { 0, 32, 1, 10 },       // no device 32
        { 0, 1, 0, 10 },        // pins are 1..4
        { 0, 1, 5, 10 },
        { 0, 1, 1, 0 },         // the timer
        { 0, 1, 1, 2 },         // the cascade
        { 0, 1, 1, 16 },        // not an ISA IRQ
    };
    struct mp_input in;
    char why[80];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        make_input(&in, 1);
        add_pci(&in, 0, 1, 1, 10);
        add_pci(&in, bad[i].bus, bad[i].dev, bad[i].pin, bad[i].irq);
        snprintf(why, sizeof(why), "mptable: pci interrupt 1 (bus %u dev %u"
                 " pin %u irq %u) out of range", bad[i].bus, bad[i].dev,
                 bad[i].pin, bad[i].irq);
        assert_refused(&in, why);
    }
    make_input(&in, 1);
    in.pci = NULL;
    in.pci_count = 2;
    assert_refused(&in, "mptable: 2 pci interrupts without a list");
    in.pci = pci;
    in.pci_count = -1;
    assert_refused(&in, "mptable: -1 pci interrupts, can describe 0 to"
                   " 4096");
}

// 4096 distinct PCI sources (32 buses of 32 devices with 4 pins) fit;
// one more interrupt is refused, even a repeat.
static void
test_max_pci_irqs(void **state)
{
    struct mp_input in;
    u8 *buf;
    int i;

    (void)state;
    make_input(&in, 255);
    in.max_pci_bus = 31;
    for (i = 0; i < 4096; i++)
        add_pci(&in, i / 128, i / 4 % 32, i % 4 + 1, 9 + i % 3);
    assert_int_equal(mptable_size(&in), 16 + 44 + 255 * 20 + 33 * 8 + 8
                     + (15 + 4096 + 2) * 8);
    buf = build_ok(&in);
    check_common(&in);
    for (i = 0; i < 4096; i += 97)
        check_pci(&in, i / 128, i / 4 % 32, i % 4 + 1, 9 + i % 3);
    free(buf);
    add_pci(&in, 0, 0, 1, 9);
    assert_refused(&in, "mptable: 4097 pci interrupts, can describe 0 to"
                   " 4096");
}

// Functions of one device on one pin are one source: listed once, where
// the first came; a repeat that names another irq is refused.
static void
test_pci_repeats(void **state)
{
    struct mp_input in;
    u8 *buf;

    (void)state;
    make_input(&in, 1);
    add_pci(&in, 0, 1, 1, 11); // 00:01.0 INTA#
    add_pci(&in, 0, 1, 4, 10); // 00:01.1 INTD#
    add_pci(&in, 0, 1, 1, 11); // 00:01.2 INTA#, a repeat
    add_pci(&in, 0, 2, 1, 10); // 00:02.0 INTA#
    add_pci(&in, 0, 1, 1, 11); // 00:01.3 INTA#, a repeat
    assert_int_equal(mptable_size(&in), 16 + 44 + 20 + (2 + 1 + 15 + 3 + 2)
                     * 8);
    buf = build_ok(&in);
    assert_int_equal(parsed.n[T_IOINT], 15 + 3);
    check_pci(&in, 0, 1, 1, 11);
    check_pci(&in, 0, 1, 4, 10);
    check_pci(&in, 0, 2, 1, 10);
    // input order: after the ISA entries come 00:01 INTA#, INTD#, 00:02
    assert_int_equal(parsed.e[T_IOINT][15][5], 0x04);
    assert_int_equal(parsed.e[T_IOINT][16][5], 0x07);
    assert_int_equal(parsed.e[T_IOINT][17][5], 0x08);
    free(buf);
    pci[4].irq = 5;
    assert_refused(&in, "mptable: pci interrupt 4 (bus 0 dev 1 pin 1) on"
                   " irq 5, and on irq 11 as 0");
}

// Every length short of the table is refused without a write, with its
// own line; the exact length works.
static void
test_refuse_small_buffer(void **state)
{
    struct mp_input in;
    u32 size, len;

    (void)state;
    make_input(&in, 4);
    add_pci(&in, 0, 1, 1, 11);
    size = mptable_size(&in);
    for (len = 0; len < size; len++) {
        u8 *buf = new_buf(size);
        char why[64];

        stub_log_reset();
        assert_int_equal(mptable_build(buf, len, BUF_ADDR, &in), 0);
        assert_int_equal(stub_log_count(), 1);
        snprintf(why, sizeof(why), "mptable: room for %u bytes, table needs"
                 " %u", len, size);
        assert_string_equal(stub_log_last(), why);
        assert_untouched(buf, size);
        free(buf);
    }
    free(build_ok(&in));
}

static void
test_refuse_unaligned(void **state)
{
    struct mp_input in;
    u32 size;
    u8 *buf;

    (void)state;
    make_input(&in, 1);
    size = mptable_size(&in);
    buf = new_buf(size);
    assert_int_equal(mptable_build(buf, size, BUF_ADDR + 4, &in), 0);
    assert_string_equal(stub_log_last(), "mptable: floating pointer at"
                        " 0x000f0a34, not 16-byte aligned");
    assert_untouched(buf, size);
    free(buf);
}

static void
test_refuse_crossing_4g(void **state)
{
    struct mp_input in;
    u32 size;
    u8 *buf;

    (void)state;
    make_input(&in, 1);
    size = mptable_size(&in); // 240
    buf = new_buf(size);
    assert_int_equal(mptable_build(buf, size, 0xffffff20, &in), 0);
    assert_string_equal(stub_log_last(), "mptable: table of 240 bytes at"
                        " 0xffffff20 crosses 4 GiB");
    stub_log_reset();
    assert_int_equal(mptable_build(buf, size, 0xfffffff0, &in), 0);
    assert_int_equal(stub_log_count(), 1);
    assert_true(stub_log_has("crosses 4 GiB"));
    assert_untouched(buf, size);
    stub_log_reset();
    assert_int_equal(mptable_build(buf, size, 0xffffff11, &in), 0);
    assert_string_equal(stub_log_last(), "mptable: table of 240 bytes at"
                        " 0xffffff11 crosses 4 GiB");
    assert_untouched(buf, size);
    free(buf);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup(f, setup)
    const struct CMUnitTest tests[] = {
        T(test_size),
        T(test_one_cpu),
        T(test_four_cpus),
        T(test_255_cpus),
        T(test_no_override),
        T(test_no_pci_bus),
        T(test_ioapic_id_shared_xapic),
        T(test_ioapic_id_apic_bus_unique),
        T(test_bigger_buffer),
        T(test_split),
        T(test_ends_at_4g),
        T(test_exact_bytes),
        T(test_refuse_256_cpus),
        T(test_refuse_no_cpus),
        T(test_refuse_apic_id_255),
        T(test_refuse_duplicate_apic_id),
        T(test_refuse_bsp_count),
        T(test_refuse_ioapic_id),
        T(test_refuse_pci_bus_range),
        T(test_refuse_pci_entries),
        T(test_max_pci_irqs),
        T(test_pci_repeats),
        T(test_refuse_small_buffer),
        T(test_refuse_unaligned),
        T(test_refuse_crossing_4g),
#undef T
    };

    return cmocka_run_group_tests_name("mptable", tests, NULL, NULL);
}
