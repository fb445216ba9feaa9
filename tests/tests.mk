# Host unit tests (cmocka) and libFuzzer targets for the firmware's pure
# logic modules. The top-level Makefile includes this; it also works alone,
# run from the repository root:
#   make -f tests/tests.mk unit-test fuzz
#
# Copyright (C) 2026 The ReefBIOS authors
# SPDX-License-Identifier: LGPL-3.0-or-later

HOSTCC ?= gcc
FUZZCC ?= clang
Q ?= @
FUZZ_SECONDS ?= 20

# Keep the including Makefile's default goal (restored at the end); alone,
# the default is unit-test.
TESTS_SAVED_GOAL := $(.DEFAULT_GOAL)

TESTS_OUT := out/tests
UNIT_OUT := $(TESTS_OUT)/unit
FUZZ_OUT := $(TESTS_OUT)/fuzz

# Modules under test, by their path below src/ without ".c". Each has
# tests/unit/<module>-test.c and tests/fuzz/<module>-fuzz.c.
TEST_MODULES := e820map bzimage bootorder fw/fwcfg_dir fw/tableloader \
    fw/acpi fw/smbios romheader tscrate

# Extra sources (fakes of the functions a module calls) that a module's
# test and fuzzer link too: TEST_EXTRA_<module> := tests/unit/stubs/x.c
TEST_EXTRA_fw/tableloader := tests/unit/stubs/fakefw.c
TEST_EXTRA_fw/smbios := tests/unit/stubs/fakefw.c
# acpi.c walks what the real loader installed; it reserves the FACS in an
# e820 map.
TEST_EXTRA_fw/acpi := tests/unit/stubs/fakefw.c src/fw/tableloader.c \
    src/e820map.c
TEST_EXTRA_SRCS := $(sort $(foreach m,$(TEST_MODULES),$(TEST_EXTRA_$(m))))

TEST_INCLUDES := -iquote src -iquote tests/unit/stubs
TEST_WARNINGS := -Wall -Wextra -Werror
TEST_SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all \
    -fno-omit-frame-pointer
FUZZ_SANITIZE := -fsanitize=fuzzer,address,undefined \
    -fno-sanitize-recover=all

# Unit tests see log lines of LOG_WARN and below only, so a test that
# finds a line knows its level (see tests/unit/stubs/autoconf.h). The
# fuzzers build at the stub's default level and so print every line.
UNIT_CFLAGS := -std=gnu11 -g -O1 $(TEST_WARNINGS) $(TEST_SANITIZE) \
    $(TEST_INCLUDES) -DCONFIG_DEBUG_LEVEL=2 -MMD -MP
UNIT_LDLIBS := -lcmocka
FUZZ_CFLAGS := -std=gnu11 -g -O1 $(TEST_WARNINGS) $(FUZZ_SANITIZE) \
    $(TEST_INCLUDES) -iquote tests/fuzz -MMD -MP

UNIT_BINS := $(TEST_MODULES:%=$(UNIT_OUT)/%-test)
FUZZ_BINS := $(TEST_MODULES:%=$(FUZZ_OUT)/%-fuzz)
UNIT_OBJS := $(TEST_MODULES:%=$(UNIT_OUT)/obj/src/%.o) \
    $(TEST_MODULES:%=$(UNIT_OUT)/obj/tests/unit/%-test.o) \
    $(UNIT_OUT)/obj/tests/unit/stubs/output.o \
    $(UNIT_OUT)/obj/src/checksum.o \
    $(TEST_EXTRA_SRCS:%.c=$(UNIT_OUT)/obj/%.o)
FUZZ_OBJS := $(TEST_MODULES:%=$(FUZZ_OUT)/obj/src/%.o) \
    $(TEST_MODULES:%=$(FUZZ_OUT)/obj/tests/fuzz/%-fuzz.o) \
    $(FUZZ_OUT)/obj/tests/unit/stubs/output.o \
    $(FUZZ_OUT)/obj/src/checksum.o \
    $(TEST_EXTRA_SRCS:%.c=$(FUZZ_OUT)/obj/%.o)

# Modules with a unit test but no fuzzer (builders whose only input is
# what the firmware itself gathered).
UNIT_ONLY_MODULES := fw/mptable fw/pirtable fw/mtrr fw/pcialloc checksum
UNIT_BINS += $(UNIT_ONLY_MODULES:%=$(UNIT_OUT)/%-test)
UNIT_OBJS += $(UNIT_ONLY_MODULES:%=$(UNIT_OUT)/obj/src/%.o) \
    $(UNIT_ONLY_MODULES:%=$(UNIT_OUT)/obj/tests/unit/%-test.o)

# src/string.c replaces C library functions, so its test includes it under
# other names rather than linking it (tests/unit/string-test.c).
SELF_TESTS := string
UNIT_BINS += $(SELF_TESTS:%=$(UNIT_OUT)/%-test)
UNIT_OBJS += $(SELF_TESTS:%=$(UNIT_OUT)/obj/tests/unit/%-test.o)

.PHONY: unit-test unit-test-build fuzz fuzz-build tests-clean
.SECONDARY: $(UNIT_OBJS) $(FUZZ_OBJS)

unit-test-build: $(UNIT_BINS)

fuzz-build: $(FUZZ_BINS)

$(UNIT_OUT)/obj/%.o: %.c
	@echo "  HOSTCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(UNIT_CFLAGS) -c -o $@ $<

$(UNIT_OUT)/%-test: $(UNIT_OUT)/obj/tests/unit/%-test.o \
                    $(UNIT_OUT)/obj/src/%.o \
                    $(UNIT_OUT)/obj/src/checksum.o \
                    $(UNIT_OUT)/obj/tests/unit/stubs/output.o
	@echo "  HOSTLD  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(TEST_SANITIZE) -o $@ $^ $(UNIT_LDLIBS)

$(SELF_TESTS:%=$(UNIT_OUT)/%-test): $(UNIT_OUT)/%-test: \
                    $(UNIT_OUT)/obj/tests/unit/%-test.o
	@echo "  HOSTLD  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(TEST_SANITIZE) -o $@ $^ $(UNIT_LDLIBS)

$(FUZZ_OUT)/obj/%.o: %.c
	@echo "  FUZZCC  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(FUZZCC) $(FUZZ_CFLAGS) -c -o $@ $<

$(FUZZ_OUT)/%-fuzz: $(FUZZ_OUT)/obj/tests/fuzz/%-fuzz.o \
                    $(FUZZ_OUT)/obj/src/%.o \
                    $(FUZZ_OUT)/obj/src/checksum.o \
                    $(FUZZ_OUT)/obj/tests/unit/stubs/output.o
	@echo "  FUZZLD  $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(FUZZCC) $(FUZZ_SANITIZE) -o $@ $^

# A module's extra objects join the prerequisites (and so $^) of the
# pattern rules above.
$(foreach m,$(TEST_MODULES),$(eval \
    $(UNIT_OUT)/$(m)-test: $(TEST_EXTRA_$(m):%.c=$(UNIT_OUT)/obj/%.o)))
$(foreach m,$(TEST_MODULES),$(eval \
    $(FUZZ_OUT)/$(m)-fuzz: $(TEST_EXTRA_$(m):%.c=$(FUZZ_OUT)/obj/%.o)))

-include $(UNIT_OBJS:.o=.d) $(FUZZ_OBJS:.o=.d)

# Runs every test binary even after a failure, shows each one's cmocka
# report, then one total line; fails if any test or binary failed.
unit-test: $(UNIT_BINS)
	$(Q)fail=0; passed=0; failed=0; \
	for t in $(UNIT_BINS); do \
	    echo "== $$t"; \
	    { ./$$t; echo $$? > $$t.rc; } 2>&1 | tee $$t.log; \
	    rc=$$(cat $$t.rc); [ "$$rc" = 0 ] || fail=1; \
	    p=$$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' $$t.log); \
	    f=$$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' $$t.log); \
	    [ "$$rc" = 0 ] || [ -n "$$f" ] || f=1; \
	    passed=$$((passed + $${p:-0})); failed=$$((failed + $${f:-0})); \
	done; \
	echo "unit-test: $$passed passed, $$failed failed"; \
	exit $$fail

# Runs each fuzzer for FUZZ_SECONDS on its corpus <fuzzer>-corpus/ under
# out/; a crash leaves its input as <fuzzer>-crash-* there, prints the end
# of the log and fails the target.
fuzz: $(FUZZ_BINS)
	$(Q)fail=0; \
	for f in $(FUZZ_BINS); do \
	    mkdir -p $$f-corpus; \
	    echo "== $$f ($(FUZZ_SECONDS) s)"; \
	    if ./$$f -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	        -artifact_prefix=$$f- $$f-corpus > $$f.log 2>&1; then \
	        grep -E '^#[0-9]+.*DONE' $$f.log | tail -n 1; \
	    else \
	        tail -n 60 $$f.log; echo "FAILED: $$f, log in $$f.log"; \
	        fail=1; \
	    fi; \
	done; \
	exit $$fail

tests-clean:
	$(Q)rm -rf $(TESTS_OUT)

ifeq ($(firstword $(MAKEFILE_LIST)),tests/tests.mk)
.DEFAULT_GOAL := unit-test
else
.DEFAULT_GOAL := $(TESTS_SAVED_GOAL)
endif
