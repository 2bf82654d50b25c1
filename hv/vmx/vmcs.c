// SPDX-License-Identifier: MIT
/*
 * The per-vCPU VMCS: the controls vmx_detect() computed (controls.c), host
 * state, the Multiboot entry state, and running the vCPU.
 */
#define LOG_SUBSYS "vmx"
#include <lib/cpu.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <lib/palloc.h>
#include <lib/string.h>
#include <lib/x86.h>
#include <hv/vmx/host.h>
#include <hv/vmx/internal.h>
#include <hv/vmx/vmx_insn.h>

/* entry.S addresses gpr[] through entry.h's offsets: they must match. */
#define GPR_OFFSET(n)	((n) * sizeof(((struct vmx_vcpu *)0)->gpr[0]))
_Static_assert(ENTRY_GPR_RAX == GPR_OFFSET(GPR_RAX), "entry.h: RAX");
_Static_assert(ENTRY_GPR_RCX == GPR_OFFSET(GPR_RCX), "entry.h: RCX");
_Static_assert(ENTRY_GPR_RDX == GPR_OFFSET(GPR_RDX), "entry.h: RDX");
_Static_assert(ENTRY_GPR_RBX == GPR_OFFSET(GPR_RBX), "entry.h: RBX");
_Static_assert(ENTRY_GPR_RBP == GPR_OFFSET(GPR_RBP), "entry.h: RBP");
_Static_assert(ENTRY_GPR_RSI == GPR_OFFSET(GPR_RSI), "entry.h: RSI");
_Static_assert(ENTRY_GPR_RDI == GPR_OFFSET(GPR_RDI), "entry.h: RDI");
_Static_assert(ENTRY_GPR_R8 == GPR_OFFSET(GPR_R8), "entry.h: R8");
_Static_assert(ENTRY_GPR_R9 == GPR_OFFSET(GPR_R9), "entry.h: R9");
_Static_assert(ENTRY_GPR_R10 == GPR_OFFSET(GPR_R10), "entry.h: R10");
_Static_assert(ENTRY_GPR_R11 == GPR_OFFSET(GPR_R11), "entry.h: R11");
_Static_assert(ENTRY_GPR_R12 == GPR_OFFSET(GPR_R12), "entry.h: R12");
_Static_assert(ENTRY_GPR_R13 == GPR_OFFSET(GPR_R13), "entry.h: R13");
_Static_assert(ENTRY_GPR_R14 == GPR_OFFSET(GPR_R14), "entry.h: R14");
_Static_assert(ENTRY_GPR_R15 == GPR_OFFSET(GPR_R15), "entry.h: R15");
_Static_assert(sizeof(((struct vmx_vcpu *)0)->gpr) == NR_GPRS * 8,
	       "entry.S saves 16 eight-byte registers");
_Static_assert(ENTRY_VMCS_HOST_RSP == VMCS_HOST_RSP, "entry.h: HOST_RSP");

static const char *insn_error_insn;
static u64 insn_error_field;

void vmx_note_insn_error(const char *insn, u64 field)
{
	if (!insn_error_insn) {
		insn_error_insn = insn;
		insn_error_field = field;
	}
}

/* Reports (once) a VMREAD/VMWRITE that failed since the last call. */
static int take_insn_error(void)
{
	if (!insn_error_insn)
		return 0;
	log_err("%s of field %#lx failed\n", insn_error_insn,
		insn_error_field);
	insn_error_insn = NULL;
	return -EIO;
}

static void write_host_state(void)
{
	struct host_state hs;

	host_state_capture(&hs);
	vmcs_write(VMCS_HOST_CR0, hs.cr0);
	vmcs_write(VMCS_HOST_CR3, hs.cr3);
	vmcs_write(VMCS_HOST_CR4, hs.cr4);
	vmcs_write(VMCS_HOST_CS_SELECTOR, hs.cs);
	vmcs_write(VMCS_HOST_SS_SELECTOR, hs.ss);
	vmcs_write(VMCS_HOST_DS_SELECTOR, hs.ds);
	vmcs_write(VMCS_HOST_ES_SELECTOR, hs.es);
	vmcs_write(VMCS_HOST_FS_SELECTOR, hs.fs);
	vmcs_write(VMCS_HOST_GS_SELECTOR, hs.gs);
	vmcs_write(VMCS_HOST_TR_SELECTOR, hs.tr);
	vmcs_write(VMCS_HOST_FS_BASE, hs.fs_base);
	vmcs_write(VMCS_HOST_GS_BASE, hs.gs_base);
	vmcs_write(VMCS_HOST_TR_BASE, hs.tr_base);
	vmcs_write(VMCS_HOST_GDTR_BASE, hs.gdt_base);
	vmcs_write(VMCS_HOST_IDTR_BASE, hs.idt_base);
	vmcs_write(VMCS_HOST_IA32_EFER, hs.efer);
	/* Without the PAT controls the field is never touched. */
	if (vmx_caps.ctls.pat)
		vmcs_write(VMCS_HOST_IA32_PAT, hs.pat);
	vmcs_write(VMCS_HOST_SYSENTER_CS, 0);
	vmcs_write(VMCS_HOST_SYSENTER_ESP, 0);
	vmcs_write(VMCS_HOST_SYSENTER_EIP, 0);
	vmcs_write(VMCS_HOST_RIP, (uintptr_t)vmx_exit_landing);
	/* HOST_RSP is written by vmx_enter on every entry. */
}

/* Access rights, SDM 3C 24.4.1: type | S | P | D/B | G. */
#define AR_CODE32	(SEG_TYPE_CODE_R_A | VMX_AR_S | VMX_AR_P | VMX_AR_DB | \
			 VMX_AR_G)
#define AR_DATA32	(SEG_TYPE_DATA_RW_A | VMX_AR_S | VMX_AR_P | VMX_AR_DB | \
			 VMX_AR_G)
#define AR_TSS32_BUSY	(SEG_TYPE_TSS_BUSY | VMX_AR_P)

/*
 * Multiboot 0.6.96 section 3.2 wants flat 4 GiB code and data segments but
 * names no selector values: these are those of the usual GDT layout.
 */
#define MB_CODE_SEL	0x08
#define MB_DATA_SEL	0x10
#define FLAT_LIMIT	0xffffffffu
#define TSS32_LIMIT	0x67	/* a 104-byte 32-bit TSS, SDM 3A 8.2.1 */

static void write_segment(u32 sel_field, u16 sel, u32 ar)
{
	/* Selector, base, limit and AR fields are laid out in parallel. */
	u32 idx = sel_field - VMCS_GUEST_ES_SELECTOR;

	vmcs_write(sel_field, sel);
	vmcs_write(VMCS_GUEST_ES_BASE + idx, 0);
	vmcs_write(VMCS_GUEST_ES_LIMIT + idx, FLAT_LIMIT);
	vmcs_write(VMCS_GUEST_ES_AR + idx, ar);
}

/* Multiboot 0.6.96 section 3.2 machine state, under shadow paging. */
static void write_guest_state(const struct vmx_entry_state *s)
{
	write_segment(VMCS_GUEST_CS_SELECTOR, MB_CODE_SEL, AR_CODE32);
	write_segment(VMCS_GUEST_SS_SELECTOR, MB_DATA_SEL, AR_DATA32);
	write_segment(VMCS_GUEST_DS_SELECTOR, MB_DATA_SEL, AR_DATA32);
	write_segment(VMCS_GUEST_ES_SELECTOR, MB_DATA_SEL, AR_DATA32);
	write_segment(VMCS_GUEST_FS_SELECTOR, MB_DATA_SEL, AR_DATA32);
	write_segment(VMCS_GUEST_GS_SELECTOR, MB_DATA_SEL, AR_DATA32);

	vmcs_write(VMCS_GUEST_LDTR_SELECTOR, 0);
	vmcs_write(VMCS_GUEST_LDTR_BASE, 0);
	vmcs_write(VMCS_GUEST_LDTR_LIMIT, 0);
	vmcs_write(VMCS_GUEST_LDTR_AR, VMX_AR_UNUSABLE);
	/* 26.3.1.2: TR must be a busy TSS even if the guest never uses it. */
	vmcs_write(VMCS_GUEST_TR_SELECTOR, 0);
	vmcs_write(VMCS_GUEST_TR_BASE, 0);
	vmcs_write(VMCS_GUEST_TR_LIMIT, TSS32_LIMIT);
	vmcs_write(VMCS_GUEST_TR_AR, AR_TSS32_BUSY);
	vmcs_write(VMCS_GUEST_GDTR_BASE, 0);
	vmcs_write(VMCS_GUEST_GDTR_LIMIT, 0);
	vmcs_write(VMCS_GUEST_IDTR_BASE, 0);
	vmcs_write(VMCS_GUEST_IDTR_LIMIT, 0);

	/* See struct vmx_entry_state: the core sets CR0, CR4 and EFER. */
	vmcs_write(VMCS_GUEST_CR0, 0);
	vmcs_write(VMCS_GUEST_CR3, s->hw_cr3);
	vmcs_write(VMCS_GUEST_CR4, 0);
	vmcs_write(VMCS_CTRL_CR0_READ_SHADOW, s->shadow_cr0);
	vmcs_write(VMCS_CTRL_CR4_READ_SHADOW, s->shadow_cr4);
	vmcs_write(VMCS_GUEST_DR7, X86_DR7_RESET);
	vmcs_write(VMCS_GUEST_RSP, 0);
	vmcs_write(VMCS_GUEST_RIP, s->eip);
	vmcs_write(VMCS_GUEST_RFLAGS, X86_RFLAGS_FIXED);	/* IF = 0 */
	vmcs_write(VMCS_GUEST_IA32_EFER, 0);
	vmcs_write(VMCS_GUEST_IA32_DEBUGCTL, 0);
	if (vmx_caps.ctls.pat)
		vmcs_write(VMCS_GUEST_IA32_PAT, PAT_RESET);
	vmcs_write(VMCS_GUEST_SYSENTER_CS, 0);
	vmcs_write(VMCS_GUEST_SYSENTER_ESP, 0);
	vmcs_write(VMCS_GUEST_SYSENTER_EIP, 0);
	vmcs_write(VMCS_GUEST_PENDING_DBG_EXCEPTIONS, 0);
	vmcs_write(VMCS_GUEST_INTERRUPTIBILITY, 0);
	vmcs_write(VMCS_GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
	vmcs_write(VMCS_GUEST_VMCS_LINK_PTR, VMCS_LINK_PTR_NONE);
}

int vmx_vcpu_create(struct vmx_vcpu *v, const struct vmx_entry_state *s)
{
	/* Checked once by vmx_detect(), before VMXON. */
	const struct vmx_controls *c = &vmx_caps.ctls;
	int ret;

	memset(v, 0, sizeof(*v));

	v->vmcs = alloc_page();
	v->io_bitmap = alloc_pages(2);
	if (!v->vmcs || !v->io_bitmap) {
		ret = -ENOMEM;
		goto fail;
	}
	/* Every port exits; the core emulates the devices it knows. */
	memset(v->io_bitmap, 0xff, 2 * PAGE_SIZE);
	*(u32 *)v->vmcs = vmx_caps.revision;	/* SDM 3C 24.2 */

	ret = vmclear((uintptr_t)v->vmcs);
	if (!ret)
		ret = vmptrld((uintptr_t)v->vmcs);
	if (ret) {
		log_err("VMCLEAR/VMPTRLD of %p failed\n", v->vmcs);
		goto fail;
	}

	vmcs_write(VMCS_CTRL_PIN_BASED, c->pin);
	vmcs_write(VMCS_CTRL_PROC_BASED, c->proc);
	/* The field exists only where secondary controls can be activated. */
	if (c->proc & CPU_BASED_ACTIVATE_SECONDARY)
		vmcs_write(VMCS_CTRL_PROC_BASED2, c->proc2);
	vmcs_write(VMCS_CTRL_EXIT, c->exit);
	vmcs_write(VMCS_CTRL_ENTRY, c->entry);
	vmcs_write(VMCS_CTRL_EXCEPTION_BITMAP, BIT(X86_VEC_PF));
	vmcs_write(VMCS_CTRL_PF_ERRCODE_MASK, 0);
	vmcs_write(VMCS_CTRL_PF_ERRCODE_MATCH, 0);
	vmcs_write(VMCS_CTRL_CR3_TARGET_COUNT, 0);
	/* The guest reads the host TSC until it writes IA32_TSC. */
	vmcs_write(VMCS_CTRL_TSC_OFFSET, 0);
	vmcs_write(VMCS_CTRL_IO_BITMAP_A, (uintptr_t)v->io_bitmap);
	vmcs_write(VMCS_CTRL_IO_BITMAP_B, (uintptr_t)v->io_bitmap + PAGE_SIZE);
	vmcs_write(VMCS_CTRL_EXIT_MSR_STORE_COUNT, 0);
	vmcs_write(VMCS_CTRL_EXIT_MSR_LOAD_COUNT, 0);
	vmcs_write(VMCS_CTRL_ENTRY_MSR_LOAD_COUNT, 0);
	vmcs_write(VMCS_CTRL_ENTRY_INTR_INFO, 0);
	/*
	 * The guest owns no CR0/CR4 bit: every write exits, and reads see the
	 * read shadows, so the guest never learns of PG, PAE or VMXE that the
	 * shadow MMU and VMX force on.
	 */
	vmcs_write(VMCS_CTRL_CR0_MASK, ~0ull);
	vmcs_write(VMCS_CTRL_CR4_MASK, ~0ull);

	write_host_state();
	write_guest_state(s);
	v->gpr[GPR_RAX] = s->eax;
	v->gpr[GPR_RBX] = s->ebx;

	ret = take_insn_error();
	if (ret)
		goto fail;
	return 0;

fail:
	vmx_vcpu_destroy(v);
	return ret;
}

void vmx_vcpu_destroy(struct vmx_vcpu *v)
{
	if (v->vmcs) {
		/* Flush the processor's cached copy before the page is reused. */
		if (vmclear((uintptr_t)v->vmcs))
			log_err("VMCLEAR of %p failed at teardown\n", v->vmcs);
		free_page(v->vmcs);
	}
	if (v->io_bitmap)
		free_pages(v->io_bitmap, 2);
	memset(v, 0, sizeof(*v));
}

/* The VMX-preemption timer value is a 32-bit field (SDM 3C 24.4.2). */
#define PREEMPTION_TIMER_MAX	0xffffffffull

bool vmx_arm_timer(u64 tsc_ticks)
{
	/* It counts down once every 2^rate TSC ticks (SDM 3C A.6, 25.5.1). */
	unsigned int rate = vmx_caps.ctls.timer_rate;
	u64 pin;

	/* Absent, or distrusted for its erratum (controls.c). */
	if (!vmx_caps.ctls.timer)
		return false;
	pin = vmcs_read(VMCS_CTRL_PIN_BASED);
	/*
	 * The control is on only while a limit is armed: a zero count with
	 * the control set exits before the guest runs any instruction (SDM
	 * 3C 25.5.1), so every entry would bounce straight back.
	 */
	if (!tsc_ticks) {
		if (pin & PIN_BASED_PREEMPTION_TIMER)
			vmcs_write(VMCS_CTRL_PIN_BASED,
				   pin & ~(u64)PIN_BASED_PREEMPTION_TIMER);
		return true;
	}
	if (!(pin & PIN_BASED_PREEMPTION_TIMER))
		vmcs_write(VMCS_CTRL_PIN_BASED, pin | PIN_BASED_PREEMPTION_TIMER);
	vmcs_write(VMCS_GUEST_PREEMPTION_TIMER,
		   MIN(tsc_ticks >> rate, PREEMPTION_TIMER_MAX));
	return true;
}

/* vmcs_read, as the function exit_decode.c reads the exit through. */
static u64 read_field(u32 field)
{
	return vmcs_read(field);
}

int vmx_vcpu_run(struct vmx_vcpu *v, struct vmx_exit *exit)
{
	int ret;

	memset(exit, 0, sizeof(*exit));
	if (take_insn_error()) {
		exit->kind = VMX_EXIT_ENTRY_FAILED;
		exit->entry.fail_kind = VMX_ENTER_FIELD_ERROR;
		return -EIO;
	}

	/* CR2 is not part of the VMCS: the guest's lives in the real one. */
	write_cr2(v->cr2);
	ret = vmx_enter(v->gpr, v->launched);
	v->cr2 = read_cr2();

	if (ret != VMX_ENTER_EXITED) {
		exit->kind = VMX_EXIT_ENTRY_FAILED;
		exit->entry.fail_kind = ret;
		if (ret == VMX_ENTER_FAIL_VALID)
			exit->entry.insn_error =
				vmcs_read(VMCS_RO_VM_INSTR_ERROR);
		return -EIO;
	}
	v->launched = true;
	vmx_decode_exit(read_field, v, exit);
	return 0;
}
