// SPDX-License-Identifier: MIT
/*
 * Guest control registers and EFER (hv/exit/cr.c) on the fake VMX layer:
 * the #GP conditions of MOV to CR0/CR3/CR4 and WRMSR to EFER (SDM 2, MOV
 * CR and WRMSR; SDM 3A 2.5, 9.8.5), the IA-32e mode transitions, the PAE
 * PDPTE checks (SDM 3A 4.4.1), and what the guest reads back (the read
 * shadows) against what the hardware runs (protected mode with paging on
 * the shadow tables, always).
 *
 * Every case builds a fresh VM at the Multiboot entry state (32-bit
 * protected mode, paging off) and writes its guest page tables into guest
 * RAM at TABLES.
 *
 * Cases named sdm_* check an architectural rule the code did not follow
 * when they were written; they are written to the SDM, not to the code.
 */
#define UNIT_SUITE "cr"
#include "unit.h"

#include <lib/string.h>
#include <lib/x86.h>
#include <hv/exit/cr.h>
#include <hv/exit/exit.h>
#include <hv/vm.h>
#include "../fake/fake.h"

#define TABLES		0x200000ull	/* guest page tables live here */
#define CR0_PM		(X86_CR0_PE | X86_CR0_ET)
#define HW_CR0_ALWAYS	(X86_CR0_PE | X86_CR0_PG | X86_CR0_NE | X86_CR0_WP)

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
	CHECK_EQ(vcpu_set_cr0(vcpu, CR0_PM | X86_CR0_PG), CR_OK);
	CHECK_EQ(vcpu->mmu.mode, PAGING_32);
}

static void enter_pae(void)
{
	fake_tables_pae(vm, TABLES);
	CHECK_EQ(vcpu_set_cr3(vcpu, TABLES), CR_OK);
	CHECK_EQ(vcpu_set_cr4(vcpu, X86_CR4_PAE), CR_OK);
	CHECK_EQ(vcpu_set_cr0(vcpu, CR0_PM | X86_CR0_PG), CR_OK);
	CHECK_EQ(vcpu->mmu.mode, PAGING_PAE);
}

/* The activation sequence of SDM 3A 9.8.5, with 64-bit code after it. */
static void enter_long(void)
{
	fake_tables_long(vm, TABLES);
	CHECK_EQ(vcpu_set_cr4(vcpu, X86_CR4_PAE), CR_OK);
	CHECK_EQ(vcpu_set_cr3(vcpu, TABLES), CR_OK);
	CHECK_EQ(vcpu_set_efer(vcpu, EFER_LME), CR_OK);
	CHECK_EQ(vcpu_set_cr0(vcpu, CR0_PM | X86_CR0_PG), CR_OK);
	CHECK_EQ(vcpu->mmu.mode, PAGING_LONG);
	fake_vmx.reg[VMX_REG_CS_AR] = X86_AR_L | 0x9b;
}

/* Nothing of the guest's control state moved since @cr0/@cr3/@cr4/@efer. */
static void check_unchanged(u64 cr0, u64 cr3, u64 cr4, u64 efer)
{
	CHECK_EQ(vcpu->cr0, cr0);
	CHECK_EQ(vcpu->cr3, cr3);
	CHECK_EQ(vcpu->cr4, cr4);
	CHECK_EQ(vcpu->efer, efer);
	CHECK_EQ(fake_vmx.reg[VMX_REG_CR0_SHADOW], cr0);
	CHECK_EQ(fake_vmx.reg[VMX_REG_CR4_SHADOW], cr4);
}

static void test_entry_state_runs_paged_protected_mode(void)
{
	setup();
	CHECK_EQ(vcpu->cr0, CR0_PM);
	CHECK_EQ(fake_vmx.reg[VMX_REG_CR0_SHADOW], CR0_PM);
	CHECK_EQ(fake_vmx.reg[VMX_REG_CR0] & HW_CR0_ALWAYS, HW_CR0_ALWAYS);
	CHECK_EQ(fake_vmx.reg[VMX_REG_CR4_SHADOW], 0);
	CHECK_EQ(fake_vmx.reg[VMX_REG_CR4] & (X86_CR4_PAE | X86_CR4_VMXE),
		 X86_CR4_PAE | X86_CR4_VMXE);
	CHECK_EQ(vcpu->mmu.mode, PAGING_OFF);
	CHECK(vcpu->mmu.hw_cr3 != 0);
	CHECK_EQ(fake_vmx.reg[VMX_REG_CR3], vcpu->mmu.hw_cr3);
	CHECK(!fake_vmx.long_mode);
	teardown();
}

static void test_cr0_pg_without_pe_is_gp(void)
{
	setup();
	CHECK_EQ(vcpu_set_cr0(vcpu, X86_CR0_PG | X86_CR0_ET), CR_GP);
	check_unchanged(CR0_PM, 0, 0, 0);
	teardown();
}

static void test_cr0_nw_without_cd_is_gp(void)
{
	setup();
	CHECK_EQ(vcpu_set_cr0(vcpu, CR0_PM | X86_CR0_NW), CR_GP);
	check_unchanged(CR0_PM, 0, 0, 0);
	/* Both together are a valid (cache-disabled) setting. */
	CHECK_EQ(vcpu_set_cr0(vcpu, CR0_PM | X86_CR0_NW | X86_CR0_CD), CR_OK);
	CHECK_EQ(vcpu->cr0, CR0_PM | X86_CR0_NW | X86_CR0_CD);
	teardown();
}

static void test_cr0_upper_half_is_gp(void)
{
	setup();
	CHECK_EQ(vcpu_set_cr0(vcpu, CR0_PM | BIT(32)), CR_GP);
	CHECK_EQ(vcpu_set_cr0(vcpu, CR0_PM | BIT(63)), CR_GP);
	check_unchanged(CR0_PM, 0, 0, 0);
	teardown();
}

static void test_cr0_clearing_pe_is_no_real_mode_and_changes_nothing(void)
{
	u64 hw_cr0;

	setup();
	hw_cr0 = fake_vmx.reg[VMX_REG_CR0];
	CHECK_EQ(vcpu_set_cr0(vcpu, X86_CR0_ET), CR_NO_REAL_MODE);
	check_unchanged(CR0_PM, 0, 0, 0);
	CHECK_EQ(fake_vmx.reg[VMX_REG_CR0], hw_cr0);
	teardown();
}

static void test_cr0_shadow_keeps_guest_bits_hw_keeps_pe_pg_ne_wp(void)
{
	u64 val = CR0_PM | X86_CR0_MP | X86_CR0_TS | X86_CR0_CD | X86_CR0_AM;
	u64 hw;

	setup();
	CHECK_EQ(vcpu_set_cr0(vcpu, val), CR_OK);
	CHECK_EQ(vcpu->cr0, val);
	CHECK_EQ(fake_vmx.reg[VMX_REG_CR0_SHADOW], val);
	hw = fake_vmx.reg[VMX_REG_CR0];
	CHECK_EQ(hw & HW_CR0_ALWAYS, HW_CR0_ALWAYS);
	/* The FPU and alignment bits run as the guest set them... */
	CHECK_EQ(hw & (X86_CR0_MP | X86_CR0_TS | X86_CR0_AM),
		 X86_CR0_MP | X86_CR0_TS | X86_CR0_AM);
	/* ...the cache-disable bit does not reach the hardware. */
	CHECK_EQ(hw & (X86_CR0_CD | X86_CR0_NW), 0);
	/* A guest without WP still runs with it (read-only shadows). */
	CHECK_EQ(vcpu->cr0 & X86_CR0_WP, 0);
	teardown();
}

static void test_cr0_enables_32bit_paging(void)
{
	setup();
	fake_tables_32(vm, TABLES);
	CHECK_EQ(vcpu_set_cr3(vcpu, TABLES), CR_OK);
	/* CR3 has no effect until paging is on. */
	CHECK_EQ(vcpu->mmu.mode, PAGING_OFF);
	CHECK_EQ(vcpu->cr3, TABLES);
	CHECK_EQ(vcpu_set_cr0(vcpu, CR0_PM | X86_CR0_PG), CR_OK);
	CHECK_EQ(vcpu->mmu.mode, PAGING_32);
	CHECK_EQ(vcpu->cr0, CR0_PM | X86_CR0_PG);
	CHECK_EQ(fake_vmx.reg[VMX_REG_CR0_SHADOW], CR0_PM | X86_CR0_PG);
	CHECK_EQ(fake_vmx.reg[VMX_REG_CR0] & HW_CR0_ALWAYS, HW_CR0_ALWAYS);
	CHECK_EQ(vcpu->efer & EFER_LMA, 0);
	CHECK(!fake_vmx.long_mode);
	CHECK_EQ(fake_vmx.reg[VMX_REG_CR3], vcpu->mmu.hw_cr3);
	CHECK_EQ(vcpu->hw_cr3_loaded, vcpu->mmu.hw_cr3);
	teardown();
}

static void test_cr0_activates_ia32e_mode(void)
{
	setup();
	fake_tables_long(vm, TABLES);
	CHECK_EQ(vcpu_set_cr4(vcpu, X86_CR4_PAE), CR_OK);
	CHECK_EQ(vcpu_set_cr3(vcpu, TABLES), CR_OK);
	CHECK_EQ(vcpu_set_efer(vcpu, EFER_LME), CR_OK);
	/* LME alone does not activate anything. */
	CHECK_EQ(vcpu->efer, EFER_LME);
	CHECK(!fake_vmx.long_mode);
	CHECK_EQ(vcpu_set_cr0(vcpu, CR0_PM | X86_CR0_PG), CR_OK);
	CHECK_EQ(vcpu->efer, EFER_LME | EFER_LMA);
	CHECK(fake_vmx.long_mode);
	CHECK_EQ(vcpu->mmu.mode, PAGING_LONG);
	/* The hardware runs IA-32e mode, with NX for the shadow entries. */
	CHECK_EQ(fake_vmx.reg[VMX_REG_EFER],
		 EFER_LME | EFER_LMA | EFER_NXE);
	CHECK_EQ(fake_vmx.reg[VMX_REG_CR4] & X86_CR4_PAE, X86_CR4_PAE);
	CHECK_EQ(fake_vmx.reg[VMX_REG_CR3], vcpu->mmu.hw_cr3);
	teardown();
}

static void test_cr0_lme_and_pg_without_pae_is_gp(void)
{
	setup();
	fake_tables_long(vm, TABLES);
	CHECK_EQ(vcpu_set_cr3(vcpu, TABLES), CR_OK);
	CHECK_EQ(vcpu_set_efer(vcpu, EFER_LME), CR_OK);
	CHECK_EQ(vcpu_set_cr0(vcpu, CR0_PM | X86_CR0_PG), CR_GP);
	check_unchanged(CR0_PM, TABLES, 0, EFER_LME);
	CHECK(!fake_vmx.long_mode);
	CHECK_EQ(vcpu->mmu.mode, PAGING_OFF);
	teardown();
}

static void test_cr0_clearing_pg_from_64bit_code_is_gp(void)
{
	setup();
	enter_long();
	CHECK_EQ(vcpu_set_cr0(vcpu, CR0_PM), CR_GP);
	check_unchanged(CR0_PM | X86_CR0_PG, TABLES, X86_CR4_PAE,
			EFER_LME | EFER_LMA);
	CHECK(fake_vmx.long_mode);
	CHECK_EQ(vcpu->mmu.mode, PAGING_LONG);
	teardown();
}

static void test_cr0_clearing_pg_from_compat_mode_leaves_ia32e(void)
{
	setup();
	enter_long();
	fake_vmx.reg[VMX_REG_CS_AR] = X86_AR_DB | 0x9b;	/* compatibility */
	CHECK_EQ(vcpu_set_cr0(vcpu, CR0_PM), CR_OK);
	CHECK_EQ(vcpu->efer, EFER_LME);		/* LMA cleared, LME kept */
	CHECK(!fake_vmx.long_mode);
	CHECK_EQ(vcpu->mmu.mode, PAGING_OFF);
	CHECK_EQ(fake_vmx.reg[VMX_REG_EFER] & (EFER_LMA | EFER_LME), 0);
	CHECK_EQ(fake_vmx.reg[VMX_REG_CR0_SHADOW], CR0_PM);
	CHECK_EQ(fake_vmx.reg[VMX_REG_CR0] & HW_CR0_ALWAYS, HW_CR0_ALWAYS);
	teardown();
}

static void test_cr0_pae_paging_with_reserved_pdpte_is_gp(void)
{
	setup();
	fake_tables_pae(vm, TABLES);
	/* PDPTE bits 2:1 are reserved (SDM 3A 4.4.1, Table 4-8). */
	fake_write64(vm, TABLES, fake_read64(vm, TABLES) | PTE_RW);
	CHECK_EQ(vcpu_set_cr3(vcpu, TABLES), CR_OK);
	CHECK_EQ(vcpu_set_cr4(vcpu, X86_CR4_PAE), CR_OK);
	CHECK_EQ(vcpu_set_cr0(vcpu, CR0_PM | X86_CR0_PG), CR_GP);
	check_unchanged(CR0_PM, TABLES, X86_CR4_PAE, 0);
	CHECK_EQ(vcpu->mmu.mode, PAGING_OFF);
	teardown();
}

static void test_cr0_pae_paging_with_valid_pdpt(void)
{
	setup();
	enter_pae();
	CHECK_EQ(vcpu->cr4, X86_CR4_PAE);
	CHECK_EQ(vcpu->mmu.cpu.pdpte[0], (TABLES + PAGE_SIZE) | PTE_P);
	CHECK(!fake_vmx.long_mode);
	teardown();
}

static void test_cr3_load_with_reserved_pdpte_is_gp(void)
{
	u64 hw_cr3;

	setup();
	enter_pae();
	hw_cr3 = fake_vmx.reg[VMX_REG_CR3];
	fake_tables_pae(vm, 0x300000);
	/* A present PDPTE above MAXPHYADDR. */
	fake_write64(vm, 0x300000 + 8, BIT(50) | PTE_P);
	CHECK_EQ(vcpu_set_cr3(vcpu, 0x300000), CR_GP);
	CHECK_EQ(vcpu->cr3, TABLES);
	CHECK_EQ(fake_vmx.reg[VMX_REG_CR3], hw_cr3);
	/* A not-present PDPTE may hold anything. */
	fake_write64(vm, 0x300000 + 8, BIT(50) | PTE_RW);
	CHECK_EQ(vcpu_set_cr3(vcpu, 0x300000), CR_OK);
	CHECK_EQ(vcpu->cr3, 0x300000);
	teardown();
}

static void test_cr3_outside_ia32e_keeps_32_bits(void)
{
	setup();
	CHECK_EQ(vcpu_set_cr3(vcpu, BIT(40) | TABLES), CR_OK);
	CHECK_EQ(vcpu->cr3, TABLES);
	teardown();
}

static void test_cr3_above_maxphyaddr_in_long_mode_is_gp(void)
{
	setup();
	enter_long();
	/* fake_reset() gives MAXPHYADDR 40 (SDM 3A 4.5: bits 51:40 rsvd). */
	CHECK_EQ(vcpu_set_cr3(vcpu, BIT(40) | TABLES), CR_GP);
	CHECK_EQ(vcpu_set_cr3(vcpu, BIT(63) | TABLES), CR_GP);
	CHECK_EQ(vcpu->cr3, TABLES);
	CHECK_EQ(vcpu_set_cr3(vcpu, (BIT(40) - PAGE_SIZE) & ~0xfffull),
		 CR_OK);
	CHECK_EQ(vcpu->cr3, BIT(40) - PAGE_SIZE);
	teardown();
}

static void test_cr3_loads_are_counted(void)
{
	setup();
	enter_paging32();
	CHECK_EQ(vm->stats.cr3_loads, 1);
	CHECK_EQ(vcpu_set_cr3(vcpu, TABLES), CR_OK);
	CHECK_EQ(vm->stats.cr3_loads, 2);
	teardown();
}

static void test_cr4_reserved_or_refused_bits_are_gp(void)
{
	static const u64 bad[] = {
		X86_CR4_VMXE, X86_CR4_SMXE, X86_CR4_PCIDE, X86_CR4_LA57,
		X86_CR4_SMEP, X86_CR4_FSGSBASE, BIT(15), BIT(31), BIT(32),
	};

	setup();
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_EQ(vcpu_set_cr4(vcpu, bad[i]), CR_GP);
	check_unchanged(CR0_PM, 0, 0, 0);
	teardown();
}

static void test_cr4_guest_bits_reach_hardware(void)
{
	u64 val = X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT | X86_CR4_PSE |
		  X86_CR4_PGE | X86_CR4_TSD;
	u64 hw;

	setup();
	CHECK_EQ(vcpu_set_cr4(vcpu, val), CR_OK);
	CHECK_EQ(vcpu->cr4, val);
	CHECK_EQ(fake_vmx.reg[VMX_REG_CR4_SHADOW], val);
	hw = fake_vmx.reg[VMX_REG_CR4];
	CHECK_EQ(hw & (X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT | X86_CR4_TSD),
		 X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT | X86_CR4_TSD);
	/* Paging bits are the shadow MMU's: the hardware runs PAE. */
	CHECK_EQ(hw & (X86_CR4_PSE | X86_CR4_PGE), 0);
	CHECK_EQ(hw & (X86_CR4_PAE | X86_CR4_VMXE),
		 X86_CR4_PAE | X86_CR4_VMXE);
	teardown();
}

static void test_cr4_osxsave_needs_host_xsave(void)
{
	setup();
	fake_cpu.osxsave = false;
	CHECK_EQ(vcpu_set_cr4(vcpu, X86_CR4_OSXSAVE), CR_GP);
	CHECK_EQ(vcpu->cr4, 0);
	fake_cpu.osxsave = true;
	CHECK_EQ(vcpu_set_cr4(vcpu, X86_CR4_OSXSAVE), CR_OK);
	CHECK_EQ(vcpu->cr4, X86_CR4_OSXSAVE);
	CHECK_EQ(fake_vmx.reg[VMX_REG_CR4] & X86_CR4_OSXSAVE, X86_CR4_OSXSAVE);
	teardown();
}

static void test_cr4_clearing_pae_in_ia32e_mode_is_gp(void)
{
	setup();
	enter_long();
	CHECK_EQ(vcpu_set_cr4(vcpu, 0), CR_GP);
	CHECK_EQ(vcpu->cr4, X86_CR4_PAE);
	CHECK_EQ(vcpu->mmu.mode, PAGING_LONG);
	teardown();
}

static void test_efer_lme_change_while_paging_is_gp(void)
{
	setup();
	enter_paging32();
	CHECK_EQ(vcpu_set_efer(vcpu, EFER_LME), CR_GP);
	CHECK_EQ(vcpu->efer, 0);
	teardown();
	setup();
	enter_long();
	CHECK_EQ(vcpu_set_efer(vcpu, EFER_LMA), CR_GP);	/* clears LME */
	CHECK_EQ(vcpu->efer, EFER_LME | EFER_LMA);
	teardown();
}

static void test_efer_nxe_needs_host_nx(void)
{
	setup();
	fake_set_cpuid(0x80000001, 0, 0, 0, 0, 0);
	CHECK_EQ(vcpu_set_efer(vcpu, EFER_NXE), CR_GP);
	CHECK_EQ(vcpu->efer, 0);
	teardown();
	setup();
	CHECK_EQ(vcpu_set_efer(vcpu, EFER_NXE), CR_OK);
	CHECK_EQ(vcpu->efer, EFER_NXE);
	teardown();
}

static void test_efer_reserved_bit_is_gp(void)
{
	setup();
	CHECK_EQ(vcpu_set_efer(vcpu, BIT(1)), CR_GP);
	CHECK_EQ(vcpu_set_efer(vcpu, BIT(12)), CR_GP);
	CHECK_EQ(vcpu->efer, 0);
	teardown();
}

static void test_efer_lma_is_read_only(void)
{
	setup();
	CHECK_EQ(vcpu_set_efer(vcpu, EFER_LMA), CR_OK);
	CHECK_EQ(vcpu->efer, 0);
	CHECK(!fake_vmx.long_mode);
	teardown();
	setup();
	enter_long();
	CHECK_EQ(vcpu_set_efer(vcpu, EFER_LME | EFER_NXE), CR_OK);
	CHECK_EQ(vcpu->efer, EFER_LME | EFER_LMA | EFER_NXE);
	CHECK(fake_vmx.long_mode);
	teardown();
}

/* Through the exit layer: the verdicts become skip, #GP, or the end. */
static void test_cr_write_exit_skips_or_injects_gp(void)
{
	struct vmx_exit ok = {
		.kind = VMX_EXIT_CR_WRITE, .instr_len = 3,
		.cr = { .cr = 0, .value = CR0_PM | X86_CR0_TS },
	};
	struct vmx_exit bad = ok;
	struct exit_action act;

	bad.cr.value = X86_CR0_PG;
	setup();
	fake_vmx.reg[VMX_REG_RIP] = 0x100000;
	act = exit_handle(vcpu, &ok);
	CHECK_EQ(act.kind, EXIT_SKIP);
	CHECK_EQ(act.len, 3);
	exit_apply(vcpu, &ok, &act);
	CHECK_EQ(fake_vmx.reg[VMX_REG_RIP], 0x100003);
	CHECK_EQ(vcpu->cr0, CR0_PM | X86_CR0_TS);

	act = exit_handle(vcpu, &bad);
	CHECK_EQ(act.kind, EXIT_INJECT);
	CHECK_EQ(act.exc.vector, X86_VEC_GP);
	CHECK(act.exc.has_errcode);
	CHECK_EQ(act.exc.errcode, 0);
	exit_apply(vcpu, &bad, &act);
	CHECK(fake_vmx.injected);
	CHECK_EQ(fake_vmx.inject.vector, X86_VEC_GP);
	CHECK_EQ(fake_vmx.reg[VMX_REG_RIP], 0x100003);
	CHECK_EQ(vcpu->cr0, CR0_PM | X86_CR0_TS);
	teardown();
}

static void test_cr_write_clearing_pe_kills_realmode(void)
{
	struct vmx_exit e = {
		.kind = VMX_EXIT_CR_WRITE, .instr_len = 3,
		.cr = { .cr = 0, .value = X86_CR0_ET },
	};
	struct exit_action act;

	setup();
	act = exit_handle(vcpu, &e);
	CHECK_EQ(act.kind, EXIT_END);
	CHECK_EQ(act.end.kind, END_KILLED);
	CHECK(act.end.reason && !strcmp(act.end.reason, "realmode"));
	exit_apply(vcpu, &e, &act);
	CHECK_EQ(vm->state, VM_KILLED);
	CHECK(!strcmp(vm->kill_reason, "realmode"));
	CHECK_EQ(fake_vmx.skips, 0);
	teardown();
}

/* MOV to CR8 outside 64-bit mode is #UD (SDM 2, MOV CR), not the end. */
static void test_cr8_write_outside_64bit_mode_is_ud(void)
{
	struct vmx_exit e = {
		.kind = VMX_EXIT_CR_WRITE, .instr_len = 4,
		.cr = { .cr = 8, .value = 0 },
	};
	struct exit_action act;

	setup();
	act = exit_handle(vcpu, &e);
	CHECK_EQ(act.kind, EXIT_INJECT);
	CHECK_EQ(act.exc.vector, X86_VEC_UD);
	teardown();
}

/*
 * SDM 3A 4.4.1: MOV to CR0 reloads the PDPTEs only if it modifies CD, NW
 * or PG (and WRMSR never does).  Toggling CR0.WP or EFER.NXE under PAE
 * paging keeps the PDPTEs loaded before, whatever memory now holds...
 */
static void test_sdm_cr0_wp_toggle_keeps_pdptes(void)
{
	setup();
	enter_pae();
	fake_write64(vm, TABLES, fake_read64(vm, TABLES) | PTE_RW);
	CHECK_EQ(vcpu_set_cr0(vcpu, CR0_PM | X86_CR0_PG | X86_CR0_WP), CR_OK);
	CHECK_EQ(vcpu->cr0, CR0_PM | X86_CR0_PG | X86_CR0_WP);
	CHECK_EQ(vcpu->mmu.cpu.pdpte[0], (TABLES + PAGE_SIZE) | PTE_P);
	teardown();
}

static void test_sdm_efer_nxe_toggle_keeps_pdptes(void)
{
	setup();
	enter_pae();
	fake_write64(vm, TABLES, fake_read64(vm, TABLES) | PTE_RW);
	CHECK_EQ(vcpu_set_efer(vcpu, EFER_NXE), CR_OK);
	CHECK_EQ(vcpu->efer, EFER_NXE);
	CHECK_EQ(vcpu->mmu.cpu.pdpte[0], (TABLES + PAGE_SIZE) | PTE_P);
	teardown();
}

/* ...and setting CD does reload them: invalid ones are #GP. */
static void test_sdm_cr0_cd_toggle_reloads_pdptes(void)
{
	setup();
	enter_pae();
	fake_write64(vm, TABLES, fake_read64(vm, TABLES) | PTE_RW);
	CHECK_EQ(vcpu_set_cr0(vcpu, CR0_PM | X86_CR0_PG | X86_CR0_CD), CR_GP);
	CHECK_EQ(vcpu->cr0, CR0_PM | X86_CR0_PG);
	teardown();
}

/*
 * CR4.VME is reserved only where CPUID.01H:EDX.VME[bit 1] = 0 (SDM 3A
 * 2.5, SDM 2 MOV CR): a guest that CPUID tells it has VME may set it.
 */
static void test_sdm_cr4_vme_allowed_when_cpuid_reports_it(void)
{
	struct vmx_exit e = { .kind = VMX_EXIT_CPUID, .instr_len = 2 };
	struct exit_action act;
	int ret;

	setup();
	fake_set_cpuid(1, 0, 0, 0, 0, BIT(1) /* VME */);
	vcpu->vmx.gpr[GPR_RAX] = 1;
	vcpu->vmx.gpr[GPR_RCX] = 0;
	act = exit_handle(vcpu, &e);
	CHECK_EQ(act.kind, EXIT_SKIP);
	ret = vcpu_set_cr4(vcpu, X86_CR4_VME);
	CHECK(!(vcpu->vmx.gpr[GPR_RDX] & BIT(1)) || ret == CR_OK);
	teardown();
}

/*
 * SDM 2 SYSCALL: #UD if IA32_EFER.SCE = 0.  SYSCALL does not exit, so the
 * EFER the hardware runs must carry the guest's SCE.
 */
static void test_sdm_efer_sce_reaches_hardware(void)
{
	setup();
	CHECK_EQ(vcpu_set_efer(vcpu, EFER_SCE), CR_OK);
	CHECK_EQ(vcpu->efer, EFER_SCE);
	CHECK_EQ(fake_vmx.reg[VMX_REG_EFER] & EFER_SCE, EFER_SCE);
	teardown();
}

/*
 * CR0 bits 28:19, 17 and 15:6 are reserved: a MOV to CR0 ignores them,
 * and they read as 0 (SDM 3A 2.5); only bits 63:32 are #GP.
 */
static void test_sdm_cr0_reserved_bits_are_not_stored(void)
{
	u64 junk = BIT(6) | BIT(15) | BIT(17) | BIT(19) | BIT(28);

	setup();
	CHECK_EQ(vcpu_set_cr0(vcpu, CR0_PM | X86_CR0_MP | junk), CR_OK);
	CHECK_EQ(vcpu->cr0, CR0_PM | X86_CR0_MP);
	CHECK_EQ(fake_vmx.reg[VMX_REG_CR0_SHADOW], CR0_PM | X86_CR0_MP);
	CHECK_EQ(fake_vmx.reg[VMX_REG_CR0] & junk, 0);
	teardown();
}

/* Everything of enter_long() up to setting CR0.PG. */
static void prepare_long(void)
{
	fake_tables_long(vm, TABLES);
	CHECK_EQ(vcpu_set_cr4(vcpu, X86_CR4_PAE), CR_OK);
	CHECK_EQ(vcpu_set_cr3(vcpu, TABLES), CR_OK);
	CHECK_EQ(vcpu_set_efer(vcpu, EFER_LME), CR_OK);
}

/*
 * "#GP(0) if an attempt is made to activate IA-32e mode and either the
 * current CS has the L bit set or the TR references a 16-bit TSS" (SDM 2,
 * MOV CR): the guest faults, instead of failing the next VM entry.
 */
static void test_sdm_ia32e_activation_from_cs_l_is_gp(void)
{
	setup();
	prepare_long();
	fake_vmx.reg[VMX_REG_CS_AR] = X86_AR_L | X86_AR_DB | 0x9b;
	CHECK_EQ(vcpu_set_cr0(vcpu, CR0_PM | X86_CR0_PG), CR_GP);
	CHECK_EQ(vcpu->cr0, CR0_PM);
	CHECK(!(vcpu->efer & EFER_LMA));
	CHECK(!fake_vmx.long_mode);
	teardown();
}

static void test_sdm_ia32e_activation_with_16bit_tss_is_gp(void)
{
	setup();
	prepare_long();
	fake_vmx.reg[VMX_REG_TR_AR] = 0x83;	/* busy 16-bit TSS */
	CHECK_EQ(vcpu_set_cr0(vcpu, CR0_PM | X86_CR0_PG), CR_GP);
	CHECK(!(vcpu->efer & EFER_LMA));
	fake_vmx.reg[VMX_REG_TR_AR] = 0x8b;	/* busy 32-bit TSS */
	CHECK_EQ(vcpu_set_cr0(vcpu, CR0_PM | X86_CR0_PG), CR_OK);
	CHECK(vcpu->efer & EFER_LMA);
	teardown();
}

/* CPUID hides MCE (cpuid.c), so CR4.MCE is reserved: #GP (SDM 3A 2.5). */
static void test_cr4_mce_hidden_is_gp(void)
{
	setup();
	CHECK_EQ(vcpu_set_cr4(vcpu, X86_CR4_MCE), CR_GP);
	CHECK_EQ(vcpu->cr4, 0);
	teardown();
}

int main(void)
{
	RUN(test_entry_state_runs_paged_protected_mode);
	RUN(test_cr0_pg_without_pe_is_gp);
	RUN(test_cr0_nw_without_cd_is_gp);
	RUN(test_cr0_upper_half_is_gp);
	RUN(test_cr0_clearing_pe_is_no_real_mode_and_changes_nothing);
	RUN(test_cr0_shadow_keeps_guest_bits_hw_keeps_pe_pg_ne_wp);
	RUN(test_cr0_enables_32bit_paging);
	RUN(test_cr0_activates_ia32e_mode);
	RUN(test_cr0_lme_and_pg_without_pae_is_gp);
	RUN(test_cr0_clearing_pg_from_64bit_code_is_gp);
	RUN(test_cr0_clearing_pg_from_compat_mode_leaves_ia32e);
	RUN(test_cr0_pae_paging_with_reserved_pdpte_is_gp);
	RUN(test_cr0_pae_paging_with_valid_pdpt);
	RUN(test_cr3_load_with_reserved_pdpte_is_gp);
	RUN(test_cr3_outside_ia32e_keeps_32_bits);
	RUN(test_cr3_above_maxphyaddr_in_long_mode_is_gp);
	RUN(test_cr3_loads_are_counted);
	RUN(test_cr4_reserved_or_refused_bits_are_gp);
	RUN(test_cr4_guest_bits_reach_hardware);
	RUN(test_cr4_osxsave_needs_host_xsave);
	RUN(test_cr4_clearing_pae_in_ia32e_mode_is_gp);
	RUN(test_efer_lme_change_while_paging_is_gp);
	RUN(test_efer_nxe_needs_host_nx);
	RUN(test_efer_reserved_bit_is_gp);
	RUN(test_efer_lma_is_read_only);
	RUN(test_cr_write_exit_skips_or_injects_gp);
	RUN(test_cr_write_clearing_pe_kills_realmode);
	RUN(test_cr8_write_outside_64bit_mode_is_ud);
	RUN(test_sdm_cr0_wp_toggle_keeps_pdptes);
	RUN(test_sdm_efer_nxe_toggle_keeps_pdptes);
	RUN(test_sdm_cr0_cd_toggle_reloads_pdptes);
	RUN(test_sdm_cr4_vme_allowed_when_cpuid_reports_it);
	RUN(test_sdm_efer_sce_reaches_hardware);
	RUN(test_cr4_mce_hidden_is_gp);
	RUN(test_sdm_cr0_reserved_bits_are_not_stored);
	RUN(test_sdm_ia32e_activation_from_cs_l_is_gp);
	RUN(test_sdm_ia32e_activation_with_16bit_tss_is_gp);
	return unit_done();
}
