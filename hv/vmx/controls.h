/* SPDX-License-Identifier: MIT */
/*
 * Computing the VMX controls from the capability MSRs, as a pure function:
 * no MSR is read here, so every CPU generation's capability set can be
 * replayed in a host test (test/unit/vmx_controls_test.c).
 */
#ifndef HV_VMX_CONTROLS_H
#define HV_VMX_CONTROLS_H

#include <lib/types.h>
#include <hv/vmx/vmx.h>

/*
 * Fills *@out from @caps (its pin/proc/proc2/exit/entry capability words,
 * misc and the CPU signature).  Returns 0, or -EOPNOTSUPP when a control
 * the hypervisor cannot work without is missing; @why (of @len bytes) then
 * names the first one, e.g. "VM-exit control 'load IA32_EFER' (bit 21) not
 * supported".
 */
int vmx_controls_compute(const struct vmx_caps *caps, struct vmx_controls *out,
			 char *why, size_t len);

/*
 * Whether the processor with this CPUID.1:EAX signature has the erratum
 * that makes the VMX-preemption timer count at a rate other than the one
 * IA32_VMX_MISC reports.
 */
bool vmx_timer_erratum(u32 signature);

#endif /* HV_VMX_CONTROLS_H */
