/* SPDX-License-Identifier: MIT */
/*
 * The processor state a guest owns outside the VMCS, loaded before its
 * first entry (host_state.h says how the firmware's comes back).
 */
#ifndef HV_CPU_GUEST_H
#define HV_CPU_GUEST_H

struct vcpu;

/*
 * The reset/INIT values of SDM 3A Table 9-1 that the VMCS does not load:
 * vcpu_init() sets the vCPU's copies, guest_cpu_load() puts them in the
 * processor: clean extended state with XCR0 = x87, DR0-DR3 = 0, DR6 =
 * 0xffff0ff0, and the guest's IA32_KERNEL_GS_BASE, STAR, LSTAR, FMASK and
 * TSC_AUX.
 */
void guest_cpu_reset(struct vcpu *vcpu);
void guest_cpu_load(struct vcpu *vcpu);

#endif /* HV_CPU_GUEST_H */
