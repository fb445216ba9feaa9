#!/usr/bin/env python3
"""Boot-time benchmark: ReefBIOS vs SeaBIOS vs qboot, reset -> kernel handoff.

Boots tests/payload/tinykernel (out/tests/tinykernel.bzImage) with QEMU's
-kernel/-initrd under every firmware, interleaved round-robin within each
iteration (reefbios, seabios, qboot, reefbios, ...), for each accelerator
(kvm if a probe boot works, and tcg), machine type and initrd scenario, and
prints the median firmware time per firmware.  Python standard library only.

How the time is measured (and why)
----------------------------------
The tiny kernel executes RDTSC as the first instruction of its real-mode setup
code (right after the protocol's 2-byte jump at setup:0x200) and prints the
value on the debugcon port.  What that TSC value is relative to depends on the
accelerator, so every run is anchored explicitly:

* QEMU is started paused (-S) with QMP on an fd-passed socketpair.  Machine
  init (including reading the kernel and initrd into fw_cfg) happens before
  the pause and is not counted.  The harness reads the host TSC (T_cont)
  immediately before it writes {"execute": "cont"}.

* TCG: the guest TSC is QEMU's cpu_get_ticks(): host TSC cycles accumulated
  while the VM is running, counted from 0 at the first vm_start (i.e. our
  `cont`).  So the guest value itself is "host cycles since the VM started"
  (domain "vm").  Verified: the null firmware (below) reads ~0.1-0.2 ms at
  the reset vector while the QEMU process lives for ~35-50 ms.

* KVM: the guest TSC is host TSC + a per-vCPU offset.  QEMU writes TSC=0 at
  machine reset, but the kernel need not apply it literally (KVM treats a
  host write of 0 as a request to keep vCPUs in sync); on the development
  machine (kvm_pvm, a software "KVM" without VMX, kernel 6.18) the guest TSC
  simply equals the host TSC (debugfs tsc-offset 0; guest values fall
  between T_cont and exit).  The harness therefore converts to the host domain: it takes the offset
  from /sys/kernel/debug/kvm/<pid>-*/vcpu0/tsc-offset when debugfs is mounted
  (exact), otherwise it assumes offset 0 if the guest value lies between
  T_cont and the host TSC at exit (domain "host"), and only otherwise falls
  back to treating it as zero-based ("kvm-zero", flagged approximate: the zero
  point is then the vCPU reset during init, so pause time is included).
  Elapsed = guest_tsc_in_host_domain - T_cont.

* Calibration: each iteration also boots tests/payload/nullbios (a 64 KiB
  firmware whose reset vector is RDTSC + print + exit) under the same
  accelerator/machine.  Its elapsed value is the fixed cost between the
  anchor and the first firmware instruction (QMP/main-loop latency, vCPU
  thread wake-up, first TCG translation).  Reported "fw ms" = elapsed -
  median(null elapsed): reset vector -> kernel setup entry.

* Cycles are converted to ms with the host TSC frequency, measured at start
  against CLOCK_MONOTONIC (TCG and KVM guest TSCs both tick at the host TSC
  rate here; no TSC scaling is used by QEMU without tsc-frequency=).

Error bars: the anchor/first-instruction latency (null firmware) is ~0.1-0.2
ms under TCG and ~0.3-0.6 ms under KVM(PVM), with an IQR of ~0.05 / ~0.2 ms
(the calibration table shows it); the subtraction uses its median, so one
run's error from the method is about that spread, well below the firmware
times (5 ms and up).  The 2-byte jump before RDTSC is negligible.  On top of that, TCG firmware time depends on
the host's load (translation is CPU-bound), so compare firmwares only within
one invocation (runs are interleaved for that reason) and read the IQR column.
"wall ms" (QEMU spawn -> exit, including QEMU init and teardown) is printed
for reference only.

The firmware's own debugcon logging is silenced by default: isa-debugcon's
readback value is set to 0, so firmwares that probe port 0x402 for QEMU's
0xe9 readback (SeaBIOS and ReefBIOS do) think no debug console is present.
Each logged byte is a port exit: SeaBIOS's ~2.5 KB log costs ~18 ms under
TCG and ~1.2 s under PVM.  Use --fw-log to keep it.

Guest RAM is allocated before the clock starts (-mem-prealloc) unless
--no-prealloc is given.  Otherwise the host populates it on first touch,
inside the measured window: the 64 MiB initrd's DMA then took 35 to over
150 ms under KVM on the development machine, for every firmware and at
random (IQR 35..110 ms in 7 runs), against 27..28 ms with the memory
allocated beforehand.  That is the host's cost, not the firmware's.

Correctness: the kernel command line carries "tk.sum" (every word) or
"tk.sum.page" (one word per 4 KiB page), so the tiny kernel checksums the
initrd it was handed; runs whose checksum or size differ from the file are
counted as failures and excluded.  --verify auto (default) uses the full sum
under TCG and the per-page sample under KVM, where some hypervisors (PVM,
or VMX without unrestricted guest) emulate real mode instruction by
instruction and a full 64 MiB sum takes ~25 s.  This only costs wall time:
the timestamp is taken before.
"""

import argparse
import ctypes
import glob
import json
import mmap
import os
import platform
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from array import array
from operator import mul

SEABIOS = "/usr/share/seabios/bios-256k.bin"
QBOOT = "/usr/share/qemu/qboot.rom"
EXIT_STATUS_OK = 33          # tiny kernel / nullbios write 0x10 to port 0xf4
SCENARIOS = {                # name -> initrd size in bytes (0 = no initrd)
    "none": 0,
    "small": 1 << 20,
    "large": 64 << 20,
}


# ----------------------------------------------------------------------------
# host TSC


class HostTSC:
    """RDTSC from Python: 10 bytes of x86-64 machine code in an executable
    anonymous mapping, called through ctypes."""

    CODE = bytes([
        0x0f, 0x31,                     # rdtsc
        0x48, 0xc1, 0xe2, 0x20,         # shl $32, %rdx
        0x48, 0x09, 0xd0,               # or %rdx, %rax
        0xc3,                           # ret
    ])

    def __init__(self):
        if platform.machine() not in ("x86_64", "AMD64"):
            raise RuntimeError("host is not x86-64; cannot read the TSC")
        self._buf = mmap.mmap(-1, mmap.PAGESIZE,
                              prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
        self._buf.write(self.CODE)
        addr = ctypes.addressof(ctypes.c_char.from_buffer(self._buf))
        self.read = ctypes.CFUNCTYPE(ctypes.c_uint64)(addr)
        self.hz = None

    def calibrate(self, seconds=0.3):
        samples = []
        for _ in range(3):
            n0 = time.perf_counter_ns(); t0 = self.read()
            time.sleep(seconds / 3)
            t1 = self.read(); n1 = time.perf_counter_ns()
            samples.append((t1 - t0) * 1e9 / (n1 - n0))
        self.hz = statistics.median(samples)
        return self.hz

    def ms(self, cycles):
        return cycles * 1e3 / self.hz


# ----------------------------------------------------------------------------
# initrd images and the tiny kernel's checksum


def fletcher32x32(data, stride=4):
    """Same as the tiny kernel's initrd_sum: over the little-endian 32-bit
    words w[0..n-1] at byte offsets 0, stride, 2*stride, ... (each wholly
    inside data), a = sum w, b = sum of the running a after each word =
    sum (n - i) * w[i], both mod 2^32."""
    words = array("I")
    if words.itemsize != 4:
        words = array("L")
    if stride == 4:
        words.frombytes(data[: len(data) // 4 * 4])
    else:
        words.frombytes(b"".join(data[o:o + 4] for o in range(0, len(data) - 3, stride)))
    if sys.byteorder != "little":
        words.byteswap()
    n = len(words)
    total = sum(words)
    weighted = sum(map(mul, range(n), words))
    return total & 0xffffffff, (n * total - weighted) & 0xffffffff


def make_initrd(path, size):
    """Deterministic pseudo-random initrd of `size` bytes (reused if present);
    returns {stride: expected tiny-kernel checksum}."""
    data = None
    if os.path.exists(path) and os.path.getsize(path) == size:
        with open(path, "rb") as f:
            data = f.read()
    else:
        data = random.Random(0x7eefb105 ^ size).randbytes(size)
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        tmp = path + ".tmp"
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    return {4: fletcher32x32(data, 4), 4096: fletcher32x32(data, 4096)}


# ----------------------------------------------------------------------------
# one QEMU run


class RunResult(dict):
    """Plain dict (JSON-friendly) with attribute access."""
    __getattr__ = dict.get


def _qmp_read(f):
    """Read one QMP message (events included); None on EOF.  The socket's
    timeout bounds the wait."""
    line = f.readline()
    if not line:
        return None
    return json.loads(line)


def _qmp_command(sock, f, cmd):
    sock.sendall(json.dumps({"execute": cmd}).encode() + b"\n")
    while True:
        msg = _qmp_read(f)
        if msg is None:
            raise RuntimeError("QMP closed while waiting for %s" % cmd)
        if "return" in msg:
            return msg["return"]
        if "error" in msg:
            raise RuntimeError("QMP %s failed: %s" % (cmd, msg["error"]))


def _kvm_tsc_offset(pid):
    """Per-vCPU TSC offset from KVM's debugfs, or None if not readable."""
    for path in glob.glob("/sys/kernel/debug/kvm/%d-*/vcpu0/tsc-offset" % pid):
        try:
            with open(path) as f:
                return int(f.read().strip())
        except (OSError, ValueError):
            return None
    return None


def verify_mode(args, accel):
    """initrd checksum stride for this accelerator, or None for no check."""
    if args.verify == "none":
        return None
    if args.verify == "auto":
        return 4 if accel == "tcg" else 4096
    return 4 if args.verify == "full" else 4096


def kernel_append(args, accel):
    stride = verify_mode(args, accel)
    return "tk.bench" + {None: "", 4: " tk.sum", 4096: " tk.sum.page"}[stride]


def qemu_run(args, tsc, workdir, firmware, accel, machine, kernel=None,
             initrd=None, append=None, marker="TINYKERNEL"):
    """Boot once; return a RunResult with ok/elapsed_ms/etc."""
    res = RunResult(firmware=firmware, accel=accel, machine=machine, ok=False)
    dcon = os.path.join(workdir, "debugcon.txt")
    errf = os.path.join(workdir, "stderr.txt")
    if os.path.exists(dcon):
        os.unlink(dcon)
    ours, theirs = socket.socketpair()
    cmd = [args.qemu, "-S", "-no-user-config", "-nodefaults", "-nographic",
           "-no-reboot", "-machine", "%s,accel=%s" % (machine, accel),
           "-m", str(args.memory), "-smp", "1", "-bios", firmware,
           "-chardev", "socket,id=qmp,fd=%d" % theirs.fileno(),
           "-mon", "chardev=qmp,mode=control",
           "-debugcon", "file:" + dcon,
           "-global", "isa-debugcon.iobase=0x402",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
    if not args.fw_log:
        cmd += ["-global", "isa-debugcon.readback=0"]
    if args.prealloc:
        cmd += ["-mem-prealloc"]
    if kernel:
        cmd += ["-kernel", kernel]
        if initrd:
            cmd += ["-initrd", initrd]
        if append is not None:
            cmd += ["-append", append]
    cmd += args.qemu_arg
    res.cmd = cmd
    w0 = time.perf_counter_ns()
    t_spawn = tsc.read()
    with open(errf, "wb") as err:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=err,
                                stderr=err, pass_fds=[theirs.fileno()])
    theirs.close()
    t_cont = None
    offset = None
    try:
        ours.settimeout(args.timeout)
        f = ours.makefile("rb", buffering=0)
        greeting = _qmp_read(f)
        if not greeting or "QMP" not in greeting:
            raise RuntimeError("no QMP greeting")
        _qmp_command(ours, f, "qmp_capabilities")
        if accel == "kvm":
            offset = _kvm_tsc_offset(proc.pid)
        t_cont = tsc.read()
        # the guest may exit before QEMU answers: do not wait for the reply
        ours.sendall(b'{"execute": "cont"}\n')
        status = proc.wait(timeout=args.timeout)
    except (subprocess.TimeoutExpired, socket.timeout):
        proc.kill()
        proc.wait()
        res.error = "timeout: no exit within %g s (hang?)" % args.timeout
        status = proc.returncode
    except (OSError, RuntimeError, ValueError) as e:
        proc.kill()
        proc.wait()
        res.error = "%s: %s" % (type(e).__name__, e)
        status = proc.returncode
    finally:
        ours.close()
    t_exit = tsc.read()
    res.wall_ms = (time.perf_counter_ns() - w0) / 1e6
    res.status = status
    try:
        with open(dcon, "rb") as fh:
            out = fh.read().decode("latin-1")
    except OSError:
        out = ""
    try:
        with open(errf, "rb") as fh:
            res.stderr = fh.read().decode("latin-1")[-2000:]
    except OSError:
        res.stderr = ""
    res.debugcon_tail = out[-1500:]
    if res.error:
        return res
    if status != EXIT_STATUS_OK:
        res.error = "QEMU exit status %s (expected %d)" % (status, EXIT_STATUS_OK)
        return res
    m = re.search(marker + r" tsc=([0-9a-f]{16})([^\n]*)", out)
    if not m:
        res.error = "no '%s tsc=' line on debugcon" % marker
        return res
    guest = int(m.group(1), 16)
    fields = dict(kv.split("=", 1) for kv in m.group(2).split() if "=" in kv)
    res.fields = fields
    res.guest_tsc = guest
    # which clock is the guest TSC on? (see module docstring)
    if accel == "tcg":
        res.domain = "vm"
        elapsed = guest
    elif offset is not None:
        res.domain = "host(debugfs)"
        elapsed = guest - offset - t_cont
    elif t_cont <= guest <= t_exit:
        res.domain = "host"
        elapsed = guest - t_cont
    else:
        res.domain = "kvm-zero(approx)"
        elapsed = guest
    res.elapsed_ms = tsc.ms(elapsed)
    # sanity: the entry must lie inside cont..exit (spawn..exit if the zero
    # point of the guest TSC is the vCPU reset during QEMU init)
    bound = t_exit - (t_spawn if res.domain.startswith("kvm-zero") else t_cont)
    if not 0 <= elapsed <= bound:
        res.error = ("guest TSC %#x is outside [cont, exit] in domain %s: the "
                     "timing assumptions do not hold here" % (guest, res.domain))
        return res
    if marker == "TINYKERNEL":
        if m.group(0).find("entry=setup16") < 0:
            res.error = "kernel entered via %s, not the 16-bit setup" % fields.get("entry")
            return res
        stride = verify_mode(args, accel)
        if stride and initrd is not None:
            want_size, sums = args.expected[initrd]
            want_sum = sums[stride]
            got_size = int(fields.get("initrd_size", "0"), 16)
            ms = re.search(r"TINYKERNEL initrd_sum=([0-9a-f]{8}),([0-9a-f]{8}) "
                           r"stride=([0-9a-f]{8})", out)
            got_sum = (int(ms.group(1), 16), int(ms.group(2), 16)) \
                if ms and int(ms.group(3), 16) == stride else None
            if got_size != want_size:
                res.error = "initrd_size %#x, expected %#x" % (got_size, want_size)
                return res
            if got_sum != want_sum:
                res.error = "initrd checksum %s, expected %08x,%08x" % (
                    "%08x,%08x" % got_sum if got_sum else "missing", *want_sum)
                return res
    res.ok = True
    return res


# ----------------------------------------------------------------------------
# statistics / report


def host_load():
    try:
        with open("/proc/loadavg") as f:
            return float(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def quartiles(xs):
    if len(xs) < 2:
        return (xs[0], xs[0]) if xs else (None, None)
    q = statistics.quantiles(xs, n=4, method="inclusive")
    return q[0], q[2]


def fmt(x, nd=2):
    return "-" if x is None else ("%.*f" % (nd, x))


def print_table(headers, rows, out=sys.stdout):
    widths = [max(len(str(h)), *(len(str(r[i])) for r in rows)) if rows else len(h)
              for i, h in enumerate(headers)]
    line = "  ".join(str(h).ljust(w) for h, w in zip(headers, widths))
    print(line, file=out)
    print("  ".join("-" * w for w in widths), file=out)
    for r in rows:
        print("  ".join(str(c).rjust(w) if i >= 4 else str(c).ljust(w)
                        for i, (c, w) in enumerate(zip(r, widths))), file=out)


# ----------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(
        description="Benchmark firmware time from reset to Linux kernel handoff.",
        epilog="See the module docstring (head of this file) for the timing method.")
    ap.add_argument("--bios", default="out/bios.bin", help="ReefBIOS image (default %(default)s)")
    ap.add_argument("--seabios", default=SEABIOS)
    ap.add_argument("--qboot", default=QBOOT)
    ap.add_argument("--extra", action="append", default=[], metavar="NAME=PATH",
                    help="benchmark another firmware image too (repeatable)")
    ap.add_argument("--kernel", default="out/tests/tinykernel.bzImage")
    ap.add_argument("--nullbios", default="out/tests/nullbios.bin",
                    help="calibration firmware; 'none' to skip calibration")
    ap.add_argument("--iterations", "-n", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=1, help="discarded rounds first (default 1)")
    ap.add_argument("--accel", default="kvm,tcg", help="comma list (default %(default)s)")
    ap.add_argument("--machines", default="pc", help="comma list, e.g. pc,q35 (default pc)")
    ap.add_argument("--scenarios", default="small,large",
                    help="comma list of %s (default %%(default)s)" % ",".join(SCENARIOS))
    ap.add_argument("--memory", "-m", type=int, default=512, help="guest MiB (default 512)")
    ap.add_argument("--qemu", default="qemu-system-x86_64")
    ap.add_argument("--qemu-arg", action="append", default=[],
                    help="extra QEMU argument (repeatable)")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds per boot")
    ap.add_argument("--workdir", default="out/tests/bench",
                    help="initrd images are kept here (default %(default)s)")
    ap.add_argument("--no-prealloc", dest="prealloc", action="store_false",
                    help="leave guest RAM to be populated on first touch, inside"
                    " the measured time (see docstring)")
    ap.add_argument("--fw-log", action="store_true",
                    help="let firmwares log to debugcon (slower; see docstring)")
    ap.add_argument("--verify", choices=["auto", "full", "page", "none"], default="auto",
                    help="in-guest initrd checksum: every word, one per page, or "
                    "none; auto = full under tcg, page under kvm")
    ap.add_argument("--json", help="write every run and the summary here")
    ap.add_argument("--verbose", "-v", action="store_true")
    args = ap.parse_args()

    if shutil.which(args.qemu) is None:
        sys.exit("bench: %s not found" % args.qemu)
    if not os.path.exists(args.kernel):
        sys.exit("bench: %s missing (make out/tests/tinykernel.bzImage)" % args.kernel)

    notes = []
    firmwares = []
    for name, path in [("reefbios", args.bios), ("seabios", args.seabios),
                       ("qboot", args.qboot)] + [tuple(e.split("=", 1)) for e in args.extra]:
        if os.path.isfile(path):
            firmwares.append((name, os.path.abspath(path)))
        else:
            notes.append("%s: %s not found, skipped" % (name, path))
    have_reef = any(n == "reefbios" for n, _ in firmwares)
    if not firmwares:
        sys.exit("bench: no firmware images found")

    null = None
    if args.nullbios != "none":
        if os.path.isfile(args.nullbios):
            null = os.path.abspath(args.nullbios)
        else:
            notes.append("nullbios %s not found: no calibration, fw ms = raw elapsed"
                         % args.nullbios)

    scenarios = [s for s in args.scenarios.split(",") if s]
    for s in scenarios:
        if s not in SCENARIOS:
            sys.exit("bench: unknown scenario %r" % s)
    machines = [m for m in args.machines.split(",") if m]

    tsc = HostTSC()
    hz = tsc.calibrate()
    load0 = host_load()
    print("bench: host TSC %.1f MHz, %d iteration(s) + %d warm-up, qemu %s, "
          "load %s on %d cpu(s), guest RAM %s" % (
              hz / 1e6, args.iterations, args.warmup, args.qemu, fmt(load0),
              os.cpu_count() or 0,
              "preallocated" if args.prealloc else "populated on first touch"),
          flush=True)

    os.makedirs(args.workdir, exist_ok=True)
    args.expected = {}
    initrds = {}
    for s in scenarios:
        size = SCENARIOS[s]
        if size:
            path = os.path.abspath(os.path.join(args.workdir, "initrd-%s.img" % s))
            sums = make_initrd(path, size)
            initrds[s] = path
            args.expected[path] = (size, sums)
        else:
            initrds[s] = None
    kernel = os.path.abspath(args.kernel)

    tmp = tempfile.TemporaryDirectory(prefix="reefbench.")
    work = tmp.name

    # accelerators: probe kvm with a real tiny-kernel boot
    accels = []
    for a in [x for x in args.accel.split(",") if x]:
        if a == "kvm":
            if not os.access("/dev/kvm", os.R_OK | os.W_OK):
                notes.append("kvm: /dev/kvm not accessible, skipped")
                continue
            probe_fw = next((p for n, p in firmwares if n != "reefbios"), firmwares[0][1])
            r = qemu_run(args, tsc, work, probe_fw, "kvm", machines[0], kernel,
                         None, kernel_append(args, "kvm"))
            if not r.ok:
                notes.append("kvm: probe boot failed (%s), skipped" % r.error)
                continue
        accels.append(a)
    if not accels:
        sys.exit("bench: no usable accelerator\n" + "\n".join(notes))

    runs = []
    failures = []
    total_rounds = args.warmup + args.iterations
    t_start = time.time()
    for it in range(total_rounds):
        warm = it < args.warmup
        for accel in accels:
            for machine in machines:
                if null:
                    r = qemu_run(args, tsc, work, null, accel, machine, marker="NULLBIOS")
                    r.update(name="null", scenario="-", iteration=it, warmup=warm)
                    runs.append(r)
                    if not r.ok:
                        failures.append(r)
                for s in scenarios:
                    for name, path in firmwares:
                        r = qemu_run(args, tsc, work, path, accel, machine, kernel,
                                     initrds[s], kernel_append(args, accel))
                        r.update(name=name, scenario=s, iteration=it, warmup=warm)
                        runs.append(r)
                        if not r.ok:
                            failures.append(r)
                        if args.verbose:
                            print("  %s%d %s %s %s %s: %s" % (
                                "w" if warm else "#", it, accel, machine, s, name,
                                fmt(r.elapsed_ms, 3) + " ms" if r.ok else "FAIL " + r.error),
                                flush=True)
        if not args.verbose:
            print("bench: round %d/%d done (%.0f s)" % (it + 1, total_rounds,
                                                      time.time() - t_start), flush=True)

    measured = [r for r in runs if not r.warmup]
    load1 = host_load()
    ncpu = os.cpu_count() or 1
    busy = max(x for x in (load0, load1, 0.0) if x is not None)
    if busy > max(ncpu - 1, 0.5) + 0.5:
        notes.append("host load average was %s..%s on %d cpu(s): other work competes "
                     "with QEMU; absolute TCG times are inflated and noisy, compare "
                     "ratios within this run only" % (fmt(load0), fmt(load1), ncpu))

    # calibration: null firmware reset-vector latency per accel/machine
    calib = {}
    cal_rows = []
    for accel in accels:
        for machine in machines:
            xs = [r.elapsed_ms for r in measured
                  if r.name == "null" and r.ok and r.accel == accel and r.machine == machine]
            doms = sorted({r.domain for r in measured
                           if r.ok and r.accel == accel and r.machine == machine})
            med = statistics.median(xs) if xs else 0.0
            calib[(accel, machine)] = med
            q1, q3 = quartiles(xs)
            cal_rows.append([machine, accel, ",".join(doms) or "-",
                             "%d" % len(xs), fmt(med if xs else None, 3),
                             "%s..%s" % (fmt(q1, 3), fmt(q3, 3)) if xs else "-"])

    rows = []
    summary = []
    for s in scenarios:
        for machine in machines:
            for accel in accels:
                meds = {}
                stats = {}
                for name, _ in firmwares:
                    sel = [r for r in measured if r.name == name and r.scenario == s
                           and r.accel == accel and r.machine == machine]
                    good = [r for r in sel if r.ok]
                    fw = [r.elapsed_ms - calib[(accel, machine)] for r in good]
                    raw = [r.elapsed_ms for r in good]
                    wall = [r.wall_ms for r in good]
                    med = statistics.median(fw) if fw else None
                    meds[name] = med
                    stats[name] = (fw, raw, wall, len(good), len(sel))
                reef = meds.get("reefbios")
                for name, _ in firmwares:
                    fw, raw, wall, ngood, nall = stats[name]
                    med = meds[name]
                    q1, q3 = quartiles(fw) if fw else (None, None)
                    ratio = (med / reef) if (med is not None and reef) else None
                    rows.append([s, machine, accel, name, fmt(med),
                                 "%s..%s" % (fmt(q1), fmt(q3)) if fw else "-",
                                 fmt(ratio) if ratio is not None else "n/a",
                                 fmt(statistics.median(raw) if raw else None),
                                 fmt(statistics.median(wall) if wall else None, 0),
                                 "%d/%d" % (ngood, nall)])
                    summary.append(dict(scenario=s, machine=machine, accel=accel,
                                        firmware=name, fw_ms_median=med,
                                        fw_ms_q1=q1, fw_ms_q3=q3, ratio_vs_reefbios=ratio,
                                        ok=ngood, runs=nall))

    print()
    print("Calibration (null firmware: anchor -> first instruction at the reset vector)")
    print_table(["machine", "accel", "tsc domain", "n", "median ms", "IQR ms"], cal_rows)
    print()
    print("Firmware time, reset vector -> kernel setup entry "
          "(median of %d; 'x reef' = median / reefbios median)" % args.iterations)
    print_table(["scenario", "machine", "accel", "firmware", "fw ms", "IQR ms",
                 "x reef", "entry ms", "wall ms", "ok"], rows)
    if not have_reef:
        notes.append("ReefBIOS image missing (--bios %s): no reefbios rows, ratios n/a"
                     % args.bios)
    for n in notes:
        print("note: " + n)
    if failures:
        print()
        print("FAILED runs: %d (warm-up included)" % len(failures))
        groups = {}
        for r in failures:
            groups.setdefault((r.name, r.scenario, r.machine, r.accel), []).append(r)
        for (name, scen, machine, accel), rs in groups.items():
            r = rs[0]
            print("  %s %s %s %s: %d run(s), first: %s" % (name, scen, machine, accel,
                                                        len(rs), r.error))
            for t in (r.debugcon_tail or "").strip().splitlines()[-4:]:
                print("      debugcon| " + t[:160])
            for t in (r.stderr or "").strip().splitlines()[-2:]:
                print("      stderr  | " + t[:160])
        print("  (rerun one by hand: --json FILE records each run's QEMU command line)")

    if args.json:
        with open(args.json, "w") as f:
            json.dump(dict(tsc_hz=hz, calibration_ms={"%s/%s" % k: v for k, v in calib.items()},
                           summary=summary, notes=notes,
                           runs=runs),
                      f, indent=1)
    tmp.cleanup()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
