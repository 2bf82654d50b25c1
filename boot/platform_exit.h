/* SPDX-License-Identifier: MIT */
/*
 * How a run ends, from the `exit=` setting:
 *
 *   return  return an EFI status to the firmware or the UEFI shell (default)
 *   qemu    write to QEMU's isa-debug-exit port so that QEMU itself exits
 *   bochs   write to the Bochs debug port 0x8900 so that Bochs exits
 *
 * Without the emulator's device the port write does nothing and the run
 * falls back to returning, so a test image still behaves on real hardware.
 */
#ifndef BOOT_PLATFORM_EXIT_H
#define BOOT_PLATFORM_EXIT_H

#include <efi.h>
#include <hv/boot_info.h>

enum boot_exit {
	BOOT_EXIT_RETURN,
	BOOT_EXIT_QEMU,
	BOOT_EXIT_BOCHS,
};

/*
 * Prints "APERTURE-EXIT: <pass|fail|no-vmx|error>", waits for the UART to
 * drain, performs the platform exit and, if still running, returns the EFI
 * status for @status.
 */
EFI_STATUS boot_exit(enum boot_exit how, enum hv_status status);

#endif /* BOOT_PLATFORM_EXIT_H */
