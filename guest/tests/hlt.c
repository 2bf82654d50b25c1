// SPDX-License-Identifier: MIT
/*
 * HLT with interrupts off can never wake up, so the hypervisor ends the
 * guest (the test config expects killed:hlt).
 */
#include "test.h"

int main(void)
{
	test_init("hlt");
	printf("hlt: executing cli; hlt\n");
	asm volatile("cli; hlt");
	report(false, "hlt_returned");
	test_exit();
}
