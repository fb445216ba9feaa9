#!/bin/sh
# Boot Debian's kernel with a busybox initramfs under QEMU with our image
# (the README's demo): the guest console on stdout, then our debug log.
#
# Copyright (C) 2026 The ReefBIOS authors
# SPDX-License-Identifier: LGPL-3.0-or-later
set -e
cd "$(dirname "$0")/.."
KERNEL=${REEF_KERNEL:-$(ls /boot/vmlinuz-* | sort -V | tail -n 1)}
MACHINE=${MACHINE:-q35}
ACCEL=${ACCEL:-tcg}
/usr/bin/python3 tests/guest/mkinitramfs.py out/demo-initrd.cpio
echo "demo: booting $KERNEL on $MACHINE ($ACCEL) with out/bios.bin"
timeout 120 qemu-system-x86_64 -machine "$MACHINE" -accel "$ACCEL" -m 512M \
    -smp 2 -nographic -no-reboot -bios out/bios.bin -kernel "$KERNEL" \
    -initrd out/demo-initrd.cpio -append "console=ttyS0 panic=-1" \
    -debugcon file:out/demo-debug.log -global isa-debugcon.iobase=0x402
echo "demo: ReefBIOS debug log (out/demo-debug.log):"
cat out/demo-debug.log
