// SPDX-License-Identifier: MIT
/*
 * Event injection: the exceptions the core raises in the guest, and the
 * re-delivery of an event that a VM exit interrupted.
 */
#include <hv/vmx/vmx.h>
#include <hv/vmx/vmx_insn.h>

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

void vmx_inject_interrupt(u8 vector)
{
	vmcs_write(VMCS_CTRL_ENTRY_INTR_INFO,
		   vector | (INTR_TYPE_EXT_INTR << INTR_INFO_TYPE_SHIFT) |
		   INTR_INFO_VALID);
}

void vmx_set_irq_window(bool on)
{
	u64 proc = vmcs_read(VMCS_CTRL_PROC_BASED);

	if (on)
		proc |= CPU_BASED_INTR_WINDOW_EXITING;
	else
		proc &= ~(u64)CPU_BASED_INTR_WINDOW_EXITING;
	vmcs_write(VMCS_CTRL_PROC_BASED, proc);
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
	if (type == INTR_TYPE_SOFT_INTR ||
	    type == INTR_TYPE_PRIV_SW_EXCEPTION ||
	    type == INTR_TYPE_SOFT_EXCEPTION)
		vmcs_write(VMCS_CTRL_ENTRY_INSTR_LEN, exit->instr_len);
	vmcs_write(VMCS_CTRL_ENTRY_INTR_INFO,
		   info & ~(u32)INTR_INFO_NMI_UNBLOCK);
}
