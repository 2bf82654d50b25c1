// SPDX-License-Identifier: MIT
/*
 * Guest control registers and EFER.  The guest owns none of their bits (the
 * CR0/CR4 guest/host masks are all ones, CR3 loads and stores exit, EFER is
 * loaded from the VMCS), so this file is the only place that decides what
 * the guest sees (the read shadows, vcpu->cr*) and what the hardware runs:
 * always protected mode with paging on the shadow tables, WP set so that
 * read-only shadow entries bind the guest kernel too, NXE set so that
 * shadow entries can carry NX.
 */
#define LOG_SUBSYS "cpu"
#include <lib/cpu.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <hv/exit/cr.h>
#include <hv/vm.h>
#include <lib/x86.h>

/*
 * CR4 bits a guest may set and that run as the guest set them.  Not MCE:
 * CPUID hides machine checks, and a CR4 bit of a feature CPUID does not
 * report is reserved (SDM 3A 2.5).
 */
#define CR4_GUEST_PASSTHROUGH	(X86_CR4_TSD | X86_CR4_DE | \
				 X86_CR4_PCE | X86_CR4_OSFXSR | \
				 X86_CR4_OSXMMEXCPT | X86_CR4_OSXSAVE)
/* CR0 bits that change what the shadow MMU builds. */
#define CR0_PAGING		(X86_CR0_PG | X86_CR0_WP | X86_CR0_PE)
/* A MOV to CR0 changing these loads the PAE PDPTEs (SDM 3A 4.4.1). */
#define CR0_LOADS_PDPTES	(X86_CR0_CD | X86_CR0_NW | X86_CR0_PG)
/* CR4 bits a guest may set that only the shadow MMU interprets. */
#define CR4_GUEST_PAGING	(X86_CR4_PSE | X86_CR4_PAE | X86_CR4_PGE)

static bool host_has_nx(void)
{
	struct cpuid_regs r;

	cpuid_count(0x80000001, 0, &r);
	return r.edx & BIT(20);
}

static void load_hw_state(struct vcpu *vcpu)
{
	bool lma = vcpu->efer & EFER_LMA;
	u64 cr0, cr4, efer;

	cr0 = (vcpu->cr0 & (X86_CR0_MP | X86_CR0_EM | X86_CR0_TS |
			    X86_CR0_ET | X86_CR0_AM)) |
	      X86_CR0_PE | X86_CR0_PG | X86_CR0_NE | X86_CR0_WP;
	cr0 = (cr0 | vmx_caps.cr0_fixed0) & vmx_caps.cr0_fixed1;
	cr4 = (vcpu->cr4 & CR4_GUEST_PASSTHROUGH) | X86_CR4_PAE | X86_CR4_VMXE;
	cr4 = (cr4 | vmx_caps.cr4_fixed0) & vmx_caps.cr4_fixed1;
	/* SYSCALL does not exit: it needs the guest's SCE (SDM 2, SYSCALL). */
	efer = (host_has_nx() ? EFER_NXE : 0) | (lma ? EFER_LMA | EFER_LME : 0) |
	       (vcpu->efer & EFER_SCE);

	vmx_write(VMX_REG_CR0, cr0);
	vmx_write(VMX_REG_CR0_SHADOW, vcpu->cr0);
	vmx_write(VMX_REG_CR4, cr4);
	vmx_write(VMX_REG_CR4_SHADOW, vcpu->cr4);
	vmx_write(VMX_REG_EFER, efer);
	vmx_set_long_mode(lma);
	vcpu_load_hw_cr3(vcpu);
}

/*
 * Recomputes the shadow root after a change the MMU depends on: CR_OK,
 * CR_GP for PAE PDPTEs that may not be loaded (SDM 3A 4.4.1), or -ENOMEM.
 * @load_pdptes: the write is one that loads the PDPTEs under PAE paging.
 */
static int paging_changed(struct vcpu *vcpu, bool load_pdptes)
{
	struct mmu_regs regs = {
		.cr0 = vcpu->cr0,
		.cr3 = vcpu->cr3,
		.cr4 = vcpu->cr4,
		.efer = vcpu->efer,
	};
	int ret = mmu_reset_context(&vcpu->mmu, &regs, load_pdptes);

	if (ret < 0)
		return ret;
	if (ret == MMU_BAD_PDPTES)
		return CR_GP;
	load_hw_state(vcpu);
	return CR_OK;
}

/*
 * "#GP(0) if an attempt is made to activate IA-32e mode and either the
 * current CS has the L bit set or the TR references a 16-bit TSS" (SDM 2,
 * MOV CR).  Both would otherwise reach the VM entry checks, which refuse
 * them in an IA-32e mode guest (SDM 3C 26.3.1.2: CS.L with CS.D, and a TR
 * that is not a 64-bit busy TSS), and end the guest instead of faulting.
 */
static bool ia32e_activation_ok(void)
{
	if (vmx_read(VMX_REG_CS_AR) & X86_AR_L)
		return false;
	return vmx_read(VMX_REG_TR_AR) & X86_AR_TYPE_TSS_32;
}

int vcpu_set_cr0(struct vcpu *vcpu, u64 val)
{
	u64 old = vcpu->cr0, old_efer = vcpu->efer;
	bool lme = vcpu->efer & EFER_LME;
	int ret;

	/* SDM 3A 2.5 and the MOV CR0 #GP conditions (SDM 2, MOV CR). */
	if (val >> 32)
		return CR_GP;
	if ((val & X86_CR0_PG) && !(val & X86_CR0_PE))
		return CR_GP;
	if ((val & X86_CR0_NW) && !(val & X86_CR0_CD))
		return CR_GP;
	/* The other reserved bits of 31:0 are ignored, and read as 0. */
	val &= X86_CR0_DEFINED;
	/* Leaving long mode from 64-bit code is #GP (SDM 3A 9.8.5.4). */
	if (!(val & X86_CR0_PG) && (vcpu->efer & EFER_LMA) &&
	    (vmx_read(VMX_REG_CS_AR) & X86_AR_L))
		return CR_GP;
	/*
	 * Without "unrestricted guest" the processor cannot run a guest with
	 * CR0.PE = 0 (SDM 3C 26.3.1.1), and we do not emulate real mode.
	 */
	if (!(val & X86_CR0_PE))
		return CR_NO_REAL_MODE;

	if ((val & X86_CR0_PG) && !(old & X86_CR0_PG) && lme) {
		/* Activating IA-32e mode needs PAE first (SDM 3A 9.8.5). */
		if (!(vcpu->cr4 & X86_CR4_PAE))
			return CR_GP;
		if (!ia32e_activation_ok())
			return CR_GP;
		vcpu->efer |= EFER_LMA;
	}
	if (!(val & X86_CR0_PG) && (old & X86_CR0_PG))
		vcpu->efer &= ~EFER_LMA;

	vcpu->cr0 = val | X86_CR0_ET;
	if (!((old ^ vcpu->cr0) & (CR0_PAGING | CR0_LOADS_PDPTES))) {
		load_hw_state(vcpu);
		return CR_OK;
	}
	ret = paging_changed(vcpu, (old ^ vcpu->cr0) & CR0_LOADS_PDPTES);
	if (ret != CR_OK) {
		/* The write faults (#GP): the guest keeps its old state. */
		vcpu->cr0 = old;
		vcpu->efer = old_efer;
	}
	return ret;
}

int vcpu_set_cr4(struct vcpu *vcpu, u64 val)
{
	u64 old = vcpu->cr4;
	int ret;

	/* Reserved or unsupported CR4 bits are #GP (SDM 2, MOV CR). */
	if (val & ~(CR4_GUEST_PASSTHROUGH | CR4_GUEST_PAGING))
		return CR_GP;
	/* XSETBV runs on the host's behalf: it needs our CR4.OSXSAVE. */
	if ((val & X86_CR4_OSXSAVE) && !host_has_xsave())
		return CR_GP;
	/* IA-32e mode needs PAE: clearing it there is #GP (SDM 3A 9.8.5). */
	if ((vcpu->efer & EFER_LMA) && !(val & X86_CR4_PAE))
		return CR_GP;
	vcpu->cr4 = val;
	if (!((old ^ val) & CR4_GUEST_PAGING)) {
		load_hw_state(vcpu);
		return CR_OK;
	}
	ret = paging_changed(vcpu, true);
	if (ret != CR_OK)
		vcpu->cr4 = old;
	return ret;
}

int vcpu_set_cr3(struct vcpu *vcpu, u64 val)
{
	u64 old = vcpu->cr3;
	int ret;

	/*
	 * Outside IA-32e mode CR3 is 32 bits; in it, bits at or above
	 * MAXPHYADDR are reserved and their being set is #GP (SDM 2, MOV CR;
	 * SDM 3A 4.5).
	 */
	if (!(vcpu->efer & EFER_LMA))
		val &= 0xffffffffull;
	else if (val >> vcpu->vm->mmu.maxphyaddr)
		return CR_GP;
	vcpu->cr3 = val;
	vcpu->vm->stats.cr3_loads++;
	if (!(vcpu->cr0 & X86_CR0_PG))
		return CR_OK;	/* no effect until paging is on */
	ret = paging_changed(vcpu, true);
	if (ret != CR_OK)
		vcpu->cr3 = old;
	return ret;
}

int vcpu_set_efer(struct vcpu *vcpu, u64 val)
{
	u64 allowed = EFER_SCE | EFER_LME | EFER_LMA |
		      (host_has_nx() ? EFER_NXE : 0);
	u64 old = vcpu->efer;

	if (val & ~allowed)
		return CR_GP;
	/* LME cannot change while paging is on (SDM 3A 9.8.5). */
	if ((vcpu->cr0 & X86_CR0_PG) && ((val ^ old) & EFER_LME))
		return CR_GP;
	/* LMA is read-only (SDM 3A 2.2.1): keep it, whatever was written. */
	vcpu->efer = (val & ~EFER_LMA) | (old & EFER_LMA);
	if ((old ^ vcpu->efer) & EFER_NXE) {
		int ret = paging_changed(vcpu, false);

		if (ret != CR_OK)
			vcpu->efer = old;
		return ret;
	}
	load_hw_state(vcpu);
	return CR_OK;
}

/* 64-bit mode: IA-32e mode and a code segment with L = 1 (SDM 3A 5.2.1). */
static bool in_64bit_mode(const struct vcpu *vcpu)
{
	return (vcpu->efer & EFER_LMA) && (vmx_read(VMX_REG_CS_AR) & X86_AR_L);
}

int vcpu_set_cr8(struct vcpu *vcpu, u64 val)
{
	/* CR8 exists in 64-bit mode only (SDM 3A 2.5, SDM 2 MOV CR). */
	if (!in_64bit_mode(vcpu))
		return CR_UD;
	if (val & ~X86_CR8_TPR_MASK)
		return CR_GP;
	lapic_set_cr8(&vcpu->lapic, val);
	return CR_OK;
}

int vcpu_get_cr8(struct vcpu *vcpu, u64 *val)
{
	if (!in_64bit_mode(vcpu))
		return CR_UD;
	*val = lapic_get_cr8(&vcpu->lapic);
	return CR_OK;
}
