// SPDX-License-Identifier: MIT
/*
 * Cross-guest leak probe, 32-bit: runs after the attacker
 * (hostile_leak_lm) and finds the RESET values of the debug registers,
 * x87, SSE and XCR0 (guest/rt/reset_state.h, SDM 3A Table 9-1), not what
 * the attacker left.  Fails today where the hypervisor does not yet reset
 * that state.
 *
 * Config (test/emu/hostile-suite.cfg): right after probe_reset_lm.
 */
#include "reset_state.h"

int main(void)
{
	test_init("probe_reset");
	/* Nothing may run before these reads that could change the state. */
	probe_debug_regs();
	probe_x87();
	probe_sse();
	probe_xsave();
	test_exit();
}
