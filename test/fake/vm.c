// SPDX-License-Identifier: MIT
/* VMs for host tests, built the way hv/main.c builds them. */
#include <stdlib.h>
#include <string.h>

#include <lib/palloc.h>
#include <hv/exit/exit.h>
#include <hv/mmu/spte.h>
#include <hv/vm.h>
#include "fake.h"

#define FAKE_POOL_PAGES	16384		/* 64 MiB */
#define FAKE_VM_MEM	(4ull << 20)	/* default guest RAM */
#define FAKE_VM_ENTRY	0x100000u	/* a Multiboot kernel's usual entry */

static struct cfg_guest fake_cfg;

static void pool_init_once(void)
{
	static void *pool;

	if (pool)
		return;
	pool = aligned_alloc(PAGE_SIZE, FAKE_POOL_PAGES * PAGE_SIZE);
	if (!pool || palloc_init(&hv_pool, pool, FAKE_POOL_PAGES))
		abort();
}

struct vm *fake_vm_create(u64 mem, enum cfg_invalidate mode)
{
	struct vm *vm;

	pool_init_once();
	memset(&fake_cfg, 0, sizeof(fake_cfg));
	strcpy(fake_cfg.name, "fake");
	fake_cfg.mem = mem ? mem : FAKE_VM_MEM;
	fake_cfg.mmu = mode;
	fake_cfg.valid = true;
	if (vm_create(&vm, &fake_cfg))
		abort();
	if (vcpu_init(&vm->vcpu, FAKE_VM_ENTRY, 0))
		abort();
	return vm;
}

void fake_vm_destroy(struct vm *vm)
{
	vm_destroy(vm);
}

struct vm *fake_guest_create(void)
{
	fake_reset();
	return fake_vm_create(0, CFG_INVALIDATE_TARGETED);
}

struct exit_action fake_exit(struct vcpu *vcpu, const struct vmx_exit *e)
{
	struct exit_action act = exit_handle(vcpu, e);

	exit_apply(vcpu, e, &act);
	return act;
}

struct exit_action fake_guest_wrmsr(struct vcpu *vcpu, u32 msr, u64 val)
{
	u64 *gpr = vcpu->vmx.gpr;

	gpr[GPR_RCX] = msr;
	gpr[GPR_RAX] = 0xdead000000000000ull | (u32)val;
	gpr[GPR_RDX] = 0xbeef000000000000ull | (val >> 32);
	return fake_exit(vcpu, &(struct vmx_exit){
		.kind = VMX_EXIT_MSR_WRITE, .instr_len = 2 });
}

struct exit_action fake_guest_rdmsr(struct vcpu *vcpu, u32 msr, u64 *val)
{
	u64 *gpr = vcpu->vmx.gpr;
	struct exit_action act;

	gpr[GPR_RCX] = msr;
	act = fake_exit(vcpu, &(struct vmx_exit){
		.kind = VMX_EXIT_MSR_READ, .instr_len = 2 });
	if (val)
		*val = (gpr[GPR_RDX] << 32) | (u32)gpr[GPR_RAX];
	return act;
}

struct exit_action fake_guest_cpuid(struct vcpu *vcpu, u64 rax, u64 rcx)
{
	u64 *gpr = vcpu->vmx.gpr;

	gpr[GPR_RAX] = rax;
	gpr[GPR_RCX] = rcx;
	gpr[GPR_RBX] = gpr[GPR_RDX] = ~0ull;
	return fake_exit(vcpu, &(struct vmx_exit){
		.kind = VMX_EXIT_CPUID, .instr_len = 2 });
}

bool fake_killed_as(const struct exit_action *act, const char *reason)
{
	return act->kind == EXIT_END && act->end.kind == END_KILLED &&
	       act->end.reason && !strcmp(act->end.reason, reason);
}

void fake_write(struct vm *vm, gpa_t gpa, const void *src, size_t len)
{
	if (physmap_write(&vm->pm, gpa, src, len))
		abort();
}

void fake_write32(struct vm *vm, gpa_t gpa, u32 val)
{
	fake_write(vm, gpa, &val, sizeof(val));
}

void fake_write64(struct vm *vm, gpa_t gpa, u64 val)
{
	fake_write(vm, gpa, &val, sizeof(val));
}

u32 fake_read32(struct vm *vm, gpa_t gpa)
{
	u32 val;

	if (physmap_read(&vm->pm, gpa, &val, sizeof(val)))
		abort();
	return val;
}

u64 fake_read64(struct vm *vm, gpa_t gpa)
{
	u64 val;

	if (physmap_read(&vm->pm, gpa, &val, sizeof(val)))
		abort();
	return val;
}

/* 32-bit paging (SDM 3A 4.3): one PD and one PT, the first 4 MiB. */
void fake_tables_32(struct vm *vm, gpa_t pd)
{
	gpa_t pt = pd + PAGE_SIZE;

	fake_write32(vm, pd, pt | PTE_P | PTE_RW);
	for (u32 i = 0; i < 1024; i++)
		fake_write32(vm, pt + 4 * i,
			     (i << PAGE_SHIFT) | PTE_P | PTE_RW);
}

/* PAE paging (SDM 3A 4.4): PDPTE 0 -> a PD of two 2 MiB pages. */
void fake_tables_pae(struct vm *vm, gpa_t pdpt)
{
	gpa_t pd = pdpt + PAGE_SIZE;

	fake_write64(vm, pdpt, pd | PTE_P);
	fake_write64(vm, pd, PTE_P | PTE_RW | PTE_PS);
	fake_write64(vm, pd + 8, (2ull << 20) | PTE_P | PTE_RW | PTE_PS);
}

/* 4-level paging (SDM 3A 4.5): PML4 -> PDPT -> PD of two 2 MiB pages. */
void fake_tables_long(struct vm *vm, gpa_t pml4)
{
	gpa_t pdpt = pml4 + PAGE_SIZE, pd = pml4 + 2 * PAGE_SIZE;

	fake_write64(vm, pml4, pdpt | PTE_P | PTE_RW);
	fake_write64(vm, pdpt, pd | PTE_P | PTE_RW);
	fake_write64(vm, pd, PTE_P | PTE_RW | PTE_PS);
	fake_write64(vm, pd + 8, (2ull << 20) | PTE_P | PTE_RW | PTE_PS);
}

u64 fake_shadow_leaf(struct vcpu *vcpu, gva_t gva)
{
	bool long_mode = vcpu->mmu.mode == PAGING_LONG;
	const u64 *table = (const u64 *)(uintptr_t)vcpu->mmu.hw_cr3;
	int level = long_mode ? 4 : 3;
	u64 spte;

	if (!table)
		return 0;
	for (;; level--) {
		u32 idx = level == 3 && !long_mode ? (gva >> 30) & 3 :
			  (gva >> (PAGE_SHIFT + 9 * (level - 1))) & 0x1ff;

		spte = table[idx];
		if (!spte_present(spte) || level == 1)
			return spte_present(spte) ? spte : 0;
		table = (const u64 *)(uintptr_t)spte_addr(spte);
	}
}
