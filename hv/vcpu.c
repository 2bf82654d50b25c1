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

void vcpu_run(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;
	static bool timer_warned;
	bool irqs_on = read_rflags() & X86_RFLAGS_IF;
	struct exit_action act;
	struct vmx_exit exit;

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
		if (vm->deadline_tsc) {
			u64 now = rdtsc();

			if (now >= vm->deadline_tsc) {
				vm_kill(vm, "timeout",
					"ran past its %u s time limit\n",
					vm->cfg->timeout);
				break;
			}
			/*
			 * Without the preemption timer the limit is checked
			 * only when the guest exits, which host timer
			 * interrupts make it do now and then.
			 */
			if (!vmx_arm_timer(vm->deadline_tsc - now) &&
			    !timer_warned) {
				log_warn("no VMX-preemption timer: time limits rely on host interrupts\n");
				timer_warned = true;
			}
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
