// SPDX-License-Identifier: MIT
#include <hv/emul/retire.h>
#include <hv/vmx/vmx.h>
#include <lib/x86.h>

/* Pending debug exceptions, BS: single step (SDM 3C 24.4.2, Table 24-4). */
#define PENDING_DBG_BS		BIT(14)
/* IA32_DEBUGCTL.BTF: TF traps on branches only (SDM 3B 17.4.3). */
#define DEBUGCTL_BTF		BIT(1)

void emulate_retired(void)
{
	u64 rflags = vmx_read(VMX_REG_RFLAGS);

	if (rflags & X86_RFLAGS_RF)
		vmx_write(VMX_REG_RFLAGS, rflags & ~X86_RFLAGS_RF);
	/*
	 * With BTF set only a branch traps; no instruction the hypervisor
	 * completes is a branch.
	 */
	if (!(rflags & X86_RFLAGS_TF) ||
	    (vmx_read(VMX_REG_DEBUGCTL) & DEBUGCTL_BTF))
		return;
	vmx_write(VMX_REG_PENDING_DBG,
		  vmx_read(VMX_REG_PENDING_DBG) | PENDING_DBG_BS);
}
