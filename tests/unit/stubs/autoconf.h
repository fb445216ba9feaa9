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

// WRITE_POINTER records kept for S3 resume (src/fw/tableloader.c).
#ifndef CONFIG_S3_WRITE_POINTERS
#define CONFIG_S3_WRITE_POINTERS 8
#endif

#define CONFIG_ROM_SIZE 256
#define CONFIG_ACPI 1
#define CONFIG_MPTABLE 1
#define CONFIG_PIRTABLE 1
#define CONFIG_SMBIOS 1
#define CONFIG_SMM 1
#define CONFIG_MTRR_INIT 1

#endif // AUTOCONF_H

