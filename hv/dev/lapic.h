/* SPDX-License-Identifier: MIT */
/*
 * A local APIC for one vCPU (Intel SDM Vol. 3A chapter 10), as a pure
 * register model: the caller routes xAPIC MMIO and x2APIC MSR accesses
 * here, passes the current guest TSC in, injects what
 * lapic_pending_vector() names and arms a timer for lapic_timer_due().
 *
 * Modelled: ID, version (6 LVT entries, no EOI-broadcast suppression),
 * TPR/PPR/APR, EOI, LDR/DFR, SVR, ISR/TMR/IRR, ESR, ICR (one vCPU: IPIs
 * that name this APIC arrive at once, every other IPI goes nowhere and
 * completes), the LVT (timer, thermal, perf, LINT0, LINT1, error; no
 * CMCI, the CPU has no machine-check banks), the timer in one-shot,
 * periodic and TSC-deadline modes, and the IA32_APIC_BASE state machine.
 * INIT, SIPI and SMI IPIs to self are accepted and dropped; an NMI IPI to
 * self sets nmi_pending for the caller.
 *
 * Time: the bus clock that drives the timer is tsc_per_bus_tick TSC ticks
 * long; every access that can observe the timer takes the TSC of now.
 */
#ifndef HV_DEV_LAPIC_H
#define HV_DEV_LAPIC_H

#include <lib/types.h>

#define LAPIC_DEFAULT_BASE	0xfee00000ull
#define LAPIC_MMIO_SIZE		0x1000

/* IA32_APIC_BASE bits (SDM 10.4.4, 10.12.1). */
#define APIC_BASE_BSP		BIT(8)
#define APIC_BASE_EXTD		BIT(10)
#define APIC_BASE_EN		BIT(11)

/* x2APIC MSR range (SDM 10.12.1.2): MSR 0x800 + MMIO offset / 16. */
#define LAPIC_X2APIC_MSR_FIRST	0x800
#define LAPIC_X2APIC_MSR_LAST	0x8ff

/* MMIO offsets of the registers a caller names directly. */
#define LAPIC_REG_ID		0x020
#define LAPIC_REG_VERSION	0x030
#define LAPIC_REG_TPR		0x080
#define LAPIC_REG_APR		0x090
#define LAPIC_REG_PPR		0x0a0
#define LAPIC_REG_EOI		0x0b0
#define LAPIC_REG_RRD		0x0c0
#define LAPIC_REG_LDR		0x0d0
#define LAPIC_REG_DFR		0x0e0
#define LAPIC_REG_SVR		0x0f0
#define LAPIC_REG_ISR		0x100
#define LAPIC_REG_TMR		0x180
#define LAPIC_REG_IRR		0x200
#define LAPIC_REG_ESR		0x280
#define LAPIC_REG_ICR_LO	0x300
#define LAPIC_REG_ICR_HI	0x310
#define LAPIC_REG_LVT_TIMER	0x320
#define LAPIC_REG_LVT_THERMAL	0x330
#define LAPIC_REG_LVT_PERF	0x340
#define LAPIC_REG_LVT_LINT0	0x350
#define LAPIC_REG_LVT_LINT1	0x360
#define LAPIC_REG_LVT_ERROR	0x370
#define LAPIC_REG_TIMER_INIT	0x380
#define LAPIC_REG_TIMER_CUR	0x390
#define LAPIC_REG_TIMER_DIV	0x3e0
#define LAPIC_REG_SELF_IPI	0x3f0	/* x2APIC only */

/* LVT indices, in register order. */
enum lapic_lvt {
	LAPIC_LVT_TIMER,
	LAPIC_LVT_THERMAL,
	LAPIC_LVT_PERF,
	LAPIC_LVT_LINT0,
	LAPIC_LVT_LINT1,
	LAPIC_LVT_ERROR,
	LAPIC_NR_LVT,
};

#define LAPIC_VERSION		(0x14u | (LAPIC_NR_LVT - 1u) << 16)

#define APIC_LVT_MASKED		BIT(16)
#define APIC_LVT_TIMER_PERIODIC	(1u << 17)
#define APIC_LVT_TIMER_TSCDEADLINE (2u << 17)
#define APIC_SVR_ENABLE		BIT(8)

/* ESR bits (SDM 10.5.3, Figure 10-9). */
#define APIC_ESR_SEND_ILLEGAL	BIT(5)
#define APIC_ESR_RECV_ILLEGAL	BIT(6)
#define APIC_ESR_ILLEGAL_REG	BIT(7)

/* ICR fields (SDM 10.6.1, Figure 10-12). */
#define APIC_ICR_DM_FIXED	(0u << 8)
#define APIC_ICR_DM_LOWEST	(1u << 8)
#define APIC_ICR_DM_NMI		(4u << 8)
#define APIC_ICR_DM_INIT	(5u << 8)
#define APIC_ICR_LOGICAL	BIT(11)
#define APIC_ICR_BUSY		BIT(12)
#define APIC_ICR_LEVEL_ASSERT	BIT(14)
#define APIC_ICR_TRIGGER_LEVEL	BIT(15)
#define APIC_ICR_SH_SELF	(1u << 18)
#define APIC_ICR_SH_ALL		(2u << 18)
#define APIC_ICR_SH_OTHERS	(3u << 18)

enum lapic_mode {
	LAPIC_DISABLED,
	LAPIC_XAPIC,
	LAPIC_X2APIC,
};

/* What a guest access does architecturally. */
enum lapic_access {
	LAPIC_ACCESS_OK,
	LAPIC_ACCESS_GP,	/* the instruction raises #GP(0) */
};

#define LAPIC_NO_VECTOR		(-1)

struct lapic {
	u64 apic_base;
	u32 initial_id;		/* the x2APIC ID the hardware assigned */
	u32 id;			/* register value as the current mode shows it */
	u32 tpr, ldr, dfr, svr;
	u32 irr[8], isr[8], tmr[8];
	u32 esr, esr_pending;
	u32 icr_lo, icr_hi;
	u32 lvt[LAPIC_NR_LVT];
	u32 timer_init, timer_div;
	u8 maxphyaddr;
	bool nmi_pending;	/* an NMI IPI reached this APIC */

	/* Timer state; see the timer section of lapic.c. */
	u32 tsc_per_bus_tick;
	u64 timer_start;	/* TSC at which the count last restarted */
	u32 timer_c0;		/* ... from this count */
	u64 timer_due;		/* TSC of the next expiry, when armed */
	bool timer_armed;
	u64 tsc_deadline;	/* IA32_TSC_DEADLINE, 0 = disarmed */

	/*
	 * Called for an EOI of a level-triggered vector (its TMR bit was
	 * set), so the caller can broadcast it to the I/O APIC (SDM 10.8.5).
	 * May be NULL.
	 */
	void (*eoi_broadcast)(void *ctx, u8 vector);
	void *ctx;
};

/*
 * The timer counts at the TSC's rate divided by this: the APIC bus clock
 * Aperture reports is the TSC frequency (CPUID leaf 0x15 is not shown).
 */
#define LAPIC_TSC_PER_BUS_TICK	1

/*
 * Power-up state (SDM 10.4.7.1): xAPIC mode at 0xfee00000, BSP set,
 * software-disabled.  @tsc_per_bus_tick must be non-zero.
 */
void lapic_init(struct lapic *l, u32 x2apic_id, u32 tsc_per_bus_tick,
		u8 maxphyaddr, void (*eoi_broadcast)(void *ctx, u8 vector),
		void *ctx);

enum lapic_mode lapic_mode(const struct lapic *l);

/* IA32_APIC_BASE (SDM 10.12.5.1): LAPIC_ACCESS_GP for reserved bits or an
 * invalid transition; the state does not change then. */
u64 lapic_get_base(const struct lapic *l);
enum lapic_access lapic_set_base(struct lapic *l, u64 val);

/*
 * xAPIC MMIO at @offset (0-0xfff) of the APIC page, @size 1, 2 or 4.
 * Each register is the first 4 bytes of its 16-byte slot; reads of the
 * other 12 bytes return 0.  Reads of any size are served byte-wise from
 * the register.  Writes take effect only when 4 bytes wide and 16-byte
 * aligned; other writes are dropped (the SDM leaves them undefined,
 * 10.4.1).  An unimplemented offset reads 0 and logs an illegal register
 * address in the ESR (10.5.3).  In x2APIC or disabled mode the page is not
 * the APIC's: reads return 0 and writes are dropped.
 */
u32 lapic_mmio_read(struct lapic *l, u32 offset, unsigned int size, u64 now);
void lapic_mmio_write(struct lapic *l, u32 offset, unsigned int size,
		      u32 val, u64 now);

/*
 * RDMSR/WRMSR of @msr in 0x800-0x8ff (SDM 10.12.1.2, Table 10-6): #GP
 * unless the APIC is in x2APIC mode, for registers that do not exist, for
 * reads of write-only and writes of read-only registers, and for writes
 * that set reserved bits (10.12.1.3).
 */
enum lapic_access lapic_msr_read(struct lapic *l, u32 msr, u64 now,
				 u64 *val);
enum lapic_access lapic_msr_write(struct lapic *l, u32 msr, u64 val,
				  u64 now);

/* IA32_TSC_DEADLINE (SDM 10.5.4.1): reads 0 and ignores writes outside
 * TSC-deadline mode. */
u64 lapic_get_tsc_deadline(const struct lapic *l);
void lapic_set_tsc_deadline(struct lapic *l, u64 deadline);

/* CR8 is TPR[7:4] (SDM 10.8.6.1). */
u64 lapic_get_cr8(const struct lapic *l);
void lapic_set_cr8(struct lapic *l, u64 cr8);

/* A fixed interrupt arriving at this APIC (from the I/O APIC, an LVT or
 * an IPI): sets IRR, and TMR when level-triggered (SDM 10.8.4). */
void lapic_set_irq(struct lapic *l, u8 vector, bool level_triggered);

/* The highest IRR vector whose priority class beats PPR (SDM 10.8.3.1),
 * or LAPIC_NO_VECTOR; also none while the APIC is disabled. */
int lapic_pending_vector(const struct lapic *l);

/* The processor takes @vector: IRR -> ISR, PPR rises (SDM 10.8.4). */
void lapic_ack(struct lapic *l, u8 vector);

/* An EOI (SDM 10.8.5): clears the highest ISR bit; returns its vector if
 * it was level-triggered (to broadcast), else LAPIC_NO_VECTOR. */
int lapic_eoi(struct lapic *l);

u32 lapic_ppr(const struct lapic *l);

/* TSC of the next timer interrupt; false when the timer is not armed. */
bool lapic_timer_due(const struct lapic *l, u64 *due);

/* If the timer has expired by @now, raise its LVT vector (unless masked)
 * and re-arm (periodic) or disarm it.  Returns whether it expired. */
bool lapic_timer_fire(struct lapic *l, u64 now);

#endif /* HV_DEV_LAPIC_H */
