// SPDX-License-Identifier: MIT
/*
 * The 8259A pair, from the Intel 8259A data sheet (order 231468):
 * the ICW1-ICW4 initialisation sequence, OCW1-OCW3, fully nested priority
 * with rotation, the INTA cycle and the poll command; wired as on a PC
 * (slave INT on master IR2) with the PIIX ELCR selecting level-triggered
 * inputs.
 *
 * Two deliberate simplifications, both invisible to a guest on a PC:
 * - An edge-triggered request stays latched in IRR until INTA even if the
 *   line drops first.  On the chip the line must be held until INTA (else
 *   the cycle answers IR7); an emulated device that pulses its line (the
 *   PIT in mode 2, a test device) would otherwise lose its interrupt.
 * - The master's IR2 latches the slave's INT like an edge input (so a
 *   slave request withdrawn before INTA still gets the slave's IR7, the
 *   spurious IRQ 15), but is set again whenever the slave's INT is high
 *   after an INTA: a slave that still has a request (special fully nested
 *   or special mask mode) keeps INT high and makes no new edge.
 *
 * Only the x86 INTA cycle exists: ICW4.uPM=0 (8080/8085 CALL sequence) is
 * recorded but vectors are delivered as in x86 mode.  ICW4.BUF and M/S
 * (buffered mode) and ICW1.ADI/A7-A5 have nothing to select on a PC.
 */
#include <lib/string.h>
#include <hv/dev/pic.h>

#define ICW1_IC4		0x01
#define ICW1_SNGL		0x02
#define ICW1_LTIM		0x08
#define ICW1_SEL		0x10	/* A0=0, D4=1: ICW1 */
#define OCW3_SEL		0x08	/* A0=0, D4=0, D3=1: OCW3 */
#define OCW3_RIS		0x01
#define OCW3_RR			0x02
#define OCW3_P			0x04
#define OCW3_SMM		0x20
#define OCW3_ESMM		0x40
#define ICW4_UPM		0x01
#define ICW4_AEOI		0x02
#define ICW4_SFNM		0x10
#define POLL_I			0x80	/* poll word: an interrupt is pending */

/* OCW2 bits 7:5 (R, SL, EOI), data sheet table 2. */
enum ocw2_cmd {
	OCW2_ROTATE_AEOI_CLEAR,
	OCW2_EOI,
	OCW2_NOP,
	OCW2_SPECIFIC_EOI,
	OCW2_ROTATE_AEOI_SET,
	OCW2_ROTATE_EOI,
	OCW2_SET_PRIORITY,
	OCW2_ROTATE_SPECIFIC_EOI,
};

/* Which ICW the next A0=1 write is (data sheet figure 6). */
enum { INIT_DONE = 0, INIT_ICW2 = 2, INIT_ICW3, INIT_ICW4 };

/* The PIIX ELCR: IRQ 0, 1, 2, 8 and 13 are always edge-triggered. */
#define ELCR_MASK_MASTER	0xf8
#define ELCR_MASK_SLAVE		0xde

static u8 level_inputs(const struct pic_chip *c)
{
	return c->ltim ? 0xff : c->elcr;
}

/* Priority rank of @irq, 0 the highest: the one after c->lowest. */
static unsigned int rank(const struct pic_chip *c, unsigned int irq)
{
	return (irq - c->lowest - 1) & 7;
}

/* The highest-priority IR set in @bits, or -1. */
static int highest(const struct pic_chip *c, u8 bits)
{
	for (unsigned int r = 0; r < 8; r++) {
		unsigned int irq = (c->lowest + 1 + r) & 7;

		if (bits & BIT(irq))
			return irq;
	}
	return -1;
}

/*
 * The request INT stands for, or -1: the highest unmasked request of
 * higher priority than everything in service.  In special mask mode a
 * masked in-service level blocks nothing; in special fully nested mode the
 * master lets a further request from the slave in service through.
 */
static int chip_request(const struct pic_chip *c, bool master)
{
	int irq = highest(c, c->irr & ~c->imr);
	u8 blocking = c->special_mask ? c->isr & ~c->imr : c->isr;
	int in_service = highest(c, blocking);

	if (irq < 0 || in_service < 0)
		return irq;
	if (rank(c, irq) < rank(c, in_service))
		return irq;
	if (master && c->sfnm && irq == PIC_CASCADE_IRQ &&
	    in_service == PIC_CASCADE_IRQ)
		return irq;
	return -1;
}

/* The master's IR2 input is the slave's INT (see the file comment). */
static void update_cascade(struct pic *pic)
{
	struct pic_chip *m = &pic->chip[PIC_MASTER];
	u8 bit = BIT(PIC_CASCADE_IRQ);

	if (chip_request(&pic->chip[PIC_SLAVE], false) >= 0) {
		m->lines |= bit;
		m->irr |= bit;
	} else {
		m->lines &= ~bit;
		if (level_inputs(m) & bit)
			m->irr &= ~bit;	/* ICW1.LTIM on the master */
	}
}

static void chip_reset(struct pic_chip *c, u8 elcr_mask)
{
	memset(c, 0, sizeof(*c));
	c->elcr_mask = elcr_mask;
	c->lowest = 7;
	c->x86_mode = true;
}

void pic_init(struct pic *pic)
{
	chip_reset(&pic->chip[PIC_MASTER], ELCR_MASK_MASTER);
	chip_reset(&pic->chip[PIC_SLAVE], ELCR_MASK_SLAVE);
}

void pic_set_irq(struct pic *pic, unsigned int irq, bool level)
{
	struct pic_chip *c;
	u8 bit;

	if (irq >= PIC_NR_IRQS || irq == PIC_CASCADE_IRQ)
		return;
	c = &pic->chip[irq >> 3];
	bit = BIT(irq & 7);
	if (level_inputs(c) & bit) {
		if (level)
			c->irr |= bit;
		else
			c->irr &= ~bit;
	} else if (level && !(c->lines & bit)) {
		c->irr |= bit;	/* the rising edge */
	}
	if (level)
		c->lines |= bit;
	else
		c->lines &= ~bit;
	update_cascade(pic);
}

bool pic_output(const struct pic *pic)
{
	return chip_request(&pic->chip[PIC_MASTER], true) >= 0;
}

/*
 * INTA (or a poll) takes @irq: its edge latch is reset (a level input
 * requests again only while its line is high) and it goes in service,
 * unless in automatic EOI mode, where the second INTA pulse ends it at
 * once (data sheet "Automatic End of Interrupt (AEOI) Mode").
 */
static void chip_take(struct pic_chip *c, unsigned int irq)
{
	u8 bit = BIT(irq);

	if (!(level_inputs(c) & bit))
		c->irr &= ~bit;
	if (!c->auto_eoi)
		c->isr |= bit;
	else if (c->rotate_on_aeoi)
		c->lowest = irq;
}

u8 pic_ack(struct pic *pic)
{
	struct pic_chip *m = &pic->chip[PIC_MASTER];
	struct pic_chip *s = &pic->chip[PIC_SLAVE];
	int irq = chip_request(m, true);
	u8 vector;

	/* Nothing left to acknowledge: the default IR7 of the master. */
	if (irq < 0)
		return m->vector_base + 7;
	chip_take(m, irq);
	if (irq == PIC_CASCADE_IRQ) {
		/*
		 * The slave drives the vector.  With nothing there it answers
		 * its own IR7 (IRQ 15), but the master's IR2 is in service
		 * all the same: that is why Linux sends a master EOI for a
		 * spurious IRQ 15.
		 */
		int sirq = chip_request(s, false);

		if (sirq < 0) {
			vector = s->vector_base + 7;
		} else {
			chip_take(s, sirq);
			vector = s->vector_base + sirq;
		}
	} else {
		vector = m->vector_base + irq;
	}
	update_cascade(pic);
	return vector;
}

/* OCW3's poll: a read that acknowledges like INTA, on this chip alone. */
static u8 chip_poll(struct pic *pic, struct pic_chip *c, bool master)
{
	int irq = chip_request(c, master);

	c->poll = false;
	if (irq < 0)
		return 0;
	chip_take(c, irq);
	update_cascade(pic);
	return POLL_I | irq;
}

u8 pic_read(struct pic *pic, enum pic_chip_id chip, u16 reg)
{
	struct pic_chip *c = &pic->chip[chip & 1];

	if (c->poll)
		return chip_poll(pic, c, chip == PIC_MASTER);
	if (reg & 1)
		return c->imr;
	return c->read_isr ? c->isr : c->irr;
}

static void write_icw1(struct pic_chip *c, u8 val)
{
	c->icw4_needed = val & ICW1_IC4;
	c->single = val & ICW1_SNGL;
	c->ltim = val & ICW1_LTIM;
	/*
	 * Data sheet "Initialization Command Word 1": the edge sense circuit
	 * is reset (a high edge input needs a new low-to-high transition),
	 * IMR is cleared, IR7 gets the lowest priority, special mask mode is
	 * cleared and status read is set to IRR; without IC4 every ICW4
	 * function is zero.
	 */
	c->irr = c->lines & level_inputs(c);
	c->isr = 0;
	c->imr = 0;
	c->lowest = 7;
	c->special_mask = false;
	c->read_isr = false;
	c->poll = false;
	c->rotate_on_aeoi = false;
	if (!c->icw4_needed) {
		c->x86_mode = false;
		c->auto_eoi = false;
		c->sfnm = false;
	}
	c->init_step = INIT_ICW2;
}

static void write_ocw2(struct pic_chip *c, u8 val)
{
	unsigned int level = val & 7;
	int irq;

	switch ((enum ocw2_cmd)(val >> 5)) {
	case OCW2_ROTATE_AEOI_CLEAR:
		c->rotate_on_aeoi = false;
		break;
	case OCW2_ROTATE_AEOI_SET:
		c->rotate_on_aeoi = true;
		break;
	case OCW2_EOI:
	case OCW2_ROTATE_EOI:
		/* Non-specific: the highest-priority level in service. */
		irq = highest(c, c->isr);
		if (irq < 0)
			break;
		c->isr &= ~BIT(irq);
		if (val >> 5 == OCW2_ROTATE_EOI)
			c->lowest = irq;
		break;
	case OCW2_SPECIFIC_EOI:
		c->isr &= ~BIT(level);
		break;
	case OCW2_ROTATE_SPECIFIC_EOI:
		c->isr &= ~BIT(level);
		c->lowest = level;
		break;
	case OCW2_SET_PRIORITY:
		c->lowest = level;
		break;
	case OCW2_NOP:
		break;
	}
}

static void write_ocw3(struct pic_chip *c, u8 val)
{
	if (val & OCW3_P)
		c->poll = true;
	if (val & OCW3_RR)
		c->read_isr = val & OCW3_RIS;
	if (val & OCW3_ESMM)
		c->special_mask = val & OCW3_SMM;
}

static void write_a0_1(struct pic_chip *c, u8 val)
{
	switch (c->init_step) {
	case INIT_ICW2:
		c->vector_base = val & 0xf8;	/* T7-T3; IR gives bits 2:0 */
		if (!c->single)
			c->init_step = INIT_ICW3;
		else
			c->init_step = c->icw4_needed ? INIT_ICW4 : INIT_DONE;
		break;
	case INIT_ICW3:
		c->icw3 = val;
		c->init_step = c->icw4_needed ? INIT_ICW4 : INIT_DONE;
		break;
	case INIT_ICW4:
		c->x86_mode = val & ICW4_UPM;
		c->auto_eoi = val & ICW4_AEOI;
		c->sfnm = val & ICW4_SFNM;
		c->init_step = INIT_DONE;
		break;
	default:
		c->imr = val;	/* OCW1 */
		break;
	}
}

void pic_write(struct pic *pic, enum pic_chip_id chip, u16 reg, u8 val)
{
	struct pic_chip *c = &pic->chip[chip & 1];

	if (reg & 1)
		write_a0_1(c, val);
	else if (val & ICW1_SEL)
		write_icw1(c, val);
	else if (val & OCW3_SEL)
		write_ocw3(c, val);
	else
		write_ocw2(c, val);
	update_cascade(pic);
}

u8 pic_elcr_read(const struct pic *pic, u16 reg)
{
	return pic->chip[reg & 1].elcr;
}

void pic_elcr_write(struct pic *pic, u16 reg, u8 val)
{
	struct pic_chip *c = &pic->chip[reg & 1];
	u8 level;

	c->elcr = val & c->elcr_mask;
	/* A level input requests exactly while its line is high. */
	level = level_inputs(c);
	if (reg & 1)
		c->irr = (c->irr & ~level) | (c->lines & level);
	else
		c->irr = (c->irr & ~level) |
			 (c->lines & level & ~BIT(PIC_CASCADE_IRQ));
	update_cascade(pic);
}
