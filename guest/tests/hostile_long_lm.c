// SPDX-License-Identifier: MIT
/*
 * Hostile 64-bit guest: what only IA-32e mode can attack.
 *
 *  - Hypercalls read the full registers in 64-bit mode (README, Hypercall
 *    ABI): a number with upper bits set is unknown (-1000), a buffer
 *    above 4 GiB or at the top of the address space is -EFAULT, a length
 *    with upper bits is -E2BIG; none may be truncated to 32 bits.
 *  - CR8 takes 0-15; bits 63:4 are reserved: #GP(0).  Reserved bits of
 *    CR0[63:32], CR4[63:32] and of CR3 above MAXPHYADDR are #GP(0);
 *    clearing CR4.PAE or CR0.PG in 64-bit mode, clearing EFER.LME while
 *    LMA = 1 are #GP(0) (SDM 2, MOV CR; SDM 3A 9.8.5).
 *  - DR6/DR7 bits 63:32 are reserved: #GP(0); DR4/DR5 with CR4.DE = 1 are
 *    #UD and alias DR6/DR7 with CR4.DE = 0 (SDM 3B 17.2).
 *  - SYSCALL with EFER.SCE = 0 is #UD; a non-canonical memory operand is
 *    #GP(0).
 *  - MMIO in 64-bit forms: REX.W loads, R8-R15, RIP-relative, moffs64,
 *    addr32 (0x67): all read all ones.
 *  - #PF while delivering #PF (stack not present) is #DF(0), taken on an
 *    IST stack (SDM 3A 6.15, Table 6-5; 6.14.5).
 *
 * Config (test/emu/hostile-suite.cfg): mem=16M
 */
#include "hostile.h"
#include "hypercall.h"
#include "paging.h"
#include "string.h"
#include "test.h"

#define HOLE		0xa0000ul
#define ENOSYS		(-APERTURE_ENOSYS_KVM)

static char msg[] = "x";

static void test_hypercalls(void)
{
	long ret;

	ret = hc_raw(0x100000000ull | APERTURE_HC_VERSION, 0, 0, 0, 0);
	report(ret == ENOSYS, "hc_nr_upper_bits_unknown (%ld)", ret);
	ret = hc_raw(APERTURE_HC_CONSOLE_WRITE, 0x100000000ull | gpa_of(msg), 1, 0, 0);
	report(ret == -APERTURE_EFAULT, "hc_console_gpa_above_4g_efault (%ld)", ret);
	ret = hc_raw(APERTURE_HC_CONSOLE_WRITE, gpa_of(msg), 0x100000001ull, 0, 0);
	report(ret == -APERTURE_E2BIG, "hc_console_len_upper_bits_e2big (%ld)", ret);
	ret = hc_raw(APERTURE_HC_GET_STATS, 0xfffffffffffff000ull, 0, 0, 0);
	report(ret == -APERTURE_EFAULT, "hc_stats_top_of_space_efault (%ld)", ret);
	ret = hc_raw(APERTURE_HC_GET_STATS, 0xfffffffffffffff8ull, 0, 0, 0);
	report(ret == -APERTURE_EFAULT, "hc_stats_wrapping_efault (%ld)", ret);
	ret = hc_raw(APERTURE_HC_GET_DIRTY_LOG, 0x100000000ull, gpa_of(msg), 0, 0);
	report(ret == -APERTURE_EINVAL, "hc_dirty_slot_upper_bits_einval (%ld)", ret);
	ret = hc_raw(APERTURE_HC_GET_MEMSLOTS, 0x100000000ull, 1, 0, 0);
	report(ret == -APERTURE_EFAULT, "hc_memslots_buffer_above_4g_efault (%ld)", ret);
}

static u32 maxphyaddr(void)
{
	return cpuid(0x80000000u).eax >= 0x80000008u ?
	       (cpuid(0x80000008u).eax & 0xff) : 36;
}

static void test_control(void)
{
	unsigned long cr0 = read_cr0_full(), cr4 = read_cr4_full(), v = 0;
	unsigned long cr3;
	u64 efer = rdmsr(MSR_EFER);
	int vec;

	asm volatile("mov %%cr3, %0" : "=r"(cr3));
	expect_vec(write_cr_safe(8, 16), GP_VECTOR, "cr8_16_gp");
	expect_vec(write_cr_safe(8, 1ul << 63), GP_VECTOR, "cr8_bit63_gp");
	vec = write_cr_safe(8, 7);
	read_cr8_safe(&v);
	report(vec == EXC_NONE && v == 7, "cr8_7_roundtrip (%s, %#lx)",
	       vec_name(vec), v);
	write_cr_safe(8, 0);
	expect_vec(write_cr_safe(0, cr0 | (1ul << 32)), GP_VECTOR, "cr0_bit32_gp");
	expect_vec(write_cr_safe(0, cr0 | (1ul << 63)), GP_VECTOR, "cr0_bit63_gp");
	expect_vec(write_cr_safe(4, cr4 | (1ul << 32)), GP_VECTOR, "cr4_bit32_gp");
	expect_vec(write_cr_safe(4, cr4 & ~(unsigned long)X86_CR4_PAE), GP_VECTOR,
		   "cr4_clear_pae_in_long_mode_gp");
	expect_vec(write_cr_safe(0, cr0 & ~(unsigned long)X86_CR0_PG), GP_VECTOR,
		   "cr0_clear_pg_in_64bit_mode_gp");
	expect_vec(write_cr_safe(3, cr3 | (1ul << 62)), GP_VECTOR, "cr3_bit62_gp");
	expect_vec(write_cr_safe(3, cr3 | (1ul << maxphyaddr())), GP_VECTOR,
		   "cr3_at_maxphyaddr_gp");
	expect_vec(wrmsr_safe(MSR_EFER, efer & ~(u64)EFER_LME), GP_VECTOR,
		   "efer_clear_lme_while_lma_gp");
	report(read_cr0_full() == cr0 && read_cr4_full() == cr4 &&
	       rdmsr(MSR_EFER) == efer, "control_state_unchanged");
}

static void test_debug_regs(void)
{
	unsigned long v = 0, dr6 = 0;
	unsigned long cr4 = read_cr4_full();

	expect_vec(write_dr_safe(7, 1ul << 32 | 0x400), GP_VECTOR, "dr7_bit32_gp");
	expect_vec(write_dr_safe(6, 1ul << 40 | 0xffff0ff0ul), GP_VECTOR,
		   "dr6_bit40_gp");
	write_cr4(cr4 | X86_CR4_DE);
	expect_vec(read_dr_safe(4, &v), UD_VECTOR, "dr4_with_cr4_de_ud");
	expect_vec(write_dr_safe(5, 0x400), UD_VECTOR, "dr5_with_cr4_de_ud");
	write_cr4(cr4 & ~(unsigned long)X86_CR4_DE);
	read_dr_safe(6, &dr6);
	int vec = read_dr_safe(4, &v);
	report(vec == EXC_NONE && v == dr6, "dr4_aliases_dr6_without_de (%s, %#lx)",
	       vec_name(vec), v);
	write_cr4(cr4);
}

static void test_insns(void)
{
	u64 efer = rdmsr(MSR_EFER);
	int vec;

	wrmsr(MSR_EFER, efer & ~1ull);
	exc_clear();
	asm volatile(ASM_TRY_BEGIN "syscall" ASM_TRY_END
		     : : : "rcx", "r11", "memory");
	vec = exc_caught(NULL);
	wrmsr(MSR_EFER, efer);
	expect_vec(vec, UD_VECTOR, "syscall_without_sce_ud");

	exc_clear();
	asm volatile(ASM_TRY_BEGIN "movl (%0), %%eax" ASM_TRY_END
		     : : "r"(0x0000800000000000ull) : "eax", "memory");
	expect_vec(exc_caught(NULL), GP_VECTOR, "noncanonical_load_gp");
}

static void test_mmio64(void)
{
	u64 v = 0, r15 = 0;
	u32 w = 0;

	asm volatile("movq (%1), %0" : "=r"(v) : "r"(HOLE) : "memory");
	report(v == ~0ull, "mmio_movq_rexw (%#llx)", (unsigned long long)v);
	asm volatile("movq (%1), %%r15\n\tmovq %%r15, %0"
		     : "=r"(r15) : "r"(HOLE + 8) : "r15", "memory");
	report(r15 == ~0ull, "mmio_movq_r15 (%#llx)", (unsigned long long)r15);
	/*
	 * RIP-relative: the displacement to the hole depends on where the
	 * code lies, so the 7-byte "mov disp32(%rip), %eax; ret" is built
	 * here (entry64.S maps RAM writable and executable).
	 */
	{
		static u8 code[16];
		s32 disp = (s32)(HOLE + 0x10 - ((uintptr_t)code + 6));
		u32 (*fn)(void) = (u32 (*)(void))(uintptr_t)code;

		code[0] = 0x8b;
		code[1] = 0x05;
		memcpy(&code[2], &disp, 4);
		code[6] = 0xc3;
		w = fn();
		report(w == 0xffffffffu, "mmio_rip_relative (%#x)", w);
	}
	v = 0;
	asm volatile("movabsq 0xa0020, %%rax" : "=a"(v) : : "memory");
	report(v == ~0ull, "mmio_moffs64 (%#llx)", (unsigned long long)v);
	w = 0;
	asm volatile("movl (%k1), %0" : "=r"(w) : "r"(HOLE + 0x30) : "memory");
	report(w == 0xffffffffu, "mmio_addr32_prefix (%#x)", w);
	v = 0x1122334455667788ull;
	asm volatile("movl (%1), %k0" : "+r"(v) : "r"(HOLE) : "memory");
	report(v == 0xffffffffull, "mmio_32bit_load_zero_extends (%#llx)",
	       (unsigned long long)v);
}

/*
 * #PF during #PF: RSP points into a 2-MByte page we mark not present, and
 * the access faults on another.  The #DF gate uses IST1.
 */
struct __attribute__((packed)) tss64 {
	u32 rsvd0;
	u64 rsp[3];
	u64 rsvd1;
	u64 ist[7];
	u64 rsvd2;
	u16 rsvd3, iomap;
};

static struct tss64 tss;
static u8 ist_stack[8192] __attribute__((aligned(16)));
static u64 gdt[5] __attribute__((aligned(16)));

struct gate64 {
	u16 off_lo, sel;
	u8 ist, type_attr;
	u16 off_mid;
	u32 off_hi, rsvd;
};

static void test_double_fault(void)
{
	struct desc_ptr old, gdtr = { .limit = sizeof(gdt) - 1,
				      .base = (uintptr_t)gdt };
	struct desc_ptr idtr;
	struct exc_info e = { 0 };
	u64 b = (uintptr_t)&tss, *pml4, *pdpt, *pd, saved;
	unsigned long cr3;
	struct gate64 *df;
	int vec;

	asm volatile("sgdt %0" : "=m"(old));
	gdt[1] = 0x00af9b000000ffffull;
	gdt[2] = 0x00cf93000000ffffull;
	gdt[3] = (sizeof(tss) - 1) | ((b & 0xffffff) << 16) | (0x89ull << 40) |
		 (((b >> 24) & 0xff) << 56);
	gdt[4] = b >> 32;
	tss.ist[0] = (uintptr_t)(ist_stack + sizeof(ist_stack));
	tss.iomap = sizeof(tss);
	asm volatile("lgdt %0\n\tltr %w1" : : "m"(gdtr), "r"(0x18) : "memory");
	asm volatile("sidt %0" : "=m"(idtr));
	df = (struct gate64 *)idtr.base + DF_VECTOR;
	df->ist = 1;

	/* entry64.S's tables: PML4[0] -> PDPT, PDPT[1] -> the PD of [1G, 2G). */
	asm volatile("mov %%cr3, %0" : "=r"(cr3));
	pml4 = (u64 *)(cr3 & ~0xffful);
	pdpt = (u64 *)(pml4[0] & 0xfffff000ul);
	pd = (u64 *)(pdpt[1] & 0xfffff000ul);
	saved = pd[0];
	pd[0] &= ~(u64)PG_P;		/* [1G, 1G + 2M) not present */
	invlpg((void *)0x40000000ul);

	exc_clear();
	asm volatile("movq %%rsp, %%r12\n\t"
		     "movq $0x40100000, %%rsp\n\t"
		     ASM_TRY_BEGIN "movl 0x40000000, %%eax" ASM_TRY_END
		     "movq %%r12, %%rsp"
		     : : : "rax", "r12", "memory");
	vec = exc_caught(&e);
	pd[0] = saved;
	invlpg((void *)0x40000000ul);
	df->ist = 0;
	expect_vec_err(vec, e.error_code, DF_VECTOR, 0, "pf_during_pf_delivery_df");
	/* TR stays on our TSS; the old GDT would lose it, keep ours. */
	(void)old;
}

int main(void)
{
	test_init("hostile_long_lm");
	test_hypercalls();
	test_control();
	test_debug_regs();
	test_insns();
	test_mmio64();
	test_double_fault();
	test_exit();
}
