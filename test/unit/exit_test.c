// SPDX-License-Identifier: MIT
/*
 * The exit layer (hv/exit/exit.c and the handlers of hv/exit/) on the fake
 * VMX layer: hand-built decoded exits go through exit_handle(), the test
 * checks the action it returns, then exit_apply() and what that did to the
 * "hardware" (fake_vmx) and to the VM.  The last cases run whole scripted
 * exit sequences through the run loop, vcpu_run().
 *
 * Cases named sdm_* check an architectural rule the code did not follow
 * when they were written; they are written to the SDM, not to the code.
 */
#define UNIT_SUITE "exit"
#include "unit.h"

#include <lib/string.h>
#include <lib/x86.h>
#include <hv/cpu/host_state.h>
#include <hv/exit/cr.h>
#include <hv/exit/exit.h>
#include <hv/vm.h>
#include "../fake/fake.h"

#define RIP0		0x100000ull
#define TABLES		0x200000ull

static struct vm *vm;
static struct vcpu *vcpu;
static u64 *gpr;

/* The emulated local APIC is always shown: x2APIC, TSC-deadline timer. */
#define APIC_ECX	(CPUID_1_ECX_X2APIC | CPUID_1_ECX_TSC_DEADLINE)

static void setup(void)
{
	vm = fake_guest_create();
	vcpu = &vm->vcpu;
	gpr = vcpu->vmx.gpr;
	CHECK_EQ(fake_vmx.reg[VMX_REG_RIP], RIP0);
}

static void teardown(void)
{
	fake_vm_destroy(vm);
}

/* IA-32e mode (SDM 3A 9.8.5); 64-bit code unless @compat. */
static void enter_long(bool compat)
{
	fake_tables_long(vm, TABLES);
	CHECK_EQ(vcpu_set_cr4(vcpu, X86_CR4_PAE), CR_OK);
	CHECK_EQ(vcpu_set_cr3(vcpu, TABLES), CR_OK);
	CHECK_EQ(vcpu_set_efer(vcpu, EFER_LME), CR_OK);
	CHECK_EQ(vcpu_set_cr0(vcpu, X86_CR0_PE | X86_CR0_PG), CR_OK);
	CHECK(vcpu->efer & EFER_LMA);
	fake_vmx.reg[VMX_REG_CS_AR] = (compat ? X86_AR_DB : X86_AR_L) | 0x9b;
}

/* The action was "skip @len bytes", and it was applied. */
static void check_skipped(const struct exit_action *act, u32 len)
{
	CHECK_EQ(act->kind, EXIT_SKIP);
	CHECK_EQ(act->len, len);
	CHECK_EQ(fake_vmx.reg[VMX_REG_RIP], RIP0 + len);
	CHECK_EQ(fake_vmx.skips, 1);
	CHECK(!fake_vmx.injected);
}

/* The action was #GP(0), applied, and the instruction did not retire. */
static void check_gp(const struct exit_action *act)
{
	CHECK_EQ(act->kind, EXIT_INJECT);
	CHECK_EQ(act->exc.vector, X86_VEC_GP);
	CHECK(act->exc.has_errcode);
	CHECK_EQ(act->exc.errcode, 0);
	CHECK(fake_vmx.injected);
	CHECK_EQ(fake_vmx.inject.vector, X86_VEC_GP);
	CHECK(fake_vmx.inject.has_errcode);
	CHECK_EQ(fake_vmx.inject.errcode, 0);
	CHECK_EQ(fake_vmx.reg[VMX_REG_RIP], RIP0);
	CHECK_EQ(fake_vmx.skips, 0);
}

static void check_ud(const struct exit_action *act)
{
	CHECK_EQ(act->kind, EXIT_INJECT);
	CHECK_EQ(act->exc.vector, X86_VEC_UD);
	CHECK(!act->exc.has_errcode);
	CHECK(fake_vmx.injected);
	CHECK_EQ(fake_vmx.inject.vector, X86_VEC_UD);
	CHECK(!fake_vmx.inject.has_errcode);
	CHECK_EQ(fake_vmx.reg[VMX_REG_RIP], RIP0);
}

static struct exit_action guest_xsetbv(u32 ecx, u64 val)
{
	struct vmx_exit e = { .kind = VMX_EXIT_XSETBV, .instr_len = 3 };

	gpr[GPR_RCX] = ecx;
	gpr[GPR_RAX] = (u32)val;
	gpr[GPR_RDX] = val >> 32;
	return fake_exit(vcpu, &e);
}

static struct exit_action guest_vmcall(u64 nr, u64 a0)
{
	struct vmx_exit e = { .kind = VMX_EXIT_VMCALL, .instr_len = 3 };

	gpr[GPR_RAX] = nr;
	gpr[GPR_RBX] = a0;
	return fake_exit(vcpu, &e);
}

static void test_cpuid_hides_vmx_and_sets_hypervisor_bit(void)
{
	u32 ecx = CPUID_1_ECX_VMX | CPUID_1_ECX_SMX | CPUID_1_ECX_PCID |
		  CPUID_1_ECX_X2APIC | CPUID_1_ECX_XSAVE | CPUID_1_ECX_AVX |
		  CPUID_1_ECX_OSXSAVE | BIT(0) | BIT(9);
	struct exit_action act;

	setup();
	fake_set_cpuid(1, 0, 0x000906ea, 0x00100800, ecx, 0xbfebfbff);
	/* EAX and ECX inputs are 32 bits: upper halves are ignored. */
	act = fake_guest_cpuid(vcpu, 0xffffffff00000001ull,
			       0xffffffff00000000ull);
	check_skipped(&act, 2);
	CHECK_EQ(gpr[GPR_RAX], 0x000906ea);
	/* One logical processor, APIC ID 0: bits 31:16 are cleared. */
	CHECK_EQ(gpr[GPR_RBX], 0x00000800);
	CHECK_EQ(gpr[GPR_RCX], BIT(0) | BIT(9) | CPUID_1_ECX_XSAVE |
				CPUID_1_ECX_AVX | CPUID_1_ECX_HYPERVISOR |
				APIC_ECX);
	/* The allowlist (cpuid.c): no VME, MTRR, MCE, MCA, DS... */
	CHECK_EQ(gpr[GPR_RDX], CPUID_1_EDX_APIC | (0xbfebfbff &
		 (CPUID_1_EDX_FPU | CPUID_1_EDX_DE | CPUID_1_EDX_PSE |
		  CPUID_1_EDX_TSC | CPUID_1_EDX_MSR | CPUID_1_EDX_PAE |
		  CPUID_1_EDX_CX8 | CPUID_1_EDX_SEP | CPUID_1_EDX_PGE |
		  CPUID_1_EDX_CMOV | CPUID_1_EDX_PAT | CPUID_1_EDX_PSE36 |
		  CPUID_1_EDX_CLFSH | CPUID_1_EDX_MMX | CPUID_1_EDX_FXSR |
		  CPUID_1_EDX_SSE | CPUID_1_EDX_SSE2)));
	teardown();
}

static void test_cpuid_osxsave_mirrors_guest_cr4(void)
{
	setup();
	fake_set_cpuid(1, 0, 0, 0, CPUID_1_ECX_XSAVE, 0);
	CHECK_EQ(vcpu_set_cr4(vcpu, X86_CR4_OSXSAVE), CR_OK);
	fake_guest_cpuid(vcpu, 1, 0);
	CHECK_EQ(gpr[GPR_RCX], CPUID_1_ECX_XSAVE | CPUID_1_ECX_OSXSAVE |
				CPUID_1_ECX_HYPERVISOR | APIC_ECX);
	teardown();
}

static void test_cpuid_hides_xsave_without_host_xsave(void)
{
	setup();
	fake_cpu.osxsave = false;
	fake_set_cpuid(1, 0, 0, 0, CPUID_1_ECX_XSAVE | CPUID_1_ECX_AVX, 0);
	fake_guest_cpuid(vcpu, 1, 0);
	CHECK_EQ(gpr[GPR_RCX], CPUID_1_ECX_HYPERVISOR | APIC_ECX);
	teardown();
}

static void test_cpuid_leaf7_hides_refused_cr4_features(void)
{
	setup();
	fake_set_cpuid(7, 0, 0,
		       CPUID_7_EBX_FSGSBASE | CPUID_7_EBX_SMEP |
		       CPUID_7_EBX_INVPCID | CPUID_7_EBX_SMAP | BIT(3),
		       CPUID_7_ECX_UMIP | CPUID_7_ECX_PKU | CPUID_7_ECX_LA57 |
		       CPUID_7_ECX_GFNI, 0);
	fake_guest_cpuid(vcpu, 7, 0);
	CHECK_EQ(gpr[GPR_RBX], BIT(3));
	CHECK_EQ(gpr[GPR_RCX], CPUID_7_ECX_GFNI);
	teardown();
}

static void test_cpuid_aperture_leaf_signature(void)
{
	struct exit_action act;

	setup();
	fake_set_cpuid(0x40000001, 0, 1, 2, 3, 4);	/* never the host's */
	act = fake_guest_cpuid(vcpu, APERTURE_CPUID_LEAF, 0);
	check_skipped(&act, 2);
	CHECK_EQ(gpr[GPR_RAX], APERTURE_CPUID_LEAF);
	CHECK_EQ(gpr[GPR_RBX], APERTURE_CPUID_SIG_EBX);
	CHECK_EQ(gpr[GPR_RCX], APERTURE_CPUID_SIG_ECX);
	CHECK_EQ(gpr[GPR_RDX], APERTURE_CPUID_SIG_EDX);
	fake_guest_cpuid(vcpu, APERTURE_CPUID_LEAF + 1, 0);
	CHECK_EQ(gpr[GPR_RAX], 0);
	CHECK_EQ(gpr[GPR_RBX], 0);
	CHECK_EQ(gpr[GPR_RCX], 0);
	CHECK_EQ(gpr[GPR_RDX], 0);
	teardown();
}

static void test_rdmsr_efer_returns_guest_efer_in_edx_eax(void)
{
	struct exit_action act;

	setup();
	CHECK_EQ(vcpu_set_efer(vcpu, EFER_LME | EFER_NXE), CR_OK);
	gpr[GPR_RAX] = gpr[GPR_RDX] = ~0ull;
	act = fake_guest_rdmsr(vcpu, MSR_IA32_EFER, NULL);
	check_skipped(&act, 2);
	CHECK_EQ(gpr[GPR_RAX], EFER_LME | EFER_NXE);
	CHECK_EQ(gpr[GPR_RDX], 0);
	teardown();
}

static void test_rdmsr_pat_splits_high_half_into_edx(void)
{
	setup();
	fake_vmx.reg[VMX_REG_PAT] = 0x0007010600070406ull;
	fake_guest_rdmsr(vcpu, MSR_IA32_PAT, NULL);
	CHECK_EQ(gpr[GPR_RAX], 0x00070406);
	CHECK_EQ(gpr[GPR_RDX], 0x00070106);
	teardown();
}

static void test_rdmsr_tsc_reads_the_host_tsc(void)
{
	setup();
	fake_cpu.tsc = 0x123456789aull;
	fake_guest_rdmsr(vcpu, MSR_IA32_TSC, NULL);
	CHECK_EQ(gpr[GPR_RAX], 0x3456789a);
	CHECK_EQ(gpr[GPR_RDX], 0x12);
	teardown();
}

static void test_rdmsr_unknown_msr_injects_gp(void)
{
	struct exit_action act;

	setup();
	gpr[GPR_RAX] = 0x1111;
	gpr[GPR_RDX] = 0x2222;
	act = fake_guest_rdmsr(vcpu, 0x12345, NULL);
	check_gp(&act);
	CHECK_EQ(gpr[GPR_RAX], 0x1111);
	CHECK_EQ(gpr[GPR_RDX], 0x2222);
	teardown();
}

static void test_wrmsr_pat_checks_memory_types(void)
{
	struct exit_action act;

	setup();
	fake_vmx.reg[VMX_REG_PAT] = 0x0007040600070406ull;
	/* Type 2. */
	act = fake_guest_wrmsr(vcpu, MSR_IA32_PAT, 0x0007040600070206ull);
	check_gp(&act);
	CHECK_EQ(fake_vmx.reg[VMX_REG_PAT], 0x0007040600070406ull);
	fake_vmx.injected = false;
	/* Type 8. */
	act = fake_guest_wrmsr(vcpu, MSR_IA32_PAT, 0x0800000000000000ull);
	check_gp(&act);
	teardown();

	setup();
	act = fake_guest_wrmsr(vcpu, MSR_IA32_PAT, 0x0001050600070406ull);
	check_skipped(&act, 2);
	CHECK_EQ(fake_vmx.reg[VMX_REG_PAT], 0x0001050600070406ull);
	teardown();
}

static void test_wrmsr_fs_base_non_canonical_injects_gp(void)
{
	struct exit_action act;

	setup();
	act = fake_guest_wrmsr(vcpu, MSR_IA32_FS_BASE, 0x0000800000000000ull);
	check_gp(&act);
	CHECK_EQ(fake_vmx.reg[VMX_REG_FS_BASE], 0);
	teardown();

	setup();
	act = fake_guest_wrmsr(vcpu, MSR_IA32_GS_BASE, 0xffff800000001000ull);
	check_skipped(&act, 2);
	CHECK_EQ(fake_vmx.reg[VMX_REG_GS_BASE], 0xffff800000001000ull);
	teardown();
}

static void test_wrmsr_sysenter_msrs_are_written(void)
{
	setup();
	fake_guest_wrmsr(vcpu, MSR_IA32_SYSENTER_CS, 0x10);
	fake_guest_wrmsr(vcpu, MSR_IA32_SYSENTER_ESP, 0x7000);
	fake_guest_wrmsr(vcpu, MSR_IA32_SYSENTER_EIP, 0xc0001000);
	CHECK_EQ(fake_vmx.reg[VMX_REG_SYSENTER_CS], 0x10);
	CHECK_EQ(fake_vmx.reg[VMX_REG_SYSENTER_ESP], 0x7000);
	CHECK_EQ(fake_vmx.reg[VMX_REG_SYSENTER_EIP], 0xc0001000);
	CHECK_EQ(fake_vmx.skips, 3);
	fake_guest_rdmsr(vcpu, MSR_IA32_SYSENTER_EIP, NULL);
	CHECK_EQ(gpr[GPR_RAX], 0xc0001000);
	teardown();
}

static void test_wrmsr_efer_goes_through_the_efer_rules(void)
{
	struct exit_action act;

	setup();
	act = fake_guest_wrmsr(vcpu, MSR_IA32_EFER, EFER_NXE | EFER_SCE);
	check_skipped(&act, 2);
	CHECK_EQ(vcpu->efer, EFER_NXE | EFER_SCE);
	teardown();

	setup();
	act = fake_guest_wrmsr(vcpu, MSR_IA32_EFER, BIT(1));
	check_gp(&act);
	CHECK_EQ(vcpu->efer, 0);
	teardown();
}

static void test_wrmsr_unknown_msr_injects_gp(void)
{
	struct exit_action act;

	setup();
	act = fake_guest_wrmsr(vcpu, 0x12345, 1);
	check_gp(&act);
	teardown();
}

static void test_xsetbv_without_guest_osxsave_is_ud(void)
{
	struct exit_action act;

	setup();
	act = guest_xsetbv(0, XCR0_X87 | XCR0_SSE);
	check_ud(&act);
	CHECK_EQ(fake_cpu.xsetbv_calls, 0);
	teardown();
}

static void test_xsetbv_bad_values_are_gp(void)
{
	static const struct { u32 ecx; u64 val; } bad[] = {
		{ 0, XCR0_X87 | XCR0_AVX },		/* AVX without SSE */
		{ 1, XCR0_X87 },			/* no XCR1 */
		{ 0, XCR0_SSE },			/* x87 cleared */
		{ 0, XCR0_X87 | BIT(9) },		/* not supported */
		{ 0, XCR0_X87 | BIT(62) },
	};

	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct exit_action act;

		setup();
		CHECK_EQ(vcpu_set_cr4(vcpu, X86_CR4_OSXSAVE), CR_OK);
		act = guest_xsetbv(bad[i].ecx, bad[i].val);
		check_gp(&act);
		CHECK_EQ(fake_cpu.xsetbv_calls, 0);
		CHECK_EQ(fake_cpu.xcr0, XCR0_X87);
		CHECK_EQ(vcpu->xcr0, XCR0_X87);	/* the reset value */
		teardown();
	}
}

static void test_xsetbv_good_value_reaches_xcr0(void)
{
	struct exit_action act;

	setup();
	CHECK_EQ(vcpu_set_cr4(vcpu, X86_CR4_OSXSAVE), CR_OK);
	act = guest_xsetbv(0, XCR0_X87 | XCR0_SSE | XCR0_AVX);
	check_skipped(&act, 3);
	CHECK_EQ(fake_cpu.xcr0, XCR0_X87 | XCR0_SSE | XCR0_AVX);
	CHECK_EQ(fake_cpu.xsetbv_calls, 1);
	CHECK_EQ(vcpu->xcr0, XCR0_X87 | XCR0_SSE | XCR0_AVX);
	teardown();
}

/* A value the processor refuses after all: the fixup makes it #GP. */
static void test_xsetbv_fault_in_root_is_guest_gp(void)
{
	struct exit_action act;
	u64 before;

	setup();
	CHECK_EQ(vcpu_set_cr4(vcpu, X86_CR4_OSXSAVE), CR_OK);
	before = vcpu->xcr0;
	fake_cpu.xsetbv_faults = true;
	act = guest_xsetbv(0, XCR0_X87 | XCR0_SSE);
	check_gp(&act);
	CHECK_EQ(vcpu->xcr0, before);
	teardown();
}

static void test_hlt_kills_hlt(void)
{
	struct vmx_exit e = { .kind = VMX_EXIT_HLT, .instr_len = 1 };
	struct exit_action act;

	setup();
	act = fake_exit(vcpu, &e);
	CHECK(fake_killed_as(&act, "hlt"));
	CHECK(!act.end.dump);
	CHECK_EQ(vm->state, VM_KILLED);
	CHECK(!strcmp(vm->kill_reason, "hlt"));
	CHECK_EQ(fake_vmx.dumps, 0);
	teardown();
}

static void test_triple_fault_ends_as_triple_fault(void)
{
	struct vmx_exit e = { .kind = VMX_EXIT_TRIPLE_FAULT };
	struct exit_action act;

	setup();
	act = fake_exit(vcpu, &e);
	CHECK_EQ(act.kind, EXIT_END);
	CHECK_EQ(act.end.kind, END_TRIPLE_FAULT);
	CHECK_EQ(vm->state, VM_TRIPLE_FAULT);
	CHECK_EQ(fake_vmx.dumps, 1);
	teardown();
}

static void test_unhandled_exit_kills_with_dump(void)
{
	struct vmx_exit e = { .kind = VMX_EXIT_UNHANDLED, .reason = 99 };
	struct exit_action act;

	setup();
	act = fake_exit(vcpu, &e);
	CHECK(fake_killed_as(&act, "unhandled"));
	CHECK(act.end.dump);
	CHECK_EQ(vm->state, VM_KILLED);
	CHECK(!strcmp(vm->kill_reason, "unhandled"));
	CHECK_EQ(fake_vmx.dumps, 1);
	teardown();
}

static void test_unexpected_exception_exit_kills_with_dump(void)
{
	struct vmx_exit e = { .kind = VMX_EXIT_EXCEPTION,
			      .exc = { .vector = X86_VEC_DB } };
	struct exit_action act;

	setup();
	act = fake_exit(vcpu, &e);
	CHECK(fake_killed_as(&act, "exception"));
	CHECK_EQ(fake_vmx.dumps, 1);
	teardown();
}

static void test_invd_and_wbinvd_skip(void)
{
	struct vmx_exit invd = { .kind = VMX_EXIT_INVD, .instr_len = 2 };
	struct vmx_exit wbinvd = { .kind = VMX_EXIT_WBINVD, .instr_len = 2 };
	struct exit_action act;

	setup();
	act = fake_exit(vcpu, &invd);
	check_skipped(&act, 2);
	act = fake_exit(vcpu, &wbinvd);
	CHECK_EQ(act.kind, EXIT_SKIP);
	CHECK_EQ(fake_vmx.reg[VMX_REG_RIP], RIP0 + 4);
	teardown();
}

static void test_invlpg_skips_and_counts(void)
{
	struct vmx_exit e = { .kind = VMX_EXIT_INVLPG, .instr_len = 3,
			      .invlpg = { .gva = 0x1000 } };
	struct exit_action act;

	setup();
	act = fake_exit(vcpu, &e);
	check_skipped(&act, 3);
	CHECK_EQ(vm->stats.invlpg_exits, 1);
	teardown();
}

static void test_vmx_instruction_injects_ud(void)
{
	struct vmx_exit e = { .kind = VMX_EXIT_UD, .instr_len = 3 };
	struct exit_action act;

	setup();
	act = fake_exit(vcpu, &e);
	check_ud(&act);
	teardown();
}

static void test_host_interrupt_and_timer_resume(void)
{
	struct vmx_exit extint = { .kind = VMX_EXIT_EXTINT };
	struct vmx_exit timer = { .kind = VMX_EXIT_TIMER };
	struct exit_action act;

	setup();
	act = fake_exit(vcpu, &extint);
	CHECK_EQ(act.kind, EXIT_RESUME);
	CHECK_EQ(vm->stats.host_interrupts, 1);
	CHECK_EQ(fake_cpu.irq_windows, 1);
	act = fake_exit(vcpu, &timer);
	CHECK_EQ(act.kind, EXIT_RESUME);
	CHECK_EQ(vm->stats.timer_exits, 1);
	CHECK_EQ(vm->stats.exits, 2);
	CHECK_EQ(fake_vmx.reg[VMX_REG_RIP], RIP0);
	CHECK_EQ(vm->state, VM_RUNNING);
	teardown();
}

static void test_vmcall_from_cpl3_is_eperm(void)
{
	struct exit_action act;

	setup();
	fake_vmx.cpl = 3;
	act = guest_vmcall(APERTURE_HC_EXIT, 5);
	check_skipped(&act, 3);
	CHECK_EQ(gpr[GPR_RAX], (u64)-APERTURE_EPERM);
	CHECK_EQ(vm->state, VM_RUNNING);
	teardown();
}

static void test_vmcall_exit_ends_with_status(void)
{
	struct exit_action act;

	setup();
	act = guest_vmcall(APERTURE_HC_EXIT, 0x2a);
	CHECK_EQ(act.kind, EXIT_END);
	CHECK_EQ(act.end.kind, END_EXIT_STATUS);
	CHECK_EQ(act.end.status, 0x2a);
	CHECK_EQ(vm->state, VM_EXITED);
	CHECK_EQ(vm->exit_status, 0x2a);
	CHECK_EQ(fake_vmx.skips, 0);
	teardown();
}

static void test_vmcall_from_32bit_code_ignores_upper_halves(void)
{
	struct exit_action act;

	setup();
	act = guest_vmcall(0xffffffff00000000ull | APERTURE_HC_VERSION, 0);
	check_skipped(&act, 3);
	CHECK_EQ(gpr[GPR_RAX], APERTURE_ABI_VERSION);
	act = guest_vmcall(0x1234567800000000ull | APERTURE_HC_EXIT,
		     0xabcdef0000000007ull);
	CHECK_EQ(act.end.kind, END_EXIT_STATUS);
	CHECK_EQ(act.end.status, 7);
	CHECK_EQ(vm->exit_status, 7);
	teardown();
}

static void test_vmcall_from_32bit_code_returns_32bit_result(void)
{
	setup();
	guest_vmcall(0x7777, 0);	/* unknown: -KVM_ENOSYS, as EAX */
	CHECK_EQ(gpr[GPR_RAX], (u32)-APERTURE_ENOSYS_KVM);
	teardown();
}

static void test_vmcall_from_64bit_code_uses_whole_registers(void)
{
	struct exit_action act;

	setup();
	enter_long(false);
	act = guest_vmcall(0x100000000ull | APERTURE_HC_VERSION, 0);
	CHECK_EQ(act.kind, EXIT_SKIP);
	CHECK_EQ(gpr[GPR_RAX], (u64)-APERTURE_ENOSYS_KVM);
	act = guest_vmcall(APERTURE_HC_EXIT, 0x100000007ull);
	CHECK_EQ(act.end.kind, END_EXIT_STATUS);
	CHECK_EQ(act.end.status, 0x100000007ull);
	teardown();
}

/*
 * Compatibility mode is 32-bit code, where the upper halves of the GPRs
 * are undefined (SDM 1 3.4.1.1): the ABI's "32-bit guest" (hypercall.h)
 * is the code size, not EFER.LMA.
 */
static void test_sdm_vmcall_from_compat_mode_ignores_upper_halves(void)
{
	struct exit_action act;

	setup();
	enter_long(true);
	act = guest_vmcall(0xffffffff00000000ull | APERTURE_HC_EXIT,
		     0xabcdef0000000007ull);
	CHECK_EQ(act.kind, EXIT_END);
	CHECK_EQ(act.end.kind, END_EXIT_STATUS);
	CHECK_EQ(act.end.status, 7);
	teardown();
}

static void test_mov_from_cr3_into_rsp_writes_vmcs_rsp(void)
{
	struct vmx_exit e = { .kind = VMX_EXIT_CR_READ, .instr_len = 3,
			      .cr = { .cr = 3, .gpr = GPR_RSP } };
	struct exit_action act;

	setup();
	CHECK_EQ(vcpu_set_cr3(vcpu, TABLES), CR_OK);
	gpr[GPR_RSP] = 0x5555;
	act = fake_exit(vcpu, &e);
	check_skipped(&act, 3);
	CHECK_EQ(fake_vmx.reg[VMX_REG_RSP], TABLES);
	CHECK_EQ(gpr[GPR_RSP], 0x5555);
	e.cr.gpr = GPR_R9;
	fake_exit(vcpu, &e);
	CHECK_EQ(gpr[GPR_R9], TABLES);
	teardown();
}

static void test_mov_from_cr0_exit_kills_with_dump(void)
{
	struct vmx_exit e = { .kind = VMX_EXIT_CR_READ, .instr_len = 3,
			      .cr = { .cr = 0, .gpr = GPR_RAX } };
	struct exit_action act;

	setup();
	act = fake_exit(vcpu, &e);
	CHECK(fake_killed_as(&act, "cr"));
	CHECK_EQ(fake_vmx.dumps, 1);
	teardown();
}

static void test_exits_are_counted(void)
{
	struct vmx_exit e = { .kind = VMX_EXIT_WBINVD, .instr_len = 2 };

	setup();
	for (int i = 0; i < 5; i++)
		fake_exit(vcpu, &e);
	CHECK_EQ(vm->stats.exits, 5);
	teardown();
}

static void test_run_loop_plays_exits_until_debug_exit(void)
{
	setup();
	gpr[GPR_RAX] = APERTURE_CPUID_LEAF;
	fake_vmx.script[0] = (struct vmx_exit){ .kind = VMX_EXIT_CPUID,
						.instr_len = 2 };
	/* out dx, eax: the CPUID result is the exit status. */
	fake_vmx.script[1] = (struct vmx_exit){
		.kind = VMX_EXIT_IO, .instr_len = 1,
		.io = { .port = 0xf4, .size = 4 },
	};
	fake_vmx.script[2] = (struct vmx_exit){ .kind = VMX_EXIT_HLT,
						.instr_len = 1 };
	fake_vmx.script_len = 3;
	vcpu_run(vcpu);
	CHECK_EQ(vm->state, VM_EXITED);
	CHECK_EQ(vm->exit_status, APERTURE_CPUID_LEAF);
	CHECK_EQ(fake_vmx.script_pos, 2);
	CHECK_EQ(vm->stats.exits, 2);
	CHECK_EQ(fake_vmx.reg[VMX_REG_RIP], RIP0 + 2);
	/* Host interrupts are back on, as they were before. */
	CHECK(fake_cpu.rflags & X86_RFLAGS_IF);
	teardown();
}

static void test_run_loop_restores_host_xcr0(void)
{
	setup();
	/* The firmware runs with SSE enabled in XCR0. */
	fake_cpu.xcr0 = XCR0_X87 | XCR0_SSE | XCR0_AVX;
	CHECK_EQ(host_cpu_save(), 0);
	CHECK_EQ(vcpu_set_cr4(vcpu, X86_CR4_OSXSAVE), CR_OK);
	gpr[GPR_RAX] = XCR0_X87 | XCR0_SSE;
	fake_vmx.script[0] = (struct vmx_exit){ .kind = VMX_EXIT_XSETBV,
						.instr_len = 3 };
	fake_vmx.script[1] = (struct vmx_exit){ .kind = VMX_EXIT_HLT,
						.instr_len = 1 };
	fake_vmx.script_len = 2;
	vcpu_run(vcpu);
	CHECK_EQ(vm->state, VM_KILLED);
	CHECK(!strcmp(vm->kill_reason, "hlt"));
	CHECK_EQ(vcpu->xcr0, XCR0_X87 | XCR0_SSE);
	CHECK_EQ(fake_cpu.xcr0, XCR0_X87 | XCR0_SSE | XCR0_AVX);
	CHECK(host_cpu_changed() == NULL);
	teardown();
}

static void test_run_loop_entry_failure_kills_entry(void)
{
	setup();
	vcpu_run(vcpu);
	CHECK_EQ(vm->state, VM_KILLED);
	CHECK(!strcmp(vm->kill_reason, "entry"));
	CHECK_EQ(fake_vmx.dumps, 1);
	teardown();
}

static void test_run_loop_past_deadline_kills_timeout(void)
{
	setup();
	fake_vmx.script[0] = (struct vmx_exit){
		.kind = VMX_EXIT_IO, .instr_len = 1,
		.io = { .port = 0xf4, .size = 1 },
	};
	fake_vmx.script_len = 1;
	vm->deadline_tsc = fake_cpu.tsc;
	vcpu_run(vcpu);
	CHECK_EQ(vm->state, VM_KILLED);
	CHECK(!strcmp(vm->kill_reason, "timeout"));
	CHECK_EQ(fake_vmx.script_pos, 0);
	teardown();
}

static void test_run_loop_arms_timer_for_deadline(void)
{
	setup();
	fake_vmx.script[0] = (struct vmx_exit){
		.kind = VMX_EXIT_IO, .instr_len = 1,
		.io = { .port = 0xf4, .size = 1 },
	};
	fake_vmx.script_len = 1;
	gpr[GPR_RAX] = 3;
	vm->deadline_tsc = fake_cpu.tsc + 1000000;
	vcpu_run(vcpu);
	CHECK(fake_vmx.timer_armed);
	CHECK_EQ(vm->state, VM_EXITED);
	CHECK_EQ(vm->exit_status, 3);
	teardown();
}

/*
 * XSETBV is #GP for XCR0[7:5] other than 000b or 111b, and for XCR0[3]
 * != XCR0[4] (SDM 1 13.3, SDM 2 XSETBV).  The hypervisor itself executes
 * the guest's value, so a value the processor refuses would fault in the
 * host rather than in the guest.
 */
static void test_sdm_xsetbv_partial_avx512_or_mpx_is_gp(void)
{
	static const u64 bad[] = {
		XCR0_X87 | XCR0_SSE | XCR0_AVX | BIT(5),
		XCR0_X87 | XCR0_SSE | XCR0_AVX | BIT(5) | BIT(6),
		XCR0_X87 | BIT(3),
	};

	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct exit_action act;

		setup();
		fake_set_cpuid(0xd, 0, 0xff, 0, 0, 0);
		CHECK_EQ(vcpu_set_cr4(vcpu, X86_CR4_OSXSAVE), CR_OK);
		act = guest_xsetbv(0, bad[i]);
		check_gp(&act);
		CHECK_EQ(fake_cpu.xsetbv_calls, 0);
		teardown();
	}
}

/*
 * IA32_STAR, IA32_LSTAR, IA32_FMASK and IA32_KERNEL_GS_BASE exist where
 * CPUID.80000001H:EDX[29] (Intel 64) is 1 (SDM 4, Table 2-2): a guest
 * told it has long mode may program SYSCALL.
 */
static void test_sdm_syscall_msrs_exist_with_long_mode(void)
{
	static const u32 msrs[] = {
		MSR_IA32_STAR, MSR_IA32_LSTAR, MSR_IA32_FMASK,
		MSR_IA32_KERNEL_GS_BASE,
	};

	setup();
	fake_set_cpuid(0x80000001, 0, 0, 0, 0, BIT(29) | BIT(20) | BIT(11));
	fake_guest_cpuid(vcpu, 0x80000001, 0);
	CHECK(gpr[GPR_RDX] & BIT(29));
	for (unsigned int i = 0; i < sizeof(msrs) / sizeof(msrs[0]); i++) {
		struct exit_action act;

		fake_vmx.injected = false;
		act = fake_guest_wrmsr(vcpu, msrs[i], 0xffffffff81000000ull);
		CHECK_EQ(act.kind, EXIT_SKIP);
		act = fake_guest_rdmsr(vcpu, msrs[i], NULL);
		CHECK_EQ(act.kind, EXIT_SKIP);
		CHECK_EQ(gpr[GPR_RAX], 0x81000000);
		CHECK_EQ(gpr[GPR_RDX], 0xffffffff);
	}
	teardown();
}

/*
 * SYSCALL, SWAPGS and RDTSCP do not exit: the guest's values must be in
 * the real MSRs.  FMASK's bits 63:32 are reserved: the processor gets
 * bits 31:0 only, the guest reads back what it wrote.
 */
static void test_live_msrs_reach_the_processor(void)
{
	setup();
	fake_set_cpuid(0x80000001, 0, 0, 0, 0,
		       CPUID_81_EDX_NX | CPUID_81_EDX_RDTSCP);
	fake_guest_wrmsr(vcpu, MSR_IA32_STAR, 0x0023001000000000ull);
	fake_guest_wrmsr(vcpu, MSR_IA32_LSTAR, 0xffffffff81000000ull);
	fake_guest_wrmsr(vcpu, MSR_IA32_FMASK, 0x1234500000700ull);
	fake_guest_wrmsr(vcpu, MSR_IA32_KERNEL_GS_BASE, 0x7000);
	fake_guest_wrmsr(vcpu, MSR_IA32_TSC_AUX, 3);
	CHECK_EQ(fake_msr(MSR_IA32_STAR), 0x0023001000000000ull);
	CHECK_EQ(fake_msr(MSR_IA32_LSTAR), 0xffffffff81000000ull);
	CHECK_EQ(fake_msr(MSR_IA32_FMASK), 0x700);
	CHECK_EQ(fake_msr(MSR_IA32_KERNEL_GS_BASE), 0x7000);
	CHECK_EQ(fake_msr(MSR_IA32_TSC_AUX), 3);
	fake_guest_rdmsr(vcpu, MSR_IA32_FMASK, NULL);
	CHECK_EQ(gpr[GPR_RDX], 0x12345);
	/* SWAPGS changed it behind our back: RDMSR reads the processor. */
	wrmsr(MSR_IA32_KERNEL_GS_BASE, 0x9000);
	fake_guest_rdmsr(vcpu, MSR_IA32_KERNEL_GS_BASE, NULL);
	CHECK_EQ(gpr[GPR_RAX], 0x9000);
	teardown();
}

/*
 * The #GP checks of SDM 2 WRMSR come before the WRMSR the hypervisor
 * executes: a non-canonical address or TSC_AUX with bits 63:32 set never
 * reaches the processor.
 */
static void test_live_msr_bad_values_gp_before_hardware(void)
{
	static const struct { u32 msr; u64 val; } bad[] = {
		{ MSR_IA32_KERNEL_GS_BASE, 0x0000800000000000ull },
		{ MSR_IA32_LSTAR, 0x8000000000000000ull },
		{ MSR_IA32_CSTAR, 0x0001000000000000ull },
		{ MSR_IA32_TSC_AUX, 1ull << 32 },
	};

	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct exit_action act;
		unsigned int calls;

		setup();
		calls = fake_cpu.wrmsr_calls;
		act = fake_guest_wrmsr(vcpu, bad[i].msr, bad[i].val);
		check_gp(&act);
		CHECK_EQ(fake_cpu.wrmsr_calls, calls);
		teardown();
	}
}

/* Without "enable RDTSCP", RDTSCP is hidden and IA32_TSC_AUX is #GP. */
static void test_tsc_aux_exists_only_with_rdtscp(void)
{
	struct exit_action act;

	setup();
	vmx_caps.ctls.rdtscp = false;
	fake_set_cpuid(0x80000001, 0, 0, 0, 0, CPUID_81_EDX_RDTSCP);
	fake_guest_cpuid(vcpu, 0x80000001, 0);
	CHECK(!(gpr[GPR_RDX] & CPUID_81_EDX_RDTSCP));
	fake_vmx.reg[VMX_REG_RIP] = RIP0;
	fake_vmx.skips = 0;
	act = fake_guest_rdmsr(vcpu, MSR_IA32_TSC_AUX, NULL);
	check_gp(&act);
	teardown();
}

/* Without load/save PAT, PAT is hidden and VMX_REG_PAT is never touched. */
static void test_pat_exists_only_when_virtualised(void)
{
	struct exit_action act;

	setup();
	vmx_caps.ctls.pat = false;
	fake_set_cpuid(1, 0, 0, 0, 0, CPUID_1_EDX_PAT);
	fake_guest_cpuid(vcpu, 1, 0);
	CHECK(!(gpr[GPR_RDX] & CPUID_1_EDX_PAT));
	fake_vmx.reg[VMX_REG_RIP] = RIP0;
	fake_vmx.skips = 0;
	fake_vmx.reg[VMX_REG_PAT] = 0x1234;
	act = fake_guest_wrmsr(vcpu, MSR_IA32_PAT, 0x0007040600070406ull);
	check_gp(&act);
	CHECK_EQ(fake_vmx.reg[VMX_REG_PAT], 0x1234);
	fake_vmx.injected = false;
	act = fake_guest_rdmsr(vcpu, MSR_IA32_PAT, NULL);
	CHECK_EQ(act.kind, EXIT_INJECT);
	teardown();
}

/* CR8 (the TPR) lives in the vCPU; the processor's TPR stays the host's. */
static void test_cr8_roundtrip_in_64bit_mode(void)
{
	struct vmx_exit w = {
		.kind = VMX_EXIT_CR_WRITE, .instr_len = 4,
		.cr = { .cr = 8, .value = 15 },
	};
	struct vmx_exit r = {
		.kind = VMX_EXIT_CR_READ, .instr_len = 4,
		.cr = { .cr = 8, .gpr = GPR_RSI },
	};
	struct exit_action act;

	setup();
	enter_long(false);
	fake_cpu.cr8 = 2;
	act = fake_exit(vcpu, &w);
	CHECK_EQ(act.kind, EXIT_SKIP);
	CHECK_EQ(lapic_get_cr8(&vcpu->lapic), 15);
	act = fake_exit(vcpu, &r);
	CHECK_EQ(act.kind, EXIT_SKIP);
	CHECK_EQ(gpr[GPR_RSI], 15);
	CHECK_EQ(fake_cpu.cr8, 2);
	teardown();
}

/* MOV to CR8 with bits 63:4 set is #GP (SDM 2, MOV CR). */
static void test_cr8_reserved_bits_gp(void)
{
	struct vmx_exit w = {
		.kind = VMX_EXIT_CR_WRITE, .instr_len = 4,
		.cr = { .cr = 8, .value = 0x10 },
	};
	struct exit_action act;

	setup();
	enter_long(false);
	act = fake_exit(vcpu, &w);
	check_gp(&act);
	CHECK_EQ(lapic_get_cr8(&vcpu->lapic), 0);
	teardown();
}

/* CR8 exists in 64-bit mode only: elsewhere the access is #UD. */
static void test_cr8_outside_64bit_mode_is_ud(void)
{
	struct vmx_exit r = {
		.kind = VMX_EXIT_CR_READ, .instr_len = 4,
		.cr = { .cr = 8, .gpr = GPR_RSI },
	};
	struct exit_action act;

	setup();
	enter_long(true);		/* compatibility mode */
	act = fake_exit(vcpu, &r);
	check_ud(&act);
	teardown();
}

int main(void)
{
	RUN(test_cpuid_hides_vmx_and_sets_hypervisor_bit);
	RUN(test_cpuid_osxsave_mirrors_guest_cr4);
	RUN(test_cpuid_hides_xsave_without_host_xsave);
	RUN(test_cpuid_leaf7_hides_refused_cr4_features);
	RUN(test_cpuid_aperture_leaf_signature);
	RUN(test_rdmsr_efer_returns_guest_efer_in_edx_eax);
	RUN(test_rdmsr_pat_splits_high_half_into_edx);
	RUN(test_rdmsr_tsc_reads_the_host_tsc);
	RUN(test_rdmsr_unknown_msr_injects_gp);
	RUN(test_wrmsr_pat_checks_memory_types);
	RUN(test_wrmsr_fs_base_non_canonical_injects_gp);
	RUN(test_wrmsr_sysenter_msrs_are_written);
	RUN(test_wrmsr_efer_goes_through_the_efer_rules);
	RUN(test_wrmsr_unknown_msr_injects_gp);
	RUN(test_xsetbv_without_guest_osxsave_is_ud);
	RUN(test_xsetbv_bad_values_are_gp);
	RUN(test_xsetbv_good_value_reaches_xcr0);
	RUN(test_xsetbv_fault_in_root_is_guest_gp);
	RUN(test_hlt_kills_hlt);
	RUN(test_triple_fault_ends_as_triple_fault);
	RUN(test_unhandled_exit_kills_with_dump);
	RUN(test_unexpected_exception_exit_kills_with_dump);
	RUN(test_invd_and_wbinvd_skip);
	RUN(test_invlpg_skips_and_counts);
	RUN(test_vmx_instruction_injects_ud);
	RUN(test_host_interrupt_and_timer_resume);
	RUN(test_vmcall_from_cpl3_is_eperm);
	RUN(test_vmcall_exit_ends_with_status);
	RUN(test_vmcall_from_32bit_code_ignores_upper_halves);
	RUN(test_vmcall_from_32bit_code_returns_32bit_result);
	RUN(test_vmcall_from_64bit_code_uses_whole_registers);
	RUN(test_mov_from_cr3_into_rsp_writes_vmcs_rsp);
	RUN(test_mov_from_cr0_exit_kills_with_dump);
	RUN(test_exits_are_counted);
	RUN(test_run_loop_plays_exits_until_debug_exit);
	RUN(test_run_loop_restores_host_xcr0);
	RUN(test_sdm_syscall_msrs_exist_with_long_mode);
	RUN(test_live_msrs_reach_the_processor);
	RUN(test_live_msr_bad_values_gp_before_hardware);
	RUN(test_tsc_aux_exists_only_with_rdtscp);
	RUN(test_pat_exists_only_when_virtualised);
	RUN(test_cr8_roundtrip_in_64bit_mode);
	RUN(test_cr8_reserved_bits_gp);
	RUN(test_cr8_outside_64bit_mode_is_ud);
	RUN(test_run_loop_entry_failure_kills_entry);
	RUN(test_run_loop_past_deadline_kills_timeout);
	RUN(test_run_loop_arms_timer_for_deadline);
	RUN(test_sdm_vmcall_from_compat_mode_ignores_upper_halves);
	RUN(test_sdm_xsetbv_partial_avx512_or_mpx_is_gp);
	return unit_done();
}
