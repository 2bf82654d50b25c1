// SPDX-License-Identifier: MIT
/*
 * The #PF exit path (hv/exit/page_fault.c over the shadow MMU) through
 * exit_handle() and exit_apply(): faults the shadow fixes, faults that are
 * the guest's own and are reflected with their error code and CR2, MMIO
 * emulation, and faults taken while the processor was delivering another
 * event (redelivery, #DF, triple fault; SDM 3A 6.15, Table 6-5).
 *
 * The guest's page tables are written into its RAM at TABLES and identity
 * map its first 4 MiB; the shadow tables the "hardware" would run on are
 * read back with fake_shadow_leaf().
 */
#define UNIT_SUITE "page_fault"
#include "unit.h"

#include <lib/string.h>
#include <lib/x86.h>
#include <hv/exit/cr.h>
#include <hv/exit/exit.h>
#include <hv/mmu/shadow.h>
#include <hv/mmu/spte.h>
#include <hv/vm.h>
#include "../fake/fake.h"

#define RIP0		0x100000ull
#define TABLES		0x200000ull
#define PT32		(TABLES + PAGE_SIZE)	/* fake_tables_32's PT */
#define DATA		0x300000ull
#define MMIO		0xe0000000ull

static struct vm *vm;
static struct vcpu *vcpu;

static void setup(void)
{
	vm = fake_guest_create();
	vcpu = &vm->vcpu;
}

static void teardown(void)
{
	fake_vm_destroy(vm);
}

static void enter_paging32(void)
{
	fake_tables_32(vm, TABLES);
	CHECK_EQ(vcpu_set_cr3(vcpu, TABLES), CR_OK);
	CHECK_EQ(vcpu_set_cr0(vcpu, X86_CR0_PE | X86_CR0_PG | X86_CR0_WP),
		 CR_OK);
	CHECK_EQ(vcpu->mmu.mode, PAGING_32);
}

/* The guest PTE of 32-bit paging for @gva. */
static gpa_t pte32(gva_t gva)
{
	return PT32 + 4 * (gva >> PAGE_SHIFT);
}

static u64 hva_of(gpa_t gpa)
{
	return (uintptr_t)physmap_gfn_to_hva(&vm->pm, gpa >> PAGE_SHIFT, NULL);
}

static struct vmx_exit pf_exit(gva_t gva, u32 errcode)
{
	return (struct vmx_exit){
		.kind = VMX_EXIT_PAGE_FAULT,
		.exc = { .vector = X86_VEC_PF, .has_errcode = true,
			 .errcode = errcode, .cr2 = gva },
	};
}

/* The same, taken while the processor delivered @vector. */
static struct vmx_exit pf_in_delivery(gva_t gva, u32 errcode, u8 vector,
				      bool hw_exception)
{
	struct vmx_exit e = pf_exit(gva, errcode);

	e.delivery.valid = true;
	e.delivery.hw_exception = hw_exception;
	e.delivery.vector = vector;
	return e;
}

/* The action injected #PF(@errcode) at @gva, and it was applied. */
static void check_pf(const struct exit_action *act, gva_t gva, u32 errcode)
{
	CHECK_EQ(act->kind, EXIT_INJECT);
	CHECK_EQ(act->exc.vector, X86_VEC_PF);
	CHECK(act->exc.has_errcode);
	CHECK_EQ(act->exc.errcode, errcode);
	CHECK_EQ(act->exc.cr2, gva);
	CHECK(fake_vmx.injected);
	CHECK_EQ(fake_vmx.inject.vector, X86_VEC_PF);
	CHECK(fake_vmx.inject.has_errcode);
	CHECK_EQ(fake_vmx.inject.errcode, errcode);
	CHECK_EQ(vcpu->vmx.cr2, gva);
	CHECK_EQ(fake_vmx.skips, 0);
	CHECK_EQ(fake_vmx.reinjects, 0);
}

static void test_not_present_pte_injects_pf_with_cr2(void)
{
	struct vmx_exit e = pf_exit(DATA + 0x10, PFERR_WRITE);
	struct exit_action act;

	setup();
	enter_paging32();
	fake_write32(vm, pte32(DATA), 0);
	act = fake_exit(vcpu, &e);
	check_pf(&act, DATA + 0x10, PFERR_WRITE);	/* P = 0 */
	CHECK_EQ(vm->stats.guest_faults_injected, 1);
	CHECK_EQ(vm->stats.shadow_faults, 0);
	CHECK_EQ(fake_shadow_leaf(vcpu, DATA), 0);
	teardown();
}

static void test_user_access_to_supervisor_page_injects_pf(void)
{
	struct vmx_exit e = pf_exit(DATA, PFERR_USER);
	struct exit_action act;

	setup();
	enter_paging32();
	act = fake_exit(vcpu, &e);
	check_pf(&act, DATA, PFERR_PRESENT | PFERR_USER);
	teardown();
}

static void test_write_to_read_only_page_with_wp_injects_pf(void)
{
	struct vmx_exit e = pf_exit(DATA, PFERR_WRITE | PFERR_PRESENT);
	struct exit_action act;

	setup();
	enter_paging32();
	fake_write32(vm, pte32(DATA), DATA | PTE_P);
	act = fake_exit(vcpu, &e);
	check_pf(&act, DATA, PFERR_PRESENT | PFERR_WRITE);
	teardown();
}

/* SDM 3A 4.6: with CR0.WP = 0, supervisor writes ignore R/W. */
static void test_supervisor_write_to_read_only_page_without_wp_is_fixed(void)
{
	struct vmx_exit e = pf_exit(DATA, PFERR_WRITE);
	struct exit_action act;
	u64 spte;

	setup();
	enter_paging32();
	CHECK_EQ(vcpu_set_cr0(vcpu, X86_CR0_PE | X86_CR0_PG), CR_OK);
	fake_write32(vm, pte32(DATA), DATA | PTE_P);
	act = fake_exit(vcpu, &e);
	CHECK_EQ(act.kind, EXIT_RESUME);
	CHECK(!fake_vmx.injected);
	spte = fake_shadow_leaf(vcpu, DATA);
	CHECK_EQ(spte_addr(spte), hva_of(DATA));
	CHECK(spte & PTE_RW);
	CHECK(!(spte & PTE_US));	/* a user access must still fault */
	teardown();
}

static void test_present_mapping_is_fixed_in_the_shadow(void)
{
	struct vmx_exit rd = pf_exit(DATA + 8, 0);
	struct vmx_exit wr = pf_exit(DATA + 8, PFERR_WRITE | PFERR_PRESENT);
	struct exit_action act;
	u64 spte;

	setup();
	enter_paging32();
	act = fake_exit(vcpu, &rd);
	CHECK_EQ(act.kind, EXIT_RESUME);
	CHECK_EQ(vm->stats.shadow_faults, 1);
	CHECK(!fake_vmx.injected);
	CHECK_EQ(fake_vmx.skips, 0);
	spte = fake_shadow_leaf(vcpu, DATA);
	CHECK_EQ(spte_addr(spte), hva_of(DATA));
	/* Guest D is clear: read-only until the write sets it. */
	CHECK(!(spte & PTE_RW));
	CHECK_EQ(fake_read32(vm, pte32(DATA)), DATA | PTE_P | PTE_RW | PTE_A);

	/* The write (P = 1 in the hardware's code) sets D and maps RW. */
	act = fake_exit(vcpu, &wr);
	CHECK_EQ(act.kind, EXIT_RESUME);
	CHECK_EQ(vm->stats.shadow_faults, 2);
	spte = fake_shadow_leaf(vcpu, DATA);
	CHECK(spte & PTE_RW);
	CHECK_EQ(fake_read32(vm, pte32(DATA)),
		 DATA | PTE_P | PTE_RW | PTE_A | PTE_D);

	/* The same exit again re-installs the same entry, and counts. */
	act = fake_exit(vcpu, &wr);
	CHECK_EQ(act.kind, EXIT_RESUME);
	CHECK_EQ(vm->stats.shadow_faults, 3);
	CHECK_EQ(fake_shadow_leaf(vcpu, DATA), spte);
	CHECK_EQ(vm->stats.guest_faults_injected, 0);
	CHECK(!fake_vmx.injected);
	teardown();
}

static void test_paging_off_maps_ram_identity(void)
{
	struct vmx_exit e = pf_exit(DATA, PFERR_WRITE);
	struct exit_action act;
	u64 spte;

	setup();
	act = fake_exit(vcpu, &e);
	CHECK_EQ(act.kind, EXIT_RESUME);
	spte = fake_shadow_leaf(vcpu, DATA);
	CHECK_EQ(spte_addr(spte), hva_of(DATA));
	CHECK(spte & PTE_RW);
	teardown();
}

static void test_paging_off_unbacked_load_is_emulated_mmio(void)
{
	static const u8 insn[] = { 0x8b, 0x05, 0x00, 0x00, 0x00, 0xe0 };
	struct vmx_exit e = pf_exit(MMIO, 0);
	struct exit_action act;

	setup();
	fake_write(vm, RIP0, insn, sizeof(insn));
	vcpu->vmx.gpr[GPR_RAX] = 0x1122334455667788ull;
	act = fake_exit(vcpu, &e);
	CHECK_EQ(act.kind, EXIT_SKIP);
	CHECK_EQ(act.len, 6);
	CHECK_EQ(vcpu->vmx.gpr[GPR_RAX], 0xffffffffull);
	CHECK_EQ(fake_vmx.reg[VMX_REG_RIP], RIP0 + 6);
	CHECK_EQ(vm->stats.mmio_exits, 1);
	CHECK_EQ(vm->stats.shadow_faults, 0);
	CHECK(!fake_vmx.injected);
	teardown();
}

static void test_long_mode_faults(void)
{
	struct vmx_exit present = pf_exit(DATA, 0);
	struct vmx_exit absent = pf_exit(0x40000000ull, 0);	/* PDPTE 1 */
	struct exit_action act;

	setup();
	fake_tables_long(vm, TABLES);
	CHECK_EQ(vcpu_set_cr4(vcpu, X86_CR4_PAE), CR_OK);
	CHECK_EQ(vcpu_set_cr3(vcpu, TABLES), CR_OK);
	CHECK_EQ(vcpu_set_efer(vcpu, EFER_LME), CR_OK);
	CHECK_EQ(vcpu_set_cr0(vcpu, X86_CR0_PE | X86_CR0_PG), CR_OK);
	act = fake_exit(vcpu, &present);
	CHECK_EQ(act.kind, EXIT_RESUME);
	CHECK_EQ(spte_addr(fake_shadow_leaf(vcpu, DATA)), hva_of(DATA));
	act = fake_exit(vcpu, &absent);
	check_pf(&act, 0x40000000ull, 0);
	teardown();
}

/* SDM 3A 4.6: an XD page faults instruction fetches when EFER.NXE = 1. */
static void test_fetch_from_nx_page_injects_pf_with_id(void)
{
	struct vmx_exit e = pf_exit(DATA, PFERR_FETCH);
	struct exit_action act;

	setup();
	fake_tables_pae(vm, TABLES);
	fake_write64(vm, TABLES + PAGE_SIZE + 8,
		     (2ull << 20) | PTE_P | PTE_RW | PTE_PS | PTE_NX);
	CHECK_EQ(vcpu_set_efer(vcpu, EFER_NXE), CR_OK);
	CHECK_EQ(vcpu_set_cr3(vcpu, TABLES), CR_OK);
	CHECK_EQ(vcpu_set_cr4(vcpu, X86_CR4_PAE), CR_OK);
	CHECK_EQ(vcpu_set_cr0(vcpu, X86_CR0_PE | X86_CR0_PG), CR_OK);
	act = fake_exit(vcpu, &e);
	check_pf(&act, DATA, PFERR_PRESENT | PFERR_FETCH);
	teardown();
}

static void test_fixable_fault_in_delivery_is_redelivered(void)
{
	struct vmx_exit e = pf_in_delivery(DATA, PFERR_WRITE, X86_VEC_GP,
					   true);
	struct exit_action act;

	setup();
	enter_paging32();
	act = fake_exit(vcpu, &e);
	CHECK_EQ(act.kind, EXIT_REDELIVER);
	CHECK_EQ(fake_vmx.reinjects, 1);
	CHECK(!fake_vmx.injected);
	CHECK_EQ(fake_vmx.skips, 0);
	CHECK(fake_shadow_leaf(vcpu, DATA) & PTE_RW);
	teardown();
}

static void test_pf_while_delivering_pf_is_double_fault(void)
{
	struct vmx_exit e = pf_in_delivery(DATA, PFERR_WRITE, X86_VEC_PF,
					   true);
	struct exit_action act;

	setup();
	enter_paging32();
	fake_write32(vm, pte32(DATA), 0);
	act = fake_exit(vcpu, &e);
	CHECK_EQ(act.kind, EXIT_INJECT);
	CHECK_EQ(act.exc.vector, X86_VEC_DF);
	CHECK(act.exc.has_errcode);
	CHECK_EQ(act.exc.errcode, 0);
	CHECK(fake_vmx.injected);
	CHECK_EQ(fake_vmx.inject.vector, X86_VEC_DF);
	CHECK(fake_vmx.inject.has_errcode);
	CHECK_EQ(fake_vmx.inject.errcode, 0);
	CHECK_EQ(fake_vmx.reinjects, 0);
	teardown();
}

/* Table 6-5: contributory, then #PF, is handled serially. */
static void test_pf_while_delivering_gp_is_the_pf(void)
{
	struct vmx_exit e = pf_in_delivery(DATA, 0, X86_VEC_GP, true);
	struct exit_action act;

	setup();
	enter_paging32();
	fake_write32(vm, pte32(DATA), 0);
	act = fake_exit(vcpu, &e);
	check_pf(&act, DATA, 0);
	teardown();
}

static void test_pf_while_delivering_df_is_triple_fault(void)
{
	struct vmx_exit e = pf_in_delivery(DATA, PFERR_WRITE, X86_VEC_DF,
					   true);
	struct exit_action act;

	setup();
	enter_paging32();
	fake_write32(vm, pte32(DATA), 0);
	act = fake_exit(vcpu, &e);
	CHECK_EQ(act.kind, EXIT_END);
	CHECK_EQ(act.end.kind, END_TRIPLE_FAULT);
	CHECK_EQ(vm->state, VM_TRIPLE_FAULT);
	CHECK(!fake_vmx.injected);
	teardown();
}

static void test_pf_while_delivering_interrupt_is_the_pf(void)
{
	struct vmx_exit e = pf_in_delivery(DATA + 0xffc, PFERR_WRITE, 0x30,
					   false);
	struct exit_action act;

	setup();
	enter_paging32();
	fake_write32(vm, pte32(DATA), 0);
	act = fake_exit(vcpu, &e);
	check_pf(&act, DATA + 0xffc, PFERR_WRITE);
	teardown();
}

/* An interrupt vector 14 is not an exception: no double fault. */
static void test_pf_while_delivering_int_14_is_the_pf(void)
{
	struct vmx_exit e = pf_in_delivery(DATA, PFERR_WRITE, X86_VEC_PF,
					   false);
	struct exit_action act;

	setup();
	enter_paging32();
	fake_write32(vm, pte32(DATA), 0);
	act = fake_exit(vcpu, &e);
	check_pf(&act, DATA, PFERR_WRITE);
	teardown();
}

static void test_unbacked_access_in_delivery_kills_mmio(void)
{
	struct vmx_exit e = pf_in_delivery(MMIO, PFERR_WRITE, X86_VEC_GP,
					   true);
	struct exit_action act;

	setup();
	act = fake_exit(vcpu, &e);
	CHECK_EQ(act.kind, EXIT_END);
	CHECK_EQ(act.end.kind, END_KILLED);
	CHECK(act.end.reason && !strcmp(act.end.reason, "mmio"));
	CHECK_EQ(vm->state, VM_KILLED);
	CHECK(!strcmp(vm->kill_reason, "mmio"));
	CHECK_EQ(fake_vmx.reinjects, 0);
	CHECK_EQ(vm->stats.mmio_exits, 0);	/* nothing was emulated */
	teardown();
}

/* Reading an IDT, GDT or TSS from the empty bus: shutdown. */
static void test_unbacked_read_in_delivery_is_triple_fault(void)
{
	struct vmx_exit e = pf_in_delivery(MMIO, 0, X86_VEC_GP, true);
	struct exit_action act;

	setup();
	act = fake_exit(vcpu, &e);
	CHECK_EQ(act.kind, EXIT_END);
	CHECK_EQ(act.end.kind, END_TRIPLE_FAULT);
	CHECK_EQ(vm->state, VM_TRIPLE_FAULT);
	CHECK_EQ(fake_vmx.reinjects, 0);
	teardown();
}

static void test_page_table_write_in_delivery_unshadows_and_redelivers(void)
{
	struct vmx_exit touch = pf_exit(RIP0, 0);
	struct vmx_exit e = pf_in_delivery(TABLES + 0x100, PFERR_WRITE,
					   X86_VEC_PF, true);
	struct exit_action act;
	u32 before;

	setup();
	enter_paging32();
	CHECK_EQ(fake_exit(vcpu, &touch).kind, EXIT_RESUME);
	CHECK(shadow_gfn_is_table(&vm->mmu, TABLES >> PAGE_SHIFT));
	before = fake_read32(vm, TABLES + 0x100);
	act = fake_exit(vcpu, &e);
	CHECK_EQ(act.kind, EXIT_REDELIVER);
	CHECK_EQ(fake_vmx.reinjects, 1);
	CHECK(!shadow_gfn_is_table(&vm->mmu, TABLES >> PAGE_SHIFT));
	CHECK_EQ(fake_read32(vm, TABLES + 0x100), before);
	CHECK_EQ(vm->stats.pt_writes_emulated, 0);
	teardown();
}

/*
 * An exception frame pushed into the page directory the guest runs on:
 * every unshadow is undone by the root reload before the next entry, so
 * the delivery never completes.  The guest ends with "ptwrite" instead of
 * spinning until its time limit.
 */
static void test_frame_into_live_page_table_loop_is_ended(void)
{
	struct vmx_exit touch = pf_exit(RIP0, 0);

	setup();
	enter_paging32();
	CHECK_EQ(fake_exit(vcpu, &touch).kind, EXIT_RESUME);
	for (int i = 0; i < FAKE_RUN_SCRIPT; i++)
		fake_vmx.script[i] = pf_in_delivery(TABLES + 0xffc,
						    PFERR_WRITE, X86_VEC_GP,
						    true);
	fake_vmx.script_len = FAKE_RUN_SCRIPT;
	vcpu_run(vcpu);
	CHECK_EQ(vm->state, VM_KILLED);
	CHECK(!strcmp(vm->kill_reason, "ptwrite"));
	CHECK(fake_vmx.reinjects < FAKE_RUN_SCRIPT);
	teardown();
}

int main(void)
{
	RUN(test_not_present_pte_injects_pf_with_cr2);
	RUN(test_user_access_to_supervisor_page_injects_pf);
	RUN(test_write_to_read_only_page_with_wp_injects_pf);
	RUN(test_supervisor_write_to_read_only_page_without_wp_is_fixed);
	RUN(test_present_mapping_is_fixed_in_the_shadow);
	RUN(test_paging_off_maps_ram_identity);
	RUN(test_paging_off_unbacked_load_is_emulated_mmio);
	RUN(test_long_mode_faults);
	RUN(test_fetch_from_nx_page_injects_pf_with_id);
	RUN(test_fixable_fault_in_delivery_is_redelivered);
	RUN(test_pf_while_delivering_pf_is_double_fault);
	RUN(test_pf_while_delivering_gp_is_the_pf);
	RUN(test_pf_while_delivering_df_is_triple_fault);
	RUN(test_pf_while_delivering_interrupt_is_the_pf);
	RUN(test_pf_while_delivering_int_14_is_the_pf);
	RUN(test_unbacked_access_in_delivery_kills_mmio);
	RUN(test_unbacked_read_in_delivery_is_triple_fault);
	RUN(test_page_table_write_in_delivery_unshadows_and_redelivers);
	RUN(test_frame_into_live_page_table_loop_is_ended);
	return unit_done();
}
