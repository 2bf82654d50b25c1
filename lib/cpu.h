/* SPDX-License-Identifier: MIT */
/*
 * Thin wrappers around the x86 instructions the hypervisor executes on its
 * own behalf (not the VMX ones: those live in hv/vmx/vmx_insn.h).
 */
#ifndef LIB_CPU_H
#define LIB_CPU_H

#include <lib/types.h>
#include <lib/x86.h>

struct cpuid_regs {
	u32 eax, ebx, ecx, edx;
};

struct __packed desc_ptr {
	u16 limit;
	u64 base;
};

#if __STDC_HOSTED__
/*
 * The host unit tests run the core in user mode, where most of these
 * instructions fault or describe the wrong machine: test/fake/cpu.c
 * stands in for the processor there.  Only what host-built files use is
 * declared; a new use needs a fake first.
 */
void cpuid_count(u32 leaf, u32 subleaf, struct cpuid_regs *r);
u64 rdtsc(void);
u64 rdmsr(u32 msr);
u64 read_rflags(void);
u64 xgetbv0(void);
void xsetbv0(u64 val);
bool host_has_xsave(void);
void local_irq_disable(void);
void local_irq_enable(void);
void local_irq_window(void);
void cpu_relax(void);
void host_nmi(void);
void wrmsr(u32 msr, u64 val);
u64 read_cr8(void);
u64 read_dr(unsigned int n);
void write_dr(unsigned int n, u64 val);
void sgdt(struct desc_ptr *d);
void sidt(struct desc_ptr *d);
void lgdt(const struct desc_ptr *d);
void lidt(const struct desc_ptr *d);
u16 str(void);
void xsave(void *area, u64 rfbm);
void xrstor(const void *area, u64 rfbm);
void fxsave(void *area);
void fxrstor(const void *area);

#else /* !__STDC_HOSTED__ */

static inline void cpuid_count(u32 leaf, u32 subleaf, struct cpuid_regs *r)
{
	asm volatile("cpuid"
		     : "=a"(r->eax), "=b"(r->ebx), "=c"(r->ecx), "=d"(r->edx)
		     : "a"(leaf), "c"(subleaf));
}

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((u64)hi << 32) | lo;
}

static inline void wrmsr(u32 msr, u64 val)
{
	asm volatile("wrmsr"
		     : : "c"(msr), "a"((u32)val), "d"((u32)(val >> 32))
		     : "memory");
}

#define DEFINE_READ_CR(n)						\
	static inline u64 read_cr##n(void)				\
	{								\
		u64 v;							\
		asm volatile("mov %%cr" #n ", %0" : "=r"(v));		\
		return v;						\
	}
DEFINE_READ_CR(0)
DEFINE_READ_CR(2)
DEFINE_READ_CR(3)
DEFINE_READ_CR(4)
#undef DEFINE_READ_CR

static inline void write_cr0(u64 v)
{
	asm volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

static inline void write_cr2(u64 v)
{
	asm volatile("mov %0, %%cr2" : : "r"(v) : "memory");
}

static inline void write_cr4(u64 v)
{
	asm volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

static inline u64 read_rflags(void)
{
	u64 f;

	asm volatile("pushfq; popq %0" : "=r"(f));
	return f;
}

static inline void sgdt(struct desc_ptr *d)
{
	asm volatile("sgdt %0" : "=m"(*d));
}

static inline void sidt(struct desc_ptr *d)
{
	asm volatile("sidt %0" : "=m"(*d));
}

static inline void lgdt(const struct desc_ptr *d)
{
	asm volatile("lgdt %0" : : "m"(*d) : "memory");
}

static inline void ltr(u16 sel)
{
	asm volatile("ltr %0" : : "r"(sel) : "memory");
}

static inline u16 str(void)
{
	u16 sel;

	asm volatile("str %0" : "=r"(sel));
	return sel;
}

#define DEFINE_READ_SEG(name)						\
	static inline u16 read_##name(void)				\
	{								\
		u16 sel;						\
		asm volatile("mov %%" #name ", %0" : "=r"(sel));	\
		return sel;						\
	}
DEFINE_READ_SEG(cs)
DEFINE_READ_SEG(ss)
DEFINE_READ_SEG(ds)
DEFINE_READ_SEG(es)
DEFINE_READ_SEG(fs)
DEFINE_READ_SEG(gs)
#undef DEFINE_READ_SEG

static inline u64 xgetbv0(void)
{
	u32 lo, hi;

	asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((u64)hi << 32) | lo;
}

static inline void xsetbv0(u64 val)
{
	asm volatile("xsetbv" : : "c"(0), "a"((u32)val), "d"((u32)(val >> 32)));
}

/*
 * XSETBV/XGETBV raise #UD unless CR4.OSXSAVE is set (SDM 2, XSETBV), and
 * the hypervisor runs them itself; firmware may leave the bit clear, and
 * then guests get no XSAVE either.
 */
static inline bool host_has_xsave(void)
{
	return read_cr4() & X86_CR4_OSXSAVE;
}

static inline void local_irq_disable(void)
{
	asm volatile("cli" : : : "memory");
}

static inline void local_irq_enable(void)
{
	asm volatile("sti" : : : "memory");
}

/* A spin-wait hint (SDM 2, PAUSE). */
static inline void cpu_relax(void)
{
	asm volatile("pause" : : : "memory");
}

/* Opens a one-instruction interrupt window (STI shadow covers the NOP). */
static inline void local_irq_window(void)
{
	asm volatile("sti; nop; cli" : : : "memory");
}

/*
 * Hands the NMI that caused a VM exit to the firmware's NMI handler, as
 * KVM does: INT 2 runs vector 2 of the host IDT as the NMI itself would
 * have.  An NMI that causes a VM exit blocks further NMIs once the exit
 * completes (SDM 3C 27.1), and the handler's IRET unblocks them, as after
 * an NMI delivered through the IDT.
 */
static inline void host_nmi(void)
{
	asm volatile("int $2" : : : "memory");
}

/* CR8 is the local APIC's TPR (SDM 3A 10.8.6.1). */
static inline u64 read_cr8(void)
{
	u64 v;

	asm volatile("mov %%cr8, %0" : "=r"(v));
	return v;
}

static inline void lidt(const struct desc_ptr *d)
{
	asm volatile("lidt %0" : : "m"(*d) : "memory");
}

/* Debug registers DR0-DR3, DR6, DR7 by number (SDM 3B 17.2). */
#define DEFINE_DR(n)							\
	case n:								\
		if (write)						\
			asm volatile("mov %0, %%db" #n : : "r"(val));	\
		else							\
			asm volatile("mov %%db" #n ", %0" : "=r"(val));	\
		break;

static inline u64 access_dr(unsigned int n, bool write, u64 val)
{
	switch (n) {
	DEFINE_DR(0)
	DEFINE_DR(1)
	DEFINE_DR(2)
	DEFINE_DR(3)
	DEFINE_DR(6)
	DEFINE_DR(7)
	default:
		break;
	}
	return val;
}
#undef DEFINE_DR

static inline u64 read_dr(unsigned int n)
{
	return access_dr(n, false, 0);
}

static inline void write_dr(unsigned int n, u64 val)
{
	access_dr(n, true, val);
}

/*
 * The processor's extended state (SDM 1 13).  The hypervisor is built
 * with -mgeneral-regs-only, so these are the only instructions of it that
 * touch x87/SSE/AVX state: the areas are 64-byte aligned, standard form.
 */
static inline void xsave(void *area, u64 rfbm)
{
	asm volatile("xsave64 (%0)"
		     : : "r"(area), "a"((u32)rfbm), "d"((u32)(rfbm >> 32))
		     : "memory");
}

static inline void xrstor(const void *area, u64 rfbm)
{
	asm volatile("xrstor64 (%0)"
		     : : "r"(area), "a"((u32)rfbm), "d"((u32)(rfbm >> 32))
		     : "memory");
}

static inline void fxsave(void *area)
{
	asm volatile("fxsave64 (%0)" : : "r"(area) : "memory");
}

static inline void fxrstor(const void *area)
{
	asm volatile("fxrstor64 (%0)" : : "r"(area) : "memory");
}

#endif /* __STDC_HOSTED__ */

#endif /* LIB_CPU_H */
