// SPDX-License-Identifier: MIT
/*
 * The MC146818A, from the Motorola data sheet (MC146818A/D): time,
 * calendar and alarm bytes in BCD or binary and in 12- or 24-hour form
 * (register B DM and 24/12), the once-a-second update cycle and its UIP
 * flag (set 244 us before the cycle, which lasts 1984 us with the PC's
 * 32.768 kHz time base; table 6), SET inhibiting updates, the divider
 * chain reset in register A (the first update begins 500 ms after its
 * release), periodic rates, register C flags cleared by reading it, and
 * register D's valid-RAM-and-time bit.
 *
 * The clock is kept in binary (struct rtc_time) and shown in the format
 * register B selects when read; a write is taken in the format selected
 * at the time of the write.  The chip stores bytes as written and never
 * converts them, so a guest that flips DM without rewriting the clock
 * reads a converted value here; nothing that sets the clock does that.
 * Daylight saving (DSE) is not modelled.  The century byte, only RAM on
 * the original chip, counts with the year, and leap years follow the
 * Gregorian rule of the full year (the chip knows only year % 4).
 */
#include <lib/string.h>
#include <hv/dev/rtc.h>

#define NS_PER_SEC		1000000000ull
#define NS_PER_US		1000ull
#define RTC_HZ			32768ull
#define UPDATE_CYCLE_NS		(1984 * NS_PER_US)	/* t_UC, 32.768 kHz */
#define UIP_LEAD_NS		(244 * NS_PER_US)	/* t_BUC */
#define DIVIDER_FIRST_NS	(NS_PER_SEC / 2)
#define A_DV_MASK		0x70
#define A_DV_32KHZ		0x20	/* DV2-0 = 010: running */
#define A_RS_MASK		0x0f
#define ALARM_DONT_CARE		0xc0	/* 11xxxxxx: "don't care" alarm code */
#define HOUR_PM			0x80
#define SECS_PER_DAY		86400ull

static u8 to_bcd(unsigned int v)
{
	return (v / 10 % 10) << 4 | v % 10;
}

static unsigned int from_bcd(u8 v)
{
	return (v >> 4) * 10 + (v & 0xf);
}

static bool is_leap(unsigned int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static unsigned int days_in_month(unsigned int month, unsigned int year)
{
	static const u8 days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (month < 1 || month > 12)
		return 31;
	return days[month - 1] + (month == 2 && is_leap(year));
}

/* Days from 1970-01-01 to a date (proleptic Gregorian, year >= 0). */
static s64 days_from_civil(s64 y, unsigned int m, unsigned int d)
{
	s64 era, yoe, doy, doe;

	y -= m <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(s64 z, struct rtc_time *t)
{
	s64 era, doe, yoe, doy, mp, y;

	z += 719468;
	era = z / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	t->day = doy - (153 * mp + 2) / 5 + 1;
	t->month = mp < 10 ? mp + 3 : mp - 9;
	t->year = y + (t->month <= 2);
}

/* 1970-01-01 was a Thursday: weekday 5 with Sunday = 1. */
static u8 weekday_of(s64 days)
{
	return (u8)(((days % 7 + 7 + 4) % 7) + 1);
}

void rtc_time_from_epoch(u64 secs, struct rtc_time *t)
{
	u64 days = secs / SECS_PER_DAY, rem = secs % SECS_PER_DAY;

	civil_from_days((s64)days, t);
	t->hour = rem / 3600;
	t->minute = rem / 60 % 60;
	t->second = rem % 60;
	t->weekday = weekday_of((s64)days);
}

static bool divider_running(const struct rtc *rtc)
{
	return (rtc->ram[RTC_REG_A] & A_DV_MASK) == A_DV_32KHZ;
}

static bool binary_mode(const struct rtc *rtc)
{
	return rtc->ram[RTC_REG_B] & RTC_B_DM_BINARY;
}

static u8 render(const struct rtc *rtc, unsigned int v)
{
	return binary_mode(rtc) ? (u8)v : to_bcd(v);
}

static unsigned int parse(const struct rtc *rtc, u8 v)
{
	return binary_mode(rtc) ? v : from_bcd(v);
}

/* 12-hour form: 12 AM is midnight, bit 7 says PM (data sheet table 3). */
static u8 render_hour(const struct rtc *rtc, unsigned int hour)
{
	unsigned int h12;

	if (rtc->ram[RTC_REG_B] & RTC_B_24H)
		return render(rtc, hour);
	h12 = hour % 12 ? hour % 12 : 12;
	return render(rtc, h12) | (hour >= 12 ? HOUR_PM : 0);
}

static unsigned int parse_hour(const struct rtc *rtc, u8 v)
{
	if (rtc->ram[RTC_REG_B] & RTC_B_24H)
		return parse(rtc, v);
	return parse(rtc, v & ~HOUR_PM) % 12 + (v & HOUR_PM ? 12 : 0);
}

static bool alarm_field(u8 alarm, u8 now)
{
	return (alarm & ALARM_DONT_CARE) == ALARM_DONT_CARE || alarm == now;
}

static bool alarm_matches(const struct rtc *rtc)
{
	const struct rtc_time *t = &rtc->now;

	return alarm_field(rtc->ram[RTC_REG_SECONDS_ALARM],
			   render(rtc, t->second)) &&
	       alarm_field(rtc->ram[RTC_REG_MINUTES_ALARM],
			   render(rtc, t->minute)) &&
	       alarm_field(rtc->ram[RTC_REG_HOURS_ALARM],
			   render_hour(rtc, t->hour));
}

/* One update cycle's increment, with the calendar's carries. */
static void tick_second(struct rtc_time *t)
{
	if (++t->second < 60)
		return;
	t->second = 0;
	if (++t->minute < 60)
		return;
	t->minute = 0;
	if (++t->hour < 24)
		return;
	t->hour = 0;
	t->weekday = t->weekday % 7 + 1;
	if (++t->day <= days_in_month(t->month, t->year))
		return;
	t->day = 1;
	if (++t->month <= 12)
		return;
	t->month = 1;
	t->year++;
}

/* Skip @secs without looking at the alarm (long idle periods). */
static void skip_seconds(struct rtc_time *t, u64 secs)
{
	unsigned int month = t->month >= 1 && t->month <= 12 ? t->month : 1;
	unsigned int day = t->day ? t->day : 1;
	s64 days = days_from_civil(t->year, month, day);
	u64 s = (u64)t->hour * 3600 + t->minute * 60 + t->second + secs;
	s64 delta = s / SECS_PER_DAY;

	civil_from_days(days + delta, t);
	s %= SECS_PER_DAY;
	t->hour = s / 3600;
	t->minute = s / 60 % 60;
	t->second = s % 60;
	t->weekday = (t->weekday + 6 + delta % 7) % 7 + 1;
}

static void run_updates(struct rtc *rtc, u64 n)
{
	/* An alarm matches at least once a day: only the last day counts. */
	if (n > SECS_PER_DAY + 1) {
		skip_seconds(&rtc->now, n - SECS_PER_DAY - 1);
		n = SECS_PER_DAY + 1;
	}
	while (n--) {
		tick_second(&rtc->now);
		if (alarm_matches(rtc))
			rtc->flags |= RTC_C_AF;
	}
	rtc->flags |= RTC_C_UF;
}

/* Periodic rate select (register A RS3-0, the data sheet's periodic
 * interrupt rate table): 32.768 kHz clocks per period, 0 when off. */
static u64 periodic_ticks(const struct rtc *rtc)
{
	unsigned int rs = rtc->ram[RTC_REG_A] & A_RS_MASK;

	if (!rs)
		return 0;
	if (rs <= 2)
		rs += 7;	/* 256 Hz and 128 Hz, as RS = 8 and 9 */
	return 1ull << (rs - 1);
}

static u64 ns_to_rtc_ticks(u64 ns)
{
	return ns / NS_PER_SEC * RTC_HZ + ns % NS_PER_SEC * RTC_HZ / NS_PER_SEC;
}

static u64 rtc_ticks_to_ns(u64 ticks)
{
	return ticks / RTC_HZ * NS_PER_SEC +
	       (ticks % RTC_HZ * NS_PER_SEC + RTC_HZ - 1) / RTC_HZ;
}

/* Run the clock from rtc->synced_ns up to @now_ns. */
static void sync(struct rtc *rtc, u64 now_ns)
{
	u64 period, n;

	if (now_ns <= rtc->synced_ns)
		return;
	if (divider_running(rtc)) {
		period = periodic_ticks(rtc);
		if (period &&
		    ns_to_rtc_ticks(now_ns - rtc->divider_ns) / period >
		    ns_to_rtc_ticks(rtc->synced_ns - rtc->divider_ns) / period)
			rtc->flags |= RTC_C_PF;
		if (now_ns >= rtc->next_update_ns) {
			n = (now_ns - rtc->next_update_ns) / NS_PER_SEC + 1;
			/* SET aborts and inhibits updates; the divider runs. */
			if (!(rtc->ram[RTC_REG_B] & RTC_B_SET))
				run_updates(rtc, n);
			rtc->next_update_ns += n * NS_PER_SEC;
		}
	}
	rtc->synced_ns = now_ns;
}

static void release_divider(struct rtc *rtc, u64 now_ns)
{
	rtc->divider_ns = now_ns;
	rtc->next_update_ns = now_ns + DIVIDER_FIRST_NS + UPDATE_CYCLE_NS;
	rtc->synced_ns = now_ns;
}

void rtc_init(struct rtc *rtc, const struct rtc_time *t, u64 now_ns)
{
	memset(rtc, 0, sizeof(*rtc));
	rtc->now = *t;
	rtc->now.weekday = weekday_of(days_from_civil(t->year, t->month,
						      t->day));
	/* What a PC BIOS leaves: 32.768 kHz, 1024 Hz rate; BCD, 24-hour. */
	rtc->ram[RTC_REG_A] = A_DV_32KHZ | 0x06;
	rtc->ram[RTC_REG_B] = RTC_B_24H;
	release_divider(rtc, now_ns);
}

static bool uip(const struct rtc *rtc, u64 now_ns)
{
	if (!divider_running(rtc) || (rtc->ram[RTC_REG_B] & RTC_B_SET))
		return false;
	return now_ns + UPDATE_CYCLE_NS + UIP_LEAD_NS >= rtc->next_update_ns;
}

static u8 irqf(const struct rtc *rtc)
{
	u8 enabled = rtc->ram[RTC_REG_B] & (RTC_B_PIE | RTC_B_AIE | RTC_B_UIE);

	/* PIE, AIE and UIE sit where PF, AF and UF do in register C. */
	return rtc->flags & enabled ? RTC_C_IRQF : 0;
}

static u8 read_data(struct rtc *rtc, u64 now_ns)
{
	const struct rtc_time *t = &rtc->now;
	u8 val;

	switch (rtc->index) {
	case RTC_REG_SECONDS:
		return render(rtc, t->second);
	case RTC_REG_MINUTES:
		return render(rtc, t->minute);
	case RTC_REG_HOURS:
		return render_hour(rtc, t->hour);
	case RTC_REG_DAY_OF_WEEK:
		return render(rtc, t->weekday);
	case RTC_REG_DAY:
		return render(rtc, t->day);
	case RTC_REG_MONTH:
		return render(rtc, t->month);
	case RTC_REG_YEAR:
		return render(rtc, t->year % 100);
	case RTC_REG_CENTURY:
		return render(rtc, t->year / 100 % 100);
	case RTC_REG_A:
		return (rtc->ram[RTC_REG_A] & ~RTC_A_UIP) |
		       (uip(rtc, now_ns) ? RTC_A_UIP : 0);
	case RTC_REG_C:
		/* Reading C clears every flag and so the IRQ (table 5). */
		val = rtc->flags | irqf(rtc);
		rtc->flags = 0;
		return val;
	case RTC_REG_D:
		return RTC_D_VRT;
	default:
		return rtc->ram[rtc->index];
	}
}

static void write_data(struct rtc *rtc, u8 val, u64 now_ns)
{
	struct rtc_time *t = &rtc->now;
	bool was_running;

	switch (rtc->index) {
	case RTC_REG_SECONDS:
		t->second = parse(rtc, val);
		break;
	case RTC_REG_MINUTES:
		t->minute = parse(rtc, val);
		break;
	case RTC_REG_HOURS:
		t->hour = parse_hour(rtc, val);
		break;
	case RTC_REG_DAY_OF_WEEK:
		t->weekday = parse(rtc, val);
		break;
	case RTC_REG_DAY:
		t->day = parse(rtc, val);
		break;
	case RTC_REG_MONTH:
		t->month = parse(rtc, val);
		break;
	case RTC_REG_YEAR:
		t->year = t->year / 100 * 100 + parse(rtc, val) % 100;
		break;
	case RTC_REG_CENTURY:
		t->year = parse(rtc, val) * 100 + t->year % 100;
		break;
	case RTC_REG_A:
		was_running = divider_running(rtc);
		rtc->ram[RTC_REG_A] = val & ~RTC_A_UIP;	/* UIP: read-only */
		if (!was_running && divider_running(rtc))
			release_divider(rtc, now_ns);
		break;
	case RTC_REG_B:
		/* Setting SET clears UIE (data sheet, register B). */
		if (val & RTC_B_SET)
			val &= ~RTC_B_UIE;
		rtc->ram[RTC_REG_B] = val;
		break;
	case RTC_REG_C:
	case RTC_REG_D:
		break;	/* read-only */
	default:
		rtc->ram[rtc->index] = val;
		break;
	}
}

u8 rtc_read(struct rtc *rtc, u16 reg, u64 now_ns)
{
	if (!(reg & 1))
		return 0xff;	/* the index register is write-only */
	sync(rtc, now_ns);
	return read_data(rtc, now_ns);
}

void rtc_write(struct rtc *rtc, u16 reg, u8 val, u64 now_ns)
{
	sync(rtc, now_ns);
	if (reg & 1) {
		write_data(rtc, val, now_ns);
		return;
	}
	rtc->index = val & (RTC_CMOS_SIZE - 1);
	rtc->nmi_masked = val & 0x80;
}

bool rtc_irq(struct rtc *rtc, u64 now_ns)
{
	sync(rtc, now_ns);
	return irqf(rtc);
}

u64 rtc_next_event_ns(struct rtc *rtc, u64 now_ns)
{
	u8 b = rtc->ram[RTC_REG_B];
	u64 period, k, next = RTC_NEVER;

	sync(rtc, now_ns);
	if (!divider_running(rtc))
		return RTC_NEVER;
	if ((b & (RTC_B_UIE | RTC_B_AIE)) && !(b & RTC_B_SET))
		next = rtc->next_update_ns;
	period = periodic_ticks(rtc);
	if (period && (b & RTC_B_PIE)) {
		k = ns_to_rtc_ticks(now_ns - rtc->divider_ns) / period + 1;
		next = MIN(next, rtc->divider_ns + rtc_ticks_to_ns(k * period));
	}
	return next;
}
