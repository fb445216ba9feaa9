"""SMBIOS: the entry point and structure table ReefBIOS installs from QEMU's
etc/smbios/smbios-anchor and etc/smbios/smbios-tables.

Payload boots (tests/payload/fwcfgdump.S): find the entry point in guest
memory as an OS does (16-byte aligned anchor in 0xF0000-0xFFFFF), check its
checksums and fields against a walk of the structure table, and compare
table and entry point with QEMU's files: the table must be QEMU's, byte for
byte, optionally after one BIOS Information (type 0) structure of the
BIOS's own when QEMU has none; the entry point must be QEMU's with only the
fields that depend on the table's place and size changed.  Both the 2.1
(_SM_) and the 3.0 (_SM3_) entry point are checked.

Linux boot (shared with test_acpi.py): -smbios type=1 and type=11 values
reach /sys/class/dmi/id and /sys/firmware/dmi/entries/11-0/raw.
"""

import re
import struct
from dataclasses import dataclass, field
from typing import List

import pytest

import acpi_model as model

MACHINES = ("pc", "q35")
# Entry point kind -> what to append to -machine.
ENTRY_POINTS = {"2.1": "", "3.0": ",smbios-entry-point-type=64"}
SCAN_START, SCAN_END = 0xF0000, 0x100000
ANCHOR_21, ANCHOR_30 = b"_SM_", b"_SM3_"
INTERMEDIATE_ANCHOR = b"_DMI_"
# SMBIOS 3.x (DSP0134) 5.2.1: 2.1 entry point, 31 bytes.
EP21 = struct.Struct("<4sBBBBHB5s5sBHIHB")
EP21_INTERMEDIATE = 0x10  # the _DMI_ part, checksummed on its own
# 5.2.2: 3.0 entry point, 24 bytes.
EP30 = struct.Struct("<5sBBBBBBBIQ")
TYPE_BIOS, TYPE_SYSTEM, TYPE_OEM_STRINGS, TYPE_END = 0, 1, 11, 127
TYPE0_MIN_LENGTH = 0x12
SYSTEM_STRING_FIELDS = {"manufacturer": 4, "product": 5, "serial": 7}
OEM_COUNT_OFFSET = 4
RELEASE_DATE = re.compile(r"^\d\d/\d\d/\d{4}$")
TABLE_E820 = {model.E820_RESERVED, model.E820_ACPI, model.E820_NVS}


@dataclass
class Structure:
    offset: int
    raw: bytes          # formatted area and string-set
    strings: List[bytes]

    @property
    def type(self):
        return self.raw[0]

    @property
    def length(self):
        return self.raw[1]

    @property
    def handle(self):
        return struct.unpack_from("<H", self.raw, 2)[0]

    def string(self, offset):
        """The string a formatted-area byte refers to (1-based), b"" for 0,
        None if the index is past the string-set."""
        index = self.raw[offset] if offset < self.length else 0
        if index == 0:
            return b""
        return self.strings[index - 1] if index <= len(self.strings) \
            else None


def walk_structures(data, stop_at_end=True):
    """Structures in DATA: (list, problems).  Stops after type 127 when
    STOP_AT_END (the 3.0 rule: the table's size is only a maximum)."""
    structures, problems, offset = [], [], 0
    while offset < len(data):
        if offset + 4 > len(data):
            problems.append(f"header cut off at offset {offset}")
            break
        length = data[offset + 1]
        if length < 4 or offset + length > len(data):
            problems.append(f"structure at offset {offset} has length "
                            f"{length}")
            break
        end = data.find(b"\0\0", offset + length)
        if end < 0:
            problems.append(f"structure at offset {offset}: no double NUL")
            break
        strings_area = data[offset + length:end]
        strings = strings_area.split(b"\0") if strings_area else []
        structure = Structure(offset, data[offset:end + 2], strings)
        structures.append(structure)
        offset = end + 2
        if stop_at_end and structure.type == TYPE_END:
            break
    return structures, problems


@dataclass
class EntryPoint:
    kind: str
    address: int
    raw: bytes
    table_address: int
    table_length: int       # 2.1: exact; 3.0: the maximum
    problems: List[str] = field(default_factory=list)
    count: int = 0          # 2.1 only
    max_structure: int = 0  # 2.1 only


def entry_point_at(memory, address, kind):
    if kind == "2.1":
        raw = memory.read(address, EP21.size)
        (_, _, length, _, _, max_structure, _, _, intermediate, _,
         table_length, table_address, count, _) = EP21.unpack(raw)
        ep = EntryPoint(kind, address, raw, table_address, table_length,
                        count=count, max_structure=max_structure)
        if length != EP21.size:
            ep.problems.append(f"length field {length}, want {EP21.size}")
        if model.checksum(raw[:max(length, 1)]):
            ep.problems.append("entry point checksum is not zero")
        if intermediate != INTERMEDIATE_ANCHOR:
            ep.problems.append(f"intermediate anchor {intermediate!r}")
        if model.checksum(raw[EP21_INTERMEDIATE:]):
            ep.problems.append("intermediate checksum is not zero")
    else:
        raw = memory.read(address, EP30.size)
        (_, _, length, _, _, _, _, _, max_size, table_address) = \
            EP30.unpack(raw)
        ep = EntryPoint(kind, address, raw, table_address, max_size)
        if length != EP30.size:
            ep.problems.append(f"length field {length}, want {EP30.size}")
        if model.checksum(raw[:max(length, 1)]):
            ep.problems.append("entry point checksum is not zero")
    return ep


def find_entry_points(memory):
    found = []
    area = memory.read(SCAN_START, SCAN_END - SCAN_START)
    for offset in range(0, len(area), 16):
        if area[offset:offset + len(ANCHOR_30)] == ANCHOR_30:
            found.append(entry_point_at(memory, SCAN_START + offset, "3.0"))
        elif area[offset:offset + len(ANCHOR_21)] == ANCHOR_21:
            found.append(entry_point_at(memory, SCAN_START + offset, "2.1"))
    return found


def expected_anchor(qemu_anchor, ep, table, structures):
    """QEMU's anchor with the fields that depend on where the table is and
    what it holds set from the table in memory, checksums recomputed."""
    anchor = bytearray(qemu_anchor)
    if ep.kind == "2.1":
        struct.pack_into("<H", anchor, 8,
                         max(len(s.raw) for s in structures))
        struct.pack_into("<HIH", anchor, 0x16, len(table), ep.table_address,
                         len(structures))
        anchor[0x15] = 0
        anchor[0x15] = -model.checksum(anchor[EP21_INTERMEDIATE:]) & 0xff
        anchor[4] = 0
        anchor[4] = -model.checksum(anchor) & 0xff
    else:
        # The maximum size may exceed the table; keep the BIOS's value
        # once it is checked to be large enough.
        struct.pack_into("<IQ", anchor, 0x0C, ep.table_length,
                         ep.table_address)
        anchor[5] = 0
        anchor[5] = -model.checksum(anchor) & 0xff
    return bytes(anchor)


@pytest.fixture(params=[(m, k) for m in MACHINES for k in ENTRY_POINTS],
                ids=lambda p: f"{p[0]}-smbios{p[1]}")
def smbios_dump(request, firmware_dump):
    machine, kind = request.param
    dumped = firmware_dump(machine + ENTRY_POINTS[kind], model.DUMP_DEVICES)
    dump = model.parse_dump(dumped.dump)
    assert dump.finished and dumped.memory is not None, (
        f"fwcfgdump did not finish or guest memory was not saved\n"
        f"{dumped.result.describe()}")
    return kind, dumped, dump


def test_smbios_in_memory(smbios_dump):
    kind, dumped, dump = smbios_dump
    memory = dumped.memory
    context = dumped.result.describe()
    found = find_entry_points(memory)
    valid = [ep for ep in found if not ep.problems]
    assert len(valid) == 1 and valid[0].kind == kind, (
        f"want one valid {kind} entry point; found: "
        + ("; ".join(f"{ep.kind} at {ep.address:#x} "
                     f"{ep.problems or 'valid'}" for ep in found) or "none")
        + f"\n{context}")
    ep = valid[0]
    table = memory.read(ep.table_address, ep.table_length)
    structures, problems = walk_structures(table, stop_at_end=kind == "3.0")
    assert not problems, f"{problems}\n{context}"
    assert structures and structures[-1].type == TYPE_END, (
        f"no end-of-table structure\n{context}")
    table = table[:structures[-1].offset + len(structures[-1].raw)]
    if kind == "2.1":
        assert len(table) == ep.table_length, (
            f"table length {ep.table_length}, structures end at "
            f"{len(table)}\n{context}")
        assert ep.count == len(structures), (
            f"entry point counts {ep.count} structures, table has "
            f"{len(structures)}\n{context}")
        largest = max(len(s.raw) for s in structures)
        assert ep.max_structure == largest, (
            f"maximum structure size {ep.max_structure}, largest is "
            f"{largest}\n{context}")
    handles = [s.handle for s in structures]
    assert len(set(handles)) == len(handles), (
        f"duplicate handles {sorted(handles)}\n{context}")

    # The table is QEMU's, after at most one type 0 of the BIOS's own.
    qemu_table = dump.file("etc/smbios/smbios-tables")
    qemu_types = [s.type for s in walk_structures(qemu_table)[0]]
    prefix = table[:len(table) - len(qemu_table)]
    assert table.endswith(qemu_table), (
        f"the table in memory does not end with QEMU's "
        f"({len(table)} vs {len(qemu_table)} bytes)\n{context}")
    if TYPE_BIOS in qemu_types:
        assert not prefix, f"{len(prefix)} bytes before QEMU's table"
    elif prefix:
        added, _ = walk_structures(prefix, stop_at_end=False)
        assert len(added) == 1 and added[0].type == TYPE_BIOS, (
            f"the BIOS added {[s.type for s in added]} before QEMU's "
            f"table, at most one type 0 allowed\n{context}")
        bios = added[0]
        assert bios.length >= TYPE0_MIN_LENGTH, context
        assert bios.string(4) and bios.string(5), (
            f"type 0 vendor {bios.string(4)!r} version "
            f"{bios.string(5)!r}\n{context}")
        assert RELEASE_DATE.match((bios.string(8) or b"").decode()), (
            f"type 0 release date {bios.string(8)!r}\n{context}")

    # The entry point is QEMU's but for the table's place and size.
    qemu_anchor = dump.file("etc/smbios/smbios-anchor")
    if kind == "3.0":
        assert ep.table_length >= len(table), (
            f"3.0 maximum table size {ep.table_length} < {len(table)}")
    want = expected_anchor(qemu_anchor, ep, table, structures)
    got = memory.read(ep.address, len(qemu_anchor))
    assert got == want, (f"entry point {got.hex()}\nwant        "
                         f"{want.hex()} (QEMU's {qemu_anchor.hex()})\n"
                         f"{context}")

    # What -smbios asked for is there.
    system = [s for s in structures if s.type == TYPE_SYSTEM]
    assert len(system) == 1, context
    for key, (value, _) in model.SMBIOS_SYSTEM.items():
        assert system[0].string(SYSTEM_STRING_FIELDS[key]) == \
            value.encode(), f"type 1 {key}\n{context}"
    oem = [s for s in structures if s.type == TYPE_OEM_STRINGS]
    assert len(oem) == 1, context
    assert oem[0].strings == [v.encode() for v in model.SMBIOS_OEM_STRINGS]

    # Where an OS must not reuse it.
    e820 = model.parse_multiboot_mmap(dump.blobs["multiboot-mmap"])
    for what, start, length in (("entry point", ep.address, len(got)),
                                ("table", ep.table_address, len(table))):
        kinds = model.e820_types(e820, start, length)
        assert kinds <= TABLE_E820, (
            f"SMBIOS {what} at {start:#x} has E820 types {kinds}\n"
            + "\n".join(str(e) for e in e820) + f"\n{context}")


@pytest.mark.parametrize("machine", MACHINES)
def test_linux_dmi(shared_boot, initramfs, machine):
    """Linux decodes the -smbios type=1 and type=11 values."""
    result = shared_boot(**model.linux_tables_guest(machine, initramfs))
    assert result.finished, f"guest did not finish\n{result.describe()}"
    for key, (value, sysfs) in model.SMBIOS_SYSTEM.items():
        assert result.report(f"dmi-{sysfs}") == value, (
            f"/sys/class/dmi/id/{sysfs} is {result.report(f'dmi-{sysfs}')!r}"
            f", -smbios type=1,{key}={value}\n{result.describe()}")
    assert result.report("dmi-bios_vendor"), (
        f"no BIOS vendor\n{result.describe()}")
    if result.report("dmi-bios_vendor") == "ReefBIOS":
        # Our type 0: its release bytes are the version's MAJOR.MINOR
        # (the Makefile's RELEASE).
        version = result.report("dmi-bios_version") or ""
        release = re.match(r"(\d+\.\d+)(\D|$)", version)
        assert release and result.report("dmi-bios_release") == \
            release[1], (f"bios_version {version!r}, bios_release "
                         f"{result.report('dmi-bios_release')!r}\n"
                         f"{result.describe()}")
    raws = result.reports.get("dmi-oem-raw", [])
    assert len(raws) == 1, (f"{len(raws)} type 11 structures\n"
                            f"{result.describe()}")
    structures, problems = walk_structures(bytes.fromhex(raws[0]))
    assert not problems and len(structures) == 1, (
        f"{problems}\n{result.describe()}")
    oem = structures[0]
    want = [value.encode() for value in model.SMBIOS_OEM_STRINGS]
    assert oem.type == TYPE_OEM_STRINGS and oem.raw[OEM_COUNT_OFFSET] == \
        len(want) and oem.strings == want, (
            f"type 11 {oem.raw.hex()}: strings {oem.strings}, want "
            f"{want}\n{result.describe()}")
