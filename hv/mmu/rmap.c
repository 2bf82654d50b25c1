// SPDX-License-Identifier: MIT
/*
 * The reverse map: every present leaf shadow entry, found by the guest
 * frame it maps (the frame the guest used, before unalias_gfn).  It is
 * what makes invalidation targeted: when a range of guest frames changes
 * meaning (an alias or memslot change), exactly their leaf entries are
 * dropped, without walking every shadow table; and it finds the entries
 * to write-protect when a frame becomes a shadowed guest page table.
 *
 * Entries are links from the cache's pool (shadow.c), hashed into
 * MMU_RMAP_BUCKETS lists; one list holds the entries of many frames.
 */
#include <lib/errno.h>
#include <hv/mmu/mmu.h>
#include <hv/mmu/shadow.h>
#include <hv/mmu/spte.h>

int rmap_add(struct mmu *mmu, gfn_t gfn, u64 *sptep)
{
	struct link *l = link_alloc(mmu, sptep, gfn);
	u32 b = rmap_bucket(gfn);

	if (!l)
		return -ENOMEM;
	l->next = mmu->rmap[b];
	mmu->rmap[b] = l;
	return 0;
}

void shadow_drop_leaf(struct mmu *mmu, struct shadow_page *sp, u32 idx)
{
	if (!spte_present(sp->spt[idx]))
		return;
	/* Every present leaf has exactly one reverse-map entry. */
	MMU_BUG_ON(mmu, !link_remove(mmu,
				     &mmu->rmap[rmap_bucket(sp->gfns[idx])],
				     &sp->spt[idx]));
	sp->spt[idx] = 0;
	mmu->stats->shadow_ptes_zapped++;
}

/* The other frames hashed into the list keep their entries. */
void zap_leaves_of(struct mmu *mmu, struct link **head, gfn_t lo, gfn_t hi)
{
	struct link **pp = head, *l;

	while ((l = *pp)) {
		if (l->gfn < lo || l->gfn >= hi) {
			pp = &l->next;
			continue;
		}
		*l->sptep = 0;
		mmu->stats->shadow_ptes_zapped++;
		*pp = l->next;
		link_free(mmu, l);
	}
}
