// SPDX-License-Identifier: MIT
/*
 * An exception frame pushed onto a stack in unbacked memory (the VGA hole,
 * paging off).  On a PC the pushes go nowhere and the handler runs; here
 * the handler does not touch the stack (it reloads ESP and jumps back), so
 * the guest would go on.  The hypervisor documents that an event delivery
 * touching unbacked memory ends the guest (hv/exit/page_fault.c,
 * fault_in_delivery: "delivering vector N touched unbacked gpa"), so the
 * expected outcome is killed:mmio, never a hang or a hypervisor fault.
 *
 * Config (test/emu/hostile-suite.cfg): expect=killed:mmio
 */
#include "cpu.h"
#include "test.h"

struct gate32 {
	u16 off_lo, sel;
	u8 zero, type_attr;
	u16 off_hi;
};

u32 good_esp;
void bp_stub(void);
void bp_back(void);
asm(".text\n.globl bp_stub\nbp_stub:\n\t"
    "movl good_esp, %esp\n\t"
    "jmp bp_back\n");

int main(void)
{
	struct desc_ptr p;
	struct gate32 *g;
	u32 h = (u32)(uintptr_t)bp_stub;

	test_init("hostile_kill_stack_hole");
	asm volatile("sidt %0" : "=m"(p));
	g = (struct gate32 *)p.base + 3;
	g->off_lo = h & 0xffff;
	g->off_hi = h >> 16;
	printf("hostile_kill_stack_hole: ESP in the hole, then int3\n");
	asm volatile("movl %%esp, good_esp\n\t"
		     "movl $0xa8000, %%esp\n\t"
		     "int3\n"
		     ".globl bp_back\nbp_back:" ::: "memory");
	/* Reached only if the delivery did not end the guest. */
	report(false, "handler_ran_with_frame_in_hole (want killed:mmio)");
	test_exit();
}
