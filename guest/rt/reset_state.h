/* SPDX-License-Identifier: MIT */
/*
 * Cross-guest leak probes (guest/tests/probe_reset*.c): the state a guest
 * must find at its first instruction, whatever the guest before it did.
 * The values are the processor's after RESET (SDM 3A 9.1, Table 9-1):
 *
 *	DR0-DR3 0, DR6 0xffff0ff0, DR7 0x400
 *	x87: FCW 0x0040, FSW 0, FTW 0x5555 (power-up/RESET; INIT leaves
 *	     them unchanged, so a hypervisor that runs FNINIT instead gives
 *	     FCW 0x037f, FTW 0xffff: both are accepted as clean, neither
 *	     may carry a pending exception)
 *	MXCSR 0x1f80, XMM/YMM registers 0, XCR0 1
 *	64-bit only: CR8 (TPR) 0, and the MSRs a guest can write start at 0
 *	(IA32_KERNEL_GS_BASE, STAR, LSTAR, CSTAR, FMASK, TSC_AUX).
 *
 * Every read that may fault (an MSR the hypervisor does not implement
 * yet, an instruction CPUID hides) is inside ASM_TRY and becomes a FAIL
 * line, not a crash.  Header-only: included by exactly one kernel each.
 */
#ifndef GUEST_RT_RESET_STATE_H
#define GUEST_RT_RESET_STATE_H

#include "cpu.h"
#include "hostile.h"
#include "test.h"

#define DR6_RESET	0xffff0ff0ul
#define DR7_RESET	0x400ul

static inline void probe_debug_regs(void)
{
	unsigned long v[8] = { 0 };
	int vec[8];

	vec[0] = read_dr_safe(0, &v[0]);
	vec[1] = read_dr_safe(1, &v[1]);
	vec[2] = read_dr_safe(2, &v[2]);
	vec[3] = read_dr_safe(3, &v[3]);
	vec[6] = read_dr_safe(6, &v[6]);
	vec[7] = read_dr_safe(7, &v[7]);
	for (int i = 0; i < 4; i++)
		report(vec[i] == EXC_NONE && v[i] == 0,
		       "reset_dr%d_is_0 (%s, %#lx)", i, vec_name(vec[i]), v[i]);
	report(vec[6] == EXC_NONE && v[6] == DR6_RESET,
	       "reset_dr6_is_ffff0ff0 (%s, %#lx)", vec_name(vec[6]), v[6]);
	report(vec[7] == EXC_NONE && v[7] == DR7_RESET,
	       "reset_dr7_is_400 (%s, %#lx)", vec_name(vec[7]), v[7]);
}

static inline void probe_x87(void)
{
	struct fpu_env32 env = { 0 };
	int vec;

	/* CR0.EM/TS would make FNSTENV #NM: that is not a leak, say so. */
	if (read_cr0() & (X86_CR0_EM | X86_CR0_TS)) {
		report(false, "reset_cr0_em_ts_clear (%#x)", read_cr0());
		write_cr0(read_cr0() & ~(X86_CR0_EM | X86_CR0_TS));
	}
	vec = fnstenv_safe(&env);
	env.fcw &= 0xffff;
	env.fsw &= 0xffff;
	env.ftw &= 0xffff;
	report(vec == EXC_NONE && ((env.fcw == 0x40 && env.ftw == 0x5555) ||
				   (env.fcw == 0x37f && env.ftw == 0xffff)),
	       "reset_x87_fcw_ftw_clean (%s, fcw %#x, ftw %#x)", vec_name(vec),
	       env.fcw, env.ftw);
	report(vec == EXC_NONE && env.fsw == 0,
	       "reset_x87_fsw_0_nothing_pending (%#x)", env.fsw);
	/* FNSTENV masked all x87 exceptions: restore the probe's view first. */
	asm volatile("fldenv %0" : : "m"(env));
	vec = fwait_safe();
	asm volatile("fninit");
	expect_vec(vec, EXC_NONE, "reset_first_fwait_no_mf");
}

/* The XMM registers a guest can see: 8 outside 64-bit mode, 16 in it. */
#ifdef __x86_64__
#define NR_XMM	16
#else
#define NR_XMM	8
#endif

#define STORE_XMM(n) \
	asm volatile("movdqu %%xmm" #n ", %0" : "=m"(x[n][0]) : : "memory")

static inline void probe_sse(void)
{
	u64 x[16][2];
	u32 mxcsr = 0, bad = 0, first = 0;
	int vec;

	if (!(cpuid(1).edx & BIT(25))) {
		report_skip("reset_sse: no SSE");
		return;
	}
	/* CR4.OSFXSR only enables the instructions; it resets nothing. */
	write_cr4(read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT);
	vec = stmxcsr_safe(&mxcsr);
	report(vec == EXC_NONE && mxcsr == 0x1f80, "reset_mxcsr_is_1f80 (%s, %#x)",
	       vec_name(vec), mxcsr);
	STORE_XMM(0); STORE_XMM(1); STORE_XMM(2); STORE_XMM(3);
	STORE_XMM(4); STORE_XMM(5); STORE_XMM(6); STORE_XMM(7);
#ifdef __x86_64__
	STORE_XMM(8); STORE_XMM(9); STORE_XMM(10); STORE_XMM(11);
	STORE_XMM(12); STORE_XMM(13); STORE_XMM(14); STORE_XMM(15);
#endif
	for (int i = 0; i < NR_XMM; i++) {
		if ((x[i][0] | x[i][1]) && !bad++)
			first = i;
	}
	report(!bad, "reset_xmm0_%d_are_0 (%u nonzero, first xmm%u = %#llx_%016llx)",
	       NR_XMM - 1, bad, first, (unsigned long long)x[first][1],
	       (unsigned long long)x[first][0]);
}

static inline void probe_xsave(void)
{
	u64 xcr0 = 0, hi[2] = { 0, 0 };
	int vec;

	if (!cpu_has_xsave()) {
		report_skip("reset_xcr0: no XSAVE");
		return;
	}
	write_cr4(read_cr4() | X86_CR4_OSXSAVE);
	vec = xgetbv_safe(0, &xcr0);
	report(vec == EXC_NONE && xcr0 == 1, "reset_xcr0_is_1 (%s, %#llx)",
	       vec_name(vec), (unsigned long long)xcr0);
	if (!(cpuid(1).ecx & CPUID_1_ECX_AVX) || !(xcr0_supported() & 4)) {
		report_skip("reset_ymm_upper: no AVX");
		return;
	}
	/* Enabling AVX state does not initialise it: a leak shows here. */
	if (xsetbv_safe(0, xcr0 | 7) != EXC_NONE) {
		report(false, "reset_ymm_upper: XSETBV 7 refused");
		return;
	}
	exc_clear();
	asm volatile(ASM_TRY_BEGIN "vextractf128 $1, %%ymm0, %0" ASM_TRY_END
		     : "=m"(hi) : : "memory");
	vec = exc_caught(NULL);
	report(vec == EXC_NONE && !(hi[0] | hi[1]),
	       "reset_ymm0_upper_is_0 (%s, %#llx_%016llx)", vec_name(vec),
	       (unsigned long long)hi[1], (unsigned long long)hi[0]);
	xsetbv_safe(0, 1);
}

#ifdef __x86_64__
static inline void probe_msr_zero(u32 msr, const char *name)
{
	u64 v = ~0ull;
	int vec = rdmsr_safe(msr, &v);

	report(vec == EXC_NONE && v == 0, "reset_%s_is_0 (%s, %#llx)", name,
	       vec_name(vec), (unsigned long long)v);
}

static inline void probe_long_mode(void)
{
	unsigned long cr8 = ~0ul;
	u64 gs = ~0ull, kgs_seen = ~0ull;
	int vec;

	vec = read_cr8_safe(&cr8);
	report(vec == EXC_NONE && cr8 == 0, "reset_cr8_tpr_is_0 (%s, %#lx)",
	       vec_name(vec), cr8);
	probe_msr_zero(0xc0000102u, "kernel_gs_base");
	/* SWAPGS shows KERNEL_GS_BASE even where RDMSR of it faults. */
	rdmsr_safe(0xc0000101u, &gs);
	vec = swapgs_safe();
	if (vec == EXC_NONE) {
		rdmsr_safe(0xc0000101u, &kgs_seen);
		swapgs_safe();
	}
	report(vec == EXC_NONE && kgs_seen == 0,
	       "reset_kernel_gs_base_via_swapgs_is_0 (%s, %#llx)", vec_name(vec),
	       (unsigned long long)kgs_seen);
	probe_msr_zero(0xc0000081u, "star");
	probe_msr_zero(0xc0000082u, "lstar");
	probe_msr_zero(0xc0000083u, "cstar");
	probe_msr_zero(0xc0000084u, "fmask");
	probe_msr_zero(0xc0000103u, "tsc_aux");
	if (cpuid(0x80000001u).edx & BIT(27)) {
		u32 aux = ~0u;

		exc_clear();
		asm volatile(ASM_TRY_BEGIN "rdtscp" ASM_TRY_END
			     : "+c"(aux) : : "eax", "edx", "memory");
		vec = exc_caught(NULL);
		report(vec == EXC_NONE && aux == 0, "reset_rdtscp_aux_is_0 (%s, %#x)",
		       vec_name(vec), aux);
	}
}
#endif

#endif /* GUEST_RT_RESET_STATE_H */
