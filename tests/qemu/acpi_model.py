"""What the firmware-table tests know about QEMU's tables, kept apart from
the BIOS under test.

- `parse_dump()`: the text tests/payload/fwcfgdump.S prints on debugcon
  port 0x403 (fw_cfg files in hex, the multiboot memory map, vmgenid).
- `LoaderModel`: an independent executor of QEMU's ACPI linker-loader
  script (fw_cfg "etc/table-loader").  Given QEMU's raw blobs and the
  addresses where the BIOS says it put each one (its "loader: FILE at ..."
  log lines), it computes the bytes that must be in guest memory, and the
  values the BIOS must have written back into fw_cfg files.  Any
  difference from guest memory is a BIOS bug: the same rules applied at the
  same addresses give the same bytes.
- ACPI structures read from guest memory: RSDP scan, RSDT/XSDT, FADT
  pointers, checksums; E820 types.
- The guest configurations the ACPI and SMBIOS tests share (SMBIOS
  strings, the vmgenid GUID, the Linux boot), so both test files ask
  conftest's cached fixtures for the same QEMU runs.

Sources: QEMU docs/specs/fw_cfg.rst, include/hw/acpi/bios-linker-loader.h
(command layout and meaning), docs/specs/vmgenid.txt; ACPI 6.5 sections
5.2.5 (RSDP), 5.2.7/5.2.8 (RSDT/XSDT), 5.2.9 (FADT), 5.2.10 (FACS), 5.2.6
(header, checksum); Multiboot 0.6.96 section 3.3 (memory map).
"""

import re
import struct
from dataclasses import dataclass, field
from typing import Dict, List, Mapping, Optional, Tuple

import logformat

# --- Shared guest configurations ---------------------------------------------

# -smbios type=1 fields: (QEMU option, /sys/class/dmi/id file).
SMBIOS_SYSTEM = {
    "manufacturer": ("Reef Test Systems", "sys_vendor"),
    "product": ("Coral Model 7", "product_name"),
    "serial": ("RB-0042-XYZ", "product_serial"),
}
# -smbios type=11 strings, in order (no commas: QEMU would split them).
SMBIOS_OEM_STRINGS = ("ReefBIOS OEM string one", "reef:oem=two")
VMGENID_GUID = "a7f3c1d2-5b6e-4f80-9c1d-2e3f4a5b6c7d"
# The GUID sits this far into the etc/vmgenid_guid blob (past room for an
# ACPI header, see QEMU docs/specs/vmgenid.txt): the SSDT's VGIA points at
# the blob, the WRITE_POINTER into etc/vmgenid_addr at the GUID itself.
# QEMU 7.2 itself writes the GUID into guest memory (at etc/vmgenid_addr)
# only after an incoming migration; at boot the guest sees the BIOS's copy
# of the blob.
VMGENID_GUID_OFFSET = 0x28
VMGENID_BLOB_SIZE = 4096

LINUX_TABLES_CMDLINE = "console=ttyS0 panic=-1 reef.end=poweroff"
LINUX_TABLES_TIMEOUT_SECONDS = 90


def smbios_args():
    """QEMU options that set SMBIOS type 1 and type 11 content."""
    system = ",".join(f"{key}={value}"
                      for key, (value, _) in SMBIOS_SYSTEM.items())
    oem = ",".join(f"value={value}" for value in SMBIOS_OEM_STRINGS)
    return ("-smbios", f"type=1,{system}", "-smbios", f"type=11,{oem}")


def vmgenid_args():
    return ("-device", f"vmgenid,guid={VMGENID_GUID}")


# The fwcfgdump boots the tests share (firmware_dump's extra_args):
# QEMU's defaults, and with the devices that add loader commands and
# SMBIOS content.
DUMP_PLAIN = ()
DUMP_DEVICES = vmgenid_args() + smbios_args()


def linux_tables_guest(machine, initrd):
    """shared_boot() arguments of the Linux boot that checks what Linux
    finds of the firmware tables, then powers off (one per machine)."""
    return dict(machine=machine, initrd=initrd, append=LINUX_TABLES_CMDLINE,
                extra_args=smbios_args(), qmp=True,
                timeout=LINUX_TABLES_TIMEOUT_SECONDS)


# --- fwcfgdump output --------------------------------------------------------

class DumpError(Exception):
    """The payload's output is not what fwcfgdump.S prints."""


@dataclass
class FwCfgFile:
    name: str
    select: int
    size: int
    data: Optional[bytes]  # None when the payload skipped it (too big)


@dataclass
class Dump:
    files: Dict[str, FwCfgFile] = field(default_factory=dict)
    blobs: Dict[str, bytes] = field(default_factory=dict)
    vmgenid_addr: Optional[int] = None
    finished: bool = False

    def file(self, name):
        """The contents of fw_cfg file NAME; DumpError if not dumped."""
        entry = self.files.get(name)
        if entry is None or entry.data is None:
            raise DumpError(f"fw_cfg file {name} not in the dump")
        return entry.data


FILE_RECORD = re.compile(r"^FILE select=(?P<select>[0-9a-f]{4}) "
                         r"size=(?P<size>[0-9a-f]{8}) name=(?P<name>.*?)"
                         r"(?P<skipped> skipped)?$")
BLOB_RECORD = re.compile(r"^BLOB (?P<name>\S+) size=(?P<size>[0-9a-f]{8})$")
VMGENID_RECORD = re.compile(r"^VMGENID addr=(?P<addr>[0-9a-f]{16})$")
HEX_LINE = re.compile(r"^[0-9a-f]*$")


def parse_dump(text):
    """Parse fwcfgdump.S output into a Dump; DumpError if malformed."""
    dump = Dump()
    lines = iter(text.splitlines())
    for line in lines:
        file_match = FILE_RECORD.match(line)
        blob_match = BLOB_RECORD.match(line)
        vmgenid_match = VMGENID_RECORD.match(line)
        if file_match:
            size = int(file_match["size"], 16)
            data = (None if file_match["skipped"]
                    else read_hex_record(lines, size, file_match["name"]))
            dump.files[file_match["name"]] = FwCfgFile(
                file_match["name"], int(file_match["select"], 16), size,
                data)
        elif blob_match:
            dump.blobs[blob_match["name"]] = read_hex_record(
                lines, int(blob_match["size"], 16), blob_match["name"])
        elif vmgenid_match:
            dump.vmgenid_addr = int(vmgenid_match["addr"], 16)
        elif line == "FWCFGDUMP done":
            dump.finished = True
    return dump


def read_hex_record(lines, size, name):
    chunks = []
    for line in lines:
        if line == "END":
            data = bytes.fromhex("".join(chunks))
            if len(data) != size:
                raise DumpError(f"{name}: {len(data)} bytes dumped, "
                                f"size {size}")
            return data
        if not HEX_LINE.match(line):
            raise DumpError(f"{name}: unexpected line {line!r}")
        chunks.append(line)
    raise DumpError(f"{name}: no END line")


# --- E820 --------------------------------------------------------------------

E820_RAM, E820_RESERVED, E820_ACPI, E820_NVS = 1, 2, 3, 4
E820_NAMES = {E820_RAM: "ram", E820_RESERVED: "reserved", E820_ACPI: "acpi",
              E820_NVS: "nvs"}


@dataclass
class E820Entry:
    start: int
    length: int
    kind: int

    @property
    def end(self):
        return self.start + self.length

    def __str__(self):
        return (f"{self.start:#x}-{self.end - 1:#x} "
                f"{E820_NAMES.get(self.kind, self.kind)}")


def parse_multiboot_mmap(data):
    """Multiboot 0.6.96 3.3 memory map: entries of {u32 size (not counting
    itself), u64 base, u64 length, u32 type}."""
    entries, offset = [], 0
    while offset + 4 <= len(data):
        (size,) = struct.unpack_from("<I", data, offset)
        if size < 20 or offset + 4 + size > len(data):
            raise DumpError(f"multiboot mmap entry at {offset} has size "
                            f"{size}")
        start, length, kind = struct.unpack_from("<QQI", data, offset + 4)
        entries.append(E820Entry(start, length, kind))
        offset += 4 + size
    return entries


def e820_types(entries, start, length):
    """The set of E820 types that cover [start, start + length); None in
    the set for any part no entry covers."""
    kinds, position, end = set(), start, start + length
    while position < end:
        covering = [entry for entry in entries
                    if entry.start <= position < entry.end]
        if not covering:
            kinds.add(None)
            later = [entry.start for entry in entries
                     if position < entry.start < end]
            position = min(later) if later else end
            continue
        # Overlapping entries are a bug of their own; take every type.
        kinds.update(entry.kind for entry in covering)
        position = min(entry.end for entry in covering)
    return kinds


# --- The BIOS's placements ---------------------------------------------------

ZONE_HIGH, ZONE_FSEG = 1, 2
ZONE_NAMES = {ZONE_HIGH: "high", ZONE_FSEG: "fseg"}
FSEG_START, FSEG_END = 0xE0000, 0x100000
HIGH_START, HIGH_END = 0x100000, 1 << 32


@dataclass
class Placement:
    address: int
    size: int
    zone: str


def parse_placements(debuglog):
    """{file: Placement} from the BIOS's "loader: FILE at ..." lines; a
    file named twice is a DumpError."""
    placements = {}
    for match in re.finditer(logformat.LOADER_BLOB, debuglog, re.MULTILINE):
        name = match["file"]
        if name in placements:
            raise DumpError(f"the BIOS log places {name} twice")
        placements[name] = Placement(int(match["address"], 16),
                                     int(match["size"]), match["zone"])
    return placements


# --- The linker-loader script ------------------------------------------------

ENTRY_SIZE = 128
NAME_SIZE = 56
CMD_ALLOCATE, CMD_ADD_POINTER, CMD_ADD_CHECKSUM, CMD_WRITE_POINTER = 1, 2, 3, 4
POINTER_SIZES = (1, 2, 4, 8)


class ScriptError(Exception):
    """QEMU's script breaks the format itself (a model error, not the
    BIOS's)."""


@dataclass
class Allocate:
    index: int
    file: str
    align: int
    zone: int

    def __str__(self):
        return (f"cmd {self.index} allocate {self.file} align {self.align} "
                f"zone {ZONE_NAMES.get(self.zone, self.zone)}")


@dataclass
class AddPointer:
    index: int
    dest: str
    src: str
    offset: int
    size: int

    def __str__(self):
        return (f"cmd {self.index} add_pointer {self.dest}+{self.offset:#x} "
                f"size {self.size} += &{self.src}")


@dataclass
class AddChecksum:
    index: int
    file: str
    offset: int
    start: int
    length: int

    def __str__(self):
        return (f"cmd {self.index} add_checksum {self.file}+{self.offset:#x} "
                f"over [{self.start:#x}, {self.start + self.length:#x})")


@dataclass
class WritePointer:
    index: int
    dest: str
    src: str
    dst_offset: int
    src_offset: int
    size: int

    def __str__(self):
        return (f"cmd {self.index} write_pointer fw_cfg {self.dest}"
                f"+{self.dst_offset:#x} size {self.size} = &{self.src}"
                f"+{self.src_offset:#x}")


def decode_name(raw, index):
    if b"\0" not in raw:
        raise ScriptError(f"cmd {index}: name not NUL-terminated")
    return raw.split(b"\0", 1)[0].decode("ascii")


def parse_script(data):
    """The commands of etc/table-loader, in order; zeroed padding entries
    are dropped; an unknown command is a ScriptError (QEMU sends none)."""
    if len(data) % ENTRY_SIZE:
        raise ScriptError(f"script size {len(data)} is not a multiple of "
                          f"{ENTRY_SIZE}")
    commands = []
    for index in range(len(data) // ENTRY_SIZE):
        entry = data[index * ENTRY_SIZE:(index + 1) * ENTRY_SIZE]
        (command,) = struct.unpack_from("<I", entry)
        first = decode_name(entry[4:4 + NAME_SIZE], index)
        after_one = entry[4 + NAME_SIZE:]
        if command == 0:
            if any(entry):
                raise ScriptError(f"cmd {index}: command 0 with data")
        elif command == CMD_ALLOCATE:
            align, zone = struct.unpack_from("<IB", after_one)
            commands.append(Allocate(index, first, align, zone))
        elif command == CMD_ADD_CHECKSUM:
            offset, start, length = struct.unpack_from("<III", after_one)
            commands.append(AddChecksum(index, first, offset, start, length))
        elif command in (CMD_ADD_POINTER, CMD_WRITE_POINTER):
            second = decode_name(after_one[:NAME_SIZE], index)
            after_two = after_one[NAME_SIZE:]
            if command == CMD_ADD_POINTER:
                offset, size = struct.unpack_from("<IB", after_two)
                commands.append(AddPointer(index, first, second, offset,
                                           size))
            else:
                dst_offset, src_offset, size = struct.unpack_from(
                    "<IIB", after_two)
                commands.append(WritePointer(index, first, second,
                                             dst_offset, src_offset, size))
        else:
            raise ScriptError(f"cmd {index}: unknown command {command:#x}")
    return commands


@dataclass
class FwCfgWrite:
    """A WRITE_POINTER's effect: fw_cfg file FILE must hold DATA at
    OFFSET."""
    file: str
    offset: int
    data: bytes
    command: WritePointer


@dataclass
class LoaderResult:
    # The bytes each ALLOCATEd blob must have in guest memory.
    blobs: Dict[str, bytearray]
    # Where the BIOS put each of them.
    addresses: Dict[str, int]
    fw_cfg_writes: List[FwCfgWrite]
    # Per blob, the byte ranges each command wrote: (start, end, command).
    touched: Dict[str, List[Tuple[int, int, object]]]
    # What the BIOS's placements break (alignment, zone, size, overlap,
    # blobs it did not load); each makes the test fail.
    problems: List[str]

    def commands_touching(self, name, start, end):
        return [command for first, last, command in self.touched.get(name, [])
                if first < end and start < last]


class LoaderModel:
    """Run QEMU's linker-loader script on QEMU's own blobs at the BIOS's
    placements: ALLOCATE takes the blob from FILES (fw_cfg contents) and
    its address from PLACEMENTS; ADD_POINTER adds the source blob's address
    to the little-endian field; ADD_CHECKSUM sets the byte so the range
    sums to zero; WRITE_POINTER records the address the fw_cfg file must
    have received."""

    def __init__(self, script, files: Mapping[str, bytes],
                 placements: Mapping[str, Placement]):
        self.commands = parse_script(script)
        self.files = files
        self.placements = placements

    def run(self):
        result = LoaderResult({}, {}, [], {}, [])
        self.allocated = set()
        for command in self.commands:
            handler = {Allocate: self._allocate, AddPointer: self._pointer,
                       AddChecksum: self._checksum,
                       WritePointer: self._write_pointer}[type(command)]
            handler(result, command)
        self._check_overlaps(result)
        for name in sorted(set(self.placements) - set(result.blobs)):
            result.problems.append(f"the BIOS log places {name}, which no "
                                   "ALLOCATE loaded")
        return result

    def _allocate(self, result, command):
        name = command.file
        if name in self.allocated:
            raise ScriptError(f"{command}: allocated twice")
        self.allocated.add(name)
        if name not in self.files:
            raise ScriptError(f"{command}: no such fw_cfg file in the dump")
        data = self.files[name]
        placement = self.placements.get(name)
        if placement is None:
            result.problems.append(f"{command}: the BIOS did not load it (no "
                                   "'loader: FILE at' line)")
            return
        address, align = placement.address, max(command.align, 1)
        zone = ZONE_NAMES.get(command.zone)
        if placement.size != len(data):
            result.problems.append(f"{command}: BIOS loaded {placement.size} "
                                   f"bytes, the file has {len(data)}")
        if address % align:
            result.problems.append(f"{command}: placed at {address:#x}, not "
                                   f"{align}-byte aligned")
        if placement.zone != zone:
            result.problems.append(f"{command}: BIOS put it in zone "
                                   f"{placement.zone}")
        low, high = ((FSEG_START, FSEG_END) if command.zone == ZONE_FSEG
                     else (HIGH_START, HIGH_END))
        if not (low <= address and address + len(data) <= high):
            result.problems.append(
                f"{command}: [{address:#x}, {address + len(data):#x}) is "
                f"outside [{low:#x}, {high:#x})")
        result.blobs[name] = bytearray(data)
        result.addresses[name] = address
        result.touched[name] = []

    def _blob(self, result, name, command):
        if name not in self.allocated:
            raise ScriptError(f"{command}: {name} not allocated before")
        # None: allocated, but the BIOS did not load it (already reported).
        return result.blobs.get(name)

    def _pointer(self, result, command):
        dest = self._blob(result, command.dest, command)
        src = self._blob(result, command.src, command)
        if dest is None or src is None:
            return
        offset, size = command.offset, command.size
        if size not in POINTER_SIZES or offset + size > len(dest):
            raise ScriptError(f"{command}: field outside {len(dest)} bytes")
        value = (int.from_bytes(dest[offset:offset + size], "little")
                 + result.addresses[command.src])
        if value >> (8 * size):
            result.problems.append(f"{command}: {value:#x} does not fit "
                                   f"{size} bytes at this placement")
            return
        dest[offset:offset + size] = value.to_bytes(size, "little")
        result.touched[command.dest].append((offset, offset + size, command))

    def _checksum(self, result, command):
        data = self._blob(result, command.file, command)
        if data is None:
            return
        start, end = command.start, command.start + command.length
        if command.offset >= len(data) or end > len(data):
            raise ScriptError(f"{command}: outside {len(data)} bytes")
        data[command.offset] = (data[command.offset]
                                - sum(data[start:end])) & 0xff
        result.touched[command.file].append(
            (command.offset, command.offset + 1, command))

    def _write_pointer(self, result, command):
        src = self._blob(result, command.src, command)
        if src is None:
            return
        if command.size not in POINTER_SIZES:
            raise ScriptError(f"{command}: pointer size {command.size}")
        if command.src_offset >= len(src):
            raise ScriptError(f"{command}: src_offset outside {len(src)} "
                              "bytes")
        value = result.addresses[command.src] + command.src_offset
        result.fw_cfg_writes.append(FwCfgWrite(
            command.dest, command.dst_offset,
            value.to_bytes(command.size, "little"), command))

    @staticmethod
    def _check_overlaps(result):
        spans = sorted((address, address + len(result.blobs[name]), name)
                       for name, address in result.addresses.items())
        for (_, end, name), (start, _, other) in zip(spans, spans[1:]):
            if start < end:
                result.problems.append(f"{name} and {other} overlap in "
                                       "guest memory")


def differences(expected, actual, limit=8, gap=16):
    """Byte ranges where EXPECTED and ACTUAL differ: up to LIMIT (start,
    end) pairs, differences less than GAP bytes apart merged; and the
    total count of differing bytes."""
    diffs = [i for i in range(min(len(expected), len(actual)))
             if expected[i] != actual[i]]
    diffs += range(min(len(expected), len(actual)),
                   max(len(expected), len(actual)))
    ranges = []
    for offset in diffs:
        if ranges and offset - ranges[-1][1] < gap:
            ranges[-1][1] = offset + 1
        else:
            ranges.append([offset, offset + 1])
    return [tuple(r) for r in ranges[:limit]], len(diffs)


# --- ACPI in guest memory ----------------------------------------------------

RSDP_SIGNATURE = b"RSD PTR "
RSDP_V1_LENGTH = 20
RSDP_V2_LENGTH = 36
HEADER_LENGTH = 36
BDA_EBDA_SEGMENT = 0x40E
EBDA_SCAN_LENGTH = 1024
BIOS_SCAN_START, BIOS_SCAN_END = 0xE0000, 0x100000
# FADT (ACPI 6.5 table 5.9): byte offset, size of the fields we follow.
FADT_FIRMWARE_CTRL = (36, 4)
FADT_DSDT = (40, 4)
FADT_X_FIRMWARE_CTRL = (132, 8)
FADT_X_DSDT = (140, 8)
FACS_MIN_LENGTH = 64
FACS_ALIGN = 64


def checksum(data):
    return sum(data) & 0xff


RSDP_MAX_LENGTH = 4096  # sanity bound for a revision >= 2 length field


@dataclass
class Rsdp:
    address: int
    raw: bytes
    revision: int
    rsdt: int
    length: int = 0
    xsdt: int = 0
    # Why this candidate is not a valid RSDP (empty when it is).
    invalid: List[str] = field(default_factory=list)

    def problems(self):
        return self.invalid


def rsdp_at(memory, address):
    """The RSDP candidate at ADDRESS, with what makes it invalid: a bad
    checksum of the first 20 bytes or, for revision >= 2, a bad length or
    extended checksum."""
    raw = memory.read(address, RSDP_V1_LENGTH)
    revision = raw[15]
    (rsdt,) = struct.unpack_from("<I", raw, 16)
    rsdp = Rsdp(address, raw, revision, rsdt)
    if checksum(raw):
        rsdp.invalid.append("checksum of the first 20 bytes is "
                            f"{checksum(raw):#04x}, not 0")
        return rsdp
    if revision < 2:
        return rsdp
    rsdp.length, rsdp.xsdt = struct.unpack(
        "<IQ", memory.read(address + RSDP_V1_LENGTH, 12))
    if not RSDP_V2_LENGTH <= rsdp.length <= RSDP_MAX_LENGTH:
        rsdp.invalid.append(f"revision {revision} with length "
                            f"{rsdp.length}")
        return rsdp
    try:
        rsdp.raw = memory.read(address, rsdp.length)
    except IndexError as error:
        rsdp.invalid.append(str(error))
        return rsdp
    if checksum(rsdp.raw):
        rsdp.invalid.append("extended checksum is not zero")
    return rsdp


def rsdp_scan_ranges(memory):
    """Where an OS looks for the RSDP (ACPI 6.5 5.2.5.1): the first KiB of
    the EBDA, then 0xE0000-0xFFFFF."""
    ranges = []
    (segment,) = struct.unpack("<H", memory.read(BDA_EBDA_SEGMENT, 2))
    if segment:
        ranges.append((segment << 4, (segment << 4) + EBDA_SCAN_LENGTH))
    ranges.append((BIOS_SCAN_START, BIOS_SCAN_END))
    return ranges


def find_rsdp_candidates(memory):
    """Every 16-byte aligned "RSD PTR " in the scanned ranges, in the
    order an OS meets them (valid or not)."""
    candidates = []
    for start, end in rsdp_scan_ranges(memory):
        area = memory.read(start, end - start)
        for offset in range(0, len(area) - len(RSDP_SIGNATURE) + 1, 16):
            if area[offset:offset + len(RSDP_SIGNATURE)] == RSDP_SIGNATURE:
                candidates.append(rsdp_at(memory, start + offset))
    return candidates


@dataclass
class Table:
    address: int
    signature: bytes
    length: int
    revision: int
    data: bytes

    @property
    def name(self):
        return self.signature.decode("ascii", "replace")

    def problems(self):
        found = []
        if self.length < HEADER_LENGTH:
            found.append(f"length {self.length} < {HEADER_LENGTH}")
        elif checksum(self.data):
            found.append(f"checksum over {self.length} bytes is "
                         f"{checksum(self.data):#04x}, not 0")
        if not all(0x20 < byte < 0x7f for byte in self.signature):
            found.append(f"signature {self.signature!r} is not printable")
        return found

    def field(self, offset_size):
        offset, size = offset_size
        if offset + size > self.length:
            return None
        return int.from_bytes(self.data[offset:offset + size], "little")

    def __str__(self):
        return f"{self.name} at {self.address:#x} length {self.length}"


def table_at(memory, address, max_length=1 << 20):
    """The ACPI table at ADDRESS (its header's length, capped)."""
    header = memory.read(address, HEADER_LENGTH)
    signature = header[:4]
    length, revision = struct.unpack_from("<IB", header, 4)
    data = memory.read(address, min(max(length, HEADER_LENGTH), max_length))
    return Table(address, signature, length, revision, data)


def sdt_entries(table, width):
    """The pointers an RSDT (WIDTH 4) or XSDT (WIDTH 8) lists."""
    body = table.data[HEADER_LENGTH:table.length]
    return [int.from_bytes(body[i:i + width], "little")
            for i in range(0, len(body) - width + 1, width)]


def find_named_dword(aml, name):
    """The value of `Name (NAME, 0xdword)` in AML bytes: NameOp (0x08), the
    4-character NameSeg, DWordPrefix (0x0C), the dword; None if absent."""
    match = re.search(b"\x08" + re.escape(name) + b"\x0c(.{4})", aml,
                      re.DOTALL)
    return int.from_bytes(match.group(1), "little") if match else None
