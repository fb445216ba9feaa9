// PCI resource allocator: addresses for BARs and bridge windows from
// their sizes (32-bit flat; also host-compiled for tests).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Pure: no config space, no globals. The caller (fw/pciinit.c) describes
// the buses and resources it found; this computes where each goes.
//
// PCI Local Bus 3.0, 6.2.5.1 (BARs are naturally aligned powers of two);
// PCI-to-PCI Bridge Architecture 1.2, 3.2.5.6 (I/O window: 4 KiB units),
// 3.2.5.8 (memory window: 1 MiB units), 3.2.5.9 (prefetchable window,
// 1 MiB units, optionally 64-bit).
//
// Model. A bus is a root (the host bridge's bus 0, or a pxb extra root:
// no window registers) or the secondary side of a bridge. Every bus has
// three groups, indexed like the resource types:
//
//   group     on a bridge             on a root
//   PA_IO     I/O window              I/O, lands in win[PA_IO]
//   PA_MEM    memory window (32-bit)  below 4 GiB, lands in win[PA_MEM]
//   PA_PREF   prefetchable window     above 4 GiB, lands in win[PA_PREF]
//
// A resource joins a group of its bus: I/O BARs the I/O group; memory
// BARs the memory group; prefetchable BARs the prefetchable group, or
// the memory group of a bridge that has no prefetchable window. On a root
// bus a 64-bit BAR (prefetchable or not) may be placed "high" (the root's
// PA_PREF group), the others stay low. A bridge's windows join its
// parent's groups the same way; the prefetchable window of a bridge on a
// root bus is placed high or low as a whole, and only if everything in it
// can go above 4 GiB ("able": the bridge and every bridge below decode 64-
// bit prefetchable windows and every prefetchable BAR in it is 64-bit).
//
// Layout. Items of a group are packed in order of alignment, largest
// first (ties keep input order) from offset 0, each aligned to its own
// alignment; the group's alignment is the largest one, so placing the
// group at an aligned base keeps every item aligned. A bridge window is
// max(contents, reservation) rounded up to its granularity, aligned to
// max(granularity, contents' alignment); a root group takes no rounding.
// The root groups are packed the same way into the three windows: 32-bit
// memory against the window end (what stays free is the low part); I/O
// and 64-bit from the window start upwards, or, when that does not fit,
// against the end and reaching down to pa_window.reach.
//
// Policy when a window is exhausted, repeated until everything fits:
//  1. 32-bit memory window: move the largest movable item (a 64-bit BAR
//     on a root bus, or an able bridge prefetchable window on a root bus)
//     high, if the 64-bit window is not empty;
//  2. skip every resource that lands there and is larger than the whole
//     window (state PA_SKIP_FULL; the caller logs it and leaves it
//     unassigned);
//  3. drop the largest hotplug reservation of a bridge window that lands
//     there (ties: the later bridge; its bit is set in pa_bus.dropped);
//  4. skip the largest resource that lands there (PA_SKIP_FULL).
// Before that, with a non-empty 64-bit window, movable prefetchable items
// of at least high_min bytes, and bridges whose reservation asked for
// 64-bit prefetchable space (PA_BUS_WANT_HIGH, in them or below), start
// out high. I/O BARs behind a bridge without an I/O window (on the path
// to the root) are skipped at once (PA_SKIP_NOWIN).
#ifndef FW_PCIALLOC_H
#define FW_PCIALLOC_H

#include "types.h" // u64

#define PCIALLOC_IO_GRAN  0x1000ULL   // bridge I/O window unit
#define PCIALLOC_MEM_GRAN 0x100000ULL // bridge memory windows unit

enum { PA_IO, PA_MEM, PA_PREF, PA_NTYPES };

// struct pa_bus.flags (input)
#define PA_BUS_ROOT      0x01 // a root bus: no windows, parent -1
#define PA_BUS_NO_IO     0x02 // bridge forwards no I/O
#define PA_BUS_NO_PREF   0x04 // bridge has no prefetchable window
#define PA_BUS_PREF64    0x08 // its prefetchable window is 64-bit
#define PA_BUS_PREF_LOW  0x10 // reservation wants prefetchable below 4 GiB
#define PA_BUS_WANT_HIGH 0x20 // reservation wants prefetchable above 4 GiB

struct pa_bus {
    // Input.
    int parent; // index of the parent bus, lower than this one; -1: root
    u8 flags;
    u64 reserve[PA_NTYPES]; // least window size (hotplug); 0: none
    // Output: window g is [base[g], base[g] + size[g]); size 0: closed.
    // For a root bus, the span its group takes in the window.
    u64 base[PA_NTYPES];
    u64 size[PA_NTYPES];
    bool pref_high; // the prefetchable window lies above 4 GiB
    u8 dropped; // bit g: reserve[g] was dropped for want of room
    // Internal.
    u64 align[PA_NTYPES];
    u64 off[PA_NTYPES];
    u8 state;
};

// struct pa_res.flags (input)
#define PA_RES_64 0x01 // a 64-bit memory BAR

// struct pa_res.state (output)
#define PA_PLACED     0
#define PA_SKIP_NOWIN 1 // I/O behind a bridge that forwards none
#define PA_SKIP_FULL  2 // no room in its window

struct pa_res {
    // Input.
    int bus; // index of the bus the device sits on
    u8 type; // PA_IO, PA_MEM, PA_PREF
    u8 flags;
    u64 size; // a power of two; 0: not a resource (ignored)
    u32 tag; // the caller's: left as it is
    // Output.
    u64 addr;
    u8 state;
    bool high; // placed above 4 GiB (the root's PA_PREF group)
    // Internal.
    u64 off;
};

struct pa_window {
    u64 start, end; // [start, end); empty when end <= start
    u64 reach; // below start: how far a too large I/O or 64-bit group may
               // extend it downwards (0: not at all)
};

struct pa_tree {
    struct pa_bus *bus;
    int nbus;
    struct pa_res *res;
    int nres;
    // win[PA_IO]: I/O; win[PA_MEM]: 32-bit memory; win[PA_PREF]: 64-bit.
    struct pa_window win[PA_NTYPES];
    u64 high_min; // see the policy; 0: nothing starts out high
    u16 *scratch; // PCIALLOC_SCRATCH(nres, nbus) entries
    // Output: the part of each window the roots took ([used_start,
    // used_end), equal when nothing was placed there).
    u64 used_start[PA_NTYPES], used_end[PA_NTYPES];
};

#define PCIALLOC_SCRATCH(nres, nbus) ((nres) + PA_NTYPES * (nbus))

// Lays out the tree. Returns the number of resources left unplaced
// (state != PA_PLACED), or -1 (one LOG_WARN line, nothing placed) for an
// inconsistent tree: a parent not below its child's index, a root with a
// parent or a bridge without, a resource on no bus, a size that is not a
// power of two, more than 65535 items.
int pcialloc_run(struct pa_tree *t);

#endif // FW_PCIALLOC_H
