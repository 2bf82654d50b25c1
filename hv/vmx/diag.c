// SPDX-License-Identifier: MIT
/*
 * Diagnostics for an exit the core will not survive: everything the VMCS
 * knows, in words.  An invalid-guest-state entry failure also gets the
 * software guest-state check (guest_check.c), because the hardware does not
 * say which rule was broken.
 */
#define LOG_SUBSYS "vmx"
#include <lib/log.h>
#include <lib/string.h>
#include <lib/x86.h>
#include <hv/vmx/guest_check.h>
#include <hv/vmx/names.h>
#include <hv/vmx/internal.h>
#include <hv/vmx/vmx_insn.h>

/* PAE CR3 holds the 32-byte aligned PDPT's address (SDM 3A 4.4.1). */
#define PAE_CR3_PDPT	(~0x1full)

static void snapshot_guest_state(struct vmx_guest_state *gs)
{
	for (int i = 0; i < VMX_SEG_NR; i++) {
		gs->seg[i].selector = vmcs_read(VMCS_GUEST_SEG_SELECTOR(i));
		gs->seg[i].base = vmcs_read(VMCS_GUEST_SEG_BASE(i));
		gs->seg[i].limit = vmcs_read(VMCS_GUEST_SEG_LIMIT(i));
		gs->seg[i].ar = vmcs_read(VMCS_GUEST_SEG_AR(i));
	}
	gs->cr0 = vmcs_read(VMCS_GUEST_CR0);
	gs->cr3 = vmcs_read(VMCS_GUEST_CR3);
	gs->cr4 = vmcs_read(VMCS_GUEST_CR4);
	gs->dr7 = vmcs_read(VMCS_GUEST_DR7);
	gs->rsp = vmcs_read(VMCS_GUEST_RSP);
	gs->rip = vmcs_read(VMCS_GUEST_RIP);
	gs->rflags = vmcs_read(VMCS_GUEST_RFLAGS);
	gs->gdtr_base = vmcs_read(VMCS_GUEST_GDTR_BASE);
	gs->gdtr_limit = vmcs_read(VMCS_GUEST_GDTR_LIMIT);
	gs->idtr_base = vmcs_read(VMCS_GUEST_IDTR_BASE);
	gs->idtr_limit = vmcs_read(VMCS_GUEST_IDTR_LIMIT);
	gs->ia32_debugctl = vmcs_read(VMCS_GUEST_IA32_DEBUGCTL);
	gs->ia32_efer = vmcs_read(VMCS_GUEST_IA32_EFER);
	gs->sysenter_cs = vmcs_read(VMCS_GUEST_SYSENTER_CS);
	gs->sysenter_esp = vmcs_read(VMCS_GUEST_SYSENTER_ESP);
	gs->sysenter_eip = vmcs_read(VMCS_GUEST_SYSENTER_EIP);
	gs->activity_state = vmcs_read(VMCS_GUEST_ACTIVITY_STATE);
	gs->interruptibility = vmcs_read(VMCS_GUEST_INTERRUPTIBILITY);
	gs->pending_dbg_exceptions =
		vmcs_read(VMCS_GUEST_PENDING_DBG_EXCEPTIONS);
	gs->vmcs_link_ptr = vmcs_read(VMCS_GUEST_VMCS_LINK_PTR);
	gs->pin_based = vmcs_read(VMCS_CTRL_PIN_BASED);
	gs->proc_based = vmcs_read(VMCS_CTRL_PROC_BASED);
	if (gs->proc_based & CPU_BASED_ACTIVATE_SECONDARY)
		gs->proc_based2 = vmcs_read(VMCS_CTRL_PROC_BASED2);
	gs->exit_ctls = vmcs_read(VMCS_CTRL_EXIT);
	gs->entry_ctls = vmcs_read(VMCS_CTRL_ENTRY);
	if (gs->entry_ctls & VM_ENTRY_LOAD_IA32_PAT)
		gs->ia32_pat = vmcs_read(VMCS_GUEST_IA32_PAT);
	/*
	 * Without EPT the PDPTEs come from the guest CR3 at entry (SDM 3C
	 * 26.3.2.4); that CR3 is a shadow root, identity-mapped host memory.
	 */
	if ((gs->cr4 & X86_CR4_PAE) && !(gs->entry_ctls & VM_ENTRY_IA32E_MODE))
		memcpy(gs->pdpte, (void *)(uintptr_t)(gs->cr3 & PAE_CR3_PDPT),
		       sizeof(gs->pdpte));
	gs->entry_intr_info = vmcs_read(VMCS_CTRL_ENTRY_INTR_INFO);
	gs->entry_exception_errcode =
		vmcs_read(VMCS_CTRL_ENTRY_EXCEPTION_ERRCODE);
}

static void explain_invalid_guest_state(void)
{
	struct vmx_guest_state gs = { 0 };
	struct vmx_check_failure f;
	struct vmx_check_caps caps = {
		.cr0_fixed0 = vmx_caps.cr0_fixed0,
		.cr0_fixed1 = vmx_caps.cr0_fixed1,
		.cr4_fixed0 = vmx_caps.cr4_fixed0,
		.cr4_fixed1 = vmx_caps.cr4_fixed1,
		.vmx_misc = vmx_caps.misc,
		.maxphyaddr = vmx_caps.maxphyaddr,
	};

	snapshot_guest_state(&gs);
	if (vmx_check_guest_state(&gs, &caps, &f))
		log_err("guest-state check: field %s = %#lx violates %s\n",
			f.field, f.value, f.rule);
	else
		log_err("guest-state check: no rule violation found in software\n");
}

void vmx_dump_exit(const struct vmx_vcpu *v, const struct vmx_exit *e)
{
	u32 basic = VMX_EXIT_REASON_BASIC(e->reason);

	if (e->kind == VMX_EXIT_ENTRY_FAILED && e->entry.fail_kind) {
		log_err("VM entry failed: %s\n",
			e->entry.fail_kind == VMX_ENTER_FAIL_VALID ?
			"VMfailValid" :
			e->entry.fail_kind == VMX_ENTER_FAIL_INVALID ?
			"VMfailInvalid (no current VMCS)" :
			"VMREAD/VMWRITE failure before entry");
		if (e->entry.fail_kind == VMX_ENTER_FAIL_VALID)
			log_err("VM-instruction error %u: %s\n",
				e->entry.insn_error,
				vmx_instr_error_name(e->entry.insn_error));
	} else {
		log_err("exit reason %u (%s)%s, qualification %#lx\n", basic,
			vmx_exit_reason_name(basic),
			e->reason & VMX_EXIT_REASON_ENTRY_FAILURE ?
			" [VM-entry failure]" : "", e->qual);
		if (basic == EXIT_REASON_INVALID_GUEST_STATE)
			explain_invalid_guest_state();
		if (e->kind == VMX_EXIT_EXCEPTION ||
		    e->kind == VMX_EXIT_PAGE_FAULT)
			log_err("exception %u (%s) error code %#x\n",
				e->exc.vector, vmx_exception_name(e->exc.vector),
				e->exc.errcode);
	}
	log_err("guest RIP %#lx RSP %#lx RFLAGS %#lx\n",
		vmcs_read(VMCS_GUEST_RIP), vmcs_read(VMCS_GUEST_RSP),
		vmcs_read(VMCS_GUEST_RFLAGS));
	log_err("guest CR0 %#lx (reads %#lx) CR3 %#lx CR4 %#lx (reads %#lx) EFER %#lx\n",
		vmcs_read(VMCS_GUEST_CR0), vmcs_read(VMCS_CTRL_CR0_READ_SHADOW),
		vmcs_read(VMCS_GUEST_CR3), vmcs_read(VMCS_GUEST_CR4),
		vmcs_read(VMCS_CTRL_CR4_READ_SHADOW),
		vmcs_read(VMCS_GUEST_IA32_EFER));
	log_err("guest EAX %#lx EBX %#lx ECX %#lx EDX %#lx ESI %#lx EDI %#lx\n",
		v->gpr[GPR_RAX], v->gpr[GPR_RBX], v->gpr[GPR_RCX],
		v->gpr[GPR_RDX], v->gpr[GPR_RSI], v->gpr[GPR_RDI]);
}
