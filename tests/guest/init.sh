#!/bin/busybox sh
# shellcheck shell=dash
# ReefBIOS guest probe: /init of the test initramfs (busybox only).
# Reports what the firmware and QEMU handed to Linux as "REEF-GUEST key value"
# lines on the console (ttyS0), then reboots; QEMU runs with -no-reboot and
# exits.  With reef.end=poweroff on the kernel command line it reports
# "ending poweroff" and powers off instead (ACPI S5 from Linux), so a test
# can tell the two apart; reef.end=wait keeps the guest up instead (for QMP
# migration or system_reset from the host) and reef.end=reboot, the default,
# reboots (without -no-reboot QEMU boots again).  reef.s3=N suspends to RAM
# N times before that (s3_cycles).  tests/qemu/qemu.py parses these lines.

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

# The variable MTRRs as Linux read them: "mtrr LINE" per line of
# /proc/mtrr (nothing without MTRRs).
report_mtrrs() {
    [ -r /proc/mtrr ] || return 0
    while IFS= read -r line; do
        report mtrr "$line"
    done </proc/mtrr
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
        bios_version bios_release; do
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

# The value of the word $1=VALUE on the kernel command line (nothing and
# status 1 without one).
cmdline_value() {
    IFS= read -r line </proc/cmdline
    for word in $line; do
        case "$word" in
            "$1="*)
                echo "${word#*=}"
                return 0
                ;;
        esac
    done
    return 1
}

# $3 bytes (1, 2 or 4) of PCI function 0000:$1's config space at offset
# $2, in hex without 0x ("none" if unreadable).
pci_config() {
    value=$(od -A n -t "x$3" -j "$(($2))" -N "$3" \
        "/sys/bus/pci/devices/0000:$1/config" 2>/dev/null | tr -d ' ')
    echo "${value:-none}"
}

# The chipset registers firmware programs and must restore after S3:
# "s3-regs CYCLE NAME=HEX..." (Q35: MCH 00:00.0 and ICH9 LPC 00:1f.0;
# i440FX: PIIX4 PM 00:01.3).  CYCLE 0 is before the first suspend.
report_s3_regs() {
    case "$(cat /sys/bus/pci/devices/0000:00:00.0/device)" in
        0x29c0)
            report s3-regs "$1" \
                "pciexbar=$(pci_config 00:00.0 0x60 4)" \
                "pciexbar-hi=$(pci_config 00:00.0 0x64 4)" \
                "pmbase=$(pci_config 00:1f.0 0x40 4)" \
                "acpi-cntl=$(pci_config 00:1f.0 0x44 1)" \
                "rcba=$(pci_config 00:1f.0 0xf0 4)"
            ;;
        *)
            report s3-regs "$1" \
                "pmba=$(pci_config 00:01.3 0x40 4)" \
                "pmregmisc=$(pci_config 00:01.3 0x80 1)" \
                "smbba=$(pci_config 00:01.3 0x90 4)"
            ;;
    esac
}

# MTRRdefType, the variable ranges (8 pairs) and the fixed ranges.
MTRR_MSRS="2ff 200 201 202 203 204 205 206 207 208 209 20a 20b 20c 20d 20e
20f 250 258 259 268 269 26a 26b 26c 26d 26e 26f"

# MSR 0x$2 through /dev/cpu/N/msr $1 (the file offset is the MSR index)
# as 16 hex digits, "none" if it cannot be read.
read_msr() {
    value=$(dd if="$1" bs=8 count=1 skip=$((0x$2)) iflag=skip_bytes \
        2>/dev/null | od -A n -t x8 | tr -d ' ')
    echo "${value:-none}"
}

# "s3-msrs CYCLE cpuN MSR=VALUE..." per CPU (the MTRR MSRs), or
# "s3-msrs CYCLE none" without /dev/cpu/*/msr; then "s3-proc-mtrr CYCLE
# LINE" for each line of /proc/mtrr.
report_s3_mtrrs() {
    found=0
    for dev in /dev/cpu/[0-9]*/msr; do
        [ -e "$dev" ] || continue
        found=1
        cpu=${dev#/dev/cpu/}
        values=""
        for msr in $MTRR_MSRS; do
            values="$values $msr=$(read_msr "$dev" "$msr")"
        done
        report s3-msrs "$1" "cpu${cpu%/msr}$values"
    done
    [ "$found" = 1 ] || report s3-msrs "$1" none
    if [ -r /proc/mtrr ]; then
        while IFS= read -r line; do
            report s3-proc-mtrr "$1" "$line"
        done </proc/mtrr
    fi
}

# reef.s3=N: suspend to RAM N times (S3, "echo mem"), reporting
# "s3-suspend I" before and "s3-resumed I" after cycle I, each followed by
# the chipset registers and MTRRs; "s3-failed I" if a suspend fails, then
# "s3-done".  Modules shipped in /lib/modules (msr.ko) are loaded first.
s3_cycles() {
    for module in /lib/modules/*.ko; do
        [ -f "$module" ] || continue
        if insmod "$module"; then
            report module "${module##*/} loaded"
        else
            report module "${module##*/} failed"
        fi
    done
    echo deep >/sys/power/mem_sleep
    report s3-mem-sleep "$(cat /sys/power/mem_sleep)"
    report_s3_regs 0
    report_s3_mtrrs 0
    i=1
    while [ "$i" -le "$1" ]; do
        report s3-suspend "$i"
        if ! echo mem >/sys/power/state; then
            report s3-failed "$i"
            break
        fi
        report s3-resumed "$i"
        report_s3_regs "$i"
        report_s3_mtrrs "$i"
        i=$((i + 1))
    done
    report s3-done
}

# PCI as Linux left it, with reef.pci on the command line only (the lines
# are many): "pci-resource BDF INDEX START END FLAGS" for each line of
# /sys/bus/pci/devices/*/resource with flags set (INDEX 0-5 BARs, 6 the
# ROM, bridge windows further on), then "pci-problem LINE" for each
# kernel message about a resource Linux could not take as the firmware
# left it or had to assign itself.
report_pci() {
    for dev in /sys/bus/pci/devices/*; do
        [ -r "$dev/resource" ] || continue
        i=0
        while read -r start end flags; do
            [ "$flags" = 0x0000000000000000 ] ||
                report pci-resource "${dev##*/} $i $start $end $flags"
            i=$((i + 1))
        done <"$dev/resource"
    done
    dmesg | grep -E \
        'pci.*(no space|failed to assign|can.t claim|conflict|: assigned)' \
        >/tmp/pci-problems
    while IFS= read -r line; do
        report pci-problem "$line"
    done </tmp/pci-problems
}

report userspace
report cmdline-sha256 "$(cmdline_sha256)"
report cmdline-length "$(cmdline_length)"
report payload-sha256 "$(payload_sha256)"
report memtotal-kb "$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)"
report cpus "$(grep -c '^processor' /proc/cpuinfo)"
report cpus-possible "$(cat /sys/devices/system/cpu/possible)"
report_memmap
report_mtrrs
report_acpi_tables
report_acpi_problems
report_mptable
report_dmi
if cmdline_has reef.pci; then
    report_pci
fi
report "done"

s3_count=$(cmdline_value reef.s3) && s3_cycles "$s3_count"

sync
if cmdline_has reef.end=poweroff; then
    report ending poweroff
    poweroff -f
elif cmdline_has reef.end=wait; then
    # Stay up for the host (QMP migration, system_reset).
    report ending wait
    while :; do
        sleep 3600
    done
else
    report ending reboot
    reboot -f
fi
