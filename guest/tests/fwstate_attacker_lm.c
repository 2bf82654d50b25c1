// SPDX-License-Identifier: MIT
/*
 * The attacker of the firmware-state check, a 64-bit
 * kernel: it changes every piece of CPU state a guest can reach and that
 * the firmware also uses, and leaves it changed.  The "platform" tier runs
 * it with exit=return between two runs of test/efi/fwstate.efi in the UEFI
 * Shell; after hv.efi returns, the firmware must see exactly what it had
 * (save at entry to VMX operation, restore at exit).
 *
 * Each write is also a case: on the CPU the guest is told about, each is
 * architecturally allowed, so each must complete without a fault: CR8
 * (SDM 3A 10.8.6.1), DR0-DR3/DR7 (SDM 3A 17.2), MXCSR and the x87 control
 * word, XCR0 when XSAVE is offered, the SYSCALL MSRs and
 * IA32_KERNEL_GS_BASE when long mode is (SDM 3A 5.8.8, 2.2.1.2), TSC_AUX
 * when RDTSCP is (SDM 2, RDTSCP), the SYSENTER MSRs when SEP is.
 */
#include "cpu.h"
#include "test.h"

#define MSR_SYSENTER_CS		0x174u
#define MSR_SYSENTER_ESP	0x175u
#define MSR_SYSENTER_EIP	0x176u
#define MSR_STAR		0xc0000081u
#define MSR_LSTAR		0xc0000082u
#define MSR_CSTAR		0xc0000083u
#define MSR_FMASK		0xc0000084u
#define MSR_GS_BASE		0xc0000101u
#define MSR_KERNEL_GS_BASE	0xc0000102u
#define MSR_TSC_AUX		0xc0000103u

#define CPUID_1_EDX_SEP		BIT(11)
#define CPUID_1_ECX_XSAVE	BIT(26)
#define CPUID_81_EDX_RDTSCP	BIT(27)
#define CPUID_81_EDX_LM		BIT(29)
#define X86_CR4_OSFXSR		BIT(9)
#define X86_CR4_OSXSAVE		BIT(18)

/* Distinct, canonical values nobody else would have. */
#define ATTACK_KGS		0xffff8000deadb000ull
#define ATTACK_LSTAR		0xffff8000cafe1000ull

static void set_msr(const char *name, u32 msr, u64 val)
{
	u64 back = 0;
	int vec = wrmsr_safe(msr, val);

	if (vec == EXC_NONE)
		vec = rdmsr_safe(msr, &back);
	report(vec == EXC_NONE && back == val, "wrmsr_%s (vector %d, %#llx)",
	       name, vec, (unsigned long long)back);
}

static void set_cr8(void)
{
	unsigned long v = 15, back;

	exc_clear();
	asm volatile(ASM_TRY_BEGIN "mov %0, %%cr8" ASM_TRY_END
		     : : "r"(v) : "memory");
	asm volatile("mov %%cr8, %0" : "=r"(back));
	report(exc_caught(NULL) == EXC_NONE && back == 15, "cr8_15 (%lu)",
	       back);
}

static void set_debug_regs(void)
{
	/* L0-L3 on, each an execute breakpoint on an address nobody runs. */
	unsigned long dr7 = 0x455, back;

	exc_clear();
	asm volatile(ASM_TRY_BEGIN
		     "mov %0, %%dr0\n\t"
		     "mov %1, %%dr1\n\t"
		     "mov %2, %%dr2\n\t"
		     "mov %3, %%dr3\n\t"
		     "mov %4, %%dr7" ASM_TRY_END
		     : : "r"(0xdead0000ul), "r"(0xdead1000ul),
			 "r"(0xdead2000ul), "r"(0xdead3000ul), "r"(dr7)
		     : "memory");
	asm volatile("mov %%dr7, %0" : "=r"(back));
	report(exc_caught(NULL) == EXC_NONE && (back & 0xff) == 0x55,
	       "dr0_3_dr7 (dr7=%#lx)", back);
}

static void set_fpu(void)
{
	u16 fcw = 0x27f, fcw_back;	/* 53-bit precision, all masked */
	u32 mxcsr = 0xff80, mxcsr_back;	/* FTZ, round toward zero, masked */

	write_cr4(read_cr4() | X86_CR4_OSFXSR);
	exc_clear();
	asm volatile(ASM_TRY_BEGIN "fninit; fldcw %0; ldmxcsr %1" ASM_TRY_END
		     : : "m"(fcw), "m"(mxcsr) : "memory");
	asm volatile("fnstcw %0; stmxcsr %1" : "=m"(fcw_back), "=m"(mxcsr_back));
	report(exc_caught(NULL) == EXC_NONE && fcw_back == fcw &&
	       mxcsr_back == mxcsr, "fcw_mxcsr (%#x, %#x)", fcw_back,
	       mxcsr_back);
}

static void set_xcr0(void)
{
	u32 lo, hi;

	if (!(cpuid(1).ecx & CPUID_1_ECX_XSAVE)) {
		report_skip("xcr0 (no XSAVE offered)");
		return;
	}
	write_cr4(read_cr4() | X86_CR4_OSXSAVE);
	exc_clear();
	asm volatile(ASM_TRY_BEGIN "xsetbv" ASM_TRY_END
		     : : "c"(0), "a"(3), "d"(0) : "memory");
	asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	report(exc_caught(NULL) == EXC_NONE && lo == 3 && hi == 0,
	       "xcr0_x87_sse (%#x)", lo);
}

/* SWAPGS reaches IA32_KERNEL_GS_BASE even where WRMSR of it does not. */
static void swapgs_kgs(void)
{
	u64 gs = 0;

	if (wrmsr_safe(MSR_GS_BASE, ATTACK_KGS) != EXC_NONE) {
		report(false, "swapgs_kernel_gs_base (GS_BASE write faulted)");
		return;
	}
	exc_clear();
	asm volatile(ASM_TRY_BEGIN "swapgs" ASM_TRY_END : : : "memory");
	rdmsr_safe(MSR_GS_BASE, &gs);
	report(exc_caught(NULL) == EXC_NONE,
	       "swapgs_kernel_gs_base (GS_BASE now %#llx)",
	       (unsigned long long)gs);
	wrmsr_safe(MSR_GS_BASE, 0);
}

int main(void)
{
	struct cpuid_regs r1 = cpuid(1), r81 = { 0 };

	test_init("fwstate_attacker");
	if (cpuid(0x80000000).eax >= 0x80000001)
		r81 = cpuid(0x80000001);

	set_cr8();
	set_debug_regs();
	set_fpu();
	set_xcr0();
	if (r1.edx & CPUID_1_EDX_SEP) {
		set_msr("sysenter_cs", MSR_SYSENTER_CS, 0x77);
		set_msr("sysenter_esp", MSR_SYSENTER_ESP, 0xffff800011110000ull);
		set_msr("sysenter_eip", MSR_SYSENTER_EIP, 0xffff800022220000ull);
	}
	if (r81.edx & CPUID_81_EDX_LM) {
		swapgs_kgs();
		set_msr("kernel_gs_base", MSR_KERNEL_GS_BASE, ATTACK_KGS);
		set_msr("star", MSR_STAR, 0x0023001000000000ull);
		set_msr("lstar", MSR_LSTAR, ATTACK_LSTAR);
		set_msr("cstar", MSR_CSTAR, ATTACK_LSTAR + 0x1000);
		set_msr("fmask", MSR_FMASK, 0x4700);
	}
	if (r81.edx & CPUID_81_EDX_RDTSCP)
		set_msr("tsc_aux", MSR_TSC_AUX, 0xabcd);
	/* Everything stays as set: the firmware must not see any of it. */
	test_exit();
}
