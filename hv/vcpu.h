/* SPDX-License-Identifier: MIT */
/*
 * A virtual CPU: its VMX state, the control state the guest sees (the
 * hardware runs other values, see hv/exit/cr.c) and its view of the
 * shadow MMU.
 */
#ifndef HV_VCPU_H
#define HV_VCPU_H

#include <hv/dev/lapic.h>
#include <hv/mmu/mmu.h>
#include <hv/vmx/vmx.h>
#include <lib/types.h>

struct vm;

struct vcpu {
	struct vm *vm;
	struct vmx_vcpu vmx;
	/* Control state as the guest sees it. */
	u64 cr0, cr3, cr4, efer;
	u64 xcr0;
	struct lapic lapic;	/* CR8 is its TPR; the real TPR stays the host's */
	bool halted;		/* HLT: waiting for an interrupt */
	bool irq_window;	/* interrupt-window exiting is on */
	/*
	 * MSRs SYSCALL, SWAPGS and RDTSCP use without exiting: the values
	 * are live in the processor while the guest runs (hv/cpu/guest.c),
	 * and kept here as the guest wrote them.  KERNEL_GS_BASE also
	 * changes with each SWAPGS: msr.c reads it from the processor.
	 */
	struct {
		u64 kernel_gs_base, star, lstar, cstar, fmask, tsc_aux;
	} msr;
	u64 tsc_offset;		/* guest TSC = host TSC + this (VMCS too) */
	struct mmu_vcpu mmu;
	u64 hw_cr3_loaded;	/* the shadow root the VMCS holds */
};

/*
 * The guest's general-purpose registers by x86 number.  RSP lives in the
 * VMCS (SDM 3C 24.4.1); entry.S saves the others around each entry.
 */
static inline u64 vcpu_read_gpr(const struct vcpu *vcpu, unsigned int reg)
{
	return reg == GPR_RSP ? vmx_read(VMX_REG_RSP) : vcpu->vmx.gpr[reg];
}

static inline void vcpu_write_gpr(struct vcpu *vcpu, unsigned int reg,
				  u64 val)
{
	if (reg == GPR_RSP)
		vmx_write(VMX_REG_RSP, val);
	else
		vcpu->vmx.gpr[reg] = val;
}

/* The guest's TSC now (the host's plus the guest's offset). */
u64 vcpu_guest_tsc(const struct vcpu *vcpu);

/* Points the hardware at the shadow root the MMU chose, if it changed. */
static inline void vcpu_load_hw_cr3(struct vcpu *vcpu)
{
	if (vcpu->mmu.hw_cr3 == vcpu->hw_cr3_loaded)
		return;
	vmx_write(VMX_REG_CR3, vcpu->mmu.hw_cr3);
	vcpu->hw_cr3_loaded = vcpu->mmu.hw_cr3;
}

/*
 * Builds the VMCS for a guest entering at @entry in 32-bit protected mode
 * with paging off and EBX = @mbi_gpa, as Multiboot specifies.
 */
int vcpu_init(struct vcpu *vcpu, u32 entry, u32 mbi_gpa);

/* Runs the guest until it ends; vm->state then says how. */
void vcpu_run(struct vcpu *vcpu);

#endif /* HV_VCPU_H */
