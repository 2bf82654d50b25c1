// SPDX-License-Identifier: MIT
/*
 * Hostile control-register and XCR0 writes, 32-bit protected mode.  Each
 * case is the architectural outcome (SDM 2, MOV to/from control registers,
 * LMSW, XSETBV; SDM 3A 2.5, 4.4.1, 9.8.5; SDM 1 13.3):
 *
 *  - CR0: reserved bits of CR0[31:0] are ignored (read back 0); PG without
 *    PE and NW without CD are #GP(0); LMSW cannot clear PE.
 *  - CR1, CR5-CR7 do not exist: #UD.  LOCK MOV CR0 (AMD's CR8 encoding)
 *    is #UD on a CPU without CPUID.80000001H:ECX.AltMovCr8.
 *  - CR4: reserved bits, and every feature bit CPUID does not advertise,
 *    are #GP(0); every bit it does advertise is accepted.  PCIDE outside
 *    IA-32e mode is #GP(0).
 *  - PAE: a PDPTE with P = 1 and reserved bits set, or pointing at or above
 *    MAXPHYADDR, or a PDPT in unbacked memory (read as all ones), makes the
 *    MOV that loads the PDPTEs #GP(0), and nothing changes.
 *  - EFER.LME cannot change while paging is on; activating IA-32e mode
 *    without PAE, from a CS with L = 1, or with a 16-bit TSS in TR is
 *    #GP(0) (it once failed VM entry instead).
 *  - XSETBV: ECX != 0, x87 clear, AVX without SSE, a partial AVX-512 set or
 *    one without AVX, half of MPX or AMX, unsupported or reserved bits: all
 *    #GP(0) (0x27 once faulted in VMX root).  Valid values
 *    read back through XGETBV.
 *
 * Config (test/emu/hostile-suite.cfg): mem=16M
 */
#include "cpu.h"
#include "hostile.h"
#include "paging.h"
#include "string.h"
#include "test.h"

#define HOLE		0xa0000u
#define MB		0x100000u

static void test_cr0(void)
{
	u32 cr0 = read_cr0();
	int vec;

	vec = write_cr_safe(0, cr0 | BIT(7) | BIT(10) | BIT(28));
	report(vec == EXC_NONE && !(read_cr0() & (BIT(7) | BIT(10) | BIT(28))),
	       "cr0_reserved_low_bits_ignored (%s, %#x)", vec_name(vec),
	       read_cr0());
	write_cr0(cr0);
	expect_vec(write_cr_safe(0, (cr0 & ~X86_CR0_PE) | X86_CR0_PG), GP_VECTOR,
		   "cr0_pg_without_pe");
	expect_vec(write_cr_safe(0, cr0 | X86_CR0_NW), GP_VECTOR,
		   "cr0_nw_without_cd");
	report(read_cr0() == cr0, "cr0_unchanged_after_gp (%#x)", read_cr0());
	vec = write_cr_safe(0, cr0 | X86_CR0_CD | X86_CR0_NW);
	report(vec == EXC_NONE, "cr0_cd_nw_accepted (%s)", vec_name(vec));
	write_cr0(cr0);

	/* LMSW loads PE, MP, EM, TS but cannot clear PE. */
	exc_clear();
	asm volatile(ASM_TRY_BEGIN "lmsw %w0" ASM_TRY_END
		     : : "r"(0) : "memory");
	vec = exc_caught(NULL);
	report(vec == EXC_NONE && (read_cr0() & X86_CR0_PE),
	       "lmsw_cannot_clear_pe (%s, %#x)", vec_name(vec), read_cr0());
	write_cr0(cr0 | X86_CR0_TS);
	asm volatile("clts");
	report(!(read_cr0() & X86_CR0_TS), "clts_clears_ts (%#x)", read_cr0());
	write_cr0(cr0);
}

static void test_no_such_cr(void)
{
	int vec;

	exc_clear();
	asm volatile(ASM_TRY_BEGIN ".byte 0x0f, 0x22, 0xc8" ASM_TRY_END	/* cr1 */
		     : : "a"(0) : "memory");
	expect_vec(exc_caught(NULL), UD_VECTOR, "mov_to_cr1_ud");
	exc_clear();
	asm volatile(ASM_TRY_BEGIN ".byte 0x0f, 0x22, 0xe8" ASM_TRY_END	/* cr5 */
		     : : "a"(0) : "memory");
	expect_vec(exc_caught(NULL), UD_VECTOR, "mov_to_cr5_ud");
	exc_clear();
	asm volatile(ASM_TRY_BEGIN ".byte 0x0f, 0x20, 0xf0" ASM_TRY_END	/* cr6 */
		     : : : "eax", "memory");
	expect_vec(exc_caught(NULL), UD_VECTOR, "mov_from_cr6_ud");
	exc_clear();
	asm volatile(ASM_TRY_BEGIN ".byte 0x0f, 0x22, 0xf8" ASM_TRY_END	/* cr7 */
		     : : "a"(0) : "memory");
	expect_vec(exc_caught(NULL), UD_VECTOR, "mov_to_cr7_ud");

	if (cpuid(0x80000000).eax >= 0x80000001 &&
	    (cpuid(0x80000001).ecx & BIT(4))) {
		report_skip("lock_mov_cr0_ud: CPU has AltMovCr8");
		return;
	}
	exc_clear();
	asm volatile(ASM_TRY_BEGIN ".byte 0xf0, 0x0f, 0x22, 0xc0" ASM_TRY_END
		     : : "a"(read_cr0()) : "memory");
	vec = exc_caught(NULL);
	expect_vec(vec, UD_VECTOR, "lock_mov_cr0_ud");
}

struct cr4_feature {
	u32 bit;
	u32 leaf, reg;		/* reg: 0 EBX, 1 ECX, 2 EDX */
	u32 cpuid_bit;
	const char *name;
};

static bool has_feature(const struct cr4_feature *f)
{
	struct cpuid_regs r;

	if (cpuid(0).eax < f->leaf)
		return false;
	r = cpuid_count(f->leaf, 0);
	return (f->reg == 0 ? r.ebx : f->reg == 1 ? r.ecx : r.edx) &
	       BIT(f->cpuid_bit);
}

static void test_cr4(void)
{
	static const struct cr4_feature feats[] = {
		{ 0, 1, 2, 1, "vme" },
		{ 1, 1, 2, 1, "pvi" },
		{ 2, 1, 2, 4, "tsd" },
		{ 3, 1, 2, 2, "de" },
		{ 6, 1, 2, 7, "mce" },
		{ 7, 1, 2, 13, "pge" },
		{ 9, 1, 2, 24, "osfxsr" },
		{ 10, 1, 2, 25, "osxmmexcpt" },
		{ 11, 7, 1, 2, "umip" },
		{ 12, 7, 1, 16, "la57" },
		{ 13, 1, 1, 5, "vmxe" },
		{ 14, 1, 1, 6, "smxe" },
		{ 16, 7, 0, 0, "fsgsbase" },
		{ 18, 1, 1, 26, "osxsave" },
		{ 20, 7, 0, 7, "smep" },
		{ 21, 7, 0, 20, "smap" },
		{ 22, 7, 1, 3, "pke" },
		{ 23, 7, 1, 7, "cet" },
	};
	static const u32 reserved[] = { 15, 19, 26, 27, 28, 29, 30, 31 };
	u32 cr4 = read_cr4();

	for (size_t i = 0; i < ARRAY_SIZE(reserved); i++) {
		char name[32];

		snprintf(name, sizeof(name), "cr4_reserved_bit%u", reserved[i]);
		expect_vec(write_cr_safe(4, cr4 | BIT(reserved[i])), GP_VECTOR, name);
	}
	for (size_t i = 0; i < ARRAY_SIZE(feats); i++) {
		const struct cr4_feature *f = &feats[i];
		bool has = has_feature(f);
		char name[48];
		int vec;

		/* PVI's CPUID bit is VME's; CET also needs WP (SDM 3A 2.5). */
		if (f->bit == 23) {
			report_skip("cr4_cet: needs CR0.WP and IA32_S_CET");
			continue;
		}
		snprintf(name, sizeof(name), "cr4_%s_%s", f->name,
			 has ? "advertised_accepted" : "hidden_gp");
		vec = write_cr_safe(4, cr4 | BIT(f->bit));
		expect_vec(vec, has ? EXC_NONE : GP_VECTOR, name);
		write_cr_safe(4, cr4);
	}
	expect_vec(write_cr_safe(4, cr4 | X86_CR4_PCIDE), GP_VECTOR,
		   "cr4_pcide_outside_long_mode");
	report(read_cr4() == cr4, "cr4_unchanged (%#x)", read_cr4());
}

static u64 pdpt[4] __attribute__((aligned(32)));
static u64 pae_pd[512] __attribute__((aligned(PG_SIZE)));

static u32 maxphyaddr(void)
{
	if (cpuid(0x80000000).eax < 0x80000008)
		return 36;
	return cpuid(0x80000008).eax & 0xff;
}

static void pae_tables(void)
{
	memset(pdpt, 0, sizeof(pdpt));
	for (u32 i = 0; i < 8; i++)
		pae_pd[i] = (u64)i * 2 * MB | PG_PS | PG_P | PG_RW;
	pdpt[0] = pa_of(pae_pd) | PG_P;
}

/* MOV CR0 setting PG under PAE loads the PDPTEs: one bad one is #GP. */
static void pg_case(u64 pdpte0, u32 cr3, const char *name)
{
	u32 cr0 = read_cr0();
	int vec;

	pae_tables();
	pdpt[0] = pdpte0;
	write_cr4(read_cr4() | X86_CR4_PAE);
	write_cr3(cr3);
	vec = write_cr_safe(0, cr0 | X86_CR0_PG);
	report(vec == GP_VECTOR && !(read_cr0() & X86_CR0_PG), "%s (%s)", name,
	       vec_name(vec));
	write_cr0(cr0);
	write_cr4(read_cr4() & ~X86_CR4_PAE);
}

static void test_pae(void)
{
	u32 pd = pa_of(pae_pd), m = maxphyaddr();
	u32 cr0 = read_cr0();
	int vec;

	pg_case(pd | PG_P | BIT(1), pa_of(pdpt), "pdpte_reserved_bit1_gp");
	pg_case(pd | PG_P | BIT(5), pa_of(pdpt), "pdpte_reserved_bit5_gp");
	pg_case(pd | PG_P | BIT(7), pa_of(pdpt), "pdpte_reserved_bit7_gp");
	pg_case(pd | PG_P | (1ull << m), pa_of(pdpt),
		"pdpte_above_maxphyaddr_gp");
	pg_case(pd | PG_P | PG_NX, pa_of(pdpt), "pdpte_bit63_gp");
	pg_case(0, HOLE, "pdpt_in_unbacked_memory_gp");

	/* Not present: the other bits are free (SDM 3A 4.4.1). */
	pae_tables();
	pdpt[1] = 0xfffffffffffffffeull;
	write_cr4(read_cr4() | X86_CR4_PAE);
	write_cr3(pa_of(pdpt));
	vec = write_cr_safe(0, cr0 | X86_CR0_PG);
	report(vec == EXC_NONE && (read_cr0() & X86_CR0_PG),
	       "pdpte_not_present_junk_ok (%s)", vec_name(vec));

	/* Paging on: MOV CR3 loads the PDPTEs; a bad one is #GP, CR3 kept. */
	pdpt[1] = 0;
	static u64 pdpt2[4] __attribute__((aligned(32)));
	pdpt2[0] = pd | PG_P;
	pdpt2[3] = pd | PG_P | BIT(8);
	vec = write_cr_safe(3, pa_of(pdpt2));
	report(vec == GP_VECTOR && read_cr3() == pa_of(pdpt),
	       "mov_cr3_bad_pdpte_gp_cr3_kept (%s, %#x)", vec_name(vec),
	       read_cr3());

	/* EFER.LME cannot change while paging is on. */
	vec = wrmsr_safe(MSR_EFER, rdmsr(MSR_EFER) | EFER_LME);
	expect_vec(vec, GP_VECTOR, "efer_lme_with_paging_on");
	write_cr0(cr0);
	write_cr4(read_cr4() & ~X86_CR4_PAE);

	/* IA-32e activation without PAE. */
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_LME);
	write_cr3(pa_of(pdpt));
	vec = write_cr_safe(0, cr0 | X86_CR0_PG);
	report(vec == GP_VECTOR && !(rdmsr(MSR_EFER) & EFER_LMA),
	       "long_mode_without_pae_gp (%s)", vec_name(vec));
	write_cr0(cr0);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) & ~(u64)EFER_LME);
}

/*
 * IA-32e activation from a CS with L = 1 (outside IA-32e mode L is
 * ignored, so the code runs as 32-bit), and with a 16-bit TSS in TR:
 * both #GP(0) (SDM 2, MOV to CR0).
 */
static u64 gdt[5] __attribute__((aligned(8)));
static u8 tss16[44];

static int activate_long_mode(bool from_l_cs)
{
	u32 cr0 = read_cr0();
	int vec;

	pae_tables();
	/* [0, 4 GiB) is not needed: the attempt must fault. */
	write_cr4(read_cr4() | X86_CR4_PAE);
	write_cr3(pa_of(pdpt));
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_LME);
	exc_clear();
	if (from_l_cs)
		asm volatile("ljmp $0x18, $2f\n2:\n\t"
			     ASM_TRY_BEGIN "movl %0, %%cr0" ASM_TRY_END
			     "ljmp $0x08, $3f\n3:"
			     : : "r"(cr0 | X86_CR0_PG) : "memory");
	else
		asm volatile(ASM_TRY_BEGIN "movl %0, %%cr0" ASM_TRY_END
			     : : "r"(cr0 | X86_CR0_PG) : "memory");
	vec = exc_caught(NULL);
	if (read_cr0() & X86_CR0_PG)
		write_cr0(cr0);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) & ~(u64)EFER_LME);
	write_cr4(read_cr4() & ~X86_CR4_PAE);
	return vec;
}

static void test_long_mode_activation(void)
{
	struct desc_ptr old, gdtr = { .limit = sizeof(gdt) - 1,
				      .base = (uintptr_t)gdt };
	u32 b = (u32)(uintptr_t)tss16;

	asm volatile("sgdt %0" : "=m"(old));
	gdt[1] = 0x00cf9b000000ffffull;
	gdt[2] = 0x00cf93000000ffffull;
	gdt[3] = 0x00ef9b000000ffffull;		/* L = 1, D = 1 */
	/* 16-bit available TSS (type 1), limit 43. */
	gdt[4] = 43 | ((u64)(b & 0xffffff) << 16) | (0x81ull << 40) |
		 ((u64)(b >> 24) << 56);
	asm volatile("lgdt %0" : : "m"(gdtr) : "memory");

	expect_vec(activate_long_mode(true), GP_VECTOR,
		   "long_mode_from_cs_l1_d1_gp");
	asm volatile("ltr %w0" : : "r"(0x20) : "memory");
	expect_vec(activate_long_mode(false), GP_VECTOR,
		   "long_mode_with_16bit_tss_gp");
	/* TR keeps the (now busy) 16-bit TSS: legal outside IA-32e mode. */
	asm volatile("lgdt %0" : : "m"(old) : "memory");
}

static void test_xcr0(void)
{
	u64 sup, v = 0;
	char name[48];
	int vec;

	static const struct {
		u64 val;
		const char *name;
	} bad[] = {
		{ 0, "0_no_x87" },
		{ 0x2, "sse_without_x87" },
		{ 0x5, "avx_without_sse" },
		{ 0x27, "x87_sse_avx_opmask" },
		{ 0x47, "x87_sse_avx_zmm_hi256" },
		{ 0x87, "x87_sse_avx_hi16_zmm" },
		{ 0x67, "avx512_without_hi16_zmm" },
		{ 0xa7, "avx512_without_zmm_hi256" },
		{ 0xc7, "avx512_without_opmask" },
		{ 0xe3, "avx512_without_avx" },
		{ 0xe1, "avx512_without_sse_avx" },
		{ 0x0b, "mpx_bndregs_only" },
		{ 0x13, "mpx_bndcsr_only" },
		{ 0x100 | 0x3, "bit8_pt_supervisor_state" },
		{ 0x400 | 0x3, "bit10" },
		{ 0x20000 | 0x3, "amx_tilecfg_only" },
		{ 0x40000 | 0x3, "amx_tiledata_only" },
		{ 0x100000000ull | 0x3, "bit32" },
		{ 0x8000000000000003ull, "bit63" },
		{ 0xffffffffffffffffull, "all_ones" },
	};

	/*
	 * Without XSAVE (CPUID hides it, so CR4.OSXSAVE cannot be set) every
	 * XSETBV is #UD: the hypervisor must not execute any of them.
	 */
	if (!cpu_has_xsave()) {
		for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
			snprintf(name, sizeof(name), "xsetbv_%s_no_xsave_ud",
				 bad[i].name);
			expect_vec(xsetbv_safe(0, bad[i].val), UD_VECTOR, name);
		}
		expect_vec(xsetbv_safe(1, 1), UD_VECTOR, "xsetbv_ecx1_no_xsave_ud");
		return;
	}
	sup = xcr0_supported();
	write_cr4(read_cr4() | X86_CR4_OSXSAVE);

	expect_vec(xsetbv_safe(1, 1), GP_VECTOR, "xsetbv_ecx1");
	expect_vec(xsetbv_safe(0xffffffffu, 1), GP_VECTOR, "xsetbv_ecx_max");
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(name, sizeof(name), "xsetbv_%s", bad[i].name);
		expect_vec(xsetbv_safe(0, bad[i].val), GP_VECTOR, name);
	}
	vec = xgetbv_safe(0, &v);
	report(vec == EXC_NONE && v == 1, "xcr0_unchanged_after_gp (%#llx)",
	       (unsigned long long)v);

	static const u64 good[] = { 0x1, 0x3, 0x7, 0xe7, 0x1b, 0x207 };
	for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
		bool ok = (good[i] & sup) == good[i];

		snprintf(name, sizeof(name), "xsetbv_%#llx_%s",
			 (unsigned long long)good[i],
			 ok ? "valid_roundtrip" : "unsupported_gp");
		vec = xsetbv_safe(0, good[i]);
		if (ok) {
			xgetbv_safe(0, &v);
			report(vec == EXC_NONE && v == good[i], "%s (%s, %#llx)",
			       name, vec_name(vec), (unsigned long long)v);
		} else {
			expect_vec(vec, GP_VECTOR, name);
		}
	}
	expect_vec(xgetbv_safe(2, &v), GP_VECTOR, "xgetbv_ecx2");
	vec = xgetbv_safe(1, &v);
	if (cpuid_count(0xd, 1).eax & BIT(2))
		expect_vec(vec, EXC_NONE, "xgetbv_ecx1_advertised");
	else
		expect_vec(vec, GP_VECTOR, "xgetbv_ecx1_hidden");

	xsetbv_safe(0, 1);
	write_cr4(read_cr4() & ~X86_CR4_OSXSAVE);
	exc_clear();
	asm volatile(ASM_TRY_BEGIN "xgetbv" ASM_TRY_END
		     : : "c"(0) : "eax", "edx", "memory");
	expect_vec(exc_caught(NULL), UD_VECTOR, "xgetbv_without_osxsave_ud");
}

int main(void)
{
	test_init("hostile_cr");
	test_cr0();
	test_no_such_cr();
	test_cr4();
	test_pae();
	test_xcr0();
	/* Last: a hypervisor that lets these through fails VM entry. */
	test_long_mode_activation();
	test_exit();
}
