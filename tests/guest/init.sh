#!/bin/busybox sh
# shellcheck shell=dash
# ReefBIOS guest probe: /init of the test initramfs (busybox only).
# Reports what the firmware and QEMU handed to Linux as "REEF-GUEST key value"
# lines on the console (ttyS0), then reboots; QEMU runs with -no-reboot and
# exits.  tests/qemu/qemu.py parses these lines.

/bin/busybox --install -s /bin
export PATH=/bin

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# Keep kernel messages from splitting our report lines.
echo 1 >/proc/sys/kernel/printk

report() {
    echo "REEF-GUEST $*"
}

# The cmdline exactly as the kernel reports it, minus the trailing newline.
cmdline_sha256() {
    IFS= read -r line </proc/cmdline
    printf '%s' "$line" | sha256sum | cut -d' ' -f1
}

cmdline_length() {
    IFS= read -r line </proc/cmdline
    echo "${#line}"
}

payload_sha256() {
    if [ -f /payload.bin ]; then
        sha256sum /payload.bin | cut -d' ' -f1
    else
        echo none
    fi
}

# One line per /sys/firmware/memmap entry, in the kernel's order:
# "e820 START END TYPE".
report_memmap() {
    i=0
    while [ -d "/sys/firmware/memmap/$i" ]; do
        dir="/sys/firmware/memmap/$i"
        start=$(cat "$dir/start")
        end=$(cat "$dir/end")
        report e820 "$start" "$end" "$(cat "$dir/type")"
        i=$((i + 1))
    done
}

report userspace
report cmdline-sha256 "$(cmdline_sha256)"
report cmdline-length "$(cmdline_length)"
report payload-sha256 "$(payload_sha256)"
report memtotal-kb "$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)"
report cpus "$(grep -c '^processor' /proc/cpuinfo)"
report_memmap
report "done"

sync
reboot -f
