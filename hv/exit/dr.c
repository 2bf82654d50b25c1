// SPDX-License-Identifier: MIT
/*
 * MOV DR (SDM 2, MOV—Move to/from Debug Registers; SDM 3B 17.2).  The
 * guest's DR7 is the VMCS's; its DR0-DR3 and DR6 are the processor's
 * while it runs (hv/cpu/guest.c loads their reset values, host_state.c
 * gives the firmware its own back), so this handler reads and writes the
 * real registers, after every check: in VMX root, a value the processor
 * refuses would fault in the hypervisor.
 */
#include <lib/cpu.h>
#include <lib/x86.h>
#include <hv/exit/dr.h>
#include <hv/vm.h>

static bool in_64bit_mode(const struct vcpu *vcpu)
{
	return (vcpu->efer & EFER_LMA) && (vmx_read(VMX_REG_CS_AR) & X86_AR_L);
}

/* MOV to DR@dr of @val (DR4/DR5 already resolved to DR6/DR7). */
static struct exit_action write_dr_checked(unsigned int dr, u64 val,
					   u32 instr_len)
{
	switch (dr) {
	case 6:
		/* Bits 63:32 are reserved: #GP (SDM 2, MOV DR, 64-bit mode). */
		if (val >> 32)
			return act_gp();
		/* The others of 31:0 read as fixed (SDM 3B 17.2.3). */
		write_dr(6, (val & X86_DR6_VOLATILE) | X86_DR6_RESET);
		break;
	case 7:
		if (val >> 32)
			return act_gp();
		vmx_write(VMX_REG_DR7, (val & X86_DR7_VOLATILE) | X86_DR7_RESET);
		break;
	default:
		write_dr(dr, val);
		break;
	}
	return act_skip(instr_len);
}

struct exit_action handle_dr_access(struct vcpu *vcpu,
				    const struct vmx_exit *exit)
{
	unsigned int dr = exit->dr.dr;
	bool wide = in_64bit_mode(vcpu);
	u64 dr7 = vmx_read(VMX_REG_DR7);
	u64 val;

	/* DR4/DR5: #UD with CR4.DE, else DR6/DR7 (SDM 3B 17.2.2). */
	if (dr == 4 || dr == 5) {
		if (vcpu->cr4 & X86_CR4_DE)
			return act_ud();
		dr += 2;
	}
	if (dr > 7)
		return act_ud();
	if (vmx_guest_cpl() > 0)
		return act_gp();
	/*
	 * General detect: any MOV DR is a #DB fault with DR6.BD set, and
	 * the processor clears DR7.GD so that the handler may use the debug
	 * registers (SDM 3B 17.2.4, 17.3.1.1).  It ranks below the VM exit.
	 */
	if (dr7 & X86_DR7_GD) {
		write_dr(6, read_dr(6) | X86_DR6_BD);
		vmx_write(VMX_REG_DR7, dr7 & ~X86_DR7_GD);
		return act_inject((struct x86_exception){ .vector = X86_VEC_DB });
	}
	/* Outside 64-bit mode the operand is 32 bits (SDM 2, MOV DR). */
	if (exit->dr.to_dr) {
		val = vcpu_read_gpr(vcpu, exit->dr.gpr);
		return write_dr_checked(dr, wide ? val : (u32)val,
					exit->instr_len);
	}
	val = dr == 7 ? vmx_read(VMX_REG_DR7) : read_dr(dr);
	vcpu_write_gpr(vcpu, exit->dr.gpr, wide ? val : (u32)val);
	return act_skip(exit->instr_len);
}
