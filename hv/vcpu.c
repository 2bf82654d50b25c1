// SPDX-License-Identifier: MIT
/*
 * The vCPU: its Multiboot entry state and the exit loop.
 */
#define LOG_SUBSYS "vcpu"
#include <lib/cpu.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <hv/vcpu.h>
#include <hv/vm.h>
#include <lib/x86.h>

int vcpu_init(struct vcpu *vcpu, u32 entry, u32 mbi_gpa)
{
	struct vmx_entry_state s = {
		.eip = entry,
		.eax = 0x2badb002,	/* Multiboot 0.6.96 section 3.2 */
		.ebx = mbi_gpa,
	};
	int ret;

	/* Protected mode, paging off: what the guest will read back. */
	vcpu->cr0 = X86_CR0_PE | X86_CR0_ET;
	vcpu->cr3 = 0;
	vcpu->cr4 = 0;
	vcpu->efer = 0;
	ret = mmu_reset_context(vcpu);
	if (ret)
		return ret;

	s.shadow_cr0 = vcpu->cr0;
	s.shadow_cr4 = vcpu->cr4;
	s.hw_cr3 = vcpu->mmu.hw_cr3;
	ret = vmx_vcpu_create(&vcpu->vmx, &s);
	if (ret)
		return ret;
	/* Let cr.c derive every hardware value from the guest's view. */
	return vcpu_set_cr0(vcpu, vcpu->cr0);
}

void vcpu_run(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;
	static bool timer_warned;
	bool irqs_on = read_rflags() & X86_RFLAGS_IF;
	u64 host_xcr0 = host_has_xsave() ? xgetbv0() : 0;
	struct vmx_exit exit;

	/*
	 * Host interrupts stay masked while the guest runs: an external
	 * interrupt exits (pin-based control), and the exit handler opens a
	 * brief window for the firmware to take it.  The time limit is
	 * enforced with the VMX-preemption timer, so a guest spinning with
	 * interrupts off still comes back to us.
	 */
	local_irq_disable();
	while (vm->state == VM_RUNNING) {
		/* An invalidation may have dropped the root: build another. */
		if (mmu_reload(vcpu)) {
			vm_kill(vm, "nomem", "no memory for a shadow root\n");
			break;
		}
		if (vm->mmu.bug) {
			vm_kill(vm, "bug", "shadow MMU invariant broken: %s\n",
				vm->mmu.bug);
			break;
		}
		if (vcpu->mmu.hw_cr3 != vcpu->hw_cr3_loaded) {
			vmx_write(VMX_REG_CR3, vcpu->mmu.hw_cr3);
			vcpu->hw_cr3_loaded = vcpu->mmu.hw_cr3;
		}
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
		if (vmx_vcpu_run(&vcpu->vmx, &exit)) {
			vm_kill(vm, "entry", "VM entry failed\n");
			vmx_dump_exit(&vcpu->vmx, &exit);
			break;
		}
		vcpu_handle_exit(vcpu, &exit);
		if (vm->mmu.bug)
			vm_kill(vm, "bug", "shadow MMU invariant broken: %s\n",
				vm->mmu.bug);
	}
	/* A guest's XSETBV changed the real XCR0: give the host its own. */
	if (vcpu->xcr0 && vcpu->xcr0 != host_xcr0)
		xsetbv0(host_xcr0);
	if (irqs_on)
		local_irq_enable();
}
