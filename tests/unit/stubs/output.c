// Host-test output_printf() that records lines (host-compiled only).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#include <stdarg.h> // va_list
#include <stdio.h> // vsnprintf
#include <stdlib.h> // abort, getenv
#include <string.h> // strstr

#include "output.h" // output_printf
#include "stub_output.h" // stub_log_reset

#define STUB_LINES 64
#define STUB_LINE_MAX 512

bool OutputActive = true; // every line reaches the recorder

static char stub_lines[STUB_LINES][STUB_LINE_MAX];
static int stub_count;
static int stub_echo = -1; // STUB_LOG_ECHO set; -1 until looked up

void
stub_log_reset(void)
{
    stub_count = 0;
    stub_lines[0][0] = '\0';
}

int
stub_log_count(void)
{
    return stub_count;
}

const char *
stub_log_last(void)
{
    if (!stub_count)
        return "";
    return stub_lines[(stub_count - 1) % STUB_LINES];
}

bool
stub_log_has(const char *needle)
{
    int i, n = stub_count < STUB_LINES ? stub_count : STUB_LINES;

    for (i = 0; i < n; i++)
        if (strstr(stub_lines[i], needle))
            return true;
    return false;
}

static void
stub_bad_format(const char *fmt, const char *why)
{
    fprintf(stderr, "stub output: format \"%s\": %s\n", fmt, why);
    abort();
}

// The firmware's printf knows %d %u %x %X %s %c %p %%, with an optional
// '0' flag, a width, '.N' before s, and 'l' or 'll' before d/u/x/X.
static void
stub_check_format(const char *fmt)
{
    const char *p = fmt;
    size_t len = strlen(fmt);

    if (!len || fmt[len - 1] != '\n')
        stub_bad_format(fmt, "does not end in a newline");
    while ((p = strchr(p, '%'))) {
        int longs = 0;

        p++;
        if (*p == '%') {
            p++;
            continue;
        }
        if (*p == '0')
            p++;
        while (*p >= '0' && *p <= '9')
            p++;
        bool precision = *p == '.';
        if (precision)
            for (p++; *p >= '0' && *p <= '9'; p++)
                ;
        while (*p == 'l' && longs < 2) {
            longs++;
            p++;
        }
        if (!*p || !strchr("duxXscp", *p))
            stub_bad_format(fmt, "conversion outside the firmware's set");
        if (longs && !strchr("duxX", *p))
            stub_bad_format(fmt, "length modifier on a non-integer");
        if (precision && *p != 's')
            stub_bad_format(fmt, "precision on a non-string");
        p++;
    }
}

void
output_printf(const char *fmt, ...)
{
    char *line = stub_lines[stub_count % STUB_LINES];
    size_t len;
    va_list ap;

    stub_check_format(fmt);
    va_start(ap, fmt);
    vsnprintf(line, STUB_LINE_MAX, fmt, ap);
    va_end(ap);
    len = strlen(line);
    if (len && line[len - 1] == '\n')
        line[len - 1] = '\0';
    stub_count++;
    if (stub_echo < 0)
        stub_echo = getenv("STUB_LOG_ECHO") != NULL;
    if (stub_echo)
        fprintf(stderr, "log: %s\n", line);
}
