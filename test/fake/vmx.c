// SPDX-License-Identifier: MIT
/*
 * The VMX layer (hv/vmx/vmx.h) for host tests: guest registers live in an
 * array, and the calls that would change the VMCS leave a record.
 */
#include <stdlib.h>
#include <string.h>

#include <lib/errno.h>
#include <lib/x86.h>
#include <hv/cpu/host_state.h>
#include "fake.h"

_Static_assert(VMX_REG_PENDING_DBG < FAKE_NR_REGS,
	       "fake_vmx.reg holds every enum vmx_reg");
_Static_assert(VMX_REG_TR_AR < FAKE_NR_REGS,
	       "fake_vmx.reg holds every enum vmx_reg");

struct fake_vmx fake_vmx;
struct vmx_caps vmx_caps;

void fake_reset(void)
{
	memset(&fake_vmx, 0, sizeof(fake_vmx));
	memset(&fake_cpu, 0, sizeof(fake_cpu));
	/* A VMX processor's fixed bits (SDM 3C A.7, A.8): PE, NE, PG; VMXE. */
	vmx_caps = (struct vmx_caps){
		.cr0_fixed0 = X86_CR0_PE | X86_CR0_NE | X86_CR0_PG,
		.cr0_fixed1 = 0xffffffffull,
		.cr4_fixed0 = X86_CR4_VMXE,
		.cr4_fixed1 = 0x3767ffull,
		.maxphyaddr = 40,
	};
	fake_set_cpuid(0, 0, 0xd, 0, 0, 0);		/* max basic leaf */
	fake_set_cpuid(0x80000000, 0, 0x80000008, 0, 0, 0);
	fake_set_cpuid(0x80000001, 0, 0, 0, 0, BIT(20) /* NX */);
	fake_set_cpuid(0xd, 0, XCR0_X87 | XCR0_SSE | XCR0_AVX, 0, 0, 0);
	fake_cpu.osxsave = true;
	fake_cpu.xcr0 = XCR0_X87;
	fake_cpu.tsc = 1000;
	fake_cpu.rflags = X86_RFLAGS_FIXED | X86_RFLAGS_IF;
	/* Flat 32-bit code, as the Multiboot entry state has it. */
	fake_vmx.reg[VMX_REG_CS_AR] = X86_AR_DB | 0x9b;
	fake_vmx.reg[VMX_REG_RFLAGS] = X86_RFLAGS_FIXED;
	/* A present, busy 32-bit TSS, as vmcs.c loads TR. */
	fake_vmx.reg[VMX_REG_TR_AR] = 0x8b;
	/* Load/save PAT and "enable RDTSCP" are on (hv/vmx/controls.c). */
	vmx_caps.ctls.pat = true;
	vmx_caps.ctls.rdtscp = true;
	/* The processor is new: no firmware state was saved on it. */
	host_cpu_forget();
	fake_cpu.mxcsr = X86_MXCSR_RESET;
	fake_cpu.fcw = X86_FCW_RESET;
	fake_cpu.dr[6] = X86_DR6_RESET;
	fake_cpu.dr[7] = X86_DR7_RESET;
}

u64 vmx_read(enum vmx_reg reg)
{
	return fake_vmx.reg[reg];
}

void vmx_write(enum vmx_reg reg, u64 val)
{
	fake_vmx.reg[reg] = val;
}

void vmx_skip_instruction(u32 instr_len)
{
	fake_vmx.reg[VMX_REG_RIP] += instr_len;
	fake_vmx.skipped_bytes += instr_len;
	fake_vmx.skips++;
}

unsigned int vmx_guest_cpl(void)
{
	return fake_vmx.cpl;
}

void vmx_inject_exception(u8 vector, bool has_errcode, u32 errcode)
{
	fake_vmx.injected = true;
	fake_vmx.inject = (struct x86_exception){
		.vector = vector, .has_errcode = has_errcode,
		.errcode = errcode,
	};
}

void vmx_reinject(const struct vmx_exit *exit)
{
	(void)exit;
	fake_vmx.reinjects++;
}

void vmx_set_long_mode(bool on)
{
	fake_vmx.long_mode = on;
}

void vmx_inject_interrupt(u8 vector)
{
	fake_vmx.injected_irq = vector;
	fake_vmx.irqs_injected++;
}

void vmx_set_irq_window(bool on)
{
	fake_vmx.irq_window = on;
}

bool vmx_guest_interruptible(void)
{
	return (fake_vmx.reg[VMX_REG_RFLAGS] & X86_RFLAGS_IF) &&
	       !fake_vmx.reg[VMX_REG_INTERRUPTIBILITY];
}

void vmx_set_tsc_offset(u64 offset)
{
	fake_vmx.tsc_offset = offset;
}

void vmx_dump_exit(const struct vmx_vcpu *v, const struct vmx_exit *exit)
{
	(void)v;
	(void)exit;
	fake_vmx.dumps++;
}

int vmx_vcpu_create(struct vmx_vcpu *v, const struct vmx_entry_state *s)
{
	memset(v, 0, sizeof(*v));
	v->gpr[GPR_RAX] = s->eax;
	v->gpr[GPR_RBX] = s->ebx;
	fake_vmx.reg[VMX_REG_RIP] = s->eip;
	fake_vmx.reg[VMX_REG_CR0_SHADOW] = s->shadow_cr0;
	fake_vmx.reg[VMX_REG_CR4_SHADOW] = s->shadow_cr4;
	fake_vmx.reg[VMX_REG_CR3] = s->hw_cr3;
	fake_vmx.creates++;
	return 0;
}

void vmx_vcpu_destroy(struct vmx_vcpu *v)
{
	(void)v;
	fake_vmx.destroys++;
}

int vmx_vcpu_run(struct vmx_vcpu *v, struct vmx_exit *exit)
{
	(void)v;
	if (fake_vmx.script_pos == fake_vmx.script_len) {
		memset(exit, 0, sizeof(*exit));
		exit->kind = VMX_EXIT_ENTRY_FAILED;
		return -EIO;
	}
	*exit = fake_vmx.script[fake_vmx.script_pos++];
	return 0;
}

bool vmx_arm_timer(u64 tsc_ticks)
{
	fake_vmx.timer_armed = tsc_ticks != 0;
	return true;
}
