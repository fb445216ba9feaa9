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

Session-wide and cached, so several tests share one QEMU run:
`shared_boot(**guest_fields)` (the same keyword arguments give the same
run), and `firmware_dump(machine, extra_args)`, which boots
tests/payload/fwcfgdump.S (fw_cfg files in hex on debugcon port 0x403) and
saves all guest RAM over QMP once the payload halts.
"""

import lzma
import os
import re
import shutil
import struct
import subprocess
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import pytest

import logformat
import qemu

MKINITRAMFS = qemu.REPO_ROOT / "tests" / "guest" / "mkinitramfs.py"
PAYLOAD_MIB = 100
KVM_PROBE_SECONDS = 20
BOOT_TIMEOUT_SECONDS = 60
MSR_MODULE = "kernel/arch/x86/kernel/msr.ko"
# Guest RAM of a firmware_dump boot, all of it saved (below 4 GiB on both
# machines).
DUMP_MEMORY_MIB = 64
DUMP_TIMEOUT_SECONDS = 60
DUMP_DONE = "FWCFGDUMP done"
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


@dataclass
class KernelImage:
    path: Path
    pvh: bool       # an uncompressed ELF with a PVH entry, else the bzImage
    reason: str


@dataclass
class ModuleInitramfs:
    initrd: Path
    modules: list
    reason: str


@dataclass
class FirmwareDump:
    """One fwcfgdump boot: QEMU's result, what the payload printed on the
    dump port, and guest RAM [0, DUMP_MEMORY_MIB MiB) as it was once the
    payload halted (None if it never got there)."""
    result: qemu.BootResult
    dump: str
    memory: Optional[qemu.MemorySnapshot]


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


def build_variant(options, workdir):
    """Build the working tree in WORKDIR with OPTIONS ({"ACPI": "n", ...},
    Kconfig symbols without CONFIG_) and the defaults for the rest; return
    the image. Fails the test when a build fails or kconfiglib did not
    take an option (an unknown symbol, a failed dependency)."""
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"],
                           cwd=qemu.REPO_ROOT, check=True, text=True,
                           capture_output=True).stdout.split()
    for name in files:
        source = qemu.REPO_ROOT / name
        if source.is_file():
            (workdir / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, workdir / name)
    wanted = [f"# CONFIG_{name} is not set" if value == "n"
              else f"CONFIG_{name}={value}"
              for name, value in sorted(options.items())]
    (workdir / ".config").write_text("\n".join(wanted) + "\n")
    env = dict(os.environ, GIT_CEILING_DIRECTORIES=str(workdir.parent))
    for goal in ("olddefconfig", "all"):
        done = subprocess.run(["make", "-s", "-j2", goal], cwd=workdir,
                              env=env, text=True, capture_output=True)
        assert done.returncode == 0, (f"make {goal} with {options}:\n"
                                      f"{done.stdout}{done.stderr}")
    config = (workdir / ".config").read_text().splitlines()
    missing = [line for line in wanted if line not in config]
    assert not missing, f"kconfig did not take {missing}"
    return workdir / "out" / "bios.bin"


@pytest.fixture(scope="session")
def variant_bios(tmp_path_factory):
    """variant_bios(ACPI="n", ...): an image built with those Kconfig
    choices, once per set of choices in the session. Skips when
    REEF_BIOS names another image: the variants come from this tree."""
    if "REEF_BIOS" in os.environ:
        pytest.skip("REEF_BIOS is set: the build variants come from the"
                    " source tree")
    cache = {}

    def build(**options):
        key = tuple(sorted(options.items()))
        if key not in cache:
            cache[key] = build_variant(options,
                                       tmp_path_factory.mktemp("variant"))
        return cache[key]
    return build


SEABIOS_IMAGE = Path("/usr/share/seabios/bios-256k.bin")


@pytest.fixture(scope="session")
def seabios():
    """Debian's SeaBIOS, for tests that compare ReefBIOS with it."""
    if not SEABIOS_IMAGE.is_file():
        pytest.skip(f"SeaBIOS image {SEABIOS_IMAGE} not found: install "
                    "seabios")
    return SEABIOS_IMAGE


def make_initramfs(directory, payload_mib=0, modules=()):
    """Run mkinitramfs.py; return the archive and the payload's sha256.
    MODULES: kernel module files for /lib/modules."""
    output = directory / f"initramfs-{payload_mib}mib.cpio"
    command = [sys.executable, str(MKINITRAMFS), str(output)]
    if payload_mib:
        command += ["--payload-mib", str(payload_mib)]
    for module in modules:
        command += ["--module", str(module)]
    stdout = subprocess.run(command, check=True, capture_output=True,
                            text=True).stdout
    digest = stdout.split()[1] if payload_mib else None
    return output, digest


@pytest.fixture(scope="session")
def initramfs(tmp_path_factory):
    archive, _ = make_initramfs(tmp_path_factory.mktemp("initramfs"))
    return archive


def kernel_module(kernel, relative):
    """KERNEL's module RELATIVE (e.g. "kernel/arch/x86/kernel/msr.ko",
    plain or .xz) under /lib/modules/VERSION for /boot/vmlinuz-VERSION, or
    None."""
    if not kernel.name.startswith("vmlinuz-"):
        return None
    base = Path("/lib/modules") / kernel.name[len("vmlinuz-"):] / relative
    for candidate in (base, base.with_name(base.name + ".xz")):
        if candidate.is_file():
            return candidate
    return None


@pytest.fixture(scope="session")
def msr_initramfs(kernel, tmp_path_factory):
    """The test initramfs plus the kernel's msr.ko (Debian builds
    CONFIG_X86_MSR as a module), which init.sh loads so the S3 checks can
    read /dev/cpu/N/msr.  ModuleInitramfs.modules is empty, and .reason
    says why, when there is no such module for this kernel."""
    module = kernel_module(kernel, MSR_MODULE)
    archive, _ = make_initramfs(tmp_path_factory.mktemp("initramfs-msr"),
                                modules=[module] if module else [])
    reason = (f"msr module {module}" if module else
              f"no {MSR_MODULE} for {kernel} under /lib/modules")
    return ModuleInitramfs(archive, [module] if module else [], reason)


# bzImage payload compressions we can undo with the standard library:
# magic -> decompressor factory.
KERNEL_COMPRESSIONS = {
    b"\xfd7zXZ\x00": lambda: lzma.LZMADecompressor(format=lzma.FORMAT_XZ),
    b"\x1f\x8b\x08": lambda: zlib.decompressobj(16 + zlib.MAX_WBITS),
}
ELF64_MAGIC = b"\x7fELF\x02\x01"
PT_NOTE = 4
XEN_ELFNOTE_PHYS32_ENTRY = 18


def elf_has_pvh_note(image):
    """True if the ELF64 IMAGE has the Xen PHYS32_ENTRY note QEMU needs to
    boot it with -kernel (through its pvh.bin option ROM)."""
    phoff, = struct.unpack_from("<Q", image, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", image, 0x36)
    for index in range(phnum):
        kind, _, offset, _, _, size = struct.unpack_from(
            "<IIQQQQ", image, phoff + index * phentsize)
        position, end = offset, offset + size
        while kind == PT_NOTE and position + 12 <= end:
            namesz, descsz, note = struct.unpack_from("<III", image,
                                                      position)
            name = image[position + 12:position + 12 + namesz]
            if name.rstrip(b"\0") == b"Xen" and \
                    note == XEN_ELFNOTE_PHYS32_ENTRY:
                return True
            position += 12 + (namesz + 3) // 4 * 4 + (descsz + 3) // 4 * 4
    return False


def extract_vmlinux(bzimage):
    """The uncompressed kernel ELF inside BZIMAGE, or (None, reason)."""
    data = bzimage.read_bytes()
    for magic, decompressor in KERNEL_COMPRESSIONS.items():
        start = data.find(magic)
        if start < 0:
            continue
        try:
            image = decompressor().decompress(data[start:])
        except (lzma.LZMAError, zlib.error) as error:
            return None, f"decompressing {bzimage}: {error}"
        if not image.startswith(ELF64_MAGIC):
            return None, f"{bzimage}: the payload is not an ELF64 image"
        if not elf_has_pvh_note(image):
            return None, f"{bzimage}: no PVH entry note (CONFIG_PVH)"
        return image, None
    return None, f"{bzimage}: no xz or gzip payload found"


@pytest.fixture(scope="session")
def pvh_kernel(kernel, tmp_path_factory):
    """The kernel as an uncompressed ELF with its PVH entry (QEMU boots it
    through the PVH entry, no decompression: about half the boot time
    under TCG), for tests that boot Linux many times; KernelImage.reason
    says why it is the bzImage instead when that cannot be had."""
    image, reason = extract_vmlinux(kernel)
    if image is None:
        return KernelImage(kernel, False, f"bzImage: {reason}")
    path = tmp_path_factory.mktemp("vmlinux") / "vmlinux"
    path.write_bytes(image)
    return KernelImage(path, True, f"pvh vmlinux from {kernel}")


@pytest.fixture(scope="session")
def mbkernel():
    return qemu.payload("mbkernel.elf")


@pytest.fixture(scope="session")
def s3payload():
    return qemu.payload("s3payload.elf")


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


# Linux's last line when it halts instead of powering off or rebooting
# (e.g. poweroff -f without working ACPI S5): QEMU would wait for the
# timeout.
LINUX_HALTED = "reboot: System halted"


def nothing_more_to_see(serial, debuglog):
    return LINUX_HALTED in serial or bios_gave_up(serial, debuglog)


@pytest.fixture
def boot(bios, kernel, accel, tmp_path):
    """Boot the BIOS under test once; keyword arguments set qemu.Guest
    fields (bios= another image), plus timeout in seconds."""
    def run(timeout=BOOT_TIMEOUT_SECONDS, qmp=False, inspect=None,
            until=bios_gave_up, **fields):
        fields.setdefault("kernel", kernel)
        fields.setdefault("bios", bios)
        guest = qemu.Guest(accel=accel.name, **fields)
        result = qemu.boot(guest, tmp_path / "qemu", timeout, until=until,
                           qmp=qmp, inspect=inspect)
        print(f"accel={accel.name} ({accel.reason}); {result.elapsed:.1f} s: "
              + " ".join(result.command))
        return result
    return run


@pytest.fixture(scope="session")
def shared_boot(bios, kernel, accel, tmp_path_factory):
    """Like `boot` (keyword arguments: qemu.Guest fields, timeout, qmp), but
    one QEMU run per distinct set of arguments for the whole session, so
    tests in several files can check one guest.  The run also ends when
    Linux halts for good."""
    cache = {}

    def run(timeout=BOOT_TIMEOUT_SECONDS, qmp=False, **fields):
        fields.setdefault("kernel", kernel)
        key = repr((timeout, qmp, sorted(fields.items())))
        if key not in cache:
            guest = qemu.Guest(bios=bios, accel=accel.name, **fields)
            workdir = tmp_path_factory.mktemp(
                workdir_name("shared", fields.get("machine", "pc")))
            result = qemu.boot(guest, workdir, timeout,
                               until=nothing_more_to_see, qmp=qmp)
            print(f"accel={accel.name} ({accel.reason}); "
                  f"{result.elapsed:.1f} s: " + " ".join(result.command))
            cache[key] = result
        return cache[key]
    return run


@pytest.fixture(scope="session")
def fwcfgdump():
    return qemu.payload("fwcfgdump.elf")


@pytest.fixture(scope="session")
def firmware_dump(bios, fwcfgdump, accel, tmp_path_factory):
    """Boot the fwcfgdump payload once per (machine, extra QEMU args) and
    return a FirmwareDump; the RAM snapshots are deleted after the
    session."""
    cache = {}

    def run(machine, extra_args=()):
        key = (machine, tuple(extra_args))
        if key not in cache:
            cache[key] = dump_firmware(bios, fwcfgdump, accel, machine,
                                       tuple(extra_args),
                                       tmp_path_factory.mktemp(
                                           workdir_name("fwcfgdump",
                                                        machine)))
        return cache[key]
    yield run
    for dumped in cache.values():
        if dumped.memory is not None:
            dumped.memory.delete()


def workdir_name(prefix, machine):
    """A directory name for a run on MACHINE (a -M value): no commas or
    '=', which QEMU's option syntax would take apart in a path."""
    return f"{prefix}-{re.sub(r'[^A-Za-z0-9.-]+', '-', machine)}"


def dump_firmware(bios, payload, accel, machine, extra_args, workdir):
    dump_path = workdir / "fwcfgdump.txt"
    guest = qemu.Guest(bios=bios, accel=accel.name, machine=machine,
                       memory=f"{DUMP_MEMORY_MIB}M", kernel=payload,
                       extra_args=(*qemu.dump_console_args(dump_path),
                                   *extra_args))

    def halted(serial, debuglog):
        return (DUMP_DONE in qemu.read_text(dump_path)
                or bios_gave_up(serial, debuglog))

    def save(qmp):
        return qemu.save_memory(qmp, 0, DUMP_MEMORY_MIB << 20,
                                workdir / "memory.bin")

    result = qemu.boot(guest, workdir, DUMP_TIMEOUT_SECONDS, until=halted,
                       inspect=save)
    print(f"accel={accel.name} ({accel.reason}); {result.elapsed:.1f} s: "
          + " ".join(result.command))
    return FirmwareDump(result, qemu.read_text(dump_path), result.inspected)
