/* SPDX-License-Identifier: MIT */
/*
 * Host stand-ins for the processor and the VMX layer, so that the exit
 * handlers, the emulator, the #PF path and the run loop build and run in
 * host unit tests.  Every host test program links them; a test sets up
 * the state it needs (fake_reset() first) and reads back what the code
 * under test did to the "hardware".
 */
#ifndef TEST_FAKE_FAKE_H
#define TEST_FAKE_FAKE_H

#include <lib/cpu.h>
#include <hv/config/config.h>
#include <hv/exit/action.h>
#include <hv/vmx/vmx.h>

#define FAKE_NR_REGS		64
#define FAKE_CPUID_LEAVES	32
#define FAKE_RUN_SCRIPT		16
#define FAKE_RELAX_TICKS	1000	/* TSC ticks a cpu_relax() takes */
#define FAKE_MSRS		32

/* The guest state the VMCS would hold, and what was done to it. */
struct fake_vmx {
	u64 reg[FAKE_NR_REGS];		/* by enum vmx_reg */
	unsigned int cpl;
	bool long_mode;			/* IA-32e mode guest entry control */
	u64 tsc_offset;
	u8 injected_irq;		/* the last vmx_inject_interrupt() */
	unsigned int irqs_injected;
	bool irq_window;
	u32 skipped_bytes;		/* sum of vmx_skip_instruction() */
	unsigned int skips;
	bool injected;			/* vmx_inject_exception() called */
	struct x86_exception inject;	/* ... with these (cr2 unused) */
	unsigned int reinjects, dumps, creates, destroys;
	bool timer_armed;
	/* vmx_vcpu_run() hands out these exits in turn, then ENTRY_FAILED. */
	struct vmx_exit script[FAKE_RUN_SCRIPT];
	unsigned int script_len, script_pos;
};

struct fake_cpuid {
	u32 leaf, subleaf;
	struct cpuid_regs regs;
};

/* The processor the hypervisor runs on. */
struct fake_cpu {
	struct fake_cpuid cpuid[FAKE_CPUID_LEAVES];	/* others read 0 */
	unsigned int nr_cpuid;
	bool osxsave;			/* host CR4.OSXSAVE */
	u64 xcr0;
	unsigned int xsetbv_calls;
	bool xsetbv_faults;		/* xsetbv_checked() takes the fixup */
	u64 tsc;			/* rdtsc() returns it, then adds 1 */
	u64 rflags;
	unsigned int irq_windows;
	/* MSRs written with wrmsr() (TSC aside); others read 0. */
	struct { u32 msr; u64 val; } msr[FAKE_MSRS];
	unsigned int nr_msrs, wrmsr_calls;
	u64 cr8;
	u64 dr[8];			/* DR0-DR3, DR6, DR7 by number */
	struct desc_ptr gdtr, idtr;
	u16 tr;
	/*
	 * Extended state, reduced to three tokens: the x87 control word,
	 * MXCSR and XMM0, at their offsets in the legacy XSAVE/FXSAVE area
	 * (SDM 1 Table 10-2); XRSTOR of a component in its init state (SDM 1
	 * 13.6) sets its tokens to the init values.
	 */
	u16 fcw;
	u32 mxcsr;
	u64 xmm0;
	unsigned int xsaves, xrstors, fxsaves, fxrstors;
};

extern struct fake_vmx fake_vmx;
extern struct fake_cpu fake_cpu;

/*
 * Resets both to a plausible Intel host: NX (CPUID 0x80000001), XSAVE with
 * x87|SSE|AVX (CPUID 0xD), MAXPHYADDR 40, CR0/CR4 fixed bits of a VMX
 * processor, no guest state.
 */
void fake_reset(void);
void fake_set_cpuid(u32 leaf, u32 subleaf, u32 eax, u32 ebx, u32 ecx,
		    u32 edx);
/* The value of @msr as the fake processor holds it (0 if never written). */
u64 fake_msr(u32 msr);

/*
 * A VM as main.c would build it, from a guest config with @mem bytes of
 * RAM (0 for the default), with the vCPU initialised at the Multiboot
 * entry state.  The pages come from a host pool set up on first use.
 */
struct vm *fake_vm_create(u64 mem, enum cfg_invalidate mode);
void fake_vm_destroy(struct vm *vm);

/*
 * The guest most host tests start from: fake_reset(), then
 * fake_vm_create(0, CFG_INVALIDATE_TARGETED).  Its vCPU is &vm->vcpu.
 */
struct vm *fake_guest_create(void);

/* Handles @e as the run loop does, applies the action and returns it. */
struct vcpu;
struct exit_action fake_exit(struct vcpu *vcpu, const struct vmx_exit *e);

/*
 * The guest executes WRMSR, RDMSR or CPUID (2-byte instructions), through
 * fake_exit().  WRMSR's RAX and RDX carry junk in their upper halves, which
 * are not part of the operand (SDM 2, WRMSR); CPUID takes RAX and RCX whole
 * (only their low halves are the leaf and subleaf), and RBX and RDX start
 * as all ones, so that a leaf must write them.  RDMSR stores EDX:EAX in @val
 * unless it is NULL.
 */
struct exit_action fake_guest_wrmsr(struct vcpu *vcpu, u32 msr, u64 val);
struct exit_action fake_guest_rdmsr(struct vcpu *vcpu, u32 msr, u64 *val);
struct exit_action fake_guest_cpuid(struct vcpu *vcpu, u64 rax, u64 rcx);

/* @act ended the guest as killed with reason word @reason. */
bool fake_killed_as(const struct exit_action *act, const char *reason);

/*
 * Guest-physical memory of a fake VM; any access that is not backed
 * aborts the test program.
 */
void fake_write(struct vm *vm, gpa_t gpa, const void *src, size_t len);
void fake_write32(struct vm *vm, gpa_t gpa, u32 val);
void fake_write64(struct vm *vm, gpa_t gpa, u64 val);
u32 fake_read32(struct vm *vm, gpa_t gpa);
u64 fake_read64(struct vm *vm, gpa_t gpa);

/*
 * Guest page tables that identity-map the first 4 MiB, read-write and
 * supervisor-only, in the pages from @root on (two for 32-bit and PAE
 * paging, three for 4-level).  They only write memory: the test loads
 * CR3 and turns paging on itself.
 */
void fake_tables_32(struct vm *vm, gpa_t pd);
void fake_tables_pae(struct vm *vm, gpa_t pdpt);
void fake_tables_long(struct vm *vm, gpa_t pml4);

/*
 * The 4 KiB leaf entry the shadow tables the hardware runs on (the vCPU's
 * hw_cr3, a host pointer here) hold for @gva, or 0 if the walk down to it
 * meets a non-present entry.
 */
u64 fake_shadow_leaf(struct vcpu *vcpu, gva_t gva);

#endif /* TEST_FAKE_FAKE_H */
