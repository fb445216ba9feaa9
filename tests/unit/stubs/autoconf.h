// Stand-in for the generated autoconf.h in host tests (host-compiled only).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
//
// tests/tests.mk builds the unit tests with -DCONFIG_DEBUG_LEVEL=2
// (LOG_WARN), so that a test that sees a line knows it was logged at
// LOG_WARN or lower; the fuzzers take the default and print every level.
#ifndef AUTOCONF_H
#define AUTOCONF_H

#ifndef CONFIG_DEBUG_LEVEL
#define CONFIG_DEBUG_LEVEL 5
#endif

#endif // AUTOCONF_H
