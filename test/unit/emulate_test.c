// SPDX-License-Identifier: MIT
/*
 * The instruction emulator (hv/emul/emulate.c) on a fake VM: the guest's
 * instruction bytes are written into guest RAM at its RIP, and the
 * emulator fetches them through the guest's own translation.
 *
 *   emulate_mmio: a load from unbacked memory reads all ones, a store is
 *   dropped; both retire the instruction.
 *   emulate_pt_write: a store into a shadowed guest page table is done by
 *   the emulator and drops the shadow entries it made stale; anything it
 *   cannot decode falls back to unshadowing, with a limit on close
 *   repeats of one instruction on one frame.
 *
 * The case named contract_* checks a promise emulate.c makes that the code
 * did not keep when it was written; it is written to the promise.
 */
#define UNIT_SUITE "emulate"
#include "unit.h"

#include <lib/errno.h>
#include <lib/string.h>
#include <lib/x86.h>
#include <hv/emul/emulate.h>
#include <hv/exit/cr.h>
#include <hv/exit/exit.h>
#include <hv/mmu/shadow.h>
#include <hv/mmu/spte.h>
#include <hv/vm.h>
#include "../fake/fake.h"

#define RIP0		0x100000ull
#define TABLES		0x200000ull
#define MMIO		0xe0000000ull	/* no memslot there */

static struct vm *vm;
static struct vcpu *vcpu;
static u64 *gpr;

static void setup(void)
{
	vm = fake_guest_create();
	vcpu = &vm->vcpu;
	gpr = vcpu->vmx.gpr;
	CHECK_EQ(fake_vmx.reg[VMX_REG_RIP], RIP0);
}

static void teardown(void)
{
	fake_vm_destroy(vm);
}

static void code(const void *bytes, size_t len)
{
	fake_write(vm, RIP0, bytes, len);
}

static void apply(const struct exit_action *act)
{
	struct vmx_exit e = { .kind = VMX_EXIT_PAGE_FAULT };

	exit_apply(vcpu, &e, act);
}

static void enter_paging32(void)
{
	fake_tables_32(vm, TABLES);
	CHECK_EQ(vcpu_set_cr3(vcpu, TABLES), CR_OK);
	CHECK_EQ(vcpu_set_cr0(vcpu, X86_CR0_PE | X86_CR0_PG), CR_OK);
	CHECK_EQ(vcpu->mmu.mode, PAGING_32);
}

static void enter_long(bool compat)
{
	fake_tables_long(vm, TABLES);
	CHECK_EQ(vcpu_set_cr4(vcpu, X86_CR4_PAE), CR_OK);
	CHECK_EQ(vcpu_set_cr3(vcpu, TABLES), CR_OK);
	CHECK_EQ(vcpu_set_efer(vcpu, EFER_LME), CR_OK);
	CHECK_EQ(vcpu_set_cr0(vcpu, X86_CR0_PE | X86_CR0_PG), CR_OK);
	CHECK_EQ(vcpu->mmu.mode, PAGING_LONG);
	fake_vmx.reg[VMX_REG_CS_AR] = (compat ? X86_AR_DB : X86_AR_L) | 0x9b;
}

/* A #PF exit of a read at @gva: the shadow builds the path to it. */
static void touch(gva_t gva)
{
	struct vmx_exit e = { .kind = VMX_EXIT_PAGE_FAULT,
			      .exc = { .vector = X86_VEC_PF, .cr2 = gva } };
	struct exit_action act = exit_handle(vcpu, &e);

	CHECK_EQ(act.kind, EXIT_RESUME);
}

static void test_mmio_dword_load_reads_all_ones(void)
{
	static const u8 insn[] = { 0x8b, 0x05, 0x00, 0x00, 0x00, 0xe0 };
	struct exit_action act;

	setup();
	code(insn, sizeof(insn));
	gpr[GPR_RAX] = 0x1122334455667788ull;
	act = emulate_mmio(vcpu, MMIO, MMIO, 0);
	CHECK_EQ(act.kind, EXIT_SKIP);
	CHECK_EQ(act.len, 6);
	CHECK_EQ(gpr[GPR_RAX], 0xffffffffull);	/* zero-extended */
	CHECK_EQ(vm->stats.mmio_exits, 1);
	apply(&act);
	CHECK_EQ(fake_vmx.reg[VMX_REG_RIP], RIP0 + 6);
	teardown();
}

static void test_mmio_byte_load_keeps_rest_of_register(void)
{
	static const u8 al[] = { 0x8a, 0x05, 0x00, 0x00, 0x00, 0xe0 };
	static const u8 ah[] = { 0x8a, 0x25, 0x00, 0x00, 0x00, 0xe0 };
	static const u8 ax[] = { 0x66, 0x8b, 0x0d, 0x00, 0x00, 0x00, 0xe0 };
	struct exit_action act;

	setup();
	code(al, sizeof(al));
	gpr[GPR_RAX] = 0x1122334455667788ull;
	act = emulate_mmio(vcpu, MMIO, MMIO, 0);
	CHECK_EQ(act.kind, EXIT_SKIP);
	CHECK_EQ(act.len, 6);
	CHECK_EQ(gpr[GPR_RAX], 0x11223344556677ffull);

	code(ah, sizeof(ah));
	gpr[GPR_RAX] = 0x1122334455667788ull;
	act = emulate_mmio(vcpu, MMIO, MMIO, 0);
	CHECK_EQ(act.len, 6);
	CHECK_EQ(gpr[GPR_RAX], 0x112233445566ff88ull);

	code(ax, sizeof(ax));			/* mov cx, [MMIO] */
	gpr[GPR_RCX] = 0x1122334455667788ull;
	act = emulate_mmio(vcpu, MMIO, MMIO, 0);
	CHECK_EQ(act.len, 7);
	CHECK_EQ(gpr[GPR_RCX], 0x112233445566ffffull);
	teardown();
}

static void test_mmio_movzx_load_zero_extends(void)
{
	static const u8 insn[] = { 0x0f, 0xb6, 0x15, 0x00, 0x00, 0x00, 0xe0 };
	struct exit_action act;

	setup();
	code(insn, sizeof(insn));		/* movzx edx, byte [MMIO] */
	gpr[GPR_RDX] = 0x1122334455667788ull;
	act = emulate_mmio(vcpu, MMIO, MMIO, 0);
	CHECK_EQ(act.kind, EXIT_SKIP);
	CHECK_EQ(act.len, 7);
	CHECK_EQ(gpr[GPR_RDX], 0xff);
	teardown();
}

static void test_mmio_load_into_esp_writes_vmcs_rsp(void)
{
	static const u8 insn[] = { 0x8b, 0x25, 0x00, 0x00, 0x00, 0xe0 };
	struct exit_action act;

	setup();
	code(insn, sizeof(insn));		/* mov esp, [MMIO] */
	fake_vmx.reg[VMX_REG_RSP] = 0x7000;
	gpr[GPR_RSP] = 0x1234;
	act = emulate_mmio(vcpu, MMIO, MMIO, 0);
	CHECK_EQ(act.kind, EXIT_SKIP);
	CHECK_EQ(fake_vmx.reg[VMX_REG_RSP], 0xffffffffull);
	CHECK_EQ(gpr[GPR_RSP], 0x1234);
	teardown();
}

static void test_mmio_store_is_dropped_and_skipped(void)
{
	static const u8 reg[] = { 0x89, 0x05, 0x00, 0x00, 0x00, 0xe0 };
	static const u8 imm[] = { 0xc7, 0x05, 0x00, 0x00, 0x00, 0xe0,
				  0x78, 0x56, 0x34, 0x12 };
	u64 before[NR_GPRS];
	struct exit_action act;

	setup();
	for (int i = 0; i < NR_GPRS; i++)
		gpr[i] = 0x0101010101010101ull * (i + 1);
	memcpy(before, gpr, sizeof(before));
	code(reg, sizeof(reg));
	act = emulate_mmio(vcpu, MMIO, MMIO, PFERR_WRITE);
	CHECK_EQ(act.kind, EXIT_SKIP);
	CHECK_EQ(act.len, 6);
	CHECK(!memcmp(before, gpr, sizeof(before)));
	CHECK_EQ(physmap_check(&vm->pm, MMIO, 4, true), -EFAULT);

	code(imm, sizeof(imm));
	act = emulate_mmio(vcpu, MMIO, MMIO, PFERR_WRITE);
	CHECK_EQ(act.kind, EXIT_SKIP);
	CHECK_EQ(act.len, 10);
	CHECK(!memcmp(before, gpr, sizeof(before)));
	CHECK_EQ(vm->stats.mmio_exits, 2);
	teardown();
}

static void test_mmio_undecodable_instruction_kills_mmio(void)
{
	static const u8 insn[] = { 0xff, 0x05, 0x00, 0x00, 0x00, 0xe0 };
	struct exit_action act;

	setup();
	code(insn, sizeof(insn));		/* inc dword [MMIO] */
	act = emulate_mmio(vcpu, MMIO, MMIO, PFERR_WRITE);
	CHECK(fake_killed_as(&act, "mmio"));
	CHECK(act.end.dump);
	apply(&act);
	CHECK_EQ(vm->state, VM_KILLED);
	CHECK(!strcmp(vm->kill_reason, "mmio"));
	CHECK_EQ(fake_vmx.dumps, 1);
	CHECK_EQ(fake_vmx.reg[VMX_REG_RIP], RIP0);
	teardown();
}

static void test_mmio_unreadable_code_kills_mmio(void)
{
	struct exit_action act;

	setup();
	fake_vmx.reg[VMX_REG_RIP] = 0xa0000;	/* the VGA hole: no RAM */
	act = emulate_mmio(vcpu, MMIO, MMIO, 0);
	CHECK(fake_killed_as(&act, "mmio"));
	teardown();
}

static void test_mmio_64bit_code_decodes_rex(void)
{
	/* mov rax, [abs 0xe0000000] (SIB, no base) */
	static const u8 insn[] = { 0x48, 0x8b, 0x04, 0x25,
				   0x00, 0x00, 0x00, 0xe0 };
	struct exit_action act;

	setup();
	enter_long(false);
	code(insn, sizeof(insn));
	gpr[GPR_RAX] = 0;
	act = emulate_mmio(vcpu, MMIO, MMIO, 0);
	CHECK_EQ(act.kind, EXIT_SKIP);
	CHECK_EQ(act.len, 8);
	CHECK_EQ(gpr[GPR_RAX], ~0ull);
	teardown();
}

static void test_mmio_compat_mode_decodes_as_32bit_code(void)
{
	/* In 32-bit code 0x48 is DEC EAX, not a REX prefix. */
	static const u8 insn[] = { 0x48, 0x8b, 0x04, 0x25,
				   0x00, 0x00, 0x00, 0xe0 };
	struct exit_action act;

	setup();
	enter_long(true);
	code(insn, sizeof(insn));
	act = emulate_mmio(vcpu, MMIO, MMIO, 0);
	CHECK(fake_killed_as(&act, "mmio"));
	teardown();
}

static void test_mmio_fetches_through_guest_paging(void)
{
	static const u8 insn[] = { 0x8b, 0x05, 0x00, 0x00, 0x00, 0xe0 };
	struct exit_action act;

	setup();
	enter_paging32();
	/* Guest-virtual 0x400000 (PDE 1) is the code page at RIP0. */
	fake_write32(vm, TABLES + 4, (TABLES + 2 * PAGE_SIZE) | PTE_P);
	fake_write32(vm, TABLES + 2 * PAGE_SIZE, RIP0 | PTE_P);
	code(insn, sizeof(insn));
	fake_vmx.reg[VMX_REG_RIP] = 0x400000;
	gpr[GPR_RAX] = 0;
	act = emulate_mmio(vcpu, MMIO, MMIO, 0);
	CHECK_EQ(act.kind, EXIT_SKIP);
	CHECK_EQ(act.len, 6);
	CHECK_EQ(gpr[GPR_RAX], 0xffffffffull);
	teardown();
}

#define DATA		0x300000ull

/* Points the guest PTE of @gva (32-bit paging, first 4 MiB) at @gpa. */
static void map4k(gva_t gva, gpa_t gpa)
{
	fake_write32(vm, TABLES + PAGE_SIZE + 4 * (gva >> PAGE_SHIFT),
		     gpa ? gpa | PTE_P | PTE_RW : 0);
}

/*
 * A load whose first half is RAM and whose second half has nothing
 * behind it: the fault (CR2) names the second page, the operand says
 * where the load begins.  The RAM bytes are read, the rest are all ones.
 */
static void test_mmio_load_straddling_ram_then_unbacked(void)
{
	static const u8 insn[] = { 0x8b, 0x03 };	/* mov eax, [ebx] */
	struct exit_action act;

	setup();
	enter_paging32();
	map4k(DATA + PAGE_SIZE, MMIO);
	code(insn, sizeof(insn));
	fake_write32(vm, DATA + PAGE_SIZE - 4, 0x1234abcd);
	gpr[GPR_RBX] = DATA + PAGE_SIZE - 2;
	gpr[GPR_RAX] = 0;
	act = emulate_mmio(vcpu, DATA + PAGE_SIZE, MMIO, 0);
	CHECK_EQ(act.kind, EXIT_SKIP);
	CHECK_EQ(act.len, 2);
	CHECK_EQ(gpr[GPR_RAX], 0xffff1234ull);
	teardown();
}

/* The other way round: the unbacked page first, RAM after it. */
static void test_mmio_store_straddling_unbacked_then_ram(void)
{
	static const u8 insn[] = { 0x89, 0x0b };	/* mov [ebx], ecx */
	gva_t at = DATA + PAGE_SIZE - 2;
	struct exit_action act;

	setup();
	enter_paging32();
	map4k(DATA, MMIO);
	code(insn, sizeof(insn));
	fake_write32(vm, DATA + PAGE_SIZE, 0);
	gpr[GPR_RBX] = at;
	gpr[GPR_RCX] = 0xaabbccdd;
	act = emulate_mmio(vcpu, at, MMIO + PAGE_SIZE - 2, PFERR_WRITE);
	CHECK_EQ(act.kind, EXIT_SKIP);
	/* The two high bytes reach RAM; the two low ones are dropped. */
	CHECK_EQ(fake_read32(vm, DATA + PAGE_SIZE), 0xaabb);
	CHECK_EQ(fake_read32(vm, DATA + PAGE_SIZE - 4), 0);
	teardown();
}

/*
 * The second page of the store is not present in the guest's tables: the
 * instruction faults there (#PF, CR2 at that page) and writes nothing.
 */
static void test_mmio_store_into_unmapped_second_page_faults(void)
{
	static const u8 insn[] = { 0x89, 0x0b };	/* mov [ebx], ecx */
	gva_t at = DATA + PAGE_SIZE - 2;
	struct exit_action act;

	setup();
	enter_paging32();
	map4k(DATA, MMIO);
	map4k(DATA + PAGE_SIZE, 0);
	code(insn, sizeof(insn));
	gpr[GPR_RBX] = at;
	act = emulate_mmio(vcpu, at, MMIO + PAGE_SIZE - 2, PFERR_WRITE);
	CHECK_EQ(act.kind, EXIT_INJECT);
	CHECK_EQ(act.exc.vector, X86_VEC_PF);
	CHECK_EQ(act.exc.cr2, DATA + PAGE_SIZE);
	CHECK_EQ(act.exc.errcode & PFERR_WRITE, PFERR_WRITE);
	CHECK_EQ(act.exc.errcode & PFERR_PRESENT, 0);
	teardown();
}

/*
 * 16-bit code (CS.D = 0, SDM 1 3.6): 8B is a word load, and 16-bit
 * addressing takes [bx] modulo 64 KiB; 0x67 selects 32-bit addressing
 * and 0x66 a doubleword.
 */
static void test_mmio_16bit_code_word_operands(void)
{
	static const u8 bx[] = { 0x8b, 0x07 };		/* mov ax, [bx] */
	static const u8 ebx[] = { 0x67, 0x8b, 0x03 };	/* mov ax, [ebx] */
	static const u8 eax[] = { 0x66, 0x67, 0x8b, 0x03 }; /* mov eax, [ebx] */
	struct exit_action act;

	setup();
	enter_paging32();
	map4k(0xf000, MMIO);
	fake_vmx.reg[VMX_REG_CS_AR] = 0x9b;	/* D = 0 */
	code(bx, sizeof(bx));
	gpr[GPR_RBX] = 0xdead0ff0;		/* only BX counts */
	gpr[GPR_RAX] = 0x1122334455667788ull;
	act = emulate_mmio(vcpu, 0xfff0, MMIO + 0xff0, 0);
	CHECK_EQ(act.kind, EXIT_SKIP);
	CHECK_EQ(act.len, 2);
	CHECK_EQ(gpr[GPR_RAX], 0x112233445566ffffull);

	code(ebx, sizeof(ebx));
	gpr[GPR_RBX] = 0xfff0;
	gpr[GPR_RAX] = 0x1122334455667788ull;
	act = emulate_mmio(vcpu, 0xfff0, MMIO + 0xff0, 0);
	CHECK_EQ(act.len, 3);
	CHECK_EQ(gpr[GPR_RAX], 0x112233445566ffffull);

	code(eax, sizeof(eax));
	act = emulate_mmio(vcpu, 0xfff0, MMIO + 0xff0, 0);
	CHECK_EQ(act.len, 4);
	CHECK_EQ(gpr[GPR_RAX], 0xffffffffull);
	teardown();
}

/* A 16-bit store of an immediate takes imm16, not imm32. */
static void test_mmio_16bit_code_store_imm16(void)
{
	/* mov word [bx], 0xbeef; then a NOP the length must not eat */
	static const u8 insn[] = { 0xc7, 0x07, 0xef, 0xbe, 0x90, 0x90 };
	struct exit_action act;

	setup();
	enter_paging32();
	map4k(0xf000, MMIO);
	fake_vmx.reg[VMX_REG_CS_AR] = 0x9b;
	code(insn, sizeof(insn));
	gpr[GPR_RBX] = 0xf000;
	act = emulate_mmio(vcpu, 0xf000, MMIO, PFERR_WRITE);
	CHECK_EQ(act.kind, EXIT_SKIP);
	CHECK_EQ(act.len, 4);
	teardown();
}

/* 32-bit paging with the PD shadowed: a fault has walked through it. */
static void setup_shadowed_pd(void)
{
	setup();
	enter_paging32();
	touch(RIP0);
	CHECK(shadow_gfn_is_table(&vm->mmu, TABLES >> PAGE_SHIFT));
	CHECK(fake_shadow_leaf(vcpu, RIP0) != 0);
}

static void test_pt_write_store_is_emulated_and_skipped(void)
{
	static const u8 insn[] = { 0x89, 0x0b };	/* mov [ebx], ecx */
	gpa_t pde0 = TABLES, pt2 = TABLES + 2 * PAGE_SIZE;
	struct vmx_exit e = {
		.kind = VMX_EXIT_PAGE_FAULT,
		.exc = { .vector = X86_VEC_PF, .cr2 = pde0,
			 .errcode = PFERR_WRITE | PFERR_PRESENT },
	};
	struct exit_action act;

	setup_shadowed_pd();
	code(insn, sizeof(insn));
	/* A new page table for the first 4 MiB: RIP0 now maps 0x150000. */
	for (u32 i = 0; i < 1024; i++)
		fake_write32(vm, pt2 + 4 * i, (i << PAGE_SHIFT) | PTE_P);
	fake_write32(vm, pt2 + 4 * (RIP0 >> PAGE_SHIFT), 0x150000 | PTE_P);
	gpr[GPR_RBX] = pde0;
	gpr[GPR_RCX] = pt2 | PTE_P | PTE_RW;

	act = exit_handle(vcpu, &e);
	CHECK_EQ(act.kind, EXIT_SKIP);
	CHECK_EQ(act.len, 2);
	exit_apply(vcpu, &e, &act);
	CHECK_EQ(fake_vmx.reg[VMX_REG_RIP], RIP0 + 2);
	CHECK_EQ(fake_read32(vm, pde0), pt2 | PTE_P | PTE_RW);
	CHECK_EQ(vm->stats.pt_writes_emulated, 1);
	/* The shadow of the old mapping of RIP0 is gone... */
	CHECK_EQ(fake_shadow_leaf(vcpu, RIP0), 0);
	/* ...and the next fault maps the new one. */
	touch(RIP0);
	CHECK_EQ(spte_addr(fake_shadow_leaf(vcpu, RIP0)),
		 (uintptr_t)physmap_gfn_to_hva(&vm->pm, 0x150, NULL));
	teardown();
}

static void test_pt_write_load_unshadows_and_resumes(void)
{
	static const u8 insn[] = { 0x8b, 0x0b };	/* mov ecx, [ebx] */
	u32 pde0;
	struct exit_action act;

	setup_shadowed_pd();
	code(insn, sizeof(insn));
	pde0 = fake_read32(vm, TABLES);
	gpr[GPR_RBX] = TABLES;
	gpr[GPR_RCX] = 0x12345678;
	act = emulate_pt_write(vcpu, TABLES, TABLES);
	CHECK_EQ(act.kind, EXIT_RESUME);
	CHECK(!shadow_gfn_is_table(&vm->mmu, TABLES >> PAGE_SHIFT));
	CHECK_EQ(fake_read32(vm, TABLES), pde0);
	CHECK_EQ(gpr[GPR_RCX], 0x12345678);
	CHECK_EQ(vm->stats.pt_writes_emulated, 0);
	teardown();
}

/*
 * A store that crosses from the end of the page directory into the page
 * table after it: each part lands in its own table, and each table loses
 * the shadow entries its bytes described.
 */
static void test_pt_write_straddling_two_tables_writes_each(void)
{
	static const u8 insn[] = { 0x89, 0x0b };	/* mov [ebx], ecx */
	gpa_t at = TABLES + PAGE_SIZE - 2, pt = TABLES + PAGE_SIZE;
	struct exit_action act;

	setup_shadowed_pd();
	touch(0);
	CHECK(fake_shadow_leaf(vcpu, 0) != 0);
	CHECK(shadow_gfn_is_table(&vm->mmu, pt >> PAGE_SHIFT));
	code(insn, sizeof(insn));
	gpr[GPR_RBX] = at;
	gpr[GPR_RCX] = 0x00050000;	/* PTE 0 becomes P|US, read-only */
	act = emulate_pt_write(vcpu, at, at);
	CHECK_EQ(act.kind, EXIT_SKIP);
	CHECK_EQ(act.len, 2);
	CHECK_EQ(fake_read32(vm, at - 2) >> 16, 0);
	CHECK_EQ(fake_read32(vm, pt), 0x5);
	CHECK_EQ(fake_shadow_leaf(vcpu, 0), 0);
	CHECK(fake_shadow_leaf(vcpu, RIP0) != 0);
	teardown();
}

/*
 * A store that starts on a data page and ends on the page directory; the
 * fault names the directory (CR2 is its first byte), but the access
 * starts two bytes before it, where the operand says.
 */
static void test_pt_write_from_data_page_into_table(void)
{
	static const u8 insn[] = { 0x89, 0x0b };	/* mov [ebx], ecx */
	gpa_t at = TABLES - 2, pt2 = TABLES + 2 * PAGE_SIZE;
	struct exit_action act;

	setup_shadowed_pd();
	code(insn, sizeof(insn));
	/* A new page table for the first 4 MiB: RIP0 now maps 0x150000. */
	for (u32 i = 0; i < 1024; i++)
		fake_write32(vm, pt2 + 4 * i, (i << PAGE_SHIFT) | PTE_P);
	fake_write32(vm, pt2 + 4 * (RIP0 >> PAGE_SHIFT), 0x150000 | PTE_P);
	fake_write32(vm, at - 2, 0);
	gpr[GPR_RBX] = at;
	/* Low half to the data page, high half to PDE 0's low half. */
	gpr[GPR_RCX] = ((u64)((pt2 | PTE_P | PTE_RW) & 0xffff) << 16) | 0x5678;
	act = emulate_pt_write(vcpu, TABLES, TABLES);
	CHECK_EQ(act.kind, EXIT_SKIP);
	CHECK_EQ(fake_read32(vm, at - 2), 0x56780000u);
	CHECK_EQ(fake_read32(vm, TABLES), pt2 | PTE_P | PTE_RW);
	CHECK_EQ(vm->stats.pt_writes_emulated, 1);
	CHECK_EQ(fake_shadow_leaf(vcpu, RIP0), 0);
	touch(RIP0);
	CHECK_EQ(spte_addr(fake_shadow_leaf(vcpu, RIP0)),
		 (uintptr_t)physmap_gfn_to_hva(&vm->pm, 0x150, NULL));
	teardown();
}

static void test_pt_write_repeats_at_one_rip_kill_ptwrite(void)
{
	static const u8 insn[] = { 0x01, 0x0b };	/* add [ebx], ecx */
	struct exit_action act;

	setup_shadowed_pd();
	code(insn, sizeof(insn));
	gpr[GPR_RBX] = TABLES;
	/* The first try and four close repeats re-run natively... */
	for (int i = 0; i < 5; i++) {
		vm->stats.exits += 2;
		act = emulate_pt_write(vcpu, TABLES, TABLES);
		CHECK_EQ(act.kind, EXIT_RESUME);
	}
	/* ...the fifth repeat ends the guest. */
	vm->stats.exits += 2;
	act = emulate_pt_write(vcpu, TABLES, TABLES);
	CHECK(fake_killed_as(&act, "ptwrite"));
	CHECK(act.end.dump);
	teardown();
}

static void test_pt_write_repeats_far_apart_are_progress(void)
{
	static const u8 insn[] = { 0x01, 0x0b };	/* add [ebx], ecx */
	struct exit_action act;

	setup_shadowed_pd();
	code(insn, sizeof(insn));
	gpr[GPR_RBX] = TABLES;
	for (int i = 0; i < 30; i++) {
		/* Other exits in between: the guest made progress. */
		vm->stats.exits += i % 3 == 2 ? 5 : 1;
		act = emulate_pt_write(vcpu, TABLES, TABLES);
		CHECK_EQ(act.kind, EXIT_RESUME);
	}
	teardown();
}

static void test_pt_write_repeats_on_other_frames_are_progress(void)
{
	static const u8 insn[] = { 0x01, 0x0b };	/* add [ebx], ecx */
	struct exit_action act;

	setup_shadowed_pd();
	code(insn, sizeof(insn));
	for (int i = 0; i < 30; i++) {
		/* One instruction walking over page tables, one per exit. */
		gpa_t at = TABLES + (i % 2) * PAGE_SIZE;

		gpr[GPR_RBX] = at;
		vm->stats.exits++;
		act = emulate_pt_write(vcpu, at, at);
		CHECK_EQ(act.kind, EXIT_RESUME);
	}
	teardown();
}

/*
 * The guard's own contract (emulate.c): a guest that keeps faulting on
 * an undecodable write to a page table it maps through itself is ended.
 * Between two such faults the run loop sees one more #PF exit, for the
 * access that the unshadow dropped, which re-shadows the page directory
 * on its way to the leaf: the repeats are never back to back.
 */
static void test_contract_self_mapped_pd_write_loop_is_ended(void)
{
	static const u8 insn[] = { 0x01, 0x0b };	/* add [ebx], ecx */

	setup_shadowed_pd();
	code(insn, sizeof(insn));
	gpr[GPR_RBX] = TABLES;
	for (int i = 0; i < FAKE_RUN_SCRIPT; i++)
		fake_vmx.script[i] = (struct vmx_exit){
			.kind = VMX_EXIT_PAGE_FAULT,
			.exc = { .vector = X86_VEC_PF, .cr2 = TABLES,
				 .errcode = PFERR_WRITE },
		};
	fake_vmx.script_len = FAKE_RUN_SCRIPT;
	vcpu_run(vcpu);
	CHECK_EQ(vm->state, VM_KILLED);
	CHECK(!strcmp(vm->kill_reason, "ptwrite"));
	teardown();
}

int main(void)
{
	RUN(test_mmio_dword_load_reads_all_ones);
	RUN(test_mmio_byte_load_keeps_rest_of_register);
	RUN(test_mmio_movzx_load_zero_extends);
	RUN(test_mmio_load_into_esp_writes_vmcs_rsp);
	RUN(test_mmio_store_is_dropped_and_skipped);
	RUN(test_mmio_undecodable_instruction_kills_mmio);
	RUN(test_mmio_unreadable_code_kills_mmio);
	RUN(test_mmio_64bit_code_decodes_rex);
	RUN(test_mmio_compat_mode_decodes_as_32bit_code);
	RUN(test_mmio_fetches_through_guest_paging);
	RUN(test_mmio_load_straddling_ram_then_unbacked);
	RUN(test_mmio_store_straddling_unbacked_then_ram);
	RUN(test_mmio_store_into_unmapped_second_page_faults);
	RUN(test_mmio_16bit_code_word_operands);
	RUN(test_mmio_16bit_code_store_imm16);
	RUN(test_pt_write_store_is_emulated_and_skipped);
	RUN(test_pt_write_load_unshadows_and_resumes);
	RUN(test_pt_write_straddling_two_tables_writes_each);
	RUN(test_pt_write_from_data_page_into_table);
	RUN(test_pt_write_repeats_at_one_rip_kill_ptwrite);
	RUN(test_pt_write_repeats_far_apart_are_progress);
	RUN(test_pt_write_repeats_on_other_frames_are_progress);
	RUN(test_contract_self_mapped_pd_write_loop_is_ended);
	return unit_done();
}
