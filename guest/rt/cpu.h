/* SPDX-License-Identifier: MIT */
/* Privileged and identification instructions for guest tests. */
#ifndef GUEST_RT_CPU_H
#define GUEST_RT_CPU_H

#include "exception.h"
#include "types.h"

#define X86_CR0_PE		BIT(0)
#define X86_CR0_PG		BIT(31)
#define X86_CR4_PSE		BIT(4)
#define X86_CR4_PAE		BIT(5)

#define MSR_EFER		0xc0000080u
#define EFER_LME		BIT(8)
#define EFER_LMA		BIT(10)
#define EFER_NXE		BIT(11)

#define CPUID_1_ECX_VMX		BIT(5)
#define CPUID_1_ECX_HYPERVISOR	BIT(31)
#define CPUID_80000001_EDX_NX	BIT(20)

struct cpuid_regs {
	u32 eax, ebx, ecx, edx;
};

static inline struct cpuid_regs cpuid_count(u32 leaf, u32 subleaf)
{
	struct cpuid_regs r;

	asm volatile("cpuid"
		     : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
		     : "a"(leaf), "c"(subleaf));
	return r;
}

static inline struct cpuid_regs cpuid(u32 leaf)
{
	return cpuid_count(leaf, 0);
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

/* rdmsr/wrmsr that return the vector they raised, or EXC_NONE. */
static inline int rdmsr_safe(u32 msr, u64 *val)
{
	u32 lo = 0, hi = 0;

	exc_clear();
	asm volatile(ASM_TRY_BEGIN "rdmsr" ASM_TRY_END
		     : "+a"(lo), "+d"(hi) : "c"(msr) : "memory");
	*val = ((u64)hi << 32) | lo;
	return exc_caught(NULL);
}

static inline int wrmsr_safe(u32 msr, u64 val)
{
	exc_clear();
	asm volatile(ASM_TRY_BEGIN "wrmsr" ASM_TRY_END
		     : : "c"(msr), "a"((u32)val), "d"((u32)(val >> 32))
		     : "memory");
	return exc_caught(NULL);
}

/*
 * MOV to and from a control register always moves the full register: 64
 * bits in 64-bit mode (SDM Vol. 2B, MOV--Move to/from Control Registers).
 * unsigned long has that width in both builds; the values tests use fit
 * in 32 bits.
 */
static inline u32 read_cr0(void)
{
	unsigned long v;

	asm volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline void write_cr0(u32 v)
{
	asm volatile("mov %0, %%cr0" : : "r"((unsigned long)v) : "memory");
}

static inline u32 read_cr2(void)
{
	unsigned long v;

	asm volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline u32 read_cr3(void)
{
	unsigned long v;

	asm volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline void write_cr3(u32 v)
{
	asm volatile("mov %0, %%cr3" : : "r"((unsigned long)v) : "memory");
}

static inline u32 read_cr4(void)
{
	unsigned long v;

	asm volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline void write_cr4(u32 v)
{
	asm volatile("mov %0, %%cr4" : : "r"((unsigned long)v) : "memory");
}

static inline void invlpg(const volatile void *va)
{
	asm volatile("invlpg (%0)" : : "r"(va) : "memory");
}

struct __attribute__((packed)) desc_ptr {
	u16 limit;
	uintptr_t base;		/* 8 bytes in IA-32e mode (SDM 3A 2.4.3) */
};

static inline void lidt(const struct desc_ptr *p)
{
	asm volatile("lidt %0" : : "m"(*p));
}

/* Stop this CPU for good: interrupts off, then halt forever. */
static inline noreturn void cli_hlt_forever(void)
{
	for (;;)
		asm volatile("cli; hlt");
}

#endif /* GUEST_RT_CPU_H */
