/* SPDX-License-Identifier: MIT */
/*
 * Page-table building and access probes for the mmu* guest tests.
 *
 * Header-only so that kernels can use it without a runtime source list
 * change.  Entry bits follow SDM Vol. 3A 4.3 (32-bit), 4.4 (PAE) and 4.5
 * (4-level); the #PF error code follows 4.7.  Tables are plain arrays the
 * kernel provides; the kernel runs identity-mapped, so a table's pointer
 * value is its guest-physical address.
 */
#ifndef GUEST_RT_PAGING_H
#define GUEST_RT_PAGING_H

#include "cpu.h"
#include "exception.h"
#include "hypercall.h"
#include "printf.h"
#include "types.h"

#define PG_SIZE		4096u
#define PG_P		BIT(0)
#define PG_RW		BIT(1)
#define PG_US		BIT(2)
#define PG_A		BIT(5)
#define PG_D		BIT(6)
#define PG_PS		BIT(7)
#define PG_NX		(1ull << 63)	/* PAE and 4-level, with EFER.NXE */

#define PFERR_P		BIT(0)
#define PFERR_W		BIT(1)
#define PFERR_U		BIT(2)
#define PFERR_RSVD	BIT(3)
#define PFERR_I		BIT(4)

#define X86_CR0_WP	BIT(16)

#define PT32_ENTRIES	1024u
#define PT64_ENTRIES	512u

/* Table pointer as the address an entry stores (identity-mapped guest). */
static inline u32 pa_of(const volatile void *p)
{
	return gpa_of(p);
}

/* The other way round on an identity map: the word at a physical address. */
static inline volatile u32 *phys(u32 pa)
{
	return (volatile u32 *)(uintptr_t)pa;
}

/* Turn paging off: the kernel is identity-mapped, so execution goes on. */
static inline void paging_off(void)
{
	write_cr0(read_cr0() & ~X86_CR0_PG);
}

/*
 * Enter a paging mode from paging off.  cr4 picks 32-bit (0), 32-bit with
 * PSE (X86_CR4_PSE) or PAE (X86_CR4_PAE) paging, SDM 3A 4.1.1.  CR3 goes
 * first so that the PAE PDPTEs are loaded from the new table when CR0.PG
 * is set (SDM 3A 4.4.1).
 */
static inline void paging_on(u32 cr3, u32 cr4)
{
	write_cr4((read_cr4() & ~(X86_CR4_PSE | X86_CR4_PAE)) | cr4);
	write_cr3(cr3);
	write_cr0(read_cr0() | X86_CR0_PG);
}

/* Identity-map [0, n * 4 MiB) in a 32-bit page directory through pts. */
static inline void pd32_identity(u32 *pd, u32 (*pts)[PT32_ENTRIES], u32 n,
				 u32 flags)
{
	u32 i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < PT32_ENTRIES; j++)
			pts[i][j] = (i * PT32_ENTRIES + j) * PG_SIZE | flags;
		pd[i] = pa_of(pts[i]) | flags;
	}
}

/*
 * Probes: perform one access and return the vector it raised, or
 * EXC_NONE; *e receives the exception (CR2, error code) when one was
 * raised.
 */
static inline int probe_read(const volatile void *p, u32 *val,
			     struct exc_info *e)
{
	u32 v = 0;

	exc_clear();
	asm volatile(ASM_TRY_BEGIN "movl (%1), %0" ASM_TRY_END
		     : "+r"(v) : "r"(p) : "memory");
	if (val)
		*val = v;
	return exc_caught(e);
}

static inline int probe_write(volatile void *p, u32 val, struct exc_info *e)
{
	exc_clear();
	asm volatile(ASM_TRY_BEGIN "movl %1, (%0)" ASM_TRY_END
		     : : "r"(p), "r"(val) : "memory");
	return exc_caught(e);
}

/*
 * Call p, which must hold a RET.  A fetch fault hits after CALL pushed its
 * return address, so ESP is restored from EDI, which the fault leaves
 * untouched.
 */
static inline int probe_exec(const volatile void *p, struct exc_info *e)
{
	exc_clear();
	asm volatile("movl %%esp, %%edi\n\t"
		     ASM_TRY_BEGIN "call *%0" ASM_TRY_END
		     "movl %%edi, %%esp"
		     : : "r"(p) : "edi", "memory");
	return exc_caught(e);
}

/*
 * True if vec/e is a #PF with exactly this error code and CR2; prints
 * what was seen otherwise, as indented diagnostic lines.
 */
static inline bool is_pf(int vec, const struct exc_info *e, u32 err, u32 cr2)
{
	if (vec == PF_VECTOR && e->error_code == err && e->cr2 == cr2)
		return true;
	if (vec == EXC_NONE)
		printf("  no exception; want #PF err=%#x cr2=%#x\n", err, cr2);
	else
		printf("  vector %d err=%#x cr2=%#x eip=%#x; want #PF err=%#x cr2=%#x\n",
		       vec, e->error_code, e->cr2, e->eip, err, cr2);
	return false;
}

static inline bool no_exc(int vec, const struct exc_info *e)
{
	if (vec == EXC_NONE)
		return true;
	printf("  unexpected vector %d err=%#x cr2=%#x eip=%#x\n",
	       vec, e->error_code, e->cr2, e->eip);
	return false;
}

static inline long get_stats(struct aperture_stats *s)
{
	return hc1(APERTURE_HC_GET_STATS, gpa_of(s));
}

static inline bool cpu_has_nx(void)
{
	return cpuid(0x80000000).eax >= 0x80000001 &&
	       (cpuid(0x80000001).edx & CPUID_80000001_EDX_NX);
}

#endif /* GUEST_RT_PAGING_H */
