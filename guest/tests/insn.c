// SPDX-License-Identifier: MIT
/*
 * Instructions that always exit in VMX non-root operation and that the
 * hypervisor must complete the way a processor without VMX would: the VMX
 * instructions raise #UD (CPUID hides VMX), INVD and WBINVD just retire.
 */
#include "exception.h"
#include "test.h"

static u64 region;

int main(void)
{
	int vec;

	test_init("insn");

	exc_clear();
	asm volatile(ASM_TRY_BEGIN "vmxoff" ASM_TRY_END ::: "memory");
	vec = exc_caught(NULL);
	report(vec == UD_VECTOR, "vmxoff_ud (%d)", vec);

	exc_clear();
	asm volatile(ASM_TRY_BEGIN "vmxon %0" ASM_TRY_END
		     : : "m"(region) : "memory");
	vec = exc_caught(NULL);
	report(vec == UD_VECTOR, "vmxon_ud (%d)", vec);

	exc_clear();
	asm volatile(ASM_TRY_BEGIN "vmclear %0" ASM_TRY_END
		     : : "m"(region) : "memory");
	vec = exc_caught(NULL);
	report(vec == UD_VECTOR, "vmclear_ud (%d)", vec);

	exc_clear();
	asm volatile(ASM_TRY_BEGIN "invd" ASM_TRY_END ::: "memory");
	vec = exc_caught(NULL);
	report(vec == EXC_NONE, "invd_retires (%d)", vec);

	exc_clear();
	asm volatile(ASM_TRY_BEGIN "wbinvd" ASM_TRY_END ::: "memory");
	vec = exc_caught(NULL);
	report(vec == EXC_NONE, "wbinvd_retires (%d)", vec);

	test_exit();
}
