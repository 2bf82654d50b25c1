// SPDX-License-Identifier: MIT
/*
 * The CPUID allowlist (hv/exit/cpuid.c) against a host that has every
 * feature bit set: exactly the allowed bits come through, and every MSR
 * an advertised feature implies exists for the guest (SDM 4 Table 2-2).
 * docs/guest-contract.md states the same policy in words.
 */
#define UNIT_SUITE "cpuid"
#include "unit.h"

#include <lib/x86.h>
#include <hv/exit/cr.h>
#include <hv/exit/exit.h>
#include <hv/vm.h>
#include "../fake/fake.h"

static struct vm *vm;
static struct vcpu *vcpu;
static u64 *gpr;

/* A host with everything: all feature bits, AVX-512, MPX, AMX, PKRU. */
static void setup(void)
{
	fake_reset();
	fake_set_cpuid(0, 0, 0x20, 0x756e6547, 0x6c65746e, 0x49656e69);
	fake_set_cpuid(1, 0, 0x000906ea, 0xff100800, ~0u, ~0u);
	fake_set_cpuid(7, 0, 2, ~0u, ~0u, ~0u);
	fake_set_cpuid(7, 1, ~0u, ~0u, ~0u, ~0u);
	fake_set_cpuid(0xa, 0, 0x07300805, 0, 0, 0x603);
	fake_set_cpuid(0xd, 0, 0x602ff, 0xa88, 0x2b00, 0);
	fake_set_cpuid(0xd, 1, 0x1f, 0xa88, 0x1900, 0);
	fake_set_cpuid(0xd, 2, 256, 576, 0, 0);
	fake_set_cpuid(0xd, 3, 64, 960, 0, 0);
	fake_set_cpuid(0xd, 5, 64, 1088, 0, 0);
	fake_set_cpuid(0xd, 6, 512, 1152, 0, 0);
	fake_set_cpuid(0xd, 7, 1024, 1664, 0, 0);
	fake_set_cpuid(0x80000000, 0, 0x80000008, 0, 0, 0);
	fake_set_cpuid(0x80000001, 0, 0, ~0u, ~0u, ~0u);
	fake_set_cpuid(0x80000007, 0, ~0u, ~0u, ~0u, ~0u);
	fake_set_cpuid(0x80000008, 0, 0x3030, ~0u, ~0u, ~0u);
	vm = fake_vm_create(0, CFG_INVALIDATE_TARGETED);
	vcpu = &vm->vcpu;
	gpr = vcpu->vmx.gpr;
}

static void teardown(void)
{
	fake_vm_destroy(vm);
}

static void guest_cpuid(u32 leaf, u32 subleaf)
{
	CHECK_EQ(fake_guest_cpuid(vcpu, leaf, subleaf).kind, EXIT_SKIP);
}

static bool msr_exists(u32 msr)
{
	struct vmx_exit e = { .kind = VMX_EXIT_MSR_READ, .instr_len = 2 };
	struct exit_action act;

	gpr[GPR_RCX] = msr;
	act = exit_handle(vcpu, &e);
	return act.kind == EXIT_SKIP;
}

static void test_leaf0_caps_the_basic_leaves(void)
{
	setup();
	guest_cpuid(0, 0);
	CHECK_EQ(gpr[GPR_RAX], 0xd);
	CHECK_EQ(gpr[GPR_RBX], 0x756e6547);	/* "GenuineIntel" */
	guest_cpuid(0x80000000, 0);
	CHECK_EQ(gpr[GPR_RAX], 0x80000008);
	teardown();
}

static void test_leaf1_is_the_allowlist(void)
{
	setup();
	guest_cpuid(1, 0);
	CHECK_EQ(gpr[GPR_RAX], 0x000906ea);
	CHECK_EQ(gpr[GPR_RBX], 0x0800);
	CHECK_EQ(gpr[GPR_RDX],
		 CPUID_1_EDX_FPU | CPUID_1_EDX_DE | CPUID_1_EDX_PSE |
		 CPUID_1_EDX_TSC | CPUID_1_EDX_MSR | CPUID_1_EDX_PAE |
		 CPUID_1_EDX_CX8 | CPUID_1_EDX_APIC | CPUID_1_EDX_SEP |
		 CPUID_1_EDX_PGE | CPUID_1_EDX_CMOV | CPUID_1_EDX_PAT |
		 CPUID_1_EDX_PSE36 | CPUID_1_EDX_CLFSH | CPUID_1_EDX_MMX |
		 CPUID_1_EDX_FXSR | CPUID_1_EDX_SSE | CPUID_1_EDX_SSE2);
	CHECK_EQ(gpr[GPR_RCX],
		 CPUID_1_ECX_SSE3 | CPUID_1_ECX_PCLMULQDQ | CPUID_1_ECX_SSSE3 |
		 CPUID_1_ECX_FMA | CPUID_1_ECX_CX16 | CPUID_1_ECX_SSE41 |
		 CPUID_1_ECX_SSE42 | CPUID_1_ECX_MOVBE | CPUID_1_ECX_POPCNT |
		 CPUID_1_ECX_AES | CPUID_1_ECX_XSAVE | CPUID_1_ECX_AVX |
		 CPUID_1_ECX_F16C | CPUID_1_ECX_RDRAND |
		 CPUID_1_ECX_X2APIC | CPUID_1_ECX_TSC_DEADLINE |
		 CPUID_1_ECX_HYPERVISOR);
	teardown();
}

/* Every hidden bit by name: what cr.c, msr.c or the VMCS does not back. */
static void test_leaf1_hides_what_is_not_backed(void)
{
	static const u32 edx_hidden[] = {
		CPUID_1_EDX_VME, CPUID_1_EDX_MCE,
		CPUID_1_EDX_MTRR, CPUID_1_EDX_MCA, CPUID_1_EDX_PSN,
		CPUID_1_EDX_DS, CPUID_1_EDX_ACPI, CPUID_1_EDX_SS,
		CPUID_1_EDX_HTT, CPUID_1_EDX_TM, CPUID_1_EDX_PBE,
	};
	static const u32 ecx_hidden[] = {
		CPUID_1_ECX_DTES64, CPUID_1_ECX_MONITOR, CPUID_1_ECX_DS_CPL,
		CPUID_1_ECX_VMX, CPUID_1_ECX_SMX, CPUID_1_ECX_EIST,
		CPUID_1_ECX_TM2, CPUID_1_ECX_SDBG, CPUID_1_ECX_XTPR,
		CPUID_1_ECX_PDCM, CPUID_1_ECX_PCID, CPUID_1_ECX_DCA,
		CPUID_1_ECX_OSXSAVE,
	};

	setup();
	guest_cpuid(1, 0);
	for (unsigned int i = 0; i < ARRAY_SIZE(edx_hidden); i++)
		CHECK(!(gpr[GPR_RDX] & edx_hidden[i]));
	for (unsigned int i = 0; i < ARRAY_SIZE(ecx_hidden); i++)
		CHECK(!(gpr[GPR_RCX] & ecx_hidden[i]));
	teardown();
}

static void test_leaf7_is_the_allowlist(void)
{
	setup();
	guest_cpuid(7, 0);
	CHECK_EQ(gpr[GPR_RAX], 0);
	CHECK(gpr[GPR_RBX] & CPUID_7_EBX_AVX2);
	CHECK(gpr[GPR_RBX] & CPUID_7_EBX_AVX512F);
	CHECK(!(gpr[GPR_RBX] & (CPUID_7_EBX_FSGSBASE | CPUID_7_EBX_TSC_ADJUST |
				CPUID_7_EBX_HLE | CPUID_7_EBX_SMEP |
				CPUID_7_EBX_INVPCID | CPUID_7_EBX_RTM |
				CPUID_7_EBX_MPX | CPUID_7_EBX_SMAP |
				CPUID_7_EBX_PT)));
	CHECK(!(gpr[GPR_RCX] & (CPUID_7_ECX_UMIP | CPUID_7_ECX_PKU |
				CPUID_7_ECX_WAITPKG | CPUID_7_ECX_LA57)));
	CHECK(gpr[GPR_RCX] & CPUID_7_ECX_RDPID);
	CHECK_EQ(gpr[GPR_RDX], CPUID_7_EDX_FSRM);
	guest_cpuid(7, 1);
	CHECK_EQ(gpr[GPR_RAX] | gpr[GPR_RBX] | gpr[GPR_RCX] | gpr[GPR_RDX], 0);
	teardown();
}

/* No PMU (leaf 0xA), no MONITOR leaf, no topology leaf. */
static void test_unbacked_leaves_are_zero(void)
{
	static const u32 leaves[] = { 3, 5, 6, 0xa, 0xb };

	setup();
	for (unsigned int i = 0; i < ARRAY_SIZE(leaves); i++) {
		guest_cpuid(leaves[i], 0);
		CHECK_EQ(gpr[GPR_RAX] | gpr[GPR_RBX] | gpr[GPR_RCX] |
			 gpr[GPR_RDX], 0);
	}
	teardown();
}

/* Above the highest leaf: the highest basic leaf's data (SDM 2, CPUID). */
static void test_leaf_above_max_reads_highest_basic_leaf(void)
{
	u64 eax;

	setup();
	guest_cpuid(0xd, 0);
	eax = gpr[GPR_RAX];
	guest_cpuid(0x14, 0);
	CHECK_EQ(gpr[GPR_RAX], eax);
	guest_cpuid(0x80000020, 0);
	CHECK_EQ(gpr[GPR_RAX], eax);
	teardown();
}

/*
 * Leaf 0xD tells of the XCR0 components XSETBV accepts (x87, SSE, AVX,
 * AVX-512; not MPX, PKRU or AMX), and the sizes follow the guest's XCR0.
 */
static void test_xsave_leaf_matches_accepted_xcr0(void)
{
	u64 allowed = XCR0_X87 | XCR0_SSE | XCR0_AVX | XCR0_AVX512;

	setup();
	guest_cpuid(0xd, 0);
	CHECK_EQ(gpr[GPR_RAX], allowed);
	CHECK_EQ(gpr[GPR_RDX], 0);
	CHECK_EQ(gpr[GPR_RBX], 576);		/* XCR0 = x87 at reset */
	CHECK_EQ(gpr[GPR_RCX], 1664 + 1024);
	guest_cpuid(0xd, 1);
	CHECK_EQ(gpr[GPR_RAX], CPUID_D1_EAX_XSAVEOPT | CPUID_D1_EAX_XSAVEC |
				CPUID_D1_EAX_XGETBV1);
	guest_cpuid(0xd, 3);			/* MPX: not offered */
	CHECK_EQ(gpr[GPR_RAX], 0);
	guest_cpuid(0xd, 2);
	CHECK_EQ(gpr[GPR_RAX], 256);
	CHECK_EQ(gpr[GPR_RBX], 576);
	teardown();
}

static void test_extended_leaves(void)
{
	setup();
	guest_cpuid(0x80000001, 0);
	CHECK_EQ(gpr[GPR_RCX], CPUID_81_ECX_LAHF | CPUID_81_ECX_LZCNT |
				CPUID_81_ECX_PREFETCHW);
	CHECK_EQ(gpr[GPR_RDX], CPUID_81_EDX_SYSCALL | CPUID_81_EDX_NX |
				CPUID_81_EDX_PAGE1GB | CPUID_81_EDX_RDTSCP |
				CPUID_81_EDX_LM);
	guest_cpuid(0x80000007, 0);
	CHECK_EQ(gpr[GPR_RDX], CPUID_87_EDX_INVARIANT_TSC);
	guest_cpuid(0x80000008, 0);
	CHECK_EQ(gpr[GPR_RAX], 0x3030);
	CHECK_EQ(gpr[GPR_RBX], 0);
	teardown();
}

/* Each advertised feature's MSRs exist (SDM 4 Table 2-2). */
static void test_advertised_features_have_their_msrs(void)
{
	u64 edx;

	setup();
	guest_cpuid(1, 0);
	if (gpr[GPR_RDX] & CPUID_1_EDX_SEP) {
		CHECK(msr_exists(MSR_IA32_SYSENTER_CS));
		CHECK(msr_exists(MSR_IA32_SYSENTER_ESP));
		CHECK(msr_exists(MSR_IA32_SYSENTER_EIP));
	}
	guest_cpuid(1, 0);
	if (gpr[GPR_RDX] & CPUID_1_EDX_PAT)
		CHECK(msr_exists(MSR_IA32_PAT));
	guest_cpuid(1, 0);
	if (gpr[GPR_RDX] & CPUID_1_EDX_TSC)
		CHECK(msr_exists(MSR_IA32_TSC));
	guest_cpuid(0x80000001, 0);
	edx = gpr[GPR_RDX];
	CHECK(edx & CPUID_81_EDX_LM);
	if (edx & (CPUID_81_EDX_LM | CPUID_81_EDX_SYSCALL)) {
		CHECK(msr_exists(MSR_IA32_EFER));
		CHECK(msr_exists(MSR_IA32_STAR));
		CHECK(msr_exists(MSR_IA32_LSTAR));
		CHECK(msr_exists(MSR_IA32_CSTAR));
		CHECK(msr_exists(MSR_IA32_FMASK));
		CHECK(msr_exists(MSR_IA32_KERNEL_GS_BASE));
		CHECK(msr_exists(MSR_IA32_FS_BASE));
		CHECK(msr_exists(MSR_IA32_GS_BASE));
	}
	CHECK(edx & CPUID_81_EDX_RDTSCP);
	CHECK(msr_exists(MSR_IA32_TSC_AUX));
	/* The emulated local APIC: xAPIC base, x2APIC, TSC deadline. */
	CHECK(msr_exists(MSR_IA32_APIC_BASE));
	CHECK(msr_exists(MSR_IA32_TSC_DEADLINE));
	/* Hidden features: their MSRs do not exist. */
	CHECK(!msr_exists(0xfe));		/* IA32_MTRRCAP */
	CHECK(!msr_exists(0x179));		/* IA32_MCG_CAP */
	CHECK(!msr_exists(0xc1));		/* IA32_PMC0 */
	CHECK(!msr_exists(0x3b));		/* IA32_TSC_ADJUST */
	teardown();
}

/* XSETBV refuses what leaf 0xD does not offer, even if the host has it. */
static void test_xsetbv_refuses_unadvertised_components(void)
{
	struct vmx_exit e = { .kind = VMX_EXIT_XSETBV, .instr_len = 3 };
	struct exit_action act;

	setup();
	CHECK_EQ(vcpu_set_cr4(vcpu, X86_CR4_OSXSAVE), CR_OK);
	gpr[GPR_RCX] = 0;
	gpr[GPR_RAX] = XCR0_X87 | XCR0_SSE | XCR0_BNDREGS | XCR0_BNDCSR;
	gpr[GPR_RDX] = 0;
	act = exit_handle(vcpu, &e);
	CHECK_EQ(act.kind, EXIT_INJECT);
	CHECK_EQ(act.exc.vector, X86_VEC_GP);
	gpr[GPR_RAX] = XCR0_X87 | XCR0_SSE | XCR0_AVX | XCR0_AVX512;
	act = exit_handle(vcpu, &e);
	CHECK_EQ(act.kind, EXIT_SKIP);
	guest_cpuid(0xd, 0);
	CHECK_EQ(gpr[GPR_RBX], 1664 + 1024);
	teardown();
}

int main(void)
{
	RUN(test_leaf0_caps_the_basic_leaves);
	RUN(test_leaf1_is_the_allowlist);
	RUN(test_leaf1_hides_what_is_not_backed);
	RUN(test_leaf7_is_the_allowlist);
	RUN(test_unbacked_leaves_are_zero);
	RUN(test_leaf_above_max_reads_highest_basic_leaf);
	RUN(test_xsave_leaf_matches_accepted_xcr0);
	RUN(test_extended_leaves);
	RUN(test_advertised_features_have_their_msrs);
	RUN(test_xsetbv_refuses_unadvertised_components);
	return unit_done();
}
