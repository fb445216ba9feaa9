"""Issue 5 differential test: what Linux sees under ReefBIOS and under the
installed SeaBIOS (/usr/share/seabios/bios-256k.bin, the `seabios`
fixture), on the same QEMU command line.

One Linux boot per firmware and machine (pc, q35), four in all, each about
8 s under TCG: 4 CPUs online of 8 possible, 5 GiB of RAM (so RAM above
4 GiB), and test_pci.py's device set for the machine (a PCI bridge with a
device behind it; on q35 PCIe root ports, one with a device, one with
QEMU's resource reservation capability; a 1 GiB 64-bit BAR, ivshmem; virtio;
a pxb extra root bus with a device).  "reef.pci" makes the guest report
every PCI resource.  Compared, with the differences listed on failure:

- CPUs online and possible: equal (and what -smp asked for).
- MemTotal: equal within memtotal_tolerance() (the firmwares' private zones
  at the top of low RAM), and the difference is what e820 accounts for.
- e820 (/sys/firmware/memmap): the same sequence of (type, start, end)
  after normalise_e820(), which abstracts only what is firmware-private.
- PCI functions: the same (BDF, vendor:device, header type, class), from
  the kernel's enumeration lines on the console ("pci 0000:00:08.0:
  [1b36:000c] type 01 class 0x060400").
- PCI resources: per function, the same sysfs resource indices assigned
  (non-empty, with an address, not IORESOURCE_UNSET/DISABLED), of the same
  kind (I/O, memory, prefetchable, 64-bit).  Addresses and window sizes
  are placement policy and may differ; SEABIOS_UNASSIGNED lists what
  SeaBIOS leaves out by design and ReefBIOS assigns.
"""

import difflib
import re
from dataclasses import dataclass

import pytest

import qemu
from test_pci import CMDLINE as PCI_CMDLINE
from test_pci import (DEVICE_SETS, IORESOURCE_DISABLED, IORESOURCE_IO,
                      IORESOURCE_MEM, IORESOURCE_PREFETCH, IORESOURCE_UNSET,
                      resources)

MACHINES = ("pc", "q35")
SMP = "4,maxcpus=8"
ONLINE_CPUS, POSSIBLE_CPUS = "4", "0-7"
MEMORY = "5G"
# nokaslr: with KASLR the kernel's own share of RAM (page tables around its
# randomly placed image) varies by a few pages from boot to boot, which
# would blur the MemTotal comparison; no firmware fact depends on it.
CMDLINE = PCI_CMDLINE + " nokaslr"
BOOT_TIMEOUT_SECONDS = 120
FIRMWARES = ("reefbios", "seabios")

KIB = 1024
MIB = 1 << 20
PAGE = 4 * KIB
RAM = "System RAM"
ZONE = "firmware zone"
IORESOURCE_MEM_64 = 0x00100000  # include/linux/ioport.h

# -- e820 ----------------------------------------------------------------
#
# What each firmware does with the RAM QEMU gives it, and so what may
# legitimately differ:
#
# * Below 1 MiB: RAM from 0 up to the EBDA, then the legacy area (EBDA,
#   VGA hole, option ROM space, BIOS).  How a firmware splits the legacy
#   area into reserved entries and holes is its own business (ReefBIOS
#   reserves 0xe0000-0xfffff, the image's low alias; SeaBIOS
#   0xf0000-0xfffff), and Linux 6.1 reserves all of the first MiB anyway.
#   So: the RAM entry at 0 keeps its start and the token "ebda" as its
#   end, which must lie in [CONVENTIONAL_MIN, 640 KiB) (an EBDA of up to
#   128 KiB: firmware EBDAs are a few KiB, both are 1 KiB here); the
#   reserved entries below 1 MiB are dropped; RAM anywhere else below
#   1 MiB stays as it is, so it shows.
# * The top of low RAM: each firmware keeps a zone below QEMU's end of low
#   RAM (LOW_RAM_END) for its tables and gives the unused part back.
#   ReefBIOS: ZONE_HIGH, HIGH_ZONE_SIZE = 256 KiB (src/memmap.h), the
#   FACS in it as ACPI NVS, and on q35 TSEG below QEMU's top,
#   SMM_TSEG_SIZE = 1 MiB (src/fw/smm.h).  SeaBIOS 1.16: its high zone,
#   at most 256 KiB (BUILD_MAX_HIGHTABLE), and SMRAM in ASEG at 0xa0000,
#   which is legacy area, so no TSEG.  So: the end of the RAM entry that
#   starts at 1 MiB becomes the token "zone", and the non-RAM entries
#   from there to LOW_RAM_END, whatever their types, one ZONE entry
#   ending at LOW_RAM_END - 1.  Its size must be at most ZONE_MAX, it
#   must have no hole, and RAM inside it stays as it is.
# * RAM above 1 MiB must be whole 4 KiB pages (Linux drops partial pages;
#   ReefBIOS gave part of its zone back up to a byte boundary, and on q35
#   the initrd it had placed right below that ended in a partial page,
#   which Linux then copied elsewhere).
# * Everything else is compared exactly: RAM above 4 GiB, QEMU's
#   reservations (the 0xfd00000000 HyperTransport hole), MMCONFIG on q35,
#   the ICH9 RCRB at 0xfed1c000 on q35, the flash at 0xfffc0000.
CONVENTIONAL_MIN = 512 * KIB
LEGACY_START = 640 * KIB
ONE_MIB = MIB
# QEMU's RAM below 4 GiB with -m 5G: i440FX keeps 3 GiB there once RAM
# reaches 3.5 GiB, q35 2 GiB once it reaches 2.75 GiB.
LOW_RAM_END = {"pc": 0xc0000000, "q35": 0x80000000}
HIGH_ZONE_SIZE = 256 * KIB   # ReefBIOS ZONE_HIGH; also SeaBIOS's bound
SMM_TSEG_SIZE = 1 * MIB      # ReefBIOS TSEG, q35 only
ZONE_MAX = {"pc": HIGH_ZONE_SIZE, "q35": HIGH_ZONE_SIZE + SMM_TSEG_SIZE}

# -- PCI -----------------------------------------------------------------
#
# Resources ReefBIOS assigns that SeaBIOS 1.16 leaves without an address
# by design, as (machine, BDF, sysfs index): why.  Only this direction is
# excused; a resource SeaBIOS assigns and ReefBIOS does not always fails.
SEABIOS_UNASSIGNED = {
    ("q35", "40:00.0", 13):
        "SeaBIOS opens a PCIe port's I/O window only when a device behind "
        "it has an I/O BAR (virtio behind a PCIe port is modern-only, "
        "without one).  Linux gives rp1 (00:08.0) a window from the root "
        "bus's I/O, but rp3 sits on the pxb-pcie root bus, whose _CRS "
        "offers only the I/O the firmware programmed below it: none "
        "(\"can't assign; no space\").  ReefBIOS gives every hotplug "
        "port 4 KiB of I/O.",
}
# "pci 0000:00:08.0: [1b36:000c] type 01 class 0x060400": the kernel's
# line for each function it finds (KERN_INFO, on the console by default).
PCI_FUNCTION_LINE = re.compile(
    r"\bpci [0-9a-f]{4}:(?P<bdf>[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]): "
    r"\[(?P<id>[0-9a-f]{4}:[0-9a-f]{4})\] type (?P<type>[0-9a-f]{2}) "
    r"class (?P<cls>0x[0-9a-f]{6})")
KIND_FLAGS = (IORESOURCE_IO | IORESOURCE_MEM | IORESOURCE_PREFETCH
              | IORESOURCE_MEM_64)


@dataclass
class Pair:
    """The same command line booted under both firmwares."""
    machine: str
    reef: qemu.BootResult
    sea: qemu.BootResult

    def both(self):
        return (("ReefBIOS", self.reef), ("SeaBIOS", self.sea))

    def context(self):
        """Both QEMU commands and timings, for assertion messages."""
        return "\n".join(f"{name}: {result.elapsed:.1f} s: "
                         + " ".join(result.command)
                         for name, result in self.both())


def guest_done(serial, _debuglog):
    return "REEF-GUEST done" in serial


@pytest.fixture(scope="module")
def diff_boot(bios, seabios, kernel, initramfs, accel, tmp_path_factory):
    """diff_boot(machine) boots the machine under each firmware, once per
    module, and returns a Pair."""
    cache = {}

    def run(machine):
        if machine not in cache:
            results = []
            for name, image in zip(FIRMWARES, (bios, seabios)):
                guest = qemu.Guest(bios=image, accel=accel.name,
                                   machine=machine, smp=SMP, memory=MEMORY,
                                   kernel=kernel, initrd=initramfs,
                                   append=CMDLINE,
                                   extra_args=DEVICE_SETS[machine])
                workdir = tmp_path_factory.mktemp(f"diff-{machine}-{name}")
                result = qemu.boot(guest, workdir, BOOT_TIMEOUT_SECONDS,
                                   until=guest_done)
                print(f"{name} {machine}: accel={accel.name} "
                      f"({accel.reason}); {result.elapsed:.1f} s: "
                      + " ".join(result.command))
                results.append(result)
            cache[machine] = Pair(machine, *results)
        return cache[machine]
    return run


@pytest.fixture(params=MACHINES)
def pair(request, diff_boot):
    booted = diff_boot(request.param)
    for name, result in booted.both():
        assert result.finished, (f"{name} guest did not finish\n"
                                 f"{result.describe()}")
    return booted


def hexrange(start, end):
    def fmt(value):
        return value if isinstance(value, str) else f"{value:#x}"
    return f"{fmt(start)}-{fmt(end)}"


def listing(entries):
    return "\n".join(f"  {hexrange(start, end)} {kind}"
                     for start, end, kind in entries)


def shape_lines(shape):
    return [f"{kind}: {hexrange(start, end)}" for kind, start, end in shape]


def normalise_e820(entries, machine):
    """The e820 shape: (kind, start, end) tuples in address order, with
    the firmware-private parts abstracted as described above; and the
    list of bound violations found on the way."""
    low_end, zone_max = LOW_RAM_END[machine], ZONE_MAX[machine]
    shape, problems = [], []
    zone = None  # [start, covered up to) of the zone at the top of low RAM
    for start, end, kind in sorted(entries):
        if end < ONE_MIB and kind != RAM:
            continue
        if kind == RAM and end >= ONE_MIB and (start | (end + 1)) % PAGE:
            problems.append(f"RAM {start:#x}-{end:#x} is not whole pages: "
                            "Linux loses the partial page, and moves an "
                            "initrd that ends in it")
        if start == 0 and kind == RAM and end < LEGACY_START:
            if end + 1 < CONVENTIONAL_MIN:
                problems.append(f"conventional RAM ends at {end + 1:#x}, "
                                f"below {CONVENTIONAL_MIN:#x}")
            shape.append((RAM, 0, "ebda"))
            continue
        if start == ONE_MIB and kind == RAM and end < low_end:
            size = low_end - (end + 1)
            if size > zone_max:
                problems.append(f"zone at the top of low RAM is "
                                f"{size // KIB} KiB ({end + 1:#x}-"
                                f"{low_end - 1:#x}), more than "
                                f"{zone_max // KIB} KiB")
            shape += [(RAM, ONE_MIB, "zone"), (ZONE, "zone", low_end - 1)]
            zone = [end + 1, end + 1]
            continue
        if zone and zone[0] <= start < low_end:
            if kind == RAM:
                problems.append(f"RAM {start:#x}-{end:#x} inside the zone")
            elif start != zone[1]:
                problems.append(f"hole in the zone at {zone[1]:#x}-"
                                f"{start - 1:#x}")
            zone[1] = min(end, low_end - 1) + 1
            if kind == RAM or end < low_end:
                continue
            start = low_end  # the rest is no longer the zone's
        shape.append((kind, start, end))
    if zone and zone[1] != low_end:
        problems.append(f"the zone stops at {zone[1]:#x}, below QEMU's "
                        f"end of low RAM {low_end:#x}")
    return shape, problems


def ram_pages_kib(entries):
    """KiB of whole 4 KiB pages in the RAM entries, as Linux counts them."""
    total = 0
    for start, end, kind in entries:
        if kind == RAM:
            first = -(-start // PAGE)
            last = (end + 1) // PAGE
            total += max(0, last - first) * PAGE
    return total // KIB


# What Linux keeps for itself can differ by one page: per e820 entry it
# allocates about 170 bytes of memblock memory (firmware_map_add_early(),
# e820__reserve_resources()), and the normalised parts of the maps may
# hold different numbers of entries (on q35 ReefBIOS has 12, SeaBIOS 10:
# ReefBIOS's zone is three entries, the FACS as ACPI NVS in the middle);
# fewer than 24 extra entries cross at most one page boundary.
BOOKKEEPING_SLACK = PAGE


def memtotal_tolerance(machine):
    """Everything but the zones is the same RAM (test_e820_shape), and
    Linux 6.1 reserves the whole first MiB, so MemTotal can differ only by
    the zones: each firmware keeps 0..ZONE_MAX of RAM there, so they
    differ by at most ZONE_MAX; plus one page, which Linux drops if a zone
    does not start on a page boundary (normalise_e820() reports that, but
    the bound holds without it); plus BOOKKEEPING_SLACK.  In KiB."""
    return (ZONE_MAX[machine] + PAGE + BOOKKEEPING_SLACK) // KIB


def test_cpus(pair):
    """CPUs online and possible: the same, and what -smp asked for."""
    facts = {name: (result.report("cpus"), result.report("cpus-possible"))
             for name, result in pair.both()}
    assert facts["ReefBIOS"] == facts["SeaBIOS"], (
        f"{pair.machine}: CPUs (online, possible) differ: {facts}\n"
        + pair.context())
    assert facts["SeaBIOS"] == (ONLINE_CPUS, POSSIBLE_CPUS), (
        f"{pair.machine}: -smp {SMP} gave {facts}\n" + pair.context())


def test_memtotal(pair):
    """MemTotal within the zones' difference, and the difference is the
    one e820 accounts for (Linux kept nothing else)."""
    reef = int(pair.reef.report("memtotal-kb"))
    sea = int(pair.sea.report("memtotal-kb"))
    tolerance = memtotal_tolerance(pair.machine)
    pages = {name: ram_pages_kib(result.e820())
             for name, result in pair.both()}
    detail = (f"MemTotal ReefBIOS {reef} KiB, SeaBIOS {sea} KiB (ReefBIOS "
              f"{reef - sea:+d} KiB); e820 RAM pages ReefBIOS "
              f"{pages['ReefBIOS']} KiB, SeaBIOS {pages['SeaBIOS']} KiB\n"
              + "\n".join(f"{name} e820:\n{listing(result.e820())}"
                          for name, result in pair.both())
              + "\n" + pair.context())
    assert abs(reef - sea) <= tolerance, (
        f"{pair.machine}: MemTotal differs by more than {tolerance} KiB: "
        + detail)
    e820_delta = pages["ReefBIOS"] - pages["SeaBIOS"]
    assert abs((reef - sea) - e820_delta) <= BOOKKEEPING_SLACK // KIB, (
        f"{pair.machine}: MemTotal differs by {reef - sea:+d} KiB but e820 "
        f"RAM by {e820_delta:+d} KiB: Linux kept different amounts for "
        "itself: " + detail)


def test_e820_shape(pair):
    """The same memory map, but for the firmware-private parts."""
    shapes, problems = {}, []
    for name, result in pair.both():
        entries = result.e820()
        assert entries, f"{name}: no e820 reports\n{result.describe()}"
        shapes[name], found = normalise_e820(entries, pair.machine)
        problems += [f"{name}: {problem}" for problem in found]
    maps = "\n".join(f"{name} e820:\n{listing(result.e820())}"
                     for name, result in pair.both())
    diff = "\n".join(difflib.unified_diff(
        shape_lines(shapes["SeaBIOS"]), shape_lines(shapes["ReefBIOS"]),
        "SeaBIOS", "ReefBIOS", lineterm=""))
    assert not diff and not problems, (
        f"{pair.machine}: e820 shapes differ\n" + "\n".join(problems)
        + f"\n{diff}\n{maps}\n" + pair.context())


def pci_functions(result):
    return {m["bdf"]: (m["id"], m["type"], m["cls"])
            for m in PCI_FUNCTION_LINE.finditer(result.serial)}


def test_pci_functions(pair):
    """The same functions at the same BDFs (bus numbers are the
    firmware's), with the same IDs, header types and classes."""
    found = {name: pci_functions(result) for name, result in pair.both()}
    for name, functions in found.items():
        assert functions, (f"{name}: no kernel PCI enumeration lines on "
                           f"the console\n{pair.context()}")
    reef, sea = found["ReefBIOS"], found["SeaBIOS"]
    differences = [
        f"{bdf}: ReefBIOS {reef.get(bdf, 'absent')}, "
        f"SeaBIOS {sea.get(bdf, 'absent')}"
        for bdf in sorted(reef.keys() | sea.keys())
        if reef.get(bdf) != sea.get(bdf)]
    assert not differences, (f"{pair.machine}: PCI functions differ:\n"
                             + "\n".join(differences) + "\n"
                             + pair.context())


def assigned(res):
    return (res.end > res.start and res.start != 0
            and not res.flags & (IORESOURCE_UNSET | IORESOURCE_DISABLED))


def kind(flags):
    flags &= KIND_FLAGS
    if flags & IORESOURCE_IO:
        return "io"
    return ("pref" if flags & IORESOURCE_PREFETCH else "mem") + (
        "64" if flags & IORESOURCE_MEM_64 else "")


def assigned_resources(result):
    """{(BDF, sysfs index): kind} of the resources with an address."""
    return {(res.bdf, res.index): kind(res.flags)
            for res in resources(result) if assigned(res)}


def test_pci_resources_assigned(pair):
    """Each function has the same resources assigned under both, of the
    same kind; addresses and window sizes may differ."""
    reef = assigned_resources(pair.reef)
    sea = assigned_resources(pair.sea)
    assert reef and sea, f"no pci-resource reports\n{pair.context()}"
    differences, excused = [], []
    for key in sorted(reef.keys() | sea.keys()):
        if reef.get(key) == sea.get(key):
            continue
        line = (f"{key[0]} [{key[1]}]: ReefBIOS {reef.get(key, 'unassigned')},"
                f" SeaBIOS {sea.get(key, 'unassigned')}")
        why = SEABIOS_UNASSIGNED.get((pair.machine, *key))
        if why and key not in sea:
            excused.append(f"{line} (excused: {why})")
        else:
            differences.append(line)
    if excused:
        print("\n".join(excused))
    problems = "\n".join(f"{name} pci-problem: {line}"
                         for name, result in pair.both()
                         for line in result.reports.get("pci-problem", []))
    assert not differences, (
        f"{pair.machine}: assigned PCI resources differ:\n"
        + "\n".join(differences + excused) + f"\n{problems}\n"
        + "\n".join(f"{name} resources:\n" + "\n".join(
            f"  {res!r}" for res in resources(result))
            for name, result in pair.both())
        + "\n" + pair.context())


# -- the normalisation itself, on recorded q35 maps (no boot) --------------

RESERVED, NVS = "Reserved", "ACPI Non-volatile Storage"
REEF_Q35 = (
    (0x0, 0x9fbff, RAM), (0x9fc00, 0x9ffff, RESERVED),
    (0xe0000, 0xfffff, RESERVED), (0x100000, 0x7fedefff, RAM),
    (0x7fedf000, 0x7fedfbbf, RESERVED), (0x7fedfbc0, 0x7fedfbff, NVS),
    (0x7fedfc00, 0x7fffffff, RESERVED), (0xb0000000, 0xbfffffff, RESERVED),
    (0xfed1c000, 0xfed1ffff, RESERVED), (0xfffc0000, 0xffffffff, RESERVED),
    (0x100000000, 0x1bfffffff, RAM), (0xfd00000000, 0xffffffffff, RESERVED))
SEA_Q35 = (
    (0x0, 0x9fbff, RAM), (0x9fc00, 0x9ffff, RESERVED),
    (0xf0000, 0xfffff, RESERVED), (0x100000, 0x7ffdffff, RAM),
    (0x7ffe0000, 0x7fffffff, RESERVED), (0xb0000000, 0xbfffffff, RESERVED),
    (0xfed1c000, 0xfed1ffff, RESERVED), (0xfffc0000, 0xffffffff, RESERVED),
    (0x100000000, 0x1bfffffff, RAM), (0xfd00000000, 0xffffffffff, RESERVED))


def replaced(entries, old, *new):
    """ENTRIES with the entry starting at OLD replaced by NEW entries."""
    return tuple(sorted([e for e in entries if e[0] != old] + list(new)))


# Real differences the shape must show: name -> ReefBIOS's map, changed.
BROKEN_MAPS = {
    "no RAM above 4 GiB": replaced(REEF_Q35, 0x100000000),
    "less RAM above 4 GiB": replaced(
        REEF_Q35, 0x100000000, (0x100000000, 0x1bfefffff, RAM)),
    "no MMCONFIG": replaced(REEF_Q35, 0xb0000000),
    "no RCRB": replaced(REEF_Q35, 0xfed1c000),
    "no flash": replaced(REEF_Q35, 0xfffc0000),
    "zone of 2 MiB": replaced(
        replaced(REEF_Q35, 0x100000, (0x100000, 0x7fdfffff, RAM)),
        0x7fedf000, (0x7fe00000, 0x7fedfbbf, RESERVED)),
    "hole in the zone": replaced(REEF_Q35, 0x7fedfc00,
                                 (0x7fee0000, 0x7fffffff, RESERVED)),
    "RAM in the zone": replaced(REEF_Q35, 0x7fedfc00,
                                (0x7fedfc00, 0x7fefffff, RAM),
                                (0x7ff00000, 0x7fffffff, RESERVED)),
    "RAM end inside a page": replaced(
        replaced(REEF_Q35, 0x100000, (0x100000, 0x7fedf9ff, RAM)),
        0x7fedf000, (0x7fedfa00, 0x7fedfbbf, RESERVED)),
    "conventional RAM of 448 KiB": replaced(REEF_Q35, 0x0,
                                            (0x0, 0x6ffff, RAM)),
    "RAM in the legacy area": REEF_Q35 + ((0xc0000, 0xc7fff, RAM),),
    "RAM above 4 GiB elsewhere": replaced(
        REEF_Q35, 0x100000000, (0x140000000, 0x1ffffffff, RAM)),
    "NVS outside the zone": REEF_Q35 + ((0xfed00000, 0xfed00fff, NVS),),
}


def test_normalise_e820_tolerates_firmware_private_parts():
    """The recorded maps differ in their legacy area and zone, and have
    the same shape; so does one with a bigger EBDA."""
    reef, reef_problems = normalise_e820(REEF_Q35, "q35")
    sea, sea_problems = normalise_e820(SEA_Q35, "q35")
    assert (reef, reef_problems, sea_problems) == (sea, [], [])
    smaller_ebda = replaced(REEF_Q35, 0x0, (0x0, 0x9efff, RAM))
    assert normalise_e820(smaller_ebda, "q35") == (sea, [])


@pytest.mark.parametrize("name", list(BROKEN_MAPS))
def test_normalise_e820_shows_real_differences(name):
    sea, _ = normalise_e820(SEA_Q35, "q35")
    broken, problems = normalise_e820(BROKEN_MAPS[name], "q35")
    assert broken != sea or problems, f"{name}: not caught"
