// SPDX-License-Identifier: MIT
/*
 * With an empty IDT every exception fails to deliver: int3 raises #GP for
 * the missing gate, #GP itself cannot be delivered so it becomes #DF, and a
 * #DF that cannot be delivered is a triple fault (SDM Vol. 3A, 6.15,
 * "Interrupt 8"), a shutdown the test config expects as triple-fault.
 */
#include "cpu.h"
#include "test.h"

int main(void)
{
	static const struct desc_ptr empty_idt = { .limit = 0, .base = 0 };

	test_init("triple_fault");
	printf("triple_fault: loading an empty IDT, then int3\n");
	lidt(&empty_idt);
	asm volatile("int3");
	asm volatile("ud2");
	/* Unreachable unless the CPU delivered through a zero-limit IDT. */
	report(false, "survived_empty_idt");
	test_exit();
}
