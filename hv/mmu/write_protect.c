// SPDX-License-Identifier: MIT
/*
 * Write protection: clearing RW in leaf shadow entries so that the guest's
 * next write to a page exits to the hypervisor.  Two users need that:
 * a guest page table that has a shadow must not change behind it
 * (write_protect_gfn, from shadow_get), and after a dirty-log harvest the
 * next write to each page of the slot must be logged again
 * (mmu_write_protect_slot).  Only RW changes: the entries stay present and
 * in the reverse map.
 */
#include <hv/memslot/memslot.h>
#include <hv/mmu/mmu.h>
#include <hv/mmu/shadow.h>
#include <hv/mmu/spte.h>

/*
 * A guest page table with a shadow must not change behind the shadow's
 * back: clear RW in every leaf entry that maps it, so that guest writes to
 * it exit (emulate_pt_write in hv/emul/emulate.c).  Leaf entries
 * installed later check shadow_gfn_is_table() themselves.
 */
void write_protect_gfn(struct mmu *mmu, gfn_t gfn)
{
	struct link *l = mmu->rmap[rmap_bucket(gfn)];

	for (; l; l = l->next)
		if (l->gfn == gfn)
			*l->sptep &= ~PTE_RW;
}

/*
 * After the dirty bitmap is harvested, the next write to each page must be
 * seen again: clear RW in every leaf entry that maps the slot's backing.
 */
void mmu_write_protect_slot(struct mmu *mmu, const struct memslot *slot)
{
	u64 lo = (uintptr_t)slot->host;
	u64 hi = lo + slot->npages * PAGE_SIZE;

	for (u32 i = 0; i < mmu->sp_pool_size; i++) {
		struct shadow_page *sp = &mmu->sp_pool[i];

		if (!sp->spt || sp->role.level != 1)
			continue;
		for (u32 j = 0; j < SPTE_ENTRIES; j++) {
			u64 spte = sp->spt[j];

			if (spte_present(spte) && spte_addr(spte) >= lo &&
			    spte_addr(spte) < hi)
				sp->spt[j] = spte & ~PTE_RW;
		}
	}
}
