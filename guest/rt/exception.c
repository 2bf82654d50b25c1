// SPDX-License-Identifier: MIT
/* The runtime's IDT and exception dispatcher; see exception.h. */
#include "cpu.h"
#include "exception.h"
#include "printf.h"
#include "rt.h"
#include "test.h"

#define NR_EXC_VECTORS	32

#define GDT_CODE	0x08	/* entry.S's flat code segment */

/* 32-bit interrupt gate, present, DPL 0 (SDM Vol. 3A, 6.11, Figure 6-2). */
#define IDT_INTR_GATE32	0x8e

/* The frame built by exc_stubs.S: pushal, then vector and error code. */
struct exc_frame {
	u32 edi, esi, ebp, esp, ebx, edx, ecx, eax;
	u32 vector;
	u32 error_code;
	u32 eip, cs, eflags;	/* pushed by the CPU; no stack switch */
};

struct idt_gate {
	u16 offset_lo;
	u16 selector;
	u8 zero;
	u8 type_attr;
	u16 offset_hi;
};

_Static_assert(sizeof(struct idt_gate) == 8, "IDT gate is 8 bytes");

extern const u32 exc_stubs[NR_EXC_VECTORS];

static struct idt_gate idt[NR_EXC_VECTORS];

volatile u32 exc_fixup_eip;

static volatile u32 skip_len;
static volatile bool skip_armed;
static volatile bool caught;
static struct exc_info last;
static int unexpected_depth;

static const char *const exc_names[NR_EXC_VECTORS] = {
	[0] = "#DE", [1] = "#DB", [2] = "NMI", [3] = "#BP", [4] = "#OF",
	[5] = "#BR", [6] = "#UD", [7] = "#NM", [8] = "#DF", [10] = "#TS",
	[11] = "#NP", [12] = "#SS", [13] = "#GP", [14] = "#PF", [16] = "#MF",
	[17] = "#AC", [18] = "#MC", [19] = "#XM", [20] = "#VE", [21] = "#CP",
	[29] = "#VC", [30] = "#SX",
};

void exc_init(void)
{
	struct desc_ptr p = {
		.limit = sizeof(idt) - 1,
		.base = (u32)(uintptr_t)idt,
	};
	unsigned int i;

	for (i = 0; i < NR_EXC_VECTORS; i++) {
		idt[i].offset_lo = exc_stubs[i] & 0xffff;
		idt[i].selector = GDT_CODE;
		idt[i].zero = 0;
		idt[i].type_attr = IDT_INTR_GATE32;
		idt[i].offset_hi = exc_stubs[i] >> 16;
	}
	lidt(&p);
}

void exc_clear(void)
{
	caught = false;
	skip_armed = false;
}

void exc_skip(u32 insn_len)
{
	skip_len = insn_len;
	skip_armed = true;
}

int exc_caught(struct exc_info *info)
{
	skip_armed = false;
	if (!caught)
		return EXC_NONE;
	if (info)
		*info = last;
	return (int)last.vector;
}

/*
 * An exception no test asked for: report it with enough state to debug
 * from the log alone, then end the test as failed.  A second one while
 * reporting (say, the console path itself faults) cannot be reported, so
 * it exits at once.
 */
static noreturn void unexpected(const struct exc_info *e)
{
	const char *name = exc_names[e->vector];

	if (unexpected_depth++)
		rt_exit(RT_EXIT_CRASH);
	report(false, "unexpected exception %u (%s) err=%#x eip=%#x cr2=%#x",
	       e->vector, name ? name : "?", e->error_code, e->eip, e->cr2);
	test_exit();
}

void exc_dispatch(struct exc_frame *f);

void exc_dispatch(struct exc_frame *f)
{
	struct exc_info e = {
		.vector = f->vector,
		.error_code = f->error_code,
		.cr2 = read_cr2(),
		.eip = f->eip,
	};

	if (exc_fixup_eip) {
		f->eip = exc_fixup_eip;
		exc_fixup_eip = 0;
	} else if (skip_armed) {
		f->eip += skip_len;
		skip_armed = false;
	} else {
		unexpected(&e);
	}
	last = e;
	caught = true;
}
