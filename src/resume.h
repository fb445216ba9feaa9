// S3 resume (32-bit flat; the magic also for assembler).
//
// Copyright (C) 2026 The ReefBIOS authors
// SPDX-License-Identifier: LGPL-3.0-or-later
#ifndef RESUME_H
#define RESUME_H

#define RESUME_MAGIC 0x55534552 // "RESU": POST completed, resume possible

#ifndef __ASSEMBLY__
#include "types.h" // u64

// Record what resume needs (FACS address, replay switch) and arm it.
void resume_prepboot(void);
// Entered from romlayout.S instead of post_main() on an S3 wakeup.
void NORETURN ASMLINKAGE s3_resume(u64 tsc_start);
#endif
#endif // RESUME_H
