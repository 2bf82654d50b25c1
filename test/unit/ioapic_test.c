// SPDX-License-Identifier: MIT
/*
 * The I/O APIC model (hv/dev/ioapic.c) against the Intel 82093AA data
 * sheet, section 3: the register window, the redirection table's bits,
 * edge and level inputs, remote IRR and masking.
 */
#define UNIT_SUITE "ioapic"
#include "unit.h"

#include <lib/string.h>
#include <hv/dev/ioapic.h>

static struct ioapic io;
static struct ioapic_msg sent[16];
static unsigned int nr_sent;
static bool accept;
static int ctx_token;

static bool deliver(void *ctx, const struct ioapic_msg *msg)
{
	CHECK(ctx == &ctx_token);
	if (nr_sent < ARRAY_SIZE(sent))
		sent[nr_sent] = *msg;
	nr_sent++;
	return accept;
}

static void setup(void)
{
	ioapic_init(&io, deliver, &ctx_token);
	memset(sent, 0, sizeof(sent));
	nr_sent = 0;
	accept = true;
}

static u32 rd(u8 reg)
{
	ioapic_mmio_write(&io, IOAPIC_REGSEL, reg);
	return ioapic_mmio_read(&io, IOAPIC_WINDOW);
}

static void wr(u8 reg, u32 val)
{
	ioapic_mmio_write(&io, IOAPIC_REGSEL, reg);
	ioapic_mmio_write(&io, IOAPIC_WINDOW, val);
}

static void set_rte(unsigned int pin, u32 lo, u32 hi)
{
	wr(IOAPIC_REG_REDTBL + 2 * pin + 1, hi);
	wr(IOAPIC_REG_REDTBL + 2 * pin, lo);
}

static u32 rte_lo(unsigned int pin)
{
	return rd(IOAPIC_REG_REDTBL + 2 * pin);
}

/* 3.1: IOREGSEL holds an 8-bit index and reads back. */
static void test_regsel(void)
{
	setup();
	ioapic_mmio_write(&io, IOAPIC_REGSEL, 0x1ab);
	CHECK_EQ(ioapic_mmio_read(&io, IOAPIC_REGSEL), 0xab);
	CHECK_EQ(ioapic_mmio_read(&io, 0x20), 0);
}

/* 3.2.1-3.2.3: ID bits 27:24, version 0x11 with 24 entries, the
 * arbitration ID follows the ID; version is read-only. */
static void test_id_version_arb(void)
{
	setup();
	CHECK_EQ(rd(IOAPIC_REG_VERSION), 0x00170011);
	wr(IOAPIC_REG_VERSION, 0);
	CHECK_EQ(rd(IOAPIC_REG_VERSION), 0x00170011);
	wr(IOAPIC_REG_ID, 0xffffffff);
	CHECK_EQ(rd(IOAPIC_REG_ID), 0x0f000000);
	CHECK_EQ(rd(IOAPIC_REG_ARB), 0x0f000000);
}

/* 3.2.4: every entry is masked after reset. */
static void test_reset_masked(void)
{
	setup();
	for (unsigned int pin = 0; pin < IOAPIC_NR_PINS; pin++)
		CHECK(rte_lo(pin) & IOAPIC_RTE_MASKED);
	ioapic_set_irq(&io, 3, true);
	CHECK_EQ(nr_sent, 0);
}

/* 3.2.4: the writable bits; delivery status and remote IRR are read-only,
 * only bits 63:56 of the high half exist. */
static void test_rte_bits(void)
{
	setup();
	set_rte(5, 0xffffffff, 0xffffffff);
	CHECK_EQ(rte_lo(5), 0x0001afff);
	CHECK_EQ(rd(IOAPIC_REG_REDTBL + 11), 0xff000000);
	CHECK_EQ(rd(IOAPIC_REG_REDTBL + 2 * 24), 0);	/* past pin 23 */
}

/* 3.2.4: an edge entry delivers once per rising edge, with its fields. */
static void test_edge_delivery(void)
{
	setup();
	set_rte(2, 0x30 | IOAPIC_RTE_DEST_LOGICAL, 0x05000000);
	ioapic_set_irq(&io, 2, true);
	CHECK_EQ(nr_sent, 1);
	CHECK_EQ(sent[0].vector, 0x30);
	CHECK_EQ(sent[0].dest, 5);
	CHECK(sent[0].dest_logical);
	CHECK(!sent[0].level_triggered);
	ioapic_set_irq(&io, 2, true);		/* still high: no edge */
	CHECK_EQ(nr_sent, 1);
	ioapic_set_irq(&io, 2, false);
	ioapic_set_irq(&io, 2, true);
	CHECK_EQ(nr_sent, 2);
	CHECK_EQ(rte_lo(2) & IOAPIC_RTE_REMOTE_IRR, 0);
}

/* 3.2.4 bit 16: an edge on a masked pin is lost, not held. */
static void test_edge_masked_lost(void)
{
	setup();
	set_rte(4, 0x31 | IOAPIC_RTE_MASKED, 0);
	ioapic_set_irq(&io, 4, true);
	ioapic_set_irq(&io, 4, false);
	set_rte(4, 0x31, 0);
	CHECK_EQ(nr_sent, 0);
}

/* 3.2.4 bit 14: a level delivery sets remote IRR and blocks repeats. */
static void test_level_remote_irr(void)
{
	setup();
	set_rte(9, 0x40 | IOAPIC_RTE_LEVEL, 0);
	ioapic_set_irq(&io, 9, true);
	CHECK_EQ(nr_sent, 1);
	CHECK(sent[0].level_triggered);
	CHECK(rte_lo(9) & IOAPIC_RTE_REMOTE_IRR);
	ioapic_set_irq(&io, 9, true);
	CHECK_EQ(nr_sent, 1);
}

/* 3.2.4 bit 14: the EOI clears remote IRR; a line still asserted is
 * delivered again. */
static void test_level_eoi_redelivers(void)
{
	setup();
	set_rte(9, 0x40 | IOAPIC_RTE_LEVEL, 0);
	ioapic_set_irq(&io, 9, true);
	ioapic_eoi(&io, 0x40);
	CHECK_EQ(nr_sent, 2);
	CHECK(rte_lo(9) & IOAPIC_RTE_REMOTE_IRR);
	ioapic_set_irq(&io, 9, false);
	ioapic_eoi(&io, 0x40);
	CHECK_EQ(nr_sent, 2);
	CHECK_EQ(rte_lo(9) & IOAPIC_RTE_REMOTE_IRR, 0);
}

/* The EOI matches on the vector: others keep their remote IRR. */
static void test_eoi_other_vector(void)
{
	setup();
	set_rte(9, 0x40 | IOAPIC_RTE_LEVEL, 0);
	ioapic_set_irq(&io, 9, true);
	ioapic_eoi(&io, 0x41);
	CHECK(rte_lo(9) & IOAPIC_RTE_REMOTE_IRR);
	CHECK_EQ(nr_sent, 1);
}

/* 3.2.4 bit 16: a masked level pin sends nothing; unmasked while still
 * asserted, it is delivered. */
static void test_level_masked_then_unmasked(void)
{
	setup();
	set_rte(10, 0x50 | IOAPIC_RTE_LEVEL | IOAPIC_RTE_MASKED, 0);
	ioapic_set_irq(&io, 10, true);
	CHECK_EQ(nr_sent, 0);
	CHECK_EQ(rte_lo(10) & IOAPIC_RTE_REMOTE_IRR, 0);
	set_rte(10, 0x50 | IOAPIC_RTE_LEVEL, 0);
	CHECK_EQ(nr_sent, 1);
	CHECK_EQ(sent[0].vector, 0x50);
}

/* Remote IRR is set only if a local APIC took the message. */
static void test_level_not_accepted(void)
{
	setup();
	accept = false;
	set_rte(11, 0x51 | IOAPIC_RTE_LEVEL, 0);
	ioapic_set_irq(&io, 11, true);
	CHECK_EQ(nr_sent, 1);
	CHECK_EQ(rte_lo(11) & IOAPIC_RTE_REMOTE_IRR, 0);
}

/* Switching an entry to edge drops its meaningless remote IRR. */
static void test_level_to_edge_clears_remote_irr(void)
{
	setup();
	set_rte(12, 0x52 | IOAPIC_RTE_LEVEL, 0);
	ioapic_set_irq(&io, 12, true);
	CHECK(rte_lo(12) & IOAPIC_RTE_REMOTE_IRR);
	set_rte(12, 0x52, 0);
	CHECK_EQ(rte_lo(12) & IOAPIC_RTE_REMOTE_IRR, 0);
}

/* Writes to the high half or a remote-IRR bit keep remote IRR. */
static void test_remote_irr_read_only(void)
{
	setup();
	set_rte(13, 0x53 | IOAPIC_RTE_LEVEL, 0);
	ioapic_set_irq(&io, 13, true);
	wr(IOAPIC_REG_REDTBL + 2 * 13, 0x53 | IOAPIC_RTE_LEVEL);
	CHECK(rte_lo(13) & IOAPIC_RTE_REMOTE_IRR);
	CHECK_EQ(nr_sent, 1);
	CHECK_EQ(rte_lo(13) & IOAPIC_RTE_PENDING, 0);
}

/* Delivery mode reaches the callback (3.2.4 bits 10:8). */
static void test_delivery_mode(void)
{
	setup();
	set_rte(1, 0x20 | (4u << 8), 0);	/* NMI */
	ioapic_set_irq(&io, 1, true);
	CHECK_EQ(nr_sent, 1);
	CHECK_EQ(sent[0].delivery_mode, 4);
	ioapic_set_irq(&io, 24, true);		/* no such pin */
	CHECK_EQ(nr_sent, 1);
}

int main(void)
{
	RUN(test_regsel);
	RUN(test_id_version_arb);
	RUN(test_reset_masked);
	RUN(test_rte_bits);
	RUN(test_edge_delivery);
	RUN(test_edge_masked_lost);
	RUN(test_level_remote_irr);
	RUN(test_level_eoi_redelivers);
	RUN(test_eoi_other_vector);
	RUN(test_level_masked_then_unmasked);
	RUN(test_level_not_accepted);
	RUN(test_level_to_edge_clears_remote_irr);
	RUN(test_remote_irr_read_only);
	RUN(test_delivery_mode);
	return unit_done();
}
