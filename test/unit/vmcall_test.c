// SPDX-License-Identifier: MIT
/*
 * Hypercalls on a fake VM (hv/exit/vmcall.c): what the hypervisor writes
 * into guest memory on the guest's behalf must be seen by the shadow MMU
 * like a guest store.  A shadowed guest page table overwritten by
 * APERTURE_HC_GET_STATS (or any hypercall that writes a structure to a
 * guest gpa) loses the shadow entries the old contents made, so neither a
 * later access nor a MOV CR3 that reuses the cached root runs on them.
 */
#define UNIT_SUITE "vmcall"
#include "unit.h"

#include <lib/string.h>
#include <lib/x86.h>
#include <hv/exit/cr.h>
#include <hv/exit/exit.h>
#include <hv/mmu/shadow.h>
#include <hv/vm.h>
#include "../fake/fake.h"

#define RIP0		0x100000ull
#define TABLES		0x200000ull
#define PT32		(TABLES + PAGE_SIZE)	/* fake_tables_32's PT */
#define DATA		0x300000ull

static struct vm *vm;
static struct vcpu *vcpu;

static void setup(void)
{
	vm = fake_guest_create();
	vcpu = &vm->vcpu;
	fake_tables_32(vm, TABLES);
	CHECK_EQ(vcpu_set_cr3(vcpu, TABLES), CR_OK);
	CHECK_EQ(vcpu_set_cr0(vcpu, X86_CR0_PE | X86_CR0_PG), CR_OK);
}

static void teardown(void)
{
	fake_vm_destroy(vm);
}

static void touch(gva_t gva)
{
	struct vmx_exit e = { .kind = VMX_EXIT_PAGE_FAULT,
			      .exc = { .vector = X86_VEC_PF, .cr2 = gva } };

	CHECK_EQ(exit_handle(vcpu, &e).kind, EXIT_RESUME);
}

static struct exit_action vmcall(u64 nr, u64 a0, u64 a1)
{
	struct vmx_exit e = { .kind = VMX_EXIT_VMCALL, .instr_len = 3 };

	vcpu->vmx.gpr[GPR_RAX] = nr;
	vcpu->vmx.gpr[GPR_RBX] = a0;
	vcpu->vmx.gpr[GPR_RCX] = a1;
	return exit_handle(vcpu, &e);
}

static void test_get_stats_over_shadowed_pt_drops_its_entries(void)
{
	struct exit_action act;

	setup();
	touch(DATA);
	CHECK(shadow_gfn_is_table(&vm->mmu, PT32 >> PAGE_SHIFT));
	CHECK(fake_shadow_leaf(vcpu, DATA) != 0);
	CHECK(fake_shadow_leaf(vcpu, 0) == 0);
	touch(0);
	CHECK(fake_shadow_leaf(vcpu, 0) != 0);
	/* The stats land on the PTEs for gva 0 and up: they change. */
	act = vmcall(APERTURE_HC_GET_STATS, PT32, 0);
	CHECK_EQ(act.kind, EXIT_SKIP);
	CHECK_EQ(vcpu->vmx.gpr[GPR_RAX], 0);
	CHECK_EQ(fake_shadow_leaf(vcpu, 0), 0);
	/* Far beyond the structure: untouched, still mapped. */
	CHECK(fake_shadow_leaf(vcpu, DATA) != 0);
	teardown();
}

static void test_get_memslots_over_shadowed_pd_drops_its_entries(void)
{
	struct exit_action act;

	setup();
	touch(DATA);
	CHECK(fake_shadow_leaf(vcpu, DATA) != 0);
	/* One entry over PDE 0: the path to every low page is stale. */
	act = vmcall(APERTURE_HC_GET_MEMSLOTS, TABLES, 1);
	CHECK_EQ(act.kind, EXIT_SKIP);
	CHECK((s64)vcpu->vmx.gpr[GPR_RAX] >= 1);
	CHECK_EQ(fake_shadow_leaf(vcpu, DATA), 0);
	teardown();
}

static void test_write_to_plain_ram_keeps_shadows(void)
{
	struct exit_action act;

	setup();
	touch(DATA);
	act = vmcall(APERTURE_HC_GET_STATS, DATA + 0x800, 0);
	CHECK_EQ(act.kind, EXIT_SKIP);
	CHECK(fake_shadow_leaf(vcpu, DATA) != 0);
	CHECK_EQ(vm->stats.pt_writes_emulated, 0);
	teardown();
}

int main(void)
{
	RUN(test_get_stats_over_shadowed_pt_drops_its_entries);
	RUN(test_get_memslots_over_shadowed_pd_drops_its_entries);
	RUN(test_write_to_plain_ram_keeps_shadows);
	return unit_done();
}
