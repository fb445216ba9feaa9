// Fake fw_cfg files and allocation zones behind fw_cfg_find(),
// fw_cfg_read_file(), fw_cfg_write_file(), fw_cfg_has_dma() and
// zone_alloc() (host-compiled only).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// zone_alloc() hands out blocks of one arena mapped below 2 GiB
// (MAP_32BIT), so addresses are real 32-bit values as in the firmware.
// Every block is aligned to at least 16 and has FAKEFW_GUARD canary bytes
// on each side; the gaps and guards hold a known pattern and are poisoned
// for ASan, so a stray access crashes at once and a stray write in a
// build without ASan still shows in fakefw_canaries_ok(). File contents
// live in exactly-sized heap buffers, so ASan sees overruns there too.
//
// Calls the code under test must never make (a read or write outside the
// file, a write without DMA, a bad or zero alignment, a size 0 block, an
// unknown file pointer) are counted by fakefw_violations() and refused.
#ifndef FAKEFW_H
#define FAKEFW_H

#include "fw/fwcfg_dir.h" // struct fwcfg_file
#include "malloc.h" // enum zone_id
#include "types.h" // u32

#define FAKEFW_MAX_FILES 64
#define FAKEFW_MAX_BLOCKS 256
#define FAKEFW_GUARD 64

struct fakefw_block {
    enum zone_id zone;
    u32 size, align; // as asked for
    u8 *data;
};

// No files, DMA on, every zone empty and unlimited, counters at zero.
void fakefw_reset(void);

// Adds a file with a copy of data[0..size-1] (zeros when data is NULL) and
// select key 0x20 + its index; returns its directory record.
const struct fwcfg_file *fakefw_add_file(const char *name, const void *data,
                                         u32 size);
// Current content of a file (fw_cfg_write_file() lands here), or NULL.
u8 *fakefw_file_data(const char *name);
// Makes every read and write of the file fail (return -1), as a DMA error.
void fakefw_fail_io(const char *name);

void fakefw_set_dma(bool on);
// zone_alloc() returns NULL once a zone would hand out more than bytes.
void fakefw_zone_limit(enum zone_id zone, u32 bytes);

// True when every gap and guard byte of the arena still holds its pattern.
bool fakefw_canaries_ok(void);
int fakefw_violations(void);
// fw_cfg_write_file() calls that wrote something.
int fakefw_writes(void);
int fakefw_block_count(void);
const struct fakefw_block *fakefw_block(int i);

#endif // FAKEFW_H
