// SPDX-License-Identifier: MIT
/*
 * Clearing CR0.PE from protected mode enters real mode (SDM 3A 9.9.2).
 * Without "unrestricted guest" the hypervisor cannot run it and documents
 * that it ends the guest (README, docs/conventions.md: real mode).
 * Expected outcome: killed:realmode.
 *
 * Config (test/emu/hostile-suite.cfg): expect=killed:realmode
 */
#include "cpu.h"
#include "test.h"

int main(void)
{
	test_init("hostile_kill_realmode");
	write_cr0(read_cr0() & ~X86_CR0_PE);
	report(false, "real_mode_entered");
	test_exit();
}
