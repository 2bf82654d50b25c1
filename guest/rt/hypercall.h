/* SPDX-License-Identifier: MIT */
/*
 * VMCALL wrappers for the Aperture ABI (include/aperture/hypercall.h):
 * number in EAX, arguments in EBX, ECX, EDX, ESI, result in EAX (the full
 * RAX ... RSI in the 64-bit build).  Pointer arguments are guest-physical
 * addresses, which equal the guest's linear addresses while paging is off
 * or identity-mapped (the 64-bit build's entry64.S maps [0, 4 GiB) 1:1).
 *
 * VMCALL outside VMX non-root operation raises #UD, so check
 * aperture_present() (rt.h) before calling these on unknown hardware.
 */
#ifndef GUEST_RT_HYPERCALL_H
#define GUEST_RT_HYPERCALL_H

#include <aperture/hypercall.h>

#include "types.h"

static inline long hc4(u32 nr, u32 a0, u32 a1, u32 a2, u32 a3)
{
	long ret;

	/*
	 * In 64-bit mode the hypervisor reads the full registers; the casts
	 * make the upper halves zero rather than whatever they last held.
	 */
	asm volatile("vmcall"
		     : "=a"(ret)
		     : "a"((unsigned long)nr), "b"((unsigned long)a0),
		       "c"((unsigned long)a1), "d"((unsigned long)a2),
		       "S"((unsigned long)a3)
		     : "memory");
	return ret;
}

static inline long hc3(u32 nr, u32 a0, u32 a1, u32 a2)
{
	return hc4(nr, a0, a1, a2, 0);
}

static inline long hc2(u32 nr, u32 a0, u32 a1)
{
	return hc4(nr, a0, a1, 0, 0);
}

static inline long hc1(u32 nr, u32 a0)
{
	return hc4(nr, a0, 0, 0, 0);
}

static inline long hc0(u32 nr)
{
	return hc4(nr, 0, 0, 0, 0);
}

/* Guest-physical address of a guest object (identity while paging is off). */
static inline u32 gpa_of(const volatile void *p)
{
	return (u32)(uintptr_t)p;
}

#endif /* GUEST_RT_HYPERCALL_H */
