// SPDX-License-Identifier: MIT
/*
 * Hostile RDMSR/WRMSR (SDM 2, RDMSR/WRMSR: #GP(0) for a reserved or
 * unimplemented MSR, for a value with reserved bits set, and for a
 * non-canonical value in an address MSR; SDM 4 for the MSR list).
 *
 *  - MSRs that no Intel CPU or no hypervisor Aperture claims to be
 *    implements (other hypervisors' synthetic ranges, AMD's, the ends of
 *    the index space) are #GP on read and on write.
 *  - An MSR whose feature CPUID hides (VMX capabilities, x2APIC, MTRR,
 *    MCA, PMU, TSC deadline, speculation control, TSC_AUX, MPX, XSS, CET)
 *    is #GP; one whose feature CPUID advertises reads without a fault
 *    and takes back the value it read.
 *  - Address MSRs (FS/GS base, KERNEL_GS_BASE, LSTAR, CSTAR,
 *    SYSENTER_ESP/EIP) refuse non-canonical values with #GP and keep the
 *    old value; EFER and PAT refuse reserved bits and types.
 *  - Architectural MSRs every processor with the CPUID bit has (TSC write,
 *    MISC_ENABLE, BIOS_SIGN_ID) work.
 *
 * Config (test/emu/hostile-suite.cfg): mem=16M
 */
#include "cpu.h"
#include "hostile.h"
#include "test.h"

static void expect_gp_both(u32 msr, const char *what)
{
	u64 v = 0;
	int r = rdmsr_safe(msr, &v);
	int w = wrmsr_safe(msr, 0);

	report(r == GP_VECTOR && w == GP_VECTOR,
	       "msr_%#x_%s_gp (rd %s, wr %s)", msr, what, vec_name(r),
	       vec_name(w));
}

static void test_unknown(void)
{
	static const struct {
		u32 msr;
		const char *what;
	} list[] = {
		{ 0x40000000u, "hyperv_guest_os_id" },
		{ 0x40000001u, "hyperv_hypercall" },
		{ 0x400000f0u, "hv_synthetic_range" },
		{ 0x4b564d00u, "kvm_wall_clock_new" },
		{ 0x4b564d01u, "kvm_system_time_new" },
		{ 0x4b564d02u, "kvm_async_pf" },
		{ 0xc0010000u, "amd_perf_ctl0" },
		{ 0xc0010114u, "amd_vm_cr" },
		{ 0xc0010117u, "amd_vm_hsave_pa" },
		{ 0xc0011020u, "amd_ls_cfg" },
		{ 0xc0000104u, "amd_tsc_ratio" },
		{ 0xc0000000u, "c0000000" },
		{ 0x80000000u, "80000000" },
		{ 0x7fffffffu, "7fffffff" },
		{ 0xffffffffu, "ffffffff" },
		{ 0x00002000u, "2000" },
		{ 0x0000ffffu, "ffff" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(list); i++)
		expect_gp_both(list[i].msr, list[i].what);
}

static bool leaf_bit(u32 leaf, int reg, u32 bit)
{
	u32 max = leaf >= 0x80000000u ? cpuid(0x80000000u).eax : cpuid(0).eax;
	struct cpuid_regs r;

	if (max < leaf)
		return false;
	r = cpuid_count(leaf, 0);
	return (reg == 0 ? r.ebx : reg == 1 ? r.ecx : r.edx) & BIT(bit);
}

static bool has_vmx(void) { return leaf_bit(1, 1, 5); }
/*
 * The x2APIC MSRs exist only in x2APIC mode; in xAPIC mode, the reset
 * state, they are #GP even where CPUID shows x2APIC (SDM 3A 10.12.1.2).
 */
static bool has_x2apic(void)
{
	return leaf_bit(1, 1, 21) && (rdmsr(0x1b) & (1u << 10));
}
static bool has_apic(void) { return leaf_bit(1, 2, 9); }
static bool has_mtrr(void) { return leaf_bit(1, 2, 12); }
static bool has_mca(void) { return leaf_bit(1, 2, 14); }
static bool has_deadline(void) { return leaf_bit(1, 1, 24); }
static bool has_pmu(void) { return cpuid(0).eax >= 0xa && (cpuid(0xa).eax & 0xff); }
static bool has_spec_ctrl(void) { return leaf_bit(7, 2, 26); }
static bool has_arch_caps(void) { return leaf_bit(7, 2, 29); }
static bool has_tsc_adjust(void) { return leaf_bit(7, 0, 1); }
static bool has_tsc_aux(void) { return leaf_bit(0x80000001u, 2, 27) || leaf_bit(7, 1, 22); }
static bool has_mpx(void) { return leaf_bit(7, 0, 14); }
static bool has_xss(void) { return cpuid(0).eax >= 0xd && (cpuid_count(0xd, 1).eax & BIT(3)); }
static bool has_cet(void) { return leaf_bit(7, 1, 7) || leaf_bit(7, 2, 20); }
static bool has_lm(void) { return leaf_bit(0x80000001u, 2, 29); }
static bool has_debugctl(void) { return true; }	/* every P6+ CPU (SDM 4) */

static void test_feature_msrs(void)
{
	static const struct {
		u32 msr;
		bool (*has)(void);
		const char *name;
	} list[] = {
		{ 0x3a, has_vmx, "feature_control" },
		{ 0x480, has_vmx, "vmx_basic" },
		{ 0x481, has_vmx, "vmx_pinbased" },
		{ 0x48b, has_vmx, "vmx_procbased2" },
		{ 0x491, has_vmx, "vmx_vmfunc" },
		{ 0x9b, has_vmx, "smm_monitor_ctl" },
		{ 0x1b, has_apic, "apic_base" },
		{ 0x802, has_x2apic, "x2apic_id" },
		{ 0x808, has_x2apic, "x2apic_tpr" },
		{ 0x80b, has_x2apic, "x2apic_eoi" },
		{ 0xfe, has_mtrr, "mtrrcap" },
		{ 0x2ff, has_mtrr, "mtrr_def_type" },
		{ 0x200, has_mtrr, "mtrr_physbase0" },
		{ 0x179, has_mca, "mcg_cap" },
		{ 0x400, has_mca, "mc0_ctl" },
		{ 0xc1, has_pmu, "pmc0" },
		{ 0x186, has_pmu, "perfevtsel0" },
		{ 0x6e0, has_deadline, "tsc_deadline" },
		{ 0x48, has_spec_ctrl, "spec_ctrl" },
		{ 0x10a, has_arch_caps, "arch_capabilities" },
		{ 0x3b, has_tsc_adjust, "tsc_adjust" },
		{ 0xc0000103u, has_tsc_aux, "tsc_aux" },
		{ 0xd90, has_mpx, "bndcfgs" },
		{ 0xda0, has_xss, "xss" },
		{ 0x6a0, has_cet, "u_cet" },
		{ 0xc0000081u, has_lm, "star" },
		{ 0xc0000082u, has_lm, "lstar" },
		{ 0xc0000083u, has_lm, "cstar" },
		{ 0xc0000084u, has_lm, "fmask" },
		{ 0xc0000102u, has_lm, "kernel_gs_base" },
		{ 0x1d9, has_debugctl, "debugctl" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(list); i++) {
		bool has = list[i].has();
		u64 v = 0;
		int r = rdmsr_safe(list[i].msr, &v), w = EXC_NONE;

		/* Write back what was read; IA32_FEATURE_CONTROL is locked. */
		if (has && r == EXC_NONE && list[i].msr != 0x3a &&
		    list[i].msr != 0x80b && list[i].msr != 0x802)
			w = wrmsr_safe(list[i].msr, v);
		if (has)
			report(r == EXC_NONE && w == EXC_NONE,
			       "msr_%s_advertised_works (rd %s, wr %s)",
			       list[i].name, vec_name(r), vec_name(w));
		else
			report(r == GP_VECTOR, "msr_%s_hidden_gp (rd %s)",
			       list[i].name, vec_name(r));
	}
}

static u32 linear_bits(void)
{
	if (cpuid(0x80000000u).eax < 0x80000008u)
		return 48;
	return (cpuid(0x80000008u).eax >> 8) & 0xff;
}

static void test_canonical(void)
{
	static const struct {
		u32 msr;
		const char *name;
	} list[] = {
		{ 0xc0000100u, "fs_base" },
		{ 0xc0000101u, "gs_base" },
		{ 0xc0000102u, "kernel_gs_base" },
		{ 0xc0000082u, "lstar" },
		{ 0xc0000083u, "cstar" },
		{ 0x175, "sysenter_esp" },
		{ 0x176, "sysenter_eip" },
	};
	u32 lin = linear_bits();
	u64 bad[] = {
		1ull << (lin - 1),			/* first non-canonical */
		~0ull << lin,				/* upper bits, no sign */
		0x8000000000000000ull,
	};

	if (!has_lm()) {
		report_skip("canonical: no long mode");
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(list); i++) {
		u64 old = 0, now = 0;
		int vr = rdmsr_safe(list[i].msr, &old), bad_ok = 0;

		for (size_t j = 0; j < ARRAY_SIZE(bad); j++)
			bad_ok += wrmsr_safe(list[i].msr, bad[j]) == GP_VECTOR;
		rdmsr_safe(list[i].msr, &now);
		report(vr == EXC_NONE && bad_ok == ARRAY_SIZE(bad) && now == old,
		       "msr_%s_noncanonical_gp_value_kept (rd %s, %d/%u gp)",
		       list[i].name, vec_name(vr), bad_ok,
		       (unsigned int)ARRAY_SIZE(bad));
	}
	/* The highest canonical address is fine (upper half, sign-extended). */
	u64 hi = ~0ull << (lin - 1), v = 0;
	int vec = wrmsr_safe(0xc0000100u, hi);

	rdmsr_safe(0xc0000100u, &v);
	report(vec == EXC_NONE && v == hi, "msr_fs_base_upper_canonical_ok (%s)",
	       vec_name(vec));
	wrmsr_safe(0xc0000100u, 0);
}

static void test_values(void)
{
	static const u32 efer_rsvd[] = { 1, 2, 9, 12, 13, 14, 15, 16, 32, 63 };
	static const u64 bad_pat[] = {
		0x0007040600070402ull,		/* type 2 */
		0x0007040603070406ull,		/* type 3 */
		0x0807040600070406ull,		/* type 8 */
		0xff07040600070406ull,
	};
	u64 efer = rdmsr(MSR_EFER), pat = 0, v = 0;
	char name[48];
	int vec;

	for (size_t i = 0; i < ARRAY_SIZE(efer_rsvd); i++) {
		snprintf(name, sizeof(name), "efer_reserved_bit%u", efer_rsvd[i]);
		expect_vec(wrmsr_safe(MSR_EFER, efer | (1ull << efer_rsvd[i])),
			   GP_VECTOR, name);
	}
	report(rdmsr(MSR_EFER) == efer, "efer_unchanged");

	rdmsr_safe(0x277, &pat);
	for (size_t i = 0; i < ARRAY_SIZE(bad_pat); i++) {
		snprintf(name, sizeof(name), "pat_bad_type_%u", (unsigned int)i);
		expect_vec(wrmsr_safe(0x277, bad_pat[i]), GP_VECTOR, name);
	}
	rdmsr_safe(0x277, &v);
	report(v == pat, "pat_unchanged (%#llx)", (unsigned long long)v);

	/* WRMSR to IA32_TSC is architectural (SDM 3B 18.17). */
	vec = wrmsr_safe(0x10, 1ull << 40);
	rdmsr_safe(0x10, &v);
	report(vec == EXC_NONE && v >= (1ull << 40), "wrmsr_tsc_accepted (%s)",
	       vec_name(vec));
	vec = rdmsr_safe(0x1a0, &v);
	if (vec == EXC_NONE)
		vec = wrmsr_safe(0x1a0, v);
	report(vec == EXC_NONE, "misc_enable_read_write_same (%s)",
	       vec_name(vec));
	vec = rdmsr_safe(0x8b, &v);
	report(vec == EXC_NONE, "rdmsr_bios_sign_id (%s)", vec_name(vec));
	/* SYSENTER_CS holds 32 bits; the upper half reads back as 0. */
	vec = wrmsr_safe(0x174, 0x0000000100000008ull);
	rdmsr_safe(0x174, &v);
	report(vec == GP_VECTOR || (vec == EXC_NONE && v == 8),
	       "sysenter_cs_upper_half (%s, %#llx)", vec_name(vec),
	       (unsigned long long)v);
	wrmsr_safe(0x174, 0);
}

int main(void)
{
	test_init("hostile_msr");
	test_unknown();
	test_feature_msrs();
	test_canonical();
	test_values();
	test_exit();
}
