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
 * What a walk found.  Architectural outcomes are these values; a negative
 * errno is only ever a caller's mistake or a failure of ops->read other
 * than -EFAULT, or of ops->cmpxchg other than -EFAULT and -EAGAIN
 * (docs/conventions.md).
 */
enum walk_status {
	WALK_OK = 0,		/* translated: res filled in */
	WALK_PF,		/* guest #PF: res->error_code set, CR2 = gva */
	WALK_GP,		/* #GP: not a linear address of the mode, or
				 * PAE PDPTEs that may not be loaded */
	WALK_RETRY,		/* the A/D update kept racing with other
				 * writers: resume the guest, it faults again */
};

/*
 * Translate gva for an access made of PFERR_WRITE | PFERR_USER |
 * PFERR_FETCH (none of them: a supervisor read).
 *
 * Returns a walk_status.  WALK_GP also for an address above 4 GiB outside
 * IA-32e mode (the caller truncates linear addresses there).  Negative
 * errno: -EINVAL if access has other bits or maxphyaddr is out of range,
 * -EOPNOTSUPP for 5-level paging (CR4.LA57), any error of ops->read other
 * than -EFAULT (which means "no RAM there": the table reads as not
 * present) unchanged, and likewise of ops->cmpxchg other than -EFAULT (the
 * A/D write is dropped) and -EAGAIN (the walk restarts; WALK_RETRY).
 */
int guest_walk(const struct walk_mem_ops *ops, void *ctx,
	       const struct walk_cpu *cpu, gva_t gva, u32 access,
	       struct walk_result *res);

/*
 * PAE: load the 4 PDPTEs at CR3 time (SDM 3A 4.4.1).  WALK_OK, or WALK_GP
 * if a present PDPTE has reserved bits set or the table is not in RAM
 * (where it would read as all ones); -EINVAL if maxphyaddr is out of
 * range; any error of ops->read other than -EFAULT unchanged.  pdpte is
 * written only on WALK_OK.
 */
int pae_load_pdptes(const struct walk_mem_ops *ops, void *ctx, u64 cr3,
		    unsigned maxphyaddr, u64 pdpte[4]);

#endif /* HV_MMU_WALK_H */
