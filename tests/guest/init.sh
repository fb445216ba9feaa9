#!/bin/busybox sh
# shellcheck shell=dash
# ReefBIOS guest probe: /init of the test initramfs (busybox only).
# Reports what the firmware and QEMU handed to Linux as "REEF-GUEST key value"
# lines on the console (ttyS0), then reboots; QEMU runs with -no-reboot and
# exits.  With reef.end=poweroff on the kernel command line it reports
# "ending poweroff" and powers off instead (ACPI S5 from Linux), so a test
# can tell the two apart.  tests/qemu/qemu.py parses these lines.

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

# ACPI tables Linux found: "acpi-tables NAME..." (empty without ACPI).
report_acpi_tables() {
    names=""
    for path in /sys/firmware/acpi/tables/*; do
        [ -f "$path" ] && names="$names ${path##*/}"
    done
    report acpi-tables "${names# }"
}

# Kernel messages from ACPICA about the firmware's tables and AML:
# "acpi-problems COUNT", then up to 20 "acpi-problem LINE".
report_acpi_problems() {
    dmesg | grep -E 'ACPI( BIOS)? (Error|Warning|Exception)' \
        >/tmp/acpi-problems
    report acpi-problems "$(wc -l </tmp/acpi-problems)"
    head -n 20 /tmp/acpi-problems | while IFS= read -r line; do
        report acpi-problem "$line"
    done
}

# How Linux found its CPUs without ACPI: its "found SMP MP-table" line.
report_mptable() {
    report mptable "$(dmesg | grep -o -m 1 'found SMP MP-table at.*')"
}

# SMBIOS as Linux decoded it: "dmi-FIELD VALUE" for the readable
# /sys/class/dmi/id fields, and "dmi-oem-raw HEX" per type 11 structure
# (the raw structure: formatted area and strings, as the firmware left it).
report_dmi() {
    for field in sys_vendor product_name product_serial bios_vendor \
        bios_version; do
        if [ -r "/sys/class/dmi/id/$field" ]; then
            report "dmi-$field" "$(cat "/sys/class/dmi/id/$field")"
        fi
    done
    for entry in /sys/firmware/dmi/entries/11-*; do
        if [ -r "$entry/raw" ]; then
            report dmi-oem-raw "$(od -A n -v -t x1 "$entry/raw" |
                tr -d ' \n')"
        fi
    done
}

# True when the kernel command line has the word $1.
cmdline_has() {
    IFS= read -r line </proc/cmdline
    case " $line " in
        *" $1 "*) return 0 ;;
    esac
    return 1
}

report userspace
report cmdline-sha256 "$(cmdline_sha256)"
report cmdline-length "$(cmdline_length)"
report payload-sha256 "$(payload_sha256)"
report memtotal-kb "$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)"
report cpus "$(grep -c '^processor' /proc/cpuinfo)"
report_memmap
report_acpi_tables
report_acpi_problems
report_mptable
report_dmi
report "done"

sync
if cmdline_has reef.end=poweroff; then
    report ending poweroff
    poweroff -f
else
    report ending reboot
    reboot -f
fi
