// SPDX-License-Identifier: MIT
/*
 * Instructions the hypervisor must complete the way a processor without
 * VMX would.  The VMX instructions and INVD always exit in VMX non-root
 * operation (SDM 3C 26.1.2): the VMX ones must raise #UD (CPUID hides VMX)
 * and INVD must retire.  WBINVD exits only under the "WBINVD exiting"
 * control, which Aperture leaves clear, so it runs natively: the case
 * checks that it retires, not that the hypervisor saw it.
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
