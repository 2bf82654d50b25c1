// SPDX-License-Identifier: MIT
/*
 * The MC146818A model (hv/dev/rtc.c) against the Motorola data sheet:
 * BCD/binary and 12/24-hour formats, the update cycle and its UIP window,
 * SET, the divider reset, the calendar's carries, register C's flags and
 * IRQ, the alarm and periodic interrupts, and the CMOS RAM.
 */
#define UNIT_SUITE "rtc"
#include "unit.h"

#include <hv/dev/rtc.h>

#define MS		1000000ull
#define US		1000ull
#define SEC		1000000000ull
/* The first update ends 500 ms + 1984 us after init (divider release). */
#define U1		(500 * MS + 1984 * US)

static struct rtc rtc;

static u8 rd(u8 idx, u64 now)
{
	rtc_write(&rtc, 0, idx, now);
	return rtc_read(&rtc, 1, now);
}

static void wr(u8 idx, u8 val, u64 now)
{
	rtc_write(&rtc, 0, idx, now);
	rtc_write(&rtc, 1, val, now);
}

static void setup_date(u16 y, u8 mo, u8 d, u8 h, u8 mi, u8 s)
{
	struct rtc_time t = {
		.year = y, .month = mo, .day = d,
		.hour = h, .minute = mi, .second = s,
	};

	rtc_init(&rtc, &t, 0);
}

/* Init: the date in BCD, 24-hour (B = 0x02), century in 0x32. */
static void test_init_bcd(void)
{
	setup_date(2026, 12, 1, 14, 50, 2);
	CHECK_EQ(rd(RTC_REG_SECONDS, 0), 0x02);
	CHECK_EQ(rd(RTC_REG_MINUTES, 0), 0x50);
	CHECK_EQ(rd(RTC_REG_HOURS, 0), 0x14);
	CHECK_EQ(rd(RTC_REG_DAY_OF_WEEK, 0), 3);	/* Tuesday */
	CHECK_EQ(rd(RTC_REG_DAY, 0), 0x01);
	CHECK_EQ(rd(RTC_REG_MONTH, 0), 0x12);
	CHECK_EQ(rd(RTC_REG_YEAR, 0), 0x26);
	CHECK_EQ(rd(RTC_REG_CENTURY, 0), 0x20);
	CHECK_EQ(rd(RTC_REG_A, 0), 0x26);
	CHECK_EQ(rd(RTC_REG_B, 0), 0x02);
	CHECK_EQ(rd(RTC_REG_D, 0), RTC_D_VRT);
}

/* Register B DM = 1: binary; bit 1 = 0: 12-hour with PM in bit 7. */
static void test_binary_and_12h(void)
{
	setup_date(2026, 12, 1, 14, 50, 2);
	wr(RTC_REG_B, RTC_B_DM_BINARY | RTC_B_24H, 0);
	CHECK_EQ(rd(RTC_REG_MINUTES, 0), 50);
	CHECK_EQ(rd(RTC_REG_YEAR, 0), 26);
	CHECK_EQ(rd(RTC_REG_CENTURY, 0), 20);
	wr(RTC_REG_B, 0, 0);	/* BCD, 12-hour */
	CHECK_EQ(rd(RTC_REG_HOURS, 0), 0x82);	/* 2 PM */
	wr(RTC_REG_HOURS, 0x12, 0);	/* 12 AM is midnight */
	wr(RTC_REG_B, RTC_B_24H, 0);
	CHECK_EQ(rd(RTC_REG_HOURS, 0), 0x00);
	wr(RTC_REG_B, 0, 0);
	wr(RTC_REG_HOURS, 0x92, 0);	/* 12 PM is noon */
	wr(RTC_REG_B, RTC_B_24H | RTC_B_DM_BINARY, 0);
	CHECK_EQ(rd(RTC_REG_HOURS, 0), 12);
}

/* UIP: set 244 us before the 1984 us update cycle, clear after it. */
static void test_uip_window(void)
{
	u64 u2 = U1 + SEC;

	setup_date(2026, 12, 1, 14, 50, 2);
	CHECK_EQ(rd(RTC_REG_A, U1 - 2228 * US - 1) & RTC_A_UIP, 0);
	CHECK_EQ(rd(RTC_REG_SECONDS, U1 - 2228 * US - 1), 0x02);
	CHECK_EQ(rd(RTC_REG_A, U1 - 2228 * US) & RTC_A_UIP, RTC_A_UIP);
	CHECK_EQ(rd(RTC_REG_A, U1 - 1) & RTC_A_UIP, RTC_A_UIP);
	CHECK_EQ(rd(RTC_REG_A, U1) & RTC_A_UIP, 0);
	CHECK_EQ(rd(RTC_REG_SECONDS, U1), 0x03);
	/* Once a second. */
	CHECK_EQ(rd(RTC_REG_SECONDS, u2 - 1), 0x03);
	CHECK_EQ(rd(RTC_REG_A, u2 - 1) & RTC_A_UIP, RTC_A_UIP);
	CHECK_EQ(rd(RTC_REG_SECONDS, u2), 0x04);
	/* UIP is read-only. */
	wr(RTC_REG_A, 0xa6, u2 + 100 * MS);
	CHECK_EQ(rd(RTC_REG_A, u2 + 100 * MS), 0x26);
}

/* Time advances with guest time, one update per second. */
static void test_advances(void)
{
	setup_date(2026, 12, 1, 14, 59, 50);
	CHECK_EQ(rd(RTC_REG_SECONDS, U1 + 9 * SEC), 0x00);
	CHECK_EQ(rd(RTC_REG_MINUTES, U1 + 9 * SEC), 0x00);
	CHECK_EQ(rd(RTC_REG_HOURS, U1 + 9 * SEC), 0x15);
	CHECK_EQ(rd(RTC_REG_SECONDS, U1 + 3600 * SEC), 0x51);
}

/* SET = 1 inhibits updates and clears UIP; the clock is then written. */
static void test_set_freezes(void)
{
	setup_date(2026, 12, 1, 14, 50, 2);
	wr(RTC_REG_B, RTC_B_SET | RTC_B_24H | RTC_B_UIE, 0);
	CHECK_EQ(rd(RTC_REG_B, 0), RTC_B_SET | RTC_B_24H);	/* UIE cleared */
	CHECK_EQ(rd(RTC_REG_A, U1 - 1) & RTC_A_UIP, 0);
	CHECK_EQ(rd(RTC_REG_SECONDS, U1 + 5 * SEC), 0x02);
	wr(RTC_REG_SECONDS, 0x30, U1 + 5 * SEC);
	wr(RTC_REG_MINUTES, 0x07, U1 + 5 * SEC);
	CHECK_EQ(rd(RTC_REG_C, U1 + 5 * SEC) & RTC_C_UF, 0);	/* no update */
	wr(RTC_REG_B, RTC_B_24H, U1 + 5 * SEC + 1);
	/* Updates resume in the divider's phase. */
	CHECK_EQ(rd(RTC_REG_SECONDS, U1 + 6 * SEC - 1), 0x30);
	CHECK_EQ(rd(RTC_REG_SECONDS, U1 + 6 * SEC), 0x31);
	CHECK_EQ(rd(RTC_REG_MINUTES, U1 + 6 * SEC), 0x07);
}

/* Carries at the end of a month and of a year (and the century). */
static void test_month_year_rollover(void)
{
	setup_date(2026, 1, 31, 23, 59, 59);
	CHECK_EQ(rd(RTC_REG_MONTH, U1), 0x02);
	CHECK_EQ(rd(RTC_REG_DAY, U1), 0x01);
	CHECK_EQ(rd(RTC_REG_HOURS, U1), 0x00);
	setup_date(2026, 4, 30, 23, 59, 59);
	CHECK_EQ(rd(RTC_REG_MONTH, U1), 0x05);
	CHECK_EQ(rd(RTC_REG_DAY, U1), 0x01);
	setup_date(2099, 12, 31, 23, 59, 59);
	CHECK_EQ(rd(RTC_REG_DAY_OF_WEEK, 0), 5);	/* Thursday */
	CHECK_EQ(rd(RTC_REG_YEAR, U1), 0x00);
	CHECK_EQ(rd(RTC_REG_CENTURY, U1), 0x21);
	CHECK_EQ(rd(RTC_REG_MONTH, U1), 0x01);
	CHECK_EQ(rd(RTC_REG_DAY, U1), 0x01);
	CHECK_EQ(rd(RTC_REG_DAY_OF_WEEK, U1), 6);
}

/* Leap years: Feb 29 in 2024 and 2000, not in 2023 or 2100. */
static void test_leap_years(void)
{
	static const struct { u16 year; u8 day; } cases[] = {
		{ 2024, 0x29 }, { 2000, 0x29 }, { 2023, 0x01 }, { 2100, 0x01 },
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
		setup_date(cases[i].year, 2, 28, 23, 59, 59);
		CHECK_EQ(rd(RTC_REG_DAY, U1), cases[i].day);
	}
	setup_date(2024, 2, 29, 23, 59, 59);
	CHECK_EQ(rd(RTC_REG_MONTH, U1), 0x03);
	CHECK_EQ(rd(RTC_REG_DAY, U1), 0x01);
}

/* Register C: UF after each update; reading C clears it; IRQF if UIE. */
static void test_update_flag_and_irq(void)
{
	setup_date(2026, 12, 1, 14, 50, 2);
	wr(RTC_REG_A, 0x20, 0);	/* no periodic flag */
	CHECK(!rtc_irq(&rtc, U1));	/* UF set, UIE clear: no IRQ */
	CHECK_EQ(rd(RTC_REG_C, U1), RTC_C_UF);
	CHECK_EQ(rd(RTC_REG_C, U1), 0);
	wr(RTC_REG_B, RTC_B_24H | RTC_B_UIE, U1);
	CHECK_EQ(rtc_next_event_ns(&rtc, U1), U1 + SEC);
	CHECK(!rtc_irq(&rtc, U1 + SEC - 1));
	CHECK(rtc_irq(&rtc, U1 + SEC));
	CHECK_EQ(rd(RTC_REG_C, U1 + SEC), RTC_C_IRQF | RTC_C_UF);
	CHECK(!rtc_irq(&rtc, U1 + SEC));
	/* C and D are read-only. */
	wr(RTC_REG_C, 0xff, U1 + SEC);
	wr(RTC_REG_D, 0x00, U1 + SEC);
	CHECK_EQ(rd(RTC_REG_C, U1 + SEC), 0);
	CHECK_EQ(rd(RTC_REG_D, U1 + SEC), RTC_D_VRT);
}

/* Alarm: AF when seconds, minutes and hours match; 0xc0+ matches all. */
static void test_alarm(void)
{
	setup_date(2026, 12, 1, 14, 50, 2);
	wr(RTC_REG_A, 0x20, 0);	/* no periodic flag */
	wr(RTC_REG_SECONDS_ALARM, 0x05, 0);
	wr(RTC_REG_MINUTES_ALARM, 0x50, 0);
	wr(RTC_REG_HOURS_ALARM, 0x14, 0);
	wr(RTC_REG_B, RTC_B_24H | RTC_B_AIE, 0);
	CHECK(!rtc_irq(&rtc, U1 + SEC));	/* 14:50:04 */
	CHECK(rtc_irq(&rtc, U1 + 2 * SEC));	/* 14:50:05 */
	CHECK_EQ(rd(RTC_REG_C, U1 + 2 * SEC),
		 RTC_C_IRQF | RTC_C_AF | RTC_C_UF);
	/* Don't-care hours and minutes: once a minute at :05. */
	wr(RTC_REG_HOURS_ALARM, 0xff, U1 + 2 * SEC);
	wr(RTC_REG_MINUTES_ALARM, 0xc0, U1 + 2 * SEC);
	CHECK(!rtc_irq(&rtc, U1 + 61 * SEC));
	CHECK(rtc_irq(&rtc, U1 + 62 * SEC));
	/* An alarm passed while the guest was away is still flagged. */
	rd(RTC_REG_C, U1 + 62 * SEC);
	CHECK(rtc_irq(&rtc, U1 + 10000 * SEC));
}

/* Periodic: RS = 6 is 1024 Hz; PF is set whether or not PIE is. */
static void test_periodic(void)
{
	setup_date(2026, 12, 1, 14, 50, 2);
	CHECK_EQ(rtc_next_event_ns(&rtc, 0), RTC_NEVER);	/* nothing enabled */
	CHECK_EQ(rd(RTC_REG_C, 976562), 0);
	CHECK_EQ(rd(RTC_REG_C, 976563), RTC_C_PF);	/* 976.5625 us */
	wr(RTC_REG_B, RTC_B_24H | RTC_B_PIE, 976563);
	CHECK_EQ(rtc_next_event_ns(&rtc, 976563), 1953125);
	CHECK(!rtc_irq(&rtc, 2 * 976562));
	CHECK(rtc_irq(&rtc, 1953125));
	/* RS = 15: 2 Hz; RS = 0: none, only the update with UIE. */
	wr(RTC_REG_A, 0x2f, 2 * MS);
	CHECK_EQ(rtc_next_event_ns(&rtc, 2 * MS), 500 * MS);
	wr(RTC_REG_A, 0x20, 2 * MS);
	CHECK_EQ(rtc_next_event_ns(&rtc, 2 * MS), RTC_NEVER);
	wr(RTC_REG_B, RTC_B_24H | RTC_B_PIE | RTC_B_UIE, 2 * MS);
	CHECK_EQ(rtc_next_event_ns(&rtc, 2 * MS), U1);
}

/* Rate select: RS 1 and 2 are 256 and 128 Hz, RS 3 is 8192 Hz. */
static void test_rate_select_table(void)
{
	setup_date(2026, 12, 1, 14, 50, 2);
	wr(RTC_REG_B, RTC_B_24H | RTC_B_PIE, 0);
	wr(RTC_REG_A, 0x21, 0);
	CHECK_EQ(rtc_next_event_ns(&rtc, 0), 3906250);
	wr(RTC_REG_A, 0x22, 0);
	CHECK_EQ(rtc_next_event_ns(&rtc, 0), 7812500);
	wr(RTC_REG_A, 0x23, 0);
	CHECK_EQ(rtc_next_event_ns(&rtc, 0), 122071);	/* 122.0703 us */
	CHECK_EQ(rd(RTC_REG_C, 122070), 0);
	CHECK_EQ(rd(RTC_REG_C, 122071), RTC_C_IRQF | RTC_C_PF);
}

/* Divider reset (DV = 11x) stops the clock; first update 500 ms after. */
static void test_divider_reset(void)
{
	setup_date(2026, 12, 1, 14, 50, 2);
	wr(RTC_REG_A, 0x70, 0);
	CHECK_EQ(rd(RTC_REG_SECONDS, 10 * SEC), 0x02);
	CHECK_EQ(rd(RTC_REG_A, 10 * SEC), 0x70);
	wr(RTC_REG_B, RTC_B_24H | RTC_B_UIE, 10 * SEC);
	CHECK_EQ(rtc_next_event_ns(&rtc, 10 * SEC), RTC_NEVER);
	wr(RTC_REG_A, 0x20, 10 * SEC);
	CHECK_EQ(rtc_next_event_ns(&rtc, 10 * SEC), 10 * SEC + U1);
	CHECK_EQ(rd(RTC_REG_SECONDS, 10 * SEC + 500 * MS), 0x02);
	CHECK_EQ(rd(RTC_REG_SECONDS, 10 * SEC + U1), 0x03);
}

/* Port 0x70: bit 7 masks NMI, bits 6:0 index the 128 bytes of RAM. */
static void test_cmos_ram_and_index(void)
{
	setup_date(2026, 12, 1, 14, 50, 2);
	wr(0x40, 0xa5, 0);
	wr(0x7f, 0x5a, 0);
	CHECK_EQ(rd(0x40, 0), 0xa5);
	rtc_write(&rtc, 0, 0x80 | 0x7f, 0);
	CHECK(rtc.nmi_masked);
	CHECK_EQ(rtc_read(&rtc, 1, 0), 0x5a);
	rtc_write(&rtc, 0, 0x8e, 0);	/* BIOS status byte, NMI off */
	rtc_write(&rtc, 1, 0x11, 0);
	CHECK_EQ(rd(0x0e, 0), 0x11);
	CHECK(!rtc.nmi_masked);
	CHECK_EQ(rtc_read(&rtc, 0, 0), 0xff);	/* index: write-only */
}

/* Seconds since the epoch to a date, for init from the host's time. */
static void test_epoch_conversion(void)
{
	struct rtc_time t;

	rtc_time_from_epoch(0, &t);
	CHECK_EQ(t.year, 1970);
	CHECK_EQ(t.month, 1);
	CHECK_EQ(t.day, 1);
	CHECK_EQ(t.weekday, 5);	/* Thursday */
	rtc_time_from_epoch(951827696, &t);	/* 2000-02-29 12:34:56 */
	CHECK_EQ(t.year, 2000);
	CHECK_EQ(t.month, 2);
	CHECK_EQ(t.day, 29);
	CHECK_EQ(t.hour, 12);
	CHECK_EQ(t.minute, 34);
	CHECK_EQ(t.second, 56);
	rtc_time_from_epoch(4107542400ull, &t);	/* 2100-03-01 */
	CHECK_EQ(t.year, 2100);
	CHECK_EQ(t.month, 3);
	CHECK_EQ(t.day, 1);
}

/* A guest away for days: the calendar and weekday skip ahead exactly. */
static void test_long_idle(void)
{
	u64 t = U1 + (3 * 86400 + 4) * SEC;	/* 3 days and 5 updates */

	setup_date(2026, 12, 1, 14, 50, 2);

	CHECK_EQ(rd(RTC_REG_DAY, t), 0x04);
	CHECK_EQ(rd(RTC_REG_DAY_OF_WEEK, t), 6);	/* Friday */
	CHECK_EQ(rd(RTC_REG_HOURS, t), 0x14);
	CHECK_EQ(rd(RTC_REG_MINUTES, t), 0x50);
	CHECK_EQ(rd(RTC_REG_SECONDS, t), 0x07);
}

int main(void)
{
	RUN(test_init_bcd);
	RUN(test_binary_and_12h);
	RUN(test_uip_window);
	RUN(test_advances);
	RUN(test_set_freezes);
	RUN(test_month_year_rollover);
	RUN(test_leap_years);
	RUN(test_update_flag_and_irq);
	RUN(test_alarm);
	RUN(test_periodic);
	RUN(test_rate_select_table);
	RUN(test_divider_reset);
	RUN(test_cmos_ram_and_index);
	RUN(test_epoch_conversion);
	RUN(test_long_idle);
	return unit_done();
}
