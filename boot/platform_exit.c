// SPDX-License-Identifier: MIT
/* Platform exits for the emulator test tiers (see platform_exit.h). */
#include <boot/console.h>
#include <boot/platform_exit.h>
#include <boot/io.h>
#include <boot/serial.h>

/*
 * QEMU's isa-debug-exit (-device isa-debug-exit,iobase=0xf4,iosize=0x04)
 * ends QEMU with status (v << 1) | 1 for a value v written to the port.
 */
#define QEMU_EXIT_PORT		0xf4
#define QEMU_EXIT_BASE		0x10	/* PASS -> 33, FAIL -> 35, ... */

/*
 * Bochs' debug port: the byte 'D' breaks into the internal debugger, whose
 * -rc script then runs `quit` (Bochs exits 0); the string "Shutdown" powers
 * the emulator off (exit 1).  Bochs can only say 0 or 1; the serial log
 * carries the detail.
 */
#define BOCHS_DEBUG_PORT	0x8900

struct status_info {
	const char *name;
	EFI_STATUS efi;
};

static const struct status_info status_info[] = {
	[HV_STATUS_PASS]	= { "pass",	EFI_SUCCESS },
	[HV_STATUS_FAIL]	= { "fail",	EFI_ABORTED },
	[HV_STATUS_NO_VMX]	= { "no-vmx",	EFI_UNSUPPORTED },
	[HV_STATUS_ERROR]	= { "error",	EFI_LOAD_ERROR },
};

static void bochs_exit(enum hv_status status)
{
	static const char shutdown[] = "Shutdown";
	size_t i;

	if (status == HV_STATUS_PASS) {
		outb(BOCHS_DEBUG_PORT, 'D');
		return;
	}
	for (i = 0; i < sizeof(shutdown) - 1; i++)
		outb(BOCHS_DEBUG_PORT, (u8)shutdown[i]);
}

EFI_STATUS boot_exit(enum boot_exit how, enum hv_status status)
{
	if ((unsigned int)status >= ARRAY_SIZE(status_info))
		status = HV_STATUS_ERROR;

	console_printf("APERTURE-EXIT: %s\n", status_info[status].name);
	/* The emulator stops at the port write: flush the UART first. */
	serial_drain();

	switch (how) {
	case BOOT_EXIT_QEMU:
		outl(QEMU_EXIT_PORT, QEMU_EXIT_BASE + (u32)status);
		break;
	case BOOT_EXIT_BOCHS:
		bochs_exit(status);
		break;
	case BOOT_EXIT_RETURN:
		break;
	}
	return status_info[status].efi;
}
