// SPDX-License-Identifier: MIT
/*
 * The 8254 counters, from the Intel 82C54 data sheet (order 231244):
 * control word, counter latch and read-back commands, the LSB/MSB access
 * flip-flops, modes 0-5 in binary or BCD, and the GATE rules of table 6.
 *
 * Each counter is described by the count it runs with (n) and the tick
 * at which its clock 0 falls (start), so the count and OUT at any time are
 * computed, never stepped.  A count written to a counter is transferred
 * to the counting element on the next clock (the data sheet's "N+1"
 * clocks for mode 0), in modes 1 and 5 on the clock after a gate trigger.
 *
 * Simplification: in mode 3 a count written while counting takes effect
 * at the end of the current period, not the current half-period.
 */
#include <lib/string.h>
#include <hv/dev/pit.h>

#define NS_PER_SEC		1000000000ull

#define CW_SC(v)		(((v) >> 6) & 3)	/* counter select */
#define CW_RW(v)		(((v) >> 4) & 3)	/* access mode */
#define CW_MODE(v)		(((v) >> 1) & 7)
#define CW_BCD			0x01
#define SC_READ_BACK		3
#define RW_LATCH		0
#define RW_LSB			1
#define RW_MSB			2
#define RB_NOT_COUNT		0x20	/* read-back: 0 latches the count */
#define RB_NOT_STATUS		0x10	/* read-back: 0 latches the status */
#define RB_CNT(ch)		(0x02 << (ch))
#define STATUS_OUT		0x80
#define STATUS_NULL_COUNT	0x40

/* Port 0x61 as on the PIIX4 (data sheet, NMISC: NMI status and control). */
#define PORT_B_GATE2		0x01
#define PORT_B_WRITABLE		0x0f	/* gate, speaker, parity/IOCHK enables */
#define PORT_B_REFRESH		0x10
#define PORT_B_OUT2		0x20
/* The refresh request toggles every 15.085 us (channel 1's old period). */
#define REFRESH_HALF_NS		15085

u64 pit_ns_to_ticks(u64 ns)
{
	/* floor(ns * PIT_HZ / 1e9) without overflowing 64 bits. */
	return ns / NS_PER_SEC * PIT_HZ + ns % NS_PER_SEC * PIT_HZ / NS_PER_SEC;
}

u64 pit_ticks_to_ns(u64 ticks)
{
	/* ceil(ticks * 1e9 / PIT_HZ): the first instant of tick @ticks. */
	return ticks / PIT_HZ * NS_PER_SEC +
	       (ticks % PIT_HZ * NS_PER_SEC + PIT_HZ - 1) / PIT_HZ;
}

static u32 modulus(const struct pit_channel *c)
{
	return c->bcd ? 10000 : 65536;
}

static u16 to_bcd(u32 v)
{
	return (v % 10) | (v / 10 % 10) << 4 | (v / 100 % 10) << 8 |
	       (v / 1000 % 10) << 12;
}

static u32 from_bcd(u16 v)
{
	return (v & 0xf) + (v >> 4 & 0xf) * 10 + (v >> 8 & 0xf) * 100 +
	       (v >> 12 & 0xf) * 1000;
}

/* A pending mode 2/3 reload becomes the running count at its time. */
static void sync(struct pit_channel *c, u64 tick)
{
	if (c->has_pending && tick >= c->pending_tick) {
		c->n = c->cr;
		c->start = c->pending_tick;
		c->has_pending = false;
	}
}

static bool gate_triggered_mode(const struct pit_channel *c)
{
	return c->mode == 1 || c->mode == 5;
}

/* Is the counting element running, and has clock 0 passed at @tick? */
static bool counting(const struct pit_channel *c, u64 tick)
{
	if (!c->loaded || (gate_triggered_mode(c) && !c->triggered))
		return false;
	return c->paused || tick >= c->start;
}

static u64 elapsed(const struct pit_channel *c, u64 tick)
{
	return c->paused ? c->paused_e : tick - c->start;
}

/* The first clock of the high half of a mode 3 period is also 0. */
static u32 mode3_low_start(u32 n)
{
	return (n + 1) / 2;	/* high for ceil(N/2), low for floor(N/2) */
}

/* OUT after the control word, before the count reaches the counter. */
static bool initial_out(const struct pit_channel *c)
{
	return c->mode != 0;
}

static bool channel_out(const struct pit_channel *c, u64 tick)
{
	u64 e, p;

	if (!counting(c, tick))
		return initial_out(c);
	if (c->paused && (c->mode == 2 || c->mode == 3))
		return true;	/* table 6: gate low forces OUT high */
	e = elapsed(c, tick);
	switch (c->mode) {
	case 0:
		return e >= c->n;	/* high at terminal count, stays */
	case 1:
		return e >= c->n;	/* low from the trigger to TC */
	case 2:
		return e % c->n != c->n - 1;	/* low for the clock at 1 */
	case 3:
		p = e % c->n;
		return p < mode3_low_start(c->n);
	default:
		return e != c->n;	/* modes 4, 5: one low clock at TC */
	}
}

static u32 channel_count(const struct pit_channel *c, u64 tick)
{
	u32 m = modulus(c), v;
	u64 e, p, half;

	if (!counting(c, tick))
		return c->n % m;
	e = elapsed(c, tick);
	switch (c->mode) {
	case 2:
		v = c->n - e % c->n;
		break;
	case 3:
		/*
		 * The counting element steps by 2; an odd count loses 1 on
		 * its first clock in the high half and 3 in the low half.
		 */
		p = e % c->n;
		half = mode3_low_start(c->n);
		if (p >= half)
			p -= half;
		if (p == 0)
			v = c->n;
		else if (c->n & 1)
			v = c->n - (e % c->n >= half ? 3 : 1) - 2 * (p - 1);
		else
			v = c->n - 2 * p;
		break;
	default:
		/* Past terminal count the counter wraps and keeps going. */
		v = (c->n + m - e % m) % m;
		break;
	}
	return v % m;
}

static u64 periodic_next(const struct pit_channel *c, u64 tick, u64 fall)
{
	u64 e, base;

	if (fall == 0 || fall >= c->n)
		return PIT_NEVER;	/* count 1: OUT never changes */
	if (tick < c->start)
		return c->start + fall;
	e = tick - c->start;
	base = e - e % c->n;
	if (e < base + fall)
		return c->start + base + fall;
	return c->start + base + c->n;
}

static u64 channel_next_edge(const struct pit_channel *c, u64 tick)
{
	u64 e;

	if (!c->loaded || c->paused ||
	    (gate_triggered_mode(c) && !c->triggered))
		return PIT_NEVER;
	switch (c->mode) {
	case 2:
		return periodic_next(c, tick, c->n - 1);
	case 3:
		return periodic_next(c, tick, mode3_low_start(c->n));
	case 0:
	case 1:
		/* Mode 1 falls at clock 0; both rise at terminal count. */
		if (c->mode == 1 && tick < c->start)
			return c->start;
		return tick < c->start + c->n ? c->start + c->n : PIT_NEVER;
	default:
		e = tick < c->start ? 0 : tick - c->start;
		if (e < c->n)
			return c->start + c->n;
		if (e == c->n)
			return c->start + c->n + 1;
		return PIT_NEVER;
	}
}

static void latch_count(struct pit_channel *c, u64 tick)
{
	u32 v;

	if (c->count_latched)
		return;	/* later latches are ignored until it is read */
	v = channel_count(c, tick);
	c->latch = c->bcd ? to_bcd(v) : v;
	c->count_latched = true;
}

static void latch_status(struct pit_channel *c, u64 tick)
{
	bool null_count;

	if (c->status_latched)
		return;
	/* Null count: the last count written is not in the counter yet. */
	null_count = !counting(c, tick) || c->has_pending;
	c->status = (channel_out(c, tick) ? STATUS_OUT : 0) |
		    (null_count ? STATUS_NULL_COUNT : 0) |
		    c->rw << 4 | c->mode_bits << 1 | (c->bcd ? CW_BCD : 0);
	c->status_latched = true;
}

/* Bytes of a 16-bit value in the channel's access mode, in order. */
static u8 next_byte(struct pit_channel *c, u16 v, bool *done)
{
	bool msb = c->rw == RW_MSB || (c->rw == 3 && c->read_msb);

	if (c->rw == 3)
		c->read_msb = !c->read_msb;
	*done = c->rw != 3 || !c->read_msb;
	return msb ? v >> 8 : v & 0xff;
}

static u8 read_counter(struct pit_channel *c, u64 tick)
{
	bool done;
	u8 val;
	u32 v;

	if (c->status_latched) {
		c->status_latched = false;
		return c->status;
	}
	if (c->count_latched) {
		val = next_byte(c, c->latch, &done);
		if (done)
			c->count_latched = false;
		return val;
	}
	v = channel_count(c, tick);
	return next_byte(c, c->bcd ? to_bcd(v) : v, &done);
}

/* A new count in CR: when the counting element takes it (table 6). */
static void load_count(struct pit_channel *c, u16 raw, u64 tick)
{
	u32 v = c->bcd ? from_bcd(raw) : raw;

	c->cr = v ? v : modulus(c);
	if ((c->mode == 2 || c->mode == 3) && c->loaded && !c->paused &&
	    tick >= c->start) {
		/* Counting: the new count starts the next period. */
		u64 e = tick - c->start;

		c->has_pending = true;
		c->pending_tick = c->start + e - e % c->n + c->n;
		return;
	}
	c->loaded = true;
	if (gate_triggered_mode(c) && c->triggered && tick >= c->start)
		return;	/* the running one-shot keeps its count */
	c->n = c->cr;
	c->start = tick + 1;
	c->paused = false;
	if (!c->gate && c->mode != 1 && c->mode != 5) {
		/* Gate low: loaded but suspended before clock 0. */
		c->paused = true;
		c->paused_e = 0;
	}
}

static void write_counter(struct pit_channel *c, u8 val, u64 tick)
{
	switch (c->rw) {
	case RW_LSB:
		load_count(c, val, tick);
		break;
	case RW_MSB:
		load_count(c, (u16)val << 8, tick);
		break;
	default:
		if (!c->write_msb) {
			c->lsb = val;
			c->write_msb = true;
			/* Mode 0: the first byte stops the count, OUT low. */
			if (c->mode == 0)
				c->loaded = false;
			break;
		}
		c->write_msb = false;
		load_count(c, c->lsb | (u16)val << 8, tick);
		break;
	}
}

static void write_control(struct pit *pit, u8 val, u64 tick)
{
	struct pit_channel *c;

	if (CW_SC(val) == SC_READ_BACK) {
		for (unsigned int i = 0; i < 3; i++) {
			if (!(val & RB_CNT(i)))
				continue;
			sync(&pit->ch[i], tick);
			if (!(val & RB_NOT_STATUS))
				latch_status(&pit->ch[i], tick);
			if (!(val & RB_NOT_COUNT))
				latch_count(&pit->ch[i], tick);
		}
		return;
	}
	c = &pit->ch[CW_SC(val)];
	sync(c, tick);
	if (CW_RW(val) == RW_LATCH) {
		latch_count(c, tick);
		return;
	}
	/* A control word resets the counter's logic; OUT goes initial. */
	c->rw = CW_RW(val);
	c->mode_bits = CW_MODE(val);
	c->mode = c->mode_bits > 5 ? c->mode_bits - 4 : c->mode_bits;
	c->bcd = val & CW_BCD;
	c->loaded = false;
	c->triggered = false;
	c->paused = false;
	c->has_pending = false;
	c->write_msb = false;
	c->read_msb = false;
	c->count_latched = false;
	c->status_latched = false;
}

void pit_init(struct pit *pit)
{
	memset(pit, 0, sizeof(*pit));
	for (unsigned int i = 0; i < 3; i++) {
		pit->ch[i].n = pit->ch[i].cr = 65536;
		pit->ch[i].gate = i != 2;	/* 0 and 1: tied high */
	}
}

u8 pit_read(struct pit *pit, u16 reg, u64 now_ns)
{
	u64 tick = pit_ns_to_ticks(now_ns);

	if (reg >= 3)
		return 0xff;	/* the control word register is write-only */
	sync(&pit->ch[reg], tick);
	return read_counter(&pit->ch[reg], tick);
}

void pit_write(struct pit *pit, u16 reg, u8 val, u64 now_ns)
{
	u64 tick = pit_ns_to_ticks(now_ns);

	if (reg >= 3) {
		write_control(pit, val, tick);
		return;
	}
	sync(&pit->ch[reg], tick);
	write_counter(&pit->ch[reg], val, tick);
}

void pit_set_gate(struct pit *pit, unsigned int ch, bool level, u64 now_ns)
{
	struct pit_channel *c = &pit->ch[ch % 3];
	u64 tick = pit_ns_to_ticks(now_ns);
	bool rising = level && !c->gate;

	sync(c, tick);
	c->gate = level;
	switch (c->mode) {
	case 0:
	case 4:
		/* Gate low suspends counting; high resumes where it was. */
		if (!level && !c->paused && c->loaded) {
			c->paused_e = tick >= c->start ? tick - c->start : 0;
			c->paused = true;
		} else if (level && c->paused) {
			c->start = tick + 1 - c->paused_e;
			c->paused = false;
		}
		break;
	case 2:
	case 3:
		/* Low: stop, OUT high.  Rising: reload on the next clock. */
		if (!level && c->loaded && !c->paused) {
			c->paused_e = tick >= c->start ? tick - c->start : 0;
			c->paused = true;
		} else if (rising && c->loaded) {
			if (c->has_pending)
				c->n = c->cr;
			c->has_pending = false;
			c->start = tick + 1;
			c->paused = false;
		}
		break;
	default:
		/* Modes 1 and 5: a rising edge (re)triggers the count. */
		if (rising && c->loaded) {
			c->n = c->cr;
			c->start = tick + 1;
			c->triggered = true;
		}
		break;
	}
}

bool pit_out(struct pit *pit, unsigned int ch, u64 now_ns)
{
	struct pit_channel *c = &pit->ch[ch % 3];
	u64 tick = pit_ns_to_ticks(now_ns);

	sync(c, tick);
	return channel_out(c, tick);
}

u64 pit_next_edge_ns(struct pit *pit, unsigned int ch, u64 now_ns)
{
	struct pit_channel *c = &pit->ch[ch % 3];
	u64 tick = pit_ns_to_ticks(now_ns);
	u64 next;

	sync(c, tick);
	next = channel_next_edge(c, tick);
	return next == PIT_NEVER ? PIT_NEVER : pit_ticks_to_ns(next);
}

u8 pit_port_b_read(struct pit *pit, u64 now_ns)
{
	u8 val = pit->port_b & PORT_B_WRITABLE;

	if (now_ns / REFRESH_HALF_NS & 1)
		val |= PORT_B_REFRESH;
	if (pit_out(pit, 2, now_ns))
		val |= PORT_B_OUT2;
	return val;	/* bits 7:6 (SERR#, IOCHK#): no error */
}

void pit_port_b_write(struct pit *pit, u8 val, u64 now_ns)
{
	pit->port_b = val & PORT_B_WRITABLE;
	pit_set_gate(pit, 2, val & PORT_B_GATE2, now_ns);
}
