// SPDX-License-Identifier: MIT
/*
 * CPUID: the host's answers, minus what the guest cannot use here (VMX,
 * SMX, PCID, the features behind CR4 bits we refuse), plus the
 * hypervisor-present bit and Aperture's leaf at 0x40000000.
 */
#include <lib/cpu.h>
#include <hv/exit/handlers.h>
#include <hv/vm.h>

static void aperture_leaf(u32 leaf, struct cpuid_regs *r)
{
	r->eax = r->ebx = r->ecx = r->edx = 0;
	if (leaf == APERTURE_CPUID_LEAF) {
		r->eax = APERTURE_CPUID_LEAF;
		r->ebx = APERTURE_CPUID_SIG_EBX;
		r->ecx = APERTURE_CPUID_SIG_ECX;
		r->edx = APERTURE_CPUID_SIG_EDX;
	}
}

static void filter_leaf(const struct vcpu *vcpu, u32 leaf, u32 subleaf,
			struct cpuid_regs *r)
{
	if (leaf == 1) {
		r->ecx &= ~(CPUID_1_ECX_VMX | CPUID_1_ECX_SMX |
			    CPUID_1_ECX_PCID | CPUID_1_ECX_X2APIC);
		/* cr.c refuses CR4.VME and CR4.PVI. */
		r->edx &= ~CPUID_1_EDX_VME;
		r->ecx |= CPUID_1_ECX_HYPERVISOR;
		/* OSXSAVE mirrors the guest's CR4, not ours. */
		r->ecx &= ~CPUID_1_ECX_OSXSAVE;
		if (vcpu->cr4 & X86_CR4_OSXSAVE)
			r->ecx |= CPUID_1_ECX_OSXSAVE;
		/* No XSAVE for guests if we cannot run XSETBV. */
		if (!host_has_xsave())
			r->ecx &= ~(CPUID_1_ECX_XSAVE | CPUID_1_ECX_AVX);
	} else if (leaf == 7 && subleaf == 0) {
		/* Features behind CR4 bits that cr.c refuses. */
		r->ebx &= ~(CPUID_7_EBX_FSGSBASE | CPUID_7_EBX_SMEP |
			    CPUID_7_EBX_INVPCID | CPUID_7_EBX_SMAP);
		r->ecx &= ~(CPUID_7_ECX_UMIP | CPUID_7_ECX_PKU |
			    CPUID_7_ECX_LA57);
	}
}

struct exit_action handle_cpuid(struct vcpu *vcpu, const struct vmx_exit *exit)
{
	u64 *gpr = vcpu->vmx.gpr;
	u32 leaf = gpr[GPR_RAX], subleaf = gpr[GPR_RCX];
	struct cpuid_regs r;

	if ((leaf & 0xffff0000u) == APERTURE_CPUID_LEAF) {
		aperture_leaf(leaf, &r);
	} else {
		cpuid_count(leaf, subleaf, &r);
		filter_leaf(vcpu, leaf, subleaf, &r);
	}
	/* CPUID writes EAX-EDX whole, zeroing the upper halves (SDM 2). */
	gpr[GPR_RAX] = r.eax;
	gpr[GPR_RBX] = r.ebx;
	gpr[GPR_RCX] = r.ecx;
	gpr[GPR_RDX] = r.edx;
	return act_skip(exit->instr_len);
}
