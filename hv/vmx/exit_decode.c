// SPDX-License-Identifier: MIT
/*
 * Decoding a VM exit into the `struct vmx_exit` the core sees: the kind,
 * the event it interrupted, and the operands of the exits the core
 * emulates.  It executes no VMX instruction (the fields come through a
 * reader), so it builds and is tested on the host.
 */
#include <lib/x86.h>
#include <hv/vmx/internal.h>
#include <hv/vmx/vmcs_defs.h>

/* LMSW loads CR0 bits 3:0 (SDM 2A LMSW). */
#define CR0_LMSW_BITS	(X86_CR0_PE | X86_CR0_MP | X86_CR0_EM | X86_CR0_TS)

/* RSP is the one register the VMCS holds rather than gpr[]. */
static u64 read_gpr(vmx_field_reader read_field, const struct vmx_vcpu *v,
		    unsigned int gpr)
{
	return gpr == GPR_RSP ? read_field(VMCS_GUEST_RSP) : v->gpr[gpr];
}

/*
 * SDM 3C 27.2.1, Table 27-3: control-register accesses.  MOV to CR8 gives
 * the core the whole register (it checks bits 63:4, SDM 2B MOV CR); MOV
 * from CR8 names the destination register.
 */
static void decode_cr_access(vmx_field_reader read_field,
			     const struct vmx_vcpu *v, struct vmx_exit *e)
{
	u64 cr0 = read_field(VMCS_CTRL_CR0_READ_SHADOW);

	e->cr.cr = CR_QUAL_CR(e->qual);
	e->cr.gpr = CR_QUAL_GPR(e->qual);
	switch (CR_QUAL_TYPE(e->qual)) {
	case CR_ACCESS_MOV_TO:
		e->kind = VMX_EXIT_CR_WRITE;
		e->cr.value = read_gpr(read_field, v, e->cr.gpr);
		break;
	case CR_ACCESS_MOV_FROM:
		e->kind = VMX_EXIT_CR_READ;
		break;
	case CR_ACCESS_CLTS:
		e->kind = VMX_EXIT_CR_WRITE;
		e->cr.clts = true;
		e->cr.cr = 0;
		e->cr.value = cr0 & ~X86_CR0_TS;
		break;
	case CR_ACCESS_LMSW:
		/* LMSW writes CR0[3:0] but can set PE, never clear it. */
		e->kind = VMX_EXIT_CR_WRITE;
		e->cr.lmsw = true;
		e->cr.cr = 0;
		e->cr.value = (cr0 & ~(CR0_LMSW_BITS & ~X86_CR0_PE)) |
			      (CR_QUAL_LMSW_DATA(e->qual) & CR0_LMSW_BITS);
		break;
	}
}

/*
 * The exits whose kind is all there is to decode; VMX_EXIT_NONE (0) marks
 * the reasons decoded below or not handled at all.
 */
static const u8 plain_kind[EXIT_REASON_MAX + 1] = {
	[EXIT_REASON_EXTERNAL_INTERRUPT] = VMX_EXIT_EXTINT,
	[EXIT_REASON_INTERRUPT_WINDOW] = VMX_EXIT_IRQ_WINDOW,
	[EXIT_REASON_TRIPLE_FAULT] = VMX_EXIT_TRIPLE_FAULT,
	[EXIT_REASON_PREEMPTION_TIMER] = VMX_EXIT_TIMER,
	[EXIT_REASON_CPUID] = VMX_EXIT_CPUID,
	[EXIT_REASON_HLT] = VMX_EXIT_HLT,
	[EXIT_REASON_INVD] = VMX_EXIT_INVD,
	[EXIT_REASON_WBINVD] = VMX_EXIT_WBINVD,
	[EXIT_REASON_VMCALL] = VMX_EXIT_VMCALL,
	[EXIT_REASON_MSR_READ] = VMX_EXIT_MSR_READ,
	[EXIT_REASON_MSR_WRITE] = VMX_EXIT_MSR_WRITE,
	[EXIT_REASON_XSETBV] = VMX_EXIT_XSETBV,
	/* SMX and VMX instructions: the guest has neither. */
	[EXIT_REASON_GETSEC] = VMX_EXIT_UD,
	[EXIT_REASON_VMCLEAR] = VMX_EXIT_UD,
	[EXIT_REASON_VMLAUNCH] = VMX_EXIT_UD,
	[EXIT_REASON_VMPTRLD] = VMX_EXIT_UD,
	[EXIT_REASON_VMPTRST] = VMX_EXIT_UD,
	[EXIT_REASON_VMREAD] = VMX_EXIT_UD,
	[EXIT_REASON_VMRESUME] = VMX_EXIT_UD,
	[EXIT_REASON_VMWRITE] = VMX_EXIT_UD,
	[EXIT_REASON_VMXOFF] = VMX_EXIT_UD,
	[EXIT_REASON_VMXON] = VMX_EXIT_UD,
	[EXIT_REASON_INVEPT] = VMX_EXIT_UD,
	[EXIT_REASON_INVVPID] = VMX_EXIT_UD,
};

/* SDM 3C 27.2.1: an intercepted exception or NMI (Table 24-18). */
static void decode_exception(vmx_field_reader read_field, struct vmx_exit *e)
{
	u32 intr = read_field(VMCS_RO_EXIT_INTR_INFO);

	e->exc.vector = INTR_INFO_VECTOR(intr);
	e->exc.has_errcode = intr & INTR_INFO_DELIVER_ERRCODE;
	if (e->exc.has_errcode)
		e->exc.errcode = read_field(VMCS_RO_EXIT_INTR_ERRCODE);
	if (INTR_INFO_TYPE(intr) == INTR_TYPE_NMI) {
		/*
		 * With "NMI exiting" every NMI is the host's (SDM 3C 25.2):
		 * the core hands it to the firmware.  The interruption type
		 * (2, NMI) tells it apart from a hardware exception (type 3),
		 * whatever the vector.
		 */
		e->kind = VMX_EXIT_NMI;
	} else if (e->exc.vector == X86_VEC_PF) {
		e->kind = VMX_EXIT_PAGE_FAULT;
		e->exc.cr2 = e->qual;	/* 27.2.1: the faulting address */
	} else {
		e->kind = VMX_EXIT_EXCEPTION;
	}
}

void vmx_decode_exit(vmx_field_reader read_field, const struct vmx_vcpu *v,
		     struct vmx_exit *e)
{
	u32 basic, intr;

	e->reason = read_field(VMCS_RO_EXIT_REASON);
	e->qual = read_field(VMCS_RO_EXIT_QUALIFICATION);
	e->instr_len = read_field(VMCS_RO_EXIT_INSTR_LEN);

	if (e->reason & VMX_EXIT_REASON_ENTRY_FAILURE) {
		e->kind = VMX_EXIT_ENTRY_FAILED;
		return;
	}

	intr = read_field(VMCS_RO_IDT_VECTORING_INFO);
	if (intr & INTR_INFO_VALID) {
		e->delivery.valid = true;
		e->delivery.vector = INTR_INFO_VECTOR(intr);
		e->delivery.hw_exception =
			INTR_INFO_TYPE(intr) == INTR_TYPE_HARD_EXCEPTION;
	}

	basic = VMX_EXIT_REASON_BASIC(e->reason);
	switch (basic) {
	case EXIT_REASON_EXCEPTION_NMI:
		decode_exception(read_field, e);
		break;
	case EXIT_REASON_INVLPG:
		e->kind = VMX_EXIT_INVLPG;
		e->invlpg.gva = e->qual;
		break;
	case EXIT_REASON_CR_ACCESS:
		decode_cr_access(read_field, v, e);
		break;
	case EXIT_REASON_DR_ACCESS:
		/* SDM 3C 27.2.1, Table 27-4. */
		e->kind = VMX_EXIT_DR_ACCESS;
		e->dr.dr = DR_QUAL_DR(e->qual);
		e->dr.gpr = DR_QUAL_GPR(e->qual);
		e->dr.to_dr = !(e->qual & DR_QUAL_FROM_DR);
		break;
	case EXIT_REASON_IO_INSTRUCTION:
		e->kind = VMX_EXIT_IO;
		e->io.port = IO_QUAL_PORT(e->qual);
		e->io.size = IO_QUAL_SIZE(e->qual);
		e->io.in = IO_QUAL_IN(e->qual);
		e->io.string = IO_QUAL_STRING(e->qual);
		e->io.rep = IO_QUAL_REP(e->qual);
		break;
	default:
		e->kind = basic < ARRAY_SIZE(plain_kind) && plain_kind[basic] ?
			  plain_kind[basic] : VMX_EXIT_UNHANDLED;
		break;
	}
}
