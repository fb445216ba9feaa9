// Debug log: levels, dprintf() and the console/debugcon writers.
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#ifndef OUTPUT_H
#define OUTPUT_H

// Log levels (compare coreboot's loglevel.h):
#define LOG_ERR   1 // the OS or the user will see something broken
#define LOG_WARN  2 // unexpected, handled; e.g. bad input skipped
#define LOG_INFO  3 // one line per subsystem and per boot decision
#define LOG_DEBUG 4 // driver detail
#define LOG_TRACE 5 // every call and interrupt

#ifndef __ASSEMBLY__
#include "autoconf.h" // CONFIG_DEBUG_LEVEL
#include "types.h" // size_t

// Format: %d %u %x %X %s %c %p %%, with optional '0', width, '.N'
// (for %s: at most N characters) and 'l'/'ll' (64-bit) length modifiers. A line must end in "\n"; each call writes
// whole lines with one string I/O per line.
void output_printf(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

// Probe the log devices; before this, output goes nowhere.
void output_preinit(void);
// Whether anything receives the log (set by output_preinit()): dprintf()
// skips even its arguments without it, and callers skip work done only
// for the log (timestamps).
extern bool OutputActive;
static inline bool
output_active(void)
{
    return OutputActive;
}
// Format into buf (always terminated when size > 0); returns the length
// the whole string needed.
int output_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

// Compiles to nothing when lvl is above CONFIG_DEBUG_LEVEL; costs a test
// and a branch when nothing listens (an emulated boot pays for every
// instruction, TCG for every distinct one).
#define dprintf(lvl, fmt, ...) do {                         \
        if ((lvl) <= CONFIG_DEBUG_LEVEL && OutputActive)    \
            output_printf(fmt, ##__VA_ARGS__);              \
    } while (0)

#endif // !__ASSEMBLY__
#endif // OUTPUT_H
