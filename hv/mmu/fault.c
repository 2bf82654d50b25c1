// SPDX-License-Identifier: MIT
/*
 * The shadow MMU's fault path and roots.  On a #PF exit: gwalk (the guest's
 * page tables, or the identity when guest paging is off), hwalk (unalias +
 * memslot), then miss: descend the shadow from the root, finding or
 * creating the shadow page for each guest table on the way, and install
 * the 4 KiB leaf.
 */
#define LOG_SUBSYS "mmu"
#include <lib/errno.h>
#include <lib/log.h>
#include <hv/memslot/memslot.h>
#include <hv/memslot/physmap.h>
#include <lib/string.h>
#include <hv/mmu/mmu.h>
#include <hv/mmu/shadow.h>
#include <hv/mmu/spte.h>

/* Guest memory for the walker: reads, and A/D updates with dirty logging. */
static int walk_read(void *ctx, gpa_t gpa, u64 *val, unsigned size)
{
	*val = 0;
	return physmap_read(ctx, gpa, val, size);
}

static int walk_cmpxchg(void *ctx, gpa_t gpa, u64 old, u64 new, unsigned size)
{
	struct physmap *pm = ctx;
	struct memslot *slot;
	u8 *hva;
	bool ok;

	hva = physmap_gfn_to_hva(pm, gpa >> PAGE_SHIFT, &slot);
	if (!hva || (slot->flags & APERTURE_MEM_READONLY))
		return -EFAULT;
	hva += gpa & (PAGE_SIZE - 1);
	if (size == 8) {
		ok = __atomic_compare_exchange_n((u64 *)hva, &old, new, false,
						 __ATOMIC_SEQ_CST,
						 __ATOMIC_SEQ_CST);
	} else {
		u32 o = old;

		ok = __atomic_compare_exchange_n((u32 *)hva, &o, (u32)new,
						 false, __ATOMIC_SEQ_CST,
						 __ATOMIC_SEQ_CST);
	}
	if (!ok)
		return -EAGAIN;
	memslot_mark_dirty(slot, unalias_gfn(&pm->aliases, gpa >> PAGE_SHIFT));
	return 0;
}

static const struct walk_mem_ops walk_ops = {
	.read = walk_read,
	.cmpxchg = walk_cmpxchg,
};

static bool page_logged_dirty(const struct memslot *slot, gfn_t gfn)
{
	u64 i = gfn - slot->base_gfn;

	return slot->dirty_bitmap[i / 64] & BIT(i % 64);
}

/*
 * The root for the guest's current mode and CR3: a shadow PML4 of the
 * guest's PML4 in long mode, else the four-entry PAE PDPT the hardware
 * needs (SDM 3A 4.4), keyed by CR3 and, for a PAE guest, by the PDPTEs it
 * was built from, which MOV CR3 reloads (SDM 3A 4.4.1).
 */
static int load_root(struct mmu_vcpu *mv)
{
	struct mmu *mmu = mv->mmu;
	enum paging_mode mode = mv->mode;
	union sp_role role = { .word = 0 };
	struct shadow_page *root;
	bool created;
	gfn_t gfn;

	role.mode = mode;
	role.access = ACC_ALL;
	if (mode == PAGING_LONG) {
		role.level = 4;
		gfn = mv->cpu.cr3 >> PAGE_SHIFT;
	} else {
		role.level = 3;
		role.pae_root = 1;
		role.direct = mode == PAGING_OFF;
		gfn = mode == PAGING_OFF ? 0 : mv->cpu.cr3 >> PAGE_SHIFT;
	}

	root = shadow_get(mmu, gfn, role, &created);
	if (!root) {
		/* Out of shadow pages: drop everything and try once more. */
		mmu_zap_all(mmu);
		root = shadow_get(mmu, gfn, role, &created);
		if (!root)
			return -ENOMEM;
	}
	if (created)
		mmu->stats->roots_built++;
	if (mode == PAGING_PAE &&
	    memcmp(root->pdpte, mv->cpu.pdpte, sizeof(root->pdpte))) {
		shadow_clear(mmu, root, 0, 4);
		memcpy(root->pdpte, mv->cpu.pdpte, sizeof(root->pdpte));
	}
	shadow_pin_root(mmu, root);
	mv->hw_cr3 = (uintptr_t)root->spt;
	return 0;
}

int mmu_reload(struct mmu_vcpu *mv)
{
	struct mmu *mmu = mv->mmu;

	if (mmu->root)
		return 0;
	return load_root(mv);
}

void mmu_vcpu_init(struct mmu_vcpu *mv, struct mmu *mmu)
{
	memset(mv, 0, sizeof(*mv));
	mv->mmu = mmu;
	mv->cpu.maxphyaddr = mmu->maxphyaddr;
}

int mmu_reset_context(struct mmu_vcpu *mv, const struct mmu_regs *regs,
		      bool load_pdptes)
{
	struct mmu *mmu = mv->mmu;
	u64 wp = regs->cr0 & X86_CR0_WP, pse = regs->cr4 & X86_CR4_PSE;
	u64 nxe = regs->efer & EFER_NXE;
	struct walk_cpu cpu = {
		.cr0 = regs->cr0,
		.cr3 = regs->cr3,
		.cr4 = regs->cr4,
		.efer = regs->efer,
		.maxphyaddr = mmu->maxphyaddr,
	};
	int ret;

	/* Nothing changes unless the PDPTEs load (SDM 3A 4.4.1: else #GP). */
	if (paging_mode_of(&cpu) == PAGING_PAE && !load_pdptes &&
	    mv->mode == PAGING_PAE) {
		memcpy(cpu.pdpte, mv->cpu.pdpte, sizeof(cpu.pdpte));
	} else if (paging_mode_of(&cpu) == PAGING_PAE) {
		ret = pae_load_pdptes(&walk_ops, mmu->pm, cpu.cr3,
				      mmu->maxphyaddr, cpu.pdpte);
		if (ret == WALK_GP)
			return MMU_BAD_PDPTES;
		MMU_BUG_ON(mmu, ret != WALK_OK);
		if (ret != WALK_OK)
			return MMU_BAD_PDPTES;
	}
	mv->cpu = cpu;
	mv->mode = paging_mode_of(&cpu);

	/*
	 * CR0.WP, CR4.PSE and EFER.NXE change what every cached shadow
	 * entry means; they are not part of the role, so start afresh.
	 * Mode and CR3 are: the cached roots for them stay valid.
	 */
	if (wp != mmu->built_cr0_wp || pse != mmu->built_cr4_pse ||
	    nxe != mmu->built_efer_nxe) {
		mmu_zap_all(mmu);
		mmu->built_cr0_wp = wp;
		mmu->built_cr4_pse = pse;
		mmu->built_efer_nxe = nxe;
	}
	return load_root(mv);
}

/* 9 bits of the linear address per level (SDM 3A 4.4.2, 4.5). */
static unsigned int spte_index(gva_t gva, int level)
{
	return (gva >> (PAGE_SHIFT + 9 * (level - 1))) & 0x1ff;
}

/* The entry of @sp that translates @gva; a PAE PDPT has 4 (SDM 3A 4.4.2). */
static unsigned int sp_index(const struct shadow_page *sp, gva_t gva)
{
	return sp->role.pae_root ? (gva >> 30) & 3 :
				   spte_index(gva, sp->role.level);
}

struct translation {
	gpa_t gpa;
	bool write, user, exec;	/* rights for this access's leaf entry */
	bool dirty;		/* guest PTE's D bit is set (or no guest PTE) */
	struct walk_result res;	/* valid when guest paging is on */
};

/*
 * gwalk: guest-virtual -> guest-physical.  Returns WALK_OK with @t filled
 * in; WALK_PF or WALK_GP with @exc the fault the access raises (#PF for a
 * translation fault, #GP for an address that is not canonical, SDM 3A
 * 6.15); WALK_RETRY when the guest changed an entry under the walker.
 */
static int gwalk(struct mmu_vcpu *mv, gva_t gva, u32 access,
		 struct translation *t, struct x86_exception *exc)
{
	struct walk_result *res = &t->res;
	int ret;

	if (mv->mode == PAGING_OFF) {
		t->gpa = gva & 0xffffffffull;
		t->write = t->user = t->exec = t->dirty = true;
		res->level = 1;
		return WALK_OK;
	}
	ret = guest_walk(&walk_ops, mv->mmu->pm, &mv->cpu, gva, access, res);
	switch (ret) {
	case WALK_OK:
		break;
	case WALK_PF:
		*exc = (struct x86_exception){
			.vector = X86_VEC_PF,
			.has_errcode = true,
			.errcode = res->error_code,
			.cr2 = gva,
		};
		return ret;
	case WALK_GP:
		*exc = (struct x86_exception){
			.vector = X86_VEC_GP,
			.has_errcode = true,
		};
		return ret;
	case WALK_RETRY:
		return ret;
	default:
		/* Our own inputs are wrong: a broken invariant, not the guest. */
		MMU_BUG_ON(mv->mmu, ret < 0);
		return WALK_RETRY;
	}

	t->gpa = res->gpa;
	t->write = res->write;
	t->user = res->user;
	t->exec = res->exec;
	t->dirty = res->pte & PTE_D;
	/*
	 * CR0.WP = 0 lets supervisor writes through read-only entries (SDM 3A
	 * 4.6).  Map such a page writable for the supervisor only, so that a
	 * later user access still faults and is checked on its own.
	 */
	if ((access & PFERR_WRITE) && !(access & PFERR_USER) && !res->write) {
		t->write = true;
		t->user = false;
	}
	return WALK_OK;
}

bool mmu_gva_to_gpa(struct mmu_vcpu *mv, gva_t gva, u32 access, gpa_t *gpa,
		    struct x86_exception *exc)
{
	struct translation t;
	int ret;

	ret = gwalk(mv, gva, access, &t, exc);
	if (ret == WALK_RETRY) {
		/* Not a fault of the guest's: report a #PF it can retry. */
		*exc = (struct x86_exception){
			.vector = X86_VEC_PF,
			.has_errcode = true,
			.errcode = access,
			.cr2 = gva,
		};
	}
	if (ret != WALK_OK)
		return false;
	*gpa = t.gpa;
	return true;
}

/* Rights granted by the guest entries above shadow level @level. */
static u32 path_access(const struct mmu_vcpu *mv, const struct walk_result *res,
		       int level)
{
	u32 acc = ACC_ALL;

	for (int l = level + 1; l <= res->nr_levels; l++) {
		u64 e = res->ptes[l];

		/* PAE PDPTEs carry no rights (SDM 3A 4.4.1). */
		if (mv->mode == PAGING_PAE && l == 3)
			continue;
		if (!(e & PTE_RW))
			acc &= ~ACC_W;
		if (!(e & PTE_US))
			acc &= ~ACC_U;
		if ((mv->cpu.efer & EFER_NXE) && (e & PTE_NX))
			acc &= ~ACC_X;
	}
	return acc;
}

/*
 * Which shadow page belongs under a shadow entry at @level for @gva: the
 * shadow of the guest table at level - 1, or, where the guest maps the
 * range with a page of its own (or has paging off), a direct page.
 */
static void child_of(const struct mmu_vcpu *mv, const struct translation *t,
		     gva_t gva, int level, gfn_t *gfn, union sp_role *role)
{
	const struct walk_result *res = &t->res;
	int c = level - 1;

	role->word = 0;
	role->level = c;
	role->mode = mv->mode;
	if (mv->mode == PAGING_OFF || c < res->level) {
		/* A direct page maps 512 * 4K^c bytes from a guest frame. */
		u64 span = PAGE_SHIFT + 9 * c;

		role->direct = 1;
		/* With paging off gwalk fills in no walk result: test first. */
		role->access = mv->mode == PAGING_OFF ? ACC_ALL :
			       (t->res.write ? ACC_W : 0) |
			       (t->res.user ? ACC_U : 0) |
			       (t->res.exec ? ACC_X : 0);
		*gfn = (t->gpa >> span) << (span - PAGE_SHIFT);
		return;
	}
	role->access = path_access(mv, res, c);
	*gfn = res->table_gpa[c] >> PAGE_SHIFT;
	if (mv->mode == PAGING_32) {
		/*
		 * A 32-bit guest table has 1024 4-byte entries (SDM 3A 4.3):
		 * its PD spans four 512-entry shadows (1 GiB each), its PT two.
		 */
		role->quadrant = c == 2 ? (gva >> 30) & 3 : (gva >> 21) & 1;
	}
}

/* Descends from the root to the leaf table for @gva, building as needed. */
static struct shadow_page *leaf_table(struct mmu_vcpu *mv, gva_t gva,
				      const struct translation *t)
{
	struct mmu *mmu = mv->mmu;
	struct shadow_page *sp = mmu->root;

	while (sp && sp->role.level > 1) {
		int level = sp->role.level;
		u32 idx = sp_index(sp, gva);
		struct shadow_page *child;
		union sp_role role;
		bool created;
		gfn_t gfn;

		if (spte_present(sp->spt[idx])) {
			sp = shadow_by_hpa(mmu, spte_addr(sp->spt[idx]));
			MMU_BUG_ON(mmu, !sp);
			continue;
		}
		child_of(mv, t, gva, level, &gfn, &role);
		child = shadow_get(mmu, gfn, role, &created);
		if (!child)
			return NULL;
		if (shadow_link(mmu, sp, idx, child,
				sp->role.pae_root ? SPTE_PDPTE_FLAGS :
						    SPTE_TABLE_FLAGS))
			return NULL;
		sp = child;
	}
	return sp;
}

int mmu_page_fault(struct mmu_vcpu *mv, gva_t gva, u32 error_code,
		   struct mmu_fault *out)
{
	struct mmu *mmu = mv->mmu;
	u32 access = error_code & (PFERR_WRITE | PFERR_USER | PFERR_FETCH);
	struct shadow_page *sp;
	struct translation t;
	struct memslot *slot;
	bool writable;
	gfn_t gfn;
	u8 *hva;
	u32 idx;
	u64 spte;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = gwalk(mv, gva, access, &t, &out->exc);
	if (ret == WALK_RETRY)
		return 0;	/* MMU_FAULT_FIXED: re-run, it faults afresh */
	if (ret != WALK_OK) {
		out->kind = MMU_FAULT_INJECT;
		if (out->exc.vector == X86_VEC_PF)
			mmu->stats->guest_faults_injected++;
		return 0;
	}
	/* Outside IA-32e mode linear addresses are 32 bits (SDM 3A 4.1.1). */
	if (mv->mode != PAGING_LONG)
		gva &= 0xffffffffull;

	/* hwalk: unalias, then the memslot. */
	gfn = t.gpa >> PAGE_SHIFT;
	hva = physmap_gfn_to_hva(mmu->pm, gfn, &slot);
	out->gpa = t.gpa;
	if (!hva ||
	    ((access & PFERR_WRITE) && (slot->flags & APERTURE_MEM_READONLY))) {
		out->kind = MMU_FAULT_MMIO;
		return 0;
	}
	if ((access & PFERR_WRITE) && shadow_gfn_is_table(mmu, gfn)) {
		out->kind = MMU_FAULT_PT_WRITE;
		return 0;
	}

	/*
	 * Map writable only when the write may happen silently: the guest
	 * allows it, the slot is not read-only, the frame is not a guest page
	 * table with a shadow, the guest's D bit is already set (else the
	 * write must fault once so the walker sets it), and dirty logging has
	 * already seen this page (else this write is the one to log).
	 */
	writable = t.write && !(slot->flags & APERTURE_MEM_READONLY) &&
		   !shadow_gfn_is_table(mmu, gfn);
	if (writable && !(access & PFERR_WRITE) && !t.dirty)
		writable = false;
	if (writable && (slot->flags & APERTURE_MEM_LOG_DIRTY_PAGES)) {
		gfn_t target = unalias_gfn(&mmu->pm->aliases, gfn);

		if (access & PFERR_WRITE)
			memslot_mark_dirty(slot, target);
		else if (!page_logged_dirty(slot, target))
			writable = false;
	}

	/* miss: install the 4 KiB mapping. */
	ret = mmu_reload(mv);
	if (ret)
		return ret;
	sp = leaf_table(mv, gva, &t);
	if (!sp) {
		/* Out of shadow pages or links: start over from nothing. */
		log_debug("shadow pool exhausted, zapping all\n");
		mmu_zap_all(mmu);
		return mmu_reload(mv);
	}

	/*
	 * Building the path may just have shadowed this very frame (a table
	 * that maps itself): it must not be mapped writable then.
	 */
	if (writable && shadow_gfn_is_table(mmu, gfn))
		writable = false;

	idx = spte_index(gva, 1);
	shadow_drop_leaf(mmu, sp, idx);
	/*
	 * A and D are preset so the processor never writes them into shadow
	 * entries (SDM 3A 4.8); the guest's own A/D bits were set by gwalk.
	 */
	spte = (uintptr_t)hva | PTE_P | PTE_A;
	if (writable)
		spte |= PTE_RW | PTE_D;
	if (t.user)
		spte |= PTE_US;
	if (!t.exec)
		spte |= PTE_NX;
	if (rmap_add(mmu, gfn, &sp->spt[idx])) {
		log_debug("reverse map full, zapping all\n");
		mmu_zap_all(mmu);
		return mmu_reload(mv);
	}
	sp->gfns[idx] = gfn;
	sp->spt[idx] = spte;
	mmu->stats->shadow_faults++;
	return 0;
}

/*
 * INVLPG.  Guest page tables with a shadow are write-protected, so a guest
 * that changed an entry has already had the shadow fixed; dropping the
 * leaf for @gva is still cheap and covers the frames the hypervisor itself
 * wrote (hypercall results into a page table).
 */
void mmu_invlpg(struct mmu_vcpu *mv, gva_t gva)
{
	struct mmu *mmu = mv->mmu;
	struct shadow_page *sp = mmu->root;

	mmu->stats->invlpg_exits++;
	if (mv->mode != PAGING_LONG)
		gva &= 0xffffffffull;
	while (sp && sp->role.level > 1) {
		u64 spte = sp->spt[sp_index(sp, gva)];

		sp = spte_present(spte) ? shadow_by_hpa(mmu, spte_addr(spte)) :
					  NULL;
	}
	if (!sp)
		return;
	if (sp->role.direct)	/* split from a guest large page: all of it */
		shadow_clear(mmu, sp, 0, SPTE_ENTRIES);
	else
		shadow_drop_leaf(mmu, sp, spte_index(gva, 1));
}
