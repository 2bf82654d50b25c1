/* SPDX-License-Identifier: MIT */
/*
 * Software check of the VM-entry guest-state rules, SDM 3C 26.3.1.
 *
 * When VMLAUNCH/VMRESUME fails with exit reason 33 (invalid guest state) the
 * hardware says nothing about *which* rule broke.  The caller snapshots the
 * guest-state area and the controls into struct vmx_guest_state, and
 * vmx_check_guest_state() names the first violated rule, its VMCS field and
 * the offending value, so that a failing entry can be debugged from a log
 * line.
 *
 * Pure function of its inputs: no VMREAD, no guest-memory access.  The
 * PDPTEs (26.3.1.6) are therefore taken from the struct, which the caller
 * fills from the VMCS or from guest memory as the hardware would.
 */
#ifndef HV_VMX_GUEST_CHECK_H
#define HV_VMX_GUEST_CHECK_H

#include <lib/types.h>

/*
 * Architectural segment-register order, the same order in which the VMCS
 * encodes the guest segment fields: seg[n]'s fields are
 * VMCS_GUEST_SEG_{SELECTOR,BASE,LIMIT,AR}(n) from vmcs_defs.h.
 */
enum vmx_seg_reg {
	VMX_SEG_ES,
	VMX_SEG_CS,
	VMX_SEG_SS,
	VMX_SEG_DS,
	VMX_SEG_FS,
	VMX_SEG_GS,
	VMX_SEG_LDTR,
	VMX_SEG_TR,
	VMX_SEG_NR
};

struct vmx_segment {
	u64 base;
	u32 limit;
	u32 ar;		/* VMX access-rights format, VMX_AR_* */
	u16 selector;
};

/* Every VMCS guest-state field (24.4) plus the controls the rules consult. */
struct vmx_guest_state {
	/* 24.4.1 guest register state */
	u64 cr0, cr3, cr4, dr7;
	u64 rsp, rip, rflags;
	struct vmx_segment seg[VMX_SEG_NR];
	u64 gdtr_base, idtr_base;
	u32 gdtr_limit, idtr_limit;
	u64 ia32_debugctl, ia32_pat, ia32_efer;
	u32 sysenter_cs;
	u64 sysenter_esp, sysenter_eip;
	u32 smbase;

	/* 24.4.2 guest non-register state */
	u32 activity_state;	/* GUEST_ACTIVITY_* */
	u32 interruptibility;	/* GUEST_INTR_STATE_* */
	u64 pending_dbg_exceptions;
	u64 vmcs_link_ptr;
	u32 preemption_timer;
	u64 pdpte[4];

	/* VM-execution (24.6), VM-exit (24.7) and VM-entry (24.8) controls */
	u32 pin_based;
	u32 proc_based;
	u32 proc_based2;	/* only in effect with CPU_BASED_ACTIVATE_SECONDARY */
	u32 exit_ctls;
	u32 entry_ctls;
	u32 entry_intr_info;
	u32 entry_exception_errcode;
};

/*
 * Processor capabilities the rules depend on.  Whether "unrestricted
 * guest" is on is read from the controls in vmx_guest_state, not from here.
 */
struct vmx_check_caps {
	u64 cr0_fixed0, cr0_fixed1;	/* IA32_VMX_CR0_FIXED0/1 */
	u64 cr4_fixed0, cr4_fixed1;	/* IA32_VMX_CR4_FIXED0/1 */
	u64 vmx_misc;			/* IA32_VMX_MISC: activity states */
	u8 maxphyaddr;			/* CPUID.80000008H:EAX[7:0] */
	u8 linear_addr_bits;		/* 48 or 57 (LA57); 0 means 48 */
};

struct vmx_check_failure {
	const char *field;	/* VMCS field name, e.g. "GUEST_CS_AR" */
	const char *rule;	/* "26.3.1.x: <the rule>" */
	u64 value;		/* the offending field's value */
};

/*
 * Returns 0 if @gs satisfies every rule of SDM 3C 26.3.1.1-26.3.1.6 that
 * this checker implements, else -EINVAL with the first violated rule
 * described in *@f (which may be NULL).  Rules are checked in SDM order.
 */
int vmx_check_guest_state(const struct vmx_guest_state *gs,
			  const struct vmx_check_caps *caps,
			  struct vmx_check_failure *f);

#endif /* HV_VMX_GUEST_CHECK_H */
