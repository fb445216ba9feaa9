"""The BIOS debug-log lines (debugcon, port 0x402) that the QEMU tests expect.

Every regular expression the tests match against ReefBIOS's own log lives
here, so a change of log format is a change of this file only.  They are
searched with re.MULTILINE, in the order a test lists them; each may match
on the same line as the one before it.
"""

# fw_cfg probe: the "QEMU" signature was read through selector 0x510.
FW_CFG_SIGNATURE = r"fw_cfg: signature QEMU"
# fw_cfg probe: whether the DMA interface (port 0x514) will be used; may share
# the signature's line ("fw_cfg: signature QEMU, id=0x3, dma yes").
FW_CFG_DMA_YES = r"fw_cfg: .*\bdma yes\b"
FW_CFG_DMA_NO = r"fw_cfg: .*\bdma no\b"
# -kernel boot: the BIOS jumps into the Linux setup/kernel.
LINUX_HANDOFF = r"boot: linux handoff"
# -kernel boot: the bzImage from fw_cfg failed validation.
LINUX_REFUSED = r"linux: .*(invalid|refus|bad)"
# int 19h: every boot entry failed.
NO_BOOTABLE_DEVICE = r"boot: no bootable device"
# ACPI linker-loader: where the BIOS put a blob an ALLOCATE command loaded,
# one line per blob once the script ran, e.g.
# "loader: etc/acpi/tables at 0x07fdfcc0 size 131072 (high)".
LOADER_BLOB = (r"^loader: (?P<file>\S+) at 0x(?P<address>[0-9a-f]{8}) "
               r"size (?P<size>\d+) \((?P<zone>high|fseg)\)$")
# ACPI linker-loader: a command the BIOS refused and skipped.
LOADER_SKIPPED = r"^loader: cmd \d+ .*$"
# ACPI: QEMU offered no etc/table-loader (e.g. -machine acpi=off).
ACPI_NO_LOADER = r"^acpi: no table-loader"
# MP table built; group "cpus" is the processor entry count.
MPTABLE_BUILT = r"^mptable: .*\b(?P<cpus>\d+) cpus\b"
