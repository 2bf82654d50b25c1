// SPDX-License-Identifier: MIT
/*
 * Connects the host-buildable hypercall dispatcher (hypercall.c) to a
 * running VM: its console, its exit, and its shadow MMU's invalidation
 * (including of guest page tables the hypercall's results overwrote).
 */
#define LOG_SUBSYS "hcall"
#include <lib/log.h>
#include <lib/x86.h>
#include <hv/exit/handlers.h>
#include <hv/hypercall/hypercall.h>
#include <hv/vm.h>

/* What the dispatcher's callbacks act on for one VMCALL. */
struct vmcall_ctx {
	struct vm *vm;
	bool exited;
	u64 status;
};

static void hc_console_write(void *ctx, const char *s, size_t len)
{
	struct vmcall_ctx *c = ctx;

	vm_console_write(c->vm, s, len);
}

static void hc_exit(void *ctx, u64 status)
{
	struct vmcall_ctx *c = ctx;

	c->exited = true;
	c->status = status;
}

static void hc_invalidate_range(void *ctx, gfn_t gfn, u64 npages)
{
	struct vmcall_ctx *c = ctx;

	mmu_invalidate_range(&c->vm->mmu, gfn, npages);
}

static void hc_dirty_log_cleared(void *ctx, struct memslot *slot)
{
	struct vmcall_ctx *c = ctx;

	mmu_write_protect_slot(&c->vm->mmu, slot);
}

static void hc_written(void *ctx, gpa_t gpa, u64 len)
{
	struct vmcall_ctx *c = ctx;

	mmu_guest_written(&c->vm->mmu, gpa, len);
}

static const struct hc_env_ops vm_hc_ops = {
	.console_write = hc_console_write,
	.exit = hc_exit,
	.invalidate_range = hc_invalidate_range,
	.dirty_log_cleared = hc_dirty_log_cleared,
	.written = hc_written,
};

struct exit_action handle_vmcall(struct vcpu *vcpu, const struct vmx_exit *exit)
{
	struct vm *vm = vcpu->vm;
	u64 *gpr = vcpu->vmx.gpr;
	struct vmcall_ctx ctx = { .vm = vm };
	struct hc_env env = {
		.ops = &vm_hc_ops,
		.ctx = &ctx,
		.pm = &vm->pm,
		.stats = &vm->stats,
	};
	u64 a[4] = { gpr[GPR_RBX], gpr[GPR_RCX], gpr[GPR_RDX], gpr[GPR_RSI] };
	/*
	 * Only 64-bit code passes 64-bit values: compatibility mode is 32-bit
	 * code, whose upper register halves are undefined (SDM 1 3.4.1.1).
	 */
	bool code64 = (vcpu->efer & EFER_LMA) &&
			 (vmx_read(VMX_REG_CS_AR) & X86_AR_L);
	s64 ret;

	/* As in KVM: only the guest kernel may make hypercalls. */
	if (vmx_guest_cpl() != 0) {
		gpr[GPR_RAX] = (u64)-APERTURE_EPERM;
		return act_skip(exit->instr_len);
	}
	/* 32-bit code passes 32-bit values: ignore stale upper halves. */
	if (!code64) {
		for (int i = 0; i < 4; i++)
			a[i] = (u32)a[i];
	}
	ret = hypercall_dispatch(&env, code64 ? gpr[GPR_RAX] :
				 (u32)gpr[GPR_RAX], a[0], a[1], a[2], a[3]);
	if (ctx.exited)
		return act_exit_status(ctx.status);
	gpr[GPR_RAX] = code64 ? (u64)ret : (u32)ret;
	return act_skip(exit->instr_len);
}
