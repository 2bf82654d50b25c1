// SPDX-License-Identifier: MIT
/*
 * emulate_retired() (hv/emul/retire.c): an instruction the hypervisor
 * completed still ends the way a retired instruction does.  With TF set
 * the guest owes itself a single-step #DB after it (SDM 3B 17.3.1.4):
 * the BS bit of the pending debug exceptions makes the processor deliver
 * it at VM entry.  RF is cleared (SDM 3B 17.3.1.1).
 */
#define UNIT_SUITE "retire"
#include "unit.h"

#include <lib/x86.h>
#include <hv/emul/retire.h>
#include "../fake/fake.h"

#define BS		BIT(14)
#define BTF		BIT(1)

static void test_tf_sets_pending_single_step(void)
{
	fake_reset();
	fake_vmx.reg[VMX_REG_RFLAGS] = X86_RFLAGS_FIXED | X86_RFLAGS_TF;
	emulate_retired();
	CHECK_EQ(fake_vmx.reg[VMX_REG_PENDING_DBG], BS);
	/* TF itself stays: the #DB handler sees it set (SDM 3B 17.3.1.4). */
	CHECK(fake_vmx.reg[VMX_REG_RFLAGS] & X86_RFLAGS_TF);
}

static void test_tf_keeps_other_pending_debug_bits(void)
{
	fake_reset();
	fake_vmx.reg[VMX_REG_RFLAGS] = X86_RFLAGS_FIXED | X86_RFLAGS_TF;
	fake_vmx.reg[VMX_REG_PENDING_DBG] = 0x1;	/* B0 */
	emulate_retired();
	CHECK_EQ(fake_vmx.reg[VMX_REG_PENDING_DBG], BS | 0x1);
}

static void test_no_tf_no_trap(void)
{
	fake_reset();
	fake_vmx.reg[VMX_REG_RFLAGS] = X86_RFLAGS_FIXED | X86_RFLAGS_IF;
	emulate_retired();
	CHECK_EQ(fake_vmx.reg[VMX_REG_PENDING_DBG], 0);
	CHECK_EQ(fake_vmx.reg[VMX_REG_RFLAGS],
		 X86_RFLAGS_FIXED | X86_RFLAGS_IF);
}

/* DEBUGCTL.BTF: TF traps only on branches (SDM 3B 17.4.3). */
static void test_btf_makes_non_branch_silent(void)
{
	fake_reset();
	fake_vmx.reg[VMX_REG_RFLAGS] = X86_RFLAGS_FIXED | X86_RFLAGS_TF;
	fake_vmx.reg[VMX_REG_DEBUGCTL] = BTF;
	emulate_retired();
	CHECK_EQ(fake_vmx.reg[VMX_REG_PENDING_DBG], 0);
}

static void test_rf_is_cleared(void)
{
	fake_reset();
	fake_vmx.reg[VMX_REG_RFLAGS] = X86_RFLAGS_FIXED | X86_RFLAGS_RF;
	emulate_retired();
	CHECK_EQ(fake_vmx.reg[VMX_REG_RFLAGS], X86_RFLAGS_FIXED);
	CHECK_EQ(fake_vmx.reg[VMX_REG_PENDING_DBG], 0);
}

int main(void)
{
	RUN(test_tf_sets_pending_single_step);
	RUN(test_tf_keeps_other_pending_debug_bits);
	RUN(test_no_tf_no_trap);
	RUN(test_btf_makes_non_branch_silent);
	RUN(test_rf_is_cleared);
	return unit_done();
}
