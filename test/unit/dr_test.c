// SPDX-License-Identifier: MIT
/*
 * MOV DR (hv/exit/dr.c) on the fakes: the #UD, #GP and #DB rules of SDM 2
 * MOV DR and SDM 3B 17.2, the fixed bits of DR6 and DR7, and where each
 * register lives (DR7 in the VMCS, DR0-DR3 and DR6 in the processor).
 */
#define UNIT_SUITE "dr"
#include "unit.h"

#include <lib/x86.h>
#include <hv/cpu/guest.h>
#include <hv/exit/cr.h>
#include <hv/exit/exit.h>
#include <hv/vm.h>
#include "../fake/fake.h"

#define TABLES		0x200000ull

static struct vm *vm;
static struct vcpu *vcpu;
static u64 *gpr;
static u64 rip_before;

static void setup(void)
{
	vm = fake_guest_create();
	vcpu = &vm->vcpu;
	gpr = vcpu->vmx.gpr;
	fake_vmx.reg[VMX_REG_DR7] = X86_DR7_RESET;	/* as vmcs.c loads it */
}

static void teardown(void)
{
	fake_vm_destroy(vm);
}

static void enter_long(void)
{
	fake_tables_long(vm, TABLES);
	CHECK_EQ(vcpu_set_cr4(vcpu, X86_CR4_PAE), CR_OK);
	CHECK_EQ(vcpu_set_cr3(vcpu, TABLES), CR_OK);
	CHECK_EQ(vcpu_set_efer(vcpu, EFER_LME), CR_OK);
	CHECK_EQ(vcpu_set_cr0(vcpu, X86_CR0_PE | X86_CR0_PG), CR_OK);
	fake_vmx.reg[VMX_REG_CS_AR] = X86_AR_L | 0x9b;
}

static struct exit_action mov_dr(unsigned int dr, bool to_dr, u64 val)
{
	struct vmx_exit e = {
		.kind = VMX_EXIT_DR_ACCESS, .instr_len = 3,
		.dr = { .dr = dr, .gpr = GPR_RBX, .to_dr = to_dr },
	};

	gpr[GPR_RBX] = val;
	rip_before = fake_vmx.reg[VMX_REG_RIP];
	return fake_exit(vcpu, &e);
}

static bool injected(const struct exit_action *act, u8 vector)
{
	return act->kind == EXIT_INJECT && act->exc.vector == vector &&
	       fake_vmx.reg[VMX_REG_RIP] == rip_before;
}

/* SDM 3A Table 9-1: DR0-DR3 = 0, DR6 = 0xffff0ff0 at each guest's start. */
static void test_guest_starts_with_reset_debug_registers(void)
{
	setup();
	for (unsigned int i = 0; i < 4; i++)
		fake_cpu.dr[i] = 0x1000 + i;
	fake_cpu.dr[6] = 0;
	guest_cpu_load(vcpu);
	for (unsigned int i = 0; i < 4; i++)
		CHECK_EQ(fake_cpu.dr[i], 0);
	CHECK_EQ(fake_cpu.dr[6], X86_DR6_RESET);
	mov_dr(7, false, 0);
	CHECK_EQ(gpr[GPR_RBX], X86_DR7_RESET);
	teardown();
}

static void test_dr0_to_dr3_are_the_processors(void)
{
	struct exit_action act;

	setup();
	act = mov_dr(2, true, 0x12345678);
	CHECK_EQ(act.kind, EXIT_SKIP);
	CHECK_EQ(fake_cpu.dr[2], 0x12345678);
	fake_cpu.dr[2] = 0x5000;
	mov_dr(2, false, 0);
	CHECK_EQ(gpr[GPR_RBX], 0x5000);
	teardown();
}

/* DR7 is the VMCS's, with its fixed bits (bit 10 set, 11, 12, 14, 15 clear). */
static void test_dr7_goes_to_the_vmcs_with_fixed_bits(void)
{
	setup();
	CHECK_EQ(mov_dr(7, true, 0xffff0003 | BIT(12) | BIT(14)).kind,
		 EXIT_SKIP);
	CHECK_EQ(fake_vmx.reg[VMX_REG_DR7], 0xffff0403);
	CHECK_EQ(fake_cpu.dr[7], X86_DR7_RESET);
	teardown();
}

/* DR6 keeps its reserved bits whatever is written (SDM 3B 17.2.3). */
static void test_dr6_reserved_bits_fixed(void)
{
	setup();
	mov_dr(6, true, 0);
	CHECK_EQ(fake_cpu.dr[6], X86_DR6_RESET);
	mov_dr(6, true, 0xf | BIT(14));
	CHECK_EQ(fake_cpu.dr[6], X86_DR6_RESET | 0xf | BIT(14));
	teardown();
}

/* DR4/DR5: #UD with CR4.DE, DR6/DR7 without (SDM 3B 17.2.2). */
static void test_dr4_dr5_alias_or_ud(void)
{
	struct exit_action act;

	setup();
	mov_dr(5, false, 0);
	CHECK_EQ(gpr[GPR_RBX], X86_DR7_RESET);
	fake_cpu.dr[6] = X86_DR6_RESET | 1;
	mov_dr(4, false, 0);
	CHECK_EQ(gpr[GPR_RBX], X86_DR6_RESET | 1);
	CHECK_EQ(vcpu_set_cr4(vcpu, X86_CR4_DE), CR_OK);
	act = mov_dr(4, false, 0);
	CHECK(injected(&act, X86_VEC_UD));
	teardown();
}

static void test_cpl3_is_gp(void)
{
	struct exit_action act;

	setup();
	fake_vmx.cpl = 3;
	act = mov_dr(0, true, 1);
	CHECK(injected(&act, X86_VEC_GP));
	CHECK_EQ(fake_cpu.dr[0], 0);
	teardown();
}

/*
 * DR7.GD: any MOV DR is a #DB fault, with DR6.BD set and DR7.GD cleared
 * for the handler (SDM 3B 17.2.4).
 */
static void test_general_detect_is_db(void)
{
	struct exit_action act;

	setup();
	fake_vmx.reg[VMX_REG_DR7] = X86_DR7_RESET | X86_DR7_GD;
	fake_cpu.dr[6] = X86_DR6_RESET;
	act = mov_dr(0, true, 0x1234);
	CHECK(injected(&act, X86_VEC_DB));
	CHECK(!act.exc.has_errcode);
	CHECK_EQ(fake_cpu.dr[0], 0);
	CHECK_EQ(fake_cpu.dr[6], X86_DR6_RESET | X86_DR6_BD);
	CHECK_EQ(fake_vmx.reg[VMX_REG_DR7], X86_DR7_RESET);
	teardown();
}

/* 64-bit mode: bits 63:32 of DR6 or DR7 set is #GP (SDM 2, MOV DR). */
static void test_64bit_upper_bits_of_dr6_dr7_gp(void)
{
	struct exit_action act;

	setup();
	enter_long();
	fake_cpu.dr[6] = X86_DR6_RESET;
	act = mov_dr(6, true, 1ull << 32);
	CHECK(injected(&act, X86_VEC_GP));
	CHECK_EQ(fake_cpu.dr[6], X86_DR6_RESET);
	fake_vmx.injected = false;
	act = mov_dr(7, true, (1ull << 40) | 1);
	CHECK(injected(&act, X86_VEC_GP));
	CHECK_EQ(fake_vmx.reg[VMX_REG_DR7], X86_DR7_RESET);
	/* DR0-DR3 take 64-bit addresses. */
	CHECK_EQ(mov_dr(1, true, 0xffff800000001000ull).kind, EXIT_SKIP);
	CHECK_EQ(fake_cpu.dr[1], 0xffff800000001000ull);
	teardown();
}

/* Outside 64-bit mode the operand is 32 bits: upper halves are ignored. */
static void test_32bit_operand_ignores_upper_half(void)
{
	setup();
	CHECK_EQ(mov_dr(7, true, 0xffffffff00000001ull).kind, EXIT_SKIP);
	CHECK_EQ(fake_vmx.reg[VMX_REG_DR7], X86_DR7_RESET | 1);
	CHECK_EQ(mov_dr(0, true, 0xabcd000012345678ull).kind, EXIT_SKIP);
	CHECK_EQ(fake_cpu.dr[0], 0x12345678);
	fake_cpu.dr[0] = 0xffffffff00000010ull;
	mov_dr(0, false, 0);
	CHECK_EQ(gpr[GPR_RBX], 0x10);
	teardown();
}

int main(void)
{
	RUN(test_guest_starts_with_reset_debug_registers);
	RUN(test_dr0_to_dr3_are_the_processors);
	RUN(test_dr7_goes_to_the_vmcs_with_fixed_bits);
	RUN(test_dr6_reserved_bits_fixed);
	RUN(test_dr4_dr5_alias_or_ud);
	RUN(test_cpl3_is_gp);
	RUN(test_general_detect_is_db);
	RUN(test_64bit_upper_bits_of_dr6_dr7_gp);
	RUN(test_32bit_operand_ignores_upper_half);
	return unit_done();
}
