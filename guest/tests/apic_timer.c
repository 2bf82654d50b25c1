// SPDX-License-Identifier: MIT
/*
 * The local APIC as a 32-bit guest uses it through the xAPIC page (paging
 * off: the page at 0xfee00000 is reached directly): its reset state, the
 * one-shot timer waking a HLT, EOI, and an interrupt that waits while
 * IF = 0 and is taken right after STI's one-instruction shadow (SDM 3A
 * 10.5.4, 10.8.5, 6.8.3).
 */
#include "cpu.h"
#include "string.h"
#include "test.h"

#define APIC_BASE_MSR	0x1b
#define APIC_PAGE	0xfee00000u
#define APIC_VERSION	0x030
#define APIC_EOI	0x0b0
#define APIC_SVR	0x0f0
#define APIC_LVT_TIMER	0x320
#define APIC_TICR	0x380
#define APIC_TCCR	0x390
#define APIC_TDCR	0x3e0
#define TIMER_VECTOR	0x40
#define IDT_INTR_GATE	0x8e
#define CPUID_1_EDX_APIC (1u << 9)

struct gate32 {
	u16 offset_lo, selector;
	u8 zero, type_attr;
	u16 offset_hi;
} __attribute__((packed));

static struct gate32 idt[256] __attribute__((aligned(8)));
volatile u32 timer_hits;

/* The timer's handler: count, EOI, return. */
void timer_isr(void);
asm(".text\n"
    ".globl timer_isr\n"
    "timer_isr:\n"
    "	incl timer_hits\n"
    "	movl $0, " "0xfee000b0" "\n"
    "	iret\n");

static volatile u32 *apic(u32 reg)
{
	return (volatile u32 *)(uintptr_t)(APIC_PAGE + reg);
}

static u16 read_cs(void)
{
	u16 cs;

	asm volatile("mov %%cs, %0" : "=r"(cs));
	return cs;
}

/* The runtime's 32 exception gates, and ours for the timer. */
static void install_idt(void)
{
	struct desc_ptr old, p;
	uintptr_t isr = (uintptr_t)timer_isr;

	asm volatile("sidt %0" : "=m"(old));
	memcpy(idt, (const void *)(uintptr_t)old.base, old.limit + 1);
	idt[TIMER_VECTOR] = (struct gate32){
		.offset_lo = isr & 0xffff, .selector = read_cs(),
		.type_attr = IDT_INTR_GATE, .offset_hi = isr >> 16,
	};
	p.limit = sizeof(idt) - 1;
	p.base = (uintptr_t)idt;
	lidt(&p);
}

int main(void)
{
	u64 base;

	test_init("apic_timer");
	report(cpuid(1).edx & CPUID_1_EDX_APIC, "cpuid_shows_apic");
	base = rdmsr(APIC_BASE_MSR);
	/* xAPIC at 0xfee00000, enabled, BSP (SDM 3A 10.4.4). */
	report(base == (APIC_PAGE | 0x900), "apic_base_reset (%#llx)", base);
	report((*apic(APIC_VERSION) & 0xff) == 0x14, "version_register");
	report(*apic(APIC_SVR) == 0xff, "svr_reset (%#x)", *apic(APIC_SVR));

	install_idt();
	*apic(APIC_SVR) = 0x1ff;			/* software enable */
	*apic(APIC_TDCR) = 0xb;				/* divide by 1 */
	*apic(APIC_LVT_TIMER) = TIMER_VECTOR;		/* one-shot */
	*apic(APIC_TICR) = 100000;
	asm volatile("sti; hlt; cli" ::: "memory");
	report(timer_hits == 1, "hlt_woken_by_timer (%u)", timer_hits);
	report(*apic(APIC_TCCR) == 0, "one_shot_count_expired");

	/* Pending with IF = 0, taken after STI's shadow. */
	*apic(APIC_TICR) = 1000;
	while (*apic(APIC_TCCR))
		;
	report(timer_hits == 1, "held_while_if_clear (%u)", timer_hits);
	asm volatile("sti; nop; cli" ::: "memory");
	report(timer_hits == 2, "taken_after_sti (%u)", timer_hits);
	test_exit();
}
