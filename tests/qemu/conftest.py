"""pytest fixtures for the QEMU boot tests.

Session-wide: the Linux kernel, the BIOS image under test ($REEF_BIOS, default
out/bios.bin; tests skip when it is missing), the busybox initramfs images
(built once into a temporary directory; the 100 MiB payload one only if a test
asks for it) and the accelerator.  The accelerator is $REEF_ACCEL (tcg or
kvm) if set; otherwise one KVM boot must reach userspace within
KVM_PROBE_SECONDS, else every test runs under TCG.  The choice is printed at
the end of the run, recorded as the junit testsuite property "accel", and
printed with each test's QEMU command (shown for failures, or with -rA).

Per test: `boot(**guest_fields)` runs the BIOS under test and returns a
qemu.BootResult.  A boot also ends as soon as the BIOS logs that nothing is
bootable, instead of waiting for the timeout.
"""

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import logformat
import qemu

MKINITRAMFS = qemu.REPO_ROOT / "tests" / "guest" / "mkinitramfs.py"
PAYLOAD_MIB = 100
KVM_PROBE_SECONDS = 20
BOOT_TIMEOUT_SECONDS = 60
PROBE_CMDLINE = "console=ttyS0 panic=-1"
USERSPACE_LINE = "REEF-GUEST userspace"
ACCELERATORS = ("tcg", "kvm")


@dataclass
class Accel:
    name: str
    reason: str


@dataclass
class Payload:
    initrd: Path
    sha256: str


ACCEL_KEY = pytest.StashKey[Accel]()


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "slow: a boot that takes several times longer than a "
        "plain kernel boot")
    config.addinivalue_line(
        "markers", "debuglog: checks nothing but the BIOS debug log, so it "
        "cannot pass under another firmware")


def pytest_terminal_summary(terminalreporter, config):
    accel = config.stash.get(ACCEL_KEY, None)
    if accel:
        terminalreporter.write_line(f"qemu accel: {accel.name} "
                                    f"({accel.reason})")
    if not qemu.log_checks_enabled():
        terminalreporter.write_line("BIOS debug-log checks disabled "
                                    "(REEF_NO_LOG_CHECKS=1)")


@pytest.fixture(scope="session")
def kernel():
    path = qemu.find_kernel()
    if path is None or not path.is_file():
        pytest.skip(f"no Linux kernel ({path}): install linux-image-amd64 "
                    "or set REEF_KERNEL")
    return path


@pytest.fixture(scope="session")
def bios():
    path = qemu.find_bios()
    if not path.is_file():
        pytest.skip(f"BIOS image {path} not found: run `make` or set "
                    "REEF_BIOS")
    return path


def make_initramfs(directory, payload_mib=0):
    """Run mkinitramfs.py; return the archive and the payload's sha256."""
    output = directory / f"initramfs-{payload_mib}mib.cpio"
    command = [sys.executable, str(MKINITRAMFS), str(output)]
    if payload_mib:
        command += ["--payload-mib", str(payload_mib)]
    stdout = subprocess.run(command, check=True, capture_output=True,
                            text=True).stdout
    digest = stdout.split()[1] if payload_mib else None
    return output, digest


@pytest.fixture(scope="session")
def initramfs(tmp_path_factory):
    archive, _ = make_initramfs(tmp_path_factory.mktemp("initramfs"))
    return archive


@pytest.fixture(scope="session")
def payload_initramfs(tmp_path_factory):
    directory = tmp_path_factory.mktemp("initramfs-payload")
    return Payload(*make_initramfs(directory, PAYLOAD_MIB))


def choose_accel(kernel, initramfs, workdir):
    forced = os.environ.get("REEF_ACCEL")
    if forced:
        if forced not in ACCELERATORS:
            pytest.exit(f"REEF_ACCEL={forced}: expected one of "
                        f"{', '.join(ACCELERATORS)}", returncode=4)
        return Accel(forced, "forced by REEF_ACCEL")
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        return Accel("tcg", "/dev/kvm is not usable")
    return probe_kvm(kernel, initramfs, workdir)


def probe_kvm(kernel, initramfs, workdir):
    """Boot QEMU's default firmware under KVM: this host's KVM is usable if
    Linux reaches userspace in time (nested KVM may hang the kernel)."""
    guest = qemu.Guest(bios=None, accel="kvm", kernel=kernel,
                       initrd=initramfs, append=PROBE_CMDLINE)
    result = qemu.boot(guest, workdir, KVM_PROBE_SECONDS,
                       until=lambda serial, _: USERSPACE_LINE in serial)
    if result.reached_userspace:
        return Accel("kvm", f"kvm probe reached userspace in "
                            f"{result.elapsed:.1f} s")
    return Accel("tcg", f"kvm probe did not reach userspace within "
                        f"{KVM_PROBE_SECONDS} s (QEMU {result.ending}), "
                        "using tcg")


@pytest.fixture(scope="session")
def accel(request, kernel, initramfs, tmp_path_factory,
          record_testsuite_property):
    choice = choose_accel(kernel, initramfs,
                          tmp_path_factory.mktemp("kvm-probe"))
    request.config.stash[ACCEL_KEY] = choice
    record_testsuite_property("accel", choice.name)
    return choice


def bios_gave_up(_serial, debuglog):
    return re.search(logformat.NO_BOOTABLE_DEVICE, debuglog, re.MULTILINE)


@pytest.fixture
def boot(bios, kernel, accel, tmp_path):
    """Boot the BIOS under test once; keyword arguments set qemu.Guest
    fields, plus timeout in seconds."""
    def run(timeout=BOOT_TIMEOUT_SECONDS, **fields):
        fields.setdefault("kernel", kernel)
        guest = qemu.Guest(bios=bios, accel=accel.name, **fields)
        result = qemu.boot(guest, tmp_path / "qemu", timeout,
                           until=bios_gave_up)
        print(f"accel={accel.name} ({accel.reason}); {result.elapsed:.1f} s: "
              + " ".join(result.command))
        return result
    return run
