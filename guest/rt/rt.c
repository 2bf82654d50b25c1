// SPDX-License-Identifier: MIT
#include "cpu.h"
#include "hypercall.h"
#include "io.h"
#include "rt.h"

bool aperture_present(void)
{
	struct cpuid_regs r;

	/*
	 * Leaves 0x40000000-0x4fffffff are reserved for hypervisors only when
	 * CPUID.1:ECX[31] is set; otherwise the CPU answers them with the
	 * highest basic leaf (SDM Vol. 2A, CPUID), which could match by chance.
	 */
	if (!(cpuid(1).ecx & CPUID_1_ECX_HYPERVISOR))
		return false;
	r = cpuid(APERTURE_CPUID_LEAF);
	return r.ebx == APERTURE_CPUID_SIG_EBX &&
	       r.ecx == APERTURE_CPUID_SIG_ECX &&
	       r.edx == APERTURE_CPUID_SIG_EDX;
}

noreturn void rt_exit(u32 status)
{
	/* VMCALL raises #UD outside Aperture, so only try it under Aperture. */
	if (aperture_present())
		hc1(APERTURE_HC_EXIT, status);
	outb(DEBUG_EXIT_PORT, (u8)status);
	cli_hlt_forever();
}
