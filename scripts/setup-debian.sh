#!/bin/sh
# Install everything ReefBIOS needs to build, demo and test on Debian 12,
# as root (the README's two commands and .ci/run start here).
#
# Copyright (C) 2026 The ReefBIOS authors
# SPDX-License-Identifier: LGPL-3.0-or-later
set -e
PACKAGES="gcc binutils make python3 python3-kconfiglib python3-pytest
    qemu-system-x86 qemu-system-data seabios acpica-tools
    linux-image-amd64 busybox-static cpio libcmocka-dev clang
    libclang-rt-14-dev git"
missing=""
for p in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" \
        || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "setup: installing$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    # shellcheck disable=SC2086
    apt-get install -y -q --no-install-recommends $missing
fi
