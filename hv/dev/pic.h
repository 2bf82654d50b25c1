/* SPDX-License-Identifier: MIT */
/*
 * The PC's pair of Intel 8259A programmable interrupt controllers: a master
 * (ports 0x20/0x21) whose IR2 input is the slave's INT output, and a slave
 * (ports 0xa0/0xa1) carrying IRQ 8-15, plus the PIIX edge/level control
 * registers (ELCR, ports 0x4d0/0x4d1).
 *
 * A pure model: no ports, no vCPU.  The caller maps ports to
 * (chip, register offset), drives the IRQ input lines, asks whether INT is
 * asserted and runs the INTA cycle when it injects the interrupt.
 */
#ifndef HV_DEV_PIC_H
#define HV_DEV_PIC_H

#include <lib/types.h>

#define PIC_MASTER_BASE		0x20
#define PIC_SLAVE_BASE		0xa0
#define PIC_ELCR_BASE		0x4d0
#define PIC_NR_IRQS		16
#define PIC_CASCADE_IRQ		2	/* the master input the slave drives */

enum pic_chip_id { PIC_MASTER, PIC_SLAVE };

struct pic_chip {
	u8 irr;			/* interrupt request register */
	u8 isr;			/* in-service register */
	u8 imr;			/* interrupt mask register (OCW1) */
	u8 lines;		/* current level of each IR input */
	u8 elcr;		/* level-triggered inputs (ELCR) */
	u8 elcr_mask;		/* ELCR bits that exist on this chip */
	u8 vector_base;		/* ICW2 & 0xf8 */
	u8 icw3;		/* master: slave bitmap; slave: its id */
	u8 lowest;		/* lowest-priority IR (rotation); 7 at reset */
	u8 init_step;		/* next ICW expected at A0=1; 0 when done */
	bool icw4_needed;	/* ICW1.IC4 */
	bool single;		/* ICW1.SNGL */
	bool ltim;		/* ICW1.LTIM: every input level-triggered */
	bool x86_mode;		/* ICW4.uPM */
	bool auto_eoi;		/* ICW4.AEOI */
	bool sfnm;		/* ICW4.SFNM: special fully nested mode */
	bool rotate_on_aeoi;	/* OCW2 R=1 SL=0 EOI=0 */
	bool special_mask;	/* OCW3 SMM (with ESMM) */
	bool read_isr;		/* OCW3 RR/RIS: A0=0 reads ISR, not IRR */
	bool poll;		/* OCW3 P: the next read is a poll */
};

struct pic {
	struct pic_chip chip[2];
};

/* Power-on state: both chips uninitialised, everything unmasked. */
void pic_init(struct pic *pic);

/*
 * Drive input line @irq (0-15) to @level.  An edge-triggered input latches
 * a request on a low-to-high transition and keeps it until the INTA cycle
 * takes it; a level-triggered one requests while high.  IRQ 2 is the
 * cascade on a PC and has no external line: it is ignored.
 */
void pic_set_irq(struct pic *pic, unsigned int irq, bool level);

/* Is the master's INT output (the processor's INTR) asserted? */
bool pic_output(const struct pic *pic);

/*
 * The INTA cycle: moves the highest-priority request from IRR to ISR on
 * the master (and on the slave, for IR2) and returns the vector.  With no
 * request left it returns the spurious vector: IR7 of the master (IRQ 7),
 * or IR7 of the slave (IRQ 15, with the master's IR2 in service).
 */
u8 pic_ack(struct pic *pic);

/* Register @reg (0: A0=0, 1: A0=1) of @chip. */
u8 pic_read(struct pic *pic, enum pic_chip_id chip, u16 reg);
void pic_write(struct pic *pic, enum pic_chip_id chip, u16 reg, u8 val);

/* ELCR @reg (0: port 0x4d0, IRQ 0-7; 1: port 0x4d1, IRQ 8-15). */
u8 pic_elcr_read(const struct pic *pic, u16 reg);
void pic_elcr_write(struct pic *pic, u16 reg, u8 val);

#endif /* HV_DEV_PIC_H */
