"""Boot QEMU x86 guests for the ReefBIOS tests and collect what they print.

A `Guest` describes one QEMU invocation (firmware, machine, accelerator, CPUs,
RAM, kernel, initrd, command line); `boot()` runs it with the serial console
and the BIOS debug console (port 0x402) written to files, kills it on timeout
and returns a `BootResult` holding both texts, the exit status and the
"REEF-GUEST key value" reports of tests/guest/init.sh.
"""

import os
import re
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional, Sequence

REPO_ROOT = Path(__file__).resolve().parents[2]
QEMU = os.environ.get("REEF_QEMU", "qemu-system-x86_64")
DEBUGCON_PORT = "0x402"
GUEST_REPORT = re.compile(r"^REEF-GUEST (\S+) ?(.*?)\s*$", re.MULTILINE)
POLL_SECONDS = 0.1
EXITED, TIMED_OUT, STOPPED = "exited", "timed out", "stopped early"
TAIL_LINES = 25


def natural_key(text):
    """Sort key that orders "6.1.0-9" before "6.1.0-10"."""
    return [int(part) if part.isdigit() else part
            for part in re.split(r"(\d+)", text)]


def find_kernel():
    """The bzImage to boot: $REEF_KERNEL, else the newest /boot/vmlinuz-*."""
    if os.environ.get("REEF_KERNEL"):
        return Path(os.environ["REEF_KERNEL"])
    kernels = sorted(Path("/boot").glob("vmlinuz-*"),
                     key=lambda path: natural_key(path.name))
    return kernels[-1] if kernels else None


def find_bios():
    """The BIOS image under test: $REEF_BIOS, else out/bios.bin in the repo."""
    return Path(os.environ.get("REEF_BIOS", REPO_ROOT / "out" / "bios.bin"))


@dataclass
class Guest:
    """One QEMU x86 machine; bios=None means QEMU's default firmware."""

    bios: Optional[Path]
    accel: str = "tcg"
    machine: str = "pc"
    smp: int = 1
    memory: str = "256M"
    kernel: Optional[Path] = None
    initrd: Optional[Path] = None
    append: Optional[str] = None
    extra_args: Sequence[str] = ()

    def command(self, serial_log, debug_log):
        args = [QEMU, "-M", self.machine, "-accel", self.accel,
                "-smp", str(self.smp), "-m", self.memory,
                "-nographic", "-nodefaults", "-monitor", "none", "-no-reboot",
                "-serial", f"file:{serial_log}",
                "-debugcon", f"file:{debug_log}",
                "-global", f"isa-debugcon.iobase={DEBUGCON_PORT}"]
        args += self._optional("-bios", self.bios)
        args += self._optional("-kernel", self.kernel)
        args += self._optional("-initrd", self.initrd)
        args += self._optional("-append", self.append)
        return args + list(self.extra_args)

    @staticmethod
    def _optional(option, value):
        return [option, str(value)] if value is not None else []


@dataclass
class BootResult:
    """What one QEMU run left behind."""

    command: Sequence[str]
    accel: str
    serial: str = field(repr=False)
    debuglog: str = field(repr=False)
    qemu_output: str = field(repr=False)
    returncode: Optional[int]
    ending: str
    elapsed: float
    reports: dict = field(init=False, repr=False)

    def __post_init__(self):
        self.reports = {}
        for key, value in GUEST_REPORT.findall(self.serial):
            self.reports.setdefault(key, []).append(value)

    def report(self, key):
        """The first value the guest reported for KEY, or None."""
        values = self.reports.get(key)
        return values[0] if values else None

    @property
    def reached_userspace(self):
        return "userspace" in self.reports

    @property
    def finished(self):
        return "done" in self.reports

    def e820(self):
        """The guest's /sys/firmware/memmap as (start, end, type) tuples."""
        entries = []
        for value in self.reports.get("e820", []):
            start, end, kind = value.split(" ", 2)
            entries.append((int(start, 16), int(end, 16), kind))
        return entries

    def describe(self):
        """A summary for assertion messages: command, status, log tails."""
        return "\n".join([
            f"accel={self.accel}: QEMU {self.ending} (status "
            f"{self.returncode}) after {self.elapsed:.1f} s",
            "command: " + " ".join(self.command),
            "--- qemu output ---", tail(self.qemu_output),
            "--- serial (tail) ---", tail(self.serial),
            "--- debug log (tail) ---", tail(self.debuglog)])


def tail(text, lines=TAIL_LINES):
    return "\n".join(text.splitlines()[-lines:])


def read_text(path):
    try:
        return path.read_text(errors="replace")
    except FileNotFoundError:
        return ""


def boot(guest: Guest, workdir: Path, timeout: float,
         until: Optional[Callable[[str, str], bool]] = None):
    """Run GUEST until QEMU exits, TIMEOUT seconds pass (QEMU is killed), or
    UNTIL(serial, debuglog) returns true (QEMU is stopped early)."""
    workdir.mkdir(parents=True, exist_ok=True)
    serial_log, debug_log = workdir / "serial.log", workdir / "debug.log"
    output_log = workdir / "qemu.out"
    command = guest.command(serial_log, debug_log)
    start = time.monotonic()
    with open(output_log, "wb") as output:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL,
                                   stdout=output, stderr=subprocess.STDOUT)
        ending = wait(process, start + timeout,
                      lambda: until and until(read_text(serial_log),
                                              read_text(debug_log)))
    return BootResult(command=command, accel=guest.accel,
                      serial=read_text(serial_log),
                      debuglog=read_text(debug_log),
                      qemu_output=read_text(output_log),
                      returncode=process.returncode, ending=ending,
                      elapsed=time.monotonic() - start)


def wait(process, deadline, should_stop):
    """Wait for PROCESS to exit, killing it at DEADLINE or when SHOULD_STOP()
    says so; return how it ended: EXITED, TIMED_OUT or STOPPED."""
    while process.poll() is None:
        if time.monotonic() > deadline:
            stop(process)
            return TIMED_OUT
        if should_stop():
            stop(process)
            return STOPPED
        time.sleep(POLL_SECONDS)
    return EXITED


def stop(process):
    process.kill()
    process.wait()


def log_checks_enabled():
    """False when REEF_NO_LOG_CHECKS=1: run the guest-side checks only, e.g.
    against SeaBIOS, whose debug log has none of our lines."""
    return os.environ.get("REEF_NO_LOG_CHECKS") != "1"


def assert_debuglog(result: BootResult, *patterns):
    """Assert that the BIOS debug log matches PATTERNS in this order: each
    match starts at or after the start of the one before (so on the same
    line is allowed)."""
    if not log_checks_enabled():
        return
    position = 0
    for pattern in patterns:
        match = re.compile(pattern, re.MULTILINE).search(result.debuglog,
                                                          position)
        assert match, (f"BIOS debug log lacks /{pattern}/ from offset "
                       f"{position}\n{result.describe()}")
        position = match.start()


def refute_debuglog(result: BootResult, pattern):
    """Assert that no line of the BIOS debug log matches PATTERN."""
    if not log_checks_enabled():
        return
    match = re.compile(pattern, re.MULTILINE).search(result.debuglog)
    assert not match, (f"BIOS debug log has /{pattern}/: {match.group(0)!r}"
                       f"\n{result.describe()}")
