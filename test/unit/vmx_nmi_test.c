// SPDX-License-Identifier: MIT
/*
 * Host NMIs: an NMI that arrives while a guest runs
 * exits (NMI exiting), is decoded as VMX_EXIT_NMI, not as a guest
 * exception, and the exit layer hands it to the host's handler (INT 2,
 * host_nmi() in lib/cpu.h; counted by the fake), counts it in
 * aperture_stats.host_nmis and resumes the guest.  Before the fix it was
 * resumed as an external interrupt and the firmware never saw it.
 */
#define UNIT_SUITE "vmx_nmi"
#include "unit.h"

#include <lib/string.h>
#include <lib/x86.h>
#include <hv/exit/exit.h>
#include <hv/vm.h>
#include <hv/vmx/internal.h>
#include <hv/vmx/vmcs_defs.h>
#include "../fake/fake.h"

#define RIP0		0x100000ull

/* test/fake/cpu.c: how many times host_nmi() ran. */
extern unsigned int fake_host_nmis;

static struct vm *vm;
static struct vcpu *vcpu;

static void setup(void)
{
	vm = fake_guest_create();
	vcpu = &vm->vcpu;
}

static void teardown(void)
{
	fake_vm_destroy(vm);
}

/* Exit-information fields for the decoder: reason 0, the given info. */
static u32 intr_info, idt_info;

static u64 read_field(u32 field)
{
	switch (field) {
	case VMCS_RO_EXIT_REASON:
		return EXIT_REASON_EXCEPTION_NMI;
	case VMCS_RO_EXIT_INTR_INFO:
		return intr_info;
	case VMCS_RO_IDT_VECTORING_INFO:
		return idt_info;
	default:
		return 0;
	}
}

/* Valid (bit 31), type 2 (NMI), vector 2: SDM 3C Table 24-18. */
#define NMI_INFO	0x80000202u

static void test_decode_then_handle(void)
{
	struct vmx_exit e = { 0 };
	struct exit_action act;
	unsigned int before = fake_host_nmis;

	setup();
	intr_info = NMI_INFO;
	idt_info = 0;
	vmx_decode_exit(read_field, &vcpu->vmx, &e);
	CHECK_EQ(e.kind, VMX_EXIT_NMI);

	act = exit_handle(vcpu, &e);
	CHECK_EQ(act.kind, EXIT_RESUME);
	exit_apply(vcpu, &e, &act);
	CHECK_EQ(fake_host_nmis, before + 1);
	CHECK_EQ(vm->stats.host_nmis, 1);
	CHECK_EQ(vm->stats.host_interrupts, 0);
	CHECK_EQ(fake_cpu.irq_windows, 0);
	/* The guest goes on where it was: nothing skipped or injected. */
	CHECK_EQ(fake_vmx.reg[VMX_REG_RIP], RIP0);
	CHECK(!fake_vmx.injected);
	CHECK_EQ(fake_vmx.reinjects, 0);
	CHECK_EQ(vm->state, VM_RUNNING);
	teardown();
}

/* A hardware exception on vector 2 (type 3) is not the host's NMI. */
static void test_exception_vector_2_is_not_nmi(void)
{
	struct vmx_exit e = { 0 };
	unsigned int before = fake_host_nmis;

	setup();
	intr_info = 0x80000302u;
	idt_info = 0;
	vmx_decode_exit(read_field, &vcpu->vmx, &e);
	CHECK_EQ(e.kind, VMX_EXIT_EXCEPTION);
	exit_handle(vcpu, &e);
	CHECK_EQ(fake_host_nmis, before);
	CHECK_EQ(vm->stats.host_nmis, 0);
	teardown();
}

/* An NMI during the delivery of a guest #PF: the #PF is delivered again. */
static void test_nmi_during_delivery_redelivers(void)
{
	struct vmx_exit e = { 0 };
	struct exit_action act;

	setup();
	intr_info = NMI_INFO;
	idt_info = 0x80000b0eu;		/* #PF with error code */
	vmx_decode_exit(read_field, &vcpu->vmx, &e);
	CHECK_EQ(e.kind, VMX_EXIT_NMI);
	act = exit_handle(vcpu, &e);
	CHECK_EQ(act.kind, EXIT_REDELIVER);
	exit_apply(vcpu, &e, &act);
	CHECK_EQ(fake_vmx.reinjects, 1);
	CHECK_EQ(vm->stats.host_nmis, 1);
	teardown();
}

/* Through the run loop: NMIs resume the guest until it halts. */
static void test_run_loop_resumes_after_nmis(void)
{
	unsigned int before = fake_host_nmis;

	setup();
	fake_vmx.script[0] = (struct vmx_exit){ .kind = VMX_EXIT_NMI };
	fake_vmx.script[1] = (struct vmx_exit){ .kind = VMX_EXIT_NMI };
	fake_vmx.script[2] = (struct vmx_exit){ .kind = VMX_EXIT_HLT,
						.instr_len = 1 };
	fake_vmx.script_len = 3;
	vcpu_run(vcpu);
	CHECK_EQ(fake_host_nmis, before + 2);
	CHECK_EQ(vm->stats.host_nmis, 2);
	CHECK_EQ(vm->stats.exits, 3);
	CHECK_EQ(vm->state, VM_KILLED);
	CHECK(!strcmp(vm->kill_reason, "hlt"));
	teardown();
}

int main(void)
{
	RUN(test_decode_then_handle);
	RUN(test_exception_vector_2_is_not_nmi);
	RUN(test_nmi_during_delivery_redelivers);
	RUN(test_run_loop_resumes_after_nmis);
	return unit_done();
}
