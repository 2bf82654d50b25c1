// SPDX-License-Identifier: MIT
/*
 * MSR access: an MSR the hypervisor does not know raises #GP(0) in the
 * guest, as on hardware (SDM Vol. 2B, RDMSR/WRMSR), while EFER reads and
 * its NXE bit round-trips.
 */
#include "cpu.h"
#include "test.h"

#define MSR_FS_BASE	0xc0000100u
/* No CPU or hypervisor defines this index. */
#define MSR_UNKNOWN	0xbadc0de0u

static bool cpu_has_nx(void)
{
	if (cpuid(0x80000000).eax < 0x80000001)
		return false;
	return cpuid(0x80000001).edx & CPUID_80000001_EDX_NX;
}

static void test_efer_nxe(u64 efer)
{
	u64 val = 0;
	int vec;

	if (!cpu_has_nx()) {
		vec = wrmsr_safe(MSR_EFER, efer | EFER_NXE);
		report(vec == GP_VECTOR, "efer_nxe_gp_without_nx (%d)", vec);
		return;
	}
	vec = wrmsr_safe(MSR_EFER, efer | EFER_NXE);
	if (vec == EXC_NONE)
		vec = rdmsr_safe(MSR_EFER, &val);
	report(vec == EXC_NONE && (val & EFER_NXE),
	       "efer_nxe_set (%d, %#llx)", vec, val);

	val = EFER_NXE;
	vec = wrmsr_safe(MSR_EFER, efer & ~(u64)EFER_NXE);
	if (vec == EXC_NONE)
		vec = rdmsr_safe(MSR_EFER, &val);
	report(vec == EXC_NONE && !(val & EFER_NXE),
	       "efer_nxe_clear (%d, %#llx)", vec, val);
}

/*
 * Address MSRs take canonical values only: a bad one must fault the WRMSR
 * (#GP), not reach the VMCS and fail the next VM entry.
 */
static void test_canonical(void)
{
	u64 val = 0;
	int vec;

	vec = wrmsr_safe(MSR_FS_BASE, 0x0000800000000000ull);
	report(vec == GP_VECTOR, "fs_base_noncanonical_gp (%d)", vec);
	vec = wrmsr_safe(MSR_FS_BASE, 0x1000);
	if (vec == EXC_NONE)
		vec = rdmsr_safe(MSR_FS_BASE, &val);
	report(vec == EXC_NONE && val == 0x1000, "fs_base_roundtrip (%d, %#llx)",
	       vec, val);
	wrmsr_safe(MSR_FS_BASE, 0);	/* FS is flat again */
}

/* XSETBV with CR4.OSXSAVE clear is #UD (SDM 2, XSETBV). */
static void test_xsetbv_ud(void)
{
	int vec;

	exc_clear();
	asm volatile(ASM_TRY_BEGIN "xsetbv" ASM_TRY_END
		     : : "c"(0), "a"(1), "d"(0) : "memory");
	vec = exc_caught(NULL);
	report(vec == UD_VECTOR, "xsetbv_without_osxsave_ud (%d)", vec);
}

int main(void)
{
	struct exc_info e = { 0 };
	u64 val = 0;
	int vec;

	test_init("msr");

	vec = rdmsr_safe(MSR_UNKNOWN, &val);
	exc_caught(&e);
	report(vec == GP_VECTOR && e.error_code == 0,
	       "rdmsr_unknown_gp (%d, err=%#x)", vec, e.error_code);
	vec = wrmsr_safe(MSR_UNKNOWN, 0);
	report(vec == GP_VECTOR, "wrmsr_unknown_gp (%d)", vec);

	vec = rdmsr_safe(MSR_EFER, &val);
	if (!report(vec == EXC_NONE, "efer_read (%d)", vec))
		test_exit();
	/* Paging is off, so long mode can be neither enabled nor active. */
	report(!(val & (EFER_LME | EFER_LMA)), "efer_not_long_mode (%#llx)",
	       val);
	test_efer_nxe(val);
	test_canonical();
	test_xsetbv_ud();
	test_exit();
}
