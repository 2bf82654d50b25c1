// SPDX-License-Identifier: MIT
#include <hv/emul/retire.h>
#include <hv/vmx/vmx.h>
#include <lib/x86.h>

/* IA32_DEBUGCTL.BTF (lib/x86.h): TF traps on branches only (SDM 3B 17.4.3). */

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
		  vmx_read(VMX_REG_PENDING_DBG) | VMX_PENDING_DBG_BS);
}
