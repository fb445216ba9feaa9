"""Resets and reboots under the BIOS image (issue #4): each one must lead
to a clean POST and a second boot, RESETS times in a row.

- During POST: the Multiboot payload tests/payload/mbkernel.S boots while
  QEMU's gdbstub stops the machine at one POST step after another (the
  reset vector, the flash-resident reset path, then the entry of each POST
  function, found in rom.elf beside the image), and each time QMP
  system_reset restarts it.  Every interrupted POST must have logged a
  prefix of what the final, uninterrupted POST logs, and the payload must
  then run (it exits QEMU through isa-debug-exit).
- After boot, with Linux: reboot -f from the guest (init.sh
  reef.end=reboot) and QMP system_reset once the guest is up (reef.end=wait
  keeps it up), without -no-reboot; the boots are counted by init.sh's
  REEF-GUEST lines on the serial console, the POSTs by the BIOS banner.
  The reboot -f loops boot the bzImage through the BIOS's own loader; the
  system_reset loops boot the same kernel uncompressed through its PVH
  entry (QEMU's pvh.bin option ROM), which takes half the time under TCG
  and covers that path across resets too.
"""

import re
import select
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

import logformat
import qemu

MACHINES = ("pc", "q35")
RESETS = 10
SMP = 2
LINUX_TIMEOUT_SECONDS = 300
POST_TIMEOUT_SECONDS = 60
GDB_TIMEOUT_SECONDS = 10
# mbkernel.S writes 1 to isa-debug-exit when the boot magic was right;
# QEMU exits with (value << 1) | 1.
MBKERNEL_EXIT_OK = 3
# fseg=ro under TCG; nested KVM here ignores PAM read-only (see
# test_payloads.py), so there it may say rw.
MBKERNEL_LINE = (r"^MBKERNEL magic=2badb002 mbi=[0-9a-f]{8} "
                 r"fseg=(?P<fseg>r[ow])$")
# rom.elf links 32-bit code at its flash address (src/layout.ld), where
# it runs, so its symbols are the addresses to stop at.
RESET_VECTOR = 0xfffffff0
# Where to stop POST, in order: (label, rom.elf symbol or None, address
# adjustment).  The symbols are the POST steps of src/post.c; a missing one
# is left out (and named in the test output).
POST_STOPS = (
    ("reset vector", None, RESET_VECTOR),
    ("reset path in flash", "post_entry32", 0),
    ("post_main", "post_main", 0),
    ("timer_setup", "timer_setup", 0),
    ("shadow_setup", "shadow_setup", 0),
    ("fw_cfg_setup", "fw_cfg_setup", 0),
    ("memmap_setup", "memmap_setup", 0),
    ("ivt_setup", "ivt_setup", 0),
    ("chipset_setup", "chipset_setup", 0),
    ("smm_setup", "smm_setup", 0),
    ("mtrr_setup", "mtrr_setup", 0),
    ("smp_setup", "smp_setup", 0),
    ("smm_ap_setup", "smm_ap_setup", 0),
    ("tableloader_run", "tableloader_run", 0),
    ("smbios_setup", "smbios_setup", 0),
    ("boot_setup", "boot_setup", 0),
    ("resume_prepboot", "resume_prepboot", 0),
    ("shadow_prepboot", "shadow_prepboot", 0),
    ("optionrom_boot_fw_cfg", "optionrom_boot_fw_cfg", 0),
)
ELF_ENTRY_OFFSET = 0x18   # e_entry in an ELF32 header

# The BIOS runs QEMU's PVH option ROM for an uncompressed kernel.
PVH_HANDOFF = logformat.PVH_HANDOFF
GUEST_USERSPACE = "REEF-GUEST userspace"
GUEST_DONE = "REEF-GUEST done"
GUEST_ENDING = "REEF-GUEST ending "
KERNEL_PANIC = "Kernel panic"


def normalized(log):
    """A debug log with the numbers that differ between boots (times, the
    calibrated TSC rate) blanked."""
    log = re.sub(r"\b\d+\.\d{3} ms\b", "N ms", log)
    return re.sub(r"\btsc \d+ khz\b", "tsc N khz", log)


def posts(debuglog):
    """The log split at each banner: one string per POST."""
    starts = [match.start() for match in re.finditer(
        logformat.BANNER, debuglog, re.MULTILINE)]
    return [debuglog[start:end]
            for start, end in zip(starts, starts[1:] + [len(debuglog)])]


# ---------------------------------------------------------------- gdbstub

class GdbStub:
    """Just enough of the GDB remote protocol to stop QEMU at breakpoints:
    packets are $data#checksum, acknowledged with '+'."""

    def __init__(self, path, timeout=GDB_TIMEOUT_SECONDS):
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX)
                self.sock.connect(str(path))
                break
            except (FileNotFoundError, ConnectionRefusedError):
                self.sock.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.01)
        self.buffer = b""
        self.timeout = timeout

    def send(self, data):
        payload = data.encode()
        self.sock.sendall(b"$" + payload
                          + b"#%02x" % (sum(payload) & 0xff))

    def receive(self, timeout):
        """The next packet's data, or None after TIMEOUT seconds."""
        deadline = time.monotonic() + timeout
        while True:
            match = re.search(rb"\$([^#$]*)#[0-9a-fA-F]{2}", self.buffer)
            if match:
                self.buffer = self.buffer[match.end():]
                self.sock.sendall(b"+")
                return match.group(1).decode()
            left = deadline - time.monotonic()
            readable, _, _ = select.select([self.sock], [], [],
                                           max(left, 0))
            if not readable:
                return None
            chunk = self.sock.recv(4096)
            if not chunk:
                raise EOFError("gdbstub closed the connection")
            self.buffer += chunk

    def command(self, data):
        self.send(data)
        reply = self.receive(self.timeout)
        if reply is None:
            raise TimeoutError(f"gdbstub: no reply to {data!r}")
        return reply

    def breakpoint(self, address, insert=True):
        reply = self.command(f"{'Z' if insert else 'z'}0,{address:x},1")
        if reply != "OK":
            raise RuntimeError(f"gdbstub: breakpoint {address:#x}: {reply}")

    def close(self):
        self.sock.close()


def rom_symbols(bios):
    """{name: address} from rom.elf beside the image (out/rom.elf)."""
    elf = bios.parent / "rom.elf"
    if not elf.is_file():
        pytest.skip(f"{elf} not found: the POST stops come from its symbols")
    output = subprocess.run(["nm", str(elf)], check=True, capture_output=True,
                            text=True).stdout
    symbols = {}
    for line in output.splitlines():
        fields = line.split()
        if len(fields) == 3:
            symbols[fields[2]] = int(fields[0], 16)
    return symbols


def elf_entry(path):
    return int.from_bytes(path.read_bytes()[ELF_ENTRY_OFFSET:
                                            ELF_ENTRY_OFFSET + 4], "little")


class PostResetter:
    """A qemu.boot() watch: stops QEMU (started with -S) at each of STOPS
    through the gdbstub at SOCKET, resets it with QMP system_reset, and
    lets it run on to the next stop; after the last one it lets it run."""

    def __init__(self, socket_path, stops):
        self.socket_path = socket_path
        self.stops = stops
        self.gdb = None
        self.done = []   # (label, debug log length when it stopped there)

    def __call__(self, qmp, _serial, debuglog):
        if self.gdb is None:
            self.gdb = GdbStub(self.socket_path)
            self.gdb.command("?")
            self.gdb.breakpoint(self.stops[0][1])
            self.gdb.send("c")
            return
        if len(self.done) == len(self.stops):
            return
        reply = self.gdb.receive(0)
        if reply is None:
            return
        if not reply.startswith(("T05", "S05")):
            raise RuntimeError(f"gdbstub: unexpected stop {reply!r}")
        label, address = self.stops[len(self.done)]
        self.done.append((label, len(debuglog)))
        qmp.execute("system_reset")
        self.gdb.breakpoint(address, insert=False)
        if len(self.done) < len(self.stops):
            self.gdb.breakpoint(self.stops[len(self.done)][1])
        self.gdb.send("c")


def short_socket_path(tmp_path):
    """A unix socket path (at most 107 bytes); pytest's may be longer."""
    path = tmp_path / "gdb.sock"
    if len(str(path)) < 100:
        return path
    return Path(tempfile.mkdtemp(prefix="reef-gdb-")) / "gdb.sock"


@pytest.mark.parametrize("machine", MACHINES)
def test_reset_during_post(bios, mbkernel, accel, tmp_path, machine):
    """QMP system_reset at every POST step, then a clean boot."""
    symbols = rom_symbols(bios)
    stops, missing = [], []
    for label, symbol, adjust in POST_STOPS:
        if symbol is None:
            stops.append((label, adjust))
        elif symbol in symbols:
            stops.append((label, symbols[symbol] + adjust))
        else:
            missing.append(symbol)
    # Last: the payload's first instruction, i.e. a reset after boot.
    stops.append(("payload entry", elf_entry(mbkernel)))
    print(f"stops: {[label for label, _ in stops]}; not in rom.elf: "
          f"{missing}")
    assert len(stops) > RESETS, f"only {len(stops)} stops: {missing} missing"

    socket_path = short_socket_path(tmp_path)
    resetter = PostResetter(socket_path, stops)
    guest = qemu.Guest(bios=bios, accel=accel.name, machine=machine, smp=SMP,
                       memory="64M", kernel=mbkernel, no_reboot=False,
                       extra_args=(
                           "-S", "-chardev",
                           f"socket,id=reef-gdb,path={socket_path},"
                           "server=on,wait=off",
                           "-gdb", "chardev:reef-gdb",
                           "-device", "isa-debug-exit,iobase=0xf4,iosize=4"))
    try:
        result = qemu.boot(guest, tmp_path / "qemu", POST_TIMEOUT_SECONDS,
                           watch=resetter)
    finally:
        if resetter.gdb is not None:
            resetter.gdb.close()
    print(f"accel={accel.name}; {result.elapsed:.1f} s: "
          + " ".join(result.command))
    log = result.debuglog
    report = []
    start = 0
    segments = []
    for label, end in resetter.done:
        segment = log[start:end]
        last = segment.rstrip("\n").rpartition("\n")[2]
        report.append(f"reset at {label}: last line {last!r}")
        segments.append((label, segment))
        start = end
    final = log[start:]
    print("\n".join(report))
    describe = "\n".join(report) + "\n" + result.describe()
    assert [label for label, _ in resetter.done] == \
        [label for label, _ in stops], (
            f"stopped at {len(resetter.done)} of {len(stops)} stops\n"
            f"{describe}")
    assert len(result.events("RESET")) == len(stops), describe
    assert result.returncode == MBKERNEL_EXIT_OK, describe
    payload = re.search(MBKERNEL_LINE, final, re.MULTILINE)
    assert payload, describe
    if accel.name == "tcg":
        assert payload["fseg"] == "ro", describe
    if not qemu.log_checks_enabled():
        return
    assert len(posts(final)) == 1 and final.startswith("ReefBIOS "), (
        f"the final boot is not one POST\n{describe}")
    clean = normalized(final)
    for label, segment in segments:
        banner = segment == "" or segment.startswith("ReefBIOS ")
        assert banner, (f"reset at {label}: log does not start with the "
                        f"banner\n{segment}\n{describe}")
        prefix = clean.startswith(normalized(segment))
        assert prefix, (
            f"reset at {label}: the interrupted POST logged something the "
            f"clean one did not:\n{segment}\n--- clean ---\n{final}\n"
            f"{describe}")
    logged = sum(1 for _, segment in segments if segment)
    assert logged >= RESETS, (
        f"only {logged} resets hit a POST that had started logging\n"
        f"{describe}")


# ---------------------------------------------------------------- Linux

def linux_guest(bios, kernel, initramfs, accel, machine, ending):
    return qemu.Guest(bios=bios, accel=accel.name, machine=machine, smp=SMP,
                      kernel=kernel, initrd=initramfs, no_reboot=False,
                      append=f"console=ttyS0 panic=-1 reef.end={ending}")


def check_linux_boots(result, boots, ending, handoff):
    """BOOTS boots each reached userspace and finished init.sh, after as
    many clean POSTs that each got to HANDOFF (a debug-log pattern), none
    of them mistaken for an S3 resume."""
    describe = result.describe()
    assert KERNEL_PANIC not in result.serial, describe
    for line in (GUEST_USERSPACE, GUEST_DONE, GUEST_ENDING + ending):
        count = result.serial.count(line)
        assert count >= boots, f"{count} of {boots} {line!r}\n{describe}"
    if not qemu.log_checks_enabled():
        return
    boots_logged = posts(result.debuglog)
    assert len(boots_logged) >= boots, (
        f"{len(boots_logged)} POSTs for {boots} boots\n{describe}")
    first = normalized(boots_logged[0])
    for number, post in enumerate(boots_logged[:boots], 1):
        assert re.search(handoff, post, re.MULTILINE), (
            f"POST {number} did not hand over to Linux:\n{post}\n{describe}")
        same = normalized(post) == first
        assert same, (
            f"POST {number} differs from the first:\n{post}\n--- first "
            f"---\n{boots_logged[0]}\n{describe}")
    assert not re.search(logformat.RESUME_WAKEUP, result.debuglog,
                         re.MULTILINE), describe


def enough(boots, ending):
    def until(serial, _debuglog):
        return (serial.count(GUEST_ENDING + ending) >= boots
                or KERNEL_PANIC in serial)
    return until


@pytest.mark.slow
@pytest.mark.parametrize("machine", MACHINES)
def test_linux_reboot(bios, kernel, initramfs, accel, tmp_path, machine):
    """reboot -f from Linux RESETS times: RESETS + 1 boots to userspace."""
    boots = RESETS + 1
    guest = linux_guest(bios, kernel, initramfs, accel, machine, "reboot")
    result = qemu.boot(guest, tmp_path, LINUX_TIMEOUT_SECONDS, qmp=True,
                       until=enough(boots, "reboot"))
    print(f"accel={accel.name}; {result.elapsed:.1f} s: "
          + " ".join(result.command))
    assert result.reached_userspace, (
        f"the first boot did not reach userspace (before any reset)\n"
        f"{result.describe()}")
    resets = [event.get("data", {}) for event in result.events("RESET")]
    assert len(resets) >= RESETS, result.describe()
    assert all(reset.get("guest") for reset in resets), (
        f"RESET events {resets}\n{result.describe()}")
    check_linux_boots(result, boots, "reboot", logformat.LINUX_HANDOFF)


class ResetWhenUp:
    """A qemu.boot() watch: QMP system_reset each time another boot's
    init.sh has finished (REEF-GUEST ending wait), at most LIMIT times."""

    def __init__(self, limit):
        self.limit = limit
        self.sent = 0

    def __call__(self, qmp, serial, _debuglog):
        if (self.sent < self.limit
                and serial.count(GUEST_ENDING + "wait") > self.sent):
            qmp.execute("system_reset")
            self.sent += 1


@pytest.mark.slow
@pytest.mark.parametrize("machine", MACHINES)
def test_linux_system_reset(bios, pvh_kernel, initramfs, accel, tmp_path,
                            machine):
    """QMP system_reset once Linux is up, RESETS times: RESETS + 1 boots."""
    boots = RESETS + 1
    resetter = ResetWhenUp(RESETS)
    guest = linux_guest(bios, pvh_kernel.path, initramfs, accel, machine,
                        "wait")
    print(f"kernel: {pvh_kernel.reason}")
    result = qemu.boot(guest, tmp_path, LINUX_TIMEOUT_SECONDS,
                       until=enough(boots, "wait"), watch=resetter)
    print(f"accel={accel.name}; {result.elapsed:.1f} s: "
          + " ".join(result.command))
    assert result.reached_userspace, (
        f"the first boot did not reach userspace (before any reset)\n"
        f"{result.describe()}")
    resets = [event.get("data", {}) for event in result.events("RESET")]
    assert resetter.sent == RESETS, result.describe()
    assert len(resets) == RESETS and all(
        reset.get("reason") == "host-qmp-system-reset" for reset in resets), (
            f"RESET events {resets}\n{result.describe()}")
    check_linux_boots(result, boots, "wait", PVH_HANDOFF if pvh_kernel.pvh
                      else logformat.LINUX_HANDOFF)
