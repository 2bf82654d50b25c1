/* SPDX-License-Identifier: MIT */
/*
 * Runtime services: hypervisor detection and ending the guest.
 *
 * A kernel provides main(), called by entry.S after the GDT, IDT and stack
 * are set up, as either
 *	int main(u32 magic, struct multiboot_info *mbi)
 * or, if it needs neither, int main(void).  Its return value becomes the
 * exit status; most tests end with test_exit() instead.
 */
#ifndef GUEST_RT_RT_H
#define GUEST_RT_RT_H

#include "types.h"

/* Status used when the runtime itself cannot continue (nested fault). */
#define RT_EXIT_CRASH	3

/* Port of QEMU's isa-debug-exit device, which Aperture also emulates. */
#define DEBUG_EXIT_PORT	0xf4

/* True if CPUID leaf 0x40000000 carries the Aperture signature. */
bool aperture_present(void);

/*
 * End the guest with status: APERTURE_HC_EXIT under Aperture, then
 * isa-debug-exit (QEMU reports (status << 1) | 1), then halt for good.
 */
noreturn void rt_exit(u32 status);

#endif /* GUEST_RT_RT_H */
