// SPDX-License-Identifier: MIT
/*
 * The local APIC as a guest meets it through the exit layer and the run
 * loop: IA32_APIC_BASE, x2APIC MSRs, the xAPIC page through the MMIO
 * emulator, CR8 as the TPR, and a timer interrupt that wakes a HLT and is
 * injected when the guest can take it.
 */
#define UNIT_SUITE "apic_run"
#include "unit.h"

#include <lib/string.h>
#include <lib/x86.h>
#include <hv/exit/exit.h>
#include <hv/vm.h>
#include "../fake/fake.h"

#define RIP0		0x100000ull
#define XAPIC_BASE	0xfee00000ull
#define X2APIC_SVR	0x80f
#define X2APIC_TPR	0x808
#define X2APIC_EOI	0x80b
#define X2APIC_LVT_TIMER 0x832
#define X2APIC_TICR	0x838
#define X2APIC_TDCR	0x83e
#define TIMER_VECTOR	0x40

static struct vm *vm;
static struct vcpu *vcpu;
static u64 *gpr;

static void setup(void)
{
	vm = fake_guest_create();
	vcpu = &vm->vcpu;
	gpr = vcpu->vmx.gpr;
	fake_vmx.reg[VMX_REG_RIP] = RIP0;
}

static void teardown(void)
{
	fake_vm_destroy(vm);
}

/* SDM 3A 10.4.4: after reset the APIC is at 0xfee00000, enabled, BSP. */
static void test_apic_base_reset_value(void)
{
	u64 v = 0;

	setup();
	CHECK_EQ(fake_guest_rdmsr(vcpu, MSR_IA32_APIC_BASE, &v).kind,
		 EXIT_SKIP);
	CHECK_EQ(v, XAPIC_BASE | APIC_BASE_EN | APIC_BASE_BSP);
	teardown();
}

/* x2APIC registers #GP until x2APIC mode is on (SDM 3A 10.12.1.2). */
static void test_x2apic_msrs_need_x2apic_mode(void)
{
	u64 v;

	setup();
	CHECK_EQ(fake_guest_rdmsr(vcpu, X2APIC_SVR, &v).kind, EXIT_INJECT);
	CHECK_EQ(fake_vmx.inject.vector, X86_VEC_GP);
	CHECK_EQ(fake_guest_wrmsr(vcpu, MSR_IA32_APIC_BASE,
				  XAPIC_BASE | APIC_BASE_EN | APIC_BASE_BSP |
				  APIC_BASE_EXTD).kind, EXIT_SKIP);
	CHECK_EQ(fake_guest_rdmsr(vcpu, X2APIC_SVR, &v).kind, EXIT_SKIP);
	CHECK_EQ(v, 0xff);	/* SVR reset value (SDM 3A 10.9) */
	teardown();
}

/* The version register through the MMIO emulator: mov eax, [0xfee00030]. */
static void test_xapic_page_through_mmio(void)
{
	static const u8 insn[] = { 0x8b, 0x05, 0x30, 0x00, 0xe0, 0xfe };
	struct exit_action act;

	setup();
	fake_write(vm, RIP0, insn, sizeof(insn));
	act = fake_exit(vcpu, &(struct vmx_exit){
		.kind = VMX_EXIT_PAGE_FAULT, .instr_len = 0,
		.exc = { .vector = X86_VEC_PF, .has_errcode = true,
			 .errcode = 0, .cr2 = XAPIC_BASE + 0x30 } });
	CHECK_EQ(act.kind, EXIT_SKIP);
	CHECK_EQ(act.len, sizeof(insn));
	CHECK_EQ(gpr[GPR_RAX], 0x50014);	/* 6 LVT entries, version 0x14 */
	teardown();
}

/*
 * A one-shot timer, then HLT with IF = 1: the run loop waits for the
 * timer, and the interrupt is injected at the next entry; a HLT with
 * IF = 0 afterwards ends the guest.
 */
static void test_timer_wakes_hlt_and_is_injected(void)
{
	setup();
	CHECK_EQ(fake_guest_wrmsr(vcpu, MSR_IA32_APIC_BASE,
				  XAPIC_BASE | APIC_BASE_EN | APIC_BASE_BSP |
				  APIC_BASE_EXTD).kind, EXIT_SKIP);
	CHECK_EQ(fake_guest_wrmsr(vcpu, X2APIC_SVR, 0x1ff).kind, EXIT_SKIP);
	/* Divide by 1. */
	CHECK_EQ(fake_guest_wrmsr(vcpu, X2APIC_TDCR, 0xb).kind, EXIT_SKIP);
	CHECK_EQ(fake_guest_wrmsr(vcpu, X2APIC_LVT_TIMER, TIMER_VECTOR).kind,
		 EXIT_SKIP);
	CHECK_EQ(fake_guest_wrmsr(vcpu, X2APIC_TICR, 5000).kind, EXIT_SKIP);

	fake_vmx.reg[VMX_REG_RFLAGS] = X86_RFLAGS_FIXED | X86_RFLAGS_IF;
	fake_vmx.script[0] = (struct vmx_exit){ .kind = VMX_EXIT_HLT,
						.instr_len = 1 };
	fake_vmx.script_len = 1;	/* then the entry fails: the run ends */
	vcpu_run(vcpu);
	CHECK_EQ(fake_vmx.irqs_injected, 1);
	CHECK_EQ(fake_vmx.injected_irq, TIMER_VECTOR);
	CHECK(!vcpu->halted);
	teardown();
}

/* An interrupt the guest cannot take yet opens the interrupt window. */
static void test_blocked_interrupt_opens_window(void)
{
	setup();
	CHECK_EQ(fake_guest_wrmsr(vcpu, MSR_IA32_APIC_BASE,
				  XAPIC_BASE | APIC_BASE_EN | APIC_BASE_BSP |
				  APIC_BASE_EXTD).kind, EXIT_SKIP);
	CHECK_EQ(fake_guest_wrmsr(vcpu, X2APIC_SVR, 0x1ff).kind, EXIT_SKIP);
	lapic_set_irq(&vcpu->lapic, 0x50, false);
	fake_vmx.reg[VMX_REG_RFLAGS] = X86_RFLAGS_FIXED;	/* IF = 0 */
	fake_vmx.script[0] = (struct vmx_exit){ .kind = VMX_EXIT_IRQ_WINDOW };
	fake_vmx.script_len = 1;
	vcpu_run(vcpu);
	CHECK_EQ(fake_vmx.irqs_injected, 0);
	CHECK(fake_vmx.irq_window);
	teardown();
}

/*
 * HLT with a timer that fires only far past the guest's time limit: the
 * wait ends at the limit, and the guest with it.
 */
static void test_time_limit_ends_hlt_wait(void)
{
	setup();
	CHECK_EQ(fake_guest_wrmsr(vcpu, MSR_IA32_APIC_BASE,
				  XAPIC_BASE | APIC_BASE_EN | APIC_BASE_BSP |
				  APIC_BASE_EXTD).kind, EXIT_SKIP);
	CHECK_EQ(fake_guest_wrmsr(vcpu, X2APIC_SVR, 0x1ff).kind, EXIT_SKIP);
	/* Divide by 128, the longest count: about 2^39 TSC ticks away. */
	CHECK_EQ(fake_guest_wrmsr(vcpu, X2APIC_TDCR, 0xa).kind, EXIT_SKIP);
	CHECK_EQ(fake_guest_wrmsr(vcpu, X2APIC_LVT_TIMER, TIMER_VECTOR).kind,
		 EXIT_SKIP);
	CHECK_EQ(fake_guest_wrmsr(vcpu, X2APIC_TICR, 0xffffffff).kind,
		 EXIT_SKIP);
	vm->deadline_tsc = fake_cpu.tsc + 100 * FAKE_RELAX_TICKS;

	fake_vmx.reg[VMX_REG_RFLAGS] = X86_RFLAGS_FIXED | X86_RFLAGS_IF;
	fake_vmx.script[0] = (struct vmx_exit){ .kind = VMX_EXIT_HLT,
						.instr_len = 1 };
	fake_vmx.script[1] = (struct vmx_exit){ .kind = VMX_EXIT_HLT,
						.instr_len = 1 };
	fake_vmx.script_len = 2;
	vcpu_run(vcpu);
	CHECK_EQ(vm->state, VM_KILLED);
	CHECK(!strcmp(vm->kill_reason, "timeout"));
	CHECK_EQ(fake_vmx.script_pos, 1);	/* no entry after the HLT */
	CHECK_EQ(fake_vmx.irqs_injected, 0);
	teardown();
}

/* With nothing that could ever wake it, HLT still ends the guest. */
static void test_hlt_without_a_source_ends_the_guest(void)
{
	setup();
	fake_vmx.reg[VMX_REG_RFLAGS] = X86_RFLAGS_FIXED | X86_RFLAGS_IF;
	fake_vmx.script[0] = (struct vmx_exit){ .kind = VMX_EXIT_HLT,
						.instr_len = 1 };
	fake_vmx.script_len = 1;
	vcpu_run(vcpu);
	CHECK_EQ(vm->state, VM_KILLED);
	CHECK(!strcmp(vm->kill_reason, "hlt"));
	teardown();
}

int main(void)
{
	RUN(test_apic_base_reset_value);
	RUN(test_x2apic_msrs_need_x2apic_mode);
	RUN(test_xapic_page_through_mmio);
	RUN(test_timer_wakes_hlt_and_is_injected);
	RUN(test_blocked_interrupt_opens_window);
	RUN(test_time_limit_ends_hlt_wait);
	RUN(test_hlt_without_a_source_ends_the_guest);
	return unit_done();
}
