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
# -kernel boot of a PVH ELF (loaded natively, not through QEMU's pvh.bin).
PVH_HANDOFF = r"^boot: pvh handoff"
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
# SMM set up: the BSP's new SMBASE, where SMRAM is, how many CPUs moved,
# e.g. "smm: smbase 0x0fef8000 relocated, smram locked (tseg), 2 of 2 cpus".
SMM_LOCKED = (r"^smm: smbase 0x(?P<smbase>[0-9a-f]{8}) relocated, smram "
              r"locked \((?P<where>legacy|tseg)\), (?P<relocated>\d+) of "
              r"(?P<cpus>\d+) cpus$")
# SMM not set up because QEMU runs the machine without it (smm=off).
SMM_UNAVAILABLE = r"^smm: not available"
# S3: the BIOS took the resume path after QEMU's wakeup reset.
RESUME_WAKEUP = r"^resume: s3 wakeup"
# The banner, first line of every POST (so of every boot, reset or
# reboot); an S3 resume does not print it.
BANNER = r"^ReefBIOS \S+ \(built "
# S3 resume: one WRITE_POINTER replayed (value: what was written, e.g. the
# address of the vmgenid GUID).
RESUME_WRITE_POINTER = (r"^resume: write pointer key 0x(?P<key>[0-9a-f]+) "
                        r"offset (?P<offset>\d+) size (?P<size>\d+) "
                        r"value 0x(?P<value>[0-9a-f]+)$")
# S3 resume with fw_cfg opt/org.reefbios/s3-no-replay: nothing replayed.
RESUME_NOT_REPLAYED = r"^resume: \d+ write pointers not replayed"
# S3 resume: the APs were started again (and took the BSP's MSRs).
RESUME_APS = r"^resume: msrs restored on the bsp and (?P<aps>\d+) aps$"
# S3 resume: the jump to the OS's waking vector.
RESUME_WAKING_VECTOR = r"^resume: (32-bit )?waking vector 0x[0-9a-f]+$"
# S3 resume with nowhere to go: the BIOS reboots.
RESUME_NO_WAKING_VECTOR = (r"^resume: (os set no waking vector|no facs "
                           r"\(0x[0-9a-f]+\)), rebooting$")
# reset_machine(): the BIOS resets the machine itself.
BIOS_REBOOTING = r"^boot: rebooting$"
