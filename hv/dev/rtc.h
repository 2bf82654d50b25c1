/* SPDX-License-Identifier: MIT */
/*
 * The PC's CMOS real-time clock, a Motorola MC146818A behind an index port
 * (0x70, bit 7 masks NMI) and a data port (0x71): the clock and calendar,
 * registers A-D, the update cycle with its UIP window, the periodic, alarm
 * and update-ended interrupts on IRQ 8, the IBM century byte (0x32) and
 * the rest of the 128 bytes as battery-backed RAM.
 *
 * A pure model: time is the caller's, in nanoseconds of guest time, and
 * only has to be monotonic.  The date comes from the caller at init (read
 * from the host's RTC, or converted with rtc_time_from_epoch()).
 */
#ifndef HV_DEV_RTC_H
#define HV_DEV_RTC_H

#include <lib/types.h>

#define RTC_INDEX_PORT		0x70
#define RTC_DATA_PORT		0x71
#define RTC_NR_REGS		2	/* index, data */
#define RTC_CMOS_SIZE		128
#define RTC_NEVER		(~0ull)

#define RTC_REG_SECONDS		0x00
#define RTC_REG_SECONDS_ALARM	0x01
#define RTC_REG_MINUTES		0x02
#define RTC_REG_MINUTES_ALARM	0x03
#define RTC_REG_HOURS		0x04
#define RTC_REG_HOURS_ALARM	0x05
#define RTC_REG_DAY_OF_WEEK	0x06
#define RTC_REG_DAY		0x07
#define RTC_REG_MONTH		0x08
#define RTC_REG_YEAR		0x09
#define RTC_REG_A		0x0a
#define RTC_REG_B		0x0b
#define RTC_REG_C		0x0c
#define RTC_REG_D		0x0d
#define RTC_REG_CENTURY		0x32

#define RTC_A_UIP		0x80
#define RTC_B_SET		0x80
#define RTC_B_PIE		0x40
#define RTC_B_AIE		0x20
#define RTC_B_UIE		0x10
#define RTC_B_DM_BINARY		0x04
#define RTC_B_24H		0x02
#define RTC_C_IRQF		0x80
#define RTC_C_PF		0x40
#define RTC_C_AF		0x20
#define RTC_C_UF		0x10
#define RTC_D_VRT		0x80

/* A calendar date and time, in binary, 24-hour. */
struct rtc_time {
	u16 year;		/* e.g. 2026 */
	u8 month;		/* 1-12 */
	u8 day;			/* 1-31 */
	u8 hour;		/* 0-23 */
	u8 minute;		/* 0-59 */
	u8 second;		/* 0-59 */
	u8 weekday;		/* 1-7, Sunday = 1; computed by rtc_init */
};

struct rtc {
	u8 ram[RTC_CMOS_SIZE];	/* alarms, A, B and the RAM bytes */
	u8 index;
	bool nmi_masked;	/* port 0x70 bit 7 */
	u8 flags;		/* register C: PF, AF, UF */
	struct rtc_time now;	/* the clock, as of the last update */
	u64 divider_ns;		/* when the divider chain was released */
	u64 next_update_ns;	/* when the next update ends */
	u64 synced_ns;		/* time up to which the model has run */
};

/* @t (weekday ignored) is the date at @now_ns; A = 0x26, B = 0x02. */
void rtc_init(struct rtc *rtc, const struct rtc_time *t, u64 now_ns);

/* Seconds since 1970-01-01 00:00:00 UTC to a date. */
void rtc_time_from_epoch(u64 secs, struct rtc_time *t);

/* Port 0x70 (@reg 0) or 0x71 (@reg 1) at guest time @now_ns. */
u8 rtc_read(struct rtc *rtc, u16 reg, u64 now_ns);
void rtc_write(struct rtc *rtc, u16 reg, u8 val, u64 now_ns);

/* The IRQ 8 output (register C's IRQF) at @now_ns. */
bool rtc_irq(struct rtc *rtc, u64 now_ns);

/*
 * The first instant after @now_ns at which IRQ 8 may rise: the next update
 * if UIE or AIE is set, the next periodic tick if PIE is; else RTC_NEVER.
 * (Flags without their enable bit are brought up to date when read.)
 */
u64 rtc_next_event_ns(struct rtc *rtc, u64 now_ns);

#endif /* HV_DEV_RTC_H */
