"""Issue 2 checks that need no Linux: tiny payloads of our own.

- Multiboot kernels boot through QEMU's genroms option ROM, PVH kernels
  through our own loader.
- The F-segment is read-only once a boot target runs (checked under TCG;
  nested KVM here ignores PAM read-only, with SeaBIOS as with us).
- The image runs without a debugcon device (the port is probed).
- With no boot target: "no bootable device", then a reboot after QEMU's
  -boot reboot-timeout, or a wait forever with QEMU's default (-1).
- The tiny bzImage boots and sees its command line.
- Installed as QEMU's default firmware: `-L out/` without -bios boots
  ReefBIOS from out/bios-256k.bin, SeaBIOS's file name.
- `make bench`'s script runs one round under TCG and prints its table
  (a smoke test: times are for `make bench` itself, never asserted).
- Callers in vm86 mode (tests/payload/v86check.S): int 11h, 12h and 1Ah
  AH=00h/01h work; services that need 32-bit code fail with CF set and
  AH=86h; nothing faults.
"""
import os
import re
import subprocess
import sys

import pytest

import qemu
from logformat import NO_BOOTABLE_DEVICE, PVH_HANDOFF

EXIT_DEVICE = ["-device", "isa-debug-exit,iobase=0xf4,iosize=4"]
PAYLOAD_TIMEOUT = 30
BANNER = re.compile(r"^ReefBIOS ", re.MULTILINE)



def debug_exit_ok(result):
    # isa-debug-exit: QEMU exits with (value << 1) | 1; payloads write 1
    # for success.
    return result.returncode == 3


@pytest.mark.parametrize("machine", ["pc", "q35"])
def test_multiboot(boot, accel, machine):
    result = boot(machine=machine, kernel=qemu.payload("mbkernel.elf"),
                  extra_args=EXIT_DEVICE, timeout=PAYLOAD_TIMEOUT, until=None)
    assert "MBKERNEL magic=2badb002" in result.debuglog, result.describe()
    assert debug_exit_ok(result), result.describe()
    qemu.assert_debuglog(result, r"optionrom: genroms/multiboot_dma.bin")
    if accel.name == "tcg":
        assert "fseg=ro" in result.debuglog, result.describe()


@pytest.mark.parametrize("machine", ["pc", "q35"])
def test_pvh(boot, machine):
    # A command line longer than a page: the loader's allocations cannot
    # all fit in the page the high zone's used part already starts in.
    result = boot(machine=machine, kernel=qemu.payload("pvhkernel.elf"),
                  append="reef.pvh " + "x" * 6000,
                  extra_args=EXIT_DEVICE, timeout=PAYLOAD_TIMEOUT, until=None)
    assert "PVHKERNEL magic=336ec578" in result.debuglog, result.describe()
    assert debug_exit_ok(result), result.describe()
    qemu.assert_debuglog(result, PVH_HANDOFF)
    if qemu.log_checks_enabled():
        # The start info (allocated after POST returned the unused high
        # zone to the OS) lies in what the BIOS keeps reserved.
        kept = re.findall(r"^e820: high zone returns \d+ KiB to the os,"
                          r" keeps 0x([0-9a-f]+)-0x([0-9a-f]+)$",
                          result.debuglog, re.MULTILINE)
        info = re.search(r"^boot: pvh handoff .* start info at 0x([0-9a-f]+)$",
                         result.debuglog, re.MULTILINE)
        assert kept and info, result.describe()
        low, high = (int(value, 16) for value in kept[-1])
        assert low <= int(info[1], 16) <= high, result.describe()


def test_tiny_bzimage_cmdline(boot):
    result = boot(machine="q35", kernel=qemu.payload("tinykernel.bzImage"),
                  append="reef.tiny=1 hello", extra_args=EXIT_DEVICE,
                  timeout=PAYLOAD_TIMEOUT, until=None)
    assert "TINYKERNEL" in result.debuglog, result.describe()
    assert "reef.tiny=1 hello" in result.debuglog, result.describe()
    qemu.assert_debuglog(result, r"boot: linux handoff")


@pytest.mark.parametrize("machine", ["pc", "q35"])
def test_installed_as_default_firmware(bios, accel, tmp_path, machine):
    """No -bios, and -L naming the build directory: QEMU takes its
    default firmware file, bios-256k.bin, from there (before its own data
    directories), as it would from a distribution's package."""
    installed = bios.parent / "bios-256k.bin"
    assert installed.is_file(), f"{installed} missing: make writes it"
    assert installed.read_bytes() == bios.read_bytes()
    guest = qemu.Guest(bios=None, accel=accel.name, machine=machine,
                       kernel=qemu.payload("tinykernel.bzImage"),
                       extra_args=["-L", str(bios.parent)] + EXIT_DEVICE)
    result = qemu.boot(guest, tmp_path / "qemu", PAYLOAD_TIMEOUT, until=None)
    print(f"accel={accel.name}; " + " ".join(result.command))
    assert BANNER.match(result.debuglog), result.describe()
    assert "TINYKERNEL" in result.debuglog, result.describe()


def test_without_debugcon(accel, tmp_path):
    """No isa-debugcon device: the probe fails and the image still boots."""
    command = [qemu.QEMU, "-M", "pc", "-accel", accel.name, "-nographic",
               "-nodefaults", "-monitor", "none", "-no-reboot",
               "-bios", str(qemu.find_bios()),
               "-kernel", str(qemu.payload("mbkernel.elf"))] + EXIT_DEVICE
    done = subprocess.run(command, timeout=PAYLOAD_TIMEOUT,
                          capture_output=True)
    assert done.returncode == 3, done.stderr


V86_LINES = re.compile(
    r"^V86CHECK int12=(?P<int12>\w{4}) bda=(?P<memsize>\w{4})"
    r" int11=(?P<int11>\w{4}) bda=(?P<equipment>\w{4})\n"
    r"V86CHECK ticks=(?P<ticks>\w{8}) flags=(?P<ticks_flags>\w{4})"
    r" e820=(?P<e820_ax>\w{4}) flags=(?P<e820_flags>\w{4})"
    r" rtc=(?P<rtc_ax>\w{4}) flags=(?P<rtc_flags>\w{4})\n"
    r"V86CHECK done$", re.MULTILINE)
CF = 0x0001
RET_UNSUPPORTED = 0x86


@pytest.mark.parametrize("machine", ["pc", "q35"])
def test_vm86_callers(bios, machine, tmp_path):
    """A DOS program under EMM386 calls the BIOS from vm86 mode, where
    loading a GDT or CR0 faults: the BDA services answer, the rest
    refuse as documented, nothing faults. Always TCG: vm86 is the CPU's
    business, and the nested KVM here cannot emulate the iret into it
    ("emulation failure")."""
    report = tmp_path / "v86check.txt"
    guest = qemu.Guest(bios=bios, accel="tcg", machine=machine,
                       kernel=qemu.payload("v86check.elf"),
                       extra_args=[*qemu.dump_console_args(report),
                                   *EXIT_DEVICE])
    result = qemu.boot(guest, tmp_path / "qemu", PAYLOAD_TIMEOUT, until=None)
    text = qemu.read_text(report)
    context = f"report:\n{text}\n{result.describe()}"
    assert debug_exit_ok(result), context
    found = V86_LINES.search(text)
    assert found, context
    values = {key: int(value, 16) for key, value in found.groupdict().items()}
    assert values["int12"] == values["memsize"], context
    assert values["int11"] == values["equipment"], context
    assert values["ticks"] == 0x00123456, context
    assert not values["ticks_flags"] & CF, context
    for service in ("e820", "rtc"):
        assert values[f"{service}_flags"] & CF, context
        assert values[f"{service}_ax"] >> 8 == RET_UNSUPPORTED, context


def test_boot_fail_reboots(boot):
    """-boot reboot-timeout=500: wait half a second, then a fresh POST."""
    def second_post(serial, debuglog):
        return len(BANNER.findall(debuglog)) >= 2
    result = boot(machine="pc", kernel=None, timeout=PAYLOAD_TIMEOUT,
                  until=second_post,
                  extra_args=["-boot", "reboot-timeout=500"])
    # -no-reboot makes the reset end QEMU; either way POST ran to the
    # message, then the BIOS reset the machine.
    qemu.assert_debuglog(result, NO_BOOTABLE_DEVICE + r".*retrying in 0",
                         r"boot: rebooting")
    assert result.returncode == 0 or len(BANNER.findall(result.debuglog)) > 1


def test_boot_fail_waits_forever_by_default(boot):
    """QEMU passes -1 by default: the message, then no reboot."""
    result = boot(machine="q35", kernel=None, timeout=6, until=None)
    qemu.assert_debuglog(result, NO_BOOTABLE_DEVICE)
    assert "boot: rebooting" not in result.debuglog
    assert result.ending == qemu.TIMED_OUT


def test_insncount_attributes_instructions(bios):
    """scripts/insncount.py, the boot-cost tool docs/Performance.md uses:
    a TCG boot of the tiny kernel, counts per function and per file."""
    script = qemu.REPO_ROOT / "scripts" / "insncount.py"
    elf = bios.parent / "rom.elf"
    if not elf.is_file():
        pytest.skip(f"{elf} not found next to {bios}")

    kernel = qemu.payload("tinykernel.bzImage")

    def run(*extra):
        done = subprocess.run(
            [sys.executable, str(script), "--bios", str(bios),
             "--kernel", str(kernel), "--top", "500", *extra],
            capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
        rows = {}
        for line in done.stdout.splitlines():
            fields = line.split()
            if len(fields) == 4 and fields[0].isdigit():
                rows[fields[3]] = (int(fields[0]), int(fields[2]))
        return done.stdout, rows

    out, rows = run("--callers", "memset")
    total = re.search(r"^translated (\d+) in (\d+) blocks, executed (\d+) ",
                      out, re.M)
    assert total, out
    translated, executed = int(total[1]), int(total[3])
    assert 0 < int(total[2]) < translated, out
    assert 1000 < translated < executed, out
    # POST's entry ran once; the tiny kernel counts as "(low)".
    assert rows["post_main"][0] > 0 and rows["(low)"][0] > 0, out
    assert sum(t for t, _ in rows.values()) == translated, out
    assert re.search(r"^ +\d+ +\d+  memset <- \w+$", out, re.M), out
    _, files = run("--by-file")
    assert files["post"][0] >= rows["post_main"][0], files
    assert sum(t for t, _ in files.values()) == translated, files


def test_bench_prints_comparison(bios, tmp_path):
    """scripts/bench.py, one round of the small initrd on pc under TCG:
    every firmware that is installed boots and gets a row, and the
    correctness check (the initrd's checksum in the tiny kernel) holds."""
    script = qemu.REPO_ROOT / "scripts" / "bench.py"
    nullbios = qemu.payload("nullbios.bin")
    done = subprocess.run(
        [sys.executable, str(script), "--bios", str(bios),
         "--kernel", str(qemu.payload("tinykernel.bzImage")),
         "--nullbios", str(nullbios), "--workdir", str(tmp_path),
         "-n", "1", "--warmup", "0", "--accel", "tcg",
         "--scenarios", "small", "--machines", "pc"],
        capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    rows = re.findall(r"^small\s+pc\s+tcg\s+(\w+)\s+([\d.]+)\s.*\s(\d+)/(\d+)\s*$",
                      done.stdout, re.MULTILINE)
    names = {name for name, *_ in rows}
    assert "reefbios" in names, done.stdout
    for name, path in (("seabios", "/usr/share/seabios/bios-256k.bin"),
                       ("qboot", "/usr/share/qemu/qboot.rom")):
        if os.path.isfile(path):
            assert name in names, done.stdout
    for name, ms, ok, runs in rows:
        assert ok == runs == "1" and float(ms) > 0, done.stdout
