// SPDX-License-Identifier: MIT
/*
 * #PF exits.  Every guest page fault exits (the shadow MMU must see them);
 * the MMU says what the fault comes to, and this file turns that into an
 * action: re-run, reflect the fault, emulate the access.
 */
#include <hv/emul/emulate.h>
#include <hv/exit/handlers.h>
#include <hv/vm.h>

/*
 * A #PF exit while the processor was delivering an event (pushing an
 * exception frame onto a stack page the shadow did not map yet, say).
 * Fixed: deliver the event again.  A fault of the guest's own making on
 * top of a hardware exception may be a double fault, and anything on top
 * of a #DF a triple fault (SDM 3A 6.15, Table 6-5); after an interrupt or
 * INT n the fault is delivered as it is.
 */
static struct exit_action fault_in_delivery(struct vcpu *vcpu,
					    const struct vmx_exit *exit,
					    const struct mmu_fault *f)
{
	u8 first = exit->delivery.vector;

	switch (f->kind) {
	case MMU_FAULT_FIXED:
		return act_redeliver();
	case MMU_FAULT_PT_WRITE:
		/*
		 * The push hit a guest page table: let it happen natively,
		 * unless the frame keeps being re-shadowed under the push
		 * (a stack in a page table the guest maps through itself).
		 */
		if (!emulate_unshadow(vcpu, f->gpa))
			return act_kill_dump("ptwrite",
					     "delivering vector %u writes guest page table at gpa %#lx and keeps faulting\n",
					     first, f->gpa);
		return act_redeliver();
	case MMU_FAULT_MMIO:
		/*
		 * A read there is of the IDT, the GDT or the TSS, which read
		 * as all ones: no gate or descriptor of that value can be
		 * used, and every further event reads the same tables, so
		 * the processor ends in shutdown (SDM 3A 6.15, #DF).  A push
		 * onto a stack there is a store we cannot complete in the
		 * middle of delivery: that ends the guest, as documented.
		 */
		if (!(exit->exc.errcode & PFERR_WRITE))
			return act_triple_fault("delivering vector %u read unbacked gpa %#lx\n",
						first, f->gpa);
		return act_kill("mmio",
				"delivering vector %u touched unbacked gpa %#lx\n",
				first, f->gpa);
	case MMU_FAULT_INJECT:
		break;
	}
	if (!exit->delivery.hw_exception)
		return act_inject(f->exc);
	if (first == X86_VEC_DF)
		return act_triple_fault("on a fault while delivering #DF\n");
	if (x86_makes_double_fault(first, f->exc.vector))
		return act_inject((struct x86_exception){
			.vector = X86_VEC_DF, .has_errcode = true });
	return act_inject(f->exc);
}

struct exit_action handle_page_fault(struct vcpu *vcpu,
				     const struct vmx_exit *exit)
{
	gva_t gva = exit->exc.cr2;
	struct mmu_fault f;
	int ret;

	ret = mmu_page_fault(&vcpu->mmu, gva, exit->exc.errcode, &f);
	if (ret < 0)
		return act_kill("mmu", "shadow MMU failed at %#lx: %d\n", gva,
				ret);
	if (exit->delivery.valid)
		return fault_in_delivery(vcpu, exit, &f);

	switch (f.kind) {
	case MMU_FAULT_FIXED:
		return act_resume();
	case MMU_FAULT_INJECT:
		return act_inject(f.exc);
	case MMU_FAULT_MMIO:
		return emulate_mmio(vcpu, gva, f.gpa, exit->exc.errcode);
	case MMU_FAULT_PT_WRITE:
		return emulate_pt_write(vcpu, gva, f.gpa);
	}
	return act_kill("mmu", "unknown MMU verdict %d\n", f.kind);
}
