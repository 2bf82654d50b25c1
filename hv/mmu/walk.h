/* SPDX-License-Identifier: MIT */
/*
 * Guest page-table walker: translates a guest-virtual address the way the
 * guest's own MMU would (Intel SDM Vol. 3A chapter 4), including the #PF
 * error code on failure and the accessed/dirty updates on success.  One
 * walker, generated per paging mode from walk_tmpl.h; see docs/walker.md.
 */
#ifndef HV_MMU_WALK_H
#define HV_MMU_WALK_H

#include <lib/types.h>
#include <lib/errno.h>

/*
 * The freestanding errno set has no EAGAIN yet; the cmpxchg contract below
 * needs it.  Linux's value, so host and freestanding builds agree.
 */
#ifndef EAGAIN
#define EAGAIN		11
#endif

enum paging_mode { PAGING_OFF, PAGING_32, PAGING_PAE, PAGING_LONG };

/* Deepest table level of any mode (4-level paging); arrays use 1..4. */
#define WALK_MAX_LEVELS	4

struct walk_mem_ops {
	/* read `size` (4 or 8) bytes of guest-physical memory; -EFAULT if unbacked */
	int (*read)(void *ctx, gpa_t gpa, u64 *val, unsigned size);
	/*
	 * Atomically replace old with new (for A/D bits); -EFAULT if
	 * unbacked/read-only, -EAGAIN if the entry no longer holds old.
	 */
	int (*cmpxchg)(void *ctx, gpa_t gpa, u64 old, u64 new, unsigned size);
};

struct walk_cpu {
	u64 cr0, cr3, cr4, efer;
	u64 pdpte[4];		/* PAE only: as loaded by pae_load_pdptes() */
	unsigned maxphyaddr;	/* CPUID.80000008H:EAX[7:0], 32..52 */
};

struct walk_result {
	gpa_t gpa;		/* translated address (page base | offset) */
	int level;		/* leaf level: 1 = 4K, 2 = 2M/4M, 3 = 1G;
				 * on a fault, the level that faulted */
	u64 pte;		/* the leaf entry as used (after A/D update) */
	bool write, user, exec;	/* rights granted by the entries themselves */
	u32 error_code;		/* #PF error code when the walk faults */
	int nr_levels;		/* table levels of the mode (2, 3 or 4) */
	/* Indexed by level, valid for level..nr_levels: */
	gpa_t table_gpa[WALK_MAX_LEVELS + 1];	/* table read at each level */
	gpa_t pte_gpa[WALK_MAX_LEVELS + 1];	/* entry read at each level */
	u64 ptes[WALK_MAX_LEVELS + 1];		/* entry value at each level */
};

/* From CR0.PG, EFER.LMA and CR4.PAE (SDM 3A 4.1.1). */
enum paging_mode paging_mode_of(const struct walk_cpu *cpu);

/*
 * Translate gva for an access made of PFERR_WRITE | PFERR_USER |
 * PFERR_FETCH (none of them: a supervisor read).
 *
 * Returns 0 with res filled in; -EFAULT for a guest #PF (res->error_code
 * set: the caller injects #PF with CR2 = gva); -EINVAL if gva is not a
 * linear address of the mode (non-canonical in 4-level paging: the caller
 * injects #GP; above 4 GiB otherwise), if access has other bits, or if
 * maxphyaddr is out of range; -EOPNOTSUPP for 5-level paging (CR4.LA57);
 * -EAGAIN if the A/D update kept racing with other writers (resume the
 * guest, it will fault again); any other error from ops->read unchanged.
 */
int guest_walk(const struct walk_mem_ops *ops, void *ctx,
	       const struct walk_cpu *cpu, gva_t gva, u32 access,
	       struct walk_result *res);

/*
 * PAE: load the 4 PDPTEs at CR3 time (SDM 3A 4.4.1); -EINVAL if a present
 * PDPTE has reserved bits set (the caller injects #GP), -EFAULT if unbacked.
 * pdpte is written only on success.
 */
int pae_load_pdptes(const struct walk_mem_ops *ops, void *ctx, u64 cr3,
		    unsigned maxphyaddr, u64 pdpte[4]);

#endif /* HV_MMU_WALK_H */
