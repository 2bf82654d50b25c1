// SPDX-License-Identifier: MIT
/*
 * The shadow MMU's fault path: gwalk (the guest's page tables, or the
 * identity when guest paging is off), hwalk (unalias + memslot) and miss
 * (install the mapping in the shadow tables).
 */
#define LOG_SUBSYS "mmu"
#include <hv/errno.h>
#include <hv/log.h>
#include <hv/memslot.h>
#include <hv/physmap.h>
#include <hv/string.h>
#include <hv/vm.h>
#include <hv/vmx/vmx.h>
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
	if (size == 8)
		ok = __atomic_compare_exchange_n((u64 *)hva, &old, new, false,
						 __ATOMIC_SEQ_CST,
						 __ATOMIC_SEQ_CST);
	else {
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

static bool page_logged_dirty(const struct memslot *slot, gfn_t gfn)
{
	u64 i = gfn - slot->base_gfn;

	return slot->dirty_bitmap[i / 64] & BIT(i % 64);
}

static const struct walk_mem_ops walk_ops = {
	.read = walk_read,
	.cmpxchg = walk_cmpxchg,
};

static void walk_cpu_of(const struct vcpu *vcpu, struct walk_cpu *cpu)
{
	cpu->cr0 = vcpu->cr0;
	cpu->cr3 = vcpu->cr3;
	cpu->cr4 = vcpu->cr4;
	cpu->efer = vcpu->efer;
	memcpy(cpu->pdpte, vcpu->mmu.pdpte, sizeof(cpu->pdpte));
	cpu->maxphyaddr = vmx_caps.maxphyaddr;
}

int mmu_reset_context(struct vcpu *vcpu)
{
	struct mmu *mmu = &vcpu->vm->mmu;
	struct walk_cpu cpu;
	bool want_long;
	int ret;

	walk_cpu_of(vcpu, &cpu);
	vcpu->mmu.mode = paging_mode_of(&cpu);
	if (vcpu->mmu.mode == PAGING_PAE) {
		ret = pae_load_pdptes(&walk_ops, &vcpu->vm->pm, vcpu->cr3,
				      vmx_caps.maxphyaddr, vcpu->mmu.pdpte);
		if (ret)
			return -EINVAL;
	}

	/*
	 * MOV CR3 and paging-mode changes flush the guest's TLB, and the
	 * shadow is only ever a TLB: start from an empty root.
	 */
	mmu_zap_all(mmu);
	want_long = vcpu->mmu.mode == PAGING_LONG;
	mmu->root = shadow_alloc(mmu, want_long ? 4 : 3);
	if (!mmu->root)
		return -ENOMEM;
	mmu->root_long = want_long;
	vcpu->mmu.hw_cr3 = (uintptr_t)mmu->root->spt;
	vcpu->vm->stats.roots_built++;
	return 0;
}

static unsigned int spte_index(gva_t gva, int level)
{
	return (gva >> (PAGE_SHIFT + 9 * (level - 1))) & 0x1ff;
}

/*
 * Finds (creating tables as needed) the leaf table for @gva.  In a PAE
 * root only entries 0-3 exist, and a PDPTE carries no permission bits.
 */
static struct shadow_page *leaf_table(struct mmu *mmu, gva_t gva)
{
	struct shadow_page *sp = mmu->root;

	while (sp->level > 1) {
		u64 *sptep = &sp->spt[spte_index(gva, sp->level)];
		struct shadow_page *child;

		if (spte_present(*sptep)) {
			child = shadow_lookup(mmu, spte_addr(*sptep));
			if (!child)
				return NULL;
		} else {
			child = shadow_alloc(mmu, sp->level - 1);
			if (!child)
				return NULL;
			*sptep = (uintptr_t)child->spt |
				 (!mmu->root_long && sp->level == 3 ?
				  SPTE_PDPTE_FLAGS : SPTE_TABLE_FLAGS);
		}
		sp = child;
	}
	return sp;
}

struct translation {
	gpa_t gpa;
	bool write, user, exec;
	bool dirty;		/* guest PTE's D bit is set (or no guest PTE) */
	int guest_level;	/* 1 = 4K, 2 = 2M/4M, 3 = 1G */
};

/*
 * gwalk: guest-virtual -> guest-physical.  Returns 0, or (only when
 * @inject) MMU_INJECTED after reflecting the fault to the guest: #PF for a
 * translation fault, #GP for a non-canonical address (SDM 3A 6.15).
 * -EAGAIN means the guest changed an entry under the walker: re-run it.
 */
static int gwalk(struct vcpu *vcpu, gva_t gva, u32 access,
		 struct translation *t, bool inject)
{
	struct walk_result res;
	struct walk_cpu cpu;
	int ret;

	if (vcpu->mmu.mode == PAGING_OFF) {
		t->gpa = gva & 0xffffffffull;
		t->write = t->user = t->exec = t->dirty = true;
		t->guest_level = 1;
		return 0;
	}
	walk_cpu_of(vcpu, &cpu);
	ret = guest_walk(&walk_ops, &vcpu->vm->pm, &cpu, gva, access, &res);
	if (ret == -EAGAIN)
		return ret;
	if (ret && !inject)
		return -EFAULT;
	if (ret == -EFAULT) {
		vcpu->vmx.cr2 = gva;
		vmx_inject_exception(X86_VEC_PF, true, res.error_code);
		vcpu->vm->stats.guest_faults_injected++;
		return MMU_INJECTED;
	}
	if (ret == -EINVAL) {
		vmx_inject_exception(X86_VEC_GP, true, 0);
		return MMU_INJECTED;
	}
	if (ret)
		return ret;
	t->gpa = res.gpa;
	t->write = res.write;
	t->user = res.user;
	t->exec = res.exec;
	t->dirty = res.pte & PTE_D;
	t->guest_level = res.level;
	/*
	 * CR0.WP = 0 lets supervisor writes through read-only entries (SDM 3A
	 * 4.6).  Map such a page writable for the supervisor only, so that a
	 * later user access still faults and is checked on its own.
	 */
	if ((access & PFERR_WRITE) && !(access & PFERR_USER) && !res.write) {
		t->write = true;
		t->user = false;
	}
	return 0;
}

int mmu_gva_to_gpa(struct vcpu *vcpu, gva_t gva, u32 access, gpa_t *gpa)
{
	struct translation t;
	int ret;

	ret = gwalk(vcpu, gva, access, &t, false);
	if (ret)
		return -EFAULT;
	*gpa = t.gpa;
	return 0;
}

int mmu_page_fault(struct vcpu *vcpu, gva_t gva, u32 error_code, gpa_t *gpa)
{
	struct vm *vm = vcpu->vm;
	struct mmu *mmu = &vm->mmu;
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

	ret = gwalk(vcpu, gva, access, &t, true);
	if (ret == -EAGAIN)
		return MMU_FIXED;	/* re-run: the access faults afresh */
	if (ret)
		return ret;

	/* hwalk: unalias, then the memslot. */
	gfn = t.gpa >> PAGE_SHIFT;
	hva = physmap_gfn_to_hva(&vm->pm, gfn, &slot);
	*gpa = t.gpa;
	if (!hva)
		return MMU_MMIO;
	if ((access & PFERR_WRITE) && (slot->flags & APERTURE_MEM_READONLY))
		return MMU_MMIO;

	/*
	 * Map writable only when the write may happen silently: the guest
	 * allows it, the slot is not read-only, the guest's D bit is already
	 * set (else the write must fault once so the walker sets it), and
	 * dirty logging has already seen this page (else this write is the
	 * one to log).
	 */
	writable = t.write && !(slot->flags & APERTURE_MEM_READONLY);
	if (writable && !(access & PFERR_WRITE) && !t.dirty)
		writable = false;
	if (writable && (slot->flags & APERTURE_MEM_LOG_DIRTY_PAGES)) {
		gfn_t target = unalias_gfn(&vm->pm.aliases, gfn);

		if (access & PFERR_WRITE)
			memslot_mark_dirty(slot, target);
		else if (!page_logged_dirty(slot, target))
			writable = false;
	}

	/* miss: install the 4 KiB mapping. */
	if (!mmu->root)
		return -EINVAL;
	sp = leaf_table(mmu, gva);
	if (!sp) {
		/* Out of shadow pages or memory: start over from nothing. */
		log_debug("shadow pool exhausted, zapping all\n");
		if (mmu_reset_context(vcpu))
			return -ENOMEM;
		vmx_write(VMX_REG_CR3, vcpu->mmu.hw_cr3);
		sp = leaf_table(mmu, gva);
		if (!sp)
			return -ENOMEM;
	}
	if (t.guest_level > 1)
		sp->large = true;
	if (t.guest_level == 3)
		mmu->saw_1g_page = true;

	idx = spte_index(gva, 1);
	shadow_drop_leaf(mmu, sp, idx);
	spte = (uintptr_t)hva | PTE_P | PTE_A;
	if (writable)
		spte |= PTE_RW | PTE_D;
	if (t.user)
		spte |= PTE_US;
	if (!t.exec)
		spte |= PTE_NX;
	if (rmap_add(mmu, gfn, &sp->spt[idx])) {
		log_debug("reverse map full, zapping all\n");
		if (mmu_reset_context(vcpu))
			return -ENOMEM;
		vmx_write(VMX_REG_CR3, vcpu->mmu.hw_cr3);
		return MMU_FIXED;	/* the access refaults into a fresh root */
	}
	sp->gfns[idx] = gfn;
	sp->spt[idx] = spte;
	vm->stats.shadow_faults++;
	return MMU_FIXED;
}

/*
 * INVLPG drops the translation for the page containing @gva, which may be
 * a guest large page that the shadow splits into 4 KiB entries: drop the
 * whole leaf table when it came from one (4 MiB pages span two), and
 * everything once the guest has used a 1 GiB page.
 */
void mmu_invlpg(struct vcpu *vcpu, gva_t gva)
{
	struct mmu *mmu = &vcpu->vm->mmu;
	struct shadow_page *sp = mmu->root;
	u64 span = vcpu->mmu.mode == PAGING_32 ? 2 : 1;

	vcpu->vm->stats.invlpg_exits++;
	if (!sp)
		return;
	if (mmu->saw_1g_page) {
		mmu_zap_all(mmu);
		if (!mmu_reset_context(vcpu))
			vmx_write(VMX_REG_CR3, vcpu->mmu.hw_cr3);
		return;
	}
	if (vcpu->mmu.mode != PAGING_LONG)
		gva &= 0xffffffffull;

	for (u64 n = 0; n < span; n++) {
		gva_t va = (gva & ~((span << 21) - 1)) + (n << 21);
		struct shadow_page *pt = mmu->root;

		while (pt && pt->level > 1) {
			u64 spte = pt->spt[spte_index(va, pt->level)];

			pt = spte_present(spte) ?
			     shadow_lookup(mmu, spte_addr(spte)) : NULL;
		}
		if (!pt)
			continue;
		if (pt->large) {
			for (u32 i = 0; i < SPTE_ENTRIES; i++)
				shadow_drop_leaf(mmu, pt, i);
		} else if (va >> 21 == gva >> 21) {
			shadow_drop_leaf(mmu, pt, spte_index(gva, 1));
		}
	}
}
