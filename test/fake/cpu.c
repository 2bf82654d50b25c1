// SPDX-License-Identifier: MIT
/* The host processor, as lib/cpu.h declares it for the host build. */
#include <stdlib.h>
#include <string.h>

#include <lib/x86.h>
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

u64 rdmsr(u32 msr)
{
	return msr == MSR_IA32_TSC ? fake_cpu.tsc : 0;
}

u64 read_rflags(void)
{
	return fake_cpu.rflags;
}

u64 xgetbv0(void)
{
	return fake_cpu.xcr0;
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

void local_irq_window(void)
{
	fake_cpu.irq_windows++;
}
