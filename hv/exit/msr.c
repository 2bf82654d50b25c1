// SPDX-License-Identifier: MIT
/*
 * RDMSR and WRMSR: every MSR access exits (no MSR bitmap), and only the
 * MSRs below exist for a guest; any other is #GP (SDM 2, RDMSR/WRMSR).
 * Each advertised feature brings its MSRs (docs/guest-contract.md): SEP
 * the SYSENTER ones, long mode STAR/LSTAR/CSTAR/FMASK/KERNEL_GS_BASE,
 * RDTSCP TSC_AUX, PAT IA32_PAT.
 */
#define LOG_SUBSYS "msr"
#include <lib/cpu.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <hv/cpu/features.h>
#include <hv/exit/cr.h>
#include <hv/exit/handlers.h>
#include <hv/vm.h>

/* Fast strings; nothing else of IA32_MISC_ENABLE is advertised. */
#define MISC_ENABLE_FAST_STRINGS	BIT(0)

/* MSRs whose guest value the VMCS holds (SDM 3C 24.4.1). */
static const struct {
	u32 msr;
	enum vmx_reg reg;
	bool address;		/* takes only canonical values */
} vmcs_msrs[] = {
	{ MSR_IA32_PAT, VMX_REG_PAT, false },
	{ MSR_IA32_SYSENTER_CS, VMX_REG_SYSENTER_CS, false },
	{ MSR_IA32_SYSENTER_ESP, VMX_REG_SYSENTER_ESP, true },
	{ MSR_IA32_SYSENTER_EIP, VMX_REG_SYSENTER_EIP, true },
	{ MSR_IA32_FS_BASE, VMX_REG_FS_BASE, true },
	{ MSR_IA32_GS_BASE, VMX_REG_GS_BASE, true },
};

static int vmcs_msr_index(u32 msr)
{
	for (size_t i = 0; i < ARRAY_SIZE(vmcs_msrs); i++) {
		if (vmcs_msrs[i].msr == msr)
			return i;
	}
	return -1;
}

/*
 * The MSRs that SYSCALL, SYSRET, SWAPGS and RDTSCP use without exiting:
 * the guest's values are in the processor while it runs (hv/cpu/guest.c).
 * Returns false if @msr is not one of them.
 */
static bool live_msr_read(struct vcpu *vcpu, u32 msr, u64 *val)
{
	switch (msr) {
	case MSR_IA32_KERNEL_GS_BASE:
		/* SWAPGS exchanges it with GS.base without an exit. */
		*val = rdmsr(MSR_IA32_KERNEL_GS_BASE);
		return true;
	case MSR_IA32_STAR:
		*val = vcpu->msr.star;
		return true;
	case MSR_IA32_LSTAR:
		*val = vcpu->msr.lstar;
		return true;
	case MSR_IA32_CSTAR:
		*val = vcpu->msr.cstar;
		return true;
	case MSR_IA32_FMASK:
		*val = vcpu->msr.fmask;
		return true;
	case MSR_IA32_TSC_AUX:
		if (!guest_has_rdtscp())
			return false;
		*val = vcpu->msr.tsc_aux;
		return true;
	default:
		return false;
	}
}

/*
 * CR_OK, CR_GP, or -ENOENT if @msr is not a live MSR.  Every check comes
 * before the WRMSR, which runs in VMX root: a value the processor refuses
 * would #GP in the hypervisor (SDM 2, WRMSR).
 */
static int live_msr_write(struct vcpu *vcpu, u32 msr, u64 val)
{
	switch (msr) {
	case MSR_IA32_KERNEL_GS_BASE:
	case MSR_IA32_LSTAR:
	case MSR_IA32_CSTAR:
		/* Addresses: canonical only (SDM 2, WRMSR). */
		if (!x86_is_canonical48(val))
			return CR_GP;
		if (msr == MSR_IA32_KERNEL_GS_BASE) {
			vcpu->msr.kernel_gs_base = val;
		} else if (msr == MSR_IA32_LSTAR) {
			vcpu->msr.lstar = val;
		} else {
			/* Intel processors never use CSTAR: kept here only. */
			vcpu->msr.cstar = val;
			return CR_OK;
		}
		break;
	case MSR_IA32_STAR:
		vcpu->msr.star = val;
		break;
	case MSR_IA32_FMASK:
		/*
		 * Only bits 31:0 mask RFLAGS (SDM 4 Table 2-2); the processor
		 * gets those, the guest reads back what it wrote.
		 */
		vcpu->msr.fmask = val;
		wrmsr(msr, (u32)val);
		return CR_OK;
	case MSR_IA32_TSC_AUX:
		if (!guest_has_rdtscp())
			return -ENOENT;
		/* Bits 63:32 are reserved (SDM 4 Table 2-2). */
		if (val >> 32)
			return CR_GP;
		vcpu->msr.tsc_aux = val;
		break;
	default:
		return -ENOENT;
	}
	wrmsr(msr, val);
	return CR_OK;
}

static bool msr_read(struct vcpu *vcpu, u32 msr, u64 *val)
{
	int i = vmcs_msr_index(msr);

	if (msr == MSR_IA32_PAT && !guest_has_pat())
		return false;
	if (live_msr_read(vcpu, msr, val))
		return true;
	if (i >= 0) {
		*val = vmx_read(vmcs_msrs[i].reg);
		return true;
	}
	switch (msr) {
	case MSR_IA32_EFER:
		*val = vcpu->efer;
		return true;
	case MSR_IA32_TSC:
		*val = rdtsc() + vcpu->tsc_offset;
		return true;
	case MSR_IA32_MISC_ENABLE:
		*val = MISC_ENABLE_FAST_STRINGS;
		return true;
	case MSR_IA32_DEBUGCTL:
		*val = vmx_read(VMX_REG_DEBUGCTL);
		return true;
	case MSR_IA32_BIOS_SIGN_ID:
		*val = 0;	/* no microcode update was loaded */
		return true;
	case MSR_IA32_APIC_BASE:
		*val = lapic_get_base(&vcpu->lapic);
		return true;
	case MSR_IA32_TSC_DEADLINE:
		*val = lapic_get_tsc_deadline(&vcpu->lapic);
		return true;
	default:
		return false;
	}
}

/*
 * IA32_DEBUGCTL: only BTF (single-step on branches) is offered; LBR is
 * accepted and reads back as 0, as on a processor with no LBR stack to
 * show (SDM 3B 17.4.1).  Every other bit is #GP here.
 */
static int debugctl_write(u64 val)
{
	if (val & ~(DEBUGCTL_LBR | DEBUGCTL_BTF))
		return CR_GP;
	vmx_write(VMX_REG_DEBUGCTL, val & DEBUGCTL_BTF);
	return CR_OK;
}

/* Each byte of IA32_PAT must be a valid memory type (SDM 3A 11.12.2). */
static bool pat_valid(u64 val)
{
	for (int i = 0; i < 8; i++) {
		u8 t = val >> (8 * i);

		if (t == 2 || t == 3 || t > 7)
			return false;
	}
	return true;
}

/*
 * Returns an enum cr_write or -ENOMEM.  An address MSR takes only
 * canonical values (SDM 2, WRMSR): one that is not would otherwise fail
 * the next VM entry's checks on those guest fields (SDM 3C 26.3.1.1,
 * 26.3.1.2) instead of faulting the guest's WRMSR.
 */
static int msr_write(struct vcpu *vcpu, u32 msr, u64 val)
{
	int i = vmcs_msr_index(msr);
	int ret;

	switch (msr) {
	case MSR_IA32_EFER:
		return vcpu_set_efer(vcpu, val);
	case MSR_IA32_TSC:
		/* The guest's TSC becomes @val now (SDM 3B 18.17). */
		vcpu->tsc_offset = val - rdtsc();
		vmx_set_tsc_offset(vcpu->tsc_offset);
		return CR_OK;
	case MSR_IA32_MISC_ENABLE:
		/* Nothing in it may change; writing it back is allowed. */
		return val == MISC_ENABLE_FAST_STRINGS ? CR_OK : CR_GP;
	case MSR_IA32_DEBUGCTL:
		return debugctl_write(val);
	case MSR_IA32_BIOS_SIGN_ID:
		return CR_OK;	/* asks CPUID to update it: nothing to do */
	case MSR_IA32_APIC_BASE:
		return lapic_set_base(&vcpu->lapic, val) == LAPIC_ACCESS_OK ?
		       CR_OK : CR_GP;
	case MSR_IA32_TSC_DEADLINE:
		lapic_set_tsc_deadline(&vcpu->lapic, val);
		return CR_OK;
	}
	ret = live_msr_write(vcpu, msr, val);
	if (ret != -ENOENT)
		return ret;
	/* Without load/save PAT, VMX_REG_PAT must not be touched. */
	if (msr == MSR_IA32_PAT && !guest_has_pat())
		return CR_GP;
	if (i < 0)
		return CR_GP;
	if (vmcs_msrs[i].address && !x86_is_canonical48(val))
		return CR_GP;
	if (msr == MSR_IA32_PAT && !pat_valid(val))
		return CR_GP;
	vmx_write(vmcs_msrs[i].reg, val);
	return CR_OK;
}

/* The local APIC's registers in x2APIC mode (SDM 3A 10.12.1.2). */
static struct exit_action x2apic_msr(struct vcpu *vcpu,
				     const struct vmx_exit *exit, u32 msr)
{
	u64 *gpr = vcpu->vmx.gpr;
	u64 now = vcpu_guest_tsc(vcpu), val;

	if (exit->kind == VMX_EXIT_MSR_READ) {
		if (lapic_msr_read(&vcpu->lapic, msr, now, &val) !=
		    LAPIC_ACCESS_OK)
			return act_gp();
		gpr[GPR_RAX] = (u32)val;
		gpr[GPR_RDX] = val >> 32;
	} else {
		val = (gpr[GPR_RDX] << 32) | (u32)gpr[GPR_RAX];
		if (lapic_msr_write(&vcpu->lapic, msr, val, now) !=
		    LAPIC_ACCESS_OK)
			return act_gp();
	}
	return act_skip(exit->instr_len);
}

struct exit_action handle_msr(struct vcpu *vcpu, const struct vmx_exit *exit)
{
	u64 *gpr = vcpu->vmx.gpr;
	u32 msr = gpr[GPR_RCX];
	u64 val;
	int ret;

	if (msr >= LAPIC_X2APIC_MSR_FIRST && msr <= LAPIC_X2APIC_MSR_LAST)
		return x2apic_msr(vcpu, exit, msr);
	if (exit->kind == VMX_EXIT_MSR_READ) {
		if (!msr_read(vcpu, msr, &val)) {
			log_debug("RDMSR %#x: #GP\n", msr);
			return act_gp();
		}
		gpr[GPR_RAX] = (u32)val;
		gpr[GPR_RDX] = val >> 32;
		return act_skip(exit->instr_len);
	}

	val = (gpr[GPR_RDX] << 32) | (u32)gpr[GPR_RAX];
	ret = msr_write(vcpu, msr, val);
	if (ret < 0)
		return act_kill("nomem", "no memory for shadow page tables\n");
	if (ret == CR_GP) {
		log_debug("WRMSR %#x <- %#lx: #GP\n", msr, val);
		return act_gp();
	}
	return act_skip(exit->instr_len);
}
