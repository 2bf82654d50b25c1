// SPDX-License-Identifier: MIT
/*
 * CPUID must promise only what the guest can use.  For
 * every feature the guest's CPUID advertises, this kernel executes an
 * instruction of it, sets the CR4 bit that enables it, or reads (and where
 * harmless writes back) the MSRs it implies, and expects no #UD or #GP.
 * Conversely, what is hidden must stay hidden: VMX and SMX are not
 * offered, and their CR4 enable bits are refused with #GP (SDM 3A 2.5:
 * setting a CR4 bit of an unsupported feature is #GP).
 *
 * test/emu/matrix.cfg runs it on every Bochs CPU model of the matrix
 * tier; the same source built for long mode (cpuid_consistency_lm.c) adds
 * the 64-bit-only parts: SYSCALL (its MSRs, EFER.SCE and one call), the
 * long-mode MSRs, SWAPGS, CMPXCHG16B, LAHF/SAHF, FSGSBASE.
 *
 * Facts used: feature bits from SDM 2, CPUID (Tables 3-8 to 3-11), the
 * MSRs they imply from SDM 4 (Table 2-2, "architectural MSRs", whose
 * comment names the CPUID bit of each), the CR4 bits from SDM 3A 2.5.
 */
#include "cpu.h"
#include "hostile.h"
#include "test.h"

/* CPUID.1:EDX */
#define F1D_FPU		BIT(0)
#define F1D_DE		BIT(2)
#define F1D_PSE		BIT(3)
#define F1D_TSC		BIT(4)
#define F1D_MSR		BIT(5)
#define F1D_PAE		BIT(6)
#define F1D_MCE		BIT(7)
#define F1D_CX8		BIT(8)
#define F1D_APIC	BIT(9)
#define F1D_SEP		BIT(11)
#define F1D_MTRR	BIT(12)
#define F1D_PGE		BIT(13)
#define F1D_MCA		BIT(14)
#define F1D_CMOV	BIT(15)
#define F1D_PAT		BIT(16)
#define F1D_CLFSH	BIT(19)
#define F1D_MMX		BIT(23)
#define F1D_FXSR	BIT(24)
#define F1D_SSE		BIT(25)
#define F1D_SSE2	BIT(26)
/* CPUID.1:ECX */
#define F1C_SSE3	BIT(0)
#define F1C_PCLMUL	BIT(1)
#define F1C_MONITOR	BIT(3)
#define F1C_VMX		BIT(5)
#define F1C_SMX		BIT(6)
#define F1C_SSSE3	BIT(9)
#define F1C_FMA		BIT(12)
#define F1C_CX16	BIT(13)
#define F1C_PDCM	BIT(15)
#define F1C_PCID	BIT(17)
#define F1C_SSE41	BIT(19)
#define F1C_SSE42	BIT(20)
#define F1C_MOVBE	BIT(22)
#define F1C_POPCNT	BIT(23)
#define F1C_TSCDL	BIT(24)
#define F1C_AES		BIT(25)
#define F1C_XSAVE	BIT(26)
#define F1C_OSXSAVE	BIT(27)
#define F1C_AVX		BIT(28)
#define F1C_F16C	BIT(29)
#define F1C_RDRAND	BIT(30)
/* CPUID.(7,0):EBX, ECX, EDX */
#define F7B_FSGSBASE	BIT(0)
#define F7B_BMI1	BIT(3)
#define F7B_AVX2	BIT(5)
#define F7B_SMEP	BIT(7)
#define F7B_BMI2	BIT(8)
#define F7B_AVX512F	BIT(16)
#define F7B_RDSEED	BIT(18)
#define F7B_ADX		BIT(19)
#define F7B_SMAP	BIT(20)
#define F7B_CLFLUSHOPT	BIT(23)
#define F7B_CLWB	BIT(24)
#define F7B_SHA		BIT(29)
#define F7C_UMIP	BIT(2)
#define F7C_PKU		BIT(3)
#define F7C_RDPID	BIT(22)
#define F7D_IBRS	BIT(26)
#define F7D_ARCH_CAP	BIT(29)
/* CPUID.80000001:ECX, EDX */
#define F81C_LAHF	BIT(0)
#define F81C_LZCNT	BIT(5)
#define F81C_PREFETCHW	BIT(8)
#define F81D_SYSCALL	BIT(11)
#define F81D_NX		BIT(20)
#define F81D_RDTSCP	BIT(27)
#define F81D_LM		BIT(29)

#define CR0_MP		BIT(1)
#define CR0_EM		BIT(2)
#define CR0_TS		BIT(3)
#define CR4_DE		BIT(3)
#define CR4_PSE		BIT(4)
#define CR4_PAE		BIT(5)
#define CR4_MCE		BIT(6)
#define CR4_PGE		BIT(7)
#define CR4_OSFXSR	BIT(9)
#define CR4_OSXMMEXCPT	BIT(10)
#define CR4_UMIP	BIT(11)
#define CR4_VMXE	BIT(13)
#define CR4_SMXE	BIT(14)
#define CR4_FSGSBASE	BIT(16)
#define CR4_OSXSAVE	BIT(18)
#define CR4_SMEP	BIT(20)
#define CR4_SMAP	BIT(21)
#define CR4_PKE		BIT(22)

#define MSR_TSC			0x10u
#define MSR_APIC_BASE		0x1bu
#define MSR_SPEC_CTRL		0x48u
#define MSR_PMC0		0xc1u
#define MSR_MTRRCAP		0xfeu
#define MSR_ARCH_CAP		0x10au
#define MSR_SYSENTER_CS		0x174u
#define MSR_SYSENTER_ESP	0x175u
#define MSR_SYSENTER_EIP	0x176u
#define MSR_MCG_CAP		0x179u
#define MSR_MCG_STATUS		0x17au
#define MSR_PERFEVTSEL0		0x186u
#define MSR_MISC_ENABLE		0x1a0u
#define MSR_PAT			0x277u
#define MSR_MTRR_DEF_TYPE	0x2ffu
#define MSR_PERF_CAPS		0x345u
#define MSR_PERF_GLOBAL_CTRL	0x38fu
#define MSR_TSC_DEADLINE	0x6e0u
#define MSR_STAR		0xc0000081u
#define MSR_LSTAR		0xc0000082u
#define MSR_CSTAR		0xc0000083u
#define MSR_FMASK		0xc0000084u
#define MSR_KERNEL_GS_BASE	0xc0000102u
#define MSR_TSC_AUX		0xc0000103u

#define EFER_SCE	BIT(0)

static struct {
	u32 d1, c1, b7, c7, d7, c81, d81;
	u32 pmu_version;
} f;

/* 64-byte aligned for XSAVE, 16 for FXSAVE; also CLFLUSH/MONITOR targets. */
static u8 area[8192] __attribute__((aligned(64)));

/*
 * TRY(text, inputs...): run text under ASM_TRY and return the vector it
 * raised.  The registers the texts use (AX, BX, CX, DX) are clobbered, so
 * inputs are "r" or "m" operands that never land in them.
 */
#define TRY(text, ...) ({						\
	exc_clear();							\
	asm volatile(ASM_TRY_BEGIN text ASM_TRY_END			\
		     : : __VA_ARGS__ : "memory", "ax", "bx", "cx", "dx"); \
	exc_caught(NULL);						\
})

static void feature_case(const char *name, bool advertised, int vec)
{
	if (!advertised)
		report_skip("%s (not advertised)", name);
	else
		report(vec == EXC_NONE, "%s (vector %d)", name, vec);
}

/* The instruction runs only when the feature is advertised. */
#define INSN(name, adv, text, ...) do {					\
	bool adv_ = (adv);						\
	feature_case(name, adv_, adv_ ? TRY(text, ##__VA_ARGS__) : EXC_NONE); \
} while (0)

static void read_cpuid(void)
{
	struct cpuid_regs r = cpuid(0);
	u32 max = r.eax;

	r = cpuid(1);
	f.d1 = r.edx;
	f.c1 = r.ecx;
	if (max >= 7) {
		r = cpuid_count(7, 0);
		f.b7 = r.ebx;
		f.c7 = r.ecx;
		f.d7 = r.edx;
	}
	if (max >= 0xa)
		f.pmu_version = cpuid(0xa).eax & 0xff;
	if (cpuid(0x80000000).eax >= 0x80000001) {
		r = cpuid(0x80000001);
		f.c81 = r.ecx;
		f.d81 = r.edx;
	}
	printf("cpuid: 1:%08x/%08x 7:%08x/%08x/%08x 81:%08x/%08x pmu %u\n",
	       f.d1, f.c1, f.b7, f.c7, f.d7, f.c81, f.d81, f.pmu_version);
}

/* The MSR reads; when @write, the value read is written back. */
static void msr_case(const char *name, bool advertised, u32 msr, bool write)
{
	u64 val = 0;
	int vec = EXC_NONE;

	if (advertised) {
		vec = rdmsr_safe(msr, &val);
		if (vec == EXC_NONE && write)
			vec = wrmsr_safe(msr, val);
	}
	feature_case(name, advertised, vec);
}

/*
 * CR4.@bit can be set (and cleared again) when its feature is offered.
 * Both MOVs are in one asm so that no other code runs with the bit set
 * (SMEP, SMAP or PKE could fault on the runtime's own pages).
 */
static void cr4_case(const char *name, bool advertised, u32 bit)
{
	u32 old = read_cr4();
	int vec = EXC_NONE;

	if (advertised) {
		exc_clear();
		asm volatile(ASM_TRY_BEGIN "mov %0, %%cr4\n\tmov %1, %%cr4"
			     ASM_TRY_END
			     : : "r"((unsigned long)(old | bit)),
				 "r"((unsigned long)old) : "memory");
		vec = exc_caught(NULL);
		write_cr4(old);
	}
	feature_case(name, advertised, vec);
}

/* A hidden feature: not in CPUID, and its CR4 bit is #GP. */
static void hidden_case(const char *name, bool advertised, u32 bit)
{
	u32 old = read_cr4();
	int vec;

	report(!advertised, "%s_hidden", name);
	vec = write_cr_safe(4, old | bit);
	write_cr4(old);
	report(vec == GP_VECTOR, "%s_cr4_bit_gp (vector %d)", name, vec);
}

static void test_cr4(void)
{
	cr4_case("cr4_de", f.d1 & F1D_DE, CR4_DE);
	cr4_case("cr4_pse", f.d1 & F1D_PSE, CR4_PSE);
	cr4_case("cr4_pae", f.d1 & F1D_PAE, CR4_PAE);
	cr4_case("cr4_mce", f.d1 & F1D_MCE, CR4_MCE);
	cr4_case("cr4_pge", f.d1 & F1D_PGE, CR4_PGE);
	cr4_case("cr4_osfxsr", f.d1 & F1D_FXSR, CR4_OSFXSR);
	cr4_case("cr4_osxmmexcpt", f.d1 & F1D_SSE, CR4_OSXMMEXCPT);
	cr4_case("cr4_umip", f.c7 & F7C_UMIP, CR4_UMIP);
	cr4_case("cr4_osxsave", f.c1 & F1C_XSAVE, CR4_OSXSAVE);
	cr4_case("cr4_smep", f.b7 & F7B_SMEP, CR4_SMEP);
	cr4_case("cr4_smap", f.b7 & F7B_SMAP, CR4_SMAP);
	cr4_case("cr4_pke", f.c7 & F7C_PKU, CR4_PKE);
#ifdef __x86_64__
	cr4_case("cr4_fsgsbase", f.b7 & F7B_FSGSBASE, CR4_FSGSBASE);
#endif
	hidden_case("vmx", f.c1 & F1C_VMX, CR4_VMXE);
	hidden_case("smx", f.c1 & F1C_SMX, CR4_SMXE);
}

static void test_msrs(void)
{
	bool pmu = f.pmu_version > 0;

	msr_case("msr_tsc", f.d1 & F1D_TSC, MSR_TSC, false);
	msr_case("msr_apic_base", f.d1 & F1D_APIC, MSR_APIC_BASE, false);
	msr_case("msr_misc_enable", true, MSR_MISC_ENABLE, false);
	msr_case("msr_sysenter_cs", f.d1 & F1D_SEP, MSR_SYSENTER_CS, true);
	msr_case("msr_sysenter_esp", f.d1 & F1D_SEP, MSR_SYSENTER_ESP, true);
	msr_case("msr_sysenter_eip", f.d1 & F1D_SEP, MSR_SYSENTER_EIP, true);
	msr_case("msr_pat", f.d1 & F1D_PAT, MSR_PAT, true);
	msr_case("msr_mtrrcap", f.d1 & F1D_MTRR, MSR_MTRRCAP, false);
	msr_case("msr_mtrr_def_type", f.d1 & F1D_MTRR, MSR_MTRR_DEF_TYPE, true);
	msr_case("msr_mcg_cap", f.d1 & (F1D_MCA | F1D_MCE), MSR_MCG_CAP, false);
	msr_case("msr_mcg_status", f.d1 & F1D_MCA, MSR_MCG_STATUS, false);
	msr_case("msr_perf_caps", f.c1 & F1C_PDCM, MSR_PERF_CAPS, false);
	msr_case("msr_tsc_deadline", f.c1 & F1C_TSCDL, MSR_TSC_DEADLINE, false);
	msr_case("msr_tsc_aux", f.d81 & F81D_RDTSCP, MSR_TSC_AUX, true);
	msr_case("msr_spec_ctrl", f.d7 & F7D_IBRS, MSR_SPEC_CTRL, false);
	msr_case("msr_arch_capabilities", f.d7 & F7D_ARCH_CAP, MSR_ARCH_CAP,
		 false);
	msr_case("msr_pmc0", pmu, MSR_PMC0, false);
	msr_case("msr_perfevtsel0", pmu, MSR_PERFEVTSEL0, false);
	msr_case("msr_perf_global_ctrl", f.pmu_version >= 2,
		 MSR_PERF_GLOBAL_CTRL, false);
}

/* Instructions of the base and SSE families; the SSE ones need OSFXSR. */
static void test_insns(void)
{
	u8 *p = area;

	INSN("rdtsc", f.d1 & F1D_TSC, "rdtsc");
	INSN("cmpxchg8b", f.d1 & F1D_CX8,
	     "xor %%eax, %%eax\n\txor %%edx, %%edx\n\tcmpxchg8b %0", "m"(*(u64 *)p));
	INSN("cmov", f.d1 & F1D_CMOV, "xor %%eax, %%eax\n\tcmove %%eax, %%ecx");
	INSN("clflush", f.d1 & F1D_CLFSH, "clflush %0", "m"(*p));
	INSN("fninit", f.d1 & F1D_FPU, "fninit\n\tfld1\n\tfstp %%st(0)\n\tfwait");
	INSN("emms", f.d1 & F1D_MMX, "pxor %%mm0, %%mm0\n\temms");
	INSN("fxsave", f.d1 & F1D_FXSR, "fxsave %0\n\tfxrstor %0",
	     "m"(*(u8 (*)[512])p));
	INSN("sse", f.d1 & F1D_SSE,
	     "xorps %%xmm0, %%xmm0\n\tstmxcsr %0\n\tldmxcsr %0", "m"(*(u32 *)p));
	INSN("sse2", f.d1 & F1D_SSE2, "pxor %%xmm0, %%xmm0\n\tpaddq %%xmm0, %%xmm0");
	INSN("sse3", f.c1 & F1C_SSE3, "addsubps %%xmm0, %%xmm0");
	INSN("pclmulqdq", f.c1 & F1C_PCLMUL, "pclmulqdq $0, %%xmm0, %%xmm0");
	INSN("ssse3", f.c1 & F1C_SSSE3, "pshufb %%xmm0, %%xmm0");
	INSN("sse4_1", f.c1 & F1C_SSE41, "pminsd %%xmm0, %%xmm0");
	INSN("sse4_2_crc32", f.c1 & F1C_SSE42, "crc32l %%ecx, %%eax");
	INSN("aesenc", f.c1 & F1C_AES, "aesenc %%xmm0, %%xmm0");
	INSN("sha1nexte", f.b7 & F7B_SHA, "sha1nexte %%xmm0, %%xmm0");
	INSN("movbe", f.c1 & F1C_MOVBE, "movbe %0, %%eax", "m"(*(u32 *)p));
	INSN("popcnt", f.c1 & F1C_POPCNT, "popcnt %%ecx, %%eax");
	INSN("rdrand", f.c1 & F1C_RDRAND, "rdrand %%eax");
	INSN("rdseed", f.b7 & F7B_RDSEED, "rdseed %%eax");
	INSN("bmi1_andn", f.b7 & F7B_BMI1, "andn %%ecx, %%edx, %%eax");
	INSN("bmi2_bzhi", f.b7 & F7B_BMI2, "bzhi %%ecx, %%edx, %%eax");
	INSN("adx_adcx", f.b7 & F7B_ADX, "adcx %%ecx, %%eax");
	INSN("clflushopt", f.b7 & F7B_CLFLUSHOPT, "clflushopt %0", "m"(*p));
	INSN("clwb", f.b7 & F7B_CLWB, "clwb %0", "m"(*p));
	INSN("lzcnt", f.c81 & F81C_LZCNT, "lzcnt %%ecx, %%eax");
	INSN("prefetchw", f.c81 & F81C_PREFETCHW, "prefetchw %0", "m"(*p));
	INSN("rdtscp", f.d81 & F81D_RDTSCP, "rdtscp");
#ifdef __x86_64__
	INSN("rdpid", f.c7 & F7C_RDPID, "rdpid %%rax");
#else
	INSN("rdpid", f.c7 & F7C_RDPID, "rdpid %%eax");
#endif
	/* MONITOR arms address monitoring only; MWAIT could sleep. */
	INSN("monitor", f.c1 & F1C_MONITOR,
	     "mov %0, %%eax\n\txor %%ecx, %%ecx\n\txor %%edx, %%edx\n\tmonitor",
	     "r"((u32)(uintptr_t)p));
}

/* XSAVE and the AVX families it enables (SDM 1 13.3). */
static void test_xsave(void)
{
	bool xsave = f.c1 & F1C_XSAVE;
	struct cpuid_regs d = { 0 };
	u64 supported = 0, want;
	u32 lo, hi;
	int vec;

	if (xsave) {
		d = cpuid_count(0xd, 0);
		supported = ((u64)d.edx << 32) | d.eax;
	}
	report(!!(cpuid(1).ecx & F1C_OSXSAVE) == !!(read_cr4() & CR4_OSXSAVE),
	       "osxsave_mirrors_cr4");
	if (!xsave) {
		report_skip("xsave (not advertised)");
		return;
	}
	write_cr4(read_cr4() | CR4_OSXSAVE);
	report(cpuid(1).ecx & F1C_OSXSAVE, "osxsave_set");
	asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	report(lo == 1 && hi == 0, "xcr0_reset_value (%#x)", lo);
	/* x87, SSE and AVX, and AVX-512's three when all are offered. */
	want = supported & 0x7;
	if ((supported & 0xe0) == 0xe0 && (want & 0x4))
		want |= 0xe0;
	exc_clear();
	asm volatile(ASM_TRY_BEGIN "xsetbv" ASM_TRY_END
		     : : "c"(0), "a"((u32)want), "d"((u32)(want >> 32))
		     : "memory");
	vec = exc_caught(NULL);
	report(vec == EXC_NONE, "xsetbv_supported (%#llx, vector %d)",
	       (unsigned long long)want, vec);
	/* CPUID.(0DH,0):EBX: the area size for the XCR0 now enabled. */
	d = cpuid_count(0xd, 0);
	if (d.ebx > sizeof(area)) {
		report_skip("xsave (area of %u bytes)", d.ebx);
		return;
	}
	INSN("xsave_xrstor", true,
	     "mov $-1, %%eax\n\tmov $-1, %%edx\n\txsave %0\n\txrstor %0",
	     "m"(*(u8 (*)[sizeof(area)])area));
	INSN("avx", (f.c1 & F1C_AVX) && (want & 0x4),
	     "vxorps %%ymm0, %%ymm0, %%ymm0\n\tvzeroupper");
	INSN("fma", (f.c1 & F1C_FMA) && (want & 0x4),
	     "vfmadd132ps %%xmm0, %%xmm0, %%xmm0");
	INSN("f16c", (f.c1 & F1C_F16C) && (want & 0x4),
	     "vcvtph2ps %%xmm0, %%xmm0");
	INSN("avx2", (f.b7 & F7B_AVX2) && (want & 0x4),
	     "vpaddd %%ymm0, %%ymm0, %%ymm0\n\tvzeroupper");
	INSN("avx512f", (f.b7 & F7B_AVX512F) && (want & 0xe0),
	     "vpxord %%zmm0, %%zmm0, %%zmm0\n\tvzeroupper");
}

#ifdef __x86_64__
/*
 * SYSCALL's target: ring 0 again (STAR[47:32] = the runtime's code
 * selector), so it returns by hand: RFLAGS from R11, RIP from RCX (SDM 2,
 * SYSCALL).  SYSRET always returns to CPL 3, where the runtime's pages are
 * not accessible, so it is not exercised here.
 */
volatile u32 syscall_seen;
asm(".text\n"
    "syscall_target:\n\t"
    "movl $1, syscall_seen(%rip)\n\t"
    "push %r11\n\t"
    "popfq\n\t"
    "jmp *%rcx\n");
void syscall_target(void);

#define GUEST_CS64	0x08u	/* guest/rt64/entry64.S */

/* WRMSR, then RDMSR reads the value back: both without a fault. */
static bool set_msr(u32 msr, u64 val)
{
	u64 back = ~val;

	return wrmsr_safe(msr, val) == EXC_NONE &&
	       rdmsr_safe(msr, &back) == EXC_NONE && back == val;
}

static void test_syscall(void)
{
	u64 star = (u64)GUEST_CS64 << 32, lstar = (uintptr_t)syscall_target;
	u64 efer = 0;
	int vec;

	if (!(f.d81 & F81D_SYSCALL)) {
		report_skip("syscall (not advertised)");
		return;
	}
	/* Only with its MSRs really set may SYSCALL run: else it jumps wild. */
	if (!set_msr(MSR_STAR, star) || !set_msr(MSR_LSTAR, lstar) ||
	    !set_msr(MSR_FMASK, 0) || rdmsr_safe(MSR_EFER, &efer) != EXC_NONE ||
	    !set_msr(MSR_EFER, efer | EFER_SCE)) {
		report(false, "syscall (STAR/LSTAR/FMASK/EFER.SCE not set)");
		return;
	}
	syscall_seen = 0;
	exc_clear();
	asm volatile(ASM_TRY_BEGIN "syscall" ASM_TRY_END
		     : : : "rcx", "r11", "memory");
	vec = exc_caught(NULL);
	report(vec == EXC_NONE && syscall_seen, "syscall (vector %d, seen %u)",
	       vec, syscall_seen);
	wrmsr_safe(MSR_EFER, efer);
}

/* The long-mode part: SYSCALL/SYSRET's MSRs, the 64-bit-only ones. */
static void test_long_mode(void)
{
	bool lm = f.d81 & F81D_LM;
	u64 efer = 0;
	int vec;

	msr_case("msr_star", lm, MSR_STAR, true);
	msr_case("msr_lstar", lm, MSR_LSTAR, true);
	msr_case("msr_cstar", lm, MSR_CSTAR, true);
	msr_case("msr_fmask", lm, MSR_FMASK, true);
	msr_case("msr_kernel_gs_base", lm, MSR_KERNEL_GS_BASE, true);
	INSN("swapgs", lm, "swapgs\n\tswapgs");
	INSN("cmpxchg16b", f.c1 & F1C_CX16,
	     "xor %%eax, %%eax\n\txor %%edx, %%edx\n\tcmpxchg16b %0",
	     "m"(*(u8 (*)[16])area));
	INSN("lahf_sahf", f.c81 & F81C_LAHF, "lahf\n\tsahf");
	INSN("rdfsbase", f.b7 & F7B_FSGSBASE,
	     "mov %%cr4, %%rax\n\tor $0x10000, %%rax\n\tmov %%rax, %%cr4\n\t"
	     "rdfsbase %%rax");
	write_cr4(read_cr4() & ~CR4_FSGSBASE);

	/* SYSCALL is enabled by EFER.SCE (SDM 3A 5.8.8). */
	vec = rdmsr_safe(MSR_EFER, &efer);
	if (vec == EXC_NONE)
		vec = wrmsr_safe(MSR_EFER, efer | EFER_SCE);
	if (vec == EXC_NONE)
		vec = rdmsr_safe(MSR_EFER, &efer);
	feature_case("efer_sce", f.d81 & F81D_SYSCALL,
		     vec == EXC_NONE && !(efer & EFER_SCE) ? GP_VECTOR : vec);
	test_syscall();
}
#endif

int main(void)
{
	test_init(sizeof(long) == 8 ? "cpuid_consistency64" :
		  "cpuid_consistency");
	read_cpuid();
	/* FPU, MMX and SSE instructions need EM clear and OSFXSR set. */
	write_cr0((read_cr0() & ~(CR0_EM | CR0_TS)) | CR0_MP);
	if (f.d1 & F1D_FXSR)
		write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
	test_cr4();
	if (f.d1 & F1D_FXSR)
		write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
	test_msrs();
	test_insns();
	test_xsave();
#ifdef __x86_64__
	test_long_mode();
#endif
	test_exit();
}
