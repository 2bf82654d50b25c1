/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the hostile-guest suite (guest/tests/hostile_*.c, probe_*.c):
 * privileged instructions that may fault, each returning the vector it
 * raised (or EXC_NONE), so that a case states its architectural outcome in
 * one line:
 *
 *	expect_vec(write_cr_safe(4, cr4 | BIT(15)), GP_VECTOR, "cr4_bit15");
 *
 * Header-only, like paging.h, so that kernels need no runtime change.
 * Every helper works in both the 32-bit and the 64-bit build; those that
 * exist only in 64-bit mode (CR8, SWAPGS) are under __x86_64__, and
 * write_cr_safe(8, v) assembles only there.
 */
#ifndef GUEST_RT_HOSTILE_H
#define GUEST_RT_HOSTILE_H

#include "cpu.h"
#include "exception.h"
#include "test.h"
#include "types.h"

#define NM_VECTOR	7
#define TS_VECTOR	10
#define NP_VECTOR	11
#define SS_VECTOR	12
#define MF_VECTOR	16
#define AC_VECTOR	17
#define XM_VECTOR	19

#define X86_CR0_MP		BIT(1)
#define X86_CR0_EM		BIT(2)
#define X86_CR0_TS		BIT(3)
#define X86_CR0_NE		BIT(5)
#define X86_CR0_NW		BIT(29)
#define X86_CR0_CD		BIT(30)
#define X86_CR4_DE		BIT(3)
#define X86_CR4_OSFXSR		BIT(9)
#define X86_CR4_OSXMMEXCPT	BIT(10)
#define X86_CR4_VMXE		BIT(13)
#define X86_CR4_PCIDE		BIT(17)
#define X86_CR4_OSXSAVE		BIT(18)

#define CPUID_1_ECX_XSAVE	BIT(26)
#define CPUID_1_ECX_AVX		BIT(28)

/* Human-readable vector, for the diagnostic part of a case line. */
static inline const char *vec_name(int vec)
{
	static const char *const names[] = {
		"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF",
		"?9", "#TS", "#NP", "#SS", "#GP", "#PF", "?15", "#MF", "#AC",
		"#MC", "#XM",
	};

	if (vec == EXC_NONE)
		return "none";
	if (vec >= 0 && vec < (int)ARRAY_SIZE(names))
		return names[vec];
	return "?";
}

/* One case: the vector seen must be the one the SDM names. */
static inline bool expect_vec(int got, int want, const char *name)
{
	return report(got == want, "%s: want %s, got %s", name, vec_name(want),
		      vec_name(got));
}

/* As expect_vec(), and the error code must match too. */
static inline bool expect_vec_err(int got, u32 err, int want, u32 want_err,
				  const char *name)
{
	return report(got == want && err == want_err,
		      "%s: want %s(%#x), got %s(%#x)", name, vec_name(want),
		      want_err, vec_name(got), err);
}

/* MOV to CRn: n must be a constant, so this is a macro (as write_dr_safe). */
#define write_cr_safe(n, val) ({					\
	unsigned long __v = (val);					\
	exc_clear();							\
	asm volatile(ASM_TRY_BEGIN "mov %0, %%cr" #n ASM_TRY_END	\
		     : : "r"(__v) : "memory");				\
	exc_caught(NULL);						\
})

static inline unsigned long read_cr0_full(void)
{
	unsigned long v;

	asm volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline unsigned long read_cr4_full(void)
{
	unsigned long v;

	asm volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

/* XSETBV and XGETBV with an arbitrary ECX (SDM 2, XSETBV/XGETBV). */
static inline int xsetbv_safe(u32 ecx, u64 val)
{
	exc_clear();
	asm volatile(ASM_TRY_BEGIN "xsetbv" ASM_TRY_END
		     : : "c"(ecx), "a"((u32)val), "d"((u32)(val >> 32))
		     : "memory");
	return exc_caught(NULL);
}

static inline int xgetbv_safe(u32 ecx, u64 *val)
{
	u32 lo = 0, hi = 0;

	exc_clear();
	asm volatile(ASM_TRY_BEGIN "xgetbv" ASM_TRY_END
		     : "+a"(lo), "+d"(hi) : "c"(ecx) : "memory");
	*val = ((u64)hi << 32) | lo;
	return exc_caught(NULL);
}

/* MOV from/to DRn: n must be a constant, so these are macros. */
#define read_dr_safe(n, valp) ({					\
	unsigned long __v = 0;						\
	int __vec;							\
	exc_clear();							\
	asm volatile(ASM_TRY_BEGIN "mov %%db" #n ", %0" ASM_TRY_END	\
		     : "+r"(__v) : : "memory");				\
	__vec = exc_caught(NULL);					\
	*(valp) = __v;							\
	__vec;								\
})

#define write_dr_safe(n, val) ({					\
	unsigned long __v = (val);					\
	exc_clear();							\
	asm volatile(ASM_TRY_BEGIN "mov %0, %%db" #n ASM_TRY_END	\
		     : : "r"(__v) : "memory");				\
	exc_caught(NULL);						\
})

#ifdef __x86_64__
static inline int read_cr8_safe(unsigned long *v)
{
	unsigned long r = ~0ul;

	exc_clear();
	asm volatile(ASM_TRY_BEGIN "mov %%cr8, %0" ASM_TRY_END
		     : "+r"(r) : : "memory");
	*v = r;
	return exc_caught(NULL);
}

static inline int swapgs_safe(void)
{
	exc_clear();
	asm volatile(ASM_TRY_BEGIN "swapgs" ASM_TRY_END ::: "memory");
	return exc_caught(NULL);
}

/* VMCALL with full 64-bit registers: upper halves are the attack. */
static inline long hc_raw(u64 nr, u64 a0, u64 a1, u64 a2, u64 a3)
{
	long ret;

	asm volatile("vmcall"
		     : "=a"(ret)
		     : "a"(nr), "b"(a0), "c"(a1), "d"(a2), "S"(a3)
		     : "memory");
	return ret;
}
#endif

/* x87 environment as FNSTENV stores it in 32-bit protected mode. */
struct fpu_env32 {
	u32 fcw, fsw, ftw, fip, fcs, fdp, fds;
};

/* FNSTENV: no wait, so a pending x87 exception does not fire here. */
static inline int fnstenv_safe(struct fpu_env32 *env)
{
	exc_clear();
	asm volatile(ASM_TRY_BEGIN "fnstenv %0" ASM_TRY_END
		     : "=m"(*env) : : "memory");
	return exc_caught(NULL);
}

static inline int stmxcsr_safe(u32 *mxcsr)
{
	exc_clear();
	asm volatile(ASM_TRY_BEGIN "stmxcsr %0" ASM_TRY_END
		     : "=m"(*mxcsr) : : "memory");
	return exc_caught(NULL);
}

static inline int fwait_safe(void)
{
	exc_clear();
	asm volatile(ASM_TRY_BEGIN "fwait" ASM_TRY_END ::: "memory");
	return exc_caught(NULL);
}

static inline bool cpu_has_xsave(void)
{
	return cpuid(1).ecx & CPUID_1_ECX_XSAVE;
}

/* XCR0 bits the processor supports: CPUID.(EAX=0DH,ECX=0):EDX:EAX. */
static inline u64 xcr0_supported(void)
{
	struct cpuid_regs r = cpuid_count(0xd, 0);

	return ((u64)r.edx << 32) | r.eax;
}

#endif /* GUEST_RT_HOSTILE_H */
