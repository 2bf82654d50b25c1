// SPDX-License-Identifier: MIT
/* The runtime's IDT and exception dispatcher; see exception.h. */
#include "cpu.h"
#include "exception.h"
#include "printf.h"
#include "rt.h"
#include "test.h"

#define NR_EXC_VECTORS	32

#define GDT_CODE	0x08	/* entry.S's (entry64.S's) flat code segment */

/*
 * Interrupt gate, present, DPL 0: type 0xe is a 32-bit gate in protected
 * mode and a 64-bit one in IA-32e mode (SDM Vol. 3A, 6.11 and 6.14.1).
 */
#define IDT_INTR_GATE	0x8e

#ifdef __x86_64__
/*
 * The frame built by guest/rt64/exc_stubs64.S: the 15 GPRs, then vector
 * and error code.  In IA-32e mode the CPU always pushes SS:RSP (SDM 3A
 * 6.14.2).
 */
struct exc_frame {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rdi, rsi, rbp, rbx, rdx, rcx, rax;
	u64 vector;
	u64 error_code;
	u64 ip, cs, flags, sp, ss;
};
#else
/* The frame built by exc_stubs.S: pushal, then vector and error code. */
struct exc_frame {
	u32 edi, esi, ebp, esp, ebx, edx, ecx, eax;
	u32 vector;
	u32 error_code;
	u32 ip, cs, flags;	/* pushed by the CPU; no stack switch */
};
#endif

/* A 64-bit gate appends bits 63:32 of the offset and a reserved dword. */
struct idt_gate {
	u16 offset_lo;
	u16 selector;
	u8 zero;		/* IST 0 in IA-32e mode: no stack switch */
	u8 type_attr;
	u16 offset_mid;
#ifdef __x86_64__
	u32 offset_hi;
	u32 reserved;
#endif
};

_Static_assert(sizeof(struct idt_gate) == 2 * sizeof(uintptr_t),
	       "IDT gate is 8 bytes, 16 in IA-32e mode");

extern const uintptr_t exc_stubs[NR_EXC_VECTORS];

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
		.base = (uintptr_t)idt,
	};
	unsigned int i;

	for (i = 0; i < NR_EXC_VECTORS; i++) {
		idt[i].offset_lo = exc_stubs[i] & 0xffff;
		idt[i].selector = GDT_CODE;
		idt[i].zero = 0;
		idt[i].type_attr = IDT_INTR_GATE;
		idt[i].offset_mid = (exc_stubs[i] >> 16) & 0xffff;
#ifdef __x86_64__
		idt[i].offset_hi = exc_stubs[i] >> 32;
		idt[i].reserved = 0;
#endif
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
		.eip = f->ip,
	};

	if (exc_fixup_eip) {
		f->ip = exc_fixup_eip;
		exc_fixup_eip = 0;
	} else if (skip_armed) {
		f->ip += skip_len;
		skip_armed = false;
	} else {
		unexpected(&e);
	}
	last = e;
	caught = true;
}
