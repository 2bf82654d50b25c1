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

/* Opens a one-instruction interrupt window (STI shadow covers the NOP). */
static inline void local_irq_window(void)
{
	asm volatile("sti; nop; cli" : : : "memory");
}

#endif /* __STDC_HOSTED__ */

#endif /* LIB_CPU_H */
