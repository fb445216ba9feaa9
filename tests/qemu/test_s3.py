"""S3 suspend-to-RAM and resume under the BIOS image (issue #4).

One Linux run per machine (pc, q35; -smp 2; -device vmgenid,guid=G1)
suspends S3_CYCLES times from inside the guest (tests/guest/init.sh with
reef.s3=N writes "mem" to /sys/power/state); the host answers every QMP
SUSPEND event with system_wakeup.  After each resume the guest prints
"s3-resumed I", the chipset registers the BIOS must restore (from
/sys/bus/pci/devices/*/config) and the MTRR MSRs of every CPU (through
/dev/cpu/N/msr, with Debian's msr.ko put into the initramfs).  Once the
guest is done, the host saves the VM with QMP migrate to a file and loads
it into a second QEMU that differs only in -device vmgenid,guid=G2: QEMU
writes the new GUID to the address the firmware reported through
etc/vmgenid_addr, which QEMU forgets on every reset, the S3 wakeup
included, so G2 shows up at that address only if the BIOS's resume path
wrote the address again (its WRITE_POINTER replay).  A run with the replay
switched off (fw_cfg opt/org.reefbios/s3-no-replay) must not show G2.

QEMU docs/specs/vmgenid.txt: etc/vmgenid_guid is a 4096-byte blob the
firmware allocates (VGIA, its address, is patched into the SSDT); the GUID
sits at offset 40 (after room for OVMF's SDT header probe suppressor), and
the WRITE_POINTER gives QEMU VGIA + 40 through etc/vmgenid_addr.  The GUID
is stored little-endian (Python's uuid.UUID(...).bytes_le).

Also here, with tests/payload/s3payload.S instead of Linux: the MTRRs the
BIOS restores on every CPU, read at its 32-bit waking vector before any OS
code runs (Linux rewrites them on resume, which hides a BIOS that does
not), and a payload that suspends without setting a FACS waking vector,
after which the BIOS must reboot cleanly, not hang.
"""

import re
import shlex
import time
import uuid
from dataclasses import dataclass, field
from typing import Optional

import pytest

import logformat
import qemu
from qemu import assert_debuglog

MACHINES = ("pc", "q35")
SMP = 2
MEMORY = "256M"
S3_CYCLES = 5
# QEMU 7.2 enables S3 by default; say so anyway, per machine.
S3_ENABLE = {"pc": "PIIX4_PM.disable_s3=0", "q35": "ICH9-LPC.disable_s3=0"}
G1 = "5d3e9a41-7c2b-4f86-a1d0-3e8c6b2f9a17"
G2 = "c4b1e8f2-09a7-4d3c-8e65-72f1a0d4b9c3"
VMGENID_BLOB = "etc/vmgenid_guid"
VMGENID_GUID_OFFSET = 40
GUID_SIZE = 16
NO_REPLAY_KNOB = "opt/org.reefbios/s3-no-replay"
S3_TIMEOUT_SECONDS = 180
INCOMING_TIMEOUT_SECONDS = 60
MIGRATE_TIMEOUT_SECONDS = 60
PAYLOAD_TIMEOUT_SECONDS = 30
STATUS_POLL_SECONDS = 0.05

# What each machine's registers hold after POST and after every resume,
# by the names init.sh reports: name -> (mask, value).
EXPECTED_REGISTERS = {
    "q35": {
        "pciexbar": (0xffffffff, 0xb0000001),     # MCH 00:00.0 0x60
        "pciexbar-hi": (0xffffffff, 0x00000000),  # MCH 00:00.0 0x64
        "pmbase": (0xffffffff, 0x00000601),       # ICH9 LPC 00:1f.0 0x40
        "acpi-cntl": (0xff, 0x80),                # ICH9 LPC 00:1f.0 0x44
        "rcba": (0xffffffff, 0xfed1c001),         # ICH9 LPC 00:1f.0 0xf0
    },
    "pc": {
        "pmba": (0xffffffff, 0x00000601),         # PIIX4 PM 00:01.3 0x40
        "pmregmisc": (0x01, 0x01),                # 0x80 bit 0: PMIOSE
        "smbba": (0xffffffff, 0x00000701),        # PIIX4 PM 00:01.3 0x90
    },
}
MTRR_DEF_TYPE = "2ff"
MTRR_ENABLE = 1 << 11

# s3payload "wake": "S3PAYLOAD msrs when=boot|wake cpu=bsp|ap IDX=VALUE..."
PAYLOAD_MSRS = re.compile(r"^S3PAYLOAD msrs when=(?P<when>\w+) "
                          r"cpu=(?P<cpu>\w+)"
                          r"(?P<msrs>(?: [0-9a-f]{3}=[0-9a-f]{16})+)$",
                          re.MULTILINE)
# isa-debug-exit: QEMU exits with (value << 1) | 1; the payload writes 1.
PAYLOAD_EXIT_OK = 3

# Guest lines of the run: "REEF-GUEST ..." from init.sh.
GUEST_DONE = "REEF-GUEST ending wait"
GUEST_S3_FAILED = "REEF-GUEST s3-failed"
KERNEL_PANIC = "Kernel panic"


def guid_bytes(text):
    """The 16 bytes QEMU stores in guest memory for GUID TEXT."""
    return uuid.UUID(text).bytes_le


def s3_cmdline(cycles):
    return (f"console=ttyS0 panic=-1 no_console_suspend reef.s3={cycles} "
            "reef.end=wait")


class Waker:
    """A qemu.boot() watch: answers each QMP SUSPEND with system_wakeup (at
    most LIMIT times) and counts them."""

    def __init__(self, limit=None):
        self.limit = limit
        self.suspends = 0
        self.wakeups = 0
        self.seen = 0   # events of qmp.events already looked at

    def __call__(self, qmp, _serial, _debuglog):
        qmp.poll()
        # Also the events that arrived while a command ran.
        events, self.seen = qmp.events[self.seen:], len(qmp.events)
        for event in events:
            if event.get("event") != "SUSPEND":
                continue
            self.suspends += 1
            if self.limit is None or self.wakeups < self.limit:
                qmp.execute("system_wakeup")
                self.wakeups += 1


def vmgenid_guid_address(debuglog):
    """VGIA + 40 from the BIOS's linker-loader line for etc/vmgenid_guid,
    or None."""
    for match in re.finditer(logformat.LOADER_BLOB, debuglog, re.MULTILINE):
        if match["file"] == VMGENID_BLOB:
            return int(match["address"], 16) + VMGENID_GUID_OFFSET
    return None


def read_guest(qmp, address, size, path):
    """SIZE bytes of guest memory at ADDRESS, through QMP pmemsave."""
    snapshot = qemu.save_memory(qmp, address, size, path)
    try:
        return snapshot.read(address, size)
    finally:
        snapshot.delete()


def wait_status(qmp, leave, timeout):
    """Poll query-status until it is not in LEAVE; return the status."""
    deadline = time.monotonic() + timeout
    while True:
        status = qmp.execute("query-status")["status"]
        if status not in leave or time.monotonic() > deadline:
            return status
        time.sleep(STATUS_POLL_SECONDS)


@dataclass
class S3Run:
    """A suspending guest, the file it migrated to, and the QEMU that
    loaded it with vmgenid G2."""
    machine: str
    result: qemu.BootResult
    waker: Waker
    guid_address: Optional[int] = None
    guid_before: Optional[bytes] = None   # in the first QEMU, before saving
    migration: dict = field(default_factory=dict)
    incoming: Optional[qemu.BootResult] = None
    incoming_status: Optional[str] = None
    incoming_guid: Optional[str] = None   # query-vm-generation-id
    guid_after: Optional[bytes] = None    # in the second QEMU

    def describe(self):
        parts = [f"machine {self.machine}: {self.waker.suspends} SUSPEND "
                 f"events, {self.waker.wakeups} system_wakeup sent; "
                 f"guid address {self.guid_address and hex(self.guid_address)}"
                 f"; before {self.guid_before and self.guid_before.hex()}, "
                 f"after {self.guid_after and self.guid_after.hex()}; "
                 f"migration {self.migration}",
                 "=== suspending QEMU ===", self.result.describe()]
        if self.incoming is not None:
            parts += [f"=== incoming QEMU (status {self.incoming_status}, "
                      f"vmgenid {self.incoming_guid}) ===",
                      self.incoming.describe()]
        return "\n".join(parts)


def s3_guest(bios, kernel, initrd, accel, machine, cycles, guid,
             extra_args=()):
    return qemu.Guest(bios=bios, accel=accel.name, machine=machine, smp=SMP,
                      memory=MEMORY, kernel=kernel, initrd=initrd,
                      append=s3_cmdline(cycles),
                      extra_args=("-device", f"vmgenid,guid={guid}",
                                  "-global", S3_ENABLE[machine],
                                  *extra_args))


def run_s3(bios, kernel, initrd, accel, machine, cycles, workdir,
           extra_args=()):
    """Boot, suspend CYCLES times, migrate to a file, load it with G2."""
    migration_file = workdir / "vm.migration"
    waker = Waker()
    seen = {}

    def finished(serial, debuglog):
        seen["serial"], seen["debuglog"] = serial, debuglog
        return (GUEST_DONE in serial or GUEST_S3_FAILED in serial
                or KERNEL_PANIC in serial)

    def save_vm(monitor):
        # Runs once the guest is done (or gave up): read the GUID where the
        # BIOS put it, then migrate.
        run.guid_address = vmgenid_guid_address(seen.get("debuglog", ""))
        if run.guid_address is not None:
            run.guid_before = read_guest(monitor, run.guid_address,
                                         GUID_SIZE, workdir / "guid-before")
        if GUEST_DONE not in seen["serial"]:
            return
        monitor.execute("migrate", uri="exec:cat > "
                        + shlex.quote(str(migration_file)))
        deadline = time.monotonic() + MIGRATE_TIMEOUT_SECONDS
        while True:
            run.migration = monitor.execute("query-migrate")
            if (run.migration.get("status") in ("completed", "failed",
                                                "cancelled")
                    or time.monotonic() > deadline):
                break
            time.sleep(STATUS_POLL_SECONDS)

    guest = s3_guest(bios, kernel, initrd, accel, machine, cycles, G1,
                     extra_args)
    run = S3Run(machine, None, waker)
    run.result = qemu.boot(guest, workdir / "first", S3_TIMEOUT_SECONDS,
                           until=finished, watch=waker, inspect=save_vm)
    print(f"accel={accel.name}; {run.result.elapsed:.1f} s: "
          + " ".join(run.result.command))
    if run.migration.get("status") != "completed":
        return run

    def load_vm(monitor):
        run.incoming_status = wait_status(monitor, ("inmigrate",),
                                          INCOMING_TIMEOUT_SECONDS)
        if run.incoming_status in ("paused", "prelaunch"):
            monitor.execute("cont")
            run.incoming_status = wait_status(monitor, ("paused",
                                                        "prelaunch"), 5)
        run.incoming_guid = monitor.execute(
            "query-vm-generation-id")["guid"]
        if run.guid_address is not None:
            run.guid_after = read_guest(monitor, run.guid_address, GUID_SIZE,
                                        workdir / "guid-after")

    incoming = s3_guest(bios, kernel, initrd, accel, machine, cycles, G2,
                        (*extra_args, "-incoming",
                         "exec:cat " + shlex.quote(str(migration_file))))
    try:
        run.incoming = qemu.boot(incoming, workdir / "incoming",
                                 INCOMING_TIMEOUT_SECONDS,
                                 until=lambda _serial, _debuglog: True,
                                 inspect=load_vm)
        print(f"incoming: {run.incoming.elapsed:.1f} s: "
              + " ".join(run.incoming.command))
    finally:
        migration_file.unlink(missing_ok=True)
    return run


@pytest.fixture(scope="module", params=MACHINES)
def s3_run(request, bios, kernel, msr_initramfs, accel, tmp_path_factory):
    """One S3_CYCLES run per machine, shared by the tests below."""
    machine = request.param
    return run_s3(bios, kernel, msr_initramfs.initrd, accel, machine,
                  S3_CYCLES, tmp_path_factory.mktemp(f"s3-{machine}"))


def numbered_reports(result, key):
    """{cycle: rest of the line} for "REEF-GUEST KEY CYCLE REST" lines
    (the last line per cycle wins)."""
    values = {}
    for value in result.reports.get(key, []):
        cycle, _, rest = value.partition(" ")
        values.setdefault(int(cycle), []).append(rest)
    return values


def debuglog_count(result, pattern):
    return len(re.findall(pattern, result.debuglog, re.MULTILINE))


def test_s3_cycles(s3_run):
    """Every cycle suspends (QMP SUSPEND) and resumes (WAKEUP, a guest
    marker, the BIOS's resume path) without a reboot in between."""
    result = s3_run.result
    assert result.reached_userspace, s3_run.describe()
    assert GUEST_S3_FAILED not in result.serial, s3_run.describe()
    resumed = result.reports.get("s3-resumed", [])
    assert resumed == [str(i) for i in range(1, S3_CYCLES + 1)], (
        f"guest resume markers {resumed}\n{s3_run.describe()}")
    assert "s3-done" in result.reports, s3_run.describe()
    events = [event["event"] for event in result.qmp_events
              if event["event"] in ("SUSPEND", "WAKEUP", "RESET",
                                    "SHUTDOWN")]
    assert events == ["SUSPEND", "WAKEUP"] * S3_CYCLES, (
        f"QMP events {events}\n{s3_run.describe()}")
    assert s3_run.waker.wakeups == S3_CYCLES, s3_run.describe()
    if not qemu.log_checks_enabled():
        return
    assert debuglog_count(result, logformat.BANNER) == 1, (
        f"the BIOS ran POST again: a resume became a reboot\n"
        f"{s3_run.describe()}")
    assert debuglog_count(result, logformat.RESUME_WAKEUP) == S3_CYCLES, (
        s3_run.describe())
    assert (debuglog_count(result, logformat.RESUME_WAKING_VECTOR)
            == S3_CYCLES), s3_run.describe()
    aps = [int(match["aps"]) for match in re.finditer(
        logformat.RESUME_APS, result.debuglog, re.MULTILINE)]
    assert aps == [SMP - 1] * S3_CYCLES, (
        f"APs restarted on each resume: {aps}\n{s3_run.describe()}")


def test_s3_chipset_registers(s3_run):
    """The chipset registers the BIOS programs hold their POST values after
    every resume, as the guest reads them from PCI config space."""
    expected = EXPECTED_REGISTERS[s3_run.machine]
    regs = numbered_reports(s3_run.result, "s3-regs")
    assert sorted(regs) == list(range(S3_CYCLES + 1)), (
        f"register reports for cycles {sorted(regs)}\n{s3_run.describe()}")
    wrong = []
    for cycle, lines in sorted(regs.items()):
        values = dict(item.split("=", 1) for item in lines[-1].split())
        print(f"{s3_run.machine} cycle {cycle}: {lines[-1]}")
        for name, (mask, value) in expected.items():
            seen = values.get(name, "none")
            if seen == "none" or int(seen, 16) & mask != value:
                wrong.append(f"cycle {cycle} {name}={seen}, expected "
                             f"{value:#x} (mask {mask:#x})")
    assert not wrong, "\n".join(wrong) + "\n" + s3_run.describe()


def mtrr_msrs(s3_run):
    """{cycle: {cpu: {msr: value}}} from the guest's "s3-msrs" lines."""
    table = {}
    for cycle, lines in numbered_reports(s3_run.result, "s3-msrs").items():
        for line in lines:
            cpu, _, values = line.partition(" ")
            if cpu == "none":
                continue
            table.setdefault(cycle, {})[cpu] = dict(
                item.split("=", 1) for item in values.split())
    return table


def test_s3_proc_mtrr(s3_run):
    """/proc/mtrr after every resume is what it was after boot, and the
    BIOS's MTRRs are enabled."""
    mtrrs = numbered_reports(s3_run.result, "s3-proc-mtrr")
    assert 0 in mtrrs, f"no /proc/mtrr in the guest\n{s3_run.describe()}"
    for cycle in range(1, S3_CYCLES + 1):
        assert mtrrs.get(cycle) == mtrrs[0], (
            f"/proc/mtrr after resume {cycle}: {mtrrs.get(cycle)}, after "
            f"boot: {mtrrs[0]}\n{s3_run.describe()}")


def test_s3_ap_mtrrs_match_bsp(s3_run, msr_initramfs):
    """MTRRdefType and the variable and fixed MTRRs of CPU 1 equal CPU 0's
    after every resume (and after boot), read through /dev/cpu/N/msr.

    Linux itself writes its boot-time MTRRs back to every CPU on resume
    (mtrr_bp_restore, then all APs once they are up), so this holds even
    when the BIOS restores nothing (checked against such a build);
    test_s3_mtrrs_restored_by_bios looks before any OS runs."""
    table = mtrr_msrs(s3_run)
    if not table:
        pytest.skip(f"no /dev/cpu/N/msr in the guest ({msr_initramfs.reason};"
                    f" guest: {s3_run.result.reports.get('module')})")
    assert sorted(table) == list(range(S3_CYCLES + 1)), (
        f"MSR reports for cycles {sorted(table)}\n{s3_run.describe()}")
    wrong = []
    for cycle, cpus in sorted(table.items()):
        assert sorted(cpus) == [f"cpu{n}" for n in range(SMP)], (
            f"cycle {cycle}: MSRs of {sorted(cpus)}\n{s3_run.describe()}")
        bsp = cpus["cpu0"]
        if "none" in bsp.values() or not int(bsp[MTRR_DEF_TYPE], 16) \
                & MTRR_ENABLE:
            wrong.append(f"cycle {cycle}: BSP MTRRs unreadable or "
                         f"disabled: {bsp}")
        for cpu, msrs in cpus.items():
            differ = {msr: (value, bsp[msr]) for msr, value in msrs.items()
                      if value != bsp.get(msr)}
            if differ:
                wrong.append(f"cycle {cycle} {cpu} differs from cpu0 "
                             f"(msr: (ap, bsp)): {differ}")
        if cpus != table[0]:
            wrong.append(f"cycle {cycle}: MTRRs differ from after boot")
    assert not wrong, "\n".join(wrong) + "\n" + s3_run.describe()


def check_migrated(run):
    if not qemu.log_checks_enabled():
        pytest.skip("the vmgenid address comes from the BIOS debug log")
    assert run.guid_address is not None, (
        f"no {VMGENID_BLOB} line in the BIOS log\n{run.describe()}")
    assert run.guid_before == guid_bytes(G1), (
        f"G1 is not at VGIA + {VMGENID_GUID_OFFSET} before saving the VM\n"
        f"{run.describe()}")
    assert run.migration.get("status") == "completed", run.describe()
    assert run.incoming_status == "running", run.describe()
    assert run.incoming_guid == G2, run.describe()


def test_s3_vmgenid_after_resume(s3_run):
    """After the last resume QEMU knows the vmgenid address again: a VM
    saved then loaded with vmgenid G2 finds G2 at VGIA + 40."""
    check_migrated(s3_run)
    assert s3_run.guid_after == guid_bytes(G2), (
        f"after loading with {G2}: {s3_run.guid_after.hex()} at "
        f"{s3_run.guid_address:#x}, expected {guid_bytes(G2).hex()}\n"
        f"{s3_run.describe()}")
    replayed = [int(match["value"], 16) for match in re.finditer(
        logformat.RESUME_WRITE_POINTER, s3_run.result.debuglog,
        re.MULTILINE)]
    assert replayed.count(s3_run.guid_address) == S3_CYCLES, (
        f"write pointers replayed: {[hex(v) for v in replayed]}, expected "
        f"{hex(s3_run.guid_address)} on each of {S3_CYCLES} resumes\n"
        f"{s3_run.describe()}")


@pytest.mark.parametrize("machine", MACHINES)
def test_s3_vmgenid_without_replay(bios, kernel, initramfs, accel,
                                   tmp_path, machine):
    """The check above can fail: with the BIOS's WRITE_POINTER replay
    switched off, QEMU has forgotten the address after one resume and the
    loaded VM still holds G1 where G2 would be."""
    run = run_s3(bios, kernel, initramfs, accel, machine, 1, tmp_path,
                 ("-fw_cfg", f"name={NO_REPLAY_KNOB},string=1"))
    assert run.result.reports.get("s3-resumed") == ["1"], run.describe()
    check_migrated(run)
    assert_debuglog(run.result, logformat.RESUME_WAKEUP,
                    logformat.RESUME_NOT_REPLAYED)
    assert run.guid_after != guid_bytes(G2), (
        f"G2 at {run.guid_address:#x} although nothing was replayed\n"
        f"{run.describe()}")
    assert run.guid_after == guid_bytes(G1), run.describe()


@pytest.mark.parametrize("machine", MACHINES)
def test_s3_mtrrs_restored_by_bios(bios, s3payload, accel, tmp_path,
                                   machine):
    """The MTRRs the BIOS restores on resume, seen before any OS runs:
    s3payload ("wake") reads the BSP's at boot and at the BIOS's 32-bit
    waking vector, then has the AP read its own (an NMI into a real-mode
    stub, the AP being halted in the BIOS); all three must be equal, and
    enabled.  QEMU's wakeup reset clears every CPU's MTRRs, so this fails
    when the resume path does not write them back."""
    waker = Waker(limit=1)
    guest = qemu.Guest(bios=bios, accel=accel.name, machine=machine, smp=SMP,
                       memory="64M", kernel=s3payload, append="wake",
                       extra_args=("-global", S3_ENABLE[machine], "-device",
                                   "isa-debug-exit,iobase=0xf4,iosize=4"))
    result = qemu.boot(guest, tmp_path, PAYLOAD_TIMEOUT_SECONDS,
                       watch=waker)
    print(f"accel={accel.name}; {result.elapsed:.1f} s: "
          + " ".join(result.command))
    seen = {(match["when"], match["cpu"]): dict(
        item.split("=") for item in match["msrs"].split())
        for match in PAYLOAD_MSRS.finditer(result.debuglog)}
    for match in PAYLOAD_MSRS.finditer(result.debuglog):
        print(match.group(0))
    assert "S3PAYLOAD ap timeout" not in result.debuglog, (
        f"the AP did not answer the NMI after resume\n{result.describe()}")
    assert sorted(seen) == [("boot", "bsp"), ("wake", "ap"),
                            ("wake", "bsp")], result.describe()
    assert result.returncode == PAYLOAD_EXIT_OK, result.describe()
    boot = seen[("boot", "bsp")]
    assert int(boot[MTRR_DEF_TYPE], 16) & MTRR_ENABLE, (
        f"MTRRs disabled at boot: {boot}\n{result.describe()}")
    wrong = [f"{cpu} after wakeup, msr {msr}: {msrs.get(msr)}, at boot "
             f"{value}" for (_, cpu), msrs in sorted(seen.items())
             for msr, value in boot.items() if msrs.get(msr) != value]
    assert not wrong, "\n".join(wrong) + "\n" + result.describe()
    assert_debuglog(result, logformat.RESUME_WAKEUP,
                    r"^resume: 32-bit waking vector 0x[0-9a-f]+$",
                    r"^S3PAYLOAD wake done$")


@pytest.mark.parametrize("machine", MACHINES)
def test_s3_without_waking_vector(bios, s3payload, accel, tmp_path,
                                  machine):
    """A payload that suspends without setting a waking vector: on wakeup
    the BIOS says so and reboots (no -no-reboot here), and the payload runs
    again after a clean POST."""
    waker = Waker(limit=1)

    def second_suspend(_serial, _debuglog):
        return waker.suspends >= 2

    guest = qemu.Guest(bios=bios, accel=accel.name, machine=machine, smp=SMP,
                       memory="64M", kernel=s3payload, no_reboot=False,
                       extra_args=("-global", S3_ENABLE[machine]))
    result = qemu.boot(guest, tmp_path, PAYLOAD_TIMEOUT_SECONDS,
                       until=second_suspend, watch=waker)
    print(f"accel={accel.name}; {result.elapsed:.1f} s: "
          + " ".join(result.command))
    boots = re.findall(r"^S3PAYLOAD boot cmos-shutdown=(\w+)", result.debuglog,
                       re.MULTILINE)
    assert boots == ["00", "00"], (
        f"payload boots (CMOS shutdown status each saw): {boots}\n"
        f"{result.describe()}")
    assert "S3PAYLOAD still running" not in result.debuglog, (
        result.describe())
    events = [event["event"] for event in result.qmp_events]
    assert events[:4] == ["SUSPEND", "WAKEUP", "RESET", "SUSPEND"], (
        f"QMP events {events}\n{result.describe()}")
    reset = result.events("RESET")[0].get("data", {})
    assert reset.get("guest") is True, result.describe()
    assert_debuglog(result, logformat.BANNER, r"^S3PAYLOAD suspend",
                    logformat.RESUME_WAKEUP,
                    logformat.RESUME_NO_WAKING_VECTOR,
                    logformat.BIOS_REBOOTING, logformat.BANNER,
                    r"^S3PAYLOAD boot", r"^S3PAYLOAD suspend")
    if qemu.log_checks_enabled():
        assert debuglog_count(result, logformat.BANNER) == 2, (
            result.describe())
