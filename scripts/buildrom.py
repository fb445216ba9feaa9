#!/usr/bin/env python3
"""Make the BIOS image from the linked ELF, and check it.

Usage: buildrom.py ROM.ELF OUTPUT.BIN SIZE_KIB
Input: out/rom.elf linked at 0xe0000-0xfffff (src/layout.ld).
Output: a SIZE_KIB image whose last 128 KiB is the linked window; the rest
is zero. Checks: the window fits, each fixed IBM entry point is at its
address, and the F-segment sums to zero (the last byte is set so).
Prints the size budget.
"""
import struct
import sys

WINDOW_BASE = 0xE0000
WINDOW_SIZE = 0x20000
FLASH_BASE = 0xFFFE0000  # the same window at the top of the flash

# Fixed F000:xxxx addresses (IBM PC/AT BIOS compatibility; romlayout.S).
FIXED = {
    "fixed_post": 0xFE05B, "fixed_nmi": 0xFE2C3, "fixed_int13_hd": 0xFE3FE,
    "fixed_int19": 0xFE6F2, "fixed_cfgtable": 0xFE6F5,
    "fixed_int14": 0xFE739, "fixed_int16": 0xFE82E, "fixed_int09": 0xFE987,
    "fixed_int13_fd": 0xFEC59, "fixed_int0e": 0xFEF57,
    "fixed_fdparm": 0xFEFC7, "fixed_int17": 0xFEFD2,
    "fixed_int10": 0xFF065, "fixed_int12": 0xFF841, "fixed_int11": 0xFF84D,
    "fixed_int15": 0xFF859, "fixed_int1a": 0xFFE6E, "fixed_int08": 0xFFEA5,
    "fixed_iret": 0xFFF53, "fixed_int05": 0xFFF54, "fixed_reset": 0xFFFF0,
    "fixed_date": 0xFFFF5, "fixed_model": 0xFFFFE, "fixed_csum": 0xFFFFF,
}


def elf_sections(data):
    """Yield (name, type, addr, offset, size) of every ELF32 section."""
    shoff, = struct.unpack_from("<I", data, 0x20)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x2E)
    headers = [struct.unpack_from("<IIIIIIIIII", data, shoff + i * shentsize)
               for i in range(shnum)]
    strtab = headers[shstrndx]
    for h in headers:
        start = strtab[4] + h[0]
        name = data[start:data.index(b"\0", start)].decode()
        yield name, h[1], h[3], h[4], h[5], h


def elf_symbols(data, sections):
    symtab = next(h for _, t, _, _, _, h in sections if t == 2)
    strtab = sections[symtab[6]][5]
    symbols = {}
    for i in range(symtab[5] // 16):
        name_off, value = struct.unpack_from("<II", data, symtab[4] + i * 16)
        start = strtab[4] + name_off
        name = data[start:data.index(b"\0", start)].decode()
        if name:
            symbols[name] = value
    return symbols


def main():
    elf, out, size_kib = sys.argv[1], sys.argv[2], int(sys.argv[3])
    data = open(elf, "rb").read()
    sections = list(elf_sections(data))
    window = bytearray(WINDOW_SIZE)
    used = {"e-seg": 0, "f-seg": 0}
    for name, stype, addr, offset, size, h in sections:
        if not (h[2] & 2) or size == 0:  # SHF_ALLOC
            continue
        if addr >= FLASH_BASE:  # linked at its flash address (layout.ld)
            addr -= FLASH_BASE - WINDOW_BASE
        if addr < WINDOW_BASE or addr + size > WINDOW_BASE + WINDOW_SIZE:
            sys.exit("buildrom: section %s at 0x%x+0x%x outside the window"
                     % (name, addr, size))
        used["e-seg" if addr < 0xF0000 else "f-seg"] += size
        if stype != 8:  # not SHT_NOBITS
            window[addr - WINDOW_BASE:addr - WINDOW_BASE + size] = \
                data[offset:offset + size]
    symbols = elf_symbols(data, sections)
    for name, want in FIXED.items():
        if symbols.get(name) != want:
            sys.exit("buildrom: %s at 0x%x, must be at 0x%x"
                     % (name, symbols.get(name, 0), want))
    fseg = window[0x10000:]
    window[-1] = (-sum(fseg[:-1])) & 0xFF
    assert sum(window[0x10000:]) & 0xFF == 0
    image = bytes(size_kib * 1024 - WINDOW_SIZE) + bytes(window)
    with open(out, "wb") as f:
        f.write(image)
    print("  SIZE    e-seg %d of 65536 bytes, f-seg %d of 65536 bytes "
          "(%d%% of the 128 KiB window)" % (used["e-seg"], used["f-seg"],
          100 * (used["e-seg"] + used["f-seg"]) // WINDOW_SIZE))


if __name__ == "__main__":
    main()
