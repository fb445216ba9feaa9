// Unit tests for src/bzimage.c (host-compiled only).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#include <setjmp.h> // jmp_buf, for cmocka
#include <stdarg.h> // va_list, for cmocka
#include <stddef.h> // size_t, for cmocka
#include <stdint.h> // uintmax_t, for cmocka
#include <stdlib.h> // malloc
#include <string.h> // memcpy
#include <cmocka.h> // cmocka_unit_test

#include "bzimage.h" // bzimage_check
#include "stub_output.h" // stub_log_count

// A setup of 39 sectors, as a Debian 6.1 amd64 kernel has.
#define SECTS 39
#define SETUP_LEN ((SECTS + 1) * 512)
#define KERNEL_LEN 0x7d8800
#define ERR_PREFIX "linux: invalid kernel: "

static unsigned char setup_buf[0x9000 + 1];
static unsigned char *setup = setup_buf;

static void
put16(unsigned off, u16 v)
{
    setup[off] = v;
    setup[off + 1] = v >> 8;
}

static void
put32(unsigned off, u32 v)
{
    put16(off, v);
    put16(off + 2, v >> 16);
}

static void
put64(unsigned off, u64 v)
{
    put32(off, v);
    put32(off + 4, v >> 32);
}

static u16
get16(unsigned off)
{
    return setup[off] | setup[off + 1] << 8;
}

static u32
get32(unsigned off)
{
    return get16(off) | (u32)get16(off + 2) << 16;
}

// Builds the header that a Debian 6.1 amd64 bzImage carries (protocol
// 2.15), byte by byte at the offsets of boot.rst, in front of filler code.
static void
make_header(void)
{
    unsigned i;

    for (i = 0; i < sizeof(setup_buf); i++)
        setup_buf[i] = (u8)(i * 7 + 3);
    setup = setup_buf;
    memset(setup, 0, 0x26c);
    setup[0x1f1] = SECTS;          // setup_sects
    put16(0x1f2, 1);               // root_flags
    put32(0x1f4, 0x7d820);         // syssize
    put16(0x1fa, 0xffff);          // vid_mode
    put16(0x1fe, 0xaa55);          // boot_flag
    setup[0x200] = 0xeb;           // jump: short jmp
    setup[0x201] = 0x6a;           //   to 0x26c
    memcpy(setup + 0x202, "HdrS", 4);
    put16(0x206, 0x020f);          // version 2.15
    put16(0x20c, 0x1000);          // start_sys_seg
    put16(0x20e, 0x42c0);          // kernel_version
    setup[0x211] = 0x01;           // loadflags: LOADED_HIGH
    put16(0x212, 0x8000);          // setup_move_size
    put32(0x214, 0x100000);        // code32_start
    put16(0x224, 0x5be0);          // heap_end_ptr
    put32(0x22c, 0x7fffffff);      // initrd_addr_max
    put32(0x230, 0x200000);        // kernel_alignment
    setup[0x234] = 1;              // relocatable_kernel
    setup[0x235] = 0x15;           // min_alignment
    put16(0x236, 0x7f);            // xloadflags
    put32(0x238, 0x7ff);           // cmdline_size
    put32(0x248, 0x2cc);           // payload_offset
    put32(0x24c, 0x7bf070);        // payload_length
    put64(0x258, 0x1000000);       // pref_address
    put32(0x260, 0x3f98000);       // init_size
    put32(0x264, 0x7c8db0);        // handover_offset
    put32(0x268, 0x7d579c);        // kernel_info_offset
}

static int
setup_fn(void **state)
{
    (void)state;
    make_header();
    stub_log_reset();
    return 0;
}

static int
check(u32 setup_len, u32 initrd_len, u32 cmdline_len, struct bzimage_info *i)
{
    return bzimage_check(setup, setup_len, KERNEL_LEN, initrd_len,
                         cmdline_len, i);
}

// The call fails with `err` and logs exactly `line`.
static void
expect_refusal(int ret, int err, const char *line)
{
    assert_int_equal(ret, err);
    assert_int_equal(stub_log_count(), 1);
    assert_string_equal(stub_log_last(), line);
}

static void
test_header_layout(void **state)
{
    (void)state;
    assert_int_equal(offsetof(struct linux_setup_header, header) + 0x1f1,
                     0x202);
    assert_int_equal(offsetof(struct linux_setup_header, version) + 0x1f1,
                     0x206);
    assert_int_equal(offsetof(struct linux_setup_header, cmd_line_ptr)
                     + 0x1f1, 0x228);
    assert_int_equal(offsetof(struct linux_setup_header, kernel_info_offset)
                     + 0x1f1, 0x268);
    assert_int_equal(sizeof(struct linux_setup_header), 0x26c - 0x1f1);
}

static void
test_debian_kernel_accepted(void **state)
{
    struct bzimage_info info;

    (void)state;
    memset(&info, 0xcc, sizeof(info));
    assert_int_equal(check(SETUP_LEN, 0x2000000, 0x100, &info), 0);
    assert_int_equal(stub_log_count(), 0);
    assert_int_equal(info.version, 0x020f);
    assert_int_equal(info.setup_sects, SECTS);
    assert_int_equal(info.setup_size, SETUP_LEN);
    assert_int_equal(info.loadflags, 0x01);
    assert_int_equal(info.code32_start, 0x100000);
    // xloadflags has CAN_BE_LOADED_ABOVE_4G: the initrd limit goes.
    assert_int_equal(info.initrd_addr_max, 0xffffffff);
    assert_int_equal(info.cmdline_max, 0x800);
    assert_int_equal(info.kernel_alignment, 0x200000);
    assert_int_equal(info.relocatable, 1);
    assert_int_equal(info.xloadflags, 0x7f);
    assert_int_equal(info.pref_address_low, 0x1000000);
    assert_int_equal(info.init_size, 0x3f98000);
}

static void
test_out_may_be_null(void **state)
{
    (void)state;
    assert_int_equal(check(SETUP_LEN, 0, 0, NULL), 0);
}

static void
test_unaligned_buffer(void **state)
{
    struct bzimage_info info;

    (void)state;
    memmove(setup_buf + 1, setup_buf, SETUP_LEN);
    setup = setup_buf + 1;
    assert_int_equal(check(SETUP_LEN, 0, 1, &info), 0);
    assert_int_equal(info.version, 0x020f);
}

static void
test_setup_too_short(void **state)
{
    (void)state;
    expect_refusal(check(0x26b, 0, 0, NULL), BZIMAGE_ERR_SHORT,
                   ERR_PREFIX "setup_len 0x26b below 0x26c");
    stub_log_reset();
    expect_refusal(bzimage_check(NULL, SETUP_LEN, KERNEL_LEN, 0, 0, NULL),
                   BZIMAGE_ERR_SHORT, ERR_PREFIX "setup_len 0x0 below 0x26c");
}

static void
test_bad_boot_flag(void **state)
{
    (void)state;
    put16(0x1fe, 0x55aa);
    expect_refusal(check(SETUP_LEN, 0, 0, NULL), BZIMAGE_ERR_MAGIC,
                   ERR_PREFIX "boot_flag 0x55aa");
}

static void
test_bad_header_magic(void **state)
{
    (void)state;
    memcpy(setup + 0x202, "HdrT", 4);
    expect_refusal(check(SETUP_LEN, 0, 0, NULL), BZIMAGE_ERR_MAGIC,
                   ERR_PREFIX "header magic 0x54726448");
}

static void
test_old_protocol_refused(void **state)
{
    (void)state;
    put16(0x206, 0x01ff);
    expect_refusal(check(SETUP_LEN, 0, 0, NULL), BZIMAGE_ERR_VERSION,
                   ERR_PREFIX "protocol version 0x01ff below 0x0200");
}

static void
test_protocol_200_defaults(void **state)
{
    struct bzimage_info info;

    (void)state;
    // Fields past 2.00 hold code in such a kernel, not defaults.
    put16(0x206, 0x0200);
    put32(0x22c, 0x1234);
    put32(0x238, 0x10);
    assert_int_equal(check(SETUP_LEN, 0x38000000, 256, &info), 0);
    assert_int_equal(info.initrd_addr_max, 0x37ffffff);
    assert_int_equal(info.cmdline_max, 256);
    assert_int_equal(info.kernel_alignment, 0);
    assert_int_equal(info.relocatable, 0);
    assert_int_equal(info.xloadflags, 0);
    assert_int_equal(info.pref_address_low, 0x100000);
    assert_int_equal(info.init_size, 0);
}

static void
test_zimage_refused(void **state)
{
    (void)state;
    setup[0x211] = 0x80;
    expect_refusal(check(SETUP_LEN, 0, 0, NULL), BZIMAGE_ERR_ZIMAGE,
                   ERR_PREFIX "loadflags 0x80 without LOADED_HIGH (zImage)");
}

static void
test_setup_sects_zero_means_four(void **state)
{
    struct bzimage_info info;

    (void)state;
    setup[0x1f1] = 0;
    assert_int_equal(check(5 * 512, 0, 0, &info), 0);
    assert_int_equal(info.setup_sects, 4);
    assert_int_equal(info.setup_size, 5 * 512);
    expect_refusal(check(5 * 512 - 1, 0, 0, NULL), BZIMAGE_ERR_SETUP,
                   ERR_PREFIX "setup_len 0x9ff below setup_sects 4"
                   " (0xa00 bytes)");
}

static void
test_setup_len_below_setup_sects(void **state)
{
    (void)state;
    expect_refusal(check(SETUP_LEN - 512, 0, 0, NULL), BZIMAGE_ERR_SETUP,
                   ERR_PREFIX "setup_len 0x4e00 below setup_sects 39"
                   " (0x5000 bytes)");
}

static void
test_setup_len_above_setup_sects(void **state)
{
    struct bzimage_info info;

    (void)state;
    assert_int_equal(check(SETUP_LEN + 512, 0, 0, &info), 0);
    assert_int_equal(info.setup_size, SETUP_LEN);
    assert_int_equal(stub_log_count(), 0);
}

static void
test_setup_too_big(void **state)
{
    struct bzimage_info info;

    (void)state;
    setup[0x1f1] = 63;
    assert_int_equal(check(0x8000, 0, 0, &info), 0);
    assert_int_equal(info.setup_size, 0x8000);
    setup[0x1f1] = 64;
    expect_refusal(check(0x8200, 0, 0, NULL), BZIMAGE_ERR_SETUP,
                   ERR_PREFIX "setup_sects 64 (0x8200 bytes) above 0x8000");
}

static void
test_no_kernel(void **state)
{
    (void)state;
    expect_refusal(bzimage_check(setup, SETUP_LEN, 0, 0, 0, NULL),
                   BZIMAGE_ERR_KERNEL, ERR_PREFIX "kernel_len 0");
}

static void
test_truncated_kernel(void **state)
{
    (void)state;
    assert_int_equal(bzimage_check(setup, SETUP_LEN, 0x7d8200, 0, 0, NULL),
                     0);
    expect_refusal(bzimage_check(setup, SETUP_LEN, 0x7d81ff, 0, 0, NULL),
                   BZIMAGE_ERR_KERNEL, ERR_PREFIX "kernel_len 0x7d81ff below"
                   " syssize 0x7d820 paragraphs (truncated)");
}

static void
test_truncated_kernel_before_204(void **state)
{
    (void)state;
    put16(0x206, 0x0203);
    put32(0x1f4, 0x00017d82); // only the low 16 bits count before 2.04
    assert_int_equal(bzimage_check(setup, SETUP_LEN, 0x7d820, 0, 0, NULL),
                     0);
}

static void
test_initrd_above_4g_capable(void **state)
{
    struct bzimage_info info;

    (void)state;
    assert_int_equal(check(SETUP_LEN, 0xfffff000, 0, &info), 0);
    assert_int_equal(info.initrd_addr_max, 0xffffffff);
    put16(0x236, 0x01); // 64-bit, but not loadable above 4 GiB
    assert_int_equal(check(SETUP_LEN, 0x80000000, 0, &info), 0);
    assert_int_equal(info.initrd_addr_max, 0x7fffffff);
}

static void
test_initrd_limit(void **state)
{
    (void)state;
    put16(0x236, 0);
    assert_int_equal(check(SETUP_LEN, 0x80000000, 0, NULL), 0);
    expect_refusal(check(SETUP_LEN, 0x80000001, 0, NULL), BZIMAGE_ERR_INITRD,
                   ERR_PREFIX "initrd_len 0x80000001 above initrd_addr_max"
                   " 0x7fffffff");
}

static void
test_initrd_limit_before_203(void **state)
{
    (void)state;
    put16(0x206, 0x0202);
    assert_int_equal(check(SETUP_LEN, 0x38000000, 0, NULL), 0);
    expect_refusal(check(SETUP_LEN, 0x38000001, 0, NULL), BZIMAGE_ERR_INITRD,
                   ERR_PREFIX "initrd_len 0x38000001 above initrd_addr_max"
                   " 0x37ffffff");
}

static void
test_initrd_limit_4g(void **state)
{
    (void)state;
    put16(0x236, 0);
    put32(0x22c, 0xffffffff);
    assert_int_equal(check(SETUP_LEN, 0xffffffff, 0, NULL), 0);
    put32(0x22c, 0);
    assert_int_equal(check(SETUP_LEN, 1, 0, NULL), 0);
    stub_log_reset();
    expect_refusal(check(SETUP_LEN, 2, 0, NULL), BZIMAGE_ERR_INITRD,
                   ERR_PREFIX "initrd_len 0x2 above initrd_addr_max 0x0");
}

static void
test_cmdline_limit(void **state)
{
    (void)state;
    assert_int_equal(check(SETUP_LEN, 0, 0x800, NULL), 0);
    expect_refusal(check(SETUP_LEN, 0, 0x801, NULL), BZIMAGE_ERR_CMDLINE,
                   ERR_PREFIX "cmdline_len 0x801 above cmdline_size 0x7ff"
                   " + 1");
}

static void
test_cmdline_limit_before_206(void **state)
{
    (void)state;
    put16(0x206, 0x0205);
    assert_int_equal(check(SETUP_LEN, 0, 256, NULL), 0);
    expect_refusal(check(SETUP_LEN, 0, 257, NULL), BZIMAGE_ERR_CMDLINE,
                   ERR_PREFIX "cmdline_len 0x101 above cmdline_size 0xff"
                   " + 1");
}

static void
test_cmdline_size_huge(void **state)
{
    struct bzimage_info info;

    (void)state;
    put32(0x238, 0xffffffff);
    assert_int_equal(check(SETUP_LEN, 0, 0xffffffff, &info), 0);
    assert_int_equal(info.cmdline_max, 0xffffffff);
}

static void
test_pref_address_low_half(void **state)
{
    struct bzimage_info info;

    (void)state;
    put64(0x258, 0x123456789ULL);
    assert_int_equal(check(SETUP_LEN, 0, 0, &info), 0);
    assert_int_equal(info.pref_address_low, 0x23456789);
}

static void
test_each_refusal_is_one_prefixed_line(void **state)
{
    static const struct {
        unsigned off;
        u8 val;
    } breaks[] = {
        { 0x1fe, 0 }, { 0x202, 'h' }, { 0x207, 1 }, { 0x211, 0 },
        { 0x1f1, 200 },
    };
    unsigned i;

    (void)state;
    for (i = 0; i < ARRAY_SIZE(breaks); i++) {
        make_header();
        stub_log_reset();
        setup[breaks[i].off] = breaks[i].val;
        assert_true(check(SETUP_LEN, 0, 0, NULL) < 0);
        assert_int_equal(stub_log_count(), 1);
        assert_memory_equal(stub_log_last(), ERR_PREFIX,
                            strlen(ERR_PREFIX));
    }
}

// bzimage_fill() may write only the header and the old command line
// fields; everything else must stay as it was.
static void
assert_untouched_outside_header(const unsigned char *before, unsigned len)
{
    assert_memory_equal(setup, before, 0x20);
    assert_memory_equal(setup + 0x24, before + 0x24, 0x1f1 - 0x24);
    assert_memory_equal(setup + 0x26c, before + 0x26c, len - 0x26c);
}

static void
test_fill_modern(void **state)
{
    static unsigned char before[SETUP_LEN];
    const struct bzimage_fill_args a = {
        .setup_addr = 0x10000, .heap_end = 0xe000,
        .cmdline_addr = 0x20000, .cmdline_size = 12,
        .initrd_addr = 0x7f000000, .initrd_size = 0x123456,
    };

    (void)state;
    memcpy(before, setup, SETUP_LEN);
    bzimage_fill(setup, &a);
    assert_int_equal(setup[0x210], 0xff);
    assert_int_equal(get16(0x1fa), 0xffff);
    assert_int_equal(setup[0x211], 0x81);
    assert_int_equal(get16(0x224), 0xde00);
    assert_int_equal(get32(0x228), 0x20000);
    assert_int_equal(get32(0x218), 0x7f000000);
    assert_int_equal(get32(0x21c), 0x123456);
    assert_int_equal(get16(0x212), 0x8000); // setup_move_size untouched
    assert_memory_equal(setup + 0x20, before + 0x20, 4);
    assert_untouched_outside_header(before, SETUP_LEN);
    // The header still passes.
    assert_int_equal(check(SETUP_LEN, 0x123456, 12, NULL), 0);
    assert_int_equal(stub_log_count(), 0);
}

static void
test_fill_without_cmdline_initrd_heap(void **state)
{
    const struct bzimage_fill_args a = {
        .setup_addr = 0x10000, .heap_end = 0x200,
        .cmdline_addr = 0x20000, .cmdline_size = 0,
        .initrd_addr = 0x7f000000, .initrd_size = 0,
    };

    (void)state;
    put32(0x228, 0xdeadbeef);
    put32(0x218, 0xdeadbeef);
    put32(0x21c, 0xdeadbeef);
    bzimage_fill(setup, &a);
    assert_int_equal(get32(0x228), 0);
    assert_int_equal(get32(0x218), 0);
    assert_int_equal(get32(0x21c), 0);
    assert_int_equal(setup[0x211], 0x01); // no CAN_USE_HEAP
    assert_int_equal(get16(0x224), 0x5be0);
}

static void
test_fill_heap_to_segment_end(void **state)
{
    struct bzimage_fill_args a = { .setup_addr = 0x10000 };

    (void)state;
    // QEMU's layout: the heap runs to the end of the setup's segment.
    a.heap_end = 0x10000;
    bzimage_fill(setup, &a);
    assert_int_equal(get16(0x224), 0xfe00);
    assert_int_equal(setup[0x211], 0x81);
    assert_int_equal(stub_log_count(), 0);
    make_header();
    a.heap_end = 0x10001;
    bzimage_fill(setup, &a);
    assert_int_equal(stub_log_count(), 1);
    assert_string_equal(stub_log_last(), "linux: heap_end 0x10001 beyond"
                        " the setup segment, no heap");
    assert_int_equal(get16(0x224), 0x5be0);
    assert_int_equal(setup[0x211], 0x01);
}

static void
test_fill_protocol_201_old_cmdline(void **state)
{
    static unsigned char before[SETUP_LEN];
    const struct bzimage_fill_args a = {
        .setup_addr = 0x90000, .heap_end = 0x9800,
        .cmdline_addr = 0x99800, .cmdline_size = 0x100,
    };

    (void)state;
    put16(0x206, 0x0201);
    put32(0x228, 0xdeadbeef); // not a field yet in 2.01
    memcpy(before, setup, SETUP_LEN);
    bzimage_fill(setup, &a);
    assert_int_equal(get16(0x20), 0xa33f);
    assert_int_equal(get16(0x22), 0x9800);
    assert_int_equal(get16(0x212), 0x9900);
    assert_int_equal(get32(0x228), 0xdeadbeef);
    assert_int_equal(setup[0x211], 0x81);
    assert_int_equal(get16(0x224), 0x9600);
    assert_untouched_outside_header(before, SETUP_LEN);
    assert_int_equal(stub_log_count(), 0);
}

static void
test_fill_protocol_200_no_heap(void **state)
{
    const struct bzimage_fill_args a = {
        .setup_addr = 0x90000, .heap_end = 0x9800,
    };

    (void)state;
    put16(0x206, 0x0200);
    put16(0x20, 0x1234);
    bzimage_fill(setup, &a);
    assert_int_equal(setup[0x211], 0x01);
    assert_int_equal(get16(0x224), 0x5be0);
    assert_int_equal(get16(0x20), 0x1234); // no command line, no magic
}

static void
test_fill_old_cmdline_outside_segment(void **state)
{
    static unsigned char before[SETUP_LEN];
    static const u32 bad_addr[] = { 0x8ffff, 0xa0000, 0x9ff01 };
    struct bzimage_fill_args a = {
        .setup_addr = 0x90000, .cmdline_size = 0x100,
    };
    unsigned i;

    (void)state;
    put16(0x206, 0x0201);
    memcpy(before, setup, SETUP_LEN);
    for (i = 0; i < ARRAY_SIZE(bad_addr); i++) {
        stub_log_reset();
        a.cmdline_addr = bad_addr[i];
        bzimage_fill(setup, &a);
        assert_int_equal(stub_log_count(), 1);
        assert_memory_equal(setup + 0x20, before + 0x20, 4);
        assert_int_equal(get16(0x212), 0x8000);
    }
    assert_string_equal(stub_log_last(), "linux: command line at 0x9ff01"
                        " size 0x100 outside setup segment 0x90000,"
                        " dropped");
    // The last byte that fits: NUL at 0x9fffe.
    a.cmdline_addr = 0x9feff;
    bzimage_fill(setup, &a);
    assert_int_equal(get16(0x22), 0xfeff);
    assert_int_equal(get16(0x212), 0xffff);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup(name, setup_fn)
        T(test_header_layout),
        T(test_debian_kernel_accepted),
        T(test_out_may_be_null),
        T(test_unaligned_buffer),
        T(test_setup_too_short),
        T(test_bad_boot_flag),
        T(test_bad_header_magic),
        T(test_old_protocol_refused),
        T(test_protocol_200_defaults),
        T(test_zimage_refused),
        T(test_setup_sects_zero_means_four),
        T(test_setup_len_below_setup_sects),
        T(test_setup_len_above_setup_sects),
        T(test_setup_too_big),
        T(test_no_kernel),
        T(test_truncated_kernel),
        T(test_truncated_kernel_before_204),
        T(test_initrd_above_4g_capable),
        T(test_initrd_limit),
        T(test_initrd_limit_before_203),
        T(test_initrd_limit_4g),
        T(test_cmdline_limit),
        T(test_cmdline_limit_before_206),
        T(test_cmdline_size_huge),
        T(test_pref_address_low_half),
        T(test_each_refusal_is_one_prefixed_line),
        T(test_fill_modern),
        T(test_fill_without_cmdline_initrd_heap),
        T(test_fill_heap_to_segment_end),
        T(test_fill_protocol_201_old_cmdline),
        T(test_fill_protocol_200_no_heap),
        T(test_fill_old_cmdline_outside_segment),
#undef T
    };

    return cmocka_run_group_tests_name("bzimage", tests, NULL, NULL);
}
