// SPDX-License-Identifier: MIT
/*
 * XSETBV changes the real XCR0, which the host does not use (vcpu_run puts
 * the host's back afterwards).  Without CR4.OSXSAVE it is #UD; the value
 * must enable x87, may only name components the processor supports
 * (CPUID.(EAX=0DH,ECX=0)), and AVX needs SSE (SDM 1 13.3), else #GP.
 */
#include <lib/cpu.h>
#include <hv/exit/handlers.h>
#include <hv/vm.h>

struct exit_action handle_xsetbv(struct vcpu *vcpu, const struct vmx_exit *exit)
{
	u64 *gpr = vcpu->vmx.gpr;
	u64 val = (gpr[GPR_RDX] << 32) | (u32)gpr[GPR_RAX];
	struct cpuid_regs r;

	if (!(vcpu->cr4 & X86_CR4_OSXSAVE))
		return act_ud();
	cpuid_count(0xd, 0, &r);
	if ((u32)gpr[GPR_RCX] != 0 || !(val & XCR0_X87) ||
	    (val & ~(((u64)r.edx << 32) | r.eax)) ||
	    ((val & XCR0_AVX) && !(val & XCR0_SSE)))
		return act_gp();
	xsetbv0(val);
	vcpu->xcr0 = val;
	return act_skip(exit->instr_len);
}
