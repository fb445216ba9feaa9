// Host-test log recorder behind output_printf() (host-compiled only).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// Every output_printf() call is checked against the format subset that the
// firmware's printf supports (see src/output.h) and must end in "\n"; a
// call that breaks that aborts the test. Lines are kept for the test to
// look at; set STUB_LOG_ECHO=1 in the environment to also see them on
// stderr.
#ifndef STUB_OUTPUT_H
#define STUB_OUTPUT_H

#include <stdbool.h> // bool

// Forgets every line recorded so far.
void stub_log_reset(void);

// Number of output_printf() calls since the last reset.
int stub_log_count(void);

// Text of the last call since the reset (without the "\n"), or "".
const char *stub_log_last(void);

// True if a call since the reset (among the last 64) contains `needle`.
bool stub_log_has(const char *needle);

#endif // STUB_OUTPUT_H
