/* SPDX-License-Identifier: MIT */
/* Shadow page descriptors, shared by shadow.c and fault.c. */
#ifndef HV_MMU_SHADOW_H
#define HV_MMU_SHADOW_H

#include <hv/mmu/mmu.h>

struct shadow_page {
	u64 *spt;			/* the table; its address is its hpa */
	gfn_t *gfns;			/* level 1: guest frame of each entry */
	struct shadow_page *hash_next;	/* hash chain, or free list */
	int level;			/* 1 = PT ... 4 = PML4 */
	bool large;			/* level 1 split from a guest large page */
};

struct shadow_page *shadow_alloc(struct mmu *mmu, int level);
struct shadow_page *shadow_lookup(struct mmu *mmu, u64 hpa);
void shadow_free_tree(struct mmu *mmu, struct shadow_page *sp);
void shadow_drop_leaf(struct mmu *mmu, struct shadow_page *sp, u32 idx);
int rmap_add(struct mmu *mmu, gfn_t gfn, u64 *sptep);

#endif /* HV_MMU_SHADOW_H */
