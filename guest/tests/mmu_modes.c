// SPDX-License-Identifier: MIT
/*
 * mmu_modes: the guest enables every paging mode itself and checks that
 * Aperture's shadow MMU translates through its tables: 32-bit paging with
 * 4 KiB pages and with PSE 4 MiB pages, PAE with 4 KiB and 2 MiB pages,
 * the NX bit with and without EFER.NXE, and 4-level paging entered from
 * 32-bit code with a far jump into a 64-bit code segment.
 *
 * Test frames live at 3 MiB and up, inside the identity map every mode
 * keeps of [0, 8 MiB), so results are checked through the frame's own
 * address as well as through the test mapping.
 */
#include "cpu.h"
#include "paging.h"
#include "test.h"

#define TEST_VA		0x40000000u
#define FRAME(n)	(0x300000u + (n) * PG_SIZE)
#define RET_OPCODE	0xc3


static u32 pd32[PT32_ENTRIES] __attribute__((aligned(PG_SIZE)));
static u32 pt32[2][PT32_ENTRIES] __attribute__((aligned(PG_SIZE)));
static u32 pt32_test[PT32_ENTRIES] __attribute__((aligned(PG_SIZE)));
static u32 pt32_ps[PT32_ENTRIES] __attribute__((aligned(PG_SIZE)));

static u64 pdpt[PT64_ENTRIES] __attribute__((aligned(PG_SIZE)));
static u64 pd_pae[PT64_ENTRIES] __attribute__((aligned(PG_SIZE)));
static u64 pd_pae_test[PT64_ENTRIES] __attribute__((aligned(PG_SIZE)));
static u64 pt_pae_test[PT64_ENTRIES] __attribute__((aligned(PG_SIZE)));

static u64 pml4[PT64_ENTRIES] __attribute__((aligned(PG_SIZE)));
static u64 pdpt_lo[PT64_ENTRIES] __attribute__((aligned(PG_SIZE)));
static u64 pd_lo[PT64_ENTRIES] __attribute__((aligned(PG_SIZE)));
static u64 pdpt_hi[PT64_ENTRIES] __attribute__((aligned(PG_SIZE)));
static u64 pd_hi[PT64_ENTRIES] __attribute__((aligned(PG_SIZE)));
static u64 pt_hi[PT64_ENTRIES] __attribute__((aligned(PG_SIZE)));

/* entry.S's flat segments plus a 64-bit code segment (SDM 3A 5.2.1). */
static const u64 gdt[] __attribute__((aligned(8))) = {
	0,
	0x00cf9b000000ffffull,	/* 0x08: 32-bit code */
	0x00cf93000000ffffull,	/* 0x10: data */
	0x00af9b000000ffffull,	/* 0x18: 64-bit code (lm_run), L=1 D=0 */
};

/* Written by the 64-bit code in lm_run. */
volatile u32 lm_readback, lm_efer;

void lm_run(void);

/*
 * Called in compatibility mode with 4-level paging on: jump into the
 * 64-bit segment, write and read through the mapping at 512 GiB (PML4
 * entry 1, unreachable from 32-bit code), record EFER, and return to the
 * 32-bit segment with a far return.  ESP is zero-extended first because
 * the upper halves of registers are undefined after the mode switch.
 */
asm(".pushsection .text\n"
    ".code32\n"
    ".globl lm_run\n"
    "lm_run:\n"
    "	pushl %ebx\n"
    "	pushl %esi\n"
    "	pushl %edi\n"
    "	pushl %ebp\n"
    /* 64-bit code cannot take 32-bit absolute relocations: use registers. */
    "	movl $lm_readback, %esi\n"
    "	movl $lm_efer, %edi\n"
    "	movl $2f, %ebp\n"
    "	ljmp $0x18, $1f\n"
    ".code64\n"
    "1:	movl %esp, %esp\n"
    "	movl %esi, %esi\n"
    "	movl %edi, %edi\n"
    "	movl %ebp, %ebp\n"
    "	movabsq $0x8000000000, %rax\n"
    "	movl $0x64640010, 0x10(%rax)\n"
    "	movl 0x20(%rax), %ebx\n"
    "	movl %ebx, (%rsi)\n"
    "	movl $0xc0000080, %ecx\n"
    "	rdmsr\n"
    "	movl %eax, (%rdi)\n"
    "	pushq $0x08\n"
    "	pushq %rbp\n"
    "	lretq\n"
    ".code32\n"
    "2:	popl %ebp\n"
    "	popl %edi\n"
    "	popl %esi\n"
    "	popl %ebx\n"
    "	ret\n"
    ".popsection\n");

static void load_gdt(void)
{
	struct desc_ptr p = {
		.limit = sizeof(gdt) - 1,
		.base = (u32)(uintptr_t)gdt,
	};

	/* Selectors 0x08 and 0x10 keep their meaning: no reload needed. */
	asm volatile("lgdt %0" : : "m"(p));
}

static void test_pg32(void)
{
	volatile u32 *va = phys(TEST_VA);
	volatile u32 *big = phys(TEST_VA + 0x400000 + 0x3ff010);
	volatile u32 *ps = phys(TEST_VA + 0x800000);
	bool ok;

	pd32_identity(pd32, pt32, 2, PG_P | PG_RW);
	pt32_test[0] = FRAME(0) | PG_P | PG_RW;
	pd32[TEST_VA >> 22] = pa_of(pt32_test) | PG_P | PG_RW;
	*phys(FRAME(0)) = 0x32320001;

	paging_on(pa_of(pd32), 0);
	ok = *va == 0x32320001;
	va[1] = 0x32320002;
	ok = ok && *phys(FRAME(0) + 4) == 0x32320002;
	report(ok && (read_cr0() & X86_CR0_PG), "pg32_4k");

	/* A 4 MiB page at 4 MiB, with CR4.PSE (SDM 3A 4.3, Table 4-5). */
	paging_off();
	pd32[(TEST_VA >> 22) + 1] = 0x400000 | PG_PS | PG_P | PG_RW;
	paging_on(pa_of(pd32), X86_CR4_PSE);
	*phys(0x7ff010) = 0x4d4d0001;
	ok = *big == 0x4d4d0001;
	big[1] = 0x4d4d0002;
	report(ok && *phys(0x7ff014) == 0x4d4d0002, "pg32_pse_4m");

	/* Without CR4.PSE the PS bit is ignored: the PDE names a table. */
	paging_off();
	pt32_ps[0] = FRAME(1) | PG_P | PG_RW;
	pd32[(TEST_VA >> 22) + 2] = pa_of(pt32_ps) | PG_PS | PG_P | PG_RW;
	*phys(FRAME(1)) = 0x50530001;
	paging_on(pa_of(pd32), 0);
	report(*ps == 0x50530001, "pg32_ps_ignored_without_cr4_pse");
	paging_off();
}

static void test_pae(void)
{
	volatile u32 *va = phys(TEST_VA);
	volatile u32 *big = phys(TEST_VA + 0x200000 + 0x1ff020);
	volatile u8 *nx_page = (volatile u8 *)phys(TEST_VA + PG_SIZE);
	volatile u8 *x_page = (volatile u8 *)phys(TEST_VA + 2 * PG_SIZE);
	struct exc_info e;
	u32 i, val;
	int vec;
	bool ok;

	/* PDPTEs carry only P, PWT and PCD (SDM 3A 4.4.1, Table 4-8). */
	for (i = 0; i < 4; i++)
		pd_pae[i] = (u64)i << 21 | PG_PS | PG_P | PG_RW;
	pdpt[0] = pa_of(pd_pae) | PG_P;
	pdpt[TEST_VA >> 30] = pa_of(pd_pae_test) | PG_P;
	pd_pae_test[0] = pa_of(pt_pae_test) | PG_P | PG_RW;
	pd_pae_test[1] = 0x600000 | PG_PS | PG_P | PG_RW;
	pt_pae_test[0] = FRAME(2) | PG_P | PG_RW;
	pt_pae_test[1] = FRAME(3) | PG_P | PG_RW | PG_NX;
	pt_pae_test[2] = FRAME(4) | PG_P | PG_RW;
	*phys(FRAME(2)) = 0xae000001;
	*(volatile u8 *)phys(FRAME(3) + 0x30) = RET_OPCODE;
	*(volatile u8 *)phys(FRAME(4) + 0x30) = RET_OPCODE;

	paging_on(pa_of(pdpt), X86_CR4_PAE);
	ok = *va == 0xae000001;
	va[1] = 0xae000002;
	report(ok && *phys(FRAME(2) + 4) == 0xae000002, "pae_4k");

	*phys(0x7ff020) = 0xae200001;
	ok = *big == 0xae200001;
	big[1] = 0xae200002;
	report(ok && *phys(0x7ff024) == 0xae200002, "pae_2m");

	if (!cpu_has_nx()) {
		report_skip("pae_nx_reserved_without_nxe");
		report_skip("pae_nx_fetch");
		paging_off();
		return;
	}
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) & ~(u64)EFER_NXE);
	/* Bit 63 is reserved while EFER.NXE = 0 (SDM 3A 4.4.2, 4.7). */
	vec = probe_read(nx_page + 0x30, &val, &e);
	report(is_pf(vec, &e, PFERR_P | PFERR_RSVD, pa_of(nx_page + 0x30)),
	       "pae_nx_reserved_without_nxe");

	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	vec = probe_exec(nx_page + 0x30, &e);
	ok = is_pf(vec, &e, PFERR_P | PFERR_I, pa_of(nx_page + 0x30));
	vec = probe_read(nx_page + 0x30, &val, &e);
	ok = no_exc(vec, &e) && (val & 0xff) == RET_OPCODE && ok;
	vec = probe_exec(x_page + 0x30, &e);
	report(no_exc(vec, &e) && ok, "pae_nx_fetch");
	paging_off();
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) & ~(u64)EFER_NXE);
}

static void test_long_mode(void)
{
	volatile u32 *va = phys(TEST_VA);
	u32 i, efer_compat;
	bool ok;

	for (i = 0; i < 4; i++)
		pd_lo[i] = (u64)i << 21 | PG_PS | PG_P | PG_RW;
	pdpt_lo[0] = pa_of(pd_lo) | PG_P | PG_RW;
	pml4[0] = pa_of(pdpt_lo) | PG_P | PG_RW;
	pt_hi[0] = FRAME(5) | PG_P | PG_RW;
	pd_hi[0] = pa_of(pt_hi) | PG_P | PG_RW;
	pdpt_hi[0] = pa_of(pd_hi) | PG_P | PG_RW;
	pml4[1] = pa_of(pdpt_hi) | PG_P | PG_RW;
	*phys(FRAME(5) + 0x20) = 0x64640020;

	/* SDM 3A 9.8.5: CR4.PAE, CR3, EFER.LME, then CR0.PG. */
	write_cr4(X86_CR4_PAE);
	write_cr3(pa_of(pml4));
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_LME);
	write_cr0(read_cr0() | X86_CR0_PG);
	efer_compat = rdmsr(MSR_EFER);
	lm_run();
	/* Leaving IA-32e mode: CR0.PG off in compatibility mode, then LME. */
	paging_off();
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) & ~(u64)EFER_LME);

	report((efer_compat & EFER_LMA) && (lm_efer & EFER_LMA),
	       "long_mode_lma_set");
	ok = lm_readback == 0x64640020 && *phys(FRAME(5) + 0x10) == 0x64640010;
	if (!ok)
		printf("  readback %#x, frame %#x\n", lm_readback,
		       *phys(FRAME(5) + 0x10));
	report(ok, "long_mode_4level_high_mapping");
	report(!(rdmsr(MSR_EFER) & EFER_LMA), "long_mode_left");

	/* Back to 32-bit paging: the old tables work again. */
	paging_on(pa_of(pd32), 0);
	report(*va == 0x32320001, "pg32_after_long_mode");
	paging_off();
}

int main(void)
{
	test_init("mmu_modes");
	load_gdt();
	test_pg32();
	test_pae();
	test_long_mode();
	test_exit();
}
