/* SPDX-License-Identifier: MIT */
/*
 * The one header through which the hypervisor core drives VMX.  Nothing
 * outside hv/vmx/ executes a VMX instruction or knows a VMCS encoding: the
 * core asks for a vCPU to be run, gets back a decoded `struct vmx_exit`, and
 * changes guest state through the accessors below.
 */
#ifndef HV_VMX_VMX_H
#define HV_VMX_VMX_H

#include <lib/types.h>

/*
 * The controls every VMCS starts with, computed once by vmx_detect() from
 * the capability MSRs (controls.c), and what they imply for the core.
 */
struct vmx_controls {
	u32 pin, proc, proc2, exit, entry;
	/*
	 * Load/save IA32_PAT are on: the guest's PAT is VMX_REG_PAT.  When
	 * false, nothing may read or write VMX_REG_PAT (the VMCS fields are
	 * never touched) and the real IA32_PAT stays the firmware's.
	 */
	bool pat;
	/* "Enable RDTSCP" is on; when false, RDTSCP raises #UD in the guest. */
	bool rdtscp;
	/* The VMX-preemption timer is usable (present, no known erratum). */
	bool timer;
	bool timer_erratum;	/* present but distrusted (the CPU's erratum) */
	unsigned int timer_rate;	/* counts once per 2^rate TSC ticks */
};

/* Capabilities read once from the VMX MSRs (SDM 3C Appendix A). */
struct vmx_caps {
	u32 revision;
	u64 basic;
	bool true_ctls;
	u64 pin, proc, proc2, exit, entry;	/* allowed-0 low, allowed-1 high */
	u64 cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	u64 misc, ept_vpid;
	unsigned int maxphyaddr;
	u32 signature;		/* CPUID.1:EAX */
	struct vmx_controls ctls;
};

extern struct vmx_caps vmx_caps;

enum vmx_unavailable {
	VMX_OK = 0,
	VMX_NO_CPUID,		/* CPUID.1:ECX.VMX = 0 */
	VMX_DISABLED_BY_FIRMWARE,	/* IA32_FEATURE_CONTROL locked without VMX */
	VMX_BAD_CAPS,		/* a capability we cannot work without */
};

/* Detection and VMX operation on the boot CPU (vmx.c). */
enum vmx_unavailable vmx_detect(const char **why);
int vmx_on(void);
int vmx_off(void);

/*
 * Hands hv/vmx/ boot/'s allocator of memory the firmware never reclaims
 * (struct boot_info's alloc_kept).  The host GDT and TSS come from it, once
 * per hv.efi run, because TR keeps pointing at the TSS after the return to
 * the firmware when the firmware's own TR was null.  Call before vmx_on();
 * without it they come from the pool, which boot/ frees after the run.
 */
void vmx_set_kept_alloc(void *(*alloc)(u64 pages));

/* General-purpose registers, indexed by the x86 register number. */
enum {
	GPR_RAX, GPR_RCX, GPR_RDX, GPR_RBX, GPR_RSP, GPR_RBP, GPR_RSI, GPR_RDI,
	GPR_R8, GPR_R9, GPR_R10, GPR_R11, GPR_R12, GPR_R13, GPR_R14, GPR_R15,
	NR_GPRS
};

/* What the core sees of a VM exit. */
enum vmx_exit_kind {
	VMX_EXIT_NONE,
	VMX_EXIT_EXTINT,	/* host interrupt: let it through and resume */
	VMX_EXIT_TIMER,		/* the VMX-preemption timer ran out */
	VMX_EXIT_CPUID,
	VMX_EXIT_HLT,
	VMX_EXIT_VMCALL,
	VMX_EXIT_IO,
	VMX_EXIT_CR_WRITE,	/* MOV to CR0/3/4/8, CLTS, LMSW (value computed) */
	VMX_EXIT_CR_READ,	/* MOV from CR3 or CR8 */
	VMX_EXIT_MSR_READ,
	VMX_EXIT_MSR_WRITE,
	VMX_EXIT_PAGE_FAULT,
	VMX_EXIT_EXCEPTION,	/* any other intercepted exception */
	VMX_EXIT_INVLPG,
	VMX_EXIT_TRIPLE_FAULT,
	VMX_EXIT_INVD,
	VMX_EXIT_WBINVD,
	VMX_EXIT_XSETBV,
	VMX_EXIT_UD,		/* a VMX or SMX instruction: the guest sees none */
	VMX_EXIT_NMI,		/* a host NMI arrived while the guest ran */
	VMX_EXIT_DR_ACCESS,	/* MOV to or from DR0-DR7 (.dr) */
	VMX_EXIT_IRQ_WINDOW,	/* the guest can take an interrupt now */
	VMX_EXIT_ENTRY_FAILED,	/* VMLAUNCH/VMRESUME failed (see diag) */
	VMX_EXIT_UNHANDLED,	/* an exit reason the core has no handler for */
};

struct vmx_exit {
	enum vmx_exit_kind kind;
	u32 reason;		/* raw exit reason field */
	u64 qual;		/* exit qualification */
	u32 instr_len;
	/*
	 * The exit interrupted the delivery of an event (IDT-vectoring
	 * information, SDM 3C 27.2.4): unless the exit is resolved otherwise,
	 * the event must be delivered again (vmx_reinject).
	 */
	struct {
		bool valid;
		bool hw_exception;	/* rather than an interrupt or INT n */
		u8 vector;
	} delivery;
	union {
		struct { u16 port; u8 size; bool in, string, rep; } io;
		struct { u8 cr; u8 gpr; u64 value; bool clts, lmsw; } cr;
		struct { u8 vector; bool has_errcode; u32 errcode; u64 cr2; } exc;
		struct { u64 gva; } invlpg;
		struct { u8 dr; u8 gpr; bool to_dr; } dr;
		/* fail_kind: VMX_ENTER_* of hv/vmx/entry.h */
		struct { u32 insn_error; int fail_kind; } entry;
	};
};

/* Per-vCPU VMX state (vmcs.c). */
struct vmx_vcpu {
	void *vmcs;		/* one page, also its hpa */
	u8 *io_bitmap;		/* two pages: ports 0-0x7fff, 0x8000-0xffff */
	u64 gpr[NR_GPRS];
	u64 cr2;		/* not in the VMCS: swapped around entry */
	bool launched;
};

/*
 * Initial guest state: 32-bit protected mode, flat, paging off (Multiboot).
 * The CR0, CR4 and EFER the hardware runs with start at 0: the core derives
 * them from the guest's view before the first entry.
 */
struct vmx_entry_state {
	u32 eip, eax, ebx;
	u64 shadow_cr0, shadow_cr4, hw_cr3;
};

int vmx_vcpu_create(struct vmx_vcpu *v, const struct vmx_entry_state *s);
void vmx_vcpu_destroy(struct vmx_vcpu *v);
int vmx_vcpu_run(struct vmx_vcpu *v, struct vmx_exit *exit);

/*
 * Arms the VMX-preemption timer (SDM 3C 25.5.1) so the guest exits after at
 * most @tsc_ticks TSC ticks of its own time, whatever it does; 0 disarms
 * it.  Returns false if the processor has no usable timer (none, or one
 * with the rate erratum: vmx_caps.ctls.timer); the caller then relies on
 * host interrupts to get control back.
 */
bool vmx_arm_timer(u64 tsc_ticks);

/* Guest state the core reads and changes. */
enum vmx_reg {
	VMX_REG_RIP, VMX_REG_RSP, VMX_REG_RFLAGS,
	VMX_REG_CR0, VMX_REG_CR3, VMX_REG_CR4,		/* as the hardware runs */
	VMX_REG_CR0_SHADOW, VMX_REG_CR4_SHADOW,		/* as the guest reads */
	VMX_REG_EFER, VMX_REG_CS_AR, VMX_REG_CS_BASE, VMX_REG_SS_AR,
	VMX_REG_GDTR_BASE, VMX_REG_IDTR_BASE,
	VMX_REG_SYSENTER_CS, VMX_REG_SYSENTER_ESP, VMX_REG_SYSENTER_EIP,
	VMX_REG_PAT, VMX_REG_FS_BASE, VMX_REG_GS_BASE, VMX_REG_INTERRUPTIBILITY,
	VMX_REG_DR7, VMX_REG_DEBUGCTL,		/* "load debug controls" */
	VMX_REG_PENDING_DBG,			/* pending debug exceptions */
	VMX_REG_TR_AR,				/* TR's access rights */
};

/* VMX_REG_PENDING_DBG's single-step bit, BS (SDM 3C 24.4.2, Table 24-4). */
#define VMX_PENDING_DBG_BS	BIT(14)

u64 vmx_read(enum vmx_reg reg);
void vmx_write(enum vmx_reg reg, u64 val);
void vmx_skip_instruction(u32 instr_len);	/* the instruction retired */
unsigned int vmx_guest_cpl(void);	/* SS.DPL, SDM 3A 5.5 */
void vmx_inject_exception(u8 vector, bool has_errcode, u32 errcode);
/* An external interrupt, delivered at the next entry (SDM 3C 24.8.3). */
void vmx_inject_interrupt(u8 vector);
/* Exit as soon as the guest can take an interrupt (SDM 3C 24.6.2). */
void vmx_set_irq_window(bool on);
/* RFLAGS.IF = 1 and no STI or MOV SS blocking (SDM 3C 24.4.2). */
bool vmx_guest_interruptible(void);
void vmx_reinject(const struct vmx_exit *exit);
void vmx_set_long_mode(bool on);	/* IA-32e mode guest entry control */
/* RDTSC(P) in the guest return the TSC plus @offset (SDM 3C 25.3). */
void vmx_set_tsc_offset(u64 offset);

/*
 * Prints everything known about the current exit (reason name,
 * qualification, VM-instruction error and its name, guest registers) and,
 * for an invalid-guest-state entry failure, the software check's verdict on
 * which field is at fault.
 */
void vmx_dump_exit(const struct vmx_vcpu *v, const struct vmx_exit *exit);

#endif /* HV_VMX_VMX_H */
