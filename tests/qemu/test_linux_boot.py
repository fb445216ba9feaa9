"""Boot Debian's Linux kernel with a busybox initramfs under the BIOS image.

QEMU's -kernel/-initrd/-append reach the BIOS through fw_cfg; the BIOS loads
and enters the kernel.  The guest's /init (tests/guest/init.sh) reports what
Linux received, and the tests compare it with what the host passed:
command line (by sha256), CPU count, RAM, initrd contents.  Failure paths
(no fw_cfg DMA, corrupted kernels) are checked in the BIOS debug log, whose
expected lines are in logformat.py.
"""

import hashlib

import pytest

import logformat
from qemu import assert_debuglog, refute_debuglog

MIB_IN_KIB = 1024
GIB_IN_KIB = 1024 * 1024
FOUR_GIB = 4 << 30

MACHINES = ("pc", "q35")
CPU_COUNTS = (1, 4)
# -m value -> (the least MemTotal in KiB Linux must see, whether part of the
# RAM must be mapped above 4 GiB).
MEMORY_SIZES = {"256M": (192 * MIB_IN_KIB, False),
                "5G": (int(4.5 * GIB_IN_KIB), True)}

# x86 COMMAND_LINE_SIZE is 2048 with the NUL (the Debian kernel's header says
# cmdline_size 2047): 2000 characters fit, and are far past the 255 bytes of
# old boot protocols or any short fixed buffer in the BIOS.
CMDLINE_LENGTH = 2000
SHORT_CMDLINE = "console=ttyS0 panic=-1"

# The 100 MiB initrd and its unpacked copy must both fit in RAM: with 256M,
# Linux reports "Initramfs unpacking failed: write error" and the guest sees
# a truncated payload.
PAYLOAD_MEMORY = "512M"
PAYLOAD_TIMEOUT_SECONDS = 120
CORRUPT_TIMEOUT_SECONDS = 30

# Linux boot protocol, setup header (Documentation/arch/x86/boot.rst).
SETUP_SECTS_OFFSET = 0x1f1
SYSSIZE_OFFSET = 0x1f4
HEADER_MAGIC_OFFSET = 0x202
SECTOR = 512


def long_cmdline(length=CMDLINE_LENGTH):
    """A kernel command line of exactly LENGTH characters."""
    padding = hashlib.shake_256(b"reefbios-cmdline").hexdigest(length)
    return f"{SHORT_CMDLINE} reef.pad={padding}"[:length]


def sha256_text(text):
    return hashlib.sha256(text.encode()).hexdigest()


def check_guest(result, append, smp):
    """Linux reached userspace and received our command line and CPUs."""
    assert result.finished, f"guest did not finish\n{result.describe()}"
    assert result.report("cmdline-sha256") == sha256_text(append), (
        f"/proc/cmdline differs from -append (guest length "
        f"{result.report('cmdline-length')}, host {len(append)})\n"
        f"{result.describe()}")
    assert result.report("cpus") == str(smp), (
        f"guest has {result.report('cpus')} CPUs, -smp {smp}\n"
        f"{result.describe()}")


def has_ram_above_4g(result):
    return any(kind == "System RAM" and end >= FOUR_GIB
               for _, end, kind in result.e820())


@pytest.mark.parametrize("memory", MEMORY_SIZES)
@pytest.mark.parametrize("smp", CPU_COUNTS, ids=lambda n: f"smp{n}")
@pytest.mark.parametrize("machine", MACHINES)
def test_linux_boot(boot, initramfs, machine, smp, memory):
    append = long_cmdline()
    result = boot(machine=machine, smp=smp, memory=memory,
                  initrd=initramfs, append=append)
    check_guest(result, append, smp)
    least_memtotal, above_4g = MEMORY_SIZES[memory]
    memtotal = int(result.report("memtotal-kb"))
    assert memtotal >= least_memtotal, (
        f"MemTotal {memtotal} KiB < {least_memtotal} KiB with -m {memory}\n"
        f"{result.describe()}")
    assert has_ram_above_4g(result) == above_4g, (
        f"e820: RAM above 4 GiB expected: {above_4g}, seen: {result.e820()}\n"
        f"{result.describe()}")
    assert_debuglog(result, logformat.FW_CFG_SIGNATURE,
                    logformat.FW_CFG_DMA_YES, logformat.LINUX_HANDOFF)


@pytest.mark.slow
def test_large_initrd(boot, payload_initramfs):
    result = boot(memory=PAYLOAD_MEMORY, initrd=payload_initramfs.initrd,
                  append=SHORT_CMDLINE, timeout=PAYLOAD_TIMEOUT_SECONDS)
    check_guest(result, SHORT_CMDLINE, 1)
    assert "Initramfs unpacking failed" not in result.serial, (
        result.describe())
    assert result.report("payload-sha256") == payload_initramfs.sha256, (
        result.describe())
    assert_debuglog(result, logformat.LINUX_HANDOFF)


# Both machines use the I/O-port fw_cfg device (fw_cfg_io) in QEMU 7.2;
# fw_cfg_mem belongs to other boards.
@pytest.mark.parametrize("machine", MACHINES)
def test_fw_cfg_without_dma(boot, initramfs, machine):
    result = boot(machine=machine, initrd=initramfs, append=SHORT_CMDLINE,
                  extra_args=("-global", "fw_cfg_io.dma_enabled=off"))
    check_guest(result, SHORT_CMDLINE, 1)
    assert_debuglog(result, logformat.FW_CFG_SIGNATURE,
                    logformat.FW_CFG_DMA_NO, logformat.LINUX_HANDOFF)


def without_header_magic(image):
    """Overwrite "HdrS": QEMU then takes the file for a protocol-0 zImage."""
    image[HEADER_MAGIC_OFFSET:HEADER_MAGIC_OFFSET + 4] = b"\0\0\0\0"
    return image


def truncated_body(image):
    """Keep the setup and half the protected-mode code that syssize
    promises: QEMU only checks that the setup sectors are present."""
    setup_size = ((image[SETUP_SECTS_OFFSET] or 4) + 1) * SECTOR
    syssize = int.from_bytes(image[SYSSIZE_OFFSET:SYSSIZE_OFFSET + 4],
                             "little") * 16
    return image[:setup_size + syssize // 2]


# (corruption, pass an initrd).  QEMU itself exits before the BIOS runs for
# a file shorter than its setup sectors ("invalid kernel header") and for a
# kernel without "HdrS" plus -initrd ("linux kernel too old to load a ram
# disk"), so the bad-magic case boots without an initrd.
CORRUPTIONS = {
    "bad-magic": (without_header_magic, False),
    "truncated": (truncated_body, True),
}


@pytest.mark.debuglog
@pytest.mark.parametrize("corruption", CORRUPTIONS)
def test_corrupted_kernel(boot, kernel, initramfs, tmp_path, corruption):
    corrupt, with_initrd = CORRUPTIONS[corruption]
    broken = tmp_path / "vmlinuz-broken"
    broken.write_bytes(corrupt(bytearray(kernel.read_bytes())))
    result = boot(kernel=broken, initrd=initramfs if with_initrd else None,
                  append=SHORT_CMDLINE, timeout=CORRUPT_TIMEOUT_SECONDS)
    assert result.returncode != 1, (
        f"QEMU refused the kernel itself\n{result.describe()}")
    assert not result.reached_userspace, result.describe()
    assert_debuglog(result, logformat.LINUX_REFUSED,
                    logformat.NO_BOOTABLE_DEVICE)
    refute_debuglog(result, logformat.LINUX_HANDOFF)
