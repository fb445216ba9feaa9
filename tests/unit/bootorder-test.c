// Unit tests for QEMU bootorder matching (src/bootorder.c).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "bootorder.h"

static const char Order[] =
    "/rom@genroms/linuxboot_dma.bin\n"
    "/pci@i0cf8/ide@1,1/drive@0/disk@0\n"
    "/pci@i0cf8/ethernet@3/ethernet-phy@0\n";

static void
test_positions(void **state)
{
    (void)state;
    u32 len = strlen(Order);
    assert_int_equal(bootorder_find(Order, len,
                                    "/rom@genroms/linuxboot_dma.bin"), 0);
    assert_int_equal(bootorder_find(Order, len,
                                    "/pci@i0cf8/ide@1,1/drive@0/disk@0"), 1);
    assert_int_equal(bootorder_find(Order, len,
                                    "/pci@i0cf8/ethernet@3/ethernet-phy@0"),
                     2);
}

static void
test_whole_lines_only(void **state)
{
    (void)state;
    u32 len = strlen(Order);
    assert_int_equal(bootorder_find(Order, len, "/rom@genroms/linuxboot"),
                     -1);
    assert_int_equal(bootorder_find(Order, len,
                                    "/rom@genroms/linuxboot_dma.bin\n"), -1);
    assert_int_equal(bootorder_find(Order, len, ""), -1);
}

static void
test_bounds(void **state)
{
    (void)state;
    // The length limits the search even without a NUL; a NUL ends it.
    const char text[] = { '/', 'a', '\n', '/', 'b' };
    assert_int_equal(bootorder_find(text, sizeof(text), "/b"), 1);
    assert_int_equal(bootorder_find(text, 4, "/b"), -1);
    assert_int_equal(bootorder_find("/a\0/b", 5, "/b"), -1);
    assert_int_equal(bootorder_find("", 0, "/a"), -1);
    assert_int_equal(bootorder_find("\n\n/a", 4, "/a"), 2);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_positions),
        cmocka_unit_test(test_whole_lines_only),
        cmocka_unit_test(test_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
