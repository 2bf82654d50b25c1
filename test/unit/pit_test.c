// SPDX-License-Identifier: MIT
/*
 * The 8254 model (hv/dev/pit.c) against the Intel 82C54 data sheet: the
 * control word and access flip-flops, counter latch and read-back, modes
 * 0-5 with the N+1 load rule, the GATE table, BCD counting, and the PC's
 * port 0x61 around channel 2 (Linux's PIT calibration path).
 */
#define UNIT_SUITE "pit"
#include "unit.h"

#include <hv/dev/pit.h>

enum { CH0, CH1, CH2, CTRL };

static struct pit pit;

/* The first nanosecond of PIT input clock @k. */
static u64 T(u64 k)
{
	return pit_ticks_to_ns(k);
}

static void program(unsigned int ch, u8 mode, u16 count, u64 tick)
{
	pit_write(&pit, CTRL, ch << 6 | 0x30 | mode << 1, T(tick));
	pit_write(&pit, ch, count & 0xff, T(tick));
	pit_write(&pit, ch, count >> 8, T(tick));
}

static u16 read16(unsigned int ch, u64 tick)
{
	u8 lo = pit_read(&pit, ch, T(tick));

	return lo | pit_read(&pit, ch, T(tick)) << 8;
}

/* Tick <-> ns conversion: each tick's first ns maps back to it. */
static void test_time_base(void)
{
	CHECK_EQ(pit_ns_to_ticks(1000000000ull), PIT_HZ);
	CHECK_EQ(pit_ns_to_ticks(838), 0);
	CHECK_EQ(pit_ns_to_ticks(839), 1);	/* 1 / 1.193182 MHz = 838.1 ns */
	for (u64 k = 1; k < 5000000000ull; k = k * 7 + 3) {
		CHECK_EQ(pit_ns_to_ticks(T(k)), k);
		CHECK_EQ(pit_ns_to_ticks(T(k) - 1), k - 1);
	}
}

/* Mode 2 (rate generator): OUT low for one clock every N clocks. */
static void test_mode2_period(void)
{
	u64 e1, e2;

	pit_init(&pit);
	program(CH0, 2, 4773, 100);	/* Linux: 250 Hz */
	CHECK(pit_out(&pit, CH0, T(100)));
	/* Loaded at clock 101; the count reaches 1 at 101 + 4772. */
	CHECK(pit_out(&pit, CH0, T(101 + 4771)));
	CHECK(!pit_out(&pit, CH0, T(101 + 4772)));
	CHECK(pit_out(&pit, CH0, T(101 + 4773)));
	e1 = pit_next_edge_ns(&pit, CH0, T(200));
	CHECK_EQ(e1, T(101 + 4772));
	CHECK_EQ(pit_next_edge_ns(&pit, CH0, e1), T(101 + 4773));
	e2 = pit_next_edge_ns(&pit, CH0, T(101 + 4773));
	CHECK_EQ(e2, T(101 + 2 * 4773 - 1));
	/* The count runs N..1: N just after a reload. */
	CHECK_EQ(read16(CH0, 101), 4773);
	CHECK_EQ(read16(CH0, 101 + 4772), 1);
	CHECK_EQ(read16(CH0, 101 + 4773), 4773);
}

/* Mode 0: OUT low at the control word, high N+1 clocks after the count. */
static void test_mode0_terminal_count(void)
{
	pit_init(&pit);
	pit_write(&pit, CTRL, 0x30, T(10));
	CHECK(!pit_out(&pit, CH0, T(10)));
	pit_write(&pit, CH0, 100, T(20));
	pit_write(&pit, CH0, 0, T(20));
	CHECK(!pit_out(&pit, CH0, T(20 + 100)));
	CHECK(pit_out(&pit, CH0, T(20 + 101)));
	CHECK_EQ(pit_next_edge_ns(&pit, CH0, T(30)), T(121));
	/* It stays high; the counter wraps and keeps counting. */
	CHECK(pit_out(&pit, CH0, T(20 + 101 + 70000)));
	CHECK_EQ(pit_next_edge_ns(&pit, CH0, T(200)), PIT_NEVER);
	CHECK_EQ(read16(CH0, 121 + 1), 0xffff);
}

/* Mode 0: writing the first byte of a new count stops it, OUT low. */
static void test_mode0_first_byte_stops(void)
{
	pit_init(&pit);
	program(CH0, 0, 10, 0);
	CHECK(pit_out(&pit, CH0, T(20)));
	pit_write(&pit, CH0, 50, T(30));
	CHECK(!pit_out(&pit, CH0, T(30)));
	CHECK(!pit_out(&pit, CH0, T(200)));
	pit_write(&pit, CH0, 0, T(200));
	CHECK(pit_out(&pit, CH0, T(251)));
	CHECK(!pit_out(&pit, CH0, T(250)));
}

/* Counter latch: the count at the command, held until read, once. */
static void test_counter_latch(void)
{
	pit_init(&pit);
	program(CH0, 2, 1000, 0);
	pit_write(&pit, CTRL, 0x00, T(101));	/* latch counter 0 */
	pit_write(&pit, CTRL, 0x00, T(301));	/* ignored: latched */
	CHECK_EQ(read16(CH0, 501), 900);
	CHECK_EQ(read16(CH0, 501), 500);	/* live again */
}

/* RW=1 reads/writes the LSB only, RW=2 the MSB only, RW=3 LSB then MSB. */
static void test_access_modes(void)
{
	pit_init(&pit);
	pit_write(&pit, CTRL, 0x14, T(0));	/* LSB only, mode 2 */
	pit_write(&pit, CH0, 0x80, T(0));
	CHECK_EQ(pit_read(&pit, CH0, T(1)), 0x80);
	CHECK_EQ(pit_read(&pit, CH0, T(2)), 0x7f);
	pit_write(&pit, CTRL, 0x24, T(10));	/* MSB only */
	pit_write(&pit, CH0, 0x02, T(10));
	CHECK_EQ(pit_read(&pit, CH0, T(11)), 0x02);	/* 0x200 */
	CHECK_EQ(pit_read(&pit, CH0, T(12)), 0x01);	/* 0x1ff */
	pit_write(&pit, CTRL, 0x34, T(20));	/* LSB then MSB */
	pit_write(&pit, CH0, 0x34, T(20));
	pit_write(&pit, CH0, 0x12, T(20));
	CHECK_EQ(pit_read(&pit, CH0, T(21)), 0x34);
	CHECK_EQ(pit_read(&pit, CH0, T(21)), 0x12);
}

/* Read-back: status byte (OUT, null count, RW, mode, BCD), then count. */
static void test_read_back(void)
{
	pit_init(&pit);
	pit_write(&pit, CTRL, 0x34, T(0));
	pit_write(&pit, CH0, 0x10, T(0));
	pit_write(&pit, CH0, 0x00, T(0));
	pit_write(&pit, CTRL, 0xe2, T(0));	/* status only, counter 0 */
	CHECK_EQ(pit_read(&pit, CH0, T(0)), 0xc0 | 0x34);	/* null */
	pit_write(&pit, CTRL, 0xc2, T(5));	/* status and count */
	CHECK_EQ(pit_read(&pit, CH0, T(9)), 0x80 | 0x34);
	CHECK_EQ(read16(CH0, 9), 12);	/* 16 - (5 - 1) */
	/* One command latches several counters. */
	program(CH2, 3, 100, 10);
	pit_write(&pit, CTRL, 0xda, T(10));	/* count only, 0 and 2 */
	CHECK_EQ(read16(CH2, 20), 100);
	CHECK_EQ(read16(CH0, 20), 16 - ((10 - 1) % 16));
}

/* Mode 3: high for ceil(N/2) clocks, low for floor(N/2). */
static void test_mode3_square_wave(void)
{
	pit_init(&pit);
	program(CH0, 3, 10, 0);
	for (u64 e = 0; e < 30; e++)
		CHECK_EQ(pit_out(&pit, CH0, T(1 + e)), e % 10 < 5);
	CHECK_EQ(read16(CH0, 1 + 2), 6);	/* steps by 2 */
	program(CH0, 3, 5, 100);
	for (u64 e = 0; e < 15; e++)
		CHECK_EQ(pit_out(&pit, CH0, T(101 + e)), e % 5 < 3);
	CHECK_EQ(read16(CH0, 101 + 1), 4);	/* odd: 1 off, then 2s */
	CHECK_EQ(read16(CH0, 101 + 4), 2);	/* low half: 5, then 2 */
	CHECK_EQ(pit_next_edge_ns(&pit, CH0, T(101)), T(104));
	CHECK_EQ(pit_next_edge_ns(&pit, CH0, T(104)), T(106));
}

/* Mode 2/3: a new count takes effect at the end of the current period. */
static void test_mode2_reload_next_period(void)
{
	pit_init(&pit);
	program(CH0, 2, 100, 0);
	pit_write(&pit, CH0, 50, T(31));
	pit_write(&pit, CH0, 0, T(31));
	CHECK_EQ(read16(CH0, 32), 69);
	/* Null count: set until the counting element takes the count. */
	pit_write(&pit, CTRL, 0xe2, T(40));
	CHECK_EQ(pit_read(&pit, CH0, T(40)) & 0x40, 0x40);
	CHECK_EQ(pit_next_edge_ns(&pit, CH0, T(40)), T(100));
	CHECK_EQ(read16(CH0, 101), 50);
	CHECK(!pit_out(&pit, CH0, T(101 + 49)));
	CHECK(pit_out(&pit, CH0, T(101 + 50)));
	pit_write(&pit, CTRL, 0xe2, T(160));
	CHECK_EQ(pit_read(&pit, CH0, T(160)) & 0x40, 0);
}

/* Mode 4: OUT high, one low clock when the count reaches zero. */
static void test_mode4_strobe(void)
{
	pit_init(&pit);
	program(CH0, 4, 20, 0);
	CHECK(pit_out(&pit, CH0, T(20)));
	CHECK(!pit_out(&pit, CH0, T(21)));
	CHECK(pit_out(&pit, CH0, T(22)));
	CHECK_EQ(pit_next_edge_ns(&pit, CH0, T(5)), T(21));
	CHECK_EQ(pit_next_edge_ns(&pit, CH0, T(21)), T(22));
	CHECK_EQ(pit_next_edge_ns(&pit, CH0, T(22)), PIT_NEVER);
}

/* Mode 1 on channel 2: a gate rising edge triggers a one-shot low pulse. */
static void test_mode1_gate_trigger(void)
{
	pit_init(&pit);
	program(CH2, 1, 30, 0);
	CHECK(pit_out(&pit, CH2, T(100)));	/* waits for a trigger */
	pit_port_b_write(&pit, 0x01, T(100));
	CHECK(!pit_out(&pit, CH2, T(101)));
	CHECK(!pit_out(&pit, CH2, T(130)));
	CHECK(pit_out(&pit, CH2, T(131)));
	/* Retriggerable: another rising edge starts it again. */
	pit_port_b_write(&pit, 0x00, T(140));
	pit_port_b_write(&pit, 0x01, T(150));
	CHECK(!pit_out(&pit, CH2, T(151)));
}

/* Linux's pit_calibrate_tsc: channel 2 mode 0 gated by 0x61 bit 0. */
static void test_channel2_gate_port_b(void)
{
	pit_init(&pit);
	pit_port_b_write(&pit, 0x00, T(0));
	program(CH2, 0, 1000, 0);
	/* Gate low: mode 0 does not count. */
	CHECK_EQ(read16(CH2, 5000), 1000);
	CHECK_EQ(pit_port_b_read(&pit, T(5000)) & 0x20, 0);
	pit_port_b_write(&pit, 0x01, T(5000));
	CHECK_EQ(read16(CH2, 5101), 900);
	pit_port_b_write(&pit, 0x00, T(5101));
	CHECK_EQ(read16(CH2, 9000), 900);	/* suspended */
	pit_port_b_write(&pit, 0x01, T(9000));
	CHECK_EQ(pit_port_b_read(&pit, T(9000 + 900)) & 0x20, 0);
	CHECK_EQ(pit_port_b_read(&pit, T(9000 + 901)) & 0x20, 0x20);
	CHECK_EQ(pit_next_edge_ns(&pit, CH2, T(9001)), T(9901));
}

/* Port 0x61: bits 3:0 read back, bit 4 toggles (refresh), bits 7:6 zero. */
static void test_port_b_bits(void)
{
	u8 a, b;

	pit_init(&pit);
	pit_port_b_write(&pit, 0xfe, 0);
	a = pit_port_b_read(&pit, 0);
	CHECK_EQ(a & 0xcf, 0x0e);
	b = pit_port_b_read(&pit, 15085);
	CHECK_EQ((a ^ b) & 0x10, 0x10);
	CHECK_EQ(pit_port_b_read(&pit, 2 * 15085) & 0x10, a & 0x10);
}

/* BCD: counts are four decades; 0 is 10000. */
static void test_bcd(void)
{
	pit_init(&pit);
	pit_write(&pit, CTRL, 0x31, T(0));	/* mode 0, BCD */
	pit_write(&pit, CH0, 0x00, T(0));
	pit_write(&pit, CH0, 0x01, T(0));	/* 0100 = 100 */
	CHECK_EQ(read16(CH0, 2), 0x0099);
	CHECK(pit_out(&pit, CH0, T(101)));
	pit_write(&pit, CTRL, 0x35, T(200));	/* mode 2, BCD, count 0 */
	pit_write(&pit, CH0, 0x00, T(200));
	pit_write(&pit, CH0, 0x00, T(200));
	CHECK_EQ(read16(CH0, 202), 0x9999);
	CHECK(!pit_out(&pit, CH0, T(201 + 9999)));
}

/* Count 0 is 65536 in binary; modes 6/7 are 2/3 with M2 in the status. */
static void test_count_zero_and_mode6(void)
{
	pit_init(&pit);
	pit_write(&pit, CTRL, 0x3c, T(0));	/* mode 6 */
	pit_write(&pit, CH0, 0, T(0));
	pit_write(&pit, CH0, 0, T(0));
	CHECK_EQ(read16(CH0, 2), 0xffff);
	CHECK(!pit_out(&pit, CH0, T(1 + 65535)));
	CHECK(pit_out(&pit, CH0, T(1 + 65536)));
	pit_write(&pit, CTRL, 0xe2, T(10));
	CHECK_EQ(pit_read(&pit, CH0, T(10)) & 0x3f, 0x3c);
}

int main(void)
{
	RUN(test_time_base);
	RUN(test_mode2_period);
	RUN(test_mode0_terminal_count);
	RUN(test_mode0_first_byte_stops);
	RUN(test_counter_latch);
	RUN(test_access_modes);
	RUN(test_read_back);
	RUN(test_mode3_square_wave);
	RUN(test_mode2_reload_next_period);
	RUN(test_mode4_strobe);
	RUN(test_mode1_gate_trigger);
	RUN(test_channel2_gate_port_b);
	RUN(test_port_b_bits);
	RUN(test_bcd);
	RUN(test_count_zero_and_mode6);
	return unit_done();
}
