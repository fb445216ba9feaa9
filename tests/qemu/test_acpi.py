"""ACPI tables: what ReefBIOS installs from QEMU's linker-loader script.

Payload boots (tests/payload/fwcfgdump.S, no Linux): the payload dumps
QEMU's fw_cfg files on a second debugcon and halts; the test saves guest RAM
over QMP and
- walks the tables from the RSDP as an OS would (checksums, FADT -> FACS
  and DSDT, E820 types of every table);
- replays etc/table-loader itself (acpi_model.LoaderModel) on QEMU's blobs
  at the addresses the BIOS logged, and requires guest memory to be equal
  byte for byte, and the WRITE_POINTER values to be in fw_cfg;
- checks the vmgenid handshake: QEMU wrote the GUID where its copy of the
  address points, and the SSDT's VGIA points there too.

Linux boots (busybox initramfs): the kernel lists the tables, logs no ACPI
errors and powers QEMU off through ACPI; with -machine acpi=off it still
finds every CPU through the MP table.
"""

import re
import uuid

import pytest

import acpi_model as model
import logformat
import qemu
from qemu import assert_debuglog

MACHINES = ("pc", "q35")
DUMPS = {"plain": model.DUMP_PLAIN, "devices": model.DUMP_DEVICES}
# Tables each machine must have (QEMU 7.2 builds these by default; q35's
# MCFG only when the firmware enabled the MMCONFIG window).
REQUIRED_TABLES = {"pc": {"FACP", "APIC"}, "q35": {"FACP", "APIC", "MCFG"}}
# E820 types ACPI tables may live in: not RAM, and covered by the map.
TABLE_E820 = {model.E820_RESERVED, model.E820_ACPI, model.E820_NVS}
MPTABLE_CPUS = 4
SHORT_CMDLINE = "console=ttyS0 panic=-1"
SHUTDOWN_REASON = "guest-shutdown"  # QMP SHUTDOWN after ACPI S5


class Dumped:
    """One fwcfgdump boot, parsed."""

    def __init__(self, firmware_dump, machine, variant):
        dumped = firmware_dump(machine, DUMPS[variant])
        self.result, self.memory = dumped.result, dumped.memory
        self.dump = model.parse_dump(dumped.dump)
        assert self.dump.finished and self.memory is not None, (
            f"fwcfgdump did not finish or guest memory was not saved\n"
            f"{self.result.describe()}\n--- dump (tail) ---\n"
            f"{qemu.tail(dumped.dump)}")
        mmap = self.dump.blobs.get("multiboot-mmap")
        assert mmap, f"no multiboot memory map\n{self.result.describe()}"
        self.e820 = model.parse_multiboot_mmap(mmap)

    def describe(self):
        return (self.result.describe() + "\n--- e820 (multiboot) ---\n"
                + "\n".join(str(entry) for entry in self.e820))


@pytest.fixture(params=[(m, v) for m in MACHINES for v in DUMPS],
                ids=lambda p: f"{p[0]}-{p[1]}")
def dumped(request, firmware_dump):
    machine, variant = request.param
    return Dumped(firmware_dump, machine, variant)


@pytest.fixture(params=MACHINES)
def dumped_devices(request, firmware_dump):
    return Dumped(firmware_dump, request.param, "devices")


def machine_of(dumped):
    return dumped.result.command[dumped.result.command.index("-M") + 1]


@pytest.fixture(params=MACHINES)
def linux_tables(request, shared_boot, initramfs):
    """The Linux boot shared with test_smbios.py (one per machine)."""
    result = shared_boot(**model.linux_tables_guest(request.param,
                                                    initramfs))
    assert result.finished, f"guest did not finish\n{result.describe()}"
    return request.param, result


# --- ACPI from guest memory, as an OS finds it -------------------------------

class Walk:
    """The tables reachable from the RSDP, and every problem met."""

    def __init__(self, memory):
        self.memory = memory
        self.problems = []
        self.tables = []     # those RSDT/XSDT list, in order
        self.rsdp = self.rsdt = self.xsdt = self.facs = self.dsdt = None
        self.fadt = None
        self._walk()

    def _walk(self):
        candidates = model.find_rsdp_candidates(self.memory)
        valid = [c for c in candidates if not c.problems()]
        if len(valid) != 1:
            self.problems.append(
                f"{len(valid)} valid RSDPs (want exactly 1) among "
                + (", ".join(f"{c.address:#x} {c.problems() or 'valid'}"
                             for c in candidates) or "no candidates"))
        if not valid:
            return
        self.rsdp = valid[0]
        self.rsdt = self._sdt(self.rsdp.rsdt, b"RSDT", 4)
        if self.rsdp.revision >= 2 and self.rsdp.xsdt:
            self.xsdt = self._sdt(self.rsdp.xsdt, b"XSDT", 8)
        fadts = [t for t in self.tables if t.signature == b"FACP"]
        if len(set(t.address for t in fadts)) != 1:
            self.problems.append(f"{len(fadts)} FADTs listed (want 1)")
        if fadts:
            self.fadt = fadts[0]
            self._fadt(self.fadt)

    def _table(self, address, what, signature=None):
        try:
            table = model.table_at(self.memory, address)
        except IndexError as error:
            self.problems.append(f"{what} at {address:#x}: {error}")
            return None
        problems = table.problems()
        if signature and table.signature != signature:
            problems.append(f"signature {table.signature!r}, want "
                            f"{signature!r}")
        for problem in problems:
            self.problems.append(f"{what} ({table}): {problem}")
        return None if problems else table

    def _sdt(self, address, signature, width):
        sdt = self._table(address, signature.decode(), signature)
        if sdt is None:
            return None
        if (sdt.length - model.HEADER_LENGTH) % width:
            self.problems.append(f"{sdt}: entries not a multiple of {width}")
        known = {t.address for t in self.tables}
        for index, pointer in enumerate(model.sdt_entries(sdt, width)):
            table = self._table(pointer, f"{signature.decode()} entry "
                                         f"{index}")
            if table is not None and table.address not in known:
                self.tables.append(table)
                known.add(table.address)
        return sdt

    def _pointer_pair(self, fadt, narrow, wide, what):
        """FADT's 32-bit and 64-bit pointer to one table: the nonzero ones
        must agree; None if neither is set."""
        values = {name: fadt.field(spec) for name, spec in
                  ((f"{what}", narrow), (f"X_{what}", wide))}
        set_values = {v for v in values.values() if v}
        if not set_values:
            self.problems.append(f"FADT sets neither {what} nor X_{what}: "
                                 f"{values}")
            return None
        if len(set_values) > 1:
            self.problems.append(f"FADT {what} and X_{what} disagree: "
                                 + ", ".join(f"{k}={v:#x}" for k, v in
                                             values.items() if v))
        return min(set_values)

    def _fadt(self, fadt):
        facs = self._pointer_pair(fadt, model.FADT_FIRMWARE_CTRL,
                                  model.FADT_X_FIRMWARE_CTRL,
                                  "FIRMWARE_CTRL")
        if facs is not None:
            raw = self.memory.read(facs, 8)
            length = int.from_bytes(raw[4:8], "little")
            if raw[:4] != b"FACS" or length < model.FACS_MIN_LENGTH:
                self.problems.append(f"FACS at {facs:#x}: signature "
                                     f"{raw[:4]!r} length {length}")
            elif facs % model.FACS_ALIGN:
                self.problems.append(f"FACS at {facs:#x} is not "
                                     f"{model.FACS_ALIGN}-byte aligned")
            else:
                self.facs = (facs, length)
        dsdt = self._pointer_pair(fadt, model.FADT_DSDT, model.FADT_X_DSDT,
                                  "DSDT")
        if dsdt is not None:
            self.dsdt = self._table(dsdt, "DSDT", b"DSDT")

    def all_tables(self):
        return [t for t in [self.rsdt, self.xsdt, self.dsdt] + self.tables
                if t is not None]

    def describe(self):
        lines = []
        if self.rsdp:
            lines.append(f"RSDP at {self.rsdp.address:#x} revision "
                         f"{self.rsdp.revision} rsdt {self.rsdp.rsdt:#x}"
                         + (f" xsdt {self.rsdp.xsdt:#x}"
                            if self.rsdp.revision >= 2 else ""))
        lines += [str(t) for t in self.all_tables()]
        if self.facs:
            lines.append(f"FACS at {self.facs[0]:#x} length {self.facs[1]}")
        return "\n".join(lines)


def e820_problems(dumped, walk):
    problems = []
    spans = [(str(t), t.address, t.length, TABLE_E820)
             for t in walk.all_tables()]
    if walk.facs:
        spans.append((f"FACS at {walk.facs[0]:#x}", walk.facs[0],
                      walk.facs[1], {model.E820_NVS}))
    if walk.rsdp:
        spans.append((f"RSDP at {walk.rsdp.address:#x}", walk.rsdp.address,
                      max(walk.rsdp.length, model.RSDP_V1_LENGTH),
                      TABLE_E820))
    for what, start, length, allowed in spans:
        kinds = model.e820_types(dumped.e820, start, length)
        if not kinds <= allowed:
            seen = sorted(model.E820_NAMES.get(k, str(k)) for k in kinds)
            want = sorted(model.E820_NAMES[k] for k in allowed)
            problems.append(f"{what}: E820 types {seen}, want only {want}")
    return problems


def test_acpi_tables_in_memory(dumped):
    """An OS's view: one valid RSDP, valid RSDT/XSDT and tables, the FADT's
    FACS and DSDT valid, all of them in non-RAM E820 ranges (FACS in
    NVS)."""
    walk = Walk(dumped.memory)
    problems = walk.problems + e820_problems(dumped, walk)
    names = {t.name for t in walk.tables}
    missing = REQUIRED_TABLES[machine_of(dumped)] - names
    if missing:
        problems.append(f"tables missing: {sorted(missing)}")
    if walk.dsdt is None:
        problems.append("no valid DSDT")
    if walk.facs is None:
        problems.append("no valid FACS")
    assert not problems, ("\n".join(problems) + "\n--- tables ---\n"
                          + walk.describe() + "\n" + dumped.describe())


def test_loader_model_matches_memory(dumped):
    """Replay QEMU's linker-loader script at the BIOS's placements: guest
    memory must hold exactly the same bytes, and fw_cfg the same written
    pointers."""
    if not qemu.log_checks_enabled():
        pytest.skip("needs the BIOS's 'loader:' log lines")
    files = {name: entry.data for name, entry in dumped.dump.files.items()
             if entry.data is not None}
    placements = model.parse_placements(dumped.result.debuglog)
    loaded = model.LoaderModel(dumped.dump.file("etc/table-loader"), files,
                               placements).run()
    problems = list(loaded.problems)
    for name, expected in loaded.blobs.items():
        address = loaded.addresses[name]
        try:
            actual = dumped.memory.read(address, len(expected))
        except IndexError as error:
            problems.append(f"{name}: {error}")
            continue
        ranges, count = model.differences(expected, actual)
        for start, end in ranges:
            touching = loaded.commands_touching(name, start, end)
            problems.append(
                f"{name} at {address:#x}: bytes [{start:#x}, {end:#x}) "
                f"differ: model {expected[start:end].hex()} memory "
                f"{actual[start:end].hex()}; commands there: "
                + ("; ".join(str(c) for c in touching) or "none (QEMU's "
                   "bytes)"))
        if count > sum(end - start for start, end in ranges):
            problems.append(f"{name}: {count} differing bytes in all")
    for write in loaded.fw_cfg_writes:
        data = files.get(write.file, b"")
        actual = data[write.offset:write.offset + len(write.data)]
        if actual != write.data:
            problems.append(f"{write.command}: fw_cfg {write.file} holds "
                            f"{actual.hex() or 'nothing'}, want "
                            f"{write.data.hex()}")
    problems += [f"BIOS skipped: {match.group(0)}" for match in
                 re.finditer(logformat.LOADER_SKIPPED,
                             dumped.result.debuglog, re.MULTILINE)]
    assert not problems, (
        "\n".join(problems) + "\n--- script ---\n"
        + "\n".join(str(c) for c in model.parse_script(
            dumped.dump.file("etc/table-loader")))
        + "\n" + dumped.describe())


def test_vmgenid(dumped_devices):
    """-device vmgenid: the BIOS loaded the GUID blob where the SSDT's VGIA
    points (the GUID, Microsoft byte order, at VGIA + 0x28), in reserved
    memory, and wrote the GUID's address back to fw_cfg etc/vmgenid_addr,
    which QEMU keeps as the place to write a new GUID (read back by the
    payload from QEMU's own copy)."""
    dumped = dumped_devices
    guid = uuid.UUID(model.VMGENID_GUID).bytes_le
    context = dumped.describe()
    walk = Walk(dumped.memory)
    vgia = [value for value in (model.find_named_dword(t.data, b"VGIA")
                                for t in walk.tables if t.name == "SSDT")
            if value is not None]
    assert len(vgia) == 1, (f"{len(vgia)} VGIA objects in the SSDTs\n"
                            f"{walk.describe()}\n{context}")
    guid_address = vgia[0] + model.VMGENID_GUID_OFFSET
    in_memory = dumped.memory.read(guid_address, len(guid))
    assert in_memory == guid, (
        f"at VGIA {vgia[0]:#x} + {model.VMGENID_GUID_OFFSET:#x}: "
        f"{in_memory.hex()}, want the GUID {guid.hex()}\n{context}")
    kinds = model.e820_types(dumped.e820, vgia[0], model.VMGENID_BLOB_SIZE)
    assert kinds <= TABLE_E820, (
        f"vmgenid blob at {vgia[0]:#x} has E820 types {kinds}\n{context}")
    address = dumped.dump.vmgenid_addr
    assert address == guid_address, (
        f"QEMU's etc/vmgenid_addr is {address and hex(address)}, the GUID "
        f"is at {guid_address:#x}\n{context}")


def test_linux_acpi_tables(linux_tables):
    """Linux finds the tables the machine must have."""
    machine, result = linux_tables
    found = set(result.report("acpi-tables").split())
    missing = (REQUIRED_TABLES[machine] | {"DSDT", "FACS"}) - found
    assert not missing, (f"/sys/firmware/acpi/tables lacks "
                         f"{sorted(missing)} (has {sorted(found)})\n"
                         f"{result.describe()}")


def test_linux_acpi_no_errors(linux_tables):
    """No ACPI Error/Warning/Exception (or BIOS Error/Warning) lines in the
    kernel log."""
    _, result = linux_tables
    count = result.report("acpi-problems")
    assert count == "0", (f"{count} ACPI problems in dmesg:\n"
                          + "\n".join(result.reports.get("acpi-problem", []))
                          + f"\n{result.describe()}")


def test_linux_poweroff(linux_tables):
    """poweroff -f in the guest turns QEMU off through ACPI S5: the guest
    took its poweroff path, QEMU exited by itself with status 0, and QMP
    says the guest shut down (a reset under -no-reboot says
    guest-reset)."""
    _, result = linux_tables
    assert result.report("ending") == "poweroff", result.describe()
    assert result.ending == qemu.EXITED and result.returncode == 0, (
        result.describe())
    reasons = [event.get("data", {}).get("reason")
               for event in result.events("SHUTDOWN")]
    assert reasons == [SHUTDOWN_REASON], (
        f"QMP SHUTDOWN reasons {reasons}, want [{SHUTDOWN_REASON!r}]\n"
        f"{result.describe()}")


@pytest.mark.parametrize("machine", MACHINES)
def test_mptable_without_acpi(boot, initramfs, machine):
    """-machine acpi=off: no table-loader, and Linux still finds every CPU,
    through the MP table."""
    result = boot(machine=f"{machine},acpi=off", smp=MPTABLE_CPUS,
                  initrd=initramfs, append=SHORT_CMDLINE)
    assert result.finished, f"guest did not finish\n{result.describe()}"
    assert result.report("cpus") == str(MPTABLE_CPUS), (
        f"guest has {result.report('cpus')} CPUs, -smp {MPTABLE_CPUS}\n"
        f"{result.describe()}")
    assert result.report("acpi-tables") == "", (
        f"ACPI tables with acpi=off: {result.report('acpi-tables')}\n"
        f"{result.describe()}")
    assert result.report("mptable"), (
        f"Linux did not report an MP table\n{result.describe()}")
    assert_debuglog(result, logformat.ACPI_NO_LOADER)
    if qemu.log_checks_enabled():
        match = re.search(logformat.MPTABLE_BUILT, result.debuglog,
                          re.MULTILINE)
        assert match and match["cpus"] == str(MPTABLE_CPUS), (
            f"BIOS MP table line: {match and match.group(0)}\n"
            f"{result.describe()}")


# pc with a PCI bridge in slot 8 and a device behind it in slot 1 of
# bus 1, and one on bus 0 in slot 9 (both virtio: interrupt pin A).
MP_BRIDGE_DEVICES = (
    "-device", "pci-bridge,id=br1,chassis_nr=1,bus=pci.0,addr=0x8",
    "-device", "virtio-rng-pci,bus=br1,addr=0x1",
    "-device", "virtio-rng-pci,bus=pci.0,addr=0x9",
)
MP_ENTRY_SIZES = {0: 20, 1: 8, 2: 8, 3: 8, 4: 8}
PIRQ_LINE = re.compile(r"^chipset: .* pirq irqs (\d+) (\d+) (\d+) (\d+)$",
                       re.MULTILINE)


def mp_entries(memory):
    """The MP configuration table's base entries, as (type, bytes)."""
    fseg = memory.read(0xf0000, 0x10000)
    at = fseg.find(b"_MP_")
    assert at >= 0 and at % 16 == 0, "no MP floating pointer"
    table = int.from_bytes(fseg[at + 4:at + 8], "little")
    header = memory.read(table, 44)
    assert header[:4] == b"PCMP", f"no PCMP at {table:#x}"
    length = int.from_bytes(header[4:6], "little")
    count = int.from_bytes(header[34:36], "little")
    body = memory.read(table, length)
    assert sum(body) % 256 == 0, "MP configuration table checksum"
    entries, pos = [], 44
    for _ in range(count):
        kind = body[pos]
        size = MP_ENTRY_SIZES[kind]
        entries.append((kind, body[pos:pos + size]))
        pos += size
    return entries


def test_mptable_covers_bridged_buses(firmware_dump):
    """Every bus has a bus entry and a function behind a bridge has an
    interrupt entry of its own, with the IRQ its pin reaches on bus 0
    through the bridge (PCI-to-PCI Bridge Architecture 1.2, 9.1: pin A of
    device 1 becomes pin B of the bridge's slot 8)."""
    dumped = firmware_dump("pc", MP_BRIDGE_DEVICES)
    assert dumped.memory is not None, dumped.result.describe()
    entries = mp_entries(dumped.memory)
    buses = {e[1]: bytes(e[2:8]) for kind, e in entries if kind == 1}
    assert buses.get(0) == b"PCI   " and buses.get(1) == b"PCI   ", buses
    assert b"ISA   " in buses.values(), buses
    irqs = {(e[4], e[5] >> 2, (e[5] & 3) + 1): e[7]
            for kind, e in entries if kind == 3 and e[4] in (0, 1)
            and buses.get(e[4]) == b"PCI   "}
    pirq = PIRQ_LINE.search(dumped.result.debuglog)
    assert pirq, dumped.result.describe()
    def routed(slot, pin):  # PIIX: PIRQ (slot + pin - 1) mod 4, pin 1 = A
        return int(pirq[(slot + pin - 1) % 4 + 1])
    assert irqs.get((1, 1, 1)) == routed(8, 2), irqs
    assert irqs.get((0, 9, 1)) == routed(9, 1), irqs


@pytest.mark.parametrize("machine", ["pc", "q35"])
def test_fixed_area_in_shadow_ram(bios, firmware_dump, machine):
    """The reset path copies only the pieces of F000:E05B-F000:FFFF that
    hold entry points and tables (FIXED() in romlayout.S), not the whole
    8 KiB: after POST every byte the image holds there is in shadow RAM,
    where real-mode software reads it by absolute address."""
    dumped = firmware_dump(machine, DUMPS["plain"])
    assert dumped.memory is not None, dumped.result.describe()
    fseg = bios.read_bytes()[-0x10000:]
    ram = dumped.memory.read(0xf0000, 0x10000)
    wrong = [f"F000:{off:04X} ram {ram[off]:#04x} image {fseg[off]:#04x}"
             for off in range(0xe05b, 0x10000)
             if fseg[off] and ram[off] != fseg[off]]
    assert not wrong, wrong[:8]
    assert sum(1 for b in fseg[0xe05b:] if b) > 64  # the pieces are there
