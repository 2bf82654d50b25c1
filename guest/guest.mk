# SPDX-License-Identifier: MIT
#
# Guest test kernels: 32-bit Multiboot ELF images under $(GUEST_BUILD).
# Included by the top-level Makefile, or used alone:
#	make -f guest/guest.mk guests
#	make -f guest/guest.mk guests-qemu	# boot smoke + standalone in QEMU
#
# Adding a runtime-based kernel: create guest/tests/<name>.c and add a
# "GUEST_TESTS += <name>" line below.

GUEST_CC ?= gcc
GUEST_LD ?= ld
GUEST_QEMU ?= qemu-system-x86_64
GUEST_BUILD ?= build/guest

GUEST_CFLAGS ?= -m32 -std=gnu11 -ffreestanding -fno-pic -fno-stack-protector \
	-fno-builtin -nostdlib -mno-sse -mno-mmx -mno-80387 -O2 \
	-Wall -Wextra -Werror -Iinclude -Iguest/rt
GUEST_LDFLAGS ?= -m elf_i386 -T guest/guest.ld --build-id=none

GUEST_RT_SRCS := \
	guest/rt/entry.S \
	guest/rt/exc_stubs.S \
	guest/rt/exception.c \
	guest/rt/printf.c \
	guest/rt/rt.c \
	guest/rt/serial.c \
	guest/rt/string.c \
	guest/rt/test.c

GUEST_TESTS :=
GUEST_TESTS += smoke
GUEST_TESTS += hello
GUEST_TESTS += exit_status
GUEST_TESTS += debug_exit
GUEST_TESTS += cpuid
GUEST_TESTS += ioport
GUEST_TESTS += hlt
GUEST_TESTS += triple_fault
GUEST_TESTS += hcall_unknown
GUEST_TESTS += console_efault
GUEST_TESTS += paging
GUEST_TESTS += mbinfo
GUEST_TESTS += msr
GUEST_TESTS += alias_abi
GUEST_TESTS += alias_map
GUEST_TESTS += alias_dirty
GUEST_TESTS += alias_ro
GUEST_TESTS += vga_demo
GUEST_TESTS += mmu_modes
GUEST_TESTS += mmu_perm
GUEST_TESTS += mmu_tlb
GUEST_TESTS += mmu_alias
GUEST_TESTS += bench_window

GUEST_RT_OBJS := $(patsubst guest/rt/%,$(GUEST_BUILD)/rt/%.o,$(GUEST_RT_SRCS))
GUEST_STANDALONE := $(GUEST_BUILD)/standalone.elf

GUEST_TEST_OBJS := $(GUEST_TESTS:%=$(GUEST_BUILD)/tests/%.c.o)

GUEST_ELFS := $(GUEST_TESTS:%=$(GUEST_BUILD)/%.elf) $(GUEST_STANDALONE)

# Built through a pattern chain; keep them so rebuilds stay incremental.
.SECONDARY: $(GUEST_TEST_OBJS) $(GUEST_RT_OBJS)

.PHONY: guests guests-qemu
guests: $(GUEST_ELFS)

# Objects are named <source>.o (entry.S.o, printf.c.o) so that a .S and a
# .c of the same stem can never collide.
$(GUEST_BUILD)/rt/%.o: guest/rt/% guest/guest.mk
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) -MMD -MP -c $< -o $@

$(GUEST_BUILD)/tests/%.c.o: guest/tests/%.c guest/guest.mk
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) -MMD -MP -c $< -o $@

$(GUEST_BUILD)/standalone/%.o: guest/standalone/% guest/guest.mk
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) -MMD -MP -c $< -o $@

$(GUEST_BUILD)/%.elf: $(GUEST_BUILD)/tests/%.c.o $(GUEST_RT_OBJS) guest/guest.ld
	$(GUEST_LD) $(GUEST_LDFLAGS) -o $@ $(filter %.o,$^)

# The standalone kernel shares only the linker script, not the runtime.
$(GUEST_STANDALONE): $(GUEST_BUILD)/standalone/standalone.S.o guest/guest.ld
	$(GUEST_LD) $(GUEST_LDFLAGS) -o $@ $(filter %.o,$^)

guests-qemu: $(GUEST_BUILD)/smoke.elf $(GUEST_STANDALONE)
	GUEST_QEMU=$(GUEST_QEMU) guest/qemu-check.sh $^

-include $(wildcard $(GUEST_BUILD)/*/*.d)
