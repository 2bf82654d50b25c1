// SPDX-License-Identifier: MIT
/*
 * The firmware's processor state around guests (hv/cpu/): each guest
 * starts from the reset values of SDM 3A Table 9-1 for what the VMCS does
 * not load, and after it the firmware has exactly what it had; the
 * self-check names what changed.
 */
#define UNIT_SUITE "host_state"
#include "unit.h"

#include <string.h>

#include <lib/x86.h>
#include <hv/cpu/guest.h>
#include <hv/cpu/host_state.h>
#include <hv/exit/cr.h>
#include <hv/exit/exit.h>
#include <hv/vm.h>
#include "../fake/fake.h"

static struct vm *vm;
static struct vcpu *vcpu;

/* A firmware that left something in every register we look after. */
static void firmware_state(void)
{
	fake_cpu.cr8 = 0;
	for (unsigned int i = 0; i < 4; i++)
		fake_cpu.dr[i] = 0xf000 + i;
	fake_cpu.dr[6] = X86_DR6_RESET | 2;
	fake_cpu.dr[7] = X86_DR7_RESET | 0x3;
	fake_cpu.xcr0 = XCR0_X87 | XCR0_SSE | XCR0_AVX;
	wrmsr(MSR_IA32_KERNEL_GS_BASE, 0xfeed0000);
	wrmsr(MSR_IA32_STAR, 0x0023001000000000ull);
	wrmsr(MSR_IA32_LSTAR, 0xffffffff80001000ull);
	wrmsr(MSR_IA32_FMASK, 0x4700);
	wrmsr(MSR_IA32_TSC_AUX, 7);
	fake_cpu.fcw = 0x27f;
	fake_cpu.mxcsr = 0x9fc0;
	fake_cpu.xmm0 = 0x1122334455667788ull;
	fake_cpu.gdtr = (struct desc_ptr){ .limit = 0x7f, .base = 0x7000 };
	fake_cpu.idtr = (struct desc_ptr){ .limit = 0xfff, .base = 0x8000 };
	fake_cpu.tr = 0x40;
}

static void setup(bool xsave)
{
	fake_reset();
	fake_cpu.osxsave = xsave;
	/* RDTSCP: IA32_TSC_AUX exists. */
	fake_set_cpuid(0x80000001, 0, 0, 0, 0,
		       CPUID_81_EDX_NX | CPUID_81_EDX_RDTSCP);
	vm = fake_vm_create(0, CFG_INVALIDATE_TARGETED);
	vcpu = &vm->vcpu;
	firmware_state();
	if (!xsave)
		fake_cpu.xcr0 = 0;
	CHECK_EQ(host_cpu_save(), 0);
}

static void teardown(void)
{
	fake_vm_destroy(vm);
}

/* What a guest may do to the state it owns, and what VM exits do. */
static void guest_dirties_everything(void)
{
	for (unsigned int i = 0; i < 4; i++)
		fake_cpu.dr[i] = 0xbad0 + i;
	fake_cpu.dr[6] = X86_DR6_RESET | 1;
	fake_cpu.dr[7] = X86_DR7_RESET;		/* every VM exit */
	wrmsr(MSR_IA32_KERNEL_GS_BASE, 0xbad);
	wrmsr(MSR_IA32_STAR, 0xbad);
	wrmsr(MSR_IA32_LSTAR, 0xbad);
	wrmsr(MSR_IA32_FMASK, 0xbad);
	wrmsr(MSR_IA32_TSC_AUX, 0xbad);
	fake_cpu.fcw = 0x7f;
	fake_cpu.mxcsr = 0x1f81 & 0xffff;
	fake_cpu.xmm0 = 0xbadbadbad;
	fake_cpu.gdtr.limit = 0xffff;		/* every VM exit */
	fake_cpu.idtr.limit = 0xffff;
}

/* SDM 3A Table 9-1 for what the VMCS does not load. */
static void test_guest_starts_from_reset_state(void)
{
	setup(true);
	guest_cpu_load(vcpu);
	CHECK_EQ(fake_cpu.xcr0, XCR0_X87);
	CHECK_EQ(vcpu->xcr0, XCR0_X87);
	CHECK_EQ(fake_cpu.fcw, X86_FCW_RESET);
	CHECK_EQ(fake_cpu.mxcsr, X86_MXCSR_RESET);
	CHECK_EQ(fake_cpu.xmm0, 0);
	for (unsigned int i = 0; i < 4; i++)
		CHECK_EQ(fake_cpu.dr[i], 0);
	CHECK_EQ(fake_cpu.dr[6], X86_DR6_RESET);
	CHECK_EQ(fake_msr(MSR_IA32_KERNEL_GS_BASE), 0);
	CHECK_EQ(fake_msr(MSR_IA32_STAR), 0);
	CHECK_EQ(fake_msr(MSR_IA32_LSTAR), 0);
	CHECK_EQ(fake_msr(MSR_IA32_FMASK), 0);
	CHECK_EQ(fake_msr(MSR_IA32_TSC_AUX), 0);
	CHECK_EQ(lapic_get_cr8(&vcpu->lapic), 0);
	teardown();
}

static void test_firmware_gets_its_state_back(void)
{
	setup(true);
	guest_cpu_load(vcpu);
	guest_dirties_everything();
	fake_cpu.xcr0 = XCR0_X87 | XCR0_SSE;	/* the guest's XSETBV */
	host_cpu_restore();
	CHECK(host_cpu_changed() == NULL);
	CHECK_EQ(fake_cpu.xcr0, XCR0_X87 | XCR0_SSE | XCR0_AVX);
	CHECK_EQ(fake_cpu.fcw, 0x27f);
	CHECK_EQ(fake_cpu.mxcsr, 0x9fc0);
	CHECK_EQ(fake_cpu.xmm0, 0x1122334455667788ull);
	CHECK_EQ(fake_cpu.dr[0], 0xf000);
	CHECK_EQ(fake_cpu.dr[7], X86_DR7_RESET | 0x3);
	CHECK_EQ(fake_msr(MSR_IA32_KERNEL_GS_BASE), 0xfeed0000);
	CHECK_EQ(fake_msr(MSR_IA32_TSC_AUX), 7);
	CHECK_EQ(fake_cpu.idtr.limit, 0xfff);
	CHECK_EQ(fake_cpu.gdtr.limit, 0x7f);
	teardown();
}

/* The same without XSAVE in the host: FXSAVE/FXRSTOR, XCR0 untouched. */
static void test_fxsave_host_round_trip(void)
{
	setup(false);
	guest_cpu_load(vcpu);
	CHECK_EQ(fake_cpu.mxcsr, X86_MXCSR_RESET);
	CHECK_EQ(fake_cpu.xmm0, 0);
	CHECK_EQ(vcpu->xcr0, 0);
	guest_dirties_everything();
	host_cpu_restore();
	CHECK(host_cpu_changed() == NULL);
	CHECK_EQ(fake_cpu.xmm0, 0x1122334455667788ull);
	CHECK_EQ(fake_cpu.xsetbv_calls, 0);
	CHECK(fake_cpu.fxsaves >= 1);
	teardown();
}

/* A whole guest through the run loop, with a SYSCALL MSR written. */
static void test_run_loop_loads_and_restores(void)
{
	setup(true);
	vcpu->vmx.gpr[GPR_RCX] = MSR_IA32_LSTAR;
	vcpu->vmx.gpr[GPR_RAX] = 0x81000000;
	vcpu->vmx.gpr[GPR_RDX] = 0xffffffff;
	fake_vmx.script[0] = (struct vmx_exit){ .kind = VMX_EXIT_MSR_WRITE,
						.instr_len = 2 };
	fake_vmx.script[1] = (struct vmx_exit){ .kind = VMX_EXIT_HLT,
						.instr_len = 1 };
	fake_vmx.script_len = 2;
	vcpu_run(vcpu);
	CHECK_EQ(vcpu->msr.lstar, 0xffffffff81000000ull);
	CHECK_EQ(fake_msr(MSR_IA32_LSTAR), 0xffffffff80001000ull);
	CHECK(host_cpu_changed() == NULL);
	teardown();
}

/* The self-check names what changed; the TPR is never restored. */
static void test_changes_are_named(void)
{
	setup(true);
	fake_cpu.cr8 = 15;
	host_cpu_restore();
	CHECK(host_cpu_changed() && !strcmp(host_cpu_changed(), "CR8"));
	fake_cpu.cr8 = 0;
	CHECK(host_cpu_changed() == NULL);
	fake_cpu.tr = 0;
	CHECK(host_cpu_changed() && !strcmp(host_cpu_changed(), "TR"));
	fake_cpu.tr = 0x40;
	fake_cpu.xcr0 = XCR0_X87;
	CHECK(host_cpu_changed() && !strcmp(host_cpu_changed(), "XCR0"));
	host_cpu_restore();
	wrmsr(MSR_IA32_KERNEL_GS_BASE, 1);
	CHECK(host_cpu_changed() &&
	      !strcmp(host_cpu_changed(), "IA32_KERNEL_GS_BASE"));
	host_cpu_restore();
	fake_cpu.idtr.limit = 0xffff;
	CHECK(host_cpu_changed() && !strcmp(host_cpu_changed(), "IDTR"));
	host_cpu_restore();
	fake_cpu.dr[7] = X86_DR7_RESET;
	CHECK(host_cpu_changed() && !strcmp(host_cpu_changed(), "DR7"));
	teardown();
}

/* Nothing saved: nothing to restore, nothing to report. */
static void test_unsaved_is_a_no_op(void)
{
	setup(true);
	host_cpu_forget();
	wrmsr(MSR_IA32_STAR, 5);
	host_cpu_restore();
	CHECK_EQ(fake_msr(MSR_IA32_STAR), 5);
	CHECK(host_cpu_changed() == NULL);
	teardown();
}

int main(void)
{
	RUN(test_guest_starts_from_reset_state);
	RUN(test_firmware_gets_its_state_back);
	RUN(test_fxsave_host_round_trip);
	RUN(test_run_loop_loads_and_restores);
	RUN(test_changes_are_named);
	RUN(test_unsaved_is_a_no_op);
	return unit_done();
}
