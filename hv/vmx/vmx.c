// SPDX-License-Identifier: MIT
/*
 * Entering and leaving VMX operation on the boot CPU: detection, the
 * IA32_FEATURE_CONTROL rules, the CR0/CR4 fixed bits and VMXON/VMXOFF.
 */
#define LOG_SUBSYS "vmx"
#include <lib/cpu.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <lib/palloc.h>
#include <lib/string.h>
#include <lib/x86.h>
#include <hv/vmx/controls.h>
#include <hv/vmx/host.h>
#include <hv/vmx/vmx.h>
#include <hv/vmx/vmx_insn.h>

struct vmx_caps vmx_caps;

/*
 * CPUID.80000008H:EAX[7:0] is MAXPHYADDR; without that leaf it is 36
 * (SDM 3A 4.1.4).
 */
#define CPUID_EXT_MAX_LEAF	0x80000000u
#define CPUID_ADDR_SIZES_LEAF	0x80000008u
#define CPUID_MAXPHYADDR_MASK	0xffu
#define MAXPHYADDR_DEFAULT	36

static void *vmxon_region;
static u64 saved_cr0, saved_cr4;
static bool vmx_active;

static void read_caps(struct vmx_caps *c)
{
	struct cpuid_regs r;

	c->basic = rdmsr(MSR_IA32_VMX_BASIC);
	c->revision = c->basic & VMX_BASIC_REVISION_MASK;
	c->true_ctls = c->basic & VMX_BASIC_TRUE_CTLS;

	/*
	 * SDM 3C A.2: with the "true" MSRs, some default1 controls may be
	 * cleared; prefer them when the processor reports them.
	 */
	c->pin = rdmsr(c->true_ctls ? MSR_IA32_VMX_TRUE_PINBASED_CTLS :
				      MSR_IA32_VMX_PINBASED_CTLS);
	c->proc = rdmsr(c->true_ctls ? MSR_IA32_VMX_TRUE_PROCBASED_CTLS :
				       MSR_IA32_VMX_PROCBASED_CTLS);
	c->exit = rdmsr(c->true_ctls ? MSR_IA32_VMX_TRUE_EXIT_CTLS :
				       MSR_IA32_VMX_EXIT_CTLS);
	c->entry = rdmsr(c->true_ctls ? MSR_IA32_VMX_TRUE_ENTRY_CTLS :
					MSR_IA32_VMX_ENTRY_CTLS);
	/* A.3.3: the secondary MSR exists only if it can be activated. */
	c->proc2 = (c->proc >> 32) & CPU_BASED_ACTIVATE_SECONDARY ?
		   rdmsr(MSR_IA32_VMX_PROCBASED_CTLS2) : 0;
	c->ept_vpid = (c->proc2 >> 32) & (SECONDARY_ENABLE_EPT |
					  SECONDARY_ENABLE_VPID) ?
		      rdmsr(MSR_IA32_VMX_EPT_VPID_CAP) : 0;
	c->misc = rdmsr(MSR_IA32_VMX_MISC);
	c->cr0_fixed0 = rdmsr(MSR_IA32_VMX_CR0_FIXED0);
	c->cr0_fixed1 = rdmsr(MSR_IA32_VMX_CR0_FIXED1);
	c->cr4_fixed0 = rdmsr(MSR_IA32_VMX_CR4_FIXED0);
	c->cr4_fixed1 = rdmsr(MSR_IA32_VMX_CR4_FIXED1);

	cpuid_count(1, 0, &r);
	c->signature = r.eax;
	cpuid_count(CPUID_EXT_MAX_LEAF, 0, &r);
	if (r.eax >= CPUID_ADDR_SIZES_LEAF) {
		cpuid_count(CPUID_ADDR_SIZES_LEAF, 0, &r);
		c->maxphyaddr = r.eax & CPUID_MAXPHYADDR_MASK;
	} else {
		c->maxphyaddr = MAXPHYADDR_DEFAULT;
	}
}

/* Why vmx_detect() refused the capabilities; main.c prints it. */
static char caps_why[96];

static void log_controls(const struct vmx_controls *c)
{
	log_info("VMX controls: pin %#x, proc %#x, proc2 %#x, exit %#x, entry %#x\n",
		 c->pin, c->proc, c->proc2, c->exit, c->entry);
	log_info("guest IA32_PAT %s, RDTSCP %s, preemption timer %s\n",
		 c->pat ? "in the VMCS" : "not virtualised (load/save PAT missing)",
		 c->rdtscp ? "enabled" : "disabled (#UD)",
		 c->timer ? "used" :
		 c->timer_erratum ? "not used (erratum on this CPU)" : "absent");
}

enum vmx_unavailable vmx_detect(const char **why)
{
	struct cpuid_regs r;
	u64 fc;

	cpuid_count(1, 0, &r);
	if (!(r.ecx & CPUID_1_ECX_VMX)) {
		*why = "CPUID.1:ECX.VMX[bit 5] = 0: the processor does not support VMX";
		return VMX_NO_CPUID;
	}

	/*
	 * SDM 3C 23.7: VMXON outside SMX needs IA32_FEATURE_CONTROL locked
	 * with bit 2 set.  Firmware normally locks it; if it left the MSR
	 * unlocked we set the bit and lock it ourselves.  Locked without the
	 * bit means firmware disabled VMX, and only a reset can change that.
	 */
	fc = rdmsr(MSR_IA32_FEATURE_CONTROL);
	if (!(fc & FEATURE_CONTROL_LOCKED)) {
		fc |= FEATURE_CONTROL_LOCKED | FEATURE_CONTROL_VMX_OUTSIDE_SMX;
		wrmsr(MSR_IA32_FEATURE_CONTROL, fc);
		log_info("IA32_FEATURE_CONTROL was unlocked: set lock + VMX outside SMX\n");
	} else if (!(fc & FEATURE_CONTROL_VMX_OUTSIDE_SMX)) {
		*why = "IA32_FEATURE_CONTROL is locked with VMX outside SMX disabled: VMX disabled by firmware";
		return VMX_DISABLED_BY_FIRMWARE;
	} else {
		log_info("IA32_FEATURE_CONTROL locked with VMX enabled\n");
	}

	read_caps(&vmx_caps);
	if (VMX_BASIC_REGION_SIZE(vmx_caps.basic) > PAGE_SIZE) {
		*why = "IA32_VMX_BASIC reports a VMCS region larger than 4 KiB";
		return VMX_BAD_CAPS;
	}
	if (VMX_BASIC_MEM_TYPE(vmx_caps.basic) != VMX_BASIC_MEM_TYPE_WB) {
		*why = "IA32_VMX_BASIC: VMCS memory type is not write-back";
		return VMX_BAD_CAPS;
	}
	log_info("VMCS revision %#x, true controls %s, MAXPHYADDR %u, CPU signature %#x\n",
		 vmx_caps.revision, vmx_caps.true_ctls ? "yes" : "no",
		 vmx_caps.maxphyaddr, vmx_caps.signature);
	/*
	 * Every control the VMCS needs is checked here, once, before VMXON:
	 * a processor without one is refused with the control's name.
	 */
	if (vmx_controls_compute(&vmx_caps, &vmx_caps.ctls, caps_why,
				 sizeof(caps_why))) {
		*why = caps_why;
		return VMX_BAD_CAPS;
	}
	log_controls(&vmx_caps.ctls);
	*why = NULL;
	return VMX_OK;
}

/* SDM 3C 23.8 / A.7-A.8: bits fixed to 1 must be 1, fixed to 0 must be 0. */
static u64 apply_fixed(u64 v, u64 fixed0, u64 fixed1)
{
	return (v | fixed0) & fixed1;
}

int vmx_on(void)
{
	u64 cr0, cr4;
	int ret;

	if (vmx_active)
		return 0;

	vmxon_region = alloc_page();
	if (!vmxon_region)
		return -ENOMEM;
	/* SDM 3C 24.11.5: the region starts with the VMCS revision id. */
	*(u32 *)vmxon_region = vmx_caps.revision;

	ret = host_state_init();
	if (ret)
		goto free_region;

	saved_cr0 = read_cr0();
	saved_cr4 = read_cr4();
	cr0 = apply_fixed(saved_cr0, vmx_caps.cr0_fixed0, vmx_caps.cr0_fixed1);
	cr4 = apply_fixed(saved_cr4 | X86_CR4_VMXE, vmx_caps.cr4_fixed0,
			  vmx_caps.cr4_fixed1);
	if (cr0 != saved_cr0)
		log_debug("CR0 %#lx -> %#lx for VMX\n", saved_cr0, cr0);
	write_cr0(cr0);
	write_cr4(cr4);

	ret = vmxon((uintptr_t)vmxon_region);
	if (ret) {
		log_err("VMXON failed (CF/ZF set): region %p, revision %#x\n",
			vmxon_region, vmx_caps.revision);
		write_cr4(saved_cr4);
		write_cr0(saved_cr0);
		host_state_restore();
		goto free_region;
	}
	vmx_active = true;
	log_info("VMXON ok on the boot CPU (region %p)\n", vmxon_region);
	return 0;

free_region:
	free_page(vmxon_region);
	vmxon_region = NULL;
	return ret;
}

int vmx_off(void)
{
	int ret;

	if (!vmx_active)
		return 0;
	ret = vmxoff();
	if (ret) {
		log_err("VMXOFF failed\n");
		return ret;
	}
	vmx_active = false;
	write_cr4(saved_cr4);
	write_cr0(saved_cr0);
	host_state_restore();
	free_page(vmxon_region);
	vmxon_region = NULL;
	log_info("VMXOFF ok, CR4.VMXE cleared\n");
	return 0;
}
