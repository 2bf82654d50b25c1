// SPDX-License-Identifier: MIT
/*
 * A hostile guest: interrupts off, a tight loop, no exits of its own.
 * The hypervisor must end it when its time limit passes (config
 * timeout=, expect=killed:timeout) and go on with the next guest.
 */
#include "printf.h"
#include "test.h"

int main(void)
{
	test_init("spin");
	printf("spin: looping with interrupts off until the time limit\n");
	asm volatile("cli");
	for (;;)
		asm volatile("" ::: "memory");
}
