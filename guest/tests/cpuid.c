// SPDX-License-Identifier: MIT
/* What CPUID tells a guest about the CPU and the hypervisor under it. */
#include "cpu.h"
#include "hypercall.h"
#include "test.h"

int main(void)
{
	struct cpuid_regs r;

	test_init("cpuid");

	/* Nested VMX is not offered, so the guest must not see VMX. */
	r = cpuid(1);
	report(!(r.ecx & CPUID_1_ECX_VMX), "vmx_hidden (ecx=%#x)", r.ecx);
	report(r.ecx & CPUID_1_ECX_HYPERVISOR, "hypervisor_bit (ecx=%#x)",
	       r.ecx);

	r = cpuid(APERTURE_CPUID_LEAF);
	report(r.ebx == APERTURE_CPUID_SIG_EBX &&
	       r.ecx == APERTURE_CPUID_SIG_ECX &&
	       r.edx == APERTURE_CPUID_SIG_EDX,
	       "signature (%#x %#x %#x)", r.ebx, r.ecx, r.edx);
	report(r.eax >= APERTURE_CPUID_LEAF, "max_leaf (%#x)", r.eax);
	test_exit();
}
