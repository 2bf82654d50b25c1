// SPDX-License-Identifier: MIT
/*
 * Decoding VM exits into `struct vmx_exit`, and the guest-state accessors
 * the core uses while it handles them.
 */
#define LOG_SUBSYS "vmx"
#include <lib/log.h>
#include <lib/x86.h>
#include <hv/vmx/internal.h>
#include <hv/vmx/vmx_insn.h>

static const u32 reg_fields[] = {
	[VMX_REG_RIP] = VMCS_GUEST_RIP,
	[VMX_REG_RSP] = VMCS_GUEST_RSP,
	[VMX_REG_RFLAGS] = VMCS_GUEST_RFLAGS,
	[VMX_REG_CR0] = VMCS_GUEST_CR0,
	[VMX_REG_CR3] = VMCS_GUEST_CR3,
	[VMX_REG_CR4] = VMCS_GUEST_CR4,
	[VMX_REG_CR0_SHADOW] = VMCS_CTRL_CR0_READ_SHADOW,
	[VMX_REG_CR4_SHADOW] = VMCS_CTRL_CR4_READ_SHADOW,
	[VMX_REG_EFER] = VMCS_GUEST_IA32_EFER,
	[VMX_REG_CS_AR] = VMCS_GUEST_CS_AR,
	[VMX_REG_CS_BASE] = VMCS_GUEST_CS_BASE,
	[VMX_REG_SS_AR] = VMCS_GUEST_SS_AR,
	[VMX_REG_GDTR_BASE] = VMCS_GUEST_GDTR_BASE,
	[VMX_REG_IDTR_BASE] = VMCS_GUEST_IDTR_BASE,
	[VMX_REG_SYSENTER_CS] = VMCS_GUEST_SYSENTER_CS,
	[VMX_REG_SYSENTER_ESP] = VMCS_GUEST_SYSENTER_ESP,
	[VMX_REG_SYSENTER_EIP] = VMCS_GUEST_SYSENTER_EIP,
	[VMX_REG_PAT] = VMCS_GUEST_IA32_PAT,
	[VMX_REG_FS_BASE] = VMCS_GUEST_FS_BASE,
	[VMX_REG_GS_BASE] = VMCS_GUEST_GS_BASE,
	[VMX_REG_INTERRUPTIBILITY] = VMCS_GUEST_INTERRUPTIBILITY,
};

u64 vmx_read(enum vmx_reg reg)
{
	return vmcs_read(reg_fields[reg]);
}

void vmx_write(enum vmx_reg reg, u64 val)
{
	vmcs_write(reg_fields[reg], val);
}

unsigned int vmx_guest_cpl(void)
{
	return VMX_AR_DPL(vmcs_read(VMCS_GUEST_SS_AR));
}

void vmx_set_long_mode(bool on)
{
	u64 entry = vmcs_read(VMCS_CTRL_ENTRY);

	if (on)
		entry |= VM_ENTRY_IA32E_MODE;
	else
		entry &= ~(u64)VM_ENTRY_IA32E_MODE;
	vmcs_write(VMCS_CTRL_ENTRY, entry);
}

void vmx_skip_instruction(u32 instr_len)
{
	u64 intr = vmcs_read(VMCS_GUEST_INTERRUPTIBILITY);

	vmcs_write(VMCS_GUEST_RIP, vmcs_read(VMCS_GUEST_RIP) + instr_len);
	/* The emulated instruction retired: STI/MOV SS blocking ends (24.4.2). */
	if (intr & (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS))
		vmcs_write(VMCS_GUEST_INTERRUPTIBILITY,
			   intr & ~(u64)(GUEST_INTR_STATE_STI |
					 GUEST_INTR_STATE_MOV_SS));
}

/* SDM 3C 24.8.3: VM-entry event injection of a hardware exception. */
void vmx_inject_exception(u8 vector, bool has_errcode, u32 errcode)
{
	u32 info = vector | (INTR_TYPE_HARD_EXCEPTION << INTR_INFO_TYPE_SHIFT) |
		   INTR_INFO_VALID;

	if (has_errcode) {
		info |= INTR_INFO_DELIVER_ERRCODE;
		vmcs_write(VMCS_CTRL_ENTRY_EXCEPTION_ERRCODE, errcode);
	}
	vmcs_write(VMCS_CTRL_ENTRY_INTR_INFO, info);
}

/*
 * Delivers again the event an exit interrupted (SDM 3C 27.2.4, 28.2.4):
 * the IDT-vectoring fields have the VM-entry interruption fields' format,
 * less bit 12, which must be 0 on entry; software interrupts and
 * exceptions also need the instruction length.
 */
void vmx_reinject(const struct vmx_exit *exit)
{
	u32 info = vmcs_read(VMCS_RO_IDT_VECTORING_INFO);
	u32 type = INTR_INFO_TYPE(info);

	if (!(info & INTR_INFO_VALID))
		return;
	if (info & INTR_INFO_DELIVER_ERRCODE)
		vmcs_write(VMCS_CTRL_ENTRY_EXCEPTION_ERRCODE,
			   vmcs_read(VMCS_RO_IDT_VECTORING_ERRCODE));
	if (type == INTR_TYPE_SOFT_INTR || type == INTR_TYPE_PRIV_SW_EXCEPTION ||
	    type == INTR_TYPE_SOFT_EXCEPTION)
		vmcs_write(VMCS_CTRL_ENTRY_INSTR_LEN, exit->instr_len);
	vmcs_write(VMCS_CTRL_ENTRY_INTR_INFO, info & ~(u32)INTR_INFO_NMI_UNBLOCK);
}

static u64 read_gpr(const struct vmx_vcpu *v, unsigned int gpr)
{
	return gpr == GPR_RSP ? vmcs_read(VMCS_GUEST_RSP) : v->gpr[gpr];
}

/* SDM 3C 27.2.1, Table 27-3: control-register accesses. */
static void decode_cr_access(const struct vmx_vcpu *v, struct vmx_exit *e)
{
	u64 cr0 = vmcs_read(VMCS_CTRL_CR0_READ_SHADOW);

	e->cr.cr = CR_QUAL_CR(e->qual);
	e->cr.gpr = CR_QUAL_GPR(e->qual);
	switch (CR_QUAL_TYPE(e->qual)) {
	case CR_ACCESS_MOV_TO:
		e->kind = VMX_EXIT_CR_WRITE;
		e->cr.value = read_gpr(v, e->cr.gpr);
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
		e->cr.value = (cr0 & ~0xeull) |
			      (CR_QUAL_LMSW_DATA(e->qual) & 0xf);
		break;
	}
}

void vmx_decode_exit(const struct vmx_vcpu *v, struct vmx_exit *e)
{
	u32 intr;

	e->reason = vmcs_read(VMCS_RO_EXIT_REASON);
	e->qual = vmcs_read(VMCS_RO_EXIT_QUALIFICATION);
	e->instr_len = vmcs_read(VMCS_RO_EXIT_INSTR_LEN);

	if (e->reason & VMX_EXIT_REASON_ENTRY_FAILURE) {
		e->kind = VMX_EXIT_ENTRY_FAILED;
		return;
	}

	intr = vmcs_read(VMCS_RO_IDT_VECTORING_INFO);
	if (intr & INTR_INFO_VALID) {
		e->delivery.valid = true;
		e->delivery.vector = INTR_INFO_VECTOR(intr);
		e->delivery.hw_exception =
			INTR_INFO_TYPE(intr) == INTR_TYPE_HARD_EXCEPTION;
	}

	switch (VMX_EXIT_REASON_BASIC(e->reason)) {
	case EXIT_REASON_EXTERNAL_INTERRUPT:
		e->kind = VMX_EXIT_EXTINT;
		break;
	case EXIT_REASON_EXCEPTION_NMI:
		intr = vmcs_read(VMCS_RO_EXIT_INTR_INFO);
		e->exc.vector = INTR_INFO_VECTOR(intr);
		e->exc.has_errcode = intr & INTR_INFO_DELIVER_ERRCODE;
		if (e->exc.has_errcode)
			e->exc.errcode = vmcs_read(VMCS_RO_EXIT_INTR_ERRCODE);
		if (INTR_INFO_TYPE(intr) == INTR_TYPE_NMI) {
			/* A host NMI: nothing of the guest's; resume. */
			e->kind = VMX_EXIT_EXTINT;
		} else if (e->exc.vector == X86_VEC_PF) {
			e->kind = VMX_EXIT_PAGE_FAULT;
			e->exc.cr2 = e->qual;	/* 27.2.1: the faulting address */
		} else {
			e->kind = VMX_EXIT_EXCEPTION;
		}
		break;
	case EXIT_REASON_TRIPLE_FAULT:
		e->kind = VMX_EXIT_TRIPLE_FAULT;
		break;
	case EXIT_REASON_PREEMPTION_TIMER:
		e->kind = VMX_EXIT_TIMER;
		break;
	case EXIT_REASON_CPUID:
		e->kind = VMX_EXIT_CPUID;
		break;
	case EXIT_REASON_HLT:
		e->kind = VMX_EXIT_HLT;
		break;
	case EXIT_REASON_INVD:
		e->kind = VMX_EXIT_INVD;
		break;
	case EXIT_REASON_WBINVD:
		e->kind = VMX_EXIT_WBINVD;
		break;
	case EXIT_REASON_INVLPG:
		e->kind = VMX_EXIT_INVLPG;
		e->invlpg.gva = e->qual;
		break;
	case EXIT_REASON_VMCALL:
		e->kind = VMX_EXIT_VMCALL;
		break;
	case EXIT_REASON_GETSEC:
	case EXIT_REASON_VMCLEAR:
	case EXIT_REASON_VMLAUNCH:
	case EXIT_REASON_VMPTRLD:
	case EXIT_REASON_VMPTRST:
	case EXIT_REASON_VMREAD:
	case EXIT_REASON_VMRESUME:
	case EXIT_REASON_VMWRITE:
	case EXIT_REASON_VMXOFF:
	case EXIT_REASON_VMXON:
	case EXIT_REASON_INVEPT:
	case EXIT_REASON_INVVPID:
		e->kind = VMX_EXIT_UD;
		break;
	case EXIT_REASON_CR_ACCESS:
		decode_cr_access(v, e);
		break;
	case EXIT_REASON_IO_INSTRUCTION:
		e->kind = VMX_EXIT_IO;
		e->io.port = IO_QUAL_PORT(e->qual);
		e->io.size = IO_QUAL_SIZE(e->qual);
		e->io.in = IO_QUAL_IN(e->qual);
		e->io.string = IO_QUAL_STRING(e->qual);
		e->io.rep = IO_QUAL_REP(e->qual);
		break;
	case EXIT_REASON_MSR_READ:
		e->kind = VMX_EXIT_MSR_READ;
		break;
	case EXIT_REASON_MSR_WRITE:
		e->kind = VMX_EXIT_MSR_WRITE;
		break;
	case EXIT_REASON_XSETBV:
		e->kind = VMX_EXIT_XSETBV;
		break;
	default:
		e->kind = VMX_EXIT_UNHANDLED;
		break;
	}
}
