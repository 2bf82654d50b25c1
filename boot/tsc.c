// SPDX-License-Identifier: MIT
/*
 * The TSC's rate, measured against the firmware's Stall(): the core turns
 * guest time limits into TSC deadlines with it.  Invariant-TSC processors
 * (and Bochs, whose TSC follows its instruction count) tick at a constant
 * rate; 10 ms is enough for a rate good to a few per cent.
 */
#include <efi.h>
#include <efilib.h>

#include <boot/tsc.h>
#include <lib/cpu.h>

#define CALIBRATE_US	10000

u64 tsc_measure_khz(EFI_BOOT_SERVICES *bs)
{
	u64 t0, t1;

	t0 = rdtsc();
	if (EFI_ERROR(uefi_call_wrapper(bs->Stall, 1, CALIBRATE_US)))
		return 0;
	t1 = rdtsc();
	return (t1 - t0) / (CALIBRATE_US / 1000);
}
