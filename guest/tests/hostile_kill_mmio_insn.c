// SPDX-License-Identifier: MIT
/*
 * A read-modify-write instruction (ADD to memory) on unbacked memory.  On a
 * PC the load reads all ones and the store is dropped.  The hypervisor's
 * MMIO emulator decodes MOV forms only and documents that any other
 * instruction ends the guest (docs/conventions.md: "an undecodable MMIO
 * instruction").  Expected outcome: killed:mmio, not a wrong result.
 *
 * Config (test/emu/hostile-suite.cfg): expect=killed:mmio
 */
#include "test.h"

int main(void)
{
	test_init("hostile_kill_mmio_insn");
	asm volatile("addl $1, (%0)" : : "r"(0xa0000) : "memory");
	report(false, "add_to_hole_was_emulated");
	test_exit();
}
