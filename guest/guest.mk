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
GUEST_BUILD ?= $(BUILD)/guest

GUEST_CFLAGS ?= -m32 -std=gnu11 -ffreestanding -fno-pic -fno-stack-protector \
	-fno-builtin -nostdlib -mno-sse -mno-mmx -mno-80387 -O2 \
	-Wall -Wextra -Werror -Iinclude -Iguest/rt
GUEST_LDFLAGS ?= -m elf_i386 -T guest/guest.ld --build-id=none

# The C part of the runtime is the same for 32- and 64-bit kernels.
GUEST_RT_C_SRCS := \
	guest/rt/exception.c \
	guest/rt/printf.c \
	guest/rt/rt.c \
	guest/rt/serial.c \
	guest/rt/string.c \
	guest/rt/test.c

GUEST_RT_SRCS := guest/rt/entry.S guest/rt/exc_stubs.S $(GUEST_RT_C_SRCS)

# Every guest/tests/<name>.c is a 32-bit kernel, except <name>_lm.c: those
# need long mode and are only built as 64-bit kernels (below).
GUEST_TESTS := $(sort $(patsubst guest/tests/%.c,%,\
	$(filter-out %_lm.c,$(wildcard guest/tests/*.c))))

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

# Long-mode builds: build/guest/<name>64.elf from the same guest/tests/<name>.c
# and the shared runtime C files, compiled for x86-64.  guest/rt64/entry64.S
# enters IA-32e mode on its own page tables.  Multiboot 1 loads only ELF32
# (EM_386) images, so the x86-64 link is converted to an ELF32 container;
# the addresses, entry point and load segments stay as linked.

GUEST_OBJCOPY ?= objcopy
GUEST_CFLAGS64 ?= $(filter-out -m32,$(GUEST_CFLAGS)) -m64 -mcmodel=small \
	-mno-red-zone
GUEST_LDFLAGS64 ?= -m elf_x86_64 -T guest/rt64/guest64.ld --build-id=none

GUEST_RT64_SRCS := guest/rt64/entry64.S guest/rt64/exc_stubs64.S \
	$(GUEST_RT_C_SRCS)

GUEST_TESTS64 := alias_abi alias_map alias_dirty alias_ro \
	$(sort $(patsubst guest/tests/%.c,%,$(wildcard guest/tests/*_lm.c)))

# The shared C files build into rt64c/, apart from rt64/'s own sources, so
# that a file of one name in both directories cannot shadow the other.
GUEST_RT64_OBJS := \
	$(patsubst guest/rt64/%,$(GUEST_BUILD)/rt64/%.o,\
		$(filter guest/rt64/%,$(GUEST_RT64_SRCS))) \
	$(patsubst guest/rt/%,$(GUEST_BUILD)/rt64c/%.o,\
		$(filter guest/rt/%,$(GUEST_RT64_SRCS)))
GUEST_TEST64_OBJS := $(GUEST_TESTS64:%=$(GUEST_BUILD)/tests64/%.c.o)
GUEST_ELFS64 := $(GUEST_TESTS64:%=$(GUEST_BUILD)/%64.elf)

.SECONDARY: $(GUEST_TEST64_OBJS) $(GUEST_RT64_OBJS) \
	$(GUEST_TESTS64:%=$(GUEST_BUILD)/x86_64/%.elf)

guests: $(GUEST_ELFS64)

$(GUEST_BUILD)/rt64/%.o: guest/rt64/% guest/guest.mk
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS64) -MMD -MP -c $< -o $@

$(GUEST_BUILD)/rt64c/%.o: guest/rt/% guest/guest.mk
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS64) -MMD -MP -c $< -o $@

$(GUEST_BUILD)/tests64/%.c.o: guest/tests/%.c guest/guest.mk
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS64) -MMD -MP -c $< -o $@

# The x86-64 link lives in a subdirectory: mkesp.sh ships every
# build/guest/*.elf, and only the ELF32 containers are bootable.
$(GUEST_BUILD)/x86_64/%.elf: $(GUEST_BUILD)/tests64/%.c.o $(GUEST_RT64_OBJS) \
		guest/rt64/guest64.ld
	@mkdir -p $(@D)
	$(GUEST_LD) $(GUEST_LDFLAGS64) -o $@ $(filter %.o,$^)

$(GUEST_BUILD)/%64.elf: $(GUEST_BUILD)/x86_64/%.elf
	$(GUEST_OBJCOPY) -O elf32-i386 $< $@
