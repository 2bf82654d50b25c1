// SPDX-License-Identifier: MIT
/*
 * The local APIC register model (Intel SDM Vol. 3A chapter 10).  Register
 * state lives in one struct lapic; the xAPIC page and the x2APIC MSRs are
 * two front ends over the same registers, differing only in which
 * registers exist and in x2APIC's #GP for reserved bits (10.12.1.3).
 */
#include <lib/string.h>
#include <hv/dev/lapic.h>

/* Writable bits of each LVT entry (SDM 10.5.1, Figure 10-8). */
static const u32 lvt_writable[LAPIC_NR_LVT] = {
	[LAPIC_LVT_TIMER]	= 0x000700ff,	/* vector, mask, mode 18:17 */
	[LAPIC_LVT_THERMAL]	= 0x000107ff,	/* + delivery mode 10:8 */
	[LAPIC_LVT_PERF]	= 0x000107ff,
	[LAPIC_LVT_LINT0]	= 0x0001a7ff,	/* + polarity, trigger mode */
	[LAPIC_LVT_LINT1]	= 0x0001a7ff,
	[LAPIC_LVT_ERROR]	= 0x000100ff,
};

/* Read-only status bits: delivery status, and remote IRR on LINT0/1
 * (10.5.1). */
static const u32 lvt_readonly[LAPIC_NR_LVT] = {
	[LAPIC_LVT_TIMER]	= BIT(12),
	[LAPIC_LVT_THERMAL]	= BIT(12),
	[LAPIC_LVT_PERF]	= BIT(12),
	[LAPIC_LVT_LINT0]	= BIT(12) | BIT(14),
	[LAPIC_LVT_LINT1]	= BIT(12) | BIT(14),
	[LAPIC_LVT_ERROR]	= BIT(12),
};

#define ICR_LO_WRITABLE		0x000ccfffu	/* Figure 10-12 */
/* SVR (Figure 10-23): no EOI-broadcast suppression (bit 12). */
#define SVR_WRITABLE		0x3ffu
#define DIV_WRITABLE		0xbu		/* Figure 10-10 */
#define DFR_RESERVED_ONES	0x0fffffffu	/* Figure 10-14: 27:0 */
#define TIMER_MODE_SHIFT	17
#define TIMER_MODE_MASK		(3u << TIMER_MODE_SHIFT)

/* ---- 256-bit vector registers ---- */

static void vec_set(u32 *r, u8 v)
{
	r[v / 32] |= 1u << (v % 32);
}

static void vec_clear(u32 *r, u8 v)
{
	r[v / 32] &= ~(1u << (v % 32));
}

static bool vec_test(const u32 *r, u8 v)
{
	return r[v / 32] & (1u << (v % 32));
}

static int vec_highest(const u32 *r)
{
	for (int i = 7; i >= 0; i--)
		if (r[i])
			return i * 32 + 31 - __builtin_clz(r[i]);
	return LAPIC_NO_VECTOR;
}

/* ---- state ---- */

static bool hw_enabled(const struct lapic *l)
{
	return l->apic_base & APIC_BASE_EN;
}

static bool sw_enabled(const struct lapic *l)
{
	return hw_enabled(l) && (l->svr & APIC_SVR_ENABLE);
}

enum lapic_mode lapic_mode(const struct lapic *l)
{
	if (!hw_enabled(l))
		return LAPIC_DISABLED;
	return (l->apic_base & APIC_BASE_EXTD) ? LAPIC_X2APIC : LAPIC_XAPIC;
}

/* Register state after power-up or RESET (SDM 10.4.7.1, 10.12.5.1). */
static void reset_registers(struct lapic *l)
{
	l->id = (l->initial_id & 0xff) << 24;
	l->tpr = 0;
	l->ldr = 0;
	l->dfr = 0xffffffff;
	l->svr = 0xff;
	memset(l->irr, 0, sizeof(l->irr));
	memset(l->isr, 0, sizeof(l->isr));
	memset(l->tmr, 0, sizeof(l->tmr));
	l->esr = l->esr_pending = 0;
	l->icr_lo = l->icr_hi = 0;
	for (int i = 0; i < LAPIC_NR_LVT; i++)
		l->lvt[i] = APIC_LVT_MASKED;
	l->timer_init = 0;
	l->timer_div = 0;
	l->timer_armed = false;
	l->tsc_deadline = 0;
	l->nmi_pending = false;
}

void lapic_init(struct lapic *l, u32 x2apic_id, u32 tsc_per_bus_tick,
		u8 maxphyaddr, void (*eoi_broadcast)(void *ctx, u8 vector),
		void *ctx)
{
	memset(l, 0, sizeof(*l));
	l->initial_id = x2apic_id;
	l->tsc_per_bus_tick = tsc_per_bus_tick ? tsc_per_bus_tick : 1;
	l->maxphyaddr = maxphyaddr;
	l->eoi_broadcast = eoi_broadcast;
	l->ctx = ctx;
	l->apic_base = LAPIC_DEFAULT_BASE | APIC_BASE_EN | APIC_BASE_BSP;
	reset_registers(l);
}

/* ---- priorities (SDM 10.8.3) ---- */

u32 lapic_ppr(const struct lapic *l)
{
	int isrv = vec_highest(l->isr);
	u32 isr_class = isrv < 0 ? 0 : (u32)isrv & 0xf0;

	/* 10.8.3.1: PPR = TPR if TPR[7:4] >= ISRV[7:4], else ISRV[7:4]:0. */
	if ((l->tpr & 0xf0) >= isr_class)
		return l->tpr & 0xff;
	return isr_class;
}

int lapic_pending_vector(const struct lapic *l)
{
	int irrv;

	if (!hw_enabled(l))
		return LAPIC_NO_VECTOR;
	irrv = vec_highest(l->irr);
	/* Only a higher priority class than PPR[7:4] is delivered. */
	if (irrv < 0 || ((u32)irrv & 0xf0) <= (lapic_ppr(l) & 0xf0))
		return LAPIC_NO_VECTOR;
	return irrv;
}

void lapic_ack(struct lapic *l, u8 vector)
{
	vec_clear(l->irr, vector);
	vec_set(l->isr, vector);
}

int lapic_eoi(struct lapic *l)
{
	int v = vec_highest(l->isr);

	if (v < 0)
		return LAPIC_NO_VECTOR;
	vec_clear(l->isr, (u8)v);
	if (!vec_test(l->tmr, (u8)v))
		return LAPIC_NO_VECTOR;
	if (l->eoi_broadcast)
		l->eoi_broadcast(l->ctx, (u8)v);
	return v;
}

u64 lapic_get_cr8(const struct lapic *l)
{
	return (l->tpr >> 4) & 0xf;
}

void lapic_set_cr8(struct lapic *l, u64 cr8)
{
	l->tpr = (u32)(cr8 & 0xf) << 4;
}

/* ---- interrupt acceptance and errors ---- */

/* An error detected now; the ESR shows it after the next ESR write, and
 * the LVT error entry signals it (10.5.3). */
static void report_error(struct lapic *l, u32 bit)
{
	u32 lvt = l->lvt[LAPIC_LVT_ERROR];
	u8 v = lvt & 0xff;

	l->esr_pending |= bit;
	if (sw_enabled(l) && !(lvt & APIC_LVT_MASKED) && v >= 16) {
		vec_set(l->irr, v);
		vec_clear(l->tmr, v);
	}
}

/*
 * Fixed interrupts are dropped while the APIC is disabled either way (as
 * KVM does; 10.4.7.2 only promises to hold what is already pending).
 * Vectors 0-15 are illegal (10.5.2).
 */
void lapic_set_irq(struct lapic *l, u8 vector, bool level_triggered)
{
	if (!sw_enabled(l))
		return;
	if (vector < 16) {
		report_error(l, APIC_ESR_RECV_ILLEGAL);
		return;
	}
	vec_set(l->irr, vector);
	if (level_triggered)
		vec_set(l->tmr, vector);
	else
		vec_clear(l->tmr, vector);
}

/* ---- timer (SDM 10.5.4) ---- */

static u32 timer_mode(const struct lapic *l)
{
	return l->lvt[LAPIC_LVT_TIMER] & TIMER_MODE_MASK;
}

static bool timer_deadline_mode(const struct lapic *l)
{
	return timer_mode(l) == APIC_LVT_TIMER_TSCDEADLINE;
}

static bool timer_periodic(const struct lapic *l)
{
	return timer_mode(l) == APIC_LVT_TIMER_PERIODIC;
}

/* TSC ticks per counter decrement: Figure 10-10's divisor (bits 3,1:0;
 * 000 = 2 ... 110 = 128, 111 = 1) times the bus clock. */
static u64 timer_tick_len(const struct lapic *l)
{
	u32 idx = (l->timer_div & 3) | ((l->timer_div >> 1) & 4);

	return (u64)l->tsc_per_bus_tick << ((idx + 1) & 7);
}

/*
 * The count runs from timer_c0 at timer_start, one decrement per tick;
 * in periodic mode it reloads from the initial count on reaching 0.
 * Restarting from a count (not from the initial count) lets a divide or
 * mode change keep the counter where it is.
 */
static u32 timer_current(const struct lapic *l, u64 now)
{
	u64 e, c0 = l->timer_c0;

	if (timer_deadline_mode(l) || !l->timer_armed || !l->timer_init)
		return 0;
	e = now > l->timer_start ? (now - l->timer_start) / timer_tick_len(l)
				 : 0;
	if (e < c0)
		return (u32)(c0 - e);
	if (!timer_periodic(l))
		return 0;
	return l->timer_init - (u32)((e - c0) % l->timer_init);
}

static void timer_restart(struct lapic *l, u32 count, u64 now)
{
	l->timer_start = now;
	l->timer_c0 = count;
	l->timer_due = now + (u64)count * timer_tick_len(l);
	l->timer_armed = count != 0;
}

bool lapic_timer_due(const struct lapic *l, u64 *due)
{
	if (timer_deadline_mode(l)) {
		*due = l->tsc_deadline;
		return l->tsc_deadline != 0;
	}
	*due = l->timer_due;
	return l->timer_armed;
}

static void timer_raise(struct lapic *l)
{
	u32 lvt = l->lvt[LAPIC_LVT_TIMER];

	/* A masked timer still counts; it just interrupts no one (10.5.1). */
	if (!(lvt & APIC_LVT_MASKED))
		lapic_set_irq(l, lvt & 0xff, false);
}

bool lapic_timer_fire(struct lapic *l, u64 now)
{
	u64 len, e, k;

	if (timer_deadline_mode(l)) {
		if (!l->tsc_deadline || now < l->tsc_deadline)
			return false;
		/* The timer disarms itself by clearing the MSR (10.5.4.1). */
		l->tsc_deadline = 0;
		timer_raise(l);
		return true;
	}
	if (!l->timer_armed || now < l->timer_due)
		return false;
	timer_raise(l);
	if (!timer_periodic(l)) {
		l->timer_armed = false;
		return true;
	}
	/* Periods that passed unobserved coalesce into this one interrupt;
	 * the next one keeps the original phase. */
	len = timer_tick_len(l);
	e = (now - l->timer_start) / len;
	k = (e - l->timer_c0) / l->timer_init + 1;
	l->timer_due = l->timer_start + (l->timer_c0 + k * l->timer_init) * len;
	return true;
}

u64 lapic_get_tsc_deadline(const struct lapic *l)
{
	return timer_deadline_mode(l) ? l->tsc_deadline : 0;
}

void lapic_set_tsc_deadline(struct lapic *l, u64 deadline)
{
	if (timer_deadline_mode(l))
		l->tsc_deadline = deadline;	/* 0 disarms */
}

static void write_timer_init(struct lapic *l, u32 val, u64 now)
{
	/* Ignored in TSC-deadline mode (10.5.4.1); 0 stops the timer. */
	if (timer_deadline_mode(l))
		return;
	l->timer_init = val;
	timer_restart(l, val, now);
}

static void write_timer_div(struct lapic *l, u32 val, u64 now)
{
	u32 cur = timer_current(l, now);
	bool armed = l->timer_armed && cur;

	l->timer_div = val & DIV_WRITABLE;
	if (armed)
		timer_restart(l, cur, now);
}

/*
 * Switching between TSC-deadline and the counting modes disarms the timer
 * (10.5.4.1: software must re-arm; KVM also zeroes the initial count).
 * One-shot <-> periodic keeps the counter running.
 */
static void write_lvt_timer(struct lapic *l, u32 val, u64 now)
{
	bool was_deadline = timer_deadline_mode(l);
	u32 cur = timer_current(l, now);
	bool armed = l->timer_armed && cur;

	l->lvt[LAPIC_LVT_TIMER] = val;
	if (was_deadline != timer_deadline_mode(l)) {
		l->timer_init = 0;
		l->timer_armed = false;
		l->tsc_deadline = 0;
	} else if (armed) {
		timer_restart(l, cur, now);
	}
}

/* ---- registers shared by both modes ---- */

static void write_lvt(struct lapic *l, unsigned int i, u32 val, u64 now)
{
	u32 old = l->lvt[i];

	val = (val & lvt_writable[i]) | (old & lvt_readonly[i]);
	/* Software-disabled: the masks are forced on (10.4.7.2). */
	if (!sw_enabled(l))
		val |= APIC_LVT_MASKED;
	if (i == LAPIC_LVT_TIMER)
		write_lvt_timer(l, val, now);
	else
		l->lvt[i] = val;
}

static void write_svr(struct lapic *l, u32 val)
{
	l->svr = val & SVR_WRITABLE;
	if (!(l->svr & APIC_SVR_ENABLE))
		for (int i = 0; i < LAPIC_NR_LVT; i++)
			l->lvt[i] |= APIC_LVT_MASKED;
}

static void write_esr(struct lapic *l)
{
	/* A write latches the errors seen since the last write (10.5.3). */
	l->esr = l->esr_pending;
	l->esr_pending = 0;
}

/* Whether an IPI with no shorthand names this APIC (10.6.2). */
static bool ipi_names_me(const struct lapic *l, u32 dest, bool logical)
{
	if (lapic_mode(l) == LAPIC_X2APIC) {
		if (dest == 0xffffffff)
			return true;
		if (!logical)
			return dest == l->id;
		/* 10.12.10.2: cluster in 31:16, a bit mask in 15:0. */
		return (dest >> 16) == (l->ldr >> 16) &&
		       (dest & l->ldr & 0xffff);
	}
	dest &= 0xff;
	if (dest == 0xff)
		return true;
	if (!logical)
		return dest == l->id >> 24;
	if ((l->dfr >> 28) == 0xf)			/* flat model */
		return dest & (l->ldr >> 24);
	return (dest >> 4) == (l->ldr >> 28) &&		/* cluster model */
	       (dest & (l->ldr >> 24) & 0xf);
}

/*
 * Send the IPI in the ICR.  With one vCPU only this APIC can receive it,
 * and delivery is immediate, so the delivery status never reads busy.
 */
static void send_ipi(struct lapic *l, u32 lo, u32 dest)
{
	u32 sh = lo & APIC_ICR_SH_OTHERS;
	u32 dm = lo & (7u << 8);
	u8 vector = lo & 0xff;
	bool me;

	if (sh == APIC_ICR_SH_SELF || sh == APIC_ICR_SH_ALL)
		me = true;
	else if (sh == APIC_ICR_SH_OTHERS)
		me = false;
	else
		me = ipi_names_me(l, dest, lo & APIC_ICR_LOGICAL);

	switch (dm) {
	case APIC_ICR_DM_FIXED:
	case APIC_ICR_DM_LOWEST:
		if (vector < 16) {
			report_error(l, APIC_ESR_SEND_ILLEGAL);
			return;
		}
		if (me)
			lapic_set_irq(l, vector, lo & APIC_ICR_TRIGGER_LEVEL);
		break;
	case APIC_ICR_DM_NMI:
		if (me)
			l->nmi_pending = true;
		break;
	default:
		break;	/* SMI, INIT, SIPI: nothing to restart on one vCPU */
	}
}

/* ---- xAPIC MMIO ---- */

static bool lvt_index(u32 reg, unsigned int *i)
{
	if (reg < LAPIC_REG_LVT_TIMER || reg > LAPIC_REG_LVT_ERROR)
		return false;
	*i = (reg - LAPIC_REG_LVT_TIMER) >> 4;
	return true;
}

/* Registers readable in both modes; false if @reg is none of them. */
static bool read_common(struct lapic *l, u32 reg, u64 now, u32 *val)
{
	unsigned int i;

	if (lvt_index(reg, &i)) {
		*val = l->lvt[i];
		return true;
	}
	if (reg >= LAPIC_REG_ISR && reg < LAPIC_REG_ESR) {
		const u32 *r = reg < LAPIC_REG_TMR ? l->isr :
			       reg < LAPIC_REG_IRR ? l->tmr : l->irr;

		*val = r[(reg >> 4) & 7];
		return true;
	}
	switch (reg) {
	case LAPIC_REG_ID:		*val = l->id; break;
	case LAPIC_REG_VERSION:		*val = LAPIC_VERSION; break;
	case LAPIC_REG_TPR:		*val = l->tpr; break;
	case LAPIC_REG_PPR:		*val = lapic_ppr(l); break;
	case LAPIC_REG_LDR:		*val = l->ldr; break;
	case LAPIC_REG_SVR:		*val = l->svr; break;
	case LAPIC_REG_ESR:		*val = l->esr; break;
	case LAPIC_REG_ICR_LO:		*val = l->icr_lo; break;
	case LAPIC_REG_TIMER_INIT:	*val = l->timer_init; break;
	case LAPIC_REG_TIMER_CUR:	*val = timer_current(l, now); break;
	case LAPIC_REG_TIMER_DIV:	*val = l->timer_div; break;
	default:
		return false;
	}
	return true;
}

static u32 xapic_read_reg(struct lapic *l, u32 reg, u64 now)
{
	u32 val = 0;

	if (read_common(l, reg, now, &val))
		return val;
	switch (reg) {
	case LAPIC_REG_APR:	/* arbitration is the bus's; 10.8.3.1 */
	case LAPIC_REG_EOI:	/* write-only */
	case LAPIC_REG_RRD:	/* remote read is gone since the P6 */
		return 0;
	case LAPIC_REG_DFR:
		return l->dfr;
	case LAPIC_REG_ICR_HI:
		return l->icr_hi;
	default:
		report_error(l, APIC_ESR_ILLEGAL_REG);
		return 0;
	}
}

static void xapic_write_reg(struct lapic *l, u32 reg, u32 val, u64 now)
{
	unsigned int i;

	if (lvt_index(reg, &i)) {
		write_lvt(l, i, val, now);
		return;
	}
	switch (reg) {
	case LAPIC_REG_ID:
		l->id = val & 0xff000000;
		break;
	case LAPIC_REG_TPR:
		l->tpr = val & 0xff;
		break;
	case LAPIC_REG_EOI:
		lapic_eoi(l);	/* the value is ignored in xAPIC mode */
		break;
	case LAPIC_REG_LDR:
		l->ldr = val & 0xff000000;
		break;
	case LAPIC_REG_DFR:
		l->dfr = (val & 0xf0000000) | DFR_RESERVED_ONES;
		break;
	case LAPIC_REG_SVR:
		write_svr(l, val);
		break;
	case LAPIC_REG_ESR:
		write_esr(l);
		break;
	case LAPIC_REG_ICR_LO:
		l->icr_lo = val & ICR_LO_WRITABLE;
		send_ipi(l, l->icr_lo, l->icr_hi >> 24);
		break;
	case LAPIC_REG_ICR_HI:
		l->icr_hi = val & 0xff000000;
		break;
	case LAPIC_REG_TIMER_INIT:
		write_timer_init(l, val, now);
		break;
	case LAPIC_REG_TIMER_DIV:
		write_timer_div(l, val, now);
		break;
	case LAPIC_REG_VERSION:
	case LAPIC_REG_APR:
	case LAPIC_REG_PPR:
	case LAPIC_REG_RRD:
	case LAPIC_REG_TIMER_CUR:
		break;	/* read-only */
	default:
		if (reg >= LAPIC_REG_ISR && reg < LAPIC_REG_ESR)
			break;	/* ISR, TMR, IRR are read-only */
		report_error(l, APIC_ESR_ILLEGAL_REG);
		break;
	}
}

u32 lapic_mmio_read(struct lapic *l, u32 offset, unsigned int size, u64 now)
{
	u32 reg = offset & 0xff0, in = offset & 0xf, val;

	if (lapic_mode(l) != LAPIC_XAPIC || offset >= LAPIC_MMIO_SIZE ||
	    (size != 1 && size != 2 && size != 4))
		return 0;
	val = xapic_read_reg(l, reg, now);
	if (in >= 4)
		return 0;
	val >>= in * 8;
	/* Bytes past the register's 4 read as 0. */
	if (size < 4)
		val &= (1u << (size * 8)) - 1;
	return val;
}

void lapic_mmio_write(struct lapic *l, u32 offset, unsigned int size,
		      u32 val, u64 now)
{
	if (lapic_mode(l) != LAPIC_XAPIC || offset >= LAPIC_MMIO_SIZE ||
	    size != 4 || (offset & 0xf))
		return;
	xapic_write_reg(l, offset, val, now);
}

/* ---- x2APIC MSRs (SDM 10.12.1.2, Table 10-6) ---- */

static bool x2apic_msr(const struct lapic *l, u32 msr, u32 *reg)
{
	if (lapic_mode(l) != LAPIC_X2APIC || msr < LAPIC_X2APIC_MSR_FIRST ||
	    msr > LAPIC_X2APIC_MSR_LAST)
		return false;
	*reg = (msr - LAPIC_X2APIC_MSR_FIRST) << 4;
	return true;
}

enum lapic_access lapic_msr_read(struct lapic *l, u32 msr, u64 now,
				 u64 *val)
{
	u32 reg, v;

	if (!x2apic_msr(l, msr, &reg))
		return LAPIC_ACCESS_GP;
	if (reg == LAPIC_REG_ICR_LO) {
		*val = (u64)l->icr_hi << 32 | l->icr_lo;
		return LAPIC_ACCESS_OK;
	}
	/* EOI and SELF IPI are write-only; the xAPIC-only ones are absent. */
	if (!read_common(l, reg, now, &v))
		return LAPIC_ACCESS_GP;
	*val = v;
	return LAPIC_ACCESS_OK;
}

/* Writable x2APIC registers and the bits they accept (10.12.1.3: a write
 * of a reserved bit is #GP); 0 for a register that cannot be written. */
static u64 x2apic_write_mask(u32 reg)
{
	unsigned int i;

	if (lvt_index(reg, &i))
		return lvt_writable[i] | lvt_readonly[i];
	switch (reg) {
	case LAPIC_REG_TPR:		return 0xff;
	case LAPIC_REG_SVR:		return SVR_WRITABLE;
	case LAPIC_REG_ICR_LO:		return 0xffffffff00000000ull |
						ICR_LO_WRITABLE;
	case LAPIC_REG_TIMER_INIT:	return 0xffffffff;
	case LAPIC_REG_TIMER_DIV:	return DIV_WRITABLE;
	case LAPIC_REG_SELF_IPI:	return 0xff;
	default:			return 0;
	}
}

enum lapic_access lapic_msr_write(struct lapic *l, u32 msr, u64 val,
				  u64 now)
{
	unsigned int i;
	u32 reg;

	if (!x2apic_msr(l, msr, &reg))
		return LAPIC_ACCESS_GP;
	/* EOI and ESR exist for writes of 0 only (Table 10-6). */
	if (reg == LAPIC_REG_EOI || reg == LAPIC_REG_ESR) {
		if (val)
			return LAPIC_ACCESS_GP;
		if (reg == LAPIC_REG_EOI)
			lapic_eoi(l);
		else
			write_esr(l);
		return LAPIC_ACCESS_OK;
	}
	if (!x2apic_write_mask(reg) || (val & ~x2apic_write_mask(reg)))
		return LAPIC_ACCESS_GP;

	if (lvt_index(reg, &i)) {
		write_lvt(l, i, (u32)val, now);
		return LAPIC_ACCESS_OK;
	}
	switch (reg) {
	case LAPIC_REG_TPR:
		l->tpr = (u32)val;
		break;
	case LAPIC_REG_SVR:
		write_svr(l, (u32)val);
		break;
	case LAPIC_REG_ICR_LO:
		l->icr_lo = (u32)val;
		l->icr_hi = (u32)(val >> 32);
		send_ipi(l, l->icr_lo, l->icr_hi);
		break;
	case LAPIC_REG_TIMER_INIT:
		write_timer_init(l, (u32)val, now);
		break;
	case LAPIC_REG_TIMER_DIV:
		write_timer_div(l, (u32)val, now);
		break;
	case LAPIC_REG_SELF_IPI:
		/* 10.12.11: a fixed, edge-triggered IPI to self. */
		send_ipi(l, (u32)val | APIC_ICR_SH_SELF, 0);
		break;
	}
	return LAPIC_ACCESS_OK;
}

/* ---- IA32_APIC_BASE (SDM 10.4.4, 10.12.5.1) ---- */

u64 lapic_get_base(const struct lapic *l)
{
	return l->apic_base;
}

enum lapic_access lapic_set_base(struct lapic *l, u64 val)
{
	u64 reserved = 0x2ffull;	/* bits 7:0 and 9 */
	enum lapic_mode from = lapic_mode(l), to;

	if (l->maxphyaddr < 64)
		reserved |= ~0ull << l->maxphyaddr;
	if (val & reserved)
		return LAPIC_ACCESS_GP;
	if (!(val & APIC_BASE_EN))
		to = LAPIC_DISABLED;
	else
		to = (val & APIC_BASE_EXTD) ? LAPIC_X2APIC : LAPIC_XAPIC;

	/* EXTD without EN is the invalid state; x2APIC is left only
	 * through disabled, and entered only from xAPIC (Figure 10-27). */
	if ((val & APIC_BASE_EXTD) && !(val & APIC_BASE_EN))
		return LAPIC_ACCESS_GP;
	if (from == LAPIC_X2APIC && to == LAPIC_XAPIC)
		return LAPIC_ACCESS_GP;
	if (from == LAPIC_DISABLED && to == LAPIC_X2APIC)
		return LAPIC_ACCESS_GP;

	l->apic_base = val;
	if (to == from)
		return LAPIC_ACCESS_OK;
	if (to == LAPIC_DISABLED) {
		/* "prior initialization ... may be lost" (10.4.3): it is,
		 * so re-enabling finds the power-up state. */
		reset_registers(l);
	} else if (to == LAPIC_X2APIC) {
		/* The x2APIC ID is kept and the logical ID derived from it
		 * (10.12.5.1, 10.12.10.2). */
		l->id = l->initial_id;
		l->ldr = (l->initial_id >> 4) << 16 |
			 1u << (l->initial_id & 0xf);
	}
	return LAPIC_ACCESS_OK;
}
