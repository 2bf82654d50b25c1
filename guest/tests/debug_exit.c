// SPDX-License-Identifier: MIT
/*
 * Exit through the emulated isa-debug-exit port; the test config expects
 * exit:7.  The byte written is the status, as QEMU's device defines it.
 */
#include "io.h"
#include "rt.h"
#include "test.h"

#define EXIT_STATUS	7

int main(void)
{
	test_init("debug_exit");
	printf("debug_exit: exiting with %d via outb(%#x)\n", EXIT_STATUS,
	       DEBUG_EXIT_PORT);
	outb(DEBUG_EXIT_PORT, EXIT_STATUS);
	report(false, "debug_exit_returned");
	test_exit();
}
