/* SPDX-License-Identifier: MIT */
/*
 * The guest page-table walker, written once and instantiated per paging
 * mode (the KVM paging_tmpl.h / Xen multi.c pattern).  walk.c defines the
 * mode's parameters and includes this file; it generates walk_<suffix>().
 * No include guard on purpose.
 *
 * Parameters (all required):
 *   PT_SUFFIX		name suffix: 32, pae, 64
 *   pt_element_t	entry type (u32 or u64); PT_ENTRY_SIZE its size
 *   PT_LEVELS		table levels; PT_LEVEL_BITS index bits per level
 *   PT_LARGE_MAX_LEVEL	highest level whose PS bit may map a page
 *   PT_LARGE_NEEDS_PSE	PS is honoured only with CR4.PSE (32-bit paging)
 *   PT_HAS_NX		bit 63 is XD when EFER.NXE (PAE and 4-level)
 *   PT_ROOT_CACHED	the top level lives in cpu->pdpte[] (PAE)
 *   PT_GVA_OK(gva)		gva is a linear address of the mode
 *   PT_ROOT(cpu, m)		address of the top-level table
 *   PT_ROOT_RSVD(m)		reserved bits of a cached top-level entry
 *   PT_RSVD(level, large, m, nxe)  reserved bits of a present entry
 *   PT_TABLE_ADDR(pte, m)	next table referenced by a non-leaf entry
 *   PT_LARGE_BASE(pte, shift, m)  frame of a large page of 1 << shift bytes
 * where m is MAXPHYADDR and nxe is the effective EFER.NXE.
 */

#define PT_CAT_(a, b)	a##_##b
#define PT_CAT(a, b)	PT_CAT_(a, b)
#define FNAME(name)	PT_CAT(name, PT_SUFFIX)

static inline unsigned FNAME(level_shift)(int level)
{
	return PAGE_SHIFT + (level - 1) * PT_LEVEL_BITS;
}

static inline bool FNAME(is_large)(const struct walk_cpu *cpu, int level,
				   pt_element_t pte)
{
	if (level < 2 || level > PT_LARGE_MAX_LEVEL || !(pte & PTE_PS))
		return false;
	/* SDM 3A 4.3: with CR4.PSE = 0 a 32-bit PDE's PS bit is ignored. */
	return !PT_LARGE_NEEDS_PSE || (cpu->cr4 & X86_CR4_PSE);
}

/*
 * Set A in every entry of the walk and D in the leaf for a write, skipping
 * bits already set (SDM 3A 4.8).  Returns 0, or -EAGAIN (from cmpxchg)
 * when an entry changed since it was read: the caller walks again, as the
 * guest's view changed; any other cmpxchg error but -EFAULT unchanged.
 */
static int FNAME(update_ad)(const struct walk_mem_ops *ops, void *ctx,
			    struct walk_result *res, bool write)
{
	for (int l = res->nr_levels; l >= res->level; l--) {
		pt_element_t old = res->ptes[l], new = old | PTE_A;
		int r;

		/* PAE PDPTEs are registers with no A bit (SDM 3A 4.4.1). */
		if (PT_ROOT_CACHED && l == PT_LEVELS)
			continue;
		if (l == res->level && write)
			new |= PTE_D;
		if (new == old)
			continue;
		r = ops->cmpxchg(ctx, res->pte_gpa[l], old, new, PT_ENTRY_SIZE);
		/*
		 * A page table in read-only memory (ROM) cannot take the
		 * update: hardware's write would be dropped and the access
		 * would still complete, so do the same.
		 */
		if (r == -EFAULT)
			continue;
		if (r)
			return r;
		res->ptes[l] = new;
	}
	return 0;
}

static int FNAME(walk)(const struct walk_mem_ops *ops, void *ctx,
		       const struct walk_cpu *cpu, gva_t gva, u32 access,
		       struct walk_result *res)
{
	const unsigned m = cpu->maxphyaddr;
	const bool nxe = PT_HAS_NX && (cpu->efer & EFER_NXE);
	unsigned attempts = 0;
	bool w, u, x, large;
	unsigned shift;
	pt_element_t pte;
	gpa_t table;
	int level, r;

	/*
	 * Not a linear address of the mode (non-canonical, SDM 1 3.3.7.1, or
	 * above 4 GiB): #GP, and no table is read.
	 */
	if (!PT_GVA_OK(gva))
		return WALK_GP;
retry:
	memset(res, 0, sizeof(*res));
	res->nr_levels = PT_LEVELS;
	w = u = x = true;
	table = PT_ROOT(cpu, m);
	for (level = PT_LEVELS;; level--) {
		unsigned idx = (gva >> FNAME(level_shift)(level)) &
			       (BIT(PT_LEVEL_BITS) - 1);
		gpa_t pte_gpa = table + idx * PT_ENTRY_SIZE;
		u64 val;

		res->level = level;
		res->table_gpa[level] = table;
		res->pte_gpa[level] = pte_gpa;
		if (PT_ROOT_CACHED && level == PT_LEVELS) {
			/*
			 * PDPTEs were checked when loaded (a bad one is #GP at
			 * CR3 load), so reserved bits here mean the caller
			 * skipped pae_load_pdptes(); fault rather than trust
			 * them.  They carry no access rights (SDM 3A 4.4.1).
			 */
			pte = cpu->pdpte[idx];
			res->ptes[level] = pte;
			if (!(pte & PTE_P))
				return walk_fault(cpu, nxe, access, 0, res);
			if (pte & PT_ROOT_RSVD(m))
				return walk_fault(cpu, nxe, access,
						  PFERR_PRESENT | PFERR_RSVD,
						  res);
			large = false;
		} else {
			/*
			 * A table outside guest RAM reads as all ones, as any
			 * load from there does on this platform: a present
			 * entry, with reserved bits set wherever the level
			 * has any (see docs/walker.md).
			 */
			r = ops->read(ctx, pte_gpa, &val, PT_ENTRY_SIZE);
			if (r == -EFAULT)
				val = ~0ull;
			else if (r)
				return r;
			pte = (pt_element_t)val;
			res->ptes[level] = pte;
			if (!(pte & PTE_P))
				return walk_fault(cpu, nxe, access, 0, res);
			large = FNAME(is_large)(cpu, level, pte);
			if (pte & PT_RSVD(level, large, m, nxe))
				return walk_fault(cpu, nxe, access,
						  PFERR_PRESENT | PFERR_RSVD,
						  res);
			/* Rights are the AND over all levels (SDM 3A 4.6). */
			w &= !!(pte & PTE_RW);
			u &= !!(pte & PTE_US);
			if (nxe)
				x &= !((u64)pte & PTE_NX);
		}
		if (level == 1 || large)
			break;
		table = PT_TABLE_ADDR(pte, m);
	}

	res->write = w;
	res->user = u;
	res->exec = x;
	if (!walk_permitted(cpu, access, w, u, x))
		return walk_fault(cpu, nxe, access, PFERR_PRESENT, res);

	r = FNAME(update_ad)(ops, ctx, res, access & PFERR_WRITE);
	if (r == -EAGAIN) {
		/*
		 * Bounded so a guest hammering its own tables cannot pin us
		 * here; on WALK_RETRY the guest resumes and repeats the
		 * access, which brings it back to a fresh walk.
		 */
		if (++attempts < WALK_MAX_ATTEMPTS)
			goto retry;
		return WALK_RETRY;
	}
	if (r)
		return r;

	shift = FNAME(level_shift)(level);
	res->pte = res->ptes[level];
	if (level == 1)
		res->gpa = PT_TABLE_ADDR(pte, m);
	else
		res->gpa = PT_LARGE_BASE(pte, shift, m);
	res->gpa |= gva & (BIT(shift) - 1);
	return WALK_OK;
}

#undef FNAME
#undef PT_CAT
#undef PT_CAT_
#undef PT_SUFFIX
#undef pt_element_t
#undef PT_ENTRY_SIZE
#undef PT_LEVELS
#undef PT_LEVEL_BITS
#undef PT_LARGE_MAX_LEVEL
#undef PT_LARGE_NEEDS_PSE
#undef PT_HAS_NX
#undef PT_ROOT_CACHED
#undef PT_GVA_OK
#undef PT_ROOT
#undef PT_ROOT_RSVD
#undef PT_RSVD
#undef PT_TABLE_ADDR
#undef PT_LARGE_BASE
