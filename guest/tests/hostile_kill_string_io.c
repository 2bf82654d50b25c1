// SPDX-License-Identifier: MIT
/*
 * String I/O: REP OUTSB to COM1 would print the bytes on hardware.  The
 * hypervisor documents that it does not emulate INS/OUTS and ends the
 * guest (docs/conventions.md, hv/exit/io.c).  Expected outcome:
 * killed:io, and the next guest runs.
 *
 * Config (test/emu/hostile-suite.cfg): expect=killed:io
 */
#include "test.h"

static const char msg[] = "rep outsb\n";

int main(void)
{
	test_init("hostile_kill_string_io");
	asm volatile("rep outsb"
		     : : "S"(msg), "c"(sizeof(msg) - 1), "d"(0x3f8) : "memory");
	report(false, "string_io_was_emulated");
	test_exit();
}
