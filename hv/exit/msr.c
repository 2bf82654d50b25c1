// SPDX-License-Identifier: MIT
/*
 * RDMSR and WRMSR: every MSR access exits (no MSR bitmap), and only the
 * MSRs below exist for a guest; any other is #GP (SDM 2, RDMSR/WRMSR).
 */
#define LOG_SUBSYS "msr"
#include <lib/cpu.h>
#include <lib/log.h>
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

static bool msr_read(struct vcpu *vcpu, u32 msr, u64 *val)
{
	int i = vmcs_msr_index(msr);

	if (i >= 0) {
		*val = vmx_read(vmcs_msrs[i].reg);
		return true;
	}
	switch (msr) {
	case MSR_IA32_EFER:
		*val = vcpu->efer;
		return true;
	case MSR_IA32_TSC:
		*val = rdmsr(MSR_IA32_TSC);
		return true;
	case MSR_IA32_MISC_ENABLE:
		*val = MISC_ENABLE_FAST_STRINGS;
		return true;
	default:
		return false;
	}
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

	if (msr == MSR_IA32_EFER)
		return vcpu_set_efer(vcpu, val);
	if (i < 0)
		return CR_GP;
	if (vmcs_msrs[i].address && !x86_is_canonical48(val))
		return CR_GP;
	if (msr == MSR_IA32_PAT && !pat_valid(val))
		return CR_GP;
	vmx_write(vmcs_msrs[i].reg, val);
	return CR_OK;
}

struct exit_action handle_msr(struct vcpu *vcpu, const struct vmx_exit *exit)
{
	u64 *gpr = vcpu->vmx.gpr;
	u32 msr = gpr[GPR_RCX];
	u64 val;
	int ret;

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
