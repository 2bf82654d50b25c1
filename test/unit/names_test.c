// SPDX-License-Identifier: MIT
/* Host tests for hv/vmx/names.c. */
#define UNIT_SUITE "vmx_names"
#include "unit.h"

#include <string.h>

#include <hv/vmx/names.h>
#include <hv/vmx/vmcs_defs.h>
#include <lib/x86.h>

static void test_exit_reason_known(void)
{
	CHECK(!strcmp(vmx_exit_reason_name(EXIT_REASON_CPUID), "CPUID"));
	CHECK(!strcmp(vmx_exit_reason_name(EXIT_REASON_TRIPLE_FAULT),
		      "TRIPLE_FAULT"));
	CHECK(!strcmp(vmx_exit_reason_name(EXIT_REASON_EXCEPTION_NMI),
		      "EXCEPTION_NMI"));
	CHECK(!strcmp(vmx_exit_reason_name(EXIT_REASON_INVALID_GUEST_STATE),
		      "INVALID_GUEST_STATE"));
	CHECK(!strcmp(vmx_exit_reason_name(EXIT_REASON_EPT_VIOLATION),
		      "EPT_VIOLATION"));
	CHECK(!strcmp(vmx_exit_reason_name(EXIT_REASON_LOADIWKEY),
		      "LOADIWKEY"));
}

/* Numbers straight from SDM 3C Table C-1, independent of vmcs_defs.h. */
static void test_exit_reason_numbers(void)
{
	CHECK(!strcmp(vmx_exit_reason_name(10), "CPUID"));
	CHECK(!strcmp(vmx_exit_reason_name(12), "HLT"));
	CHECK(!strcmp(vmx_exit_reason_name(18), "VMCALL"));
	CHECK(!strcmp(vmx_exit_reason_name(28), "CR_ACCESS"));
	CHECK(!strcmp(vmx_exit_reason_name(30), "IO_INSTRUCTION"));
	CHECK(!strcmp(vmx_exit_reason_name(33), "INVALID_GUEST_STATE"));
	CHECK(!strcmp(vmx_exit_reason_name(48), "EPT_VIOLATION"));
	CHECK(!strcmp(vmx_exit_reason_name(55), "XSETBV"));
}

static void test_exit_reason_every_defined_has_name(void)
{
	u32 r;

	for (r = 0; r <= EXIT_REASON_MAX; r++) {
		bool reserved = r == 35 || r == 38 || r == 42;

		CHECK(!strcmp(vmx_exit_reason_name(r), "unknown") == reserved);
	}
}

static void test_exit_reason_unknown(void)
{
	CHECK(!strcmp(vmx_exit_reason_name(35), "unknown"));
	CHECK(!strcmp(vmx_exit_reason_name(EXIT_REASON_MAX + 1), "unknown"));
	CHECK(!strcmp(vmx_exit_reason_name(0xffffffffu), "unknown"));
	/* A raw exit-reason field must be reduced to its basic reason. */
	CHECK(!strcmp(vmx_exit_reason_name(VMX_EXIT_REASON_BASIC(
		VMX_EXIT_REASON_ENTRY_FAILURE | EXIT_REASON_INVALID_GUEST_STATE)),
		"INVALID_GUEST_STATE"));
}

static void test_instr_error(void)
{
	CHECK(!strcmp(vmx_instr_error_name(7),
		      "VM entry with invalid control field(s)"));
	CHECK(!strcmp(vmx_instr_error_name(8),
		      "VM entry with invalid host-state field(s)"));
	CHECK(!strcmp(vmx_instr_error_name(VMXERR_VMLAUNCH_NONCLEAR_VMCS),
		      "VMLAUNCH with non-clear VMCS"));
	CHECK(!strcmp(vmx_instr_error_name(VMXERR_VMWRITE_READ_ONLY),
		      "VMWRITE to read-only VMCS component"));
	CHECK(!strcmp(vmx_instr_error_name(26),
		      "VM entry with events blocked by MOV SS"));
}

static void test_instr_error_unknown(void)
{
	CHECK(!strcmp(vmx_instr_error_name(0), "unknown"));
	CHECK(!strcmp(vmx_instr_error_name(14), "unknown"));
	CHECK(!strcmp(vmx_instr_error_name(21), "unknown"));
	CHECK(!strcmp(vmx_instr_error_name(29), "unknown"));
	CHECK(!strcmp(vmx_instr_error_name(1000), "unknown"));
}

static void test_exception(void)
{
	CHECK(!strcmp(vmx_exception_name(X86_VEC_PF), "#PF"));
	CHECK(!strcmp(vmx_exception_name(14), "#PF"));
	CHECK(!strcmp(vmx_exception_name(13), "#GP"));
	CHECK(!strcmp(vmx_exception_name(0), "#DE"));
	CHECK(!strcmp(vmx_exception_name(2), "NMI"));
	CHECK(!strcmp(vmx_exception_name(8), "#DF"));
	CHECK(!strcmp(vmx_exception_name(18), "#MC"));
	CHECK(!strcmp(vmx_exception_name(19), "#XM"));
}

static void test_exception_unknown(void)
{
	CHECK(!strcmp(vmx_exception_name(9), "unknown"));
	CHECK(!strcmp(vmx_exception_name(15), "unknown"));
	CHECK(!strcmp(vmx_exception_name(32), "unknown"));
	CHECK(!strcmp(vmx_exception_name(255), "unknown"));
}

int main(void)
{
	RUN(test_exit_reason_known);
	RUN(test_exit_reason_numbers);
	RUN(test_exit_reason_every_defined_has_name);
	RUN(test_exit_reason_unknown);
	RUN(test_instr_error);
	RUN(test_instr_error_unknown);
	RUN(test_exception);
	RUN(test_exception_unknown);
	return unit_done();
}
