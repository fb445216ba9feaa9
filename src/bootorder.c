// QEMU "bootorder" file matching (32-bit flat; host tests too).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#include "bootorder.h" // bootorder_find
#include "string.h" // strlen, memcmp

int
bootorder_find(const char *text, u32 len, const char *path)
{
    u32 plen = strlen(path), pos = 0;
    for (int index = 0; pos < len && text[pos]; index++) {
        u32 end = pos;
        while (end < len && text[end] && text[end] != '\n')
            end++;
        if (end - pos == plen && !memcmp(text + pos, path, plen))
            return index;
        if (end >= len || !text[end]) // a NUL ends the text
            break;
        pos = end + 1;
    }
    return -1;
}
