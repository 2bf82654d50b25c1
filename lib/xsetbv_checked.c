// SPDX-License-Identifier: MIT
/*
 * The fixup works on a copy of the firmware's IDT whose #GP gate points
 * at xsetbv_gp_stub (xsetbv_stub.S), loaded only around the one XSETBV
 * with interrupts off: every other vector still reaches the firmware's
 * handler, so an NMI in the window is handled as before.
 */
#include <lib/cpu.h>
#include <lib/errno.h>
#include <lib/string.h>
#include <lib/x86.h>
#include <lib/xsetbv_checked.h>

/* A 64-bit IDT gate descriptor (SDM 3A 6.14.1, Figure 6-8). */
struct idt_gate64 {
	u16 offset0;
	u16 selector;
	u8 ist;
	u8 type_attr;
	u16 offset1;
	u32 offset2;
	u32 reserved;
} __packed;

#define IDT_ENTRIES		256
#define GATE_INTERRUPT_PRESENT	0x8e	/* P = 1, DPL 0, 64-bit interrupt gate */

/* xsetbv_stub.S: 0, or 1 if the XSETBV faulted. */
int xsetbv_try(u64 val);
void xsetbv_gp_stub(void);

static struct idt_gate64 fixup_idt[IDT_ENTRIES] __aligned(16);

int xsetbv_checked(u64 val)
{
	uintptr_t stub = (uintptr_t)xsetbv_gp_stub;
	struct desc_ptr fw, ours;
	size_t len;
	u64 flags = read_rflags();
	int faulted;

	local_irq_disable();
	sidt(&fw);
	len = MIN((size_t)fw.limit + 1, sizeof(fixup_idt));
	memset(fixup_idt, 0, sizeof(fixup_idt));
	memcpy(fixup_idt, (const void *)(uintptr_t)fw.base, len);
	fixup_idt[X86_VEC_GP] = (struct idt_gate64){
		.offset0 = stub,
		.selector = read_cs(),
		.type_attr = GATE_INTERRUPT_PRESENT,
		.offset1 = stub >> 16,
		.offset2 = stub >> 32,
	};
	ours.base = (uintptr_t)fixup_idt;
	ours.limit = MAX((size_t)fw.limit,
			 (X86_VEC_GP + 1) * sizeof(struct idt_gate64) - 1);
	lidt(&ours);
	faulted = xsetbv_try(val);
	lidt(&fw);
	if (flags & X86_RFLAGS_IF)
		local_irq_enable();
	return faulted ? -EFAULT : 0;
}
