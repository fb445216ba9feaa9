// Debug log writers and the printf-style formatter (32-bit flat).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Lines are assembled in a buffer and written whole: one string I/O per
// line to QEMU's debugcon (a single VM exit under KVM), and, if enabled,
// to the serial port. The formatter is also used by output_snprintf().
#include <stdarg.h> // va_list
#include "div64.h" // div64_u32
#include "bregs.h" // bregs_log_unsupported
#include "output.h" // output_printf
#include "hw/serial.h" // serial_write
#include "x86.h" // outsb

#define DEBUGCON_PRESENT 0xe9 // what QEMU's isa-debugcon reads back

static bool DebugconPresent;
bool OutputActive;
static char LineBuf[160] NOINIT; // [0, LineLen) are set
static u32 LineLen;

void
output_preinit(void)
{
    if (CONFIG_DEBUGCON)
        DebugconPresent = inb(CONFIG_DEBUGCON_PORT) == DEBUGCON_PRESENT;
    if (CONFIG_DEBUG_SERIAL)
        serial_setup(CONFIG_DEBUG_SERIAL_PORT);
    OutputActive = DebugconPresent || CONFIG_DEBUG_SERIAL;
}

static void
line_flush(void)
{
    if (!LineLen)
        return;
    if (CONFIG_DEBUGCON && DebugconPresent)
        outsb(CONFIG_DEBUGCON_PORT, LineBuf, LineLen);
    if (CONFIG_DEBUG_SERIAL)
        serial_write(CONFIG_DEBUG_SERIAL_PORT, LineBuf, LineLen);
    LineLen = 0;
}

static void
line_putc(void *ctx, char c)
{
    (void)ctx;
    LineBuf[LineLen++] = c;
    if (c == '\n' || LineLen == sizeof(LineBuf))
        line_flush();
}

/****************************************************************
 * Formatter
 ****************************************************************/

typedef void (*putc_fn)(void *ctx, char c);

static void
put_number(putc_fn putc, void *ctx, u64 n, u32 base, bool upper, int width,
           char pad, bool negative)
{
    char digits[24];
    int count = 0;
    const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    do {
        u32 rem;
        n = div64_u32(n, base, &rem);
        digits[count++] = set[rem];
    } while (n);
    if (negative)
        width--;
    if (negative && pad == '0')
        putc(ctx, '-');
    for (int i = count; i < width; i++)
        putc(ctx, pad);
    if (negative && pad != '0')
        putc(ctx, '-');
    while (count)
        putc(ctx, digits[--count]);
}

static void
format(putc_fn putc, void *ctx, const char *fmt, va_list args)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            putc(ctx, *fmt);
            continue;
        }
        char pad = ' ';
        int width = 0, longs = 0, precision = -1;
        fmt++;
        if (*fmt == '0')
            pad = '0';
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        if (*fmt == '.') { // precision: only %s uses it (at most N chars)
            precision = 0;
            for (fmt++; *fmt >= '0' && *fmt <= '9'; fmt++)
                precision = precision * 10 + (*fmt - '0');
        }
        while (*fmt == 'l') {
            longs++;
            fmt++;
        }
        u64 value;
        switch (*fmt) {
        case 'd': {
            s64 v = longs >= 2 ? va_arg(args, s64) : va_arg(args, s32);
            bool neg = v < 0;
            put_number(putc, ctx, neg ? -(u64)v : (u64)v, 10, false, width,
                       pad, neg);
            break;
        }
        case 'u':
        case 'x':
        case 'X':
            value = longs >= 2 ? va_arg(args, u64) : va_arg(args, u32);
            put_number(putc, ctx, value, *fmt == 'u' ? 10 : 16, *fmt == 'X',
                       width, pad, false);
            break;
        case 'p':
            putc(ctx, '0');
            putc(ctx, 'x');
            put_number(putc, ctx, (uintptr_t)va_arg(args, void *), 16,
                       false, 8, '0', false);
            break;
        case 'c':
            putc(ctx, (char)va_arg(args, int));
            break;
        case 's': {
            const char *s = va_arg(args, const char *);
            int len = 0;
            for (; s && s[len] && len != precision; len++)
                ;
            for (int i = len; i < width; i++)
                putc(ctx, ' ');
            for (int i = 0; i < len; i++)
                putc(ctx, s[i]);
            break;
        }
        case '%':
            putc(ctx, '%');
            break;
        default: // unknown conversion: show it rather than guess
            putc(ctx, '%');
            if (!*fmt)
                return;
            putc(ctx, *fmt);
        }
    }
}

void
output_printf(const char *fmt, ...)
{
    // Nobody listening: skip the formatting too (a boot without debugcon
    // should not pay for the log). dprintf() tests first; direct callers
    // rely on this.
    if (!OutputActive)
        return;
    va_list args;
    va_start(args, fmt);
    format(line_putc, NULL, fmt, args);
    va_end(args);
}

struct snprintf_ctx {
    char *buf;
    size_t size, pos;
};

static void
snprintf_putc(void *ctx, char c)
{
    struct snprintf_ctx *s = ctx;
    if (s->pos + 1 < s->size)
        s->buf[s->pos] = c;
    s->pos++;
}

int
output_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    struct snprintf_ctx s = { buf, size, 0 };
    va_list args;
    va_start(args, fmt);
    format(snprintf_putc, &s, fmt, args);
    va_end(args);
    if (size)
        buf[MIN(s.pos, size - 1)] = 0;
    return s.pos;
}

void
bregs_log_unsupported(struct bregs *r, u8 code, const char *func, int line)
{
    dprintf(LOG_DEBUG, "%s:%d: unsupported, ax=%04x bx=%04x cx=%04x"
            " dx=%04x es=%04x di=%04x\n", func, line, r->ax, r->bx, r->cx,
            r->dx, r->es, r->di);
    bregs_fail(r, code);
}
