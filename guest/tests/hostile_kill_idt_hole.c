// SPDX-License-Identifier: MIT
/*
 * The IDT in unbacked memory.  Every gate reads as all ones: a present
 * 32-bit trap gate, DPL 3, selector 0xffff (an LDT selector with no LDT),
 * so delivering #UD raises #GP, delivering that raises #DF, and
 * delivering #DF through the same gate is a triple fault (SDM 3A 6.15,
 * Interrupt 8; Table 6-5).  Expected outcome: triple-fault.
 *
 * Config (test/emu/hostile-suite.cfg): expect=triple-fault
 */
#include "cpu.h"
#include "test.h"

int main(void)
{
	struct desc_ptr idt = { .limit = 0xfff, .base = 0xa0000 };

	test_init("hostile_kill_idt_hole");
	printf("hostile_kill_idt_hole: IDT at unbacked 0xa0000, then ud2\n");
	lidt(&idt);
	asm volatile("ud2");
	report(false, "survived_ud2_with_idt_in_hole");
	test_exit();
}
