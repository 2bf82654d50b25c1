// SPDX-License-Identifier: MIT
/*
 * Shadow page bookkeeping: descriptors, the table-address hash, the reverse
 * map from guest frames to leaf entries, and invalidation.
 *
 * Every present leaf entry has exactly one reverse-map entry, keyed by the
 * guest frame the guest asked for (before unaliasing).  That key is what an
 * alias change talks about, so targeted invalidation is a hash lookup per
 * frame.  No TLB flush is needed after dropping entries: without VPID every
 * VM entry and exit flushes the guest's linear mappings (SDM 3C 28.3.3.1),
 * and the guest only runs again through a VM entry.
 */
#define LOG_SUBSYS "mmu"
#include <hv/errno.h>
#include <hv/log.h>
#include <hv/memslot.h>
#include <hv/palloc.h>
#include <hv/string.h>
#include <hv/mmu/mmu.h>
#include <hv/mmu/shadow.h>
#include <hv/mmu/spte.h>

#define SP_POOL_SIZE	2048
#define RMAP_POOL_SIZE	65536

struct rmap_entry {
	gfn_t gfn;
	u64 *sptep;
	struct rmap_entry *next;
};

static u32 sp_bucket(u64 hpa)
{
	return (hpa >> PAGE_SHIFT) % MMU_HASH_BUCKETS;
}

static u32 rmap_bucket(gfn_t gfn)
{
	return (gfn * 0x9e3779b97f4a7c15ull) >> 52;	/* 12 bits */
}

int mmu_create(struct mmu *mmu, struct physmap *pm,
	       struct aperture_stats *stats, enum cfg_invalidate mode)
{
	u64 sp_bytes = SP_POOL_SIZE * sizeof(struct shadow_page);
	u64 rmap_bytes = RMAP_POOL_SIZE * sizeof(struct rmap_entry);

	_Static_assert(MMU_RMAP_BUCKETS == 4096, "rmap_bucket yields 12 bits");
	memset(mmu, 0, sizeof(*mmu));
	mmu->invalidate = mode;
	mmu->stats = stats;
	mmu->pm = pm;
	mmu->sp_pool = alloc_pages(ALIGN_UP(sp_bytes, PAGE_SIZE) / PAGE_SIZE);
	mmu->rmap_pool = alloc_pages(ALIGN_UP(rmap_bytes, PAGE_SIZE) /
				     PAGE_SIZE);
	if (!mmu->sp_pool || !mmu->rmap_pool) {
		mmu_destroy(mmu);
		return -ENOMEM;
	}
	mmu->sp_pool_size = SP_POOL_SIZE;
	mmu->rmap_pool_size = RMAP_POOL_SIZE;
	for (u32 i = 0; i < SP_POOL_SIZE; i++) {
		mmu->sp_pool[i].hash_next = mmu->sp_free;
		mmu->sp_free = &mmu->sp_pool[i];
	}
	for (u32 i = 0; i < RMAP_POOL_SIZE; i++) {
		mmu->rmap_pool[i].next = mmu->rmap_free;
		mmu->rmap_free = &mmu->rmap_pool[i];
	}
	return 0;
}

void mmu_destroy(struct mmu *mmu)
{
	u64 sp_bytes = SP_POOL_SIZE * sizeof(struct shadow_page);
	u64 rmap_bytes = RMAP_POOL_SIZE * sizeof(struct rmap_entry);

	if (mmu->sp_pool) {
		mmu_zap_all(mmu);
		free_pages(mmu->sp_pool, ALIGN_UP(sp_bytes, PAGE_SIZE) /
			   PAGE_SIZE);
	}
	if (mmu->rmap_pool)
		free_pages(mmu->rmap_pool, ALIGN_UP(rmap_bytes, PAGE_SIZE) /
			   PAGE_SIZE);
	mmu->sp_pool = NULL;
	mmu->rmap_pool = NULL;
}

struct shadow_page *shadow_lookup(struct mmu *mmu, u64 hpa)
{
	struct shadow_page *sp = mmu->sp_hash[sp_bucket(hpa)];

	for (; sp; sp = sp->hash_next)
		if ((uintptr_t)sp->spt == hpa)
			return sp;
	return NULL;
}

struct shadow_page *shadow_alloc(struct mmu *mmu, int level)
{
	struct shadow_page *sp = mmu->sp_free;
	u32 b;

	if (!sp)
		return NULL;
	sp->spt = alloc_page();
	sp->gfns = level == 1 ? alloc_page() : NULL;
	if (!sp->spt || (level == 1 && !sp->gfns)) {
		if (sp->spt)
			free_page(sp->spt);
		return NULL;
	}
	mmu->sp_free = sp->hash_next;
	sp->level = level;
	sp->large = false;
	b = sp_bucket((uintptr_t)sp->spt);
	sp->hash_next = mmu->sp_hash[b];
	mmu->sp_hash[b] = sp;
	mmu->stats->shadow_pages_alive++;
	return sp;
}

static void shadow_unhash(struct mmu *mmu, struct shadow_page *sp)
{
	struct shadow_page **pp = &mmu->sp_hash[sp_bucket((uintptr_t)sp->spt)];

	for (; *pp; pp = &(*pp)->hash_next) {
		if (*pp == sp) {
			*pp = sp->hash_next;
			return;
		}
	}
}

int rmap_add(struct mmu *mmu, gfn_t gfn, u64 *sptep)
{
	struct rmap_entry *e = mmu->rmap_free;
	u32 b = rmap_bucket(gfn);

	if (!e)
		return -ENOMEM;
	mmu->rmap_free = e->next;
	e->gfn = gfn;
	e->sptep = sptep;
	e->next = mmu->rmap[b];
	mmu->rmap[b] = e;
	return 0;
}

static void rmap_remove(struct mmu *mmu, gfn_t gfn, u64 *sptep)
{
	struct rmap_entry **pp = &mmu->rmap[rmap_bucket(gfn)], *e;

	for (; (e = *pp); pp = &e->next) {
		if (e->sptep == sptep) {
			*pp = e->next;
			e->next = mmu->rmap_free;
			mmu->rmap_free = e;
			return;
		}
	}
	log_err("rmap: no entry for gfn %#lx spte %p\n", gfn, sptep);
}

/* Drops one leaf entry and its reverse-map entry. */
void shadow_drop_leaf(struct mmu *mmu, struct shadow_page *sp, u32 idx)
{
	if (!spte_present(sp->spt[idx]))
		return;
	rmap_remove(mmu, sp->gfns[idx], &sp->spt[idx]);
	sp->spt[idx] = 0;
	mmu->stats->shadow_ptes_zapped++;
}

/* Frees a shadow table and everything below it. */
void shadow_free_tree(struct mmu *mmu, struct shadow_page *sp)
{
	for (u32 i = 0; i < SPTE_ENTRIES; i++) {
		u64 spte = sp->spt[i];
		struct shadow_page *child;

		if (!spte_present(spte))
			continue;
		if (sp->level == 1) {
			shadow_drop_leaf(mmu, sp, i);
			continue;
		}
		child = shadow_lookup(mmu, spte_addr(spte));
		if (child)
			shadow_free_tree(mmu, child);
		else
			log_err("shadow: level %d entry %#lx has no table\n",
				sp->level, spte);
	}
	shadow_unhash(mmu, sp);
	free_page(sp->spt);
	if (sp->gfns)
		free_page(sp->gfns);
	sp->spt = NULL;
	sp->gfns = NULL;
	sp->hash_next = mmu->sp_free;
	mmu->sp_free = sp;
	mmu->stats->shadow_pages_alive--;
	mmu->stats->shadow_pages_zapped++;
}

void mmu_zap_all(struct mmu *mmu)
{
	if (mmu->root)
		shadow_free_tree(mmu, mmu->root);
	mmu->root = NULL;
	mmu->saw_1g_page = false;
}

/*
 * Targeted invalidation: drop exactly the leaf entries whose guest frame
 * lies in the range.  The tables above them stay; the next access to one
 * of those pages refaults and resolves the frame afresh.
 */
static void zap_rmap_range(struct mmu *mmu, gfn_t gfn, u64 npages)
{
	u64 end = gfn + npages;

	if (npages < MMU_RMAP_BUCKETS) {
		for (gfn_t g = gfn; g < end; g++) {
			struct rmap_entry **pp = &mmu->rmap[rmap_bucket(g)], *e;

			while ((e = *pp)) {
				if (e->gfn != g) {
					pp = &e->next;
					continue;
				}
				*e->sptep = 0;
				mmu->stats->shadow_ptes_zapped++;
				*pp = e->next;
				e->next = mmu->rmap_free;
				mmu->rmap_free = e;
			}
		}
		return;
	}
	/* A huge range: cheaper to visit every mapping once. */
	for (u32 b = 0; b < MMU_RMAP_BUCKETS; b++) {
		struct rmap_entry **pp = &mmu->rmap[b], *e;

		while ((e = *pp)) {
			if (e->gfn < gfn || e->gfn >= end) {
				pp = &e->next;
				continue;
			}
			*e->sptep = 0;
			mmu->stats->shadow_ptes_zapped++;
			*pp = e->next;
			e->next = mmu->rmap_free;
			mmu->rmap_free = e;
		}
	}
}

void mmu_invalidate_range(struct mmu *mmu, gfn_t gfn, u64 npages)
{
	if (!npages)
		return;
	if (mmu->invalidate == CFG_INVALIDATE_ALL) {
		/* The seed's kvm_mmu_zap_all: correct, and expensive. */
		mmu_zap_all(mmu);
		return;
	}
	zap_rmap_range(mmu, gfn, npages);
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

		if (!sp->spt || sp->level != 1)
			continue;
		for (u32 j = 0; j < SPTE_ENTRIES; j++) {
			u64 spte = sp->spt[j];

			if (spte_present(spte) && spte_addr(spte) >= lo &&
			    spte_addr(spte) < hi)
				sp->spt[j] = spte & ~PTE_RW;
		}
	}
}
