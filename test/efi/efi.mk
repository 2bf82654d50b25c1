# SPDX-License-Identifier: MIT
#
# Small UEFI test applications: every test/efi/<name>.c becomes
# $(BUILD)/efi-tests/<name>.efi, built exactly as hv.efi's boot/ code is
# (BOOT_CFLAGS, linker.ld, gnu-efi's crt0 and libraries; docs/emulators.md).
# test/check.sh's "platform" tier runs them from the UEFI Shell around
# hv.efi (test/emu/platform.nsh).  Included by the top-level Makefile after
# the hv.efi rules, whose variables it uses.

EFI_TEST_SRCS	:= $(sort $(wildcard test/efi/*.c))
EFI_TEST_APPS	:= $(EFI_TEST_SRCS:test/efi/%.c=$(BUILD)/efi-tests/%.efi)

# Intermediates of the chain below; keep them so rebuilds stay incremental.
.SECONDARY: $(EFI_TEST_APPS:%.efi=%.o) $(EFI_TEST_APPS:%.efi=%.so)

$(BUILD)/efi-tests/%.o: test/efi/%.c test/efi/efi.mk
	@mkdir -p $(dir $@)
	$(CC) $(BOOT_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/efi-tests/%.so: $(BUILD)/efi-tests/%.o linker.ld
	$(LD) -nostdlib -znocombreloc -z defs -shared -Bsymbolic -T linker.ld \
		$(EFI_CRT0) $< -L$(EFI_LIBDIR) -lefi -lgnuefi -o $@

$(BUILD)/efi-tests/%.efi: $(BUILD)/efi-tests/%.so
	$(OBJCOPY) $(EFI_SECTIONS) --target efi-app-x86_64 --subsystem=10 $< $@

.PHONY: efi-tests
efi-tests: $(EFI_TEST_APPS)
all: efi-tests
