// SPDX-License-Identifier: MIT
/*
 * What the core does with each VM exit: exit_handle() asks the handler for
 * the exit's kind what it comes to, exit_apply() carries that out.
 * Everything that can happen is either handled or ends the guest with a
 * full diagnostic; nothing ends the hypervisor.
 */
#define LOG_SUBSYS "exit"
#include <lib/cpu.h>
#include <lib/log.h>
#include <lib/x86.h>
#include <hv/emul/emulate.h>
#include <hv/emul/retire.h>
#include <hv/exit/cr.h>
#include <hv/exit/dr.h>
#include <hv/exit/exit.h>
#include <hv/exit/handlers.h>
#include <hv/vm.h>

/* MOV to CR0/3/4, CLTS and LMSW (the VMX layer computed the value). */
static struct exit_action handle_cr_write(struct vcpu *vcpu,
					  const struct vmx_exit *exit)
{
	int ret;

	switch (exit->cr.cr) {
	case 0:
		ret = vcpu_set_cr0(vcpu, exit->cr.value);
		break;
	case 3:
		ret = vcpu_set_cr3(vcpu, exit->cr.value);
		break;
	case 4:
		ret = vcpu_set_cr4(vcpu, exit->cr.value);
		break;
	case 8:
		ret = vcpu_set_cr8(vcpu, exit->cr.value);
		break;
	default:
		return act_kill("cr", "MOV to CR%u is not virtualised\n",
				exit->cr.cr);
	}
	if (ret < 0)
		return act_kill("nomem", "no memory for shadow page tables\n");
	switch (ret) {
	case CR_OK:
		return act_skip(exit->instr_len);
	case CR_GP:
		return act_gp();
	case CR_UD:
		return act_ud();
	case CR_NO_REAL_MODE:
	default:
		/*
		 * Without "unrestricted guest" the processor cannot run a
		 * guest with CR0.PE = 0 (SDM 3C 26.3.1.1), and we do not
		 * emulate real mode.
		 */
		return act_kill("realmode",
				"cleared CR0.PE: real mode is not supported\n");
	}
}

/* MOV from CR3 or CR8 (CR0 and CR4 reads are served by the read shadows). */
static struct exit_action handle_cr_read(struct vcpu *vcpu,
					 const struct vmx_exit *exit)
{
	u64 val = vcpu->cr3;

	if (exit->cr.cr == 8) {
		if (vcpu_get_cr8(vcpu, &val) == CR_UD)
			return act_ud();
	} else if (exit->cr.cr != 3) {
		return act_kill_dump("cr", "unexpected MOV from CR%u\n",
				     exit->cr.cr);
	}
	vcpu_write_gpr(vcpu, exit->cr.gpr, val);
	return act_skip(exit->instr_len);
}

struct exit_action handle_cr_access(struct vcpu *vcpu,
				    const struct vmx_exit *exit)
{
	return exit->kind == VMX_EXIT_CR_WRITE ? handle_cr_write(vcpu, exit) :
						 handle_cr_read(vcpu, exit);
}

/*
 * HLT waits for the next enabled interrupt (SDM 2, HLT): the instruction
 * retires and the run loop waits before the next entry (vcpu_run).  Only the local APIC raises interrupts yet, so
 * without a pending one or its timer armed, nothing could ever wake the
 * guest: end it, saying which case it was.
 */
static struct exit_action handle_hlt(struct vcpu *vcpu,
				     const struct vmx_exit *exit)
{
	u64 due;

	if (!(vmx_read(VMX_REG_RFLAGS) & X86_RFLAGS_IF))
		return act_kill("hlt",
				"HLT with interrupts disabled: the guest stopped itself\n");
	if (lapic_pending_vector(&vcpu->lapic) == LAPIC_NO_VECTOR &&
	    !lapic_timer_due(&vcpu->lapic, &due))
		return act_kill("hlt",
				"HLT with interrupts enabled, but no interrupt is pending or armed\n");
	vcpu->halted = true;
	return act_skip(exit->instr_len);
}

struct exit_action exit_handle(struct vcpu *vcpu, const struct vmx_exit *exit)
{
	struct vm *vm = vcpu->vm;

	vm->stats.exits++;
	switch (exit->kind) {
	case VMX_EXIT_EXTINT:
		/* A host interrupt: let the firmware's handler take it. */
		vm->stats.host_interrupts++;
		local_irq_window();
		return act_resume();
	case VMX_EXIT_NMI:
		/*
		 * A host NMI (NMI exiting): never the guest's.  Hand it to
		 * the firmware's handler now, as KVM does, then resume; an
		 * event whose delivery it interrupted is delivered again.
		 */
		vm->stats.host_nmis++;
		host_nmi();
		return exit->delivery.valid ? act_redeliver() : act_resume();
	case VMX_EXIT_IRQ_WINDOW:
		/* The run loop injects what is pending before the entry. */
		return act_resume();
	case VMX_EXIT_TIMER:
		/* The run loop checks the guest's time limit before entry. */
		vm->stats.timer_exits++;
		return act_resume();
	case VMX_EXIT_CPUID:
		return handle_cpuid(vcpu, exit);
	case VMX_EXIT_HLT:
		return handle_hlt(vcpu, exit);
	case VMX_EXIT_VMCALL:
		return handle_vmcall(vcpu, exit);
	case VMX_EXIT_IO:
		return handle_io(vcpu, exit);
	case VMX_EXIT_CR_WRITE:
	case VMX_EXIT_CR_READ:
		return handle_cr_access(vcpu, exit);
	case VMX_EXIT_MSR_READ:
	case VMX_EXIT_MSR_WRITE:
		return handle_msr(vcpu, exit);
	case VMX_EXIT_PAGE_FAULT:
		return handle_page_fault(vcpu, exit);
	case VMX_EXIT_INVLPG:
		mmu_invlpg(&vcpu->mmu, exit->invlpg.gva);
		return act_skip(exit->instr_len);
	case VMX_EXIT_INVD:
	case VMX_EXIT_WBINVD:
		/* Caches are coherent for us; nothing to write back. */
		return act_skip(exit->instr_len);
	case VMX_EXIT_XSETBV:
		return handle_xsetbv(vcpu, exit);
	case VMX_EXIT_DR_ACCESS:
		return handle_dr_access(vcpu, exit);
	case VMX_EXIT_UD:
		return act_ud();
	case VMX_EXIT_TRIPLE_FAULT:
		return act_triple_fault("at RIP %#lx\n", vmx_read(VMX_REG_RIP));
	case VMX_EXIT_EXCEPTION:
		return act_kill_dump("exception",
				     "unexpected intercepted exception\n");
	case VMX_EXIT_ENTRY_FAILED:
		return act_kill_dump("entry", "VM entry failed\n");
	case VMX_EXIT_NONE:
	case VMX_EXIT_UNHANDLED:
		break;
	}
	return act_kill_dump("unhandled", "unhandled VM exit\n");
}

static void end_guest(struct vcpu *vcpu, const struct vmx_exit *exit,
		      const struct exit_action *act)
{
	struct vm *vm = vcpu->vm;

	switch (act->end.kind) {
	case END_EXIT_STATUS:
		vm_exit_status(vm, act->end.status);
		return;
	case END_TRIPLE_FAULT:
		if (vm->state == VM_RUNNING)
			vm->state = VM_TRIPLE_FAULT;
		vm_console_flush(vm);
		log_info("guest %s: triple fault %s", vm->cfg->name,
			 act->end.detail);
		break;
	case END_KILLED:
		vm_kill(vm, act->end.reason, "%s", act->end.detail);
		break;
	}
	if (act->end.dump) {
		vmx_dump_exit(&vcpu->vmx, exit);
		emulate_dump_code(vcpu);
	}
}

void exit_apply(struct vcpu *vcpu, const struct vmx_exit *exit,
		const struct exit_action *act)
{
	switch (act->kind) {
	case EXIT_RESUME:
		break;
	case EXIT_SKIP:
		vmx_skip_instruction(act->len);
		/* A single-step trap is owed after it (SDM 3B 17.3.1.4). */
		emulate_retired();
		break;
	case EXIT_INJECT:
		/* CR2 is not in the VMCS: entry loads it from vmx.cr2. */
		if (act->exc.vector == X86_VEC_PF)
			vcpu->vmx.cr2 = act->exc.cr2;
		vmx_inject_exception(act->exc.vector, act->exc.has_errcode,
				     act->exc.errcode);
		break;
	case EXIT_REDELIVER:
		vmx_reinject(exit);
		break;
	case EXIT_END:
		end_guest(vcpu, exit, act);
		break;
	}
}
