"""Build-level tests: reproducibility and the mode checker.

Run by `make check` (target build-test) with /usr/bin/python3 -m pytest.
Each test works in a temporary copy of the tracked tree, so it never
touches out/ of the working copy.
"""
import os
import re
import shutil
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def copy_tree(dest):
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"],
                           cwd=ROOT, check=True, capture_output=True,
                           text=True).stdout.split()
    for name in files:
        src = os.path.join(ROOT, name)
        if not os.path.isfile(src):
            continue
        os.makedirs(os.path.join(dest, os.path.dirname(name)), exist_ok=True)
        shutil.copy2(src, os.path.join(dest, name))


def build(tree, epoch="1700000000"):
    env = dict(os.environ, SOURCE_DATE_EPOCH=epoch)
    subprocess.run(["make", "-s", "all"], cwd=tree, check=True, env=env,
                   capture_output=True)
    with open(os.path.join(tree, "out", "bios.bin"), "rb") as f:
        return f.read()


def test_reproducible(tmp_path):
    """Two builds of one tree in different directories: the same bytes."""
    a, b = tmp_path / "a", tmp_path / "b"
    copy_tree(a)
    copy_tree(b)
    image_a, image_b = build(a), build(b)
    assert len(image_a) == 256 * 1024
    assert image_a == image_b
    with open(a / "out" / "bios-256k.bin", "rb") as f:
        assert f.read() == image_a


def test_image_layout(tmp_path):
    """F-segment sums to zero, reset vector and model byte in place."""
    copy_tree(tmp_path)
    image = build(tmp_path)
    fseg = image[-0x10000:]
    assert sum(fseg) % 256 == 0
    assert fseg[0xfff0] == 0xe9  # near jmp: stays in the flash copy
    assert fseg[0xfffe] == 0xfc  # model byte: AT
    assert fseg[0xfff5:0xfffd] == b"11/29/26"


CHECKMODES = os.path.join(ROOT, "scripts", "checkmodes.py")


def assemble(tmp_path, name, text):
    src = tmp_path / (name + ".S")
    src.write_text(text)
    obj = tmp_path / (name + ".o")
    subprocess.run(["gcc", "-m32", "-c", "-o", str(obj), str(src)],
                   check=True)
    return str(obj)


@pytest.mark.parametrize("case,ok", [
    ("16-calls-visible32", True),
    ("16-calls-32", False),
    ("32-calls-16", False),
    ("32-takes-16-address", True),
])
def test_checkmodes(tmp_path, case, ok):
    """The link-time mode check accepts legal and refuses illegal uses."""
    code16 = assemble(tmp_path, "code16", """
        .section .text16, "ax"
        .code16
        .globl entry16
entry16: %s
        ret
    """ % {"16-calls-visible32": "movl $handler, %ebx",
           "16-calls-32": "movl $plain32, %ebx"}.get(case, "nop"))
    code32 = assemble(tmp_path, "code32", """
        .section .text.visible32, "ax"
        .globl handler
handler: ret
        .text
        .globl plain32
plain32: %s
        ret
    """ % {"32-calls-16": "call entry16",
           "32-takes-16-address": "movl $entry16, %eax"}.get(case, "nop"))
    result = subprocess.run(["/usr/bin/python3", CHECKMODES, "--16", code16,
                             "--32", code32], capture_output=True, text=True)
    assert (result.returncode == 0) == ok, result.stderr


def test_flag_change_rebuilds(tmp_path):
    """Changed compile flags rebuild every object; unchanged ones nothing."""
    copy_tree(tmp_path)
    image = build(tmp_path)
    obj = tmp_path / "out" / "src" / "post.o"

    def make(*args):
        before = obj.stat().st_mtime_ns
        env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
        subprocess.run(["make", "-s", "all", *args], cwd=tmp_path,
                       check=True, env=env, capture_output=True)
        return obj.stat().st_mtime_ns != before

    assert not make()
    assert make("EXTRA_CFLAGS=-DREEF_FLAG_TEST")
    assert make()  # back to the default flags
    assert not make()
    with open(tmp_path / "out" / "bios.bin", "rb") as f:
        assert f.read() == image


def test_version_outside_git(tmp_path):
    """A tree without git (a release tarball) builds as RELEASE plus
    EXTRAVERSION, and SMBIOS gets RELEASE's two numbers; a RELEASE that
    does not fit SMBIOS's bytes stops the build."""
    copy_tree(tmp_path)
    with open(tmp_path / "Makefile") as f:
        release = re.search(r"^RELEASE := (\d+)\.(\d+)$", f.read(), re.M)
    assert release, "no RELEASE := MAJOR.MINOR in the Makefile"
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000",
               GIT_CEILING_DIRECTORIES=str(tmp_path.parent))
    subprocess.run(["make", "-s", "all", "EXTRAVERSION=-reef1"],
                   cwd=tmp_path, check=True, env=env, capture_output=True)
    with open(tmp_path / "out" / "version.h") as f:
        header = f.read()
    version = f"{release[1]}.{release[2]}-reef1"
    assert f'#define REEF_VERSION "{version}"\n' in header
    assert f"#define REEF_RELEASE_MAJOR {int(release[1])}\n" in header
    assert f"#define REEF_RELEASE_MINOR {int(release[2])}\n" in header
    with open(tmp_path / "out" / "bios.bin", "rb") as f:
        assert b"\0" + version.encode() + b"\0" in f.read()

    for bad in ("1.256", "1", "v1.0"):
        result = subprocess.run(["make", "-s", "all", f"RELEASE={bad}"],
                                cwd=tmp_path, env=env, capture_output=True,
                                text=True)
        assert result.returncode != 0, bad
        assert f"RELEASE {bad!r} is not MAJOR.MINOR" in result.stderr
    result = subprocess.run(["make", "-s", "all", 'EXTRAVERSION=-a\\b'],
                            cwd=tmp_path, env=env, capture_output=True,
                            text=True)
    assert result.returncode != 0
    assert "EXTRAVERSION" in result.stderr
