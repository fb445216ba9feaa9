"""Issue 5 CPU and RAM checks with Linux (TCG is fine).

- -smp 8: all CPUs online; -smp 4,maxcpus=16: 4 online, 16 possible.
- -m 6G: Linux sees (nearly) all of it, RAM above 4 GiB included.
- The debug log names the machine, the CPU count and the MTRR setup.
- The most vCPUs QEMU takes: ReefBIOS counts them all and Linux brings
  every one online (255 under TCG on both machines; 288 on q35 when the
  tests run under KVM, and a firmware-only count of 288 whenever KVM can
  run at all).
- On q35, every PCI config cycle after the chipset enables MMCONFIG goes
  through it, not the 0xcf8/0xcfc ports (counted with QEMU's memory
  region trace events while a tiny payload boots).
- The TSC rate comes from kvmclock, else CPUID (the hypervisor timing
  leaf), else the PIT, and the three agree (KVM only: TCG has neither
  kvmclock nor the leaf, so every other boot covers the PIT).
"""
import os
import re
import subprocess

import pytest

import qemu
from conftest import bios_gave_up
from qemu import assert_debuglog

MACHINES = ("pc", "q35")
SHORT_CMDLINE = "console=ttyS0 panic=-1"
# QEMU 7.2 takes at most 255 vCPUs on pc, and on q35 without x2APIC
# interrupt remapping; 288 on q35 needs the split irqchip and an IOMMU
# with extended interrupt mode, which only KVM offers.
TCG_MAX_CPUS = 255
Q35_MAX_CPUS = 288
X2APIC_ARGS = ("-device", "intel-iommu,intremap=on,eim=on")
# Hundreds of vCPUs on a couple of host threads: skip what Linux can do
# without (per-CPU delay-loop calibration, the TSC sync check, watchdogs)
# so bringing up every CPU takes seconds, not minutes.
MANY_CPUS_CMDLINE = (SHORT_CMDLINE + " lpj=1000000 tsc=reliable nowatchdog"
                     " nosoftlockup")
MANY_CPUS_TIMEOUT = 300
GIB_IN_KIB = 1024 * 1024


def possible_count(text):
    """Number of CPUs in a sysfs cpu list such as "0-15" or "0,2-3"."""
    count = 0
    for part in text.split(","):
        first, _, last = part.partition("-")
        count += int(last or first) - int(first) + 1
    return count


@pytest.mark.parametrize("machine", MACHINES)
def test_smp8_and_6g(boot, initramfs, machine):
    result = boot(machine=machine, smp=8, memory="6G", initrd=initramfs,
                  append=SHORT_CMDLINE)
    assert result.reached_userspace, result.describe()
    assert result.report("cpus") == "8", result.describe()
    memtotal = int(result.report("memtotal-kb"))
    # 6 GiB less what the kernel keeps for itself (its image, page
    # tables, crash kernel reserve...): well above 5.5 GiB.
    assert memtotal > 5.5 * GIB_IN_KIB, result.describe()
    assert_debuglog(result, r"shadow: host bridge .*\((i440fx|q35)\)",
                    r"mtrr: default wb", r"smp: 8 cpus")


@pytest.mark.parametrize("machine", MACHINES)
def test_smp_maxcpus(boot, initramfs, machine):
    result = boot(machine=machine, smp="4,maxcpus=16", memory="256M",
                  initrd=initramfs, append=SHORT_CMDLINE)
    assert result.reached_userspace, result.describe()
    assert result.report("cpus") == "4", result.describe()
    possible = result.report("cpus-possible")
    assert possible and possible_count(possible) == 16, result.describe()
    assert_debuglog(result, r"smp: 4 cpus")
    assert re.search(r"mptable: .* 4 cpus", result.debuglog)


def max_cpus(accel, machine):
    """The vCPU count to test and the QEMU machine option and arguments
    that allow it."""
    if accel == "kvm" and machine == "q35":
        return Q35_MAX_CPUS, "q35,kernel-irqchip=split", X2APIC_ARGS
    return TCG_MAX_CPUS, machine, ()


@pytest.mark.slow
@pytest.mark.parametrize("machine", MACHINES)
def test_max_cpus_linux(boot, initramfs, accel, machine):
    count, machine_option, extra = max_cpus(accel.name, machine)
    result = boot(machine=machine_option, smp=count, memory="512M",
                  initrd=initramfs, append=MANY_CPUS_CMDLINE,
                  extra_args=extra, timeout=MANY_CPUS_TIMEOUT)
    assert result.reached_userspace, result.describe()
    assert_debuglog(result, rf"smp: {count} cpus")
    assert f"Total of {count} processors activated" in result.serial, \
        result.describe()
    assert result.report("cpus") == str(count), result.describe()
    assert possible_count(result.report("cpus-possible")) == count, \
        result.describe()


def kvm_usable():
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        return False
    probe = subprocess.run(
        [qemu.QEMU, "-M", "q35", "-accel", "kvm", "-display", "none",
         "-S", "-monitor", "none", "-qmp", "stdio"],
        input=b'{"execute":"qmp_capabilities"}{"execute":"quit"}',
        capture_output=True, timeout=30, check=False)
    return probe.returncode == 0


def test_288_cpus_counted_under_kvm(bios, tmp_path):
    """x2APIC IDs above 254: every CPU answers INIT-SIPI and is counted.
    Needs KVM (TCG refuses this configuration); no OS, so it runs even
    where KVM cannot boot Debian's kernel."""
    if not kvm_usable():
        pytest.skip("no usable /dev/kvm: TCG refuses more than 255 vCPUs")
    guest = qemu.Guest(bios=bios, accel="kvm",
                       machine="q35,kernel-irqchip=split", smp=Q35_MAX_CPUS,
                       memory="512M", extra_args=X2APIC_ARGS)
    result = qemu.boot(guest, tmp_path / "qemu", 120,
                       until=bios_gave_up)
    assert_debuglog(result, rf"smp: {Q35_MAX_CPUS} cpus",
                    r"boot: no bootable device")


# QEMU's names for the memory regions of the config ports and of q35's
# MMCONFIG window, as its memory_region_ops_* trace events print them.
TRACE_EVENTS = ("memory_region_ops_read", "memory_region_ops_write")
TRACE_REGION = re.compile(r"^memory_region_ops_\w+ .* name '([^']+)'$",
                          re.MULTILINE)
CONFIG_PORT_REGIONS = ("pci-conf-idx", "pci-conf-data")
MMCONFIG_REGION = "pcie-mmcfg-mmio"
# Enumerating q35's bus 0 alone reads several config registers of each
# of its functions.
MIN_MMCONFIG_ACCESSES = 100


def qemu_has_trace_events():
    listing = subprocess.run([qemu.QEMU, "-trace", "help"],
                             capture_output=True, text=True, check=False)
    return all(event in listing.stdout.split() for event in TRACE_EVENTS)


@pytest.mark.parametrize("machine", MACHINES)
def test_config_cycles_use_mmconfig(boot, machine, tmp_path):
    if not qemu_has_trace_events():
        pytest.skip("this QEMU has no memory_region_ops trace events")
    kernel = qemu.payload("tinykernel.bzImage")
    trace = tmp_path / "trace.log"
    trace_args = ["-D", str(trace)]
    for event in TRACE_EVENTS:
        trace_args += ["-trace", event]
    result = boot(machine=machine, kernel=kernel, timeout=60, until=None,
                  extra_args=["-device", "isa-debug-exit,iobase=0xf4,iosize=4",
                              *trace_args])
    assert "TINYKERNEL" in result.debuglog, result.describe()
    regions = [name for name in TRACE_REGION.findall(trace.read_text())
               if name in CONFIG_PORT_REGIONS or name == MMCONFIG_REGION]
    if machine == "pc":
        assert MMCONFIG_REGION not in regions
        assert len(regions) > MIN_MMCONFIG_ACCESSES
        return
    assert regions.count(MMCONFIG_REGION) >= MIN_MMCONFIG_ACCESSES, regions
    first = regions.index(MMCONFIG_REGION)
    late = [name for name in regions[first:] if name != MMCONFIG_REGION]
    assert not late, (f"{len(late)} config port accesses after MMCONFIG "
                      f"was enabled (and {first} before)")
    assert_debuglog(result, r"chipset: mmconfig at 0xb0000000, 256 buses,"
                            r" used for config cycles")


TIMER_LINE = re.compile(r"^timer: tsc (\d+) khz from (.+)$", re.MULTILINE)
# -cpu for each TSC rate source, most preferred first.
TSC_SOURCES = (
    ("host", "kvmclock"),
    ("host,-kvmclock,vmware-cpuid-freq=on,+invtsc", "cpuid 0x40000010"),
    ("host,-kvmclock", "pit"),
)
# The PIT figure is refined later; the first is within a few percent.
TSC_AGREEMENT = 0.03


def test_tsc_rate_sources(bios, tmp_path):
    if not kvm_usable():
        pytest.skip("no usable /dev/kvm: TCG offers only the PIT")
    kernel = qemu.payload("tinykernel.bzImage")
    rates = {}
    for cpu, source in TSC_SOURCES:
        guest = qemu.Guest(bios=bios, accel="kvm", machine="q35",
                           kernel=kernel, extra_args=[
                               "-cpu", cpu, "-device",
                               "isa-debug-exit,iobase=0xf4,iosize=4"])
        result = qemu.boot(guest, tmp_path / source.replace(" ", "-"), 30)
        assert "TINYKERNEL" in result.debuglog, result.describe()
        m = TIMER_LINE.search(result.debuglog)
        assert m and m[2] == source, (f"-cpu {cpu}: expected {source}\n"
                                      + result.describe())
        rates[source] = int(m[1])
    reference = rates["kvmclock"]
    for source, khz in rates.items():
        assert abs(khz - reference) <= TSC_AGREEMENT * reference, rates
