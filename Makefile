# Aperture: a bare-metal VMX microhypervisor booted from UEFI.
#
#   make deps     install the Debian packages the build and tests need
#   make          build build/hv.efi, the guests and the host tools
#   make esp      build build/esp.img: the demo on a FAT ESP for real hardware
#   make run      boot the demo (EMU=kvm|bochs|qemu; default: kvm if usable)
#   make check    run every test tier; ends with "N passed, N failed"
#   make fuzz     run the libFuzzer targets (FUZZ_RUNS executions each)
#   make bench    run the benchmarks under Bochs
#   make clean
#
# The file reads top to bottom: tools, flags, the hypervisor image, the
# host-side build (unit tests, fuzzers, tools), then the phony targets.

VERSION		:= 0.4.0
BUILD		:= build

# ---------------------------------------------------------------------------
# Debian packages.  `make deps` installs what is missing when run as root.
# ---------------------------------------------------------------------------
DEB_PACKAGES	:= gcc make binutils clang libclang-rt-dev llvm gnu-efi ovmf \
		   qemu-system-x86 bochs bochs-term bochsbios vgabios mtools \
		   dosfstools

# ---------------------------------------------------------------------------
# hv.efi: a GNU-EFI application (docs/emulators.md: how OVMF loads it).
# ---------------------------------------------------------------------------
CC		:= gcc
LD		:= ld
OBJCOPY		:= objcopy
EFI_INC		:= /usr/include/efi
EFI_LIBDIR	:= /usr/lib
EFI_CRT0	:= $(EFI_LIBDIR)/crt0-efi-x86_64.o

WARN		:= -Wall -Wextra -Werror
COMMON_CFLAGS	:= -std=gnu11 $(WARN) -I. -Iinclude -DAPERTURE_VERSION='"$(VERSION)"'

# -mgeneral-regs-only: the hypervisor never saves the guest's FPU/SSE state,
# so it must never touch those registers itself.
HV_CFLAGS	:= $(COMMON_CFLAGS) -O2 -g -ffreestanding -fno-stack-protector \
		   -fno-strict-aliasing -fpic -fshort-wchar -mno-red-zone \
		   -mgeneral-regs-only -maccumulate-outgoing-args
# make DEBUG=1: invariant checks that cost time on every exit (the host
# build always has them).
ifeq ($(DEBUG),1)
HV_CFLAGS	+= -DAPERTURE_DEBUG
endif
# Only boot/ sees the UEFI headers.  crt0 calls efi_main with the SysV ABI;
# calls into the firmware go through uefi_call_wrapper (ms_abi).
BOOT_CFLAGS	:= $(HV_CFLAGS) -I$(EFI_INC) -I$(EFI_INC)/x86_64 \
		   -DEFI_FUNCTION_WRAPPER -DGNU_EFI_USE_MS_ABI

# Every C and assembly file under hv/ and lib/ is part of the image.
BOOT_SRCS	:= $(sort $(wildcard boot/*.c))
HV_SRCS		:= $(sort $(shell find hv lib -name '*.c'))
HV_ASM		:= $(sort $(shell find hv lib -name '*.S'))

BOOT_OBJS	:= $(BOOT_SRCS:%.c=$(BUILD)/efi/%.o)
HV_OBJS		:= $(HV_SRCS:%.c=$(BUILD)/efi/%.o) $(HV_ASM:%.S=$(BUILD)/efi/%.o)

HV_EFI		:= $(BUILD)/hv.efi

# Sections objcopy keeps when it turns the ELF into a PE32+ image.  .bss
# becomes a section with no file data that the PE loader zero-fills (see
# linker.ld).
EFI_SECTIONS	:= -j .text -j .sdata -j .data -j .dynamic -j .dynsym \
		   -j .rel -j .rela -j .rel.* -j .rela.* -j .reloc -j .bss

.PHONY: all
all: $(HV_EFI) guests host-tools

$(BUILD)/efi/boot/%.o: boot/%.c
	@mkdir -p $(dir $@)
	$(CC) $(BOOT_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/efi/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(HV_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/efi/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(HV_CFLAGS) -MMD -MP -c $< -o $@

# -z defs: an undefined symbol must fail the link, not become a PLT entry
# that nothing on the firmware side would ever resolve.
$(BUILD)/hv.so: $(BOOT_OBJS) $(HV_OBJS) linker.ld
	$(LD) -nostdlib -znocombreloc -z defs -shared -Bsymbolic -T linker.ld \
		$(EFI_CRT0) $(BOOT_OBJS) $(HV_OBJS) \
		-L$(EFI_LIBDIR) -lefi -lgnuefi -o $@

$(HV_EFI): $(BUILD)/hv.so
	$(OBJCOPY) $(EFI_SECTIONS) --target efi-app-x86_64 --subsystem=10 $< $@

# ---------------------------------------------------------------------------
# Guests (guest/guest.mk defines GUEST_ELFS and the `guests` target).
# ---------------------------------------------------------------------------
include guest/guest.mk

# Small UEFI test applications (test/efi/efi.mk).
include test/efi/efi.mk

# ---------------------------------------------------------------------------
# Host build: the logic that touches no hardware, compiled for Linux and run
# under ASan and UBSan.  Each test/unit/*_test.c is one test program linked
# against all of HOST_SRCS.
# ---------------------------------------------------------------------------
HOST_CC		:= gcc
HOST_CFLAGS	:= -std=gnu11 $(WARN) -I. -Iinclude -g -O1 \
		   -fsanitize=address,undefined -fno-sanitize-recover=all \
		   -fno-omit-frame-pointer -DAPERTURE_VERSION='"$(VERSION)"' \
		   -DAPERTURE_DEBUG
# Everything in hv/ and lib/ builds for the host too, except the files
# below: they execute privileged or VMX instructions and have no host
# stand-in.  A new file is host-built (and so unit-tested and fuzzed) unless
# it is added here.  The exit layer, the emulator, the VM and its run loop
# reach the processor only through lib/cpu.h and hv/vmx/vmx.h, which the
# fakes in test/fake/ implement for the host.
HOST_EXCLUDE	:= hv/main.c hv/load/loader.c lib/string.c lib/xsetbv_checked.c \
		   hv/vmx/vmx.c hv/vmx/vmcs.c hv/vmx/regs.c hv/vmx/inject.c \
		   hv/vmx/host.c hv/vmx/diag.c
FAKE_SRCS	:= $(sort $(wildcard test/fake/*.c))
HOST_SRCS	:= $(filter-out $(HOST_EXCLUDE),$(HV_SRCS)) boot/options.c \
		   $(FAKE_SRCS)
HOST_OBJS	:= $(HOST_SRCS:%.c=$(BUILD)/host/%.o)
UNIT_SRCS	:= $(sort $(wildcard test/unit/*_test.c))
# Shared by every test program: keep them between runs.
.SECONDARY: $(HOST_OBJS)
UNIT_BINS	:= $(UNIT_SRCS:test/unit/%.c=$(BUILD)/host/unit/%)

$(BUILD)/host/%.o: %.c
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/host/unit/%: test/unit/%.c $(HOST_OBJS)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $< $(HOST_OBJS) -o $@

# libFuzzer targets need clang.
FUZZ_CC		:= clang
FUZZ_CFLAGS	:= -std=gnu11 $(WARN) -I. -Iinclude -g -O1 \
		   -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_SRCS	:= $(sort $(wildcard test/fuzz/*_fuzz.c))
FUZZ_BINS	:= $(FUZZ_SRCS:test/fuzz/%.c=$(BUILD)/fuzz/%)
FUZZ_RUNS	?= 1000000

# One clang command builds each target from every source, so its
# dependencies are every source and every header.
HOST_HDRS	:= $(wildcard include/aperture/*.h boot/*.h) \
		   $(shell find hv lib -name '*.h')

$(BUILD)/fuzz/%: test/fuzz/%.c $(HOST_SRCS) $(HOST_HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $< $(HOST_SRCS) -o $@

TOOL_SRCS	:= $(sort $(wildcard test/tools/*.c))
TOOL_BINS	:= $(TOOL_SRCS:test/tools/%.c=$(BUILD)/tools/%)

$(BUILD)/tools/%: test/tools/%.c
	@mkdir -p $(dir $@)
	$(HOST_CC) -std=gnu11 $(WARN) -I. -Iinclude -O2 $< -o $@

.PHONY: host-tools unit-bins fuzz-bins
host-tools: $(TOOL_BINS)
unit-bins: $(UNIT_BINS)
fuzz-bins: $(FUZZ_BINS)

# ---------------------------------------------------------------------------
# Boot media and runs.
# ---------------------------------------------------------------------------
EMU		?= auto
DEMO_CFG	:= configs/demo.cfg
ESP_IMG		:= $(BUILD)/esp.img

$(ESP_IMG): $(HV_EFI) $(GUEST_ELFS) $(GUEST_ELFS64) $(TOOL_BINS) $(DEMO_CFG) test/emu/mkesp.sh
	test/emu/mkesp.sh $@ $(DEMO_CFG)

.PHONY: esp run run-kvm check unit fuzz bench deps clean
esp: $(ESP_IMG)

run: deps all
	test/emu/run.sh $(EMU) $(DEMO_CFG)

run-kvm: deps all
	test/emu/run.sh kvm $(DEMO_CFG)

unit: $(UNIT_BINS)
	@for t in $(UNIT_BINS); do $$t || exit 1; done

check: deps all unit-bins fuzz-bins
	test/check.sh

fuzz: $(FUZZ_BINS)
	@for f in $(FUZZ_BINS); do \
		echo "== $$f ($(FUZZ_RUNS) runs)"; \
		$$f -runs=$(FUZZ_RUNS) -seed=1 -print_final_stats=1 || exit 1; \
	done

bench: deps all
	test/bench/run.sh

deps:
	@missing=""; \
	for p in $(DEB_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | \
			grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
		echo "deps: installing$$missing"; \
		apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else \
		echo "deps: missing$$missing; run as root:"; \
		echo "  apt-get update && apt-get install -y$$missing"; \
		exit 1; \
	fi

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
