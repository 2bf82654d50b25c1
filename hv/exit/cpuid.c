// SPDX-License-Identifier: MIT
/*
 * CPUID from an allowlist.  A guest is told of a feature only if it works
 * here: the instruction runs without exiting (or is emulated), the CR4
 * bit behind it is accepted by cr.c, its MSRs exist in msr.c, its XCR0
 * components are accepted by xcr.c.  Every bit not named below reads 0,
 * whatever the host has; a named bit is also ANDed with the host's.  The
 * policy, and why each hidden feature is hidden, is in
 * docs/guest-contract.md.  Aperture's own leaf is at 0x40000000.
 */
#include <lib/cpu.h>
#include <lib/x86.h>
#include <hv/cpu/features.h>
#include <hv/exit/handlers.h>
#include <hv/vm.h>

/* The highest leaves a guest is told of (SDM 2, CPUID leaves 0, 80000000H). */
#define MAX_BASIC_LEAF		0xdu
#define MAX_EXT_LEAF		0x80000008u

/* Leaf 1 EDX: VME, MCE, MTRR, MCA, PSN, DS, ACPI, SS, HTT, TM, PBE hidden. */
#define LEAF1_EDX	(CPUID_1_EDX_FPU | CPUID_1_EDX_DE | CPUID_1_EDX_PSE | \
			 CPUID_1_EDX_TSC | CPUID_1_EDX_MSR | CPUID_1_EDX_PAE | \
			 CPUID_1_EDX_CX8 | CPUID_1_EDX_SEP | CPUID_1_EDX_PGE | \
			 CPUID_1_EDX_CMOV | CPUID_1_EDX_PSE36 | \
			 CPUID_1_EDX_CLFSH | CPUID_1_EDX_MMX | \
			 CPUID_1_EDX_FXSR | CPUID_1_EDX_SSE | CPUID_1_EDX_SSE2)
/* Leaf 1 ECX without XSAVE: no MONITOR, VMX, SMX, PCID... */
#define LEAF1_ECX	(CPUID_1_ECX_SSE3 | CPUID_1_ECX_PCLMULQDQ | \
			 CPUID_1_ECX_SSSE3 | CPUID_1_ECX_CX16 | \
			 CPUID_1_ECX_SSE41 | CPUID_1_ECX_SSE42 | \
			 CPUID_1_ECX_MOVBE | CPUID_1_ECX_POPCNT | \
			 CPUID_1_ECX_AES | CPUID_1_ECX_RDRAND)
/* VEX-encoded: need the AVX component of XCR0. */
#define LEAF1_ECX_AVX	(CPUID_1_ECX_AVX | CPUID_1_ECX_FMA | CPUID_1_ECX_F16C)

/* Leaf 7: no FSGSBASE, SMEP, SMAP, INVPCID, UMIP, PKU, LA57 (CR4 bits cr.c
 * refuses), no TSX, MPX, PT, SGX, TSC_ADJUST, WAITPKG, no speculation MSRs. */
#define LEAF7_EBX	(CPUID_7_EBX_BMI1 | CPUID_7_EBX_FDP_EXCPTN_ONLY | \
			 CPUID_7_EBX_BMI2 | CPUID_7_EBX_ERMS | \
			 CPUID_7_EBX_FPU_CSDS | CPUID_7_EBX_RDSEED | \
			 CPUID_7_EBX_ADX | CPUID_7_EBX_CLFLUSHOPT | \
			 CPUID_7_EBX_CLWB | CPUID_7_EBX_SHA)
#define LEAF7_EBX_AVX	CPUID_7_EBX_AVX2
#define LEAF7_EBX_AVX512 (CPUID_7_EBX_AVX512F | CPUID_7_EBX_AVX512DQ | \
			  CPUID_7_EBX_AVX512IFMA | CPUID_7_EBX_AVX512CD | \
			  CPUID_7_EBX_AVX512BW | CPUID_7_EBX_AVX512VL)
#define LEAF7_ECX	CPUID_7_ECX_GFNI
#define LEAF7_ECX_AVX	(CPUID_7_ECX_VAES | CPUID_7_ECX_VPCLMULQDQ)
#define LEAF7_ECX_AVX512 (CPUID_7_ECX_AVX512VBMI | CPUID_7_ECX_AVX512VBMI2 | \
			  CPUID_7_ECX_AVX512VNNI | CPUID_7_ECX_AVX512BITALG | \
			  CPUID_7_ECX_AVX512VPOPCNTDQ)
#define LEAF7_EDX	CPUID_7_EDX_FSRM

/* XSAVEOPT, XSAVEC, XGETBV with ECX = 1; not XSAVES (no IA32_XSS). */
#define LEAFD1_EAX	(CPUID_D1_EAX_XSAVEOPT | CPUID_D1_EAX_XSAVEC | \
			 CPUID_D1_EAX_XGETBV1)

#define LEAF81_ECX	(CPUID_81_ECX_LAHF | CPUID_81_ECX_LZCNT | \
			 CPUID_81_ECX_PREFETCHW)
#define LEAF81_EDX	(CPUID_81_EDX_SYSCALL | CPUID_81_EDX_NX | \
			 CPUID_81_EDX_PAGE1GB | CPUID_81_EDX_LM)

/* The legacy region and the header of an XSAVE area (SDM 1 13.4). */
#define XSAVE_MIN_SIZE	576u

static void aperture_leaf(u32 leaf, struct cpuid_regs *r)
{
	r->eax = r->ebx = r->ecx = r->edx = 0;
	if (leaf == APERTURE_CPUID_LEAF) {
		r->eax = APERTURE_CPUID_LEAF;
		r->ebx = APERTURE_CPUID_SIG_EBX;
		r->ecx = APERTURE_CPUID_SIG_ECX;
		r->edx = APERTURE_CPUID_SIG_EDX;
	}
}

static u32 min_u32(u32 a, u32 b)
{
	return a < b ? a : b;
}

static u32 max_basic_leaf(void)
{
	struct cpuid_regs r;

	cpuid_count(0, 0, &r);
	return min_u32(r.eax, MAX_BASIC_LEAF);
}

static u32 max_ext_leaf(void)
{
	struct cpuid_regs r;

	cpuid_count(0x80000000, 0, &r);
	return r.eax < 0x80000000 ? 0 : min_u32(r.eax, MAX_EXT_LEAF);
}

/*
 * The size of an XSAVE area holding the components in @xcr0: standard
 * form (each component at its offset, SDM 1 13.4.3) or compacted (one
 * after the other, 64-byte aligned where subleaf ECX[1] says, 13.4.3).
 */
static u32 xsave_size(u64 xcr0, bool compacted)
{
	u32 size = XSAVE_MIN_SIZE;
	struct cpuid_regs r;

	for (unsigned int i = 2; i < 63; i++) {
		if (!(xcr0 & BIT(i)))
			continue;
		cpuid_count(0xd, i, &r);
		if (compacted) {
			if (r.ecx & BIT(1))
				size = ALIGN_UP(size, 64);
			size += r.eax;
		} else if (r.ebx + r.eax > size) {
			size = r.ebx + r.eax;
		}
	}
	return size;
}

static void xsave_leaf(const struct vcpu *vcpu, u32 subleaf,
		       struct cpuid_regs *r)
{
	u64 allowed = guest_xcr0_supported();

	if (!allowed) {
		*r = (struct cpuid_regs){ 0 };
	} else if (subleaf == 0) {
		r->eax = (u32)allowed;
		r->edx = allowed >> 32;
		r->ebx = xsave_size(vcpu->xcr0, false);
		r->ecx = xsave_size(allowed, false);
	} else if (subleaf == 1) {
		r->eax &= LEAFD1_EAX;
		r->ebx = r->eax & CPUID_D1_EAX_XSAVEC ?
			 xsave_size(vcpu->xcr0, true) : 0;
		r->ecx = r->edx = 0;
	} else if (subleaf >= 63 || !(allowed & BIT(subleaf))) {
		*r = (struct cpuid_regs){ 0 };
	}
}

static void leaf1(const struct vcpu *vcpu, struct cpuid_regs *r)
{
	u64 xcr0 = guest_xcr0_supported();
	u32 ecx = LEAF1_ECX, edx = LEAF1_EDX;
	u32 apic = CPUID_1_ECX_X2APIC | CPUID_1_ECX_TSC_DEADLINE;

	if (guest_has_pat())
		edx |= CPUID_1_EDX_PAT;
	if (xcr0) {
		ecx |= CPUID_1_ECX_XSAVE;
		/* OSXSAVE mirrors the guest's CR4, not ours. */
		if (vcpu->cr4 & X86_CR4_OSXSAVE)
			ecx |= CPUID_1_ECX_OSXSAVE;
	}
	if (xcr0 & XCR0_AVX)
		ecx |= LEAF1_ECX_AVX;
	/* Brand index and CLFLUSH size; one logical processor, APIC ID 0. */
	r->ebx &= 0xffff;
	r->ecx = (r->ecx & ecx & ~CPUID_1_ECX_OSXSAVE) |
		 (ecx & CPUID_1_ECX_OSXSAVE) | CPUID_1_ECX_HYPERVISOR;
	r->edx &= edx;
	/*
	 * The local APIC is emulated (hv/dev/lapic.c), whatever the host
	 * has: xAPIC and x2APIC, with the TSC-deadline timer.
	 */
	r->ecx |= apic;
	r->edx |= CPUID_1_EDX_APIC;
}

static void leaf7(u32 subleaf, struct cpuid_regs *r)
{
	u64 xcr0 = guest_xcr0_supported();
	u32 ebx = LEAF7_EBX, ecx = LEAF7_ECX;

	if (subleaf != 0) {
		*r = (struct cpuid_regs){ 0 };
		return;
	}
	if (xcr0 & XCR0_AVX) {
		ebx |= LEAF7_EBX_AVX;
		ecx |= LEAF7_ECX_AVX;
	}
	if ((xcr0 & XCR0_AVX512) == XCR0_AVX512) {
		ebx |= LEAF7_EBX_AVX512;
		ecx |= LEAF7_ECX_AVX512;
	}
	/* RDPID reads IA32_TSC_AUX, under "enable RDTSCP" as RDTSCP does. */
	if (guest_has_rdtscp())
		ecx |= CPUID_7_ECX_RDPID;
	r->eax = 0;		/* subleaf 0 is the only one */
	r->ebx &= ebx;
	r->ecx &= ecx;
	r->edx &= LEAF7_EDX;
}

static void basic_leaf(const struct vcpu *vcpu, u32 leaf, u32 subleaf,
		       struct cpuid_regs *r)
{
	switch (leaf) {
	case 0:
		r->eax = max_basic_leaf();
		break;
	case 1:
		leaf1(vcpu, r);
		break;
	case 2:
		break;		/* cache and TLB descriptors */
	case 4:
		/* Cache parameters; one core, one thread sharing each cache. */
		r->eax &= 0x3fff;
		break;
	case 7:
		leaf7(subleaf, r);
		break;
	case 0xd:
		xsave_leaf(vcpu, subleaf, r);
		break;
	default:
		/* MONITOR, power, PMU (0xA), topology: nothing. */
		*r = (struct cpuid_regs){ 0 };
		break;
	}
}

static void ext_leaf(u32 leaf, struct cpuid_regs *r)
{
	switch (leaf) {
	case 0x80000000:
		*r = (struct cpuid_regs){ .eax = max_ext_leaf() };
		break;
	case 0x80000001: {
		u32 edx = LEAF81_EDX;

		if (guest_has_rdtscp())
			edx |= CPUID_81_EDX_RDTSCP;
		r->ebx = 0;
		r->ecx &= LEAF81_ECX;
		r->edx &= edx;
		break;
	}
	case 0x80000002:
	case 0x80000003:
	case 0x80000004:
	case 0x80000006:
		break;		/* brand string, L2 cache */
	case 0x80000007:
		/* The guest reads the host's TSC: invariant if it is. */
		*r = (struct cpuid_regs){
			.edx = r->edx & CPUID_87_EDX_INVARIANT_TSC };
		break;
	case 0x80000008:
		/* Physical and linear address sizes; nothing in EBX. */
		*r = (struct cpuid_regs){ .eax = r->eax & 0xffff };
		break;
	default:
		*r = (struct cpuid_regs){ 0 };
		break;
	}
}

/* What the guest reads for @leaf, @subleaf (hypervisor range aside). */
static void guest_leaf(const struct vcpu *vcpu, u32 leaf, u32 subleaf,
		       struct cpuid_regs *r)
{
	u32 max_basic = max_basic_leaf();
	bool ext = leaf >= 0x80000000u;

	/*
	 * A leaf above the highest basic or extended one returns the data
	 * of the highest basic leaf (SDM 2, CPUID), as Intel processors do.
	 */
	if ((ext && leaf > max_ext_leaf()) || (!ext && leaf > max_basic)) {
		leaf = max_basic;
		ext = false;
	}
	cpuid_count(leaf, subleaf, r);
	if (ext)
		ext_leaf(leaf, r);
	else
		basic_leaf(vcpu, leaf, subleaf, r);
}

struct exit_action handle_cpuid(struct vcpu *vcpu, const struct vmx_exit *exit)
{
	u64 *gpr = vcpu->vmx.gpr;
	u32 leaf = gpr[GPR_RAX], subleaf = gpr[GPR_RCX];
	struct cpuid_regs r;

	if ((leaf & 0xffff0000u) == APERTURE_CPUID_LEAF)
		aperture_leaf(leaf, &r);
	else
		guest_leaf(vcpu, leaf, subleaf, &r);
	/* CPUID writes EAX-EDX whole, zeroing the upper halves (SDM 2). */
	gpr[GPR_RAX] = r.eax;
	gpr[GPR_RBX] = r.ebx;
	gpr[GPR_RCX] = r.ecx;
	gpr[GPR_RDX] = r.edx;
	return act_skip(exit->instr_len);
}
