/* SPDX-License-Identifier: MIT */
/*
 * Guest page-table walker: the rules shared by every paging mode, the
 * per-mode parameters (SDM 3A 4.3, 4.4, 4.5), and the instantiation of
 * walk_tmpl.h for each of them.
 */
#include <hv/mmu/walk.h>
#include <lib/string.h>
#include <lib/x86.h>

/* An A/D update that keeps losing cmpxchg races gives up after this many. */
#define WALK_MAX_ATTEMPTS	64

#define MAXPHYADDR_MIN		32
#define MAXPHYADDR_MAX		52

/* Bits hi..lo inclusive; empty when lo > hi (e.g. MAXPHYADDR = 52). */
static inline u64 bits(unsigned hi, unsigned lo)
{
	if (lo > hi)
		return 0;
	return (~0ull >> (63 - hi)) & ~(BIT(lo) - 1);
}

/*
 * #PF error code (SDM 3A 4.7): W and U/S come from the access; I/D is
 * reported for a fetch only when SMEP is on or NX is active (CR4.PAE and
 * EFER.NXE), otherwise fetches look like reads.  why is 0 (not present),
 * P (protection) or P|RSVD.  Returns WALK_PF for the caller to pass up.
 */
static int walk_fault(const struct walk_cpu *cpu, bool nx_active, u32 access,
		      u32 why, struct walk_result *res)
{
	u32 ec = why | (access & (PFERR_WRITE | PFERR_USER));

	if ((access & PFERR_FETCH) &&
	    (nx_active || (cpu->cr4 & X86_CR4_SMEP)))
		ec |= PFERR_FETCH;
	res->error_code = ec;
	return WALK_PF;
}

/*
 * Access rights, SDM 3A 4.6, given the rights ANDed over the walk:
 * - user accesses need U/S at every level, user writes R/W at every level;
 * - supervisor writes need R/W everywhere only when CR0.WP = 1;
 * - no fetch from an XD page (x already folds in EFER.NXE);
 * - SMEP: no supervisor fetch from a user page.
 * SMAP and protection keys are not modelled: they depend on RFLAGS.AC, on
 * implicit supervisor accesses and on PKRU, which a walk request does not
 * carry (docs/walker.md).
 */
static bool walk_permitted(const struct walk_cpu *cpu, u32 access,
			   bool w, bool u, bool x)
{
	bool user = access & PFERR_USER;

	if (user && !u)
		return false;
	if ((access & PFERR_WRITE) && !w &&
	    (user || (cpu->cr0 & X86_CR0_WP)))
		return false;
	if (access & PFERR_FETCH) {
		if (!x)
			return false;
		if (!user && u && (cpu->cr4 & X86_CR4_SMEP))
			return false;
	}
	return true;
}

/*
 * Linear addresses outside IA-32e mode are 32 bits wide (SDM 3A 4.1.1,
 * Table 4-1): anything above is not an address of the mode, so WALK_GP.
 */
static inline bool gva_is_32bit(gva_t gva)
{
	return (gva >> 32) == 0;
}


/*
 * 32-bit paging, SDM 3A 4.3 (Tables 4-4..4-6).  Only a 4-MByte PDE has
 * reserved bits: PSE-36 puts physical address bits (M-1):32 in PDE bits
 * (M-20):13 and reserves bits 21:(M-19), with M = min(MAXPHYADDR, 40).
 * There is no XD bit.
 */
static inline u64 pse36_rsvd(unsigned m)
{
	return bits(21, MIN(m, 40u) - 19);
}

#define PT_SUFFIX		32
#define pt_element_t		u32
#define PT_ENTRY_SIZE		4
#define PT_LEVELS		2
#define PT_LEVEL_BITS		10
#define PT_LARGE_MAX_LEVEL	2
#define PT_LARGE_NEEDS_PSE	1
#define PT_HAS_NX		0
#define PT_ROOT_CACHED		0
#define PT_GVA_OK(gva)		gva_is_32bit(gva)
#define PT_ROOT(cpu, m)		((cpu)->cr3 & bits(31, 12))
#define PT_ROOT_RSVD(m)		0
#define PT_RSVD(level, large, m, nxe) ((large) ? pse36_rsvd(m) : 0)
#define PT_TABLE_ADDR(pte, m)	((pte) & bits(31, 12))
#define PT_LARGE_BASE(pte, shift, m) \
	(((pte) & bits(31, 22)) | ((((pte) >> 13) & 0xffull) << 32))
#include "walk_tmpl.h"

/*
 * PAE paging, SDM 3A 4.4 (Tables 4-8..4-11).  The PDPTEs are registers
 * loaded at CR3 time; in PDEs/PTEs bits 62:M are reserved and bit 63 is XD
 * with EFER.NXE, reserved without.  A 2-MByte PDE reserves bits 20:13.
 */
static inline u64 pae_pdpte_rsvd(unsigned m)
{
	return bits(2, 1) | bits(8, 5) | bits(63, m);
}

static inline u64 pae_rsvd(bool large, unsigned m, bool nxe)
{
	u64 rsvd = bits(62, m) | (nxe ? 0 : PTE_NX);

	if (large)
		rsvd |= bits(20, 13);
	return rsvd;
}

#define PT_SUFFIX		pae
#define pt_element_t		u64
#define PT_ENTRY_SIZE		8
#define PT_LEVELS		3
#define PT_LEVEL_BITS		9
#define PT_LARGE_MAX_LEVEL	2
#define PT_LARGE_NEEDS_PSE	0
#define PT_HAS_NX		1
#define PT_ROOT_CACHED		1
#define PT_GVA_OK(gva)		gva_is_32bit(gva)
#define PT_ROOT(cpu, m)		((cpu)->cr3 & bits(31, 5))
#define PT_ROOT_RSVD(m)		pae_pdpte_rsvd(m)
#define PT_RSVD(level, large, m, nxe) pae_rsvd(large, m, nxe)
#define PT_TABLE_ADDR(pte, m)	((pte) & bits((m) - 1, 12))
#define PT_LARGE_BASE(pte, shift, m) ((pte) & bits((m) - 1, shift))
#include "walk_tmpl.h"

/*
 * 4-level paging, SDM 3A 4.5 (Tables 4-15..4-20).  Bits 51:M are reserved
 * (62:52 are ignored), bit 63 as in PAE, PS is reserved in a PML4E, and
 * large pages reserve bits 20:13 (2 MByte) or 29:13 (1 GByte).  1-GByte
 * pages are assumed supported (CPUID.80000001H:EDX.Page1GB).
 */
static inline u64 long_rsvd(int level, bool large, unsigned m, bool nxe)
{
	u64 rsvd = bits(51, m) | (nxe ? 0 : PTE_NX);

	if (level == 4)
		rsvd |= PTE_PS;
	if (large)
		rsvd |= bits(level == 2 ? 20 : 29, 13);
	return rsvd;
}

#define PT_SUFFIX		64
#define pt_element_t		u64
#define PT_ENTRY_SIZE		8
#define PT_LEVELS		4
#define PT_LEVEL_BITS		9
#define PT_LARGE_MAX_LEVEL	3
#define PT_LARGE_NEEDS_PSE	0
#define PT_HAS_NX		1
#define PT_ROOT_CACHED		0
#define PT_GVA_OK(gva)		x86_is_canonical48(gva)
#define PT_ROOT(cpu, m)		((cpu)->cr3 & bits((m) - 1, 12))
#define PT_ROOT_RSVD(m)		0
#define PT_RSVD(level, large, m, nxe) long_rsvd(level, large, m, nxe)
#define PT_TABLE_ADDR(pte, m)	((pte) & bits((m) - 1, 12))
#define PT_LARGE_BASE(pte, shift, m) ((pte) & bits((m) - 1, shift))
#include "walk_tmpl.h"

enum paging_mode paging_mode_of(const struct walk_cpu *cpu)
{
	if (!(cpu->cr0 & X86_CR0_PG))
		return PAGING_OFF;
	if (cpu->efer & EFER_LMA)
		return PAGING_LONG;
	if (cpu->cr4 & X86_CR4_PAE)
		return PAGING_PAE;
	return PAGING_32;
}

/*
 * Caller mistakes (stray access bits, a MAXPHYADDR no CPU reports) are
 * negative errno; everything the guest could cause is a walk_status.
 */
int guest_walk(const struct walk_mem_ops *ops, void *ctx,
	       const struct walk_cpu *cpu, gva_t gva, u32 access,
	       struct walk_result *res)
{
	if (access & ~(u32)(PFERR_WRITE | PFERR_USER | PFERR_FETCH))
		return -EINVAL;
	if (cpu->maxphyaddr < MAXPHYADDR_MIN ||
	    cpu->maxphyaddr > MAXPHYADDR_MAX)
		return -EINVAL;

	switch (paging_mode_of(cpu)) {
	case PAGING_OFF:
		/* Linear is physical; nothing restricts the access. */
		if (!gva_is_32bit(gva))
			return WALK_GP;
		memset(res, 0, sizeof(*res));
		res->gpa = gva;
		res->level = 1;
		res->write = res->user = res->exec = true;
		return WALK_OK;
	case PAGING_32:
		return walk_32(ops, ctx, cpu, gva, access, res);
	case PAGING_PAE:
		return walk_pae(ops, ctx, cpu, gva, access, res);
	case PAGING_LONG:
		if (cpu->cr4 & X86_CR4_LA57)
			return -EOPNOTSUPP;
		return walk_64(ops, ctx, cpu, gva, access, res);
	}
	return -EINVAL;
}

/*
 * SDM 3A 4.4.1: loading CR3 (or CR0/CR4 into PAE paging) loads the PDPTEs
 * and raises #GP if a present one has a reserved bit set.  A PDPT outside
 * guest RAM reads as all ones on hardware: present with reserved bits set,
 * so it is #GP too, not a host error.
 */
int pae_load_pdptes(const struct walk_mem_ops *ops, void *ctx, u64 cr3,
		    unsigned maxphyaddr, u64 pdpte[4])
{
	gpa_t base = cr3 & bits(31, 5);
	u64 val[4];

	if (maxphyaddr < MAXPHYADDR_MIN || maxphyaddr > MAXPHYADDR_MAX)
		return -EINVAL;
	for (int i = 0; i < 4; i++) {
		int r = ops->read(ctx, base + 8 * i, &val[i], 8);

		if (r == -EFAULT)
			return WALK_GP;
		if (r)
			return r;
		if ((val[i] & PTE_P) && (val[i] & pae_pdpte_rsvd(maxphyaddr)))
			return WALK_GP;
	}
	memcpy(pdpte, val, sizeof(val));
	return WALK_OK;
}
