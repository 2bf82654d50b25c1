/* SPDX-License-Identifier: MIT */
/*
 * The shadow MMU.  The guest runs on page tables the hypervisor builds: for
 * every guest-virtual page it touches, the fault path walks the guest's own
 * tables (walk.c), resolves the guest-physical frame through unalias_gfn
 * and the memslots (physmap.c), and installs the smaller of the two
 * mappings in the shadow tables — NOVA's gwalk / hwalk / miss.
 *
 * The shadow tables behave as a software TLB that the hardware walks:
 * filled on #PF, flushed on MOV CR3, INVLPG and paging-mode changes, so
 * they never hold more than the guest's TLB could.  A reverse map from
 * guest frame to shadow entries makes alias and memslot changes cheap:
 * only the entries for the frames whose meaning changed are dropped
 * (mmu.invalidate=targeted), or everything is, as in the seed's
 * kvm_mmu_zap_all (mmu.invalidate=all).
 *
 * Hardware paging under the shadow is PAE for a guest outside long mode
 * (paging off, 32-bit or PAE paging) and 4-level for a long-mode guest.
 */
#ifndef HV_MMU_MMU_H
#define HV_MMU_MMU_H

#include <aperture/hypercall.h>
#include <hv/config.h>
#include <hv/mmu/walk.h>
#include <hv/types.h>

struct vm;
struct vcpu;
struct memslot;
struct shadow_page;
struct rmap_entry;

#define MMU_HASH_BUCKETS	1024
#define MMU_RMAP_BUCKETS	4096

struct mmu {
	enum cfg_invalidate invalidate;
	struct aperture_stats *stats;
	struct physmap *pm;

	struct shadow_page *sp_pool;		/* descriptor array */
	u32 sp_pool_size;
	struct shadow_page *sp_free;		/* free descriptors */
	struct shadow_page *sp_hash[MMU_HASH_BUCKETS];	/* by table hpa */
	struct shadow_page *root;
	bool root_long;				/* 4-level root */

	struct rmap_entry *rmap_pool;
	u32 rmap_pool_size;
	struct rmap_entry *rmap_free;
	struct rmap_entry *rmap[MMU_RMAP_BUCKETS];	/* by guest frame */

	bool saw_1g_page;			/* INVLPG must flush all */
};

/* Per-vCPU view: the guest's paging mode and what the hardware runs. */
struct mmu_vcpu {
	enum paging_mode mode;
	u64 pdpte[4];		/* PAE: loaded at CR3/CR0/CR4 time */
	u64 hw_cr3;
};

enum mmu_fault_result {
	MMU_FIXED,		/* shadow entry installed: re-run */
	MMU_INJECTED,		/* a guest #PF was injected */
	MMU_MMIO,		/* the frame has no RAM behind it: emulate */
};

int mmu_create(struct mmu *mmu, struct physmap *pm,
	       struct aperture_stats *stats, enum cfg_invalidate mode);
void mmu_destroy(struct mmu *mmu);

/*
 * (Re)computes the shadow root for the vCPU's current CR0/CR3/CR4/EFER.
 * Returns 0 with vcpu->mmu.hw_cr3 set, -EINVAL if PAE PDPTEs are invalid
 * (the caller injects #GP), -ENOMEM.
 */
int mmu_reset_context(struct vcpu *vcpu);

/*
 * Handles a #PF exit.  For MMU_MMIO, *gpa receives the guest-physical
 * address the access was for.
 */
int mmu_page_fault(struct vcpu *vcpu, gva_t gva, u32 error_code, gpa_t *gpa);

/* Translates for the emulator: 0, or -EFAULT (nothing is injected). */
int mmu_gva_to_gpa(struct vcpu *vcpu, gva_t gva, u32 access, gpa_t *gpa);

void mmu_invlpg(struct vcpu *vcpu, gva_t gva);

/* Guest-physical [gfn, gfn + npages) changed meaning (alias, memslot). */
void mmu_invalidate_range(struct mmu *mmu, gfn_t gfn, u64 npages);
void mmu_zap_all(struct mmu *mmu);

/* Dirty log was harvested: write-protect every mapping of the slot. */
void mmu_write_protect_slot(struct mmu *mmu, const struct memslot *slot);

#endif /* HV_MMU_MMU_H */
