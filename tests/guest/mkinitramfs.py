#!/usr/bin/python3
"""Build the busybox initramfs that the QEMU boot tests hand to Linux.

Purpose: write an uncompressed newc cpio archive holding a static busybox,
         /init (tests/guest/init.sh, a busybox-only probe that reports on the
         serial console) and, optionally, /payload.bin: N MiB of deterministic
         pseudo-random data (SHAKE-256 of a seed) for large-initrd tests,
         and optionally kernel modules in /lib/modules (--module, e.g.
         Debian's msr.ko, which init.sh loads for its S3 checks).
Inputs:  /bin/busybox (or --busybox), init.sh beside this script.
Outputs: the archive at OUTPUT; with --payload-mib, the line
         "payload-sha256 <hex>" on stdout.

The cpio writer is our own, so device nodes (/dev/console) can be created
without root.  Standard library only; run with /usr/bin/python3.
"""

import argparse
import hashlib
import lzma
import os
import stat
import sys

GUEST_DIR = os.path.dirname(os.path.abspath(__file__))
INIT_SCRIPT = os.path.join(GUEST_DIR, "init.sh")
DIRECTORIES = ("bin", "dev", "proc", "sys", "tmp")
CONSOLE_DEVICE = (5, 1)  # /dev/console: the kernel opens it before /init runs


class CpioWriter:
    """Writes entries of a "newc" (SVR4, no CRC) cpio archive."""

    def __init__(self, stream):
        self.stream = stream
        self.inode = 0

    def add_directory(self, name):
        self._add(name, stat.S_IFDIR | 0o755, b"", nlink=2)

    def add_file(self, name, data, mode=0o644):
        self._add(name, stat.S_IFREG | mode, data)

    def add_char_device(self, name, major, minor):
        self._add(name, stat.S_IFCHR | 0o600, b"", rdev=(major, minor))

    def finish(self):
        self._add("TRAILER!!!", 0, b"")

    def _add(self, name, mode, data, nlink=1, rdev=(0, 0)):
        self.inode += 1
        encoded = name.encode() + b"\0"
        fields = (self.inode, mode, 0, 0, nlink, 0,
                  len(data), 0, 0, rdev[0], rdev[1], len(encoded), 0)
        header = b"070701" + b"".join(b"%08x" % field for field in fields)
        self._write_padded(header + encoded)
        self._write_padded(data)

    def _write_padded(self, chunk):
        self.stream.write(chunk)
        self.stream.write(b"\0" * (-len(chunk) % 4))


def payload_bytes(mib, seed):
    """Deterministic pseudo-random payload of MIB mebibytes."""
    return hashlib.shake_256(seed.encode()).digest(mib << 20)


def read_file(path):
    with open(path, "rb") as source:
        return source.read()


def read_module(path):
    """A kernel module's bytes; .ko.xz is decompressed (busybox insmod
    takes plain ELF)."""
    data = read_file(path)
    if path.endswith(".xz"):
        data = lzma.decompress(data)
    return data


def module_name(path):
    name = os.path.basename(path)
    return name[:-len(".xz")] if name.endswith(".xz") else name


def build(output, busybox="/bin/busybox", payload_mib=0,
          seed="reefbios-payload", modules=()):
    """Write the initramfs to OUTPUT; return the payload's sha256 or None.
    MODULES: kernel module files to put in /lib/modules."""
    payload = payload_bytes(payload_mib, seed) if payload_mib else None
    with open(output, "wb") as stream:
        archive = CpioWriter(stream)
        for directory in DIRECTORIES:
            archive.add_directory(directory)
        archive.add_char_device("dev/console", *CONSOLE_DEVICE)
        archive.add_file("bin/busybox", read_file(busybox), 0o755)
        archive.add_file("init", read_file(INIT_SCRIPT), 0o755)
        if modules:
            archive.add_directory("lib")
            archive.add_directory("lib/modules")
        for module in modules:
            archive.add_file("lib/modules/" + module_name(module),
                             read_module(module))
        if payload is not None:
            archive.add_file("payload.bin", payload)
        archive.finish()
    return hashlib.sha256(payload).hexdigest() if payload is not None else None


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("output", help="cpio archive to write")
    parser.add_argument("--busybox", default="/bin/busybox",
                        help="statically linked busybox binary")
    parser.add_argument("--payload-mib", type=int, default=0,
                        help="add /payload.bin of this many MiB")
    parser.add_argument("--seed", default="reefbios-payload",
                        help="seed of the payload data")
    parser.add_argument("--module", action="append", default=[],
                        help="kernel module (.ko or .ko.xz) to add to "
                        "/lib/modules; may be repeated")
    args = parser.parse_args(argv)
    digest = build(args.output, args.busybox, args.payload_mib, args.seed,
                   args.module)
    if digest:
        print("payload-sha256", digest)


if __name__ == "__main__":
    main(sys.argv[1:])
