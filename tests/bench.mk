# tests/bench.mk - boot-time benchmark and its guest payloads.
# Included by the top-level Makefile; paths are relative to the repo root.
#
#   make out/tests/tinykernel.bzImage   Linux boot protocol 2.15 test kernel
#   make out/tests/nullbios.bin         64 KiB reset-vector-only "firmware"
#   make out/tests/NAME.elf             any tests/payload/NAME.S + NAME.ld
#   make bench                          run scripts/bench.py on out/bios.bin
#                                       (does not rebuild out/bios.bin)
#   make bench BENCH_ARGS="-n 20 --accel tcg --machines pc,q35"

Q ?= @
# stdlib only, so any python3 works; the top-level Makefile's PYTHON3 if set
PYTHON ?= $(or $(strip $(PYTHON3)),python3)
OBJCOPY ?= objcopy

BENCH_OUT := out/tests
BENCH_BIOS ?= out/bios.bin
BENCH_ARGS ?=
# The payloads are plain 16/32-bit assembly: no compiler flags from the BIOS
# build apply, only the assembler (through the C driver, for #define) and ld.
PAYLOAD_ASFLAGS := -m32 -nostdinc -Wa,--fatal-warnings
PAYLOAD_LDFLAGS := -m elf_i386 -nostdlib --no-dynamic-linker -z noexecstack \
    $(shell $(LD) --help 2>/dev/null | grep -q -- --no-warn-rwx-segments && \
        echo --no-warn-rwx-segments)

$(BENCH_OUT)/%.o: tests/payload/%.S tests/payload/multiboot.h \
    tests/payload/report.inc
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(PAYLOAD_ASFLAGS) -c -o $@ $<

$(BENCH_OUT)/%.elf: $(BENCH_OUT)/%.o tests/payload/%.ld
	$(Q)$(LD) $(PAYLOAD_LDFLAGS) -T tests/payload/$*.ld -o $@ $<

$(BENCH_OUT)/tinykernel.bzImage: $(BENCH_OUT)/tinykernel.elf
	$(Q)$(OBJCOPY) -O binary $< $@
	@echo "  GEN     $@"

$(BENCH_OUT)/nullbios.bin: $(BENCH_OUT)/nullbios.elf
	$(Q)$(OBJCOPY) -O binary $< $@
	@echo "  GEN     $@"

.PRECIOUS: $(BENCH_OUT)/%.o $(BENCH_OUT)/%.elf

.PHONY: bench bench-payloads
bench-payloads: $(BENCH_OUT)/tinykernel.bzImage $(BENCH_OUT)/nullbios.bin

bench: bench-payloads
	$(Q)$(PYTHON) scripts/bench.py --bios $(BENCH_BIOS) \
		--kernel $(BENCH_OUT)/tinykernel.bzImage \
		--nullbios $(BENCH_OUT)/nullbios.bin $(BENCH_ARGS)
