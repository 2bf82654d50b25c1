// SPDX-License-Identifier: MIT
/*
 * What the core does with each VM exit.  Everything that can happen is
 * either handled here or ends the guest with a full diagnostic; nothing
 * ends the hypervisor.
 */
#define LOG_SUBSYS "exit"
#include <lib/cpu.h>
#include <hv/emul/emulate.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <hv/vm.h>
#include <lib/x86.h>

static void inject_gp(void)
{
	vmx_inject_exception(X86_VEC_GP, true, 0);
}

static void inject_ud(void)
{
	vmx_inject_exception(X86_VEC_UD, false, 0);
}

/*
 * CPUID: the host's answers, minus what the guest cannot use here (VMX,
 * SMX, PCID, the features behind CR4 bits we refuse), plus the
 * hypervisor-present bit and Aperture's leaf at 0x40000000.
 */
static void handle_cpuid(struct vcpu *vcpu)
{
	u64 *gpr = vcpu->vmx.gpr;
	u32 leaf = gpr[GPR_RAX], subleaf = gpr[GPR_RCX];
	struct cpuid_regs r;

	if ((leaf & 0xffff0000u) == APERTURE_CPUID_LEAF) {
		r.eax = r.ebx = r.ecx = r.edx = 0;
		if (leaf == APERTURE_CPUID_LEAF) {
			r.eax = APERTURE_CPUID_LEAF;
			r.ebx = APERTURE_CPUID_SIG_EBX;
			r.ecx = APERTURE_CPUID_SIG_ECX;
			r.edx = APERTURE_CPUID_SIG_EDX;
		}
	} else {
		cpuid_count(leaf, subleaf, &r);
		if (leaf == 1) {
			r.ecx &= ~(CPUID_1_ECX_VMX | CPUID_1_ECX_SMX |
				   CPUID_1_ECX_PCID | CPUID_1_ECX_X2APIC);
			r.ecx |= CPUID_1_ECX_HYPERVISOR;
			/* OSXSAVE mirrors the guest's CR4, not ours. */
			r.ecx &= ~CPUID_1_ECX_OSXSAVE;
			if (vcpu->cr4 & X86_CR4_OSXSAVE)
				r.ecx |= CPUID_1_ECX_OSXSAVE;
			/* No XSAVE for guests if we cannot run XSETBV. */
			if (!host_has_xsave())
				r.ecx &= ~(CPUID_1_ECX_XSAVE | CPUID_1_ECX_AVX);
		} else if (leaf == 7 && subleaf == 0) {
			/* Features behind CR4 bits that cr.c refuses. */
			r.ebx &= ~(CPUID_7_EBX_FSGSBASE | CPUID_7_EBX_SMEP |
				   CPUID_7_EBX_INVPCID | CPUID_7_EBX_SMAP);
			r.ecx &= ~(CPUID_7_ECX_UMIP | CPUID_7_ECX_PKU |
				   CPUID_7_ECX_LA57);
		}
	}
	gpr[GPR_RAX] = r.eax;
	gpr[GPR_RBX] = r.ebx;
	gpr[GPR_RCX] = r.ecx;
	gpr[GPR_RDX] = r.edx;
}

static void handle_cr_write(struct vcpu *vcpu, struct vmx_exit *exit)
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
	default:
		vm_kill(vcpu->vm, "cr", "MOV to CR%u is not virtualised\n",
			exit->cr.cr);
		return;
	}
	if (vcpu->vm->state != VM_RUNNING)
		return;
	if (ret == -EINVAL) {
		inject_gp();
		return;
	}
	if (!ret)
		vmx_skip_instruction(exit->instr_len);
}

static bool msr_read(struct vcpu *vcpu, u32 msr, u64 *val)
{
	switch (msr) {
	case MSR_IA32_EFER:
		*val = vcpu->efer;
		return true;
	case MSR_IA32_TSC:
		*val = rdmsr(MSR_IA32_TSC);
		return true;
	case MSR_IA32_PAT:
		*val = vmx_read(VMX_REG_PAT);
		return true;
	case MSR_IA32_SYSENTER_CS:
		*val = vmx_read(VMX_REG_SYSENTER_CS);
		return true;
	case MSR_IA32_SYSENTER_ESP:
		*val = vmx_read(VMX_REG_SYSENTER_ESP);
		return true;
	case MSR_IA32_SYSENTER_EIP:
		*val = vmx_read(VMX_REG_SYSENTER_EIP);
		return true;
	case MSR_IA32_FS_BASE:
		*val = vmx_read(VMX_REG_FS_BASE);
		return true;
	case MSR_IA32_GS_BASE:
		*val = vmx_read(VMX_REG_GS_BASE);
		return true;
	case MSR_IA32_MISC_ENABLE:
		*val = 1;	/* fast strings; nothing else advertised */
		return true;
	default:
		return false;
	}
}

/*
 * Returns 0, or -EINVAL for #GP.  An address MSR takes only canonical
 * values (SDM 2, WRMSR): one that is not would otherwise fail the next VM
 * entry's checks on those guest fields (SDM 3C 26.3.1.1, 26.3.1.2)
 * instead of faulting the guest's WRMSR.
 */
static int msr_write(struct vcpu *vcpu, u32 msr, u64 val)
{
	if ((msr == MSR_IA32_SYSENTER_ESP || msr == MSR_IA32_SYSENTER_EIP ||
	     msr == MSR_IA32_FS_BASE || msr == MSR_IA32_GS_BASE) &&
	    !x86_is_canonical48(val))
		return -EINVAL;

	switch (msr) {
	case MSR_IA32_EFER:
		return vcpu_set_efer(vcpu, val);
	case MSR_IA32_PAT:
		/* Each byte must be a valid memory type (SDM 3A 11.12.2). */
		for (int i = 0; i < 8; i++) {
			u8 t = val >> (8 * i);

			if (t == 2 || t == 3 || t > 7)
				return -EINVAL;
		}
		vmx_write(VMX_REG_PAT, val);
		return 0;
	case MSR_IA32_SYSENTER_CS:
		vmx_write(VMX_REG_SYSENTER_CS, val);
		return 0;
	case MSR_IA32_SYSENTER_ESP:
		vmx_write(VMX_REG_SYSENTER_ESP, val);
		return 0;
	case MSR_IA32_SYSENTER_EIP:
		vmx_write(VMX_REG_SYSENTER_EIP, val);
		return 0;
	case MSR_IA32_FS_BASE:
		vmx_write(VMX_REG_FS_BASE, val);
		return 0;
	case MSR_IA32_GS_BASE:
		vmx_write(VMX_REG_GS_BASE, val);
		return 0;
	default:
		return -EINVAL;
	}
}

static void handle_msr(struct vcpu *vcpu, struct vmx_exit *exit)
{
	u64 *gpr = vcpu->vmx.gpr;
	u32 msr = gpr[GPR_RCX];
	u64 val;

	if (exit->kind == VMX_EXIT_MSR_READ) {
		if (!msr_read(vcpu, msr, &val)) {
			log_debug("RDMSR %#x: #GP\n", msr);
			inject_gp();
			return;
		}
		gpr[GPR_RAX] = (u32)val;
		gpr[GPR_RDX] = val >> 32;
	} else {
		val = (gpr[GPR_RDX] << 32) | (u32)gpr[GPR_RAX];
		if (msr_write(vcpu, msr, val)) {
			if (vcpu->vm->state != VM_RUNNING)
				return;
			log_debug("WRMSR %#x <- %#lx: #GP\n", msr, val);
			inject_gp();
			return;
		}
		if (vcpu->vm->state != VM_RUNNING)
			return;
	}
	vmx_skip_instruction(exit->instr_len);
}

/*
 * XSETBV changes the real XCR0, which the host does not use (vcpu_run puts
 * the host's back afterwards).  Without CR4.OSXSAVE it is #UD; the value
 * must enable x87, may only name components the processor supports
 * (CPUID.(EAX=0DH,ECX=0)), and AVX needs SSE (SDM 1 13.3), else #GP.
 */
static void handle_xsetbv(struct vcpu *vcpu, struct vmx_exit *exit)
{
	u64 *gpr = vcpu->vmx.gpr;
	u64 val = (gpr[GPR_RDX] << 32) | (u32)gpr[GPR_RAX];
	struct cpuid_regs r;

	if (!(vcpu->cr4 & X86_CR4_OSXSAVE)) {
		inject_ud();
		return;
	}
	cpuid_count(0xd, 0, &r);
	if ((u32)gpr[GPR_RCX] != 0 || !(val & 1) ||
	    (val & ~(((u64)r.edx << 32) | r.eax)) ||
	    ((val & 4) && !(val & 2))) {
		inject_gp();
		return;
	}
	xsetbv0(val);
	vcpu->xcr0 = val;
	vmx_skip_instruction(exit->instr_len);
}

/*
 * A #PF exit while the processor was delivering an event (pushing an
 * exception frame onto a stack page the shadow did not map yet, say).
 * Fixed: deliver the event again.  A guest-visible #PF on top of a #PF is
 * a #DF, and anything on top of a #DF a triple fault (SDM 3A 6.15, Table
 * 6-5); after any other event the #PF is delivered as it is.
 */
static void page_fault_in_delivery(struct vcpu *vcpu, struct vmx_exit *exit,
				   int ret, gpa_t gpa)
{
	struct vm *vm = vcpu->vm;

	switch (ret) {
	case MMU_FIXED:
		vmx_reinject(exit);
		break;
	case MMU_PT_WRITE:
		/* The push hit a guest page table: let it happen natively. */
		mmu_unshadow(&vm->mmu, gpa >> PAGE_SHIFT);
		vmx_reinject(exit);
		break;
	case MMU_MMIO:
		vm_kill(vm, "mmio",
			"delivering vector %u touched unbacked gpa %#lx\n",
			exit->delivery.vector, gpa);
		break;
	case MMU_INJECTED:
		if (!exit->delivery.hw_exception)
			break;
		if (exit->delivery.vector == X86_VEC_DF) {
			vm->state = VM_TRIPLE_FAULT;
			log_info("guest %s: fault while delivering #DF: triple fault\n",
				 vm->cfg->name);
		} else if (exit->delivery.vector == X86_VEC_PF) {
			vmx_inject_exception(X86_VEC_DF, true, 0);
		}
		break;
	default:
		vm_kill(vm, "mmu", "shadow MMU failed at %#lx: %d\n",
			exit->exc.cr2, ret);
		break;
	}
}

static void handle_page_fault(struct vcpu *vcpu, struct vmx_exit *exit)
{
	gpa_t gpa = 0;
	int ret;

	ret = mmu_page_fault(vcpu, exit->exc.cr2, exit->exc.errcode, &gpa);
	if (exit->delivery.valid) {
		page_fault_in_delivery(vcpu, exit, ret, gpa);
		return;
	}
	if (ret == MMU_MMIO) {
		emulate_mmio(vcpu, exit->exc.cr2, gpa, exit->exc.errcode);
		return;
	}
	if (ret == MMU_PT_WRITE) {
		emulate_pt_write(vcpu, exit->exc.cr2, gpa);
		return;
	}
	if (ret < 0)
		vm_kill(vcpu->vm, "mmu", "shadow MMU failed at %#lx: %d\n",
			exit->exc.cr2, ret);
}

static void handle_hlt(struct vcpu *vcpu)
{
	/*
	 * No device of ours raises interrupts, so a halted guest would sleep
	 * forever whatever its IF: end it, saying which case it was.
	 */
	if (!(vmx_read(VMX_REG_RFLAGS) & X86_RFLAGS_IF))
		vm_kill(vcpu->vm, "hlt",
			"HLT with interrupts disabled: the guest stopped itself\n");
	else
		vm_kill(vcpu->vm, "hlt",
			"HLT with interrupts enabled, but no interrupt source exists\n");
}

static void fatal_exit(struct vcpu *vcpu, struct vmx_exit *exit,
		       const char *word, const char *what)
{
	vm_kill(vcpu->vm, word, "%s\n", what);
	vmx_dump_exit(&vcpu->vmx, exit);
	emulate_dump_code(vcpu);
}

void vcpu_handle_exit(struct vcpu *vcpu, struct vmx_exit *exit)
{
	struct vm *vm = vcpu->vm;

	vm->stats.exits++;
	switch (exit->kind) {
	case VMX_EXIT_EXTINT:
		/* A host interrupt: let the firmware's handler take it. */
		vm->stats.host_interrupts++;
		local_irq_window();
		break;
	case VMX_EXIT_TIMER:
		/* The run loop checks the guest's time limit before entry. */
		vm->stats.timer_exits++;
		break;
	case VMX_EXIT_CPUID:
		handle_cpuid(vcpu);
		vmx_skip_instruction(exit->instr_len);
		break;
	case VMX_EXIT_HLT:
		handle_hlt(vcpu);
		break;
	case VMX_EXIT_VMCALL:
		vcpu_handle_vmcall(vcpu);
		if (vm->state == VM_RUNNING)
			vmx_skip_instruction(exit->instr_len);
		break;
	case VMX_EXIT_IO:
		vcpu_handle_io(vcpu, exit);
		break;
	case VMX_EXIT_CR_WRITE:
		handle_cr_write(vcpu, exit);
		break;
	case VMX_EXIT_CR_READ:
		if (exit->cr.cr != 3) {
			fatal_exit(vcpu, exit, "cr", "unexpected MOV from CR");
			break;
		}
		if (exit->cr.gpr == GPR_RSP)
			vmx_write(VMX_REG_RSP, vcpu->cr3);
		else
			vcpu->vmx.gpr[exit->cr.gpr] = vcpu->cr3;
		vmx_skip_instruction(exit->instr_len);
		break;
	case VMX_EXIT_MSR_READ:
	case VMX_EXIT_MSR_WRITE:
		handle_msr(vcpu, exit);
		break;
	case VMX_EXIT_PAGE_FAULT:
		handle_page_fault(vcpu, exit);
		break;
	case VMX_EXIT_INVLPG:
		mmu_invlpg(vcpu, exit->invlpg.gva);
		vmx_skip_instruction(exit->instr_len);
		break;
	case VMX_EXIT_INVD:
	case VMX_EXIT_WBINVD:
		/* Caches are coherent for us; nothing to write back. */
		vmx_skip_instruction(exit->instr_len);
		break;
	case VMX_EXIT_XSETBV:
		handle_xsetbv(vcpu, exit);
		break;
	case VMX_EXIT_UD:
		inject_ud();
		break;
	case VMX_EXIT_TRIPLE_FAULT:
		vm->state = VM_TRIPLE_FAULT;
		log_info("guest %s: triple fault at RIP %#lx\n", vm->cfg->name,
			 vmx_read(VMX_REG_RIP));
		vmx_dump_exit(&vcpu->vmx, exit);
		break;
	case VMX_EXIT_EXCEPTION:
		fatal_exit(vcpu, exit, "exception",
			   "unexpected intercepted exception");
		break;
	case VMX_EXIT_ENTRY_FAILED:
		fatal_exit(vcpu, exit, "entry", "VM entry failed");
		break;
	case VMX_EXIT_NONE:
	case VMX_EXIT_UNHANDLED:
		fatal_exit(vcpu, exit, "unhandled", "unhandled VM exit");
		break;
	}
}
