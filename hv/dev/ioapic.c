// SPDX-License-Identifier: MIT
/*
 * The 82093AA I/O APIC (Intel 82093AA I/O Advanced Programmable Interrupt
 * Controller data sheet, section 3): the indirect register window and the
 * redirection table's edge/level and remote IRR rules.
 */
#include <lib/string.h>
#include <hv/dev/ioapic.h>

#define ID_WRITABLE		0x0f000000u	/* IOAPICID 27:24 (3.2.1) */
/* Vector, delivery and destination mode, polarity, trigger, mask (3.2.4;
 * delivery status and remote IRR are read-only). */
#define RTE_LO_WRITABLE		0x0001afffull
#define RTE_HI_WRITABLE		0xff00000000000000ull

void ioapic_init(struct ioapic *io,
		 bool (*deliver)(void *ctx, const struct ioapic_msg *msg),
		 void *ctx)
{
	memset(io, 0, sizeof(*io));
	for (int i = 0; i < IOAPIC_NR_PINS; i++)
		io->rte[i] = IOAPIC_RTE_MASKED;
	io->deliver = deliver;
	io->ctx = ctx;
}

static bool level_entry(u64 rte)
{
	return rte & IOAPIC_RTE_LEVEL;
}

/*
 * Send pin @pin's message.  A level-triggered one sets remote IRR when a
 * local APIC accepts it, and is not sent again until the EOI clears it
 * (data sheet 3.2.4, bit 14).
 */
static void service(struct ioapic *io, unsigned int pin)
{
	u64 rte = io->rte[pin];
	struct ioapic_msg msg = {
		.vector = rte & 0xff,
		.delivery_mode = (rte >> 8) & 7,
		.dest_logical = rte & IOAPIC_RTE_DEST_LOGICAL,
		.dest = rte >> 56,
		.level_triggered = level_entry(rte),
	};
	bool accepted;

	if (rte & IOAPIC_RTE_MASKED)
		return;
	if (level_entry(rte) && (rte & IOAPIC_RTE_REMOTE_IRR))
		return;
	accepted = io->deliver(io->ctx, &msg);
	if (level_entry(rte) && accepted)
		io->rte[pin] |= IOAPIC_RTE_REMOTE_IRR;
}

void ioapic_set_irq(struct ioapic *io, unsigned int pin, bool level)
{
	u32 bit;
	bool was;

	if (pin >= IOAPIC_NR_PINS)
		return;
	bit = 1u << pin;
	was = io->line & bit;
	if (level)
		io->line |= bit;
	else
		io->line &= ~bit;
	if (!level)
		return;
	/* Edge inputs fire on the rising edge only; a masked edge is lost.
	 * Level inputs fire while asserted (remote IRR gates repeats). */
	if (level_entry(io->rte[pin]) || !was)
		service(io, pin);
}

void ioapic_eoi(struct ioapic *io, u8 vector)
{
	for (unsigned int pin = 0; pin < IOAPIC_NR_PINS; pin++) {
		u64 rte = io->rte[pin];

		if ((rte & 0xff) != vector || !level_entry(rte) ||
		    !(rte & IOAPIC_RTE_REMOTE_IRR))
			continue;
		io->rte[pin] &= ~IOAPIC_RTE_REMOTE_IRR;
		if (io->line & (1u << pin))
			service(io, pin);
	}
}

static u32 read_reg(const struct ioapic *io, u8 reg)
{
	unsigned int pin;

	switch (reg) {
	case IOAPIC_REG_ID:
		return io->id;
	case IOAPIC_REG_VERSION:
		return IOAPIC_VERSION;
	case IOAPIC_REG_ARB:
		/* The arbitration ID is loaded from the ID (3.2.3). */
		return io->id;
	}
	if (reg < IOAPIC_REG_REDTBL)
		return 0;
	pin = (reg - IOAPIC_REG_REDTBL) / 2;
	if (pin >= IOAPIC_NR_PINS)
		return 0;
	return (reg & 1) ? (u32)(io->rte[pin] >> 32) : (u32)io->rte[pin];
}

static void write_rte(struct ioapic *io, unsigned int pin, bool high, u32 val)
{
	u64 rte = io->rte[pin], ro = rte & IOAPIC_RTE_REMOTE_IRR;

	if (high)
		rte = (rte & 0xffffffffull) | (((u64)val << 32) & RTE_HI_WRITABLE);
	else
		rte = (rte & ~0xffffffffull) | (val & RTE_LO_WRITABLE) | ro;
	/* Remote IRR means nothing for an edge entry; it reads 0 there. */
	if (!level_entry(rte))
		rte &= ~IOAPIC_RTE_REMOTE_IRR;
	io->rte[pin] = rte;
	/* An unmasked level entry whose line is asserted fires now (as on
	 * KVM and QEMU; masked level changes had no effect, 3.2.4). */
	if (level_entry(rte) && (io->line & (1u << pin)))
		service(io, pin);
}

static void write_reg(struct ioapic *io, u8 reg, u32 val)
{
	unsigned int pin;

	if (reg == IOAPIC_REG_ID) {
		io->id = val & ID_WRITABLE;
		return;
	}
	if (reg < IOAPIC_REG_REDTBL)
		return;		/* VER, ARB: read-only (3.2.2, 3.2.3) */
	pin = (reg - IOAPIC_REG_REDTBL) / 2;
	if (pin < IOAPIC_NR_PINS)
		write_rte(io, pin, reg & 1, val);
}

u32 ioapic_mmio_read(struct ioapic *io, u32 offset)
{
	switch (offset) {
	case IOAPIC_REGSEL:
		return io->regsel;
	case IOAPIC_WINDOW:
		return read_reg(io, io->regsel);
	default:
		return 0;
	}
}

void ioapic_mmio_write(struct ioapic *io, u32 offset, u32 val)
{
	switch (offset) {
	case IOAPIC_REGSEL:
		io->regsel = val & 0xff;
		break;
	case IOAPIC_WINDOW:
		write_reg(io, io->regsel, val);
		break;
	}
}
