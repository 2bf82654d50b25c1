// SPDX-License-Identifier: MIT
/*
 * Cross-guest leak ATTACKER, 64-bit: leaves every piece of CPU state a
 * guest can set at a non-reset value, then exits.  The probes that follow
 * (probe_reset_lm, probe_reset) must not see any of it.
 * Each write is itself a case: the SDM says it succeeds (MOV CR8 0-15,
 * MOV DRn, x87/SSE/AVX loads, XSETBV 7, WRMSR of the SYSCALL MSRs,
 * KERNEL_GS_BASE and TSC_AUX, SWAPGS), so a fault is a FAIL too.
 *
 * MXCSR keeps its exception masks (only FZ and the rounding control
 * change) and DR7 enables a breakpoint at an address no guest executes,
 * so that a leak into the hypervisor or firmware is visible but harmless;
 * the pending x87 exception is what the issue measured.
 *
 * Config (test/emu/hostile-suite.cfg): followed by probe_reset_lm.
 */
#include "hostile.h"

#define PATTERN		0x00007a5a5a5a0000ull	/* canonical */
#define DR_TARGET	0x7ff000ul	/* an address the probes never run */

static const u64 xmm_pattern[2] = { 0x1111222233334444ull, 0x5555666677778888ull };
static const u64 ymm_pattern[4] = { 1, 2, 0xdeadbeefcafef00dull, 0x0123456789abcdefull };

#define LOAD_XMM(n) \
	asm volatile("movdqu %0, %%xmm" #n : : "m"(xmm_pattern[0]) : "memory")

static void attack_msr(u32 msr, u64 val, const char *name)
{
	u64 v = 0;
	int vec = wrmsr_safe(msr, val);

	if (vec == EXC_NONE)
		vec = rdmsr_safe(msr, &v);
	report(vec == EXC_NONE && v == val, "attack_wrmsr_%s (%s)", name,
	       vec_name(vec));
}

int main(void)
{
	unsigned long v = 0;
	u64 gs = 0;
	int vec;

	test_init("hostile_leak_lm");

	vec = write_cr_safe(8, 15);
	if (vec == EXC_NONE)
		vec = read_cr8_safe(&v);
	report(vec == EXC_NONE && v == 15, "attack_cr8_15 (%s, %#lx)",
	       vec_name(vec), v);

	vec = write_dr_safe(0, DR_TARGET);
	vec = vec == EXC_NONE ? write_dr_safe(1, 0x1111000ul) : vec;
	vec = vec == EXC_NONE ? write_dr_safe(2, 0x2222000ul) : vec;
	vec = vec == EXC_NONE ? write_dr_safe(3, 0x3333000ul) : vec;
	vec = vec == EXC_NONE ? write_dr_safe(6, 0xffff0ff1ul) : vec;
	/* L0|G0, execute breakpoint at DR_TARGET. */
	vec = vec == EXC_NONE ? write_dr_safe(7, 0x403ul) : vec;
	report(vec == EXC_NONE, "attack_dr0_3_dr6_dr7 (%s)", vec_name(vec));

	/* x87: values on the stack, then an unmasked zero-divide pending. */
	{
		u16 cw = 0x0340;	/* every exception unmasked */

		write_cr0((read_cr0() | X86_CR0_NE | X86_CR0_MP) &
			  ~(X86_CR0_EM | X86_CR0_TS));
		asm volatile("fninit\n\tfldpi\n\tfldl2e\n\tfldcw %0\n\t"
			     "fld1\n\tfldz\n\tfdivrp" : : "m"(cw));
		struct fpu_env32 env;

		asm volatile("fnstenv %0\n\tfldenv %0" : "=m"(env) : : "memory");
		report((env.fsw & 0x80) && !(env.fcw & 0x3f),
		       "attack_x87_pending_unmasked (fsw %#x, fcw %#x)",
		       env.fsw & 0xffff, env.fcw & 0xffff);
	}

	write_cr4(read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT);
	LOAD_XMM(0); LOAD_XMM(1); LOAD_XMM(2); LOAD_XMM(3);
	LOAD_XMM(4); LOAD_XMM(5); LOAD_XMM(6); LOAD_XMM(7);
	LOAD_XMM(8); LOAD_XMM(9); LOAD_XMM(10); LOAD_XMM(11);
	LOAD_XMM(12); LOAD_XMM(13); LOAD_XMM(14); LOAD_XMM(15);
	{
		u32 mxcsr = 0xff80, back = 0;	/* FZ, round toward zero */

		asm volatile("ldmxcsr %1\n\tstmxcsr %0"
			     : "=m"(back) : "m"(mxcsr) : "memory");
		report(back == 0xff80, "attack_xmm_pattern_mxcsr_ff80 (%#x)", back);
	}

	if (cpu_has_xsave() && (cpuid(1).ecx & CPUID_1_ECX_AVX) &&
	    (xcr0_supported() & 7) == 7) {
		write_cr4(read_cr4() | X86_CR4_OSXSAVE);
		vec = xsetbv_safe(0, 7);
		if (vec == EXC_NONE) {
			exc_clear();
			asm volatile(ASM_TRY_BEGIN "vmovdqu %0, %%ymm0" ASM_TRY_END
				     : : "m"(ymm_pattern) : "memory");
			vec = exc_caught(NULL);
		}
		report(vec == EXC_NONE, "attack_xcr0_7_ymm0_pattern (%s)",
		       vec_name(vec));
	} else {
		report_skip("attack_ymm: no AVX");
	}

	attack_msr(0xc0000102u, PATTERN | 0x102, "kernel_gs_base");
	/* SWAPGS puts GS_BASE into KERNEL_GS_BASE whatever WRMSR did. */
	vec = wrmsr_safe(0xc0000101u, PATTERN | 0x101);
	vec = vec == EXC_NONE ? swapgs_safe() : vec;
	if (vec == EXC_NONE)
		rdmsr_safe(0xc0000101u, &gs);
	wrmsr_safe(0xc0000101u, 0);	/* our own GS base back to 0 */
	report(vec == EXC_NONE, "attack_swapgs_kernel_gs_base (%s, gs was %#llx)",
	       vec_name(vec), (unsigned long long)gs);
	attack_msr(0xc0000081u, 0x0023001000000000ull, "star");
	attack_msr(0xc0000082u, 0xffffffff81000000ull, "lstar");
	attack_msr(0xc0000083u, 0xffffffff82000000ull, "cstar");
	attack_msr(0xc0000084u, 0x47700, "fmask");
	attack_msr(0xc0000103u, 0x1234, "tsc_aux");
	test_exit();
}
