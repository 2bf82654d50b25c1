// SPDX-License-Identifier: MIT
/*
 * The five VMX control words every VMCS gets, computed once from the
 * capability MSRs before VMXON, so that a processor without a control the
 * hypervisor relies on is refused at start with the control's name instead
 * of failing VM entry for every guest.
 *
 * SDM 3C A.3-A.5: the low half of a capability word has the bits that must
 * be 1 (allowed-0 settings), the high half the bits that may be 1 (allowed-1
 * settings).  Never hard-code a control value: start from the must-be-1
 * bits, add what we need (failing if the processor cannot) and what we would
 * like.  The caller passes the TRUE_ capability words when IA32_VMX_BASIC
 * bit 55 says they exist (A.2), the plain ones otherwise; with the plain
 * ones every default1 control is simply must-be-1.
 */
#include <lib/errno.h>
#include <lib/printf.h>
#include <hv/vmx/controls.h>
#include <hv/vmx/vmcs_defs.h>

enum ctl_word { CTL_PIN, CTL_PROC, CTL_PROC2, CTL_EXIT, CTL_ENTRY, NR_CTL };

static const char *const word_name[NR_CTL] = {
	[CTL_PIN] = "pin-based",
	[CTL_PROC] = "processor-based",
	[CTL_PROC2] = "secondary processor-based",
	[CTL_EXIT] = "VM-exit",
	[CTL_ENTRY] = "VM-entry",
};

struct ctl {
	u8 word;
	u32 bit;
	const char *name;	/* as the SDM's tables name it */
};

/*
 * The controls the hypervisor cannot run a guest without.  Host interrupts
 * and NMIs must exit: they belong to the firmware.  Shadow paging needs
 * every CR3 access and INVLPG; every port goes through the bitmaps.  CR8 and
 * the debug registers are intercepted so that no guest reaches the real TPR
 * or DR0-DR7, and DR7/IA32_DEBUGCTL are switched by the VMCS (SDM 3C
 * 24.7.1, 24.8.1).  EFER is switched on every entry and exit.
 */
static const struct ctl required[] = {
	{ CTL_PIN, PIN_BASED_EXT_INTR_EXITING, "external-interrupt exiting" },
	{ CTL_PIN, PIN_BASED_NMI_EXITING, "NMI exiting" },
	{ CTL_PROC, CPU_BASED_HLT_EXITING, "HLT exiting" },
	{ CTL_PROC, CPU_BASED_INVLPG_EXITING, "INVLPG exiting" },
	{ CTL_PROC, CPU_BASED_CR3_LOAD_EXITING, "CR3-load exiting" },
	{ CTL_PROC, CPU_BASED_CR3_STORE_EXITING, "CR3-store exiting" },
	{ CTL_PROC, CPU_BASED_CR8_LOAD_EXITING, "CR8-load exiting" },
	{ CTL_PROC, CPU_BASED_CR8_STORE_EXITING, "CR8-store exiting" },
	{ CTL_PROC, CPU_BASED_MOV_DR_EXITING, "MOV-DR exiting" },
	{ CTL_PROC, CPU_BASED_USE_IO_BITMAPS, "use I/O bitmaps" },
	{ CTL_PROC, CPU_BASED_USE_TSC_OFFSETTING, "use TSC offsetting" },
	{ CTL_EXIT, VM_EXIT_SAVE_DEBUG_CONTROLS, "save debug controls" },
	{ CTL_EXIT, VM_EXIT_HOST_ADDR_SPACE_SIZE, "host address-space size" },
	{ CTL_EXIT, VM_EXIT_SAVE_IA32_EFER, "save IA32_EFER" },
	{ CTL_EXIT, VM_EXIT_LOAD_IA32_EFER, "load IA32_EFER" },
	{ CTL_ENTRY, VM_ENTRY_LOAD_DEBUG_CONTROLS, "load debug controls" },
	{ CTL_ENTRY, VM_ENTRY_LOAD_IA32_EFER, "load IA32_EFER" },
};

/*
 * Controls the core turns on and off while a guest runs: they start at 0,
 * but the processor must allow 1 (SDM 3C A.3.2).
 */
static const struct ctl toggled[] = {
	{ CTL_PROC, CPU_BASED_INTR_WINDOW_EXITING, "interrupt-window exiting" },
};

/*
 * Controls that must be 0 for us: a 32-bit guest enters without IA-32e
 * mode, and outside SMM the SMM controls must be 0 (SDM 3C 26.2.1.3).
 */
static const struct ctl must_clear[] = {
	{ CTL_ENTRY, VM_ENTRY_IA32E_MODE, "IA-32e mode guest" },
	{ CTL_ENTRY, VM_ENTRY_SMM, "entry to SMM" },
	{ CTL_ENTRY, VM_ENTRY_DEACT_DUAL_MONITOR,
	  "deactivate dual-monitor treatment" },
};

/* Guest IA32_PAT lives in the VMCS only with all three (24.7.1, 24.8.1). */
#define PAT_EXIT_CTLS	(VM_EXIT_SAVE_IA32_PAT | VM_EXIT_LOAD_IA32_PAT)
#define PAT_ENTRY_CTLS	VM_ENTRY_LOAD_IA32_PAT

/*
 * Processors whose VMX-preemption timer does not count at the rate
 * IA32_VMX_MISC[4:0] reports: the CPUID.1:EAX signatures (stepping
 * included) of Intel's specification updates, errata AAJ124, AAK139,
 * AAM126, AAN92, AAO95, AAP86, AAT59, AAU65, AAX65 and BA86, as Linux KVM
 * lists them (vmx_preemption_cpu_tfms) and VirtualBox also detects them,
 * plus the Xeon E3-1220 V2 that KVM adds.
 */
static const u32 timer_erratum_signatures[] = {
	0x000206e6,	/* Xeon 7500, D0 (BA86) */
	0x00020652,	/* Core i7-600/i5-500/i5-400/i3-300 mobile,
			 * i5-600/i3-500 desktop, Xeon L3406, C2 (AAT59,
			 * AAU65, AAX65) */
	0x00020655,	/* i5-600/i3-500 desktop, K0 (AAU65) */
	0x000106e5,	/* Xeon 3400, i7-800/i5-700, B1 (AAO95, AAN92,
			 * AAP86) */
	0x000106a0,	/* Xeon 3500, C0 (AAM126) */
	0x000106a1,	/* Xeon 3500, C1 (AAM126) */
	0x000106a4,	/* Core i7-900, C0 (AAJ124) */
	0x000106a5,	/* Xeon 3500/5500, i7-900, D0 (AAM126, AAK139,
			 * AAJ124) */
	0x000306a8,	/* Xeon E3-1220 V2 */
};

/*
 * CPUID.1:EAX bits 15:14 and 31:28 are reserved (SDM 2A CPUID, Figure
 * 3-6): compare only the type, family, model and stepping.
 */
#define SIGNATURE_RESERVED	(0x3u << 14 | 0xfu << 28)

bool vmx_timer_erratum(u32 signature)
{
	signature &= ~SIGNATURE_RESERVED;
	for (size_t i = 0; i < ARRAY_SIZE(timer_erratum_signatures); i++) {
		if (signature == timer_erratum_signatures[i])
			return true;
	}
	return false;
}

static u32 must_be_1(u64 cap)
{
	return (u32)cap;
}

static u32 may_be_1(u64 cap)
{
	return (u32)(cap >> 32);
}

static unsigned int bit_number(u32 mask)
{
	return (unsigned int)__builtin_ctz(mask);
}

/* The first control of @list the processor does not allow to be 1. */
static const struct ctl *unsupported(const struct ctl *list, size_t n,
				     const u64 *cap)
{
	for (size_t i = 0; i < n; i++) {
		if (!(may_be_1(cap[list[i].word]) & list[i].bit))
			return &list[i];
	}
	return NULL;
}

int vmx_controls_compute(const struct vmx_caps *caps, struct vmx_controls *out,
			 char *why, size_t len)
{
	u64 cap[NR_CTL] = {
		[CTL_PIN] = caps->pin, [CTL_PROC] = caps->proc,
		[CTL_PROC2] = caps->proc2, [CTL_EXIT] = caps->exit,
		[CTL_ENTRY] = caps->entry,
	};
	const struct ctl *c;
	u32 w[NR_CTL];
	size_t i;

	*out = (struct vmx_controls){ 0 };
	c = unsupported(required, ARRAY_SIZE(required), cap);
	if (!c)
		c = unsupported(toggled, ARRAY_SIZE(toggled), cap);
	if (c) {
		hv_snprintf(why, len, "%s control '%s' (bit %u) not supported",
			    word_name[c->word], c->name, bit_number(c->bit));
		return -EOPNOTSUPP;
	}
	for (i = 0; i < ARRAY_SIZE(must_clear); i++) {
		c = &must_clear[i];
		if (must_be_1(cap[c->word]) & c->bit) {
			hv_snprintf(why, len,
				    "%s control '%s' (bit %u) cannot be cleared",
				    word_name[c->word], c->name,
				    bit_number(c->bit));
			return -EOPNOTSUPP;
		}
	}

	for (i = 0; i < NR_CTL; i++)
		w[i] = must_be_1(cap[i]);
	for (i = 0; i < ARRAY_SIZE(required); i++)
		w[required[i].word] |= required[i].bit;

	/* Optional: the guest's own IA32_PAT, switched by the VMCS. */
	if ((may_be_1(cap[CTL_EXIT]) & PAT_EXIT_CTLS) == PAT_EXIT_CTLS &&
	    (may_be_1(cap[CTL_ENTRY]) & PAT_ENTRY_CTLS) == PAT_ENTRY_CTLS) {
		w[CTL_EXIT] |= PAT_EXIT_CTLS;
		w[CTL_ENTRY] |= PAT_ENTRY_CTLS;
		out->pat = true;
	}

	/*
	 * Optional: RDTSCP, which raises #UD in the guest unless "enable
	 * RDTSCP" is 1 (SDM 3C 25.3).  The secondary controls are activated
	 * only for it; the secondary capability word is 0 when they cannot be
	 * (A.3.3).
	 */
	if ((may_be_1(cap[CTL_PROC]) & CPU_BASED_ACTIVATE_SECONDARY) &&
	    (may_be_1(cap[CTL_PROC2]) & SECONDARY_ENABLE_RDTSCP)) {
		w[CTL_PROC] |= CPU_BASED_ACTIVATE_SECONDARY;
		w[CTL_PROC2] |= SECONDARY_ENABLE_RDTSCP;
		out->rdtscp = true;
	}
	if (!(w[CTL_PROC] & CPU_BASED_ACTIVATE_SECONDARY))
		w[CTL_PROC2] = 0;

	/*
	 * Optional: the VMX-preemption timer enforces guest time limits.  It
	 * is never in the pin word computed here: vmx_arm_timer() sets it only
	 * while a limit is armed.  Where the erratum makes its rate a lie, run
	 * without it, as if the processor had none.
	 */
	out->timer_erratum = vmx_timer_erratum(caps->signature);
	out->timer = (may_be_1(cap[CTL_PIN]) & PIN_BASED_PREEMPTION_TIMER) &&
		     !out->timer_erratum;
	out->timer_rate = caps->misc & VMX_MISC_PREEMPTION_RATE_MASK;

	/* Only a guest that turns on long mode runs with IA-32e mode. */
	w[CTL_ENTRY] &= ~VM_ENTRY_IA32E_MODE;

	out->pin = w[CTL_PIN];
	out->proc = w[CTL_PROC];
	out->proc2 = w[CTL_PROC2];
	out->exit = w[CTL_EXIT];
	out->entry = w[CTL_ENTRY];
	if (len)
		why[0] = '\0';
	return 0;
}
