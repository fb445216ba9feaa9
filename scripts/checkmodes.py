#!/usr/bin/env python3
"""Fail the link when code of one CPU mode uses code of the other.

Usage: checkmodes.py --16 OBJ16... --32 OBJ32...
Section names say a symbol's mode: .text16* and .fixed hold 16-bit code,
.text.visible32 holds the 32-bit entry points 16-bit code may jump to
(through call32), any other .text* is 32-bit code. Rules:
  - 16-bit code may not refer to 32-bit code outside .text.visible32;
  - 32-bit code may not call or jump into 16-bit code (a PC-relative
    relocation); taking a 16-bit address (e.g. for the IVT) is fine.
Uses readelf from binutils.
"""
import subprocess
import sys

PCREL = ("R_386_PC32", "R_386_PLT32", "R_386_PC16", "R_386_PC8")


def section_mode(name):
    if name.startswith(".text16") or name == ".fixed":
        return "16"
    if name == ".text.visible32":
        return "visible32"
    if name.startswith(".text"):
        return "32"
    return "data"


def readelf(obj, *flags):
    return subprocess.run(["readelf", "-W", *flags, obj], check=True,
                          capture_output=True, text=True).stdout


def parse(obj):
    """Return (sections by index, defined symbols, relocations)."""
    sections = {}
    for line in readelf(obj, "-S").splitlines():
        line = line.strip()
        if line.startswith("[") and "]" in line:
            idx, rest = line[1:].split("]", 1)
            if idx.strip().isdigit() and rest.split():
                sections[int(idx)] = rest.split()[0]
    symbols = {}
    for line in readelf(obj, "-s").splitlines():
        f = line.split()
        if len(f) >= 8 and f[0].endswith(":") and f[6].isdigit():
            symbols[f[7]] = sections.get(int(f[6]), "")
    relocs = []
    current = None
    for line in readelf(obj, "-r").splitlines():
        if line.startswith("Relocation section"):
            current = line.split("'")[1][len(".rel"):]
            continue
        f = line.split()
        if current and len(f) >= 5 and f[2].startswith("R_386"):
            relocs.append((current, f[2], f[4]))
    return sections, symbols, relocs


def main():
    args = sys.argv[1:]
    objs = [a for a in args if not a.startswith("--")]
    parsed = {obj: parse(obj) for obj in objs}
    globals_ = {}
    for obj, (_, symbols, _) in parsed.items():
        for name, sec in symbols.items():
            if sec:
                globals_.setdefault(name, sec)
    errors = []
    for obj, (_, symbols, relocs) in parsed.items():
        for src_sec, rtype, target in relocs:
            tsec = target if target.startswith(".") else \
                symbols.get(target) or globals_.get(target, "")
            src, dst = section_mode(src_sec), section_mode(tsec)
            if src == "16" and dst == "32":
                errors.append("%s: 16-bit %s refers to 32-bit %s (not"
                              " VISIBLE32)" % (obj, src_sec, target))
            if src in ("32", "visible32") and dst == "16" and rtype in PCREL:
                errors.append("%s: 32-bit %s calls 16-bit %s"
                              % (obj, src_sec, target))
    for e in errors:
        print("checkmodes: " + e, file=sys.stderr)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
