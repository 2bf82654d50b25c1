// SPDX-License-Identifier: MIT
/*
 * XSETBV changes the real XCR0, which the host does not use (vcpu_run puts
 * the host's back afterwards, hv/cpu/host_state.c).  The value is checked against every rule
 * the processor applies before it is executed here, in VMX root: a value
 * the processor refuses would fault in the hypervisor, not in the guest.
 */
#define LOG_SUBSYS "xcr"
#include <lib/cpu.h>
#include <lib/log.h>
#include <lib/xsetbv_checked.h>
#include <hv/cpu/features.h>
#include <hv/exit/handlers.h>
#include <hv/exit/xcr.h>
#include <hv/vm.h>

/* Both or neither: MPX's bounds registers and BNDCSR, AMX's two parts. */
static bool pair_ok(u64 val, u64 pair)
{
	return (val & pair) == 0 || (val & pair) == pair;
}

/*
 * The XSETBV #GP conditions for XCR0 (SDM 1 13.3; SDM 2, XSETBV): x87 must
 * be on; only components the processor supports (@supported, from
 * CPUID.(EAX=0DH,ECX=0):EDX:EAX); AVX needs SSE; AVX-512's three
 * components go together, and need AVX; MPX's two go together; so do
 * AMX's.
 */
bool xcr0_valid(u64 val, u64 supported)
{
	if (!(val & XCR0_X87) || (val & ~supported))
		return false;
	if ((val & XCR0_AVX) && !(val & XCR0_SSE))
		return false;
	if (!pair_ok(val, XCR0_AVX512))
		return false;
	if ((val & XCR0_AVX512) && !(val & XCR0_AVX))
		return false;
	return pair_ok(val, XCR0_BNDREGS | XCR0_BNDCSR) &&
	       pair_ok(val, XCR0_TILECFG | XCR0_TILEDATA);
}

struct exit_action handle_xsetbv(struct vcpu *vcpu, const struct vmx_exit *exit)
{
	u64 *gpr = vcpu->vmx.gpr;
	u64 val = (gpr[GPR_RDX] << 32) | (u32)gpr[GPR_RAX];

	/* Without CR4.OSXSAVE, XSETBV is #UD (SDM 2, XSETBV). */
	if (!(vcpu->cr4 & X86_CR4_OSXSAVE))
		return act_ud();
	/*
	 * ECX selects the XCR; only XCR0 exists (SDM 2, XSETBV).  The
	 * components are those CPUID.(EAX=0DH,ECX=0) tells the guest of.
	 */
	if ((u32)gpr[GPR_RCX] != 0 || !xcr0_valid(val, guest_xcr0_supported()))
		return act_gp();
	/*
	 * Should the processor still refuse the value (a rule we do not
	 * know), the fixup turns its #GP into the guest's.
	 */
	if (xsetbv_checked(val)) {
		log_warn("XSETBV %#lx faulted although xcr0_valid() allowed it\n",
			 val);
		return act_gp();
	}
	vcpu->xcr0 = val;
	return act_skip(exit->instr_len);
}
