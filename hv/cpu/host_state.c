// SPDX-License-Identifier: MIT
/* The firmware's processor state around guests; see host_state.h. */
#include <lib/cpu.h>
#include <lib/string.h>
#include <lib/x86.h>
#include <hv/cpu/features.h>
#include <hv/cpu/fpu.h>
#include <hv/cpu/host_state.h>

static struct host_cpu saved_state;
static bool saved;

void host_cpu_read(struct host_cpu *s)
{
	memset(s, 0, sizeof(*s));
	s->cr8 = read_cr8();
	for (unsigned int i = 0; i < 4; i++)
		s->dr[i] = read_dr(i);
	s->dr6 = read_dr(6);
	s->dr7 = read_dr(7);
	s->debugctl = rdmsr(MSR_IA32_DEBUGCTL);
	if (host_has_xsave())
		s->xcr0 = xgetbv0();
	s->kernel_gs_base = rdmsr(MSR_IA32_KERNEL_GS_BASE);
	s->star = rdmsr(MSR_IA32_STAR);
	s->lstar = rdmsr(MSR_IA32_LSTAR);
	s->fmask = rdmsr(MSR_IA32_FMASK);
	if (host_has_tsc_aux())
		s->tsc_aux = rdmsr(MSR_IA32_TSC_AUX);
	sgdt(&s->gdtr);
	sidt(&s->idtr);
	s->tr = str();
}

static bool desc_eq(const struct desc_ptr *a, const struct desc_ptr *b)
{
	return a->base == b->base && a->limit == b->limit;
}

const char *host_cpu_diff(const struct host_cpu *a, const struct host_cpu *b)
{
	static const char *const dr_names[] = { "DR0", "DR1", "DR2", "DR3" };

	if (a->cr8 != b->cr8)
		return "CR8";
	for (unsigned int i = 0; i < 4; i++) {
		if (a->dr[i] != b->dr[i])
			return dr_names[i];
	}
	if (a->dr6 != b->dr6)
		return "DR6";
	if (a->dr7 != b->dr7)
		return "DR7";
	if (a->debugctl != b->debugctl)
		return "IA32_DEBUGCTL";
	if (a->xcr0 != b->xcr0)
		return "XCR0";
	if (a->kernel_gs_base != b->kernel_gs_base)
		return "IA32_KERNEL_GS_BASE";
	if (a->star != b->star)
		return "IA32_STAR";
	if (a->lstar != b->lstar)
		return "IA32_LSTAR";
	if (a->fmask != b->fmask)
		return "IA32_FMASK";
	if (a->tsc_aux != b->tsc_aux)
		return "IA32_TSC_AUX";
	if (a->tr != b->tr)
		return "TR";
	if (!desc_eq(&a->gdtr, &b->gdtr))
		return "GDTR";
	if (!desc_eq(&a->idtr, &b->idtr))
		return "IDTR";
	return NULL;
}

int host_cpu_save(void)
{
	int ret;

	saved = false;
	host_cpu_read(&saved_state);
	ret = fpu_host_save();
	if (ret)
		return ret;
	saved = true;
	return 0;
}

void host_cpu_restore(void)
{
	const struct host_cpu *s = &saved_state;

	if (!saved)
		return;
	fpu_host_restore();
	wrmsr(MSR_IA32_KERNEL_GS_BASE, s->kernel_gs_base);
	wrmsr(MSR_IA32_STAR, s->star);
	wrmsr(MSR_IA32_LSTAR, s->lstar);
	wrmsr(MSR_IA32_FMASK, s->fmask);
	if (host_has_tsc_aux())
		wrmsr(MSR_IA32_TSC_AUX, s->tsc_aux);
	for (unsigned int i = 0; i < 4; i++)
		write_dr(i, s->dr[i]);
	write_dr(6, s->dr6);
	/* A VM exit loads DR7 = 0x400 and clears IA32_DEBUGCTL (SDM 3C 27.5.1). */
	write_dr(7, s->dr7);
	if (rdmsr(MSR_IA32_DEBUGCTL) != s->debugctl)
		wrmsr(MSR_IA32_DEBUGCTL, s->debugctl);
	/* A VM exit sets the GDTR and IDTR limits to 0xffff (SDM 3C 27.5.2). */
	lgdt(&s->gdtr);
	lidt(&s->idtr);
}

const char *host_cpu_changed(void)
{
	struct host_cpu now;

	if (!saved)
		return NULL;
	host_cpu_read(&now);
	return host_cpu_diff(&saved_state, &now);
}

void host_cpu_forget(void)
{
	saved = false;
	fpu_host_forget();
}
