/* SPDX-License-Identifier: MIT */
/*
 * Shadow page-table entries.  Shadow tables are always 64-bit-entry tables
 * (PAE or 4-level), whatever the guest's own format.
 */
#ifndef HV_MMU_SPTE_H
#define HV_MMU_SPTE_H

#include <lib/x86.h>

#define SPTE_ADDR_MASK		0x000ffffffffff000ull
#define SPTE_ENTRIES		512

/* Non-leaf entries grant everything: the leaf decides (SDM 3A 4.6). */
#define SPTE_TABLE_FLAGS	(PTE_P | PTE_RW | PTE_US | PTE_A)
/* SDM 3A 4.4.1: a PAE PDPTE has only P, PWT, PCD and the address. */
#define SPTE_PDPTE_FLAGS	(PTE_P)

static inline bool spte_present(u64 spte)
{
	return spte & PTE_P;
}

static inline u64 spte_addr(u64 spte)
{
	return spte & SPTE_ADDR_MASK;
}

#endif /* HV_MMU_SPTE_H */
