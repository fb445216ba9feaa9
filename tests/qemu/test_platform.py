"""Issue 5 CPU and RAM checks with Linux (TCG is fine).

- -smp 8: all CPUs online; -smp 4,maxcpus=16: 4 online, 16 possible.
- -m 6G: Linux sees (nearly) all of it, RAM above 4 GiB included.
- The debug log names the machine, the CPU count and the MTRR setup.
"""
import re

import pytest

from qemu import assert_debuglog

MACHINES = ("pc", "q35")
SHORT_CMDLINE = "console=ttyS0 panic=-1"
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
