#!/usr/bin/env python3
"""Count the guest instructions a boot translates and executes, per function.

Boots QEMU under TCG with -d in_asm,exec,nochain (every translated block is
logged once when it is translated, and every execution of a block is logged
because chaining is off), then attributes both counts to the symbols of the
firmware's ELF file:

  translated  distinct guest instructions TCG had to translate, and the
              blocks they form: what a TCG boot pays for (POST's code
              costs about 1 us per translated instruction, its share of
              blocks included, on the development machine)
  executed    instructions run, a rep-prefixed string instruction counting
              once per element: what a hypervisor that emulates real mode and
              unpaged code pays for (about 0.2 us each there)

Addresses below the firmware window (the test kernel, option ROMs) are
counted under "(low)".  With CONFIG_LTO, code gcc inlined into a caller
counts for the caller (and its file); build without LTO to count each
source function on its own.  Standard library only.

  scripts/insncount.py                       # out/bios.bin, pc, by function
  scripts/insncount.py --machine q35 --by-file --top 30
  scripts/insncount.py --callers memcpy,memset   # who calls them, and cost
"""

import argparse
import bisect
import collections
import glob
import os
import re
import subprocess
import sys
import tempfile

RE_INSN = re.compile(r"^0x([0-9a-f]+):")
RE_EXEC = re.compile(r"^Trace \d+: 0x[0-9a-f]+ \[[0-9a-f]+/([0-9a-f]+)/")
WINDOW_LOW = 0xe0000


class Symbols:
    """Function symbols of the ELF file, for address -> name."""

    def __init__(self, elf):
        out = subprocess.run(["nm", "-n", elf], capture_output=True,
                             text=True, check=True).stdout
        self.addrs, self.names = [], []
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[1] in "tTwW":
                self.addrs.append(int(parts[0], 16))
                self.names.append(parts[2])

    def name(self, addr):
        if addr < WINDOW_LOW:
            return "(low)"
        i = bisect.bisect_right(self.addrs, addr) - 1
        return self.names[i] if i >= 0 else "(unknown)"

    def start(self, name):
        return self.addrs[self.names.index(name)]


RE_C_DEFINITION = re.compile(r"^(\w+)\(", re.M)


SRCDIR = os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))), "src")


def file_of_symbols(objdir, srcdir=SRCDIR):
    """symbol -> source file (without src/ and its suffix): from every
    object's code symbols, then from the C files, where a definition
    starts its line with the function's name. The second finds static
    functions that LTO kept but the objects' own code inlined."""
    owner = {}
    for obj in sorted(glob.glob(os.path.join(objdir, "**", "*.o"),
                                recursive=True)):
        out = subprocess.run(["nm", obj], capture_output=True, text=True,
                             check=True).stdout
        rel = os.path.relpath(obj, objdir)[:-2]
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[1] in "tT":
                owner.setdefault(parts[2], rel)
    for path in sorted(glob.glob(os.path.join(srcdir, "**", "*.[ch]"),
                                 recursive=True)):
        rel = os.path.relpath(path, srcdir)[:-2]
        with open(path) as f:
            for name in RE_C_DEFINITION.findall(f.read()):
                owner.setdefault(name, rel)
    return owner


def run_qemu(args, log):
    cmd = [args.qemu, "-no-user-config", "-nodefaults", "-display", "none",
           "-m", str(args.memory), "-smp", "1", "-accel", "tcg",
           "-M", args.machine, "-bios", args.bios,
           "-device", "isa-debugcon,iobase=0x402,chardev=dc,readback=0",
           "-chardev", "null,id=dc",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=4",
           "-d", "in_asm,exec,nochain", "-D", log]
    if args.kernel:
        cmd += ["-kernel", args.kernel, "-append", ""]
    if args.initrd:
        cmd += ["-initrd", args.initrd]
    try:
        proc = subprocess.run(cmd, timeout=args.timeout,
                              stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
        return proc.returncode, proc.stderr
    except subprocess.TimeoutExpired:
        return None, "timeout after %g s" % args.timeout


def parse(log, syms, callers):
    """Per-symbol translated and executed counts, and for each function in
    callers: calls and executed instructions per calling function."""
    translated = collections.Counter()
    blocks = collections.Counter()
    executed = collections.Counter()
    block_size = {}
    calls = collections.Counter()
    call_cost = collections.Counter()
    starts = {}
    for name in callers:
        try:
            starts[syms.start(name)] = name
        except ValueError:
            sys.exit("insncount: no symbol %s" % name)
    first = None
    count = 0
    in_block = False
    prev = None
    current = None  # (callee, caller) being charged
    with open(log, errors="replace") as f:
        for line in f:
            if line.startswith("IN:"):
                in_block, first, count = True, None, 0
                continue
            if in_block:
                m = RE_INSN.match(line)
                if m:
                    addr = int(m.group(1), 16)
                    if first is None:
                        first = addr
                    translated[syms.name(addr)] += 1
                    count += 1
                elif not line.strip():
                    if first is not None:
                        block_size[first] = count
                        blocks[syms.name(first)] += 1
                    in_block = False
                continue
            m = RE_EXEC.match(line)
            if not m:
                continue
            addr = int(m.group(1), 16)
            name = syms.name(addr)
            n = block_size.get(addr, 0)
            executed[name] += n
            if addr in starts and prev is not None \
                    and syms.name(prev) != name:
                current = (name, syms.name(prev))
                calls[current] += 1
            if current and current[0] == name:
                call_cost[current] += n
            prev = addr
    return translated, blocks, executed, calls, call_cost


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bios", default="out/bios.bin")
    ap.add_argument("--elf", default=None,
                    help="symbols (default: rom.elf next to --bios)")
    ap.add_argument("--kernel", default="out/tests/tinykernel.bzImage",
                    help="-kernel image; '' for none (default %(default)s)")
    ap.add_argument("--initrd", default=None)
    ap.add_argument("--machine", default="pc")
    ap.add_argument("--memory", type=int, default=256)
    ap.add_argument("--qemu", default="qemu-system-x86_64")
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--top", type=int, default=40,
                    help="rows to print (default %(default)s)")
    ap.add_argument("--sort", choices=["translated", "executed"],
                    default="translated")
    ap.add_argument("--by-file", action="store_true",
                    help="sum by source file")
    ap.add_argument("--callers", default="",
                    help="comma list of functions: calls and cost by caller")
    ap.add_argument("--keep-log", help="copy the QEMU log here")
    args = ap.parse_args()

    elf = args.elf or os.path.join(os.path.dirname(args.bios) or ".",
                                   "rom.elf")
    syms = Symbols(elf)
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "exec.log")
        status, err = run_qemu(args, log)
        if args.keep_log:
            subprocess.run(["cp", log, args.keep_log], check=True)
        callers = [c for c in args.callers.split(",") if c]
        translated, blocks, executed, calls, call_cost = parse(log, syms,
                                                               callers)
    # The test kernel writes 0x10 to the exit port: QEMU status 33.
    print("qemu status %s%s" % (status, "" if status == 33 else
                               " (the kernel was not reached: %s)"
                               % err.strip()[-200:]))
    print("translated %d in %d blocks, executed %d guest instructions"
          " (all code)" % (sum(translated.values()), sum(blocks.values()),
                           sum(executed.values())))
    if args.by_file:
        owner = file_of_symbols(os.path.join(os.path.dirname(elf), "src"))
        by_t, by_b, by_e = (collections.Counter(), collections.Counter(),
                            collections.Counter())
        for name in set(translated) | set(executed):
            key = owner.get(name) or owner.get(name.split(".")[0], name)
            by_t[key] += translated[name]
            by_b[key] += blocks[name]
            by_e[key] += executed[name]
        translated, blocks, executed = by_t, by_b, by_e
    order = translated if args.sort == "translated" else executed
    print("%10s %6s %10s  %s" % ("translated", "blocks", "executed",
                                 "file" if args.by_file else "function"))
    for name, _ in order.most_common(args.top):
        print("%10d %6d %10d  %s" % (translated[name], blocks[name],
                                     executed[name], name))
    if callers:
        print("\n%6s %10s  %s" % ("calls", "executed", "callee <- caller"))
        for (callee, caller), n in calls.most_common():
            print("%6d %10d  %s <- %s" % (n, call_cost[(callee, caller)],
                                          callee, caller))
    return 0 if status == 33 else 1


if __name__ == "__main__":
    sys.exit(main())
