"""PCI bus numbering and resource assignment, checked from Linux.

Debian's kernel boots with "reef.pci" on its command line, so the guest's
/init (tests/guest/init.sh) reports every PCI resource Linux sees
("pci-resource BDF INDEX START END FLAGS", from sysfs) and every kernel
line about a resource it could not take as the firmware left it or had to
assign itself ("pci-problem LINE").  Two device sets, one per machine, hold
a bridge with a device behind it, a PCIe root port with a device behind it
(q35), one with QEMU's resource reservation capability and nothing behind
it (q35), a pxb extra root bus with a device, a 1 GiB 64-bit BAR
(ivshmem-plain) and virtio devices.  The tests check that Linux complained
about nothing and moved nothing, that every resource has an address and
none overlap, that each BAR and bridge window is where the BIOS log says
it put it (and the reverse: every BAR Linux sees was assigned by us), and
the placement policy: the big BAR above 4 GiB, reservations honoured;
and that the variable MTRRs Linux found make every memory BAR, below and
above 4 GiB, uncached and leave all RAM write-back.  A
third boot exhausts the windows: a BAR that fits nowhere is logged and
left without decoding, the last hotplug reservations are dropped, the
rest still works.

The BIOS log formats (debugcon) this file matches are below; they belong
with the others in logformat.py once that file is free to edit.
"""

import re

import pytest

from qemu import assert_debuglog, refute_debuglog, log_checks_enabled

CMDLINE = "console=ttyS0 panic=-1 reef.pci"
FOUR_GIB = 1 << 32
GIB = 1 << 30
MIB = 1 << 20
KIB = 1 << 10

# Linux's struct resource flags (include/linux/ioport.h).
IORESOURCE_IO = 0x100
IORESOURCE_MEM = 0x200
IORESOURCE_PREFETCH = 0x2000
IORESOURCE_DISABLED = 0x10000000
IORESOURCE_UNSET = 0x20000000
ROM_INDEX = 6  # /sys/bus/pci/devices/*/resource line of the ROM BAR

# BIOS log: one line per BAR placed, per BAR left out, per bridge.
BDF = r"(?P<bdf>[0-9a-f]{2}:[0-9a-f]{2}\.[0-7])"
BAR_LINE = re.compile(
    rf"^pci: {BDF} (?:bar (?P<bar>[0-5])|rom) (?P<kind>io|mem|pref)"
    r"(?P<bits>64)? 0x(?P<addr>[0-9a-f]+) size 0x(?P<size>[0-9a-f]+)$",
    re.MULTILINE)
UNASSIGNED_LINE = re.compile(
    rf"^pci: {BDF} (?:bar (?P<bar>[0-5])|rom) (?P<kind>\S+) "
    r"size 0x(?P<size>[0-9a-f]+): (?P<why>[^,]+), left unassigned$",
    re.MULTILINE)
BRIDGE_LINE = re.compile(
    rf"^pci: {BDF} bridge buses (?P<secondary>\d+)-(?P<subordinate>\d+)"
    r" io 0x(?P<io>[0-9a-f]+) size 0x(?P<io_size>[0-9a-f]+)"
    r" mem 0x(?P<mem>[0-9a-f]+) size 0x(?P<mem_size>[0-9a-f]+)"
    r" pref 0x(?P<pref>[0-9a-f]+) size 0x(?P<pref_size>[0-9a-f]+)$",
    re.MULTILINE)
SUMMARY_LINE = r"^pci: \d+ resources assigned, {} left unassigned$"

# pc: a PCI bridge (SHPC hotplug) with a device behind it, a 1 GiB 64-bit
# prefetchable BAR, virtio and pci-testdev on bus 0, and a pxb extra root
# at bus 0x40 (QEMU puts a bridge behind it, so the device is on 0x41).
PC_DEVICES = (
    "-device", "pci-bridge,id=br1,chassis_nr=1,bus=pci.0,addr=0x8",
    "-device", "virtio-rng-pci,bus=br1,addr=0x1",
    "-object", "memory-backend-ram,id=shm,size=1G",
    "-device", "ivshmem-plain,memdev=shm,bus=pci.0,addr=0x9",
    "-device", "virtio-rng-pci,bus=pci.0,addr=0xa",
    "-device", "pci-testdev,bus=pci.0,addr=0xb",
    "-device", "pxb,id=pxb1,bus_nr=0x40,bus=pci.0,addr=0xc",
    "-device", "virtio-rng-pci,bus=pxb1,addr=0x3",
)
# q35: a PCIe root port with a device; an empty one whose reservation
# capability asks for 3 more buses, 8 KiB I/O, 8 MiB memory and 1 GiB of
# 64-bit prefetchable space; a PCI bridge with a device; the 1 GiB BAR;
# a pxb-pcie extra root at bus 0x40 with a root port and a device.
Q35_DEVICES = (
    "-device", "pcie-root-port,id=rp1,chassis=1,bus=pcie.0,addr=0x8",
    "-device", "virtio-rng-pci,bus=rp1",
    "-device", "pcie-root-port,id=rp2,chassis=2,bus=pcie.0,addr=0x9,"
               "bus-reserve=3,io-reserve=8K,mem-reserve=8M,"
               "pref64-reserve=1G",
    "-device", "pci-bridge,id=br1,chassis_nr=3,bus=pcie.0,addr=0xa",
    "-device", "virtio-rng-pci,bus=br1,addr=0x1",
    "-object", "memory-backend-ram,id=shm,size=1G",
    "-device", "ivshmem-plain,memdev=shm,bus=pcie.0,addr=0xb",
    "-device", "virtio-rng-pci,bus=pcie.0,addr=0xc",
    "-device", "pxb-pcie,id=pxb1,bus_nr=0x40,bus=pcie.0,addr=0xd",
    "-device", "pcie-root-port,id=rp3,chassis=4,bus=pxb1",
    "-device", "virtio-rng-pci,bus=rp3",
)
DEVICE_SETS = {"pc": PC_DEVICES, "q35": Q35_DEVICES}
IVSHMEM = {"pc": "00:09.0", "q35": "00:0b.0"}  # BAR 2: 1 GiB

# pc, exhausted: a 2 TiB BAR fits no window (40 physical address bits),
# and five hotplug bridges want 4 KiB of I/O each from a 16 KiB window.
EXHAUST_DEVICES = (
    "-device", "pci-testdev,bus=pci.0,addr=0x8,membar=2T",
    *[arg for n in range(5) for arg in (
        "-device", f"pci-bridge,id=b{n},chassis_nr={n + 1},bus=pci.0,"
                   f"addr={n + 9:#x}")],
    "-device", "virtio-rng-pci,bus=b1,addr=0x1",
)
HUGE_BAR_DEVICE = "00:08.0"


# /proc/mtrr: "reg01: base=0x800000000 (32768MB), size= 8192MB, count=1:
# uncachable" (the size in KB below 1 MiB).
MTRR_LINE = re.compile(r"base=0x(?P<base>[0-9a-f]+) .*size=\s*(?P<size>\d+)"
                       r"(?P<unit>[KM])B, count=\d+: (?P<type>\S+)")


def uncached_ranges(result):
    """[start, end) of every variable MTRR Linux reports as uncachable."""
    ranges = []
    for line in result.reports.get("mtrr", []):
        m = MTRR_LINE.search(line)
        assert m, f"unexpected /proc/mtrr line {line!r}"
        if m["type"] == "uncachable":
            size = int(m["size"]) * (KIB if m["unit"] == "K" else MIB)
            ranges.append((int(m["base"], 16), int(m["base"], 16) + size))
    return ranges


class Resource:
    """One line of /sys/bus/pci/devices/BDF/resource."""

    def __init__(self, value):
        bdf, index, start, end, flags = value.split()
        self.bdf = bdf.split(":", 1)[1]  # without the domain
        self.index = int(index)
        self.start, self.end = int(start, 16), int(end, 16)
        self.flags = int(flags, 16)

    @property
    def size(self):
        return self.end - self.start + 1

    @property
    def space(self):
        return "io" if self.flags & IORESOURCE_IO else "mem"

    def __repr__(self):
        return (f"{self.bdf}[{self.index}] {self.start:#x}-{self.end:#x} "
                f"flags {self.flags:#x}")


def resources(result):
    return [Resource(value) for value in result.reports.get("pci-resource",
                                                            [])]


def bridges(result):
    """BIOS log bridge lines by BDF."""
    return {m["bdf"]: m for m in BRIDGE_LINE.finditer(result.debuglog)}


def window(result, bdf, kind):
    """Linux's I/O, memory or prefetchable window of bridge BDF, or None
    (windows follow the ROM in sysfs; their index depends on SR-IOV)."""
    for res in resources(result):
        if res.bdf != bdf or res.index <= ROM_INDEX:
            continue
        if kind == ("io" if res.space == "io" else "pref"
                    if res.flags & IORESOURCE_PREFETCH else "mem"):
            return res
    return None


def boot_set(shared_boot, initramfs, machine, devices):
    result = shared_boot(machine=machine, initrd=initramfs, append=CMDLINE,
                         extra_args=devices)
    assert result.finished, f"guest did not finish\n{result.describe()}"
    assert resources(result), f"no pci-resource reports\n{result.describe()}"
    return result


@pytest.fixture(params=list(DEVICE_SETS))
def device_set(request, shared_boot, initramfs):
    machine = request.param
    return machine, boot_set(shared_boot, initramfs, machine,
                             DEVICE_SETS[machine])


def test_linux_took_everything(device_set):
    """No kernel line about a resource it could not claim or assigned."""
    _, result = device_set
    problems = result.reports.get("pci-problem", [])
    assert not problems, ("Linux fixed or refused our PCI setup:\n"
                          + "\n".join(problems) + "\n" + result.describe())


def test_resources_assigned_and_disjoint(device_set):
    """Every resource has an address; no two BARs overlap."""
    _, result = device_set
    leaves = []
    for res in resources(result):
        assert res.start and not res.flags & (IORESOURCE_UNSET
                                              | IORESOURCE_DISABLED), (
            f"unassigned: {res}\n{result.describe()}")
        if res.index <= ROM_INDEX:
            leaves.append(res)
    leaves.sort(key=lambda res: (res.space, res.start))
    for one, two in zip(leaves, leaves[1:]):
        assert one.space != two.space or one.end < two.start, (
            f"overlap: {one} and {two}\n{result.describe()}")


def test_linux_sees_our_addresses(device_set):
    """Each BAR and bridge window is where our log says, and every BAR
    Linux sees was placed by us (legacy I/O below 0x1000 aside: IDE
    quirks, the SMBus chipset_setup() placed)."""
    _, result = device_set
    if not log_checks_enabled():
        pytest.skip("BIOS debug-log checks disabled")
    placed = {}
    for m in BAR_LINE.finditer(result.debuglog):
        index = ROM_INDEX if m["bar"] is None else int(m["bar"])
        placed[(m["bdf"], index)] = (int(m["addr"], 16), int(m["size"], 16))
    assert placed, f"no BAR lines in the BIOS log\n{result.describe()}"
    seen = {(res.bdf, res.index): res for res in resources(result)
            if res.index <= ROM_INDEX}
    for key, (addr, size) in placed.items():
        res = seen.get(key)
        assert res and (res.start, res.size) == (addr, size), (
            f"{key[0]} BAR {key[1]}: BIOS put {addr:#x} size {size:#x}, "
            f"Linux has {res}\n{result.describe()}")
    for key, res in seen.items():
        if res.space == "io" and res.start < 0x1000:
            continue
        assert key in placed, f"BAR not in the BIOS log: {res}"
    for bdf, m in bridges(result).items():
        for kind in ("io", "mem", "pref"):
            base, size = int(m[kind], 16), int(m[f"{kind}_size"], 16)
            res = window(result, bdf, kind)
            if size:
                assert res and (res.start, res.size) == (base, size), (
                    f"{bdf} {kind} window: BIOS {base:#x} size {size:#x},"
                    f" Linux {res}\n{result.describe()}")
            else:
                assert res is None, f"{bdf} {kind} window: Linux has {res}"


def test_placement_policy(device_set):
    """The 1 GiB 64-bit BAR lives above 4 GiB, small ones below; nothing
    was left out; bridges got hotplug room."""
    machine, result = device_set
    by_key = {(res.bdf, res.index): res for res in resources(result)}
    big = by_key.get((IVSHMEM[machine], 2))
    assert big and big.size == GIB and big.start >= FOUR_GIB, (
        f"ivshmem BAR 2: {big}\n{result.describe()}")
    for res in by_key.values():
        if res.index <= ROM_INDEX and res.size < 256 * MIB:
            assert res.end < FOUR_GIB, f"small BAR above 4 GiB: {res}"
    assert_debuglog(result, SUMMARY_LINE.format(0))
    refute_debuglog(result, r", left unassigned$|reservation dropped")
    if not log_checks_enabled():
        return
    for bdf, m in bridges(result).items():
        # Every bridge here has hotplug (SHPC or a PCIe slot), but the one
        # QEMU puts behind a pxb: 2 MiB of each memory kind at least.
        if bdf.startswith("40:") and machine == "pc":
            continue
        assert int(m["mem_size"], 16) >= 2 * MIB, m.group(0)
        assert int(m["pref_size"], 16) >= 2 * MIB, m.group(0)
        assert int(m["io_size"], 16) >= 4 * KIB, m.group(0)


def test_buses_and_extra_root(device_set):
    """Depth-first bus numbers below the pxb root, which has its own."""
    machine, result = device_set
    assert_debuglog(result, r"^pci: root bus 0: buses 0-\d+,",
                    r"^pci: root bus 64: buses 64-65, 2 functions$")
    buses = {res.bdf.split(":")[0] for res in resources(result)}
    assert "41" in buses, f"nothing behind the pxb root\n{result.describe()}"
    if machine == "q35" and log_checks_enabled():
        # rp2 (00:09.0) reserves 3 buses after its secondary; its
        # capability's windows: 8 KiB I/O, 8 MiB memory, 1 GiB 64-bit.
        m = bridges(result)["00:09.0"]
        assert int(m["subordinate"]) == int(m["secondary"]) + 3, m.group(0)
        assert int(m["io_size"], 16) == 8 * KIB, m.group(0)
        assert int(m["mem_size"], 16) == 8 * MIB, m.group(0)
        assert int(m["pref_size"], 16) == GIB, m.group(0)
        assert int(m["pref"], 16) >= FOUR_GIB, m.group(0)
        rp1 = bridges(result)["00:08.0"]
        assert int(rp1["secondary"]) == 1 and int(rp1["subordinate"]) == 1
        assert int(m["secondary"]) == 2


def test_exhausted_windows(shared_boot, initramfs):
    """What fits nowhere is logged and skipped, the rest still works."""
    result = boot_set(shared_boot, initramfs, "pc", EXHAUST_DEVICES)
    problems = [line for line in result.reports.get("pci-problem", [])
                if HUGE_BAR_DEVICE not in line]
    assert not problems, "\n".join(problems) + "\n" + result.describe()
    for res in resources(result):
        if res.bdf != HUGE_BAR_DEVICE:
            assert res.start and not res.flags & IORESOURCE_UNSET, (
                f"unassigned: {res}\n{result.describe()}")
    assert_debuglog(
        result,
        rf"^pci: {HUGE_BAR_DEVICE} bar 2 pref64 size 0x20000000000: "
        r"no space, left unassigned$",
        rf"^pci: {HUGE_BAR_DEVICE} decoding of memory left off$",
        SUMMARY_LINE.format(1))
    # 5 x 4 KiB of I/O reservations and the devices' own I/O do not fit
    # in 16 KiB: the last bridges lose theirs.
    assert_debuglog(result, r"^pci: 00:0d\.0 hotplug reservation dropped, "
                            r"windows full: io$")
    if log_checks_enabled():
        first = bridges(result)["00:09.0"]
        assert int(first["io_size"], 16) == 4 * KIB, first.group(0)


def test_mtrr_uncached_holes(device_set):
    """Every memory BAR (32- and 64-bit) lies in an uncached MTRR range;
    no RAM does (the default type is write-back)."""
    _, result = device_set
    uncached = uncached_ranges(result)
    assert uncached, f"no uncachable MTRR\n{result.describe()}"
    def covered(start, end):
        return any(low <= start and end <= high for low, high in uncached)
    memory = [res for res in resources(result)
              if res.space == "mem" and res.index <= ROM_INDEX]
    assert any(res.start >= FOUR_GIB for res in memory)
    for res in memory:
        assert covered(res.start, res.end + 1), (
            f"{res} not uncached; uncached MTRRs: "
            + ", ".join(f"{a:#x}-{b - 1:#x}" for a, b in uncached))
    for value in result.reports.get("e820", []):
        start, end, kind = value.split(maxsplit=2)
        if kind != "System RAM":
            continue
        start, end = int(start, 16), int(end, 16) + 1
        for low, high in uncached:
            assert end <= low or high <= start, (
                f"RAM {start:#x}-{end - 1:#x} overlaps uncached MTRR "
                f"{low:#x}-{high - 1:#x}")
