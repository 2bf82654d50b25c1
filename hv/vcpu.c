// SPDX-License-Identifier: MIT
/*
 * The vCPU: its Multiboot entry state and the run loop.
 */
#define LOG_SUBSYS "vcpu"
#include <lib/cpu.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <lib/panic.h>
#include <lib/x86.h>
#include <hv/cpu/guest.h>
#include <hv/cpu/host_state.h>
#include <hv/exit/cr.h>
#include <hv/exit/exit.h>
#include <hv/load/multiboot.h>
#include <hv/vcpu.h>
#include <hv/vm.h>

int vcpu_init(struct vcpu *vcpu, u32 entry, u32 mbi_gpa)
{
	struct vmx_entry_state s = {
		.eip = entry,
		.eax = MB_BOOTLOADER_MAGIC,
		.ebx = mbi_gpa,
	};
	int ret;

	/* Protected mode, paging off: what the guest will read back. */
	vcpu->cr0 = X86_CR0_PE | X86_CR0_ET;
	vcpu->cr3 = 0;
	vcpu->cr4 = 0;
	vcpu->efer = 0;
	guest_cpu_reset(vcpu);
	mmu_vcpu_init(&vcpu->mmu, &vcpu->vm->mmu);
	ret = mmu_reset_context(&vcpu->mmu, &(struct mmu_regs){
		.cr0 = vcpu->cr0,
	}, true);
	if (ret)
		return ret < 0 ? ret : -EINVAL;

	s.shadow_cr0 = vcpu->cr0;
	s.shadow_cr4 = vcpu->cr4;
	s.hw_cr3 = vcpu->mmu.hw_cr3;
	ret = vmx_vcpu_create(&vcpu->vmx, &s);
	if (ret)
		return ret;
	vcpu->hw_cr3_loaded = s.hw_cr3;
	/* Let cr.c derive every hardware value from the guest's view. */
	ret = vcpu_set_cr0(vcpu, vcpu->cr0);
	return ret == CR_OK ? 0 : ret < 0 ? ret : -EINVAL;
}

u64 vcpu_guest_tsc(const struct vcpu *vcpu)
{
	return rdtsc() + vcpu->tsc_offset;
}

/*
 * HLT retired: wait here, with the guest's state live, for its next
 * interrupt (its local APIC timer is the only source yet).  Host
 * interrupts get the same one-instruction window as an external-interrupt
 * exit.  Returns false if the guest was ended.
 */
static bool wait_for_interrupt(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;
	u64 due;

	for (;;) {
		lapic_timer_fire(&vcpu->lapic, vcpu_guest_tsc(vcpu));
		if (lapic_pending_vector(&vcpu->lapic) != LAPIC_NO_VECTOR)
			break;
		if (!lapic_timer_due(&vcpu->lapic, &due)) {
			vm_kill(vm, "hlt",
				"halted, and no interrupt is pending or armed\n");
			return false;
		}
		if (vm->deadline_tsc && rdtsc() >= vm->deadline_tsc)
			return true;	/* the run loop ends it */
		local_irq_window();
		cpu_relax();
	}
	vcpu->halted = false;
	return true;
}

/*
 * Delivers the local APIC's highest pending interrupt at this entry if the
 * guest can take it (SDM 3A 6.8.1: IF, STI and MOV SS blocking), else asks
 * for an exit as soon as it can.  An event the exit already queued for
 * this entry goes first.
 */
static void offer_interrupt(struct vcpu *vcpu, bool event_pending)
{
	int vector = lapic_pending_vector(&vcpu->lapic);
	bool window = false;

	if (vector != LAPIC_NO_VECTOR) {
		if (!event_pending && vmx_guest_interruptible()) {
			lapic_ack(&vcpu->lapic, vector);
			vmx_inject_interrupt(vector);
		} else {
			window = true;
		}
	}
	if (window != vcpu->irq_window) {
		vmx_set_irq_window(window);
		vcpu->irq_window = window;
	}
}

/*
 * The VMX-preemption timer ends the entry at the earlier of the guest's
 * time limit and its APIC timer.  Returns false if the processor has no
 * such timer while one of them is armed.
 */
static bool arm_preemption_timer(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;
	u64 now = rdtsc(), ticks = 0, due;

	if (vm->deadline_tsc)
		ticks = vm->deadline_tsc > now ? vm->deadline_tsc - now : 1;
	if (lapic_timer_due(&vcpu->lapic, &due)) {
		u64 guest_now = now + vcpu->tsc_offset;
		u64 t = due > guest_now ? due - guest_now : 1;

		if (!ticks || t < ticks)
			ticks = t;
	}
	return vmx_arm_timer(ticks) || !ticks;
}

void vcpu_run(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;
	static bool timer_warned;
	bool irqs_on = read_rflags() & X86_RFLAGS_IF;
	struct exit_action act;
	struct vmx_exit exit;
	bool event_pending = false;

	/*
	 * A host interrupt that arrives while the guest runs exits (the
	 * external-interrupt exiting pin control) and stays pending; the
	 * exit layer opens a one-instruction window for the firmware to take
	 * it.  Every VM exit clears RFLAGS (SDM 3C 27.5.3), so handlers start
	 * with interrupts masked, but not all of them stay so: a log line
	 * written through the firmware's console (console=efi or both) may
	 * return with interrupts enabled, as EDK II does when it lowers the
	 * TPL; so while guest state is live, the log holds what is meant for
	 * the firmware's console (log_guest_live) and writes COM1 directly.
	 * The time limit is enforced with the VMX-preemption timer, so a
	 * guest spinning with interrupts off still comes back to us.
	 */
	local_irq_disable();
	log_guest_live(true);
	/*
	 * From here until host_cpu_restore() the guest's extended state,
	 * XCR0, DR0-DR3, DR6 and SYSCALL MSRs are live in the processor;
	 * nothing in between touches them (hv/cpu/host_state.h).
	 */
	guest_cpu_load(vcpu);
	while (vm->state == VM_RUNNING) {
		/* An invalidation may have dropped the root: build another. */
		if (mmu_reload(&vcpu->mmu)) {
			vm_kill(vm, "nomem", "no memory for a shadow root\n");
			break;
		}
		if (vm->mmu.bug) {
			vm_kill(vm, "bug", "shadow MMU invariant broken: %s\n",
				vm->mmu.bug);
			break;
		}
		vcpu_load_hw_cr3(vcpu);
		if (vcpu->halted && !wait_for_interrupt(vcpu))
			break;
		if (vm->deadline_tsc && rdtsc() >= vm->deadline_tsc) {
			vm_kill(vm, "timeout", "ran past its %u s time limit\n",
				vm->cfg->timeout);
			break;
		}
		lapic_timer_fire(&vcpu->lapic, vcpu_guest_tsc(vcpu));
		offer_interrupt(vcpu, event_pending);
		/*
		 * Without the preemption timer the limit is checked only when
		 * the guest exits, which host timer interrupts make it do now
		 * and then.
		 */
		if (!arm_preemption_timer(vcpu) && !timer_warned) {
			log_warn("no VMX-preemption timer: time limits and the APIC timer rely on host interrupts\n");
			timer_warned = true;
		}
#ifdef APERTURE_DEBUG
		/*
		 * Interrupts stay off from the first entry to the last exit:
		 * a host interrupt taken here would run the firmware's
		 * handler on the guest's live extended state.
		 */
		HV_BUG_ON(read_rflags() & X86_RFLAGS_IF);
#endif
		if (vmx_vcpu_run(&vcpu->vmx, &exit)) {
			vm_kill(vm, "entry", "VM entry failed\n");
			vmx_dump_exit(&vcpu->vmx, &exit);
			break;
		}
		act = exit_handle(vcpu, &exit);
		exit_apply(vcpu, &exit, &act);
		event_pending = act.kind == EXIT_INJECT ||
				act.kind == EXIT_REDELIVER;
		if (vm->mmu.bug)
			vm_kill(vm, "bug", "shadow MMU invariant broken: %s\n",
				vm->mmu.bug);
	}
	/* The firmware's state, as host_cpu_save() found it. */
	host_cpu_restore();
	if (irqs_on)
		local_irq_enable();
	/* Host state and IF are back: the firmware may be called again. */
	log_guest_live(false);
}
