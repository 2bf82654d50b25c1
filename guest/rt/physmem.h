/* SPDX-License-Identifier: MIT */
/*
 * Guest-physical accesses for tests that run with paging off (or on an
 * identity map): one 32-bit load or store, always a plain MOV, so that an
 * access to memory with nothing behind it reaches the hypervisor's MMIO
 * path as an instruction it decodes.  And the alias and memslot-lookup
 * hypercalls in one line each.
 */
#ifndef GUEST_RT_PHYSMEM_H
#define GUEST_RT_PHYSMEM_H

#include <aperture/hypercall.h>

#include "hypercall.h"
#include "string.h"
#include "types.h"

static inline u32 phys_read32(u32 gpa)
{
	u32 v;

	/* uintptr_t: a 32-bit register would add a 0x67 prefix in 64-bit code. */
	asm volatile("movl (%1), %0"
		     : "=r"(v) : "r"((uintptr_t)gpa) : "memory");
	return v;
}

static inline void phys_write32(u32 gpa, u32 v)
{
	asm volatile("movl %0, (%1)"
		     : : "r"(v), "r"((uintptr_t)gpa) : "memory");
}

/* APERTURE_HC_SET_MEMORY_ALIAS with a request built here. */
static inline long alias_set(u32 slot, u32 gpa, u32 size, u32 target)
{
	static struct aperture_memory_alias a;

	memset(&a, 0, sizeof(a));
	a.slot = slot;
	a.guest_phys_addr = gpa;
	a.memory_size = size;
	a.target_phys_addr = target;
	return hc1(APERTURE_HC_SET_MEMORY_ALIAS, gpa_of(&a));
}

/* The id of the memslot that starts at @gpa (APERTURE_HC_GET_MEMSLOTS), or -1. */
static inline int memslot_id(u32 gpa)
{
	static struct aperture_memslot slots[16];
	long n = hc2(APERTURE_HC_GET_MEMSLOTS, gpa_of(slots), 16);

	for (long i = 0; i < n && i < 16; i++)
		if (slots[i].guest_phys_addr == gpa)
			return slots[i].id;
	return -1;
}

#endif /* GUEST_RT_PHYSMEM_H */
