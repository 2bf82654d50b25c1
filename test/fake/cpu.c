// SPDX-License-Identifier: MIT
/* The host processor, as lib/cpu.h declares it for the host build. */
#include <stdlib.h>
#include <string.h>

#include <lib/errno.h>
#include <lib/x86.h>
#include <lib/xsetbv_checked.h>
#include "fake.h"

struct fake_cpu fake_cpu;

void fake_set_cpuid(u32 leaf, u32 subleaf, u32 eax, u32 ebx, u32 ecx,
		    u32 edx)
{
	struct fake_cpuid *c = NULL;

	for (unsigned int i = 0; i < fake_cpu.nr_cpuid; i++) {
		if (fake_cpu.cpuid[i].leaf == leaf &&
		    fake_cpu.cpuid[i].subleaf == subleaf)
			c = &fake_cpu.cpuid[i];
	}
	if (!c) {
		if (fake_cpu.nr_cpuid == FAKE_CPUID_LEAVES)
			abort();
		c = &fake_cpu.cpuid[fake_cpu.nr_cpuid++];
	}
	*c = (struct fake_cpuid){
		.leaf = leaf, .subleaf = subleaf,
		.regs = { .eax = eax, .ebx = ebx, .ecx = ecx, .edx = edx },
	};
}

void cpuid_count(u32 leaf, u32 subleaf, struct cpuid_regs *r)
{
	memset(r, 0, sizeof(*r));
	for (unsigned int i = 0; i < fake_cpu.nr_cpuid; i++) {
		if (fake_cpu.cpuid[i].leaf == leaf &&
		    fake_cpu.cpuid[i].subleaf == subleaf)
			*r = fake_cpu.cpuid[i].regs;
	}
}

u64 rdtsc(void)
{
	return fake_cpu.tsc++;
}

u64 fake_msr(u32 msr)
{
	for (unsigned int i = 0; i < fake_cpu.nr_msrs; i++) {
		if (fake_cpu.msr[i].msr == msr)
			return fake_cpu.msr[i].val;
	}
	return 0;
}

u64 rdmsr(u32 msr)
{
	return msr == MSR_IA32_TSC ? fake_cpu.tsc : fake_msr(msr);
}

void wrmsr(u32 msr, u64 val)
{
	unsigned int i;

	fake_cpu.wrmsr_calls++;
	for (i = 0; i < fake_cpu.nr_msrs; i++) {
		if (fake_cpu.msr[i].msr == msr)
			break;
	}
	if (i == fake_cpu.nr_msrs) {
		if (i == FAKE_MSRS)
			abort();
		fake_cpu.nr_msrs++;
	}
	fake_cpu.msr[i].msr = msr;
	fake_cpu.msr[i].val = val;
}

u64 read_cr8(void)
{
	return fake_cpu.cr8;
}

u64 read_dr(unsigned int n)
{
	if (n >= 8 || n == 4 || n == 5)
		abort();
	return fake_cpu.dr[n];
}

void write_dr(unsigned int n, u64 val)
{
	if (n >= 8 || n == 4 || n == 5)
		abort();
	fake_cpu.dr[n] = val;
}

void sgdt(struct desc_ptr *d)
{
	*d = fake_cpu.gdtr;
}

void sidt(struct desc_ptr *d)
{
	*d = fake_cpu.idtr;
}

void lgdt(const struct desc_ptr *d)
{
	fake_cpu.gdtr = *d;
}

void lidt(const struct desc_ptr *d)
{
	fake_cpu.idtr = *d;
}

u16 str(void)
{
	return fake_cpu.tr;
}

/* Legacy-area offsets (SDM 1 Table 10-2) and the XSAVE header's. */
#define FX_FCW		0
#define FX_MXCSR	24
#define FX_XMM0		160
#define XSTATE_BV	512

static void fx_store(u8 *a, bool x87, bool mxcsr, bool sse)
{
	if (x87)
		memcpy(a + FX_FCW, &fake_cpu.fcw, sizeof(fake_cpu.fcw));
	if (mxcsr)
		memcpy(a + FX_MXCSR, &fake_cpu.mxcsr, sizeof(fake_cpu.mxcsr));
	if (sse)
		memcpy(a + FX_XMM0, &fake_cpu.xmm0, sizeof(fake_cpu.xmm0));
}

/* The real instructions fault on a misaligned area or a bad MXCSR. */
static void check_area(const void *area, unsigned int align)
{
	u32 mxcsr;

	if ((uintptr_t)area & (align - 1))
		abort();
	memcpy(&mxcsr, (const u8 *)area + FX_MXCSR, sizeof(mxcsr));
	if (mxcsr & ~0xffffu)
		abort();
}

void xsave(void *area, u64 rfbm)
{
	u64 saved = rfbm & fake_cpu.xcr0;

	if (!fake_cpu.osxsave || ((uintptr_t)area & 63))
		abort();
	fake_cpu.xsaves++;
	fx_store(area, saved & XCR0_X87, saved & (XCR0_SSE | XCR0_AVX),
		 saved & XCR0_SSE);
	memcpy((u8 *)area + XSTATE_BV, &saved, sizeof(saved));
}

void xrstor(const void *area, u64 rfbm)
{
	const u8 *a = area;
	u64 rs = rfbm & fake_cpu.xcr0, bv;

	if (!fake_cpu.osxsave)
		abort();
	check_area(area, 64);
	memcpy(&bv, a + XSTATE_BV, sizeof(bv));
	if (bv & ~fake_cpu.xcr0)
		abort();		/* #GP (SDM 1 13.8) */
	fake_cpu.xrstors++;
	if (rs & XCR0_X87) {
		fake_cpu.fcw = X86_FCW_RESET;
		if (bv & XCR0_X87)
			memcpy(&fake_cpu.fcw, a + FX_FCW, sizeof(fake_cpu.fcw));
	}
	if (rs & (XCR0_SSE | XCR0_AVX))
		memcpy(&fake_cpu.mxcsr, a + FX_MXCSR, sizeof(fake_cpu.mxcsr));
	if (rs & XCR0_SSE) {
		fake_cpu.xmm0 = 0;
		if (bv & XCR0_SSE)
			memcpy(&fake_cpu.xmm0, a + FX_XMM0,
			       sizeof(fake_cpu.xmm0));
	}
}

void fxsave(void *area)
{
	if ((uintptr_t)area & 15)
		abort();
	fake_cpu.fxsaves++;
	fx_store(area, true, true, true);
}

void fxrstor(const void *area)
{
	const u8 *a = area;

	check_area(area, 16);
	fake_cpu.fxrstors++;
	memcpy(&fake_cpu.fcw, a + FX_FCW, sizeof(fake_cpu.fcw));
	memcpy(&fake_cpu.mxcsr, a + FX_MXCSR, sizeof(fake_cpu.mxcsr));
	memcpy(&fake_cpu.xmm0, a + FX_XMM0, sizeof(fake_cpu.xmm0));
}

u64 read_rflags(void)
{
	return fake_cpu.rflags;
}

u64 xgetbv0(void)
{
	return fake_cpu.xcr0;
}

int xsetbv_checked(u64 val)
{
	if (fake_cpu.xsetbv_faults)
		return -EFAULT;
	xsetbv0(val);
	return 0;
}

void xsetbv0(u64 val)
{
	fake_cpu.xcr0 = val;
	fake_cpu.xsetbv_calls++;
}

bool host_has_xsave(void)
{
	return fake_cpu.osxsave;
}

void local_irq_disable(void)
{
	fake_cpu.rflags &= ~(u64)X86_RFLAGS_IF;
}

void local_irq_enable(void)
{
	fake_cpu.rflags |= X86_RFLAGS_IF;
}

/* A spin-wait: guest time passes (the fake TSC advances). */
void cpu_relax(void)
{
	fake_cpu.tsc += FAKE_RELAX_TICKS;
}

void local_irq_window(void)
{
	fake_cpu.irq_windows++;
}

/* NMIs handed to the host's handler (host_nmi()); tests read the count. */
unsigned int fake_host_nmis;

void host_nmi(void)
{
	fake_host_nmis++;
}
