// SPDX-License-Identifier: MIT
/*
 * Invalidation: dropping the shadow state that a change in the guest made
 * stale.  Three causes: guest-physical frames changed meaning (an alias
 * or memslot change: mmu_invalidate_range), the hypervisor wrote into a
 * shadowed guest page table for the guest (an emulated store or a
 * hypercall's result: mmu_guest_written, mmu_pt_written), and a write to
 * a guest page table that cannot be emulated (mmu_unshadow: stop
 * shadowing the frame).
 */
#include <hv/mmu/mmu.h>
#include <hv/mmu/shadow.h>
#include <hv/mmu/spte.h>

int shadow_zap_gfn(struct mmu *mmu, gfn_t gfn)
{
	struct shadow_page *sp;
	int n = 0;

	while ((sp = shadow_first_of_gfn(mmu, gfn))) {
		shadow_zap(mmu, sp);
		n++;
	}
	return n;
}

/*
 * Targeted invalidation: drop exactly the leaf entries whose guest frame
 * lies in the range, and the shadows of any guest page table that lived
 * there (its contents changed too).  Tables above stay; the next access
 * to one of those pages refaults and resolves the frame afresh.
 */
void mmu_invalidate_range(struct mmu *mmu, gfn_t gfn, u64 npages)
{
	gfn_t end = gfn + npages;

	if (!npages)
		return;
	if (mmu->invalidate == MMU_INVALIDATE_ALL) {
		/* The seed's kvm_mmu_zap_all: correct, and expensive. */
		mmu_zap_all(mmu);
		return;
	}
	if (npages < MMU_RMAP_BUCKETS) {
		for (gfn_t g = gfn; g < end; g++) {
			zap_leaves_of(mmu, &mmu->rmap[rmap_bucket(g)], g, g + 1);
			shadow_zap_gfn(mmu, g);
		}
		return;
	}
	/* A huge range: cheaper to visit every mapping once. */
	for (u32 b = 0; b < MMU_RMAP_BUCKETS; b++)
		zap_leaves_of(mmu, &mmu->rmap[b], gfn, end);
	for (u32 i = 0; i < mmu->sp_pool_size; i++) {
		struct shadow_page *sp = &mmu->sp_pool[i];

		if (sp->spt && !sp->role.direct && !sp->role.pae_root &&
		    sp->gfn >= gfn && sp->gfn < end)
			shadow_zap(mmu, sp);
	}
}

/*
 * Maps the guest entries a write touched to the shadow entries they made:
 * the same index in a PAE or 4-level table; in a 32-bit guest's tables,
 * offset by the shadow's quadrant, and a 4 MiB PDE is two 2 MiB shadows.
 */
static void clear_written(struct mmu *mmu, struct shadow_page *sp, u32 off,
			  unsigned int len)
{
	bool legacy = sp->role.mode == PAGING_32;
	u32 es = legacy ? 4 : 8;

	for (u32 gi = off / es; gi <= (off + len - 1) / es; gi++) {
		s64 idx = gi;
		u32 n = 1;

		if (legacy && sp->role.level == 1) {
			idx -= sp->role.quadrant * 512;
		} else if (legacy) {
			idx = (idx - sp->role.quadrant * 256) * 2;
			n = 2;
		}
		if (idx >= 0 && idx < SPTE_ENTRIES)
			shadow_clear(mmu, sp, idx, n);
	}
}

/* @len bytes at @gpa, all in one page, changed in a guest page table. */
static void pt_written_page(struct mmu *mmu, gpa_t gpa, unsigned int len)
{
	struct shadow_page *victims[16], *sp;
	gfn_t gfn = gpa >> PAGE_SHIFT;
	u32 n = 0;

	if (!len)
		return;
	/*
	 * Clearing an entry can free a child shadow of the same frame (a
	 * recursive mapping), so collect first and re-check before use.
	 */
	for (sp = shadow_first_of_gfn(mmu, gfn); sp && n < ARRAY_SIZE(victims);
	     sp = shadow_next_of_gfn(sp->gfn_next, gfn))
		victims[n++] = sp;
	if (sp) {
		/* More shadows of one frame than we track: drop them all. */
		shadow_zap_gfn(mmu, gfn);
		return;
	}
	for (u32 i = 0; i < n; i++) {
		sp = victims[i];
		if (sp->spt && sp->gfn == gfn && !sp->role.direct)
			clear_written(mmu, sp, gpa & (PAGE_SIZE - 1), len);
	}
}

void mmu_pt_written(struct mmu *mmu, gpa_t gpa, unsigned int len)
{
	mmu->stats->pt_writes_emulated++;
	pt_written_page(mmu, gpa, len);
}

bool mmu_guest_written(struct mmu *mmu, gpa_t gpa, u64 len)
{
	bool table = false;

	while (len) {
		u64 n = MIN(len, PAGE_SIZE - (gpa & (PAGE_SIZE - 1)));

		if (shadow_first_of_gfn(mmu, gpa >> PAGE_SHIFT)) {
			pt_written_page(mmu, gpa, n);
			table = true;
		}
		gpa += n;
		len -= n;
	}
	return table;
}

void mmu_unshadow(struct mmu *mmu, gfn_t gfn)
{
	shadow_zap_gfn(mmu, gfn);
}
