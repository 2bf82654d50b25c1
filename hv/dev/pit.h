/* SPDX-License-Identifier: MIT */
/*
 * The Intel 8254 programmable interval timer at ports 0x40-0x43 and the
 * PC's system control port B (0x61), which gates channel 2 and shows its
 * output.  Channel 0's OUT is IRQ 0; channel 1 (DRAM refresh on the
 * original PC) counts but drives nothing.
 *
 * A pure model: time is the caller's, in nanoseconds of guest time, and
 * only has to be monotonic.  The 1.193182 MHz input clock ticks at fixed
 * instants of that time base (tick k starts at ceil(k * 1e9 / 1193182) ns).
 * The caller maps ports to register offsets, samples OUT with pit_out()
 * and schedules its next look with pit_next_edge_ns().
 */
#ifndef HV_DEV_PIT_H
#define HV_DEV_PIT_H

#include <lib/types.h>

#define PIT_BASE		0x40
#define PIT_NR_REGS		4	/* counters 0-2, control word */
#define PIT_PORT_B		0x61
#define PIT_HZ			1193182ull
#define PIT_NEVER		(~0ull)

struct pit_channel {
	u8 mode;		/* 0-5 (6 and 7 are 2 and 3) */
	u8 mode_bits;		/* M2-M0 as programmed, for the status byte */
	u8 rw;			/* RW1-RW0: 1 LSB, 2 MSB, 3 LSB then MSB */
	bool bcd;		/* counting in four BCD decades */
	bool gate;		/* GATE input level */
	bool loaded;		/* a count was written after the control word */
	bool triggered;		/* modes 1 and 5: a gate trigger was seen */
	bool paused;		/* gate low: counting suspended at @paused_e */
	u32 cr;			/* count register, 1-65536 (0 written is max) */
	u32 n;			/* the count the counting element runs with */
	u64 start;		/* PIT tick at which this count's clock 0 is */
	u64 paused_e;
	bool has_pending;	/* modes 2 and 3: a new count waits for ... */
	u64 pending_tick;	/* ... the end of the current period */
	u8 lsb;			/* first byte of a two-byte count */
	bool write_msb;		/* the next write is the MSB */
	bool read_msb;		/* the next read is the MSB */
	bool count_latched;
	u16 latch;
	bool status_latched;
	u8 status;
};

struct pit {
	struct pit_channel ch[3];
	u8 port_b;		/* port 0x61 bits 3:0 as written */
};

/* No channel programmed (no count: channel 0 raises nothing). */
void pit_init(struct pit *pit);

/* Register @reg (0-3 from port 0x40) at guest time @now_ns. */
u8 pit_read(struct pit *pit, u16 reg, u64 now_ns);
void pit_write(struct pit *pit, u16 reg, u8 val, u64 now_ns);

/* Port 0x61: bit 0 gates channel 2, bit 5 reads its OUT. */
u8 pit_port_b_read(struct pit *pit, u64 now_ns);
void pit_port_b_write(struct pit *pit, u8 val, u64 now_ns);

/* The GATE input of channel @ch (the caller's for 0 and 1: tied high). */
void pit_set_gate(struct pit *pit, unsigned int ch, bool level, u64 now_ns);

/* OUT of channel @ch at @now_ns (channel 0's is IRQ 0). */
bool pit_out(struct pit *pit, unsigned int ch, u64 now_ns);

/*
 * The first instant after @now_ns at which OUT of @ch changes, or
 * PIT_NEVER if it will not without further programming.
 */
u64 pit_next_edge_ns(struct pit *pit, unsigned int ch, u64 now_ns);

/* Conversions between guest nanoseconds and PIT input clock ticks. */
u64 pit_ns_to_ticks(u64 ns);
u64 pit_ticks_to_ns(u64 ticks);

#endif /* HV_DEV_PIT_H */
