// SPDX-License-Identifier: MIT
/*
 * The 8259A pair model (hv/dev/pic.c) against the Intel 8259A data sheet:
 * the ICW sequence, OCW1-OCW3, fully nested priority and rotation, the
 * cascade on IR2, edge and level triggering, spurious IR7 and the poll.
 */
#define UNIT_SUITE "pic"
#include "unit.h"

#include <hv/dev/pic.h>

enum { A0_0, A0_1 };

static struct pic pic;

/* Linux's init_8259A: vectors 0x30/0x38, slave on IR2, x86 mode. */
static void setup_icw4(u8 icw4)
{
	pic_init(&pic);
	pic_write(&pic, PIC_MASTER, A0_0, 0x11);	/* ICW1: edge, IC4 */
	pic_write(&pic, PIC_MASTER, A0_1, 0x30);	/* ICW2 */
	pic_write(&pic, PIC_MASTER, A0_1, 0x04);	/* ICW3: slave on IR2 */
	pic_write(&pic, PIC_MASTER, A0_1, icw4);
	pic_write(&pic, PIC_SLAVE, A0_0, 0x11);
	pic_write(&pic, PIC_SLAVE, A0_1, 0x38);
	pic_write(&pic, PIC_SLAVE, A0_1, 0x02);	/* ICW3: slave id 2 */
	pic_write(&pic, PIC_SLAVE, A0_1, icw4);
}

static void setup(void)
{
	setup_icw4(0x01);
}

static void pulse(unsigned int irq)
{
	pic_set_irq(&pic, irq, true);
	pic_set_irq(&pic, irq, false);
}

static u8 read_isr(enum pic_chip_id chip)
{
	u8 v;

	pic_write(&pic, chip, A0_0, 0x0b);	/* OCW3: read ISR */
	v = pic_read(&pic, chip, A0_0);
	pic_write(&pic, chip, A0_0, 0x0a);	/* OCW3: read IRR */
	return v;
}

/* ICW2 supplies T7-T3, the IR number bits 2:0 of the vector. */
static void test_icw_sequence_vectors(void)
{
	setup();
	CHECK(!pic_output(&pic));
	pulse(0);
	CHECK(pic_output(&pic));
	CHECK_EQ(pic_ack(&pic), 0x30);
	pic_write(&pic, PIC_MASTER, A0_0, 0x20);
	pulse(4);
	CHECK_EQ(pic_ack(&pic), 0x34);
	/* ICW2's low three bits are not part of the base. */
	pic_write(&pic, PIC_MASTER, A0_0, 0x11);
	pic_write(&pic, PIC_MASTER, A0_1, 0x47);
	pic_write(&pic, PIC_MASTER, A0_1, 0x04);
	pic_write(&pic, PIC_MASTER, A0_1, 0x01);
	pulse(1);
	CHECK_EQ(pic_ack(&pic), 0x41);
}

/* ICW1 clears IMR and ISR and selects IRR for A0=0 reads. */
static void test_icw1_resets(void)
{
	setup();
	pic_write(&pic, PIC_MASTER, A0_1, 0x50);
	pulse(3);
	CHECK_EQ(pic_ack(&pic), 0x33);
	pic_write(&pic, PIC_MASTER, A0_0, 0x0b);
	pic_write(&pic, PIC_MASTER, A0_0, 0x11);
	CHECK_EQ(pic_read(&pic, PIC_MASTER, A0_1), 0);
	CHECK_EQ(pic_read(&pic, PIC_MASTER, A0_0), 0);	/* IRR, empty */
	pic_write(&pic, PIC_MASTER, A0_1, 0x30);
	pic_write(&pic, PIC_MASTER, A0_1, 0x04);
	pic_write(&pic, PIC_MASTER, A0_1, 0x01);
	CHECK_EQ(read_isr(PIC_MASTER), 0);
	/* After init, A0=1 writes are OCW1 again. */
	pic_write(&pic, PIC_MASTER, A0_1, 0xfe);
	CHECK_EQ(pic_read(&pic, PIC_MASTER, A0_1), 0xfe);
}

/* OCW1: a masked request stays in IRR but raises no INT. */
static void test_imr_masks(void)
{
	setup();
	pic_write(&pic, PIC_MASTER, A0_1, 0xff);
	CHECK_EQ(pic_read(&pic, PIC_MASTER, A0_1), 0xff);
	pulse(0);
	CHECK(!pic_output(&pic));
	CHECK_EQ(pic_read(&pic, PIC_MASTER, A0_0), 0x01);
	pic_write(&pic, PIC_MASTER, A0_1, 0xfe);
	CHECK(pic_output(&pic));
	CHECK_EQ(pic_ack(&pic), 0x30);
}

/* Fully nested mode: IR0 highest, IR7 lowest; ISR blocks lower levels. */
static void test_fixed_priority_nesting(void)
{
	setup();
	pulse(3);
	pulse(5);
	CHECK_EQ(pic_ack(&pic), 0x33);
	CHECK(!pic_output(&pic));	/* IR5 waits for IR3's EOI */
	pulse(1);
	CHECK(pic_output(&pic));	/* IR1 nests over IR3 */
	CHECK_EQ(pic_ack(&pic), 0x31);
	CHECK_EQ(read_isr(PIC_MASTER), 0x0a);
	pic_write(&pic, PIC_MASTER, A0_0, 0x20);	/* EOI: IR1 */
	CHECK_EQ(read_isr(PIC_MASTER), 0x08);
	pic_write(&pic, PIC_MASTER, A0_0, 0x20);	/* EOI: IR3 */
	CHECK_EQ(pic_ack(&pic), 0x35);
}

/* OCW2 0x60+n clears exactly ISR bit n. */
static void test_specific_eoi(void)
{
	setup();
	pulse(4);
	CHECK_EQ(pic_ack(&pic), 0x34);
	pulse(1);
	CHECK_EQ(pic_ack(&pic), 0x31);
	pic_write(&pic, PIC_MASTER, A0_0, 0x64);
	CHECK_EQ(read_isr(PIC_MASTER), 0x02);
	pic_write(&pic, PIC_MASTER, A0_0, 0x61);
	CHECK_EQ(read_isr(PIC_MASTER), 0x00);
}

/* The slave's INT is the master's IR2; the slave gives the vector. */
static void test_cascade(void)
{
	setup();
	pulse(10);
	CHECK(pic_output(&pic));
	CHECK_EQ(pic_read(&pic, PIC_MASTER, A0_0), 0x04);	/* IRR2 */
	CHECK_EQ(pic_ack(&pic), 0x3a);
	CHECK_EQ(read_isr(PIC_MASTER), 0x04);
	CHECK_EQ(read_isr(PIC_SLAVE), 0x04);
	/* Masked in the slave's IMR: no INT to the master at all. */
	pic_write(&pic, PIC_SLAVE, A0_1, 0x08);
	pulse(11);
	CHECK_EQ(pic_read(&pic, PIC_SLAVE, A0_0), 0x08);
	pic_write(&pic, PIC_SLAVE, A0_0, 0x62);
	pic_write(&pic, PIC_MASTER, A0_0, 0x62);
	CHECK(!pic_output(&pic));
	/* Masking IR2 in the master masks the whole slave. */
	pic_write(&pic, PIC_SLAVE, A0_1, 0x00);
	pic_write(&pic, PIC_MASTER, A0_1, 0x04);
	CHECK(!pic_output(&pic));
	pic_write(&pic, PIC_MASTER, A0_1, 0x00);
	CHECK_EQ(pic_ack(&pic), 0x3b);
}

/* The slave's levels sit at IR2's priority: between IRQ 1 and IRQ 3. */
static void test_cascade_priority(void)
{
	setup();
	pulse(3);
	pulse(15);
	pulse(1);
	CHECK_EQ(pic_ack(&pic), 0x31);
	pic_write(&pic, PIC_MASTER, A0_0, 0x61);
	CHECK_EQ(pic_ack(&pic), 0x3f);
	CHECK(!pic_output(&pic));	/* IR3 below the slave in service */
	pic_write(&pic, PIC_SLAVE, A0_0, 0x67);
	pic_write(&pic, PIC_MASTER, A0_0, 0x62);
	CHECK_EQ(pic_ack(&pic), 0x33);
}

/* An INTA with no request answers IR7 without setting ISR. */
static void test_spurious_irq7(void)
{
	setup();
	CHECK_EQ(pic_ack(&pic), 0x37);
	CHECK_EQ(read_isr(PIC_MASTER), 0);
	/* A level request withdrawn before INTA: the same default. */
	pic_elcr_write(&pic, 0, 0x08);
	pic_set_irq(&pic, 3, true);
	CHECK(pic_output(&pic));
	pic_set_irq(&pic, 3, false);
	CHECK_EQ(pic_ack(&pic), 0x37);
	CHECK_EQ(read_isr(PIC_MASTER), 0);
}

/*
 * A slave request withdrawn after the master latched IR2: the slave
 * answers its IR7 (IRQ 15) and the master's IR2 is in service, so the
 * handler must send the master an EOI (as Linux does).
 */
static void test_spurious_irq15(void)
{
	setup();
	pic_elcr_write(&pic, 1, 0x04);	/* IRQ 10 level-triggered */
	pic_set_irq(&pic, 10, true);
	CHECK(pic_output(&pic));
	pic_set_irq(&pic, 10, false);
	CHECK(pic_output(&pic));	/* IR2 stays latched */
	CHECK_EQ(pic_ack(&pic), 0x3f);
	CHECK_EQ(read_isr(PIC_SLAVE), 0);
	CHECK_EQ(read_isr(PIC_MASTER), 0x04);
	pic_write(&pic, PIC_MASTER, A0_0, 0x62);
	CHECK(!pic_output(&pic));
	CHECK_EQ(read_isr(PIC_MASTER), 0);
}

/* Edge mode: one request per low-to-high transition. */
static void test_edge_latch(void)
{
	setup();
	pic_set_irq(&pic, 4, true);
	CHECK_EQ(pic_ack(&pic), 0x34);
	pic_write(&pic, PIC_MASTER, A0_0, 0x64);
	CHECK(!pic_output(&pic));	/* still high: no new edge */
	pic_set_irq(&pic, 4, false);
	pic_set_irq(&pic, 4, true);
	CHECK(pic_output(&pic));
	/* ICW1 resets the edge sense: a high line needs a new edge. */
	pic_write(&pic, PIC_MASTER, A0_0, 0x11);
	pic_write(&pic, PIC_MASTER, A0_1, 0x30);
	pic_write(&pic, PIC_MASTER, A0_1, 0x04);
	pic_write(&pic, PIC_MASTER, A0_1, 0x01);
	CHECK(!pic_output(&pic));
}

/* Level mode (ELCR): requests while high, again after EOI if still high. */
static void test_level_elcr(void)
{
	setup();
	pic_elcr_write(&pic, 0, 0xff);
	CHECK_EQ(pic_elcr_read(&pic, 0), 0xf8);	/* IRQ 0-2 edge only */
	pic_elcr_write(&pic, 1, 0xff);
	CHECK_EQ(pic_elcr_read(&pic, 1), 0xde);	/* IRQ 8, 13 edge only */
	pic_set_irq(&pic, 9, true);
	CHECK_EQ(pic_ack(&pic), 0x39);
	pic_write(&pic, PIC_SLAVE, A0_0, 0x61);
	pic_write(&pic, PIC_MASTER, A0_0, 0x62);
	CHECK(pic_output(&pic));
	CHECK_EQ(pic_ack(&pic), 0x39);
	pic_set_irq(&pic, 9, false);
	pic_write(&pic, PIC_SLAVE, A0_0, 0x61);
	pic_write(&pic, PIC_MASTER, A0_0, 0x62);
	CHECK(!pic_output(&pic));
}

/* ICW1.LTIM makes every input of the chip level-triggered. */
static void test_ltim(void)
{
	setup();
	pic_write(&pic, PIC_MASTER, A0_0, 0x19);
	pic_write(&pic, PIC_MASTER, A0_1, 0x30);
	pic_write(&pic, PIC_MASTER, A0_1, 0x04);
	pic_write(&pic, PIC_MASTER, A0_1, 0x01);
	pic_set_irq(&pic, 1, true);
	CHECK_EQ(pic_ack(&pic), 0x31);
	pic_write(&pic, PIC_MASTER, A0_0, 0x20);
	CHECK(pic_output(&pic));
	pic_set_irq(&pic, 1, false);
	CHECK(!pic_output(&pic));
}

/* ICW4.AEOI: the INTA cycle ends the interrupt; ISR stays clear. */
static void test_auto_eoi(void)
{
	setup_icw4(0x03);
	pulse(1);
	CHECK_EQ(pic_ack(&pic), 0x31);
	CHECK_EQ(read_isr(PIC_MASTER), 0);
	pulse(6);
	CHECK(pic_output(&pic));	/* nothing in service blocks IR6 */
	CHECK_EQ(pic_ack(&pic), 0x36);
}

/* OCW2 rotation: the level just served becomes the lowest. */
static void test_rotation(void)
{
	setup();
	pulse(1);
	CHECK_EQ(pic_ack(&pic), 0x31);
	pic_write(&pic, PIC_MASTER, A0_0, 0xa0);	/* rotate on EOI */
	pulse(1);
	pulse(5);
	CHECK_EQ(pic_ack(&pic), 0x35);	/* IR5 now above IR1 */
	pic_write(&pic, PIC_MASTER, A0_0, 0xe5);	/* rotate, specific */
	CHECK_EQ(read_isr(PIC_MASTER), 0);
	pulse(5);
	CHECK_EQ(pic_ack(&pic), 0x31);	/* IR6 highest, IR1 before IR5 */
	pic_write(&pic, PIC_MASTER, A0_0, 0x20);
	pic_write(&pic, PIC_MASTER, A0_0, 0xc3);	/* set priority: IR3 lowest */
	pulse(3);
	CHECK_EQ(pic_ack(&pic), 0x35);
	pic_write(&pic, PIC_MASTER, A0_0, 0x20);
	CHECK_EQ(pic_ack(&pic), 0x33);
}

/* OCW3: RR/RIS select IRR or ISR for A0=0 reads until changed. */
static void test_ocw3_read_select(void)
{
	setup();
	pulse(2 + 3);
	pulse(6);
	CHECK_EQ(pic_ack(&pic), 0x35);
	CHECK_EQ(pic_read(&pic, PIC_MASTER, A0_0), 0x40);
	pic_write(&pic, PIC_MASTER, A0_0, 0x0b);
	CHECK_EQ(pic_read(&pic, PIC_MASTER, A0_0), 0x20);
	CHECK_EQ(pic_read(&pic, PIC_MASTER, A0_0), 0x20);
	pic_write(&pic, PIC_MASTER, A0_0, 0x08);	/* RR=0: no change */
	CHECK_EQ(pic_read(&pic, PIC_MASTER, A0_0), 0x20);
	pic_write(&pic, PIC_MASTER, A0_0, 0x0a);
	CHECK_EQ(pic_read(&pic, PIC_MASTER, A0_0), 0x40);
}

/* OCW3 poll: the next read acknowledges and returns I + W2-W0. */
static void test_poll(void)
{
	setup();
	pic_write(&pic, PIC_MASTER, A0_0, 0x0c);
	CHECK_EQ(pic_read(&pic, PIC_MASTER, A0_0), 0x00);
	pulse(6);
	pic_write(&pic, PIC_MASTER, A0_0, 0x0c);
	CHECK_EQ(pic_read(&pic, PIC_MASTER, A0_0), 0x86);
	CHECK_EQ(read_isr(PIC_MASTER), 0x40);
	/* One read only: the next is the IRR again. */
	CHECK_EQ(pic_read(&pic, PIC_MASTER, A0_0), 0x00);
}

/* Special mask mode: a masked in-service level no longer blocks. */
static void test_special_mask_mode(void)
{
	setup();
	pulse(3);
	CHECK_EQ(pic_ack(&pic), 0x33);
	pulse(5);
	CHECK(!pic_output(&pic));
	pic_write(&pic, PIC_MASTER, A0_1, 0x08);
	pic_write(&pic, PIC_MASTER, A0_0, 0x68);	/* ESMM | SMM */
	CHECK(pic_output(&pic));
	CHECK_EQ(pic_ack(&pic), 0x35);
	pic_write(&pic, PIC_MASTER, A0_0, 0x48);	/* ESMM, SMM off */
	pulse(6);
	CHECK(!pic_output(&pic));
}

/* Special fully nested mode lets a higher slave level through. */
static void test_sfnm(void)
{
	setup_icw4(0x11);
	pulse(12);
	CHECK_EQ(pic_ack(&pic), 0x3c);
	pulse(9);
	CHECK(pic_output(&pic));
	CHECK_EQ(pic_ack(&pic), 0x39);
	setup();
	pulse(12);
	CHECK_EQ(pic_ack(&pic), 0x3c);
	pulse(9);
	CHECK(!pic_output(&pic));	/* fully nested: IR2 blocks itself */
}

int main(void)
{
	RUN(test_icw_sequence_vectors);
	RUN(test_icw1_resets);
	RUN(test_imr_masks);
	RUN(test_fixed_priority_nesting);
	RUN(test_specific_eoi);
	RUN(test_cascade);
	RUN(test_cascade_priority);
	RUN(test_spurious_irq7);
	RUN(test_spurious_irq15);
	RUN(test_edge_latch);
	RUN(test_level_elcr);
	RUN(test_ltim);
	RUN(test_auto_eoi);
	RUN(test_rotation);
	RUN(test_ocw3_read_select);
	RUN(test_poll);
	RUN(test_special_mask_mode);
	RUN(test_sfnm);
	return unit_done();
}
