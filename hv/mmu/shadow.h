/* SPDX-License-Identifier: MIT */
/*
 * Shadow pages, internal to hv/mmu/: the shadow page cache (shadow.c), the
 * reverse map of leaf entries (rmap.c), invalidation (invalidate.c) and
 * write protection (write_protect.c), shared with the fault path (fault.c).
 *
 * No TLB flush is needed after dropping or write-protecting shadow
 * entries: without VPID every VM entry and exit flushes the guest's linear
 * mappings (SDM 3C 28.3.3.1), and the guest only runs again through a VM
 * entry.
 *
 * A shadow page shadows one guest page table, identified by the table's
 * guest frame and a role: its level, the guest's paging mode, for a 32-bit
 * guest which quadrant of the 1024-entry guest table it covers, and the
 * access rights of the path above it (two guest entries with different
 * rights that point at one table need different shadows, because a leaf
 * shadow entry carries the rights of its whole path).  A "direct" shadow
 * page has no guest table behind it: it maps a guest-physical range, for a
 * guest with paging off or for a guest large page that the shadow splits.
 */
#ifndef HV_MMU_SHADOW_H
#define HV_MMU_SHADOW_H

#include <hv/mmu/mmu.h>

#define MMU_BUG_STR2(x)	#x
#define MMU_BUG_STR(x)	MMU_BUG_STR2(x)

/*
 * An invariant of the shadow state.  Broken, it ends this guest (not the
 * hypervisor) with the condition in its diagnostic; in the host build the
 * unit tests abort on it.
 */
#if __STDC_HOSTED__
#include <assert.h>
#define MMU_BUG_ON(mmu, cond)	assert(!(cond))
#else
#define MMU_BUG_ON(mmu, cond)						\
	do {								\
		if (unlikely(cond) && !(mmu)->bug)			\
			(mmu)->bug = __FILE__ ":" MMU_BUG_STR(__LINE__)	\
				     ": " #cond;			\
	} while (0)
#endif

#define ACC_W		1u
#define ACC_U		2u
#define ACC_X		4u
#define ACC_ALL		(ACC_W | ACC_U | ACC_X)

union sp_role {
	u32 word;
	struct {
		u32 level : 3;		/* 1 = PT ... 4 = PML4 */
		u32 mode : 2;		/* the guest's enum paging_mode */
		u32 quadrant : 2;	/* 32-bit guests: part of the guest table */
		u32 direct : 1;		/* maps a guest-physical range */
		u32 access : 3;		/* ACC_* of the guest path above */
		u32 pae_root : 1;	/* the 4-entry PDPT under a non-long guest */
	};
};

struct link {
	u64 *sptep;
	gfn_t gfn;
	struct link *next;
};

struct shadow_page {
	u64 *spt;			/* the table; its address is its hpa */
	gfn_t *gfns;			/* level 1: guest frame of each entry */
	gfn_t gfn;			/* the guest table, or (direct) the
					 * first guest frame mapped */
	union sp_role role;
	struct shadow_page *gfn_next;	/* hash chain by gfn, or free list */
	struct shadow_page *hpa_next;	/* hash chain by table address */
	struct link *parents;		/* shadow entries pointing here */
	u64 pdpte[4];			/* PAE root: the PDPTEs it reflects */
	u32 root_count;			/* pinned as a cached root */
};

/* Finds the shadow page for (@gfn, @role), creating it if needed. */
struct shadow_page *shadow_get(struct mmu *mmu, gfn_t gfn, union sp_role role,
			       bool *created);
struct shadow_page *shadow_by_hpa(struct mmu *mmu, u64 hpa);
/* Any non-direct shadow page of @gfn: the frame is a guest page table. */
bool shadow_gfn_is_table(struct mmu *mmu, gfn_t gfn);

/* Points parent's entry @idx at @child, recording the parent link. */
int shadow_link(struct mmu *mmu, struct shadow_page *parent, u32 idx,
		struct shadow_page *child, u64 flags);
/* Empties entries [first, first + n) of @sp (children and leaves). */
void shadow_clear(struct mmu *mmu, struct shadow_page *sp, u32 first, u32 n);
/* Frees @sp: its parents stop pointing at it, its children lose it. */
void shadow_zap(struct mmu *mmu, struct shadow_page *sp);
/* Frees every non-direct shadow page of @gfn.  Returns how many. */
int shadow_zap_gfn(struct mmu *mmu, gfn_t gfn);

/* Iterates the non-direct shadow pages of @gfn (a hash chain walk). */
struct shadow_page *shadow_first_of_gfn(struct mmu *mmu, gfn_t gfn);
struct shadow_page *shadow_next_of_gfn(struct shadow_page *sp, gfn_t gfn);

/*
 * Links, from the cache's pool: parent links of a shadow page, and the
 * entries of the reverse map.  link_alloc returns NULL when the pool is
 * empty; link_remove unlinks and frees the link for @sptep from a list,
 * false if absent.
 */
struct link *link_alloc(struct mmu *mmu, u64 *sptep, gfn_t gfn);
void link_free(struct mmu *mmu, struct link *l);
bool link_remove(struct mmu *mmu, struct link **head, u64 *sptep);

/* Reverse map of leaf entries, keyed by the guest frame (pre-unalias). */
static inline u32 rmap_bucket(gfn_t gfn)
{
	return (gfn * 0x9e3779b97f4a7c15ull) >> 52;	/* 12 bits */
}

int rmap_add(struct mmu *mmu, gfn_t gfn, u64 *sptep);
void shadow_drop_leaf(struct mmu *mmu, struct shadow_page *sp, u32 idx);
/* Drops the leaves in list @head whose guest frame is in [lo, hi). */
void zap_leaves_of(struct mmu *mmu, struct link **head, gfn_t lo, gfn_t hi);

/* Clears RW in every leaf entry that maps @gfn: it became a page table. */
void write_protect_gfn(struct mmu *mmu, gfn_t gfn);

/* Roots: pinned shadow pages, up to MMU_MAX_ROOTS cached. */
void shadow_pin_root(struct mmu *mmu, struct shadow_page *sp);

#endif /* HV_MMU_SHADOW_H */
