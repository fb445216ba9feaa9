// BIOS Data Area and Extended BIOS Data Area layouts.
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// IBM PC/AT Technical Reference, "BIOS data area"; Ralf Brown's memory
// map (MEMORY.LST, segment 0040h). Frozen legacy interface.
#ifndef STD_BDA_H
#define STD_BDA_H

#include "types.h" // u16

#define BDA_ADDR 0x400

struct bios_data_area {
    u16 com_port[4];        // 40:00
    u16 lpt_port[3];        // 40:08
    u16 ebda_seg;           // 40:0e
    u16 equipment;          // 40:10
    u8 pad_12;              // 40:12
    u16 mem_size_kb;        // 40:13
    u8 pad_15[2];           // 40:15
    u8 kbd_flag0;           // 40:17
    u8 kbd_flag1;           // 40:18
    u8 kbd_alt_keypad;      // 40:19
    u16 kbd_head;           // 40:1a
    u16 kbd_tail;           // 40:1c
    u8 kbd_buf[32];         // 40:1e
    u8 floppy_recal;        // 40:3e
    u8 floppy_motor;        // 40:3f
    u8 floppy_motor_timer;  // 40:40
    u8 floppy_status[8];    // 40:41
    u8 video_mode;          // 40:49
    u16 video_cols;         // 40:4a
    u16 video_pagesize;     // 40:4c
    u16 video_pagestart;    // 40:4e
    u16 cursor_pos[8];      // 40:50
    u16 cursor_type;        // 40:60
    u8 video_page;          // 40:62
    u16 crtc_port;          // 40:63
    u8 video_msr;           // 40:65
    u8 video_pal;           // 40:66
    u32 jump;               // 40:67
    u8 other_6b;            // 40:6b
    u32 timer_ticks;        // 40:6c
    u8 timer_rollover;      // 40:70
    u8 break_flag;          // 40:71
    u16 soft_reset_flag;    // 40:72
    u8 disk_last_status;    // 40:74
    u8 hd_count;            // 40:75
    u8 hd_control;          // 40:76
    u8 hd_port_offset;      // 40:77
    u8 lpt_timeout[4];      // 40:78
    u8 com_timeout[4];      // 40:7c
    u16 kbd_buf_start;      // 40:80
    u16 kbd_buf_end;        // 40:82
    u8 video_rows;          // 40:84 rows on screen - 1
    u16 char_height;        // 40:85
    u8 video_ctl;           // 40:87
    u8 video_switches;      // 40:88
    u8 modeset_ctl;         // 40:89
    u8 dcc_index;           // 40:8a
    u8 pad_8b[0x100 - 0x8b];
} PACKED;

_Static_assert(sizeof(struct bios_data_area) == 0x100, "bda size");
_Static_assert(offsetof(struct bios_data_area, ebda_seg) == 0x0e, "bda");
_Static_assert(offsetof(struct bios_data_area, mem_size_kb) == 0x13, "bda");
_Static_assert(offsetof(struct bios_data_area, kbd_buf) == 0x1e, "bda");
_Static_assert(offsetof(struct bios_data_area, video_mode) == 0x49, "bda");
_Static_assert(offsetof(struct bios_data_area, crtc_port) == 0x63, "bda");
_Static_assert(offsetof(struct bios_data_area, timer_ticks) == 0x6c, "bda");
_Static_assert(offsetof(struct bios_data_area, disk_last_status) == 0x74,
               "bda");
_Static_assert(offsetof(struct bios_data_area, kbd_buf_start) == 0x80,
               "bda");
_Static_assert(offsetof(struct bios_data_area, video_rows) == 0x84, "bda");

#define BDA ((volatile struct bios_data_area *)BDA_ADDR)

// EBDA: the first byte is its size in KiB; the rest is ours.
struct extended_bios_data_area {
    u8 size_kb;             // 00
    u8 pad[0x3f];           // 01: reserved for mouse and other BIOS use
} PACKED;

#define BDA_EQUIP_VIDEO_80COL 0x0020 // initial video mode: 80x25 color
#define BDA_EQUIP_SERIAL_SHIFT 9

#endif // STD_BDA_H
