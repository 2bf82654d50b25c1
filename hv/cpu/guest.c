// SPDX-License-Identifier: MIT
/* A guest's processor state outside the VMCS; see guest.h. */
#include <lib/cpu.h>
#include <lib/string.h>
#include <lib/x86.h>
#include <hv/cpu/features.h>
#include <hv/cpu/fpu.h>
#include <hv/cpu/guest.h>
#include <hv/vcpu.h>
#include <hv/vm.h>

void guest_cpu_reset(struct vcpu *vcpu)
{
	memset(&vcpu->msr, 0, sizeof(vcpu->msr));
	/* The local APIC at its power-up state (SDM 3A 10.4.7.1). */
	lapic_init(&vcpu->lapic, 0, LAPIC_TSC_PER_BUS_TICK,
		   vcpu->vm->mmu.maxphyaddr, NULL, NULL);
	vcpu->halted = false;
	vcpu->xcr0 = host_has_xsave() ? XCR0_X87 : 0;
}

void guest_cpu_load(struct vcpu *vcpu)
{
	fpu_guest_reset();
	if (vcpu->xcr0 && vcpu->xcr0 != XCR0_X87)
		xsetbv0(vcpu->xcr0);
	for (unsigned int i = 0; i < 4; i++)
		write_dr(i, 0);
	write_dr(6, X86_DR6_RESET);
	/*
	 * Written whether or not the guest is told of long mode: the
	 * firmware's values must not reach it.  CSTAR is not written: Intel
	 * processors never use it (SYSCALL is 64-bit mode only, SDM 2).
	 */
	wrmsr(MSR_IA32_KERNEL_GS_BASE, vcpu->msr.kernel_gs_base);
	wrmsr(MSR_IA32_STAR, vcpu->msr.star);
	wrmsr(MSR_IA32_LSTAR, vcpu->msr.lstar);
	wrmsr(MSR_IA32_FMASK, (u32)vcpu->msr.fmask);
	if (host_has_tsc_aux())
		wrmsr(MSR_IA32_TSC_AUX, vcpu->msr.tsc_aux);
}
