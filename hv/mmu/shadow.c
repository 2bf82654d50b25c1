// SPDX-License-Identifier: MIT
/*
 * The shadow page cache: the per-VM pools of shadow-page descriptors and
 * links, descriptors hashed by guest frame and by table address, parent
 * links between shadow tables, cached roots, and freeing (zapping) shadow
 * pages.  The reverse map of leaf entries (rmap.c), invalidation
 * (invalidate.c) and write protection (write_protect.c) build on it.
 *
 * The pools are sized once, at mmu_create (docs/mmu.md, Limits).
 */
#include <lib/errno.h>
#include <lib/palloc.h>
#include <lib/string.h>
#include <hv/mmu/mmu.h>
#include <hv/mmu/shadow.h>
#include <hv/mmu/spte.h>

#define SP_POOL_SIZE	2048
#define LINK_POOL_SIZE	65536

static u32 gfn_bucket(gfn_t gfn)
{
	return (gfn * 0x9e3779b97f4a7c15ull) >> 54;	/* 10 bits */
}

static u32 hpa_bucket(u64 hpa)
{
	return (hpa >> PAGE_SHIFT) % MMU_HPA_BUCKETS;
}

static u64 pool_pages(u64 n, u64 size)
{
	return ALIGN_UP(n * size, PAGE_SIZE) / PAGE_SIZE;
}

int mmu_create(struct mmu *mmu, struct physmap *pm,
	       struct aperture_stats *stats, enum mmu_invalidate mode,
	       unsigned int maxphyaddr)
{
	_Static_assert(MMU_GFN_BUCKETS == 1024, "gfn_bucket yields 10 bits");
	_Static_assert(MMU_RMAP_BUCKETS == 4096, "rmap_bucket yields 12 bits");

	memset(mmu, 0, sizeof(*mmu));
	mmu->invalidate = mode;
	mmu->maxphyaddr = maxphyaddr;
	mmu->stats = stats;
	mmu->pm = pm;
	mmu->sp_pool = alloc_pages(pool_pages(SP_POOL_SIZE,
					      sizeof(struct shadow_page)));
	mmu->link_pool = alloc_pages(pool_pages(LINK_POOL_SIZE,
						sizeof(struct link)));
	if (!mmu->sp_pool || !mmu->link_pool) {
		mmu_destroy(mmu);
		return -ENOMEM;
	}
	mmu->sp_pool_size = SP_POOL_SIZE;
	for (u32 i = 0; i < SP_POOL_SIZE; i++) {
		mmu->sp_pool[i].gfn_next = mmu->sp_free;
		mmu->sp_free = &mmu->sp_pool[i];
	}
	for (u32 i = 0; i < LINK_POOL_SIZE; i++) {
		mmu->link_pool[i].next = mmu->link_free;
		mmu->link_free = &mmu->link_pool[i];
	}
	return 0;
}

void mmu_destroy(struct mmu *mmu)
{
	if (mmu->sp_pool) {
		mmu_zap_all(mmu);
		free_pages(mmu->sp_pool, pool_pages(SP_POOL_SIZE,
						    sizeof(struct shadow_page)));
	}
	if (mmu->link_pool)
		free_pages(mmu->link_pool, pool_pages(LINK_POOL_SIZE,
						      sizeof(struct link)));
	mmu->sp_pool = NULL;
	mmu->link_pool = NULL;
}

struct link *link_alloc(struct mmu *mmu, u64 *sptep, gfn_t gfn)
{
	struct link *l = mmu->link_free;

	if (!l)
		return NULL;
	mmu->link_free = l->next;
	l->sptep = sptep;
	l->gfn = gfn;
	return l;
}

void link_free(struct mmu *mmu, struct link *l)
{
	l->next = mmu->link_free;
	mmu->link_free = l;
}

/* Unlinks and frees the link for @sptep from a list; false if absent. */
bool link_remove(struct mmu *mmu, struct link **head, u64 *sptep)
{
	struct link **pp, *l;

	for (pp = head; (l = *pp); pp = &l->next) {
		if (l->sptep == sptep) {
			*pp = l->next;
			link_free(mmu, l);
			return true;
		}
	}
	return false;
}

struct shadow_page *shadow_by_hpa(struct mmu *mmu, u64 hpa)
{
	struct shadow_page *sp = mmu->by_hpa[hpa_bucket(hpa)];

	for (; sp; sp = sp->hpa_next)
		if ((uintptr_t)sp->spt == hpa)
			return sp;
	return NULL;
}

struct shadow_page *shadow_next_of_gfn(struct shadow_page *sp, gfn_t gfn)
{
	/*
	 * A PAE root reflects PDPTEs, which the processor reads only at MOV
	 * CR3 (SDM 3A 4.4.1): the guest may write its PDPT freely.
	 */
	for (; sp; sp = sp->gfn_next)
		if (sp->gfn == gfn && !sp->role.direct && !sp->role.pae_root)
			return sp;
	return NULL;
}

struct shadow_page *shadow_first_of_gfn(struct mmu *mmu, gfn_t gfn)
{
	return shadow_next_of_gfn(mmu->by_gfn[gfn_bucket(gfn)], gfn);
}

bool shadow_gfn_is_table(struct mmu *mmu, gfn_t gfn)
{
	return shadow_first_of_gfn(mmu, gfn) != NULL;
}

struct shadow_page *shadow_get(struct mmu *mmu, gfn_t gfn, union sp_role role,
			       bool *created)
{
	u32 b = gfn_bucket(gfn);
	struct shadow_page *sp;
	gfn_t *gfns;
	u64 *spt;

	*created = false;
	for (sp = mmu->by_gfn[b]; sp; sp = sp->gfn_next)
		if (sp->gfn == gfn && sp->role.word == role.word)
			return sp;

	sp = mmu->sp_free;
	if (!sp)
		return NULL;
	/*
	 * Nothing is stored in the free descriptor until both pages exist: a
	 * descriptor on the free list must keep spt == NULL (mmu_zap_all and
	 * the pool scans treat a non-NULL spt as a live page).
	 */
	spt = alloc_page();
	gfns = role.level == 1 ? alloc_page() : NULL;
	if (!spt || (role.level == 1 && !gfns)) {
		if (spt)
			free_page(spt);
		if (gfns)
			free_page(gfns);
		return NULL;
	}
	mmu->sp_free = sp->gfn_next;
	sp->spt = spt;
	sp->gfns = gfns;
	sp->gfn = gfn;
	sp->role = role;
	sp->parents = NULL;
	sp->root_count = 0;
	memset(sp->pdpte, 0, sizeof(sp->pdpte));
	sp->gfn_next = mmu->by_gfn[b];
	mmu->by_gfn[b] = sp;
	b = hpa_bucket((uintptr_t)sp->spt);
	sp->hpa_next = mmu->by_hpa[b];
	mmu->by_hpa[b] = sp;
	mmu->stats->shadow_pages_alive++;
	if (!role.direct && !role.pae_root)
		write_protect_gfn(mmu, gfn);
	*created = true;
	return sp;
}

int shadow_link(struct mmu *mmu, struct shadow_page *parent, u32 idx,
		struct shadow_page *child, u64 flags)
{
	struct link *l = link_alloc(mmu, &parent->spt[idx], parent->gfn);

	if (!l)
		return -ENOMEM;
	l->next = child->parents;
	child->parents = l;
	parent->spt[idx] = (uintptr_t)child->spt | flags;
	return 0;
}

static void unhash(struct mmu *mmu, struct shadow_page *sp)
{
	struct shadow_page **pp;

	for (pp = &mmu->by_gfn[gfn_bucket(sp->gfn)]; *pp; pp = &(*pp)->gfn_next)
		if (*pp == sp) {
			*pp = sp->gfn_next;
			break;
		}
	for (pp = &mmu->by_hpa[hpa_bucket((uintptr_t)sp->spt)]; *pp;
	     pp = &(*pp)->hpa_next)
		if (*pp == sp) {
			*pp = sp->hpa_next;
			break;
		}
}

/*
 * Drops the child behind one non-leaf entry.  A child left without parents
 * and not pinned as a root is freed at once: nothing could reach it.
 */
static void drop_child(struct mmu *mmu, struct shadow_page *sp, u32 idx)
{
	struct shadow_page *child = shadow_by_hpa(mmu, spte_addr(sp->spt[idx]));

	sp->spt[idx] = 0;
	/* A non-leaf entry always points at a shadow page of ours. */
	MMU_BUG_ON(mmu, !child);
	if (!child)
		return;
	MMU_BUG_ON(mmu, !link_remove(mmu, &child->parents, &sp->spt[idx]));
	if (!child->parents && !child->root_count)
		shadow_zap(mmu, child);
}

void shadow_clear(struct mmu *mmu, struct shadow_page *sp, u32 first, u32 n)
{
	for (u32 i = first; i < first + n && i < SPTE_ENTRIES; i++) {
		if (!spte_present(sp->spt[i]))
			continue;
		if (sp->role.level == 1)
			shadow_drop_leaf(mmu, sp, i);
		else
			drop_child(mmu, sp, i);
	}
}

static void unpin_root(struct mmu *mmu, struct shadow_page *sp)
{
	for (u32 i = 0; i < MMU_MAX_ROOTS; i++) {
		if (mmu->roots[i] != sp)
			continue;
		for (u32 j = i; j + 1 < MMU_MAX_ROOTS; j++)
			mmu->roots[j] = mmu->roots[j + 1];
		mmu->roots[MMU_MAX_ROOTS - 1] = NULL;
		break;
	}
	sp->root_count = 0;
	if (mmu->root == sp)
		mmu->root = NULL;	/* mmu_reload() builds another */
}

void shadow_zap(struct mmu *mmu, struct shadow_page *sp)
{
	struct link *l;

	if (sp->root_count)
		unpin_root(mmu, sp);
	/* Parents first: nothing may point at the page once it is freed. */
	while ((l = sp->parents)) {
		sp->parents = l->next;
		*l->sptep = 0;
		link_free(mmu, l);
	}
	shadow_clear(mmu, sp, 0, SPTE_ENTRIES);
	unhash(mmu, sp);
	free_page(sp->spt);
	if (sp->gfns)
		free_page(sp->gfns);
	sp->spt = NULL;
	sp->gfns = NULL;
	sp->gfn_next = mmu->sp_free;
	mmu->sp_free = sp;
	mmu->stats->shadow_pages_alive--;
	mmu->stats->shadow_pages_zapped++;
}

/* Keeps @sp as the most recent cached root, evicting the oldest. */
void shadow_pin_root(struct mmu *mmu, struct shadow_page *sp)
{
	struct shadow_page *old = mmu->roots[MMU_MAX_ROOTS - 1];
	u32 i;

	for (i = 0; i < MMU_MAX_ROOTS && mmu->roots[i] != sp; i++)
		;
	if (i == MMU_MAX_ROOTS) {
		if (old) {
			unpin_root(mmu, old);
			if (!old->parents)
				shadow_zap(mmu, old);
		}
		i = MMU_MAX_ROOTS - 1;
	}
	for (; i > 0; i--)
		mmu->roots[i] = mmu->roots[i - 1];
	mmu->roots[0] = sp;
	sp->root_count = 1;
	mmu->root = sp;
}

void mmu_zap_all(struct mmu *mmu)
{
	struct shadow_page *sp;

	/* Roots first: freeing them frees everything reachable. */
	while ((sp = mmu->roots[0]))
		shadow_zap(mmu, sp);
	for (u32 i = 0; i < mmu->sp_pool_size; i++) {
		sp = &mmu->sp_pool[i];
		if (sp->spt)
			shadow_zap(mmu, sp);
	}
	mmu->root = NULL;
}
