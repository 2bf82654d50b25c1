// SPDX-License-Identifier: MIT
/*
 * The guest registers the core reads and changes while it handles an exit,
 * named by enum vmx_reg rather than by VMCS encoding.
 */
#include <lib/x86.h>
#include <hv/vmx/vmx.h>
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
	[VMX_REG_DR7] = VMCS_GUEST_DR7,
	[VMX_REG_DEBUGCTL] = VMCS_GUEST_IA32_DEBUGCTL,
	[VMX_REG_PENDING_DBG] = VMCS_GUEST_PENDING_DBG_EXCEPTIONS,
	[VMX_REG_TR_AR] = VMCS_GUEST_TR_AR,
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

void vmx_set_tsc_offset(u64 offset)
{
	vmcs_write(VMCS_CTRL_TSC_OFFSET, offset);
}

void vmx_skip_instruction(u32 instr_len)
{
	u64 intr = vmcs_read(VMCS_GUEST_INTERRUPTIBILITY);

	vmcs_write(VMCS_GUEST_RIP, vmcs_read(VMCS_GUEST_RIP) + instr_len);
	/* The instruction retired: STI/MOV SS blocking ends (24.4.2). */
	if (intr & (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS))
		vmcs_write(VMCS_GUEST_INTERRUPTIBILITY,
			   intr & ~(u64)(GUEST_INTR_STATE_STI |
					 GUEST_INTR_STATE_MOV_SS));
}

bool vmx_guest_interruptible(void)
{
	return (vmcs_read(VMCS_GUEST_RFLAGS) & X86_RFLAGS_IF) &&
	       !(vmcs_read(VMCS_GUEST_INTERRUPTIBILITY) &
		 (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS));
}
