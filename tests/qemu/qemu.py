"""Boot QEMU x86 guests for the ReefBIOS tests and collect what they print.

A `Guest` describes one QEMU invocation (firmware, machine, accelerator, CPUs,
RAM, kernel, initrd, command line); `boot()` runs it with the serial console
and the BIOS debug console (port 0x402) written to files, kills it on timeout
and returns a `BootResult` holding both texts, the exit status and the
"REEF-GUEST key value" reports of tests/guest/init.sh.

With qmp=True (or an inspect callback) QEMU also gets a QMP monitor on one
end of a socketpair: `Qmp` runs commands on it and keeps the events QEMU
sent (e.g. SHUTDOWN with its reason); `inspect(qmp)` runs while the guest is
still alive, right after UNTIL fired, e.g. to save guest memory with
`save_memory()` (QMP pmemsave) into a `MemorySnapshot`.  A `watch(qmp,
serial, debuglog)` callback runs at every poll while the guest runs, e.g.
to answer QMP events (`Qmp.poll()` returns them without blocking) such as
SUSPEND with system_wakeup.  `Guest(no_reboot=False)` drops -no-reboot, so
a reset reboots the guest instead of ending QEMU.
"""

import json
import mmap
import os
import re
import select
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional, Sequence

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
PAYLOAD_DIR = REPO_ROOT / "out" / "tests"
QEMU = os.environ.get("REEF_QEMU", "qemu-system-x86_64")
DEBUGCON_PORT = "0x402"
GUEST_REPORT = re.compile(r"^REEF-GUEST (\S+) ?(.*?)\s*$", re.MULTILINE)
# Second debugcon for test payloads (tests/payload/fwcfgdump.S), so the
# BIOS's own log on DEBUGCON_PORT stays clean.
DUMP_PORT = "0x403"
QMP_TIMEOUT_SECONDS = 20
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
    # False: a guest reset reboots instead of ending QEMU (-no-reboot).
    no_reboot: bool = True

    def command(self, serial_log, debug_log):
        args = [QEMU, "-M", self.machine, "-accel", self.accel,
                "-smp", str(self.smp), "-m", self.memory,
                "-nographic", "-nodefaults", "-monitor", "none",
                *(["-no-reboot"] if self.no_reboot else []),
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
    # With qmp=True: every event QEMU sent (dicts as in QMP), and what went
    # wrong on the monitor, if anything.  inspected: inspect()'s value.
    qmp_events: list = field(default_factory=list, repr=False)
    qmp_error: Optional[str] = None
    inspected: Any = field(default=None, repr=False)

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

    def events(self, name):
        """The QMP events called NAME, in the order QEMU sent them."""
        return [event for event in self.qmp_events
                if event.get("event") == name]

    def describe(self):
        """A summary for assertion messages: command, status, log tails."""
        qmp = []
        if self.qmp_error:
            qmp.append(f"qmp error: {self.qmp_error}")
        if self.qmp_events:
            qmp.append("qmp events: " + ", ".join(
                json.dumps({k: v for k, v in event.items()
                            if k != "timestamp"})
                for event in self.qmp_events))
        return "\n".join([
            f"accel={self.accel}: QEMU {self.ending} (status "
            f"{self.returncode}) after {self.elapsed:.1f} s", *qmp,
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
         until: Optional[Callable[[str, str], bool]] = None,
         qmp: bool = False,
         inspect: Optional[Callable[["Qmp"], Any]] = None,
         watch: Optional[Callable[["Qmp", str, str], Any]] = None):
    """Run GUEST until QEMU exits, TIMEOUT seconds pass (QEMU is killed), or
    UNTIL(serial, debuglog) returns true (QEMU is stopped early).

    With QMP (implied by INSPECT) QEMU gets a QMP monitor and the result
    holds the events it sent; INSPECT(qmp) runs when UNTIL fires, before
    QEMU is stopped, and its value is the result's `inspected`.
    WATCH(qmp, serial, debuglog) (implies QMP) runs at every poll before
    UNTIL, e.g. to answer events (Qmp.poll) or guest output with commands;
    if it raises QmpError, OSError or ValueError, QEMU is stopped."""
    workdir.mkdir(parents=True, exist_ok=True)
    serial_log, debug_log = workdir / "serial.log", workdir / "debug.log"
    output_log = workdir / "qemu.out"
    command = guest.command(serial_log, debug_log)
    monitor = ours = None
    pass_fds = ()
    if qmp or inspect or watch:
        ours, theirs = socket.socketpair()
        command += qmp_args(theirs.fileno())
        pass_fds = (theirs.fileno(),)
    inspected = {}
    errors = []

    def should_stop():
        if watch and monitor is not None:
            try:
                watch(monitor, read_text(serial_log), read_text(debug_log))
            except (QmpError, OSError, ValueError) as error:
                errors.append(f"watch: {type(error).__name__}: {error}")
                return True
        if not (until and until(read_text(serial_log), read_text(debug_log))):
            return False
        if inspect and monitor is None:
            errors.append("no QMP monitor to inspect the guest")
        elif inspect:
            try:
                inspected["value"] = inspect(monitor)
            except (QmpError, OSError, ValueError) as error:
                errors.append(f"inspect: {type(error).__name__}: {error}")
        return True

    start = time.monotonic()
    with open(output_log, "wb") as output:
        try:
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL,
                                       stdout=output,
                                       stderr=subprocess.STDOUT,
                                       pass_fds=pass_fds)
        finally:
            if ours is not None:
                theirs.close()
        try:
            if ours is not None:
                try:
                    monitor = Qmp(ours)
                except (QmpError, OSError, ValueError) as error:
                    errors.append(f"{type(error).__name__}: {error}")
            ending = wait(process, start + timeout, should_stop)
        finally:
            if process.poll() is None:
                stop(process)
    events = []
    if monitor is not None:
        monitor.drain()
        events = monitor.events
    if ours is not None:
        ours.close()
    return BootResult(command=command, accel=guest.accel,
                      serial=read_text(serial_log),
                      debuglog=read_text(debug_log),
                      qemu_output=read_text(output_log),
                      returncode=process.returncode, ending=ending,
                      elapsed=time.monotonic() - start,
                      qmp_events=events,
                      qmp_error="; ".join(errors) or None,
                      inspected=inspected.get("value"))


def qmp_args(fd):
    """QEMU options for a QMP monitor on the connected socket FD."""
    return ["-chardev", f"socket,id=reef-qmp,fd={fd}",
            "-mon", "chardev=reef-qmp,mode=control"]


def dump_console_args(path):
    """QEMU options for a second debugcon on DUMP_PORT written to PATH."""
    return ["-chardev", f"file,id=reef-dump,path={path}",
            "-device", f"isa-debugcon,iobase={DUMP_PORT},chardev=reef-dump"]


class QmpError(Exception):
    """The QMP monitor failed, or a command returned an error."""


class Qmp:
    """A QMP client on a connected socket: reads the greeting, negotiates
    capabilities, runs commands and keeps every event QEMU sends."""

    def __init__(self, sock, timeout=QMP_TIMEOUT_SECONDS):
        self.sock = sock
        self.sock.settimeout(timeout)
        self.buffer = b""
        self.events = []
        self.closed = False
        greeting = self._receive()
        if "QMP" not in greeting:
            raise QmpError(f"unexpected greeting {greeting!r}")
        self.execute("qmp_capabilities")

    def execute(self, command, **arguments):
        """Run COMMAND; return its "return" value or raise QmpError."""
        request = {"execute": command}
        if arguments:
            request["arguments"] = arguments
        self.sock.sendall(json.dumps(request).encode() + b"\n")
        while True:
            message = self._receive()
            if "event" in message:
                self.events.append(message)
            elif "error" in message:
                raise QmpError(f"{command}: {message['error']}")
            elif "return" in message:
                return message["return"]

    def poll(self, timeout=0.0):
        """Wait up to TIMEOUT seconds (select) for QEMU to send something,
        keep the events that arrived and return them; never blocks longer,
        so a caller can answer events (SUSPEND -> system_wakeup)."""
        first = len(self.events)
        wait_for = timeout
        while not self.closed:
            readable, _, _ = select.select([self.sock], [], [], wait_for)
            if not readable:
                break
            try:
                chunk = self.sock.recv(65536)
            except ConnectionResetError:
                chunk = b""
            if not chunk:
                self.closed = True
                break
            self.buffer += chunk
            wait_for = 0.0
        while b"\n" in self.buffer:
            line, self.buffer = self.buffer.split(b"\n", 1)
            message = json.loads(line)
            if "event" in message:
                self.events.append(message)
        return self.events[first:]

    def drain(self):
        """Collect the events left on the socket once QEMU has exited."""
        self.sock.settimeout(QMP_TIMEOUT_SECONDS)
        while not self.closed:
            try:
                message = self._receive()
            except (QmpError, OSError):
                break
            if "event" in message:
                self.events.append(message)

    def _receive(self):
        while b"\n" not in self.buffer:
            try:
                chunk = self.sock.recv(65536)
            except ConnectionResetError:
                chunk = b""
            if not chunk:
                self.closed = True
                raise QmpError("QMP connection closed")
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return json.loads(line)


class MemorySnapshot:
    """Guest physical memory [base, base + size) saved by QMP pmemsave,
    read back from the file through mmap."""

    def __init__(self, path, base, size):
        self.path, self.base, self.size = Path(path), base, size
        with open(self.path, "rb") as stream:
            self.data = mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ)
        if len(self.data) != size:
            raise QmpError(f"pmemsave wrote {len(self.data)} bytes of {size}")

    def contains(self, address, length=1):
        return (self.base <= address
                and address + length <= self.base + self.size)

    def read(self, address, length):
        """LENGTH bytes at guest physical ADDRESS; IndexError outside."""
        if length < 0 or not self.contains(address, length):
            raise IndexError(f"guest memory [{address:#x}, "
                             f"{address + length:#x}) is outside the "
                             f"snapshot [{self.base:#x}, "
                             f"{self.base + self.size:#x})")
        offset = address - self.base
        return bytes(self.data[offset:offset + length])

    def close(self):
        self.data.close()

    def delete(self):
        self.close()
        self.path.unlink(missing_ok=True)


def save_memory(qmp: Qmp, base, size, path):
    """Save guest memory [BASE, BASE + SIZE) to PATH with QMP pmemsave."""
    path = Path(path).resolve()
    qmp.execute("pmemsave", val=base, size=size, filename=str(path))
    return MemorySnapshot(path, base, size)


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


def payload(name):
    """out/tests/NAME, a test payload built from tests/payload/ (make
    qemu-test builds them all), or skip the test that wants it."""
    path = PAYLOAD_DIR / name
    if not path.is_file():
        pytest.skip(f"test payload {path} not found: run `make "
                    f"out/tests/{name}` (part of make qemu-test)")
    return path
