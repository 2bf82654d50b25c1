/* SPDX-License-Identifier: MIT */
#ifndef BOOT_TSC_H
#define BOOT_TSC_H

#include <efi.h>
#include <lib/types.h>

/* TSC ticks per millisecond, or 0 if the firmware cannot time a delay. */
u64 tsc_measure_khz(EFI_BOOT_SERVICES *bs);

#endif /* BOOT_TSC_H */
