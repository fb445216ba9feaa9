// libFuzzer target for src/bzimage.c (host-compiled only).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Input: a 24-byte prefix of lengths and loader addresses, then either
// (mode bit clear) the setup bytes themselves, or (mode bit set) patches
// of 3 bytes { offset lo, offset hi, value } applied to a valid protocol
// 2.15 header, which reaches the deeper checks quickly. The setup buffer
// is allocated with exactly setup_len bytes so ASan sees any access past
// it. When bzimage_check() accepts it, bzimage_fill() runs on it and may
// change nothing outside the header and the old command line fields, and
// the result must still pass bzimage_check().
#include <stdint.h> // uint8_t
#include <stdio.h> // fprintf
#include <stdlib.h> // abort, malloc
#include <string.h> // memcmp

#include "fuzz.h" // REQUIRE
#include "bzimage.h" // bzimage_check

#define PREFIX 24
#define SETUP_LEN_MAX 0x9000

static u32
take(const uint8_t *p, int bytes)
{
    u32 v = 0;

    while (bytes--)
        v = (v << 8) | p[bytes];
    return v;
}

static void
put(u8 *p, u32 v, int bytes)
{
    while (bytes--) {
        *p++ = v;
        v >>= 8;
    }
}

// A protocol 2.15 header with setup_sects 4, put in a buffer of len bytes.
static void
make_valid(u8 *s, u32 len)
{
    if (len < BZIMAGE_HDR_END)
        return;
    s[0x1f1] = 4;
    put(s + 0x1fe, 0xaa55, 2);
    put(s + 0x202, BZIMAGE_MAGIC, 4);
    put(s + 0x206, 0x020f, 2);
    s[0x211] = BZIMAGE_LOADED_HIGH;
    put(s + 0x214, 0x100000, 4);
    put(s + 0x22c, 0x7fffffff, 4);
    put(s + 0x238, 0x7ff, 4);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct bzimage_fill_args a;
    struct bzimage_info info;
    u32 setup_len, kernel_len, initrd_len, cmdline_len, i;
    u8 *s, *copy;
    int ret;

    if (size < PREFIX)
        return 0;
    setup_len = take(data, 2) % (SETUP_LEN_MAX + 1);
    kernel_len = take(data + 2, 4);
    initrd_len = take(data + 6, 4);
    cmdline_len = take(data + 10, 2);
    a.setup_addr = take(data + 12, 3);
    a.heap_end = take(data + 15, 2) + (data[23] & 2 ? 0x10000 : 0);
    a.cmdline_addr = a.setup_addr + take(data + 17, 2);
    a.cmdline_size = take(data + 19, 2);
    a.initrd_addr = take(data + 21, 2) << 16;
    a.initrd_size = initrd_len;
    if (data[23] & 0x80)
        cmdline_len |= take(data + 19, 2) << 16;

    s = malloc(setup_len ? setup_len : 1);
    copy = malloc(setup_len ? setup_len : 1);
    REQUIRE(s && copy);
    memset(s, 0, setup_len);
    if (data[23] & 1) {
        make_valid(s, setup_len);
        for (i = PREFIX; i + 3 <= size; i += 3) {
            u32 off = take(data + i, 2);

            if (off < setup_len)
                s[off] = data[i + 2];
        }
    } else {
        memcpy(s, data + PREFIX, MIN(size - PREFIX, setup_len));
    }

    ret = bzimage_check(s, setup_len, kernel_len, initrd_len, cmdline_len,
                        &info);
    REQUIRE(ret <= 0 && ret >= BZIMAGE_ERR_CMDLINE);
    if (ret == 0) {
        REQUIRE(setup_len >= BZIMAGE_HDR_END);
        REQUIRE(info.setup_size <= setup_len);
        REQUIRE(info.setup_size <= BZIMAGE_SETUP_MAX);
        REQUIRE(info.setup_size == (info.setup_sects + 1u) * 512);
        REQUIRE(info.version >= BZIMAGE_PROTO(2, 0));
        REQUIRE(info.loadflags & BZIMAGE_LOADED_HIGH);
        REQUIRE(kernel_len != 0);
        REQUIRE(cmdline_len <= info.cmdline_max);
        REQUIRE((u64)initrd_len <= (u64)info.initrd_addr_max + 1);

        memcpy(copy, s, setup_len);
        bzimage_fill(s, &a);
        REQUIRE(!memcmp(s, copy, 0x20));
        REQUIRE(!memcmp(s + 0x24, copy + 0x24, BZIMAGE_HDR_OFFSET - 0x24));
        REQUIRE(!memcmp(s + BZIMAGE_HDR_END, copy + BZIMAGE_HDR_END,
                        setup_len - BZIMAGE_HDR_END));
        if (info.version >= BZIMAGE_PROTO(2, 2))
            REQUIRE(!memcmp(s + 0x20, copy + 0x20, 4));
        REQUIRE(s[0x210] == BZIMAGE_LOADER_UNDEFINED);
        REQUIRE(bzimage_check(s, setup_len, kernel_len, initrd_len,
                              cmdline_len, NULL) == 0);
    }
    free(copy);
    free(s);
    return 0;
}
