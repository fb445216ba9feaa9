# ReefBIOS build. See docs/Build.md.
#
# Copyright (C) 2026 The ReefBIOS authors
# SPDX-License-Identifier: LGPL-3.0-or-later
#
#   make               out/bios.bin (256 KiB) and out/bios-256k.bin
#   make V=1           show every command
#   make menuconfig | olddefconfig | defconfig
#   make check         every test: unit, fuzz, QEMU boots
#   make bench         ReefBIOS against SeaBIOS and qboot

OUT := out
# This tree's release, MAJOR.MINOR; the version string adds EXTRAVERSION
# (a distribution's package revision, say) and the git commit.
RELEASE := 0.1
EXTRAVERSION ?=
PYTHON3 := /usr/bin/python3 # Debian's: has kconfiglib and pytest
CC := gcc
LD := ld
OBJCOPY := objcopy
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)

ifeq ($(V),1)
Q :=
else
Q := @
MAKEFLAGS += --no-print-directory
endif

.DELETE_ON_ERROR:
.SUFFIXES:
.DEFAULT_GOAL := all

# The configuration chooses compile flags (CONFIG_LTO), so make reads it;
# the rule below brings it up to date first (make then starts over).
CONFIG_GOALS := defconfig olddefconfig menuconfig clean distclean
ifeq ($(filter $(CONFIG_GOALS),$(MAKECMDGOALS)),)
-include .config
endif

# Each C file is in exactly one mode list. 32-bit flat is the default;
# 16-bit C (none yet) would be compiled with -m16 into .text16.
SRC32 := src/post.c src/output.c src/string.c src/checksum.c src/timer.c \
    src/malloc.c src/tscrate.c \
    src/memmap.c src/e820map.c src/ivt.c src/system.c src/clock.c \
    src/video.c src/kbd.c src/disk.c src/boot.c src/bootorder.c \
    src/linuxboot.c src/bzimage.c src/optionrom.c src/romheader.c \
    src/resume.c \
    src/smp.c src/fw/fw_cfg.c src/fw/fwcfg_dir.c src/fw/shadow.c \
    src/fw/chipset.c src/fw/pciinit.c src/fw/pcialloc.c \
    src/fw/biostables.c \
    src/fw/mptable.c src/fw/pirtable.c src/fw/smbios.c \
    src/fw/tableloader.c src/fw/acpi.c src/fw/mtrr.c src/fw/smm.c \
    src/hw/pci.c src/hw/pic.c src/hw/pit.c src/hw/rtc.c src/hw/serial.c
SRC16 :=
ASM := src/romlayout.S src/smm.S

COMMON_CFLAGS := -std=gnu11 -Os -Wall -Wextra -Werror -Wno-missing-field-initializers \
    -ffreestanding \
    -fno-pic -fno-stack-protector -fno-asynchronous-unwind-tables \
    -fno-delete-null-pointer-checks -fno-common -mno-sse -mno-mmx \
    -mno-80387 --param=min-pagesize=0 -iquote src -iquote $(OUT) \
    -MMD -MP $(EXTRA_CFLAGS)
# Link-time optimization: the whole image is optimized as one program.
# Fat objects keep ordinary code as well, for the mode check.
LTO_CFLAGS := $(if $(filter y,$(CONFIG_LTO)),-flto -ffat-lto-objects)
CFLAGS32 := $(COMMON_CFLAGS) -m32 -march=i686 -fomit-frame-pointer -mregparm=3 \
    $(LTO_CFLAGS)
CFLAGS16 := $(COMMON_CFLAGS) -m16 -march=i386 -fno-jump-tables
ASFLAGS := -m32 -D__ASSEMBLY__ -iquote src -iquote $(OUT) -MMD -MP

OBJ32 := $(SRC32:%.c=$(OUT)/%.o)
OBJ16 := $(SRC16:%.c=$(OUT)/%.o)
OBJASM := $(ASM:%.S=$(OUT)/%.o)
OBJS := $(OBJASM) $(OBJ32) $(OBJ16)
GENERATED := $(OUT)/autoconf.h $(OUT)/asm-offsets.h $(OUT)/version.h \
    $(OUT)/build-flags

.PHONY: all check test bench clean distclean menuconfig olddefconfig \
    defconfig qemu-test build-test demo FORCE

all: $(OUT)/bios.bin $(OUT)/bios-256k.bin

# Configuration ----------------------------------------------------------

KCONFIG := $(PYTHON3) scripts/kconfig.py Kconfig .config $(OUT)/autoconf.h

# Created with the defaults, or given the defaults of new options.
.config: Kconfig vgasrc/Kconfig scripts/kconfig.py
	$(Q)mkdir -p $(OUT)
	$(Q)$(KCONFIG) olddefconfig
	$(Q)touch $@

$(OUT)/autoconf.h: .config Kconfig vgasrc/Kconfig scripts/kconfig.py
	@echo "  KCONFIG $@"
	$(Q)mkdir -p $(OUT)
	$(Q)$(KCONFIG) olddefconfig
	$(Q)touch $@

menuconfig:
	$(Q)mkdir -p $(OUT)
	$(Q)KCONFIG_CONFIG=.config $(PYTHON3) -m menuconfig Kconfig
	$(Q)$(KCONFIG) olddefconfig

olddefconfig defconfig:
	$(Q)mkdir -p $(OUT)
	$(Q)$(KCONFIG) $@

# Generated headers -------------------------------------------------------

$(OUT)/asm-offsets.h: src/asm-offsets.c src/bregs.h src/std/bda.h \
    scripts/gen-offsets.py \
    $(OUT)/build-flags
	@echo "  GEN     $@"
	$(Q)$(CC) $(CFLAGS32) -S -o $(OUT)/asm-offsets.s $<
	$(Q)$(PYTHON3) scripts/gen-offsets.py $(OUT)/asm-offsets.s $@

# The compiler and its flags; rewritten only when they change, so that a
# flag change (EXTRA_CFLAGS=-g, a new option here) rebuilds every object.
$(OUT)/build-flags: FORCE
	$(Q)mkdir -p $(OUT)
	$(Q)printf '%s\n' '$(CC)' '$(CFLAGS32)' '$(CFLAGS16)' '$(ASFLAGS)' \
	    > $@.tmp
	$(Q)if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

# Version and build facts; rewritten only when they change.
$(OUT)/version.h: FORCE
	$(Q)mkdir -p $(OUT)
	$(Q)$(PYTHON3) scripts/version.py $@ "$(CC)" "$(RELEASE)" \
	    "$(EXTRAVERSION)"

# Compile -------------------------------------------------------------------

$(OBJ32): $(OUT)/%.o: %.c $(GENERATED)
	@echo "  CC32    $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS32) -c -o $@ $<

# gcc may emit calls to memcpy() and memset() after LTO has decided which
# functions the image keeps, so their definitions stay outside it.
$(OUT)/src/string.o: CFLAGS32 += -fno-lto

$(OBJ16): $(OUT)/%.o: %.c $(GENERATED)
	@echo "  CC16    $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS16) -c -o $@.tmp.o $<
	$(Q)$(OBJCOPY) --rename-section .text=.text16 $@.tmp.o $@
	$(Q)rm -f $@.tmp.o

$(OBJASM): $(OUT)/%.o: %.S $(GENERATED)
	@echo "  AS      $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(ASFLAGS) -c -o $@ $<

-include $(OBJS:%.o=%.d)

# Link and image --------------------------------------------------------------

$(OUT)/rom.elf: $(OBJS) src/layout.ld scripts/checkmodes.py
	@echo "  CHECK   modes"
	$(Q)$(PYTHON3) scripts/checkmodes.py --16 $(OBJASM) $(OBJ16) \
	    --32 $(OBJ32)
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS32) -nostdlib -no-pie -Wl,-T,src/layout.ld \
	    -Wl,--emit-relocs -Wl,--build-id=none -Wl,--no-warn-rwx-segments \
	    -o $@ $(OBJS)

$(OUT)/bios.bin: $(OUT)/rom.elf scripts/buildrom.py
	@echo "  BUILD   $@"
	$(Q)$(PYTHON3) scripts/buildrom.py $< $@ $(shell grep \
	    '^CONFIG_ROM_SIZE=' .config | cut -d= -f2)

$(OUT)/bios-256k.bin: $(OUT)/bios.bin
	$(Q)cp $< $@

# Tests -------------------------------------------------------------------------

include tests/tests.mk
include tests/bench.mk

QEMU_PAYLOADS := $(BENCH_OUT)/tinykernel.bzImage $(BENCH_OUT)/mbkernel.elf \
    $(BENCH_OUT)/pvhkernel.elf $(BENCH_OUT)/fwcfgdump.elf \
    $(BENCH_OUT)/smmcheck.elf $(BENCH_OUT)/s3payload.elf \
    $(BENCH_OUT)/v86check.elf \
    $(BENCH_OUT)/nullbios.bin

qemu-test: all $(QEMU_PAYLOADS)
	$(Q)$(PYTHON3) -m pytest -q -rs tests/qemu

build-test:
	$(Q)$(PYTHON3) -m pytest -q tests/build

check: all
	$(Q)$(MAKE) build-test
	$(Q)$(MAKE) unit-test
	$(Q)$(MAKE) fuzz
	$(Q)$(MAKE) qemu-test

test: check

demo: all
	$(Q)scripts/demo.sh

clean:
	$(Q)rm -rf $(OUT)

distclean: clean
	$(Q)rm -f .config .config.old
