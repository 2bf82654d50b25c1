// SPDX-License-Identifier: MIT
/*
 * The local APIC model (hv/dev/lapic.c) against Intel SDM Vol. 3A
 * chapter 10: priorities, EOI, the ESR, IPIs, the LVT, the timer's three
 * modes, the IA32_APIC_BASE state machine and the x2APIC MSR rules.
 */
#define UNIT_SUITE "lapic"
#include "unit.h"

#include <lib/string.h>
#include <hv/dev/lapic.h>

#define TPB	10	/* TSC ticks per bus tick */

static struct lapic l;
static int eoi_count;
static int eoi_last;
static int ctx_token;

static void eoi_cb(void *ctx, u8 vector)
{
	CHECK(ctx == &ctx_token);
	eoi_count++;
	eoi_last = vector;
}

static u32 rd(u32 reg)
{
	return lapic_mmio_read(&l, reg, 4, 0);
}

static void wr(u32 reg, u32 val)
{
	lapic_mmio_write(&l, reg, 4, val, 0);
}

/* An enabled xAPIC with ID 3, as a guest sets it up. */
static void setup(void)
{
	lapic_init(&l, 3, TPB, 39, eoi_cb, &ctx_token);
	eoi_count = 0;
	eoi_last = -1;
	wr(LAPIC_REG_SVR, APIC_SVR_ENABLE | 0xff);
}

static void to_x2apic(void)
{
	CHECK_EQ(lapic_set_base(&l, LAPIC_DEFAULT_BASE | APIC_BASE_BSP |
				    APIC_BASE_EN | APIC_BASE_EXTD),
		 LAPIC_ACCESS_OK);
}

/* 10.4.7.1: the power-up register values. */
static void test_reset_state(void)
{
	lapic_init(&l, 3, TPB, 39, NULL, NULL);
	CHECK_EQ(lapic_get_base(&l), 0xfee00900);
	CHECK_EQ(lapic_mode(&l), LAPIC_XAPIC);
	CHECK_EQ(rd(LAPIC_REG_ID), 3u << 24);
	CHECK_EQ(rd(LAPIC_REG_SVR), 0xff);
	CHECK_EQ(rd(LAPIC_REG_DFR), 0xffffffff);
	for (u32 r = LAPIC_REG_LVT_TIMER; r <= LAPIC_REG_LVT_ERROR; r += 16)
		CHECK_EQ(rd(r), APIC_LVT_MASKED);
	CHECK_EQ(rd(LAPIC_REG_TPR), 0);
	CHECK_EQ(rd(LAPIC_REG_TIMER_INIT), 0);
}

/* 10.4.8: version 0x14, max LVT entry = 6 entries - 1, no EOI suppression. */
static void test_version(void)
{
	setup();
	CHECK_EQ(rd(LAPIC_REG_VERSION), 0x00050014);
	wr(LAPIC_REG_VERSION, 0);
	CHECK_EQ(rd(LAPIC_REG_VERSION), 0x00050014);
}

/* 10.8.3.1: PPR = TPR when TPR[7:4] >= ISRV[7:4], else ISRV[7:4]:0. */
static void test_ppr(void)
{
	setup();
	wr(LAPIC_REG_TPR, 0x35);
	CHECK_EQ(rd(LAPIC_REG_PPR), 0x35);
	lapic_set_irq(&l, 0x52, false);
	lapic_ack(&l, 0x52);
	CHECK_EQ(rd(LAPIC_REG_PPR), 0x50);
	wr(LAPIC_REG_TPR, 0x5a);
	CHECK_EQ(rd(LAPIC_REG_PPR), 0x5a);	/* equal classes: TPR wins */
	CHECK_EQ(rd(LAPIC_REG_APR), 0);
}

/* 10.8.3.1/10.8.4: only an IRR class above PPR[7:4] is delivered, the
 * highest vector first. */
static void test_priority_arbitration(void)
{
	setup();
	lapic_set_irq(&l, 0x41, false);
	lapic_set_irq(&l, 0x62, false);
	lapic_set_irq(&l, 0x61, false);
	CHECK_EQ(lapic_pending_vector(&l), 0x62);
	wr(LAPIC_REG_TPR, 0x60);
	CHECK_EQ(lapic_pending_vector(&l), LAPIC_NO_VECTOR);
	wr(LAPIC_REG_TPR, 0x5f);
	CHECK_EQ(lapic_pending_vector(&l), 0x62);
	lapic_ack(&l, 0x62);
	/* 0x61 is in the class now in service: held until the EOI. */
	CHECK_EQ(lapic_pending_vector(&l), LAPIC_NO_VECTOR);
	wr(LAPIC_REG_EOI, 0);
	CHECK_EQ(lapic_pending_vector(&l), 0x61);
}

/* 10.8.4: acceptance moves IRR to ISR. */
static void test_ack_moves_irr_to_isr(void)
{
	setup();
	lapic_set_irq(&l, 0x45, false);
	CHECK_EQ(rd(LAPIC_REG_IRR + 0x20), 1u << 5);
	lapic_ack(&l, 0x45);
	CHECK_EQ(rd(LAPIC_REG_IRR + 0x20), 0);
	CHECK_EQ(rd(LAPIC_REG_ISR + 0x20), 1u << 5);
}

/* 10.8.5: EOI retires the highest ISR vector first (nested interrupts). */
static void test_eoi_order(void)
{
	setup();
	lapic_set_irq(&l, 0x30, false);
	lapic_ack(&l, 0x30);
	lapic_set_irq(&l, 0x80, false);
	lapic_ack(&l, 0x80);
	CHECK_EQ(lapic_eoi(&l), LAPIC_NO_VECTOR);
	CHECK_EQ(rd(LAPIC_REG_ISR + 0x40), 0);
	CHECK_EQ(rd(LAPIC_REG_ISR + 0x10), 1u << 16);
	wr(LAPIC_REG_EOI, 0);
	CHECK_EQ(rd(LAPIC_REG_ISR + 0x10), 0);
	CHECK_EQ(eoi_count, 0);		/* edge-triggered: no broadcast */
}

/* 10.8.4/10.8.5: a level-triggered vector sets TMR and its EOI is
 * broadcast to the I/O APICs. */
static void test_level_eoi_broadcast(void)
{
	setup();
	lapic_set_irq(&l, 0x71, true);
	CHECK_EQ(rd(LAPIC_REG_TMR + 0x30), 1u << 17);
	lapic_ack(&l, 0x71);
	wr(LAPIC_REG_EOI, 0);
	CHECK_EQ(eoi_count, 1);
	CHECK_EQ(eoi_last, 0x71);
	lapic_set_irq(&l, 0x71, false);	/* edge clears the TMR bit */
	CHECK_EQ(rd(LAPIC_REG_TMR + 0x30), 0);
}

/* 10.5.2 + 10.5.3: vectors 0-15 are illegal; the ESR shows errors only
 * after a write, which also clears the previous ones. */
static void test_esr_write_then_read(void)
{
	setup();
	lapic_set_irq(&l, 5, false);
	CHECK_EQ(rd(LAPIC_REG_IRR), 0);
	CHECK_EQ(rd(LAPIC_REG_ESR), 0);		/* not latched yet */
	wr(LAPIC_REG_ESR, 0);
	CHECK_EQ(rd(LAPIC_REG_ESR), APIC_ESR_RECV_ILLEGAL);
	wr(LAPIC_REG_ESR, 0);
	CHECK_EQ(rd(LAPIC_REG_ESR), 0);
}

/* 10.5.3: an error raises the LVT error vector when unmasked. */
static void test_error_lvt(void)
{
	setup();
	wr(LAPIC_REG_LVT_ERROR, 0xe3);
	wr(LAPIC_REG_ICR_LO, APIC_ICR_SH_SELF | 3);	/* illegal vector */
	CHECK_EQ(lapic_pending_vector(&l), 0xe3);
	wr(LAPIC_REG_ESR, 0);
	CHECK_EQ(rd(LAPIC_REG_ESR), APIC_ESR_SEND_ILLEGAL);
}

/* 10.4.7.2: software-disabled forces the LVT masks on and drops fixed
 * interrupts. */
static void test_svr_software_disable(void)
{
	setup();
	wr(LAPIC_REG_LVT_LINT0, 0x700);		/* ExtINT, unmasked */
	CHECK_EQ(rd(LAPIC_REG_LVT_LINT0), 0x700);
	wr(LAPIC_REG_SVR, 0xff);
	CHECK_EQ(rd(LAPIC_REG_LVT_LINT0), 0x10700);
	wr(LAPIC_REG_LVT_LINT0, 0x700);
	CHECK_EQ(rd(LAPIC_REG_LVT_LINT0), 0x10700);
	lapic_set_irq(&l, 0x40, false);
	CHECK_EQ(rd(LAPIC_REG_IRR + 0x20), 0);
	wr(LAPIC_REG_SVR, 0x1ff);
	wr(LAPIC_REG_LVT_LINT0, 0x700);
	CHECK_EQ(rd(LAPIC_REG_LVT_LINT0), 0x700);
}

/* 10.5.1 Figure 10-8: each LVT keeps only its defined bits; delivery
 * status and remote IRR are read-only. */
static void test_lvt_writable_bits(void)
{
	setup();
	wr(LAPIC_REG_LVT_TIMER, 0xffffffff);
	CHECK_EQ(rd(LAPIC_REG_LVT_TIMER), 0x000700ff);
	wr(LAPIC_REG_LVT_ERROR, 0xffffffff);
	CHECK_EQ(rd(LAPIC_REG_LVT_ERROR), 0x000100ff);
	wr(LAPIC_REG_LVT_PERF, 0xffffffff);
	CHECK_EQ(rd(LAPIC_REG_LVT_PERF), 0x000107ff);
	wr(LAPIC_REG_LVT_LINT1, 0xffffffff);
	CHECK_EQ(rd(LAPIC_REG_LVT_LINT1), 0x0001a7ff);
}

/* 10.6.2.2 (Figures 10-13, 10-14) and 10.6.1 (Figure 10-12): the
 * writable bits of DFR (28 ones), LDR and the ICR; delivery status reads
 * idle. */
static void test_ldr_dfr_icr_bits(void)
{
	setup();
	wr(LAPIC_REG_DFR, 0);
	CHECK_EQ(rd(LAPIC_REG_DFR), 0x0fffffff);
	wr(LAPIC_REG_LDR, 0xffffffff);
	CHECK_EQ(rd(LAPIC_REG_LDR), 0xff000000);
	wr(LAPIC_REG_ICR_HI, 0xffffffff);
	CHECK_EQ(rd(LAPIC_REG_ICR_HI), 0xff000000);
	wr(LAPIC_REG_ICR_LO, 0xffffffff & ~(7u << 8));	/* INIT-free junk */
	CHECK_EQ(rd(LAPIC_REG_ICR_LO), 0x000cc8ff);
}

/* 10.6.1: a self IPI arrives at once and the ICR reads idle. */
static void test_self_ipi(void)
{
	setup();
	wr(LAPIC_REG_ICR_LO, APIC_ICR_SH_SELF | 0x55);
	CHECK_EQ(lapic_pending_vector(&l), 0x55);
	CHECK_EQ(rd(LAPIC_REG_ICR_LO), APIC_ICR_SH_SELF | 0x55);
}

/* 10.6.1: all-excluding-self with one CPU reaches no one but completes;
 * all-including-self reaches us. */
static void test_ipi_shorthands(void)
{
	setup();
	wr(LAPIC_REG_ICR_LO, APIC_ICR_SH_OTHERS | 0x66);
	CHECK_EQ(lapic_pending_vector(&l), LAPIC_NO_VECTOR);
	CHECK_EQ(rd(LAPIC_REG_ICR_LO) & APIC_ICR_BUSY, 0);
	wr(LAPIC_REG_ICR_LO, APIC_ICR_SH_ALL | 0x67);
	CHECK_EQ(lapic_pending_vector(&l), 0x67);
}

/* 10.6.2: physical and logical (flat, cluster) destinations. */
static void test_ipi_destinations(void)
{
	setup();
	wr(LAPIC_REG_ICR_HI, 4u << 24);
	wr(LAPIC_REG_ICR_LO, 0x40);
	CHECK_EQ(lapic_pending_vector(&l), LAPIC_NO_VECTOR);
	wr(LAPIC_REG_ICR_HI, 3u << 24);
	wr(LAPIC_REG_ICR_LO, 0x41);
	CHECK_EQ(lapic_pending_vector(&l), 0x41);
	wr(LAPIC_REG_LDR, 0x02u << 24);
	wr(LAPIC_REG_ICR_HI, 0x06u << 24);
	wr(LAPIC_REG_ICR_LO, APIC_ICR_LOGICAL | 0x50);
	CHECK_EQ(lapic_pending_vector(&l), 0x50);
	wr(LAPIC_REG_DFR, 0);			/* cluster model */
	wr(LAPIC_REG_LDR, 0x21u << 24);
	wr(LAPIC_REG_ICR_HI, 0x11u << 24);	/* wrong cluster */
	wr(LAPIC_REG_ICR_LO, APIC_ICR_LOGICAL | 0x90);
	CHECK_EQ(lapic_pending_vector(&l), 0x50);
	wr(LAPIC_REG_ICR_HI, 0x23u << 24);
	wr(LAPIC_REG_ICR_LO, APIC_ICR_LOGICAL | 0x91);
	CHECK_EQ(lapic_pending_vector(&l), 0x91);
}

/* 10.6.1: an NMI IPI to self is the caller's to inject. */
static void test_nmi_ipi(void)
{
	setup();
	wr(LAPIC_REG_ICR_LO, APIC_ICR_SH_SELF | APIC_ICR_DM_NMI);
	CHECK(l.nmi_pending);
	CHECK_EQ(lapic_pending_vector(&l), LAPIC_NO_VECTOR);
}

/* 10.8.6.1: CR8[3:0] is TPR[7:4]. */
static void test_cr8(void)
{
	setup();
	lapic_set_cr8(&l, 0xa);
	CHECK_EQ(rd(LAPIC_REG_TPR), 0xa0);
	wr(LAPIC_REG_TPR, 0x7f);
	CHECK_EQ(lapic_get_cr8(&l), 7);
}

/* 10.5.4, Table 10-10: one-shot counts down at bus/divisor, then stays 0
 * and interrupts once. */
static void test_timer_oneshot(void)
{
	u64 due;

	setup();
	wr(LAPIC_REG_TIMER_DIV, 0x1);		/* divide by 4 */
	wr(LAPIC_REG_LVT_TIMER, 0x40);
	lapic_mmio_write(&l, LAPIC_REG_TIMER_INIT, 4, 100, 1000);
	CHECK(lapic_timer_due(&l, &due));
	CHECK_EQ(due, 1000 + 100 * 4 * TPB);
	CHECK_EQ(lapic_mmio_read(&l, LAPIC_REG_TIMER_CUR, 4, 1000 + 40 * 10),
		 90);
	CHECK(!lapic_timer_fire(&l, due - 1));
	CHECK_EQ(lapic_pending_vector(&l), LAPIC_NO_VECTOR);
	CHECK(lapic_timer_fire(&l, due));
	CHECK_EQ(lapic_pending_vector(&l), 0x40);
	CHECK(!lapic_timer_due(&l, &due));
	CHECK_EQ(lapic_mmio_read(&l, LAPIC_REG_TIMER_CUR, 4, 99999), 0);
	CHECK(!lapic_timer_fire(&l, 99999));
}

/* Table 10-10: each divide encoding. */
static void test_timer_divide_values(void)
{
	static const struct { u32 enc, div; } t[] = {
		{ 0x0, 2 }, { 0x1, 4 }, { 0x2, 8 }, { 0x3, 16 },
		{ 0x8, 32 }, { 0x9, 64 }, { 0xa, 128 }, { 0xb, 1 },
	};
	u64 due;

	for (unsigned int i = 0; i < ARRAY_SIZE(t); i++) {
		setup();
		wr(LAPIC_REG_TIMER_DIV, t[i].enc);
		CHECK_EQ(rd(LAPIC_REG_TIMER_DIV), t[i].enc);
		lapic_mmio_write(&l, LAPIC_REG_TIMER_INIT, 4, 7, 0);
		CHECK(lapic_timer_due(&l, &due));
		CHECK_EQ(due, 7ull * t[i].div * TPB);
	}
}

/* 10.5.4: periodic reloads from the initial count; missed periods
 * coalesce and the phase is kept. */
static void test_timer_periodic(void)
{
	u64 due;

	setup();
	wr(LAPIC_REG_TIMER_DIV, 0xb);		/* divide by 1 */
	wr(LAPIC_REG_LVT_TIMER, APIC_LVT_TIMER_PERIODIC | 0x41);
	lapic_mmio_write(&l, LAPIC_REG_TIMER_INIT, 4, 10, 0);	/* 100 TSC */
	CHECK_EQ(lapic_mmio_read(&l, LAPIC_REG_TIMER_CUR, 4, 130), 7);
	CHECK(lapic_timer_fire(&l, 100));
	CHECK(lapic_timer_due(&l, &due));
	CHECK_EQ(due, 200);
	lapic_ack(&l, 0x41);
	lapic_eoi(&l);
	CHECK(lapic_timer_fire(&l, 450));
	CHECK(lapic_timer_due(&l, &due));
	CHECK_EQ(due, 500);
	CHECK_EQ(lapic_pending_vector(&l), 0x41);
	CHECK_EQ(lapic_mmio_read(&l, LAPIC_REG_TIMER_CUR, 4, 450), 5);
}

/* 10.5.1: a masked timer counts but does not interrupt. */
static void test_timer_masked(void)
{
	setup();
	wr(LAPIC_REG_LVT_TIMER, APIC_LVT_MASKED | 0x40);
	lapic_mmio_write(&l, LAPIC_REG_TIMER_INIT, 4, 1, 0);
	CHECK(lapic_timer_fire(&l, 1000));
	CHECK_EQ(lapic_pending_vector(&l), LAPIC_NO_VECTOR);
}

/* 10.5.4: writing 0 to the initial count stops the timer. */
static void test_timer_stop(void)
{
	u64 due;

	setup();
	wr(LAPIC_REG_LVT_TIMER, 0x40);
	lapic_mmio_write(&l, LAPIC_REG_TIMER_INIT, 4, 50, 0);
	lapic_mmio_write(&l, LAPIC_REG_TIMER_INIT, 4, 0, 10);
	CHECK(!lapic_timer_due(&l, &due));
	CHECK(!lapic_timer_fire(&l, 1ull << 40));
}

/* 10.5.4.1: TSC-deadline fires at the MSR value, clears it; the initial
 * count is ignored and the current count reads 0 in that mode; the MSR
 * reads 0 and ignores writes in the other modes. */
static void test_timer_tsc_deadline(void)
{
	u64 due;

	setup();
	lapic_set_tsc_deadline(&l, 5000);
	CHECK_EQ(lapic_get_tsc_deadline(&l), 0);
	wr(LAPIC_REG_LVT_TIMER, APIC_LVT_TIMER_TSCDEADLINE | 0x42);
	lapic_mmio_write(&l, LAPIC_REG_TIMER_INIT, 4, 100, 0);
	CHECK_EQ(rd(LAPIC_REG_TIMER_INIT), 0);
	lapic_set_tsc_deadline(&l, 5000);
	CHECK_EQ(lapic_get_tsc_deadline(&l), 5000);
	CHECK(lapic_timer_due(&l, &due));
	CHECK_EQ(due, 5000);
	CHECK(!lapic_timer_fire(&l, 4999));
	CHECK(lapic_timer_fire(&l, 5000));
	CHECK_EQ(lapic_pending_vector(&l), 0x42);
	CHECK_EQ(lapic_get_tsc_deadline(&l), 0);
	CHECK(!lapic_timer_due(&l, &due));
}

/* 10.5.4.1: leaving TSC-deadline mode disarms the timer. */
static void test_timer_mode_switch_disarms(void)
{
	u64 due;

	setup();
	wr(LAPIC_REG_LVT_TIMER, APIC_LVT_TIMER_TSCDEADLINE | 0x42);
	lapic_set_tsc_deadline(&l, 5000);
	wr(LAPIC_REG_LVT_TIMER, 0x42);
	CHECK(!lapic_timer_due(&l, &due));
	wr(LAPIC_REG_LVT_TIMER, APIC_LVT_TIMER_TSCDEADLINE | 0x42);
	CHECK_EQ(lapic_get_tsc_deadline(&l), 0);
}

/* 10.5.4: a divide change keeps the current count and rescales the rest. */
static void test_timer_divide_change(void)
{
	u64 due;

	setup();
	wr(LAPIC_REG_TIMER_DIV, 0xb);		/* by 1: 10 TSC per count */
	wr(LAPIC_REG_LVT_TIMER, 0x40);
	lapic_mmio_write(&l, LAPIC_REG_TIMER_INIT, 4, 100, 0);
	lapic_mmio_write(&l, LAPIC_REG_TIMER_DIV, 4, 0x0, 500);	/* by 2 */
	CHECK_EQ(lapic_mmio_read(&l, LAPIC_REG_TIMER_CUR, 4, 500), 50);
	CHECK(lapic_timer_due(&l, &due));
	CHECK_EQ(due, 500 + 50 * 20);
}

/* 10.12.5.1, Figure 10-27: the valid and invalid APIC_BASE transitions. */
static void test_apic_base_transitions(void)
{
	u64 b = LAPIC_DEFAULT_BASE | APIC_BASE_BSP;

	setup();
	/* EXTD without EN is invalid. */
	CHECK_EQ(lapic_set_base(&l, b | APIC_BASE_EXTD), LAPIC_ACCESS_GP);
	CHECK_EQ(lapic_mode(&l), LAPIC_XAPIC);
	CHECK_EQ(lapic_set_base(&l, b | APIC_BASE_EN | APIC_BASE_EXTD),
		 LAPIC_ACCESS_OK);
	CHECK_EQ(lapic_mode(&l), LAPIC_X2APIC);
	/* x2APIC -> xAPIC directly is illegal. */
	CHECK_EQ(lapic_set_base(&l, b | APIC_BASE_EN), LAPIC_ACCESS_GP);
	CHECK_EQ(lapic_mode(&l), LAPIC_X2APIC);
	CHECK_EQ(lapic_set_base(&l, b), LAPIC_ACCESS_OK);
	CHECK_EQ(lapic_mode(&l), LAPIC_DISABLED);
	/* disabled -> x2APIC is illegal; -> xAPIC is fine. */
	CHECK_EQ(lapic_set_base(&l, b | APIC_BASE_EN | APIC_BASE_EXTD),
		 LAPIC_ACCESS_GP);
	CHECK_EQ(lapic_set_base(&l, b | APIC_BASE_EN), LAPIC_ACCESS_OK);
	CHECK_EQ(lapic_mode(&l), LAPIC_XAPIC);
	/* Re-enabled in the power-up state (10.4.3). */
	CHECK_EQ(rd(LAPIC_REG_SVR), 0xff);
	CHECK_EQ(rd(LAPIC_REG_ID), 3u << 24);
}

/* 10.4.4: bits 7:0, 9 and above MAXPHYADDR are reserved. */
static void test_apic_base_reserved(void)
{
	u64 b = LAPIC_DEFAULT_BASE | APIC_BASE_BSP | APIC_BASE_EN;

	setup();
	CHECK_EQ(lapic_set_base(&l, b | 1), LAPIC_ACCESS_GP);
	CHECK_EQ(lapic_set_base(&l, b | BIT(9)), LAPIC_ACCESS_GP);
	CHECK_EQ(lapic_set_base(&l, b | BIT(39)), LAPIC_ACCESS_GP);
	CHECK_EQ(lapic_set_base(&l, 0xfed00000 | APIC_BASE_EN),
		 LAPIC_ACCESS_OK);
	CHECK_EQ(lapic_get_base(&l), 0xfed00000 | APIC_BASE_EN);
}

/* 10.12.5.1, 10.12.10.2: x2APIC keeps the 32-bit ID and derives the LDR;
 * MMIO no longer reaches the APIC. */
static void test_x2apic_id_ldr(void)
{
	u64 v = 0;

	lapic_init(&l, 0x23, TPB, 39, NULL, NULL);
	to_x2apic();
	CHECK_EQ(lapic_msr_read(&l, 0x802, 0, &v), LAPIC_ACCESS_OK);
	CHECK_EQ(v, 0x23);
	CHECK_EQ(lapic_msr_read(&l, 0x80d, 0, &v), LAPIC_ACCESS_OK);
	CHECK_EQ(v, (2u << 16) | (1u << 3));
	CHECK_EQ(lapic_mmio_read(&l, LAPIC_REG_VERSION, 4, 0), 0);
}

/* Table 10-6: absent, read-only and write-only x2APIC registers #GP. */
static void test_x2apic_access_rules(void)
{
	u64 v;

	setup();
	CHECK_EQ(lapic_msr_read(&l, 0x808, 0, &v), LAPIC_ACCESS_GP);
	to_x2apic();
	CHECK_EQ(lapic_msr_read(&l, 0x808, 0, &v), LAPIC_ACCESS_OK);
	CHECK_EQ(lapic_msr_read(&l, 0x809, 0, &v), LAPIC_ACCESS_GP); /* APR */
	CHECK_EQ(lapic_msr_read(&l, 0x80e, 0, &v), LAPIC_ACCESS_GP); /* DFR */
	CHECK_EQ(lapic_msr_read(&l, 0x831, 0, &v), LAPIC_ACCESS_GP);
	CHECK_EQ(lapic_msr_read(&l, 0x82f, 0, &v), LAPIC_ACCESS_GP); /* CMCI */
	CHECK_EQ(lapic_msr_read(&l, 0x80b, 0, &v), LAPIC_ACCESS_GP); /* EOI */
	CHECK_EQ(lapic_msr_read(&l, 0x83f, 0, &v), LAPIC_ACCESS_GP);
	CHECK_EQ(lapic_msr_read(&l, 0x840, 0, &v), LAPIC_ACCESS_GP);
	CHECK_EQ(lapic_msr_write(&l, 0x802, 0, 0), LAPIC_ACCESS_GP); /* ID */
	CHECK_EQ(lapic_msr_write(&l, 0x80d, 0, 0), LAPIC_ACCESS_GP); /* LDR */
	CHECK_EQ(lapic_msr_write(&l, 0x839, 0, 0), LAPIC_ACCESS_GP);
	CHECK_EQ(lapic_msr_write(&l, 0x810, 0, 0), LAPIC_ACCESS_GP); /* ISR */
	CHECK_EQ(lapic_msr_write(&l, 0x80b, 1, 0), LAPIC_ACCESS_GP);
	CHECK_EQ(lapic_msr_write(&l, 0x80b, 0, 0), LAPIC_ACCESS_OK);
	CHECK_EQ(lapic_msr_write(&l, 0x828, 1, 0), LAPIC_ACCESS_GP); /* ESR */
	CHECK_EQ(lapic_msr_write(&l, 0x828, 0, 0), LAPIC_ACCESS_OK);
}

/* 10.12.1.3: x2APIC writes of reserved bits #GP; the register is kept. */
static void test_x2apic_reserved_bits(void)
{
	u64 v = 0;

	setup();
	to_x2apic();
	CHECK_EQ(lapic_msr_write(&l, 0x808, 0x100, 0), LAPIC_ACCESS_GP);
	CHECK_EQ(lapic_msr_write(&l, 0x808, 1ull << 32, 0), LAPIC_ACCESS_GP);
	CHECK_EQ(lapic_msr_write(&l, 0x808, 0x20, 0), LAPIC_ACCESS_OK);
	CHECK_EQ(lapic_msr_read(&l, 0x808, 0, &v), LAPIC_ACCESS_OK);
	CHECK_EQ(v, 0x20);
	CHECK_EQ(lapic_msr_write(&l, 0x837, 0x10000 | BIT(20), 0),
		 LAPIC_ACCESS_GP);			/* LVT error */
	CHECK_EQ(lapic_msr_write(&l, 0x83e, 0x4, 0), LAPIC_ACCESS_GP);
	CHECK_EQ(lapic_msr_write(&l, 0x83f, 0x100, 0), LAPIC_ACCESS_GP);
	CHECK_EQ(lapic_msr_write(&l, 0x830, BIT(12) | 0x40, 0),
		 LAPIC_ACCESS_GP);	/* no delivery status in x2APIC */
}

/* 10.12.9, 10.12.11: the 64-bit ICR and the SELF IPI MSR. */
static void test_x2apic_icr_self_ipi(void)
{
	u64 v = 0;

	setup();
	to_x2apic();
	CHECK_EQ(lapic_msr_write(&l, 0x830, (3ull << 32) | 0x61, 0),
		 LAPIC_ACCESS_OK);
	CHECK_EQ(lapic_pending_vector(&l), 0x61);
	CHECK_EQ(lapic_msr_read(&l, 0x830, 0, &v), LAPIC_ACCESS_OK);
	CHECK_EQ(v, (3ull << 32) | 0x61);
	CHECK_EQ(lapic_msr_write(&l, 0x83f, 0x72, 0), LAPIC_ACCESS_OK);
	CHECK_EQ(lapic_pending_vector(&l), 0x72);
	CHECK_EQ(lapic_msr_read(&l, 0x820 + 3, 0, &v), LAPIC_ACCESS_OK);
	CHECK_EQ(v, (1u << 1) | (1u << 18));	/* IRR bits 0x61, 0x72 */
}

/* 10.4.1 (our documented choice): byte reads inside a register work, the
 * rest of a 16-byte slot reads 0, unaligned writes are dropped; an
 * unimplemented register logs an illegal register address (10.5.3). */
static void test_mmio_widths_and_illegal(void)
{
	setup();
	wr(LAPIC_REG_TPR, 0x5a);
	CHECK_EQ(lapic_mmio_read(&l, LAPIC_REG_TPR, 1, 0), 0x5a);
	CHECK_EQ(lapic_mmio_read(&l, LAPIC_REG_VERSION + 2, 1, 0), 0x05);
	CHECK_EQ(lapic_mmio_read(&l, LAPIC_REG_TPR + 4, 4, 0), 0);
	lapic_mmio_write(&l, LAPIC_REG_TPR, 1, 0x11, 0);
	lapic_mmio_write(&l, LAPIC_REG_TPR + 4, 4, 0x11, 0);
	CHECK_EQ(rd(LAPIC_REG_TPR), 0x5a);
	CHECK_EQ(rd(0x2f0), 0);		/* no CMCI entry */
	wr(LAPIC_REG_ESR, 0);
	CHECK_EQ(rd(LAPIC_REG_ESR), APIC_ESR_ILLEGAL_REG);
}

int main(void)
{
	RUN(test_reset_state);
	RUN(test_version);
	RUN(test_ppr);
	RUN(test_priority_arbitration);
	RUN(test_ack_moves_irr_to_isr);
	RUN(test_eoi_order);
	RUN(test_level_eoi_broadcast);
	RUN(test_esr_write_then_read);
	RUN(test_error_lvt);
	RUN(test_svr_software_disable);
	RUN(test_lvt_writable_bits);
	RUN(test_ldr_dfr_icr_bits);
	RUN(test_self_ipi);
	RUN(test_ipi_shorthands);
	RUN(test_ipi_destinations);
	RUN(test_nmi_ipi);
	RUN(test_cr8);
	RUN(test_timer_oneshot);
	RUN(test_timer_divide_values);
	RUN(test_timer_periodic);
	RUN(test_timer_masked);
	RUN(test_timer_stop);
	RUN(test_timer_tsc_deadline);
	RUN(test_timer_mode_switch_disarms);
	RUN(test_timer_divide_change);
	RUN(test_apic_base_transitions);
	RUN(test_apic_base_reserved);
	RUN(test_x2apic_id_ldr);
	RUN(test_x2apic_access_rules);
	RUN(test_x2apic_reserved_bits);
	RUN(test_x2apic_icr_self_ipi);
	RUN(test_mmio_widths_and_illegal);
	return unit_done();
}
