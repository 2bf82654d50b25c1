// SPDX-License-Identifier: MIT
/*
 * Cross-guest leak probe, 64-bit: runs right after the attacker
 * (hostile_leak_lm) and checks every piece of state it set: CR8, DR0-3,
 * DR6, DR7, x87 (including a pending exception), MXCSR, XMM0-15, YMM
 * upper halves, XCR0, IA32_KERNEL_GS_BASE (by RDMSR and through SWAPGS),
 * STAR/LSTAR/CSTAR/FMASK and TSC_AUX, against the RESET values
 * (guest/rt/reset_state.h).  Fails today where the hypervisor does not
 * yet isolate that state.
 *
 * Config (test/emu/hostile-suite.cfg): right after hostile_leak_lm.
 */
#include "reset_state.h"

int main(void)
{
	test_init("probe_reset_lm");
	probe_long_mode();
	probe_debug_regs();
	probe_x87();
	probe_sse();
	probe_xsave();
	test_exit();
}
