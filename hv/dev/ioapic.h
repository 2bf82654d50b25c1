/* SPDX-License-Identifier: MIT */
/*
 * The 82093AA I/O APIC as a pure register model: IOREGSEL/IOWIN at
 * offsets 0x00/0x10 of its page, ID, version 0x11 with 24 redirection
 * entries, arbitration ID, and the redirection table with edge and level
 * inputs and remote IRR.  Interrupts leave through a callback the caller
 * routes to local APICs; the caller passes local APIC EOIs of
 * level-triggered vectors back in through ioapic_eoi().
 *
 * Inputs are logical: ioapic_set_irq()'s @level is "asserted", and the
 * polarity bit is stored for the guest but not applied (as KVM and QEMU
 * do; the platform's devices signal assertion, not wire voltage).
 * Delivery is immediate, so the delivery-status bit always reads idle.
 */
#ifndef HV_DEV_IOAPIC_H
#define HV_DEV_IOAPIC_H

#include <lib/types.h>

#define IOAPIC_DEFAULT_BASE	0xfec00000ull
#define IOAPIC_MMIO_SIZE	0x1000
#define IOAPIC_NR_PINS		24
#define IOAPIC_VERSION		(0x11u | (IOAPIC_NR_PINS - 1u) << 16)

#define IOAPIC_REGSEL		0x00
#define IOAPIC_WINDOW		0x10

/* Indirect registers (82093AA data sheet, 3.2). */
#define IOAPIC_REG_ID		0x00
#define IOAPIC_REG_VERSION	0x01
#define IOAPIC_REG_ARB		0x02
#define IOAPIC_REG_REDTBL	0x10	/* + 2 * pin (low), + 1 (high) */

/* Redirection entry bits (data sheet 3.2.4). */
#define IOAPIC_RTE_DEST_LOGICAL	BIT(11)
#define IOAPIC_RTE_PENDING	BIT(12)
#define IOAPIC_RTE_ACTIVE_LOW	BIT(13)
#define IOAPIC_RTE_REMOTE_IRR	BIT(14)
#define IOAPIC_RTE_LEVEL	BIT(15)
#define IOAPIC_RTE_MASKED	BIT(16)

/* One interrupt message, as the redirection entry describes it. */
struct ioapic_msg {
	u8 vector;
	u8 delivery_mode;	/* 0 fixed, 1 lowest priority, 4 NMI, ... */
	bool dest_logical;
	u8 dest;		/* bits 63:56 of the entry */
	bool level_triggered;
};

struct ioapic {
	u32 id;			/* bits 27:24 */
	u8 regsel;
	u64 rte[IOAPIC_NR_PINS];
	u32 line;		/* asserted inputs, one bit per pin */
	/* Sends @msg; true if some local APIC accepted it. */
	bool (*deliver)(void *ctx, const struct ioapic_msg *msg);
	void *ctx;
};

/* Reset state: ID 0, every entry masked (data sheet 3.2.4). */
void ioapic_init(struct ioapic *io,
		 bool (*deliver)(void *ctx, const struct ioapic_msg *msg),
		 void *ctx);

/* MMIO at @offset of the I/O APIC page, 32-bit accesses (the data
 * sheet's only width); other offsets read 0 and ignore writes. */
u32 ioapic_mmio_read(struct ioapic *io, u32 offset);
void ioapic_mmio_write(struct ioapic *io, u32 offset, u32 val);

/* Drive input @pin (0-23): a rising edge or an asserted level delivers
 * per the pin's redirection entry. */
void ioapic_set_irq(struct ioapic *io, unsigned int pin, bool level);

/* A local APIC's EOI of level-triggered @vector: clears remote IRR of the
 * entries with that vector and redelivers a line still asserted. */
void ioapic_eoi(struct ioapic *io, u8 vector);

#endif /* HV_DEV_IOAPIC_H */
