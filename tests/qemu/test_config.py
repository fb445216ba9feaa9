"""Kconfig choices other than the defaults: each builds and boots.

Every other test runs the default build (out/bios.bin). Here the tree is
built again in a temporary copy with some options changed (conftest's
variant_bios), and each image is booted and checked for what its options
promise:

- The BIOS tables, SMM and the MTRRs off: Linux finds no ACPI, no MP
  table and no SMBIOS, so it starts one of two CPUs, and no variable
  MTRR in use; the log has no line from those steps.
- ACPI alone off: Linux finds both CPUs through the MP table.
- CONFIG_BOOT_LINUX off: -kernel (bzImage and PVH) boots through QEMU's
  own option ROMs.
- The log on COM1 instead of the debug console, and no log at all.
- LTO off, and a 128 KiB image.
"""
import re

import pytest

import qemu

MACHINES = ("pc", "q35")
SHORT_CMDLINE = "console=ttyS0 panic=-1"
EXIT_DEVICE = ["-device", "isa-debug-exit,iobase=0xf4,iosize=4"]
PAYLOAD_TIMEOUT = 30
TINY_EXIT_STATUS = 33  # tinykernel's code 0x10 through isa-debug-exit
PAYLOAD_EXIT_STATUS = 3  # mbkernel's and pvhkernel's success
BANNER = re.compile(r"^ReefBIOS \S+ \(built ", re.MULTILINE)
TABLES_OFF = dict(ACPI="n", MPTABLE="n", PIRTABLE="n", SMBIOS="n", SMM="n",
                  MTRR_INIT="n")
# The log's subjects for the steps TABLES_OFF turns off.
TABLES_OFF_SUBJECTS = r"^(acpi|mptable|pirtable|smbios|smm|mtrr): "


def boot_tiny(boot, bios, machine="pc", payload="tinykernel.bzImage"):
    return boot(bios=bios, machine=machine, kernel=qemu.payload(payload),
                extra_args=EXIT_DEVICE, timeout=PAYLOAD_TIMEOUT, until=None)


@pytest.mark.parametrize("machine", MACHINES)
def test_tables_smm_mtrr_off(boot, variant_bios, initramfs, machine):
    bios = variant_bios(**TABLES_OFF)
    result = boot(bios=bios, machine=machine, smp=2, initrd=initramfs,
                  append=SHORT_CMDLINE)
    assert result.reached_userspace, result.describe()
    assert result.report("acpi-tables") == "", result.describe()
    assert result.report("mptable") == "", result.describe()
    # Neither ACPI nor an MP table: Linux knows of the boot CPU only.
    assert result.report("cpus") == "1", result.describe()
    assert result.report("dmi-bios_vendor") is None, result.describe()
    # MTRRs as reset left them: disabled, no variable range in use.
    assert not result.reports.get("mtrr"), result.describe()
    assert not re.search(TABLES_OFF_SUBJECTS, result.debuglog,
                         re.MULTILINE), result.describe()
    qemu.assert_debuglog(result, r"^smp: 2 cpus", r"^boot: linux handoff")


@pytest.mark.parametrize("machine", MACHINES)
def test_acpi_off_mptable(boot, variant_bios, initramfs, machine):
    result = boot(bios=variant_bios(ACPI="n"), machine=machine, smp=2,
                  initrd=initramfs, append=SHORT_CMDLINE)
    assert result.reached_userspace, result.describe()
    assert result.report("acpi-tables") == "", result.describe()
    assert result.report("mptable"), result.describe()
    assert result.report("cpus") == "2", result.describe()
    assert result.report("dmi-bios_vendor"), result.describe()
    # The variable MTRRs make the PCI hole uncacheable.
    assert result.reports.get("mtrr"), result.describe()


@pytest.mark.parametrize("payload, line, status, rom", [
    ("tinykernel.bzImage", "TINYKERNEL tsc=", TINY_EXIT_STATUS,
     "linuxboot_dma.bin"),
    ("pvhkernel.elf", "PVHKERNEL magic=336ec578", PAYLOAD_EXIT_STATUS,
     "pvh.bin"),
])
def test_boot_linux_off(boot, variant_bios, payload, line, status, rom):
    result = boot_tiny(boot, variant_bios(BOOT_LINUX="n"), payload=payload)
    assert line in result.debuglog, result.describe()
    assert result.returncode == status, result.describe()
    qemu.assert_debuglog(result, rf"^optionrom: genroms/{rom} boot entry")
    qemu.refute_debuglog(result, r"^boot: (linux|pvh) handoff")


def test_log_on_serial(boot, variant_bios):
    bios = variant_bios(DEBUGCON="n", DEBUG_SERIAL="y")
    result = boot_tiny(boot, bios)
    assert result.returncode == TINY_EXIT_STATUS, result.describe()
    assert "TINYKERNEL tsc=" in result.debuglog, result.describe()
    assert not BANNER.search(result.debuglog), result.describe()
    assert BANNER.search(result.serial), result.describe()
    assert re.search(r"^boot: linux handoff", result.serial, re.MULTILINE), \
        result.describe()


def test_no_log(boot, variant_bios):
    result = boot_tiny(boot, variant_bios(DEBUG_LEVEL="0"))
    assert result.returncode == TINY_EXIT_STATUS, result.describe()
    assert result.debuglog.startswith("TINYKERNEL tsc="), result.describe()
    assert "ReefBIOS" not in result.serial, result.describe()


@pytest.mark.parametrize("machine", MACHINES)
def test_without_lto(boot, variant_bios, machine):
    result = boot_tiny(boot, variant_bios(LTO="n"), machine=machine)
    assert result.returncode == TINY_EXIT_STATUS, result.describe()
    assert BANNER.match(result.debuglog), result.describe()
    qemu.assert_debuglog(result, r"^boot: linux handoff", r"^TINYKERNEL")


@pytest.mark.parametrize("machine", MACHINES)
def test_rom_128k(boot, variant_bios, machine):
    bios = variant_bios(ROM_SIZE="128")
    assert bios.stat().st_size == 128 * 1024
    result = boot_tiny(boot, bios, machine=machine)
    assert result.returncode == TINY_EXIT_STATUS, result.describe()
    assert BANNER.match(result.debuglog), result.describe()
    qemu.assert_debuglog(result, r"^boot: linux handoff", r"^TINYKERNEL")
