// SPDX-License-Identifier: MIT
/*
 * XSETBV on a platform that left CR4.OSXSAVE set: the
 * "platform" tier of test/check.sh runs test/efi/osxsave.efi from the UEFI
 * Shell before hv.efi, so the host has OSXSAVE on and hv.efi offers XSAVE
 * and executes the guest's XSETBV in VMX root.  Every XCR0 value the
 * processor refuses must come back to the guest as #GP(0), never fault in
 * the hypervisor; the canary guest after this one proves hv.efi is alive.
 *
 * The XSETBV #GP conditions are those of SDM 1 13.3 and SDM 2, XSETBV:
 * ECX other than 0, bit 0 (x87) clear, a bit the processor does not
 * support (CPUID.(EAX=0DH,ECX=0):EDX:EAX), AVX without SSE, the three
 * AVX-512 bits not all equal or set without AVX, MPX's two bits not equal,
 * AMX's two bits not equal.  Without XSAVE in CPUID (hv.efi hides it when
 * the host's OSXSAVE is clear) there is nothing to attack: SKIP.
 */
#include "cpu.h"
#include "hostile.h"
#include "test.h"

#define CPUID_1_ECX_OSXSAVE	BIT(27)

#define XCR0_X87	0x1ull
#define XCR0_SSE	0x2ull
#define XCR0_AVX	0x4ull
#define XCR0_BNDREGS	0x8ull
#define XCR0_BNDCSR	0x10ull
#define XCR0_OPMASK	0x20ull
#define XCR0_AVX512	0xe0ull		/* opmask, ZMM_Hi256, Hi16_ZMM */
#define XCR0_TILECFG	(1ull << 17)
#define XCR0_TILEDATA	(1ull << 18)

static u64 xgetbv0(void)
{
	u32 lo, hi;

	asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((u64)hi << 32) | lo;
}

/* One refused value: #GP(0), and XCR0 unchanged. */
static void attack(const char *name, u32 xcr, u64 val)
{
	struct exc_info e = { 0 };
	u64 before = xgetbv0(), after;
	int vec;

	vec = xsetbv_safe(xcr, val);
	exc_caught(&e);
	after = xgetbv0();
	report(vec == GP_VECTOR && e.error_code == 0 && after == before,
	       "%s_gp (xcr%u=%#llx: vector %d, err %#x, xcr0 %#llx)", name,
	       xcr, val, vec, e.error_code, after);
}

/* One accepted value: no fault, and XGETBV reads it back. */
static void accept(const char *name, u64 val)
{
	int vec = xsetbv_safe(0, val);
	u64 got = xgetbv0();

	report(vec == EXC_NONE && got == val,
	       "%s_ok (xcr0=%#llx: vector %d, read %#llx)", name, val, vec, got);
}

int main(void)
{
	struct cpuid_regs r = cpuid(1);
	u64 supported, missing;

	test_init("xsetbv_platform");
	if (!(r.ecx & CPUID_1_ECX_XSAVE)) {
		report_skip("no_xsave_offered (ecx=%#x)", r.ecx);
		test_exit();
	}
	write_cr4(read_cr4() | X86_CR4_OSXSAVE);
	report(cpuid(1).ecx & CPUID_1_ECX_OSXSAVE, "osxsave_in_cpuid");
	/* A guest starts with XCR0 at its reset value (SDM 1 13.3). */
	report(xgetbv0() == XCR0_X87, "xcr0_reset_value (%#llx)", xgetbv0());
	supported = xcr0_supported();

	/* AVX-512's opmask alone: once executed in VMX root, and #GP there. */
	attack("avx512_opmask_only", 0, XCR0_X87 | XCR0_SSE | XCR0_AVX |
	       XCR0_OPMASK);
	attack("zero", 0, 0);
	attack("no_x87", 0, XCR0_SSE);
	attack("avx_without_sse", 0, XCR0_X87 | XCR0_AVX);
	attack("avx512_without_avx", 0, XCR0_X87 | XCR0_SSE | XCR0_AVX512);
	attack("mpx_bndregs_only", 0, XCR0_X87 | XCR0_BNDREGS);
	attack("mpx_bndcsr_only", 0, XCR0_X87 | XCR0_BNDCSR);
	attack("amx_tilecfg_only", 0, XCR0_X87 | XCR0_SSE | XCR0_AVX |
	       XCR0_TILECFG);
	attack("bit63", 0, XCR0_X87 | (1ull << 63));
	attack("all_ones", 0, ~0ull);
	missing = ~supported & 0xfffffffeull;
	if (missing)
		attack("unsupported", 0, XCR0_X87 | (missing & -missing));
	attack("xcr1", 1, XCR0_X87);
	attack("xcr_ffffffff", 0xffffffffu, XCR0_X87);

	if (supported & XCR0_SSE)
		accept("x87_sse", XCR0_X87 | XCR0_SSE);
	if ((supported & (XCR0_SSE | XCR0_AVX)) == (XCR0_SSE | XCR0_AVX))
		accept("x87_sse_avx", XCR0_X87 | XCR0_SSE | XCR0_AVX);
	if ((supported & 0xe7) == 0xe7)
		accept("avx512_all", 0xe7);
	accept("x87_again", XCR0_X87);
	test_exit();
}
