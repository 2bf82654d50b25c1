// SPDX-License-Identifier: MIT
/* What a guest is given of the processor; see features.h. */
#include <lib/cpu.h>
#include <lib/x86.h>
#include <hv/cpu/features.h>
#include <hv/vmx/vmx.h>

/* The VMCS controls behind RDTSCP and PAT, as hv/vmx computed them. */
static bool vmcs_enables_rdtscp(void)
{
	return vmx_caps.ctls.rdtscp;
}

static bool vmcs_virtualises_pat(void)
{
	return vmx_caps.ctls.pat;
}

static bool host_has_rdtscp(void)
{
	struct cpuid_regs r;

	cpuid_count(0x80000000, 0, &r);
	if (r.eax < 0x80000001)
		return false;
	cpuid_count(0x80000001, 0, &r);
	return r.edx & CPUID_81_EDX_RDTSCP;
}

bool host_has_tsc_aux(void)
{
	struct cpuid_regs r;

	if (host_has_rdtscp())
		return true;
	cpuid_count(0, 0, &r);
	if (r.eax < 7)
		return false;
	cpuid_count(7, 0, &r);
	return r.ecx & CPUID_7_ECX_RDPID;
}

bool guest_has_rdtscp(void)
{
	return host_has_rdtscp() && vmcs_enables_rdtscp();
}

bool guest_has_pat(void)
{
	return vmcs_virtualises_pat();
}

u64 guest_xcr0_supported(void)
{
	struct cpuid_regs r;
	u64 hw, mask = XCR0_X87 | XCR0_SSE;

	/* XSETBV runs on the host's behalf: it needs our CR4.OSXSAVE. */
	if (!host_has_xsave())
		return 0;
	cpuid_count(0xd, 0, &r);
	hw = ((u64)r.edx << 32) | r.eax;
	if (hw & XCR0_AVX)
		mask |= XCR0_AVX;
	if ((mask & XCR0_AVX) && (hw & XCR0_AVX512) == XCR0_AVX512)
		mask |= XCR0_AVX512;
	return mask & hw;
}
