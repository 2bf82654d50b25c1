/* SPDX-License-Identifier: MIT */
/*
 * The shadow MMU.  The guest runs on page tables the hypervisor builds: for
 * every guest-virtual page it touches, the fault path walks the guest's own
 * tables (walk.c), resolves the guest-physical frame through unalias_gfn
 * and the memslots (physmap.c), and installs the smaller of the two
 * mappings in the shadow tables — NOVA's gwalk / hwalk / miss.
 *
 * Shadow pages are cached by (guest table frame, role) and roots by guest
 * CR3, so switching address spaces reuses them.  That is only correct
 * because every guest page table that has a shadow is write-protected: a
 * guest write to one exits, is emulated, and drops the shadow entries it
 * made stale (emulate_pt_write in hv/emul/emulate.c).  A reverse map from guest frame to shadow entries
 * makes alias and memslot changes cheap: only the entries for the frames
 * whose meaning changed are dropped (mmu.invalidate=targeted), or
 * everything is, as in the seed's kvm_mmu_zap_all (mmu.invalidate=all).
 *
 * Hardware paging under the shadow is PAE for a guest outside long mode
 * (paging off, 32-bit or PAE paging) and 4-level for a long-mode guest.
 */
#ifndef HV_MMU_MMU_H
#define HV_MMU_MMU_H

#include <aperture/hypercall.h>
#include <hv/mmu/walk.h>
#include <lib/x86.h>
#include <lib/types.h>

struct memslot;
struct physmap;
struct shadow_page;
struct link;

#define MMU_GFN_BUCKETS		1024
#define MMU_HPA_BUCKETS		1024
#define MMU_RMAP_BUCKETS	4096
#define MMU_MAX_ROOTS		4

/* What an alias or memslot change drops (docs/alias.md). */
enum mmu_invalidate {
	MMU_INVALIDATE_TARGETED,	/* only shadows of the frames moved */
	MMU_INVALIDATE_ALL,		/* everything: the seed's zap-all */
};

struct mmu {
	enum mmu_invalidate invalidate;
	unsigned int maxphyaddr;	/* the guest's, CPUID.80000008H:EAX */
	struct aperture_stats *stats;
	struct physmap *pm;

	struct shadow_page *sp_pool;		/* descriptor array */
	u32 sp_pool_size;
	struct shadow_page *sp_free;
	struct shadow_page *by_gfn[MMU_GFN_BUCKETS];
	struct shadow_page *by_hpa[MMU_HPA_BUCKETS];

	/* Cached roots, most recent first; root is the one in use. */
	struct shadow_page *roots[MMU_MAX_ROOTS];
	struct shadow_page *root;

	struct link *link_pool;
	struct link *link_free;
	struct link *rmap[MMU_RMAP_BUCKETS];	/* leaf entries by guest frame */

	/* Paging controls the cached shadows were built under. */
	u64 built_cr0_wp, built_cr4_pse, built_efer_nxe;

	/*
	 * The first broken invariant of this VM's shadow state, "file:line:
	 * condition": the run loop ends the guest with it (MMU_BUG_ON).
	 */
	const char *bug;

	/*
	 * Guards against a page-table write we can only retry natively
	 * (emulate_unshadow in hv/emul/emulate.c): where and when the last
	 * unshadow was, and how many close repeats of it there were.
	 */
	u64 unshadow_rip;
	gfn_t unshadow_gfn;
	u64 unshadow_exit;	/* stats.exits at the last unshadow */
	u32 unshadow_repeats;
};

/* The guest's paging controls, as the guest sees them (hv/exit/cr.c). */
struct mmu_regs {
	u64 cr0, cr3, cr4, efer;
};

/*
 * Per-vCPU view: the controls the MMU was last reset with (and the PAE
 * PDPTEs they loaded), the paging mode they select, and the root the
 * hardware must run on.
 */
struct mmu_vcpu {
	struct mmu *mmu;
	struct walk_cpu cpu;
	enum paging_mode mode;
	u64 hw_cr3;
};

/*
 * What a #PF exit comes to.  Every outcome is architectural or asks the
 * exit layer to emulate; a host-side failure is the negative errno that
 * mmu_page_fault() returns instead.
 */
enum mmu_fault_kind {
	MMU_FAULT_FIXED,	/* shadow entry installed: re-run */
	MMU_FAULT_INJECT,	/* the guest's own translation faults: .exc */
	MMU_FAULT_MMIO,		/* no RAM behind .gpa (or a read-only slot) */
	MMU_FAULT_PT_WRITE,	/* a store into a shadowed guest page table */
};

struct mmu_fault {
	enum mmu_fault_kind kind;
	gpa_t gpa;			/* MMIO, PT_WRITE */
	struct x86_exception exc;	/* INJECT */
};

int mmu_create(struct mmu *mmu, struct physmap *pm,
	       struct aperture_stats *stats, enum mmu_invalidate mode,
	       unsigned int maxphyaddr);
void mmu_destroy(struct mmu *mmu);

/* Ties a vCPU to its VM's MMU; mmu_reset_context() must follow. */
void mmu_vcpu_init(struct mmu_vcpu *mv, struct mmu *mmu);

/* What loading new paging controls comes to. */
enum mmu_load {
	MMU_LOADED = 0,		/* mv->hw_cr3 is the root to run on */
	MMU_BAD_PDPTES,		/* PAE PDPTEs may not be loaded: #GP, and
				 * nothing changed (SDM 3A 4.4.1) */
};

/*
 * Takes the guest's new paging controls, recomputes the paging mode and
 * selects (or builds) the root for it.  Under PAE paging the PDPTEs are
 * read from CR3 only when @load_pdptes says the write that changed the
 * controls loads them (SDM 3A 4.4.1: MOV to CR3, MOV to CR0 changing CD,
 * NW or PG, MOV to CR4 changing PAE, PGE or PSE); otherwise the ones
 * loaded before stay, whatever memory holds now.  Returns an enum
 * mmu_load, or -ENOMEM.
 */
int mmu_reset_context(struct mmu_vcpu *mv, const struct mmu_regs *regs,
		      bool load_pdptes);

/*
 * Makes sure a root is loaded (an invalidation may have dropped it):
 * 0 with mv->hw_cr3 set, or -ENOMEM.
 */
int mmu_reload(struct mmu_vcpu *mv);

/* Handles a #PF exit: 0 with *out filled in, or -ENOMEM. */
int mmu_page_fault(struct mmu_vcpu *mv, gva_t gva, u32 error_code,
		   struct mmu_fault *out);

/*
 * @len bytes at @gpa, within one page, were written into a shadowed guest
 * page table: count an emulated page-table write and drop the shadow
 * entries those bytes described.
 */
void mmu_pt_written(struct mmu *mmu, gpa_t gpa, unsigned int len);

/*
 * The hypervisor wrote guest-physical [@gpa, @gpa + @len) itself, around
 * the write protection of guest page tables: a hypercall's result, or a
 * store the emulator did for the guest.  For every page of it that is a
 * shadowed guest page table, drop the shadow entries the bytes described;
 * other pages cost a lookup.  Returns whether any page was a shadowed
 * page table.
 */
bool mmu_guest_written(struct mmu *mmu, gpa_t gpa, u64 len);

/* Stop shadowing @gfn as a page table (a write we could not emulate). */
void mmu_unshadow(struct mmu *mmu, gfn_t gfn);

/*
 * Translates for the emulator, which injects nothing itself: true with
 * *gpa set, or false with *exc the fault the access would raise.
 */
bool mmu_gva_to_gpa(struct mmu_vcpu *mv, gva_t gva, u32 access, gpa_t *gpa,
		    struct x86_exception *exc);

void mmu_invlpg(struct mmu_vcpu *mv, gva_t gva);

/* Guest-physical [gfn, gfn + npages) changed meaning (alias, memslot). */
void mmu_invalidate_range(struct mmu *mmu, gfn_t gfn, u64 npages);
void mmu_zap_all(struct mmu *mmu);

/* Dirty log was harvested: write-protect every mapping of the slot. */
void mmu_write_protect_slot(struct mmu *mmu, const struct memslot *slot);

#endif /* HV_MMU_MMU_H */
