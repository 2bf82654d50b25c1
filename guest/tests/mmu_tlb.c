// SPDX-License-Identifier: MIT
/*
 * mmu_tlb: the shadow MMU as the guest's TLB, under 32-bit paging.
 * Accessed/dirty bits land in the guest's own entries; a changed PTE is
 * used after INVLPG; MOV CR3 switches between two address spaces that map
 * one address to different frames; a recursive page-directory entry
 * exposes the tables themselves; a PDE naming a table outside every
 * memslot gives a plain not-present #PF; and the statistics count what
 * happened.
 */
#include "cpu.h"
#include "paging.h"
#include "test.h"

#define TEST_VA		0x40000000u
#define FAR_VA		0x4b000123u	/* PDE 300, set to a table at 4 GiB - 256M */
#define FAR_TABLE	0xf0000000u
#define RECURSIVE	1023u		/* PDE slot that points at the PD */
#define FRAME(n)	(0x300000u + (n) * PG_SIZE)
#define MARK(n)		(0x71b00000u | (n))

static u32 pd_a[PT32_ENTRIES] __attribute__((aligned(PG_SIZE)));
static u32 pd_b[PT32_ENTRIES] __attribute__((aligned(PG_SIZE)));
static u32 pt_id[2][PT32_ENTRIES] __attribute__((aligned(PG_SIZE)));
static volatile u32 pt_a[PT32_ENTRIES] __attribute__((aligned(PG_SIZE)));
static u32 pt_b[PT32_ENTRIES] __attribute__((aligned(PG_SIZE)));

static struct aperture_stats st0, st1;

static volatile u32 *page(u32 n)
{
	return phys(TEST_VA + n * PG_SIZE);
}

/* Map test page n of space A to frame f, which is stamped MARK(f). */
static void map_a(u32 n, u32 f, u32 flags)
{
	*phys(FRAME(f)) = MARK(f);
	pt_a[n] = FRAME(f) | flags;
}

static void setup(void)
{
	u32 i;

	pd32_identity(pd_a, pt_id, 2, PG_P | PG_RW);
	pd_a[TEST_VA >> 22] = pa_of(pt_a) | PG_P | PG_RW;
	for (i = 0; i < 2; i++)
		pd_b[i] = pd_a[i];
	pd_b[TEST_VA >> 22] = pa_of(pt_b) | PG_P | PG_RW;
	for (i = 0; i < 12; i++)
		map_a(i, i, PG_P | PG_RW);
	*phys(FRAME(20)) = MARK(20);
	pt_b[0] = FRAME(20) | PG_P | PG_RW;
	write_cr0(read_cr0() | X86_CR0_WP);
	paging_on(pa_of(pd_a), 0);
}

static bool ad_is(u32 pte, u32 want)
{
	if ((pte & (PG_A | PG_D)) == want)
		return true;
	printf("  pte %#x: A/D %#x, want %#x\n", pte, pte & (PG_A | PG_D),
	       want);
	return false;
}

static void test_ad(void)
{
	(void)*page(0);
	report(ad_is(pt_a[0], PG_A) && (pd_a[TEST_VA >> 22] & PG_A),
	       "ad_read_sets_a_only");
	*page(1) = 1;
	report(ad_is(pt_a[1], PG_A | PG_D), "ad_write_sets_a_and_d");
	(void)*page(2);
	if (ad_is(pt_a[2], PG_A)) {
		*page(2) = 2;
		report(ad_is(pt_a[2], PG_A | PG_D), "ad_write_after_read_sets_d");
	} else {
		report(false, "ad_write_after_read_sets_d");
	}
}

static void test_invlpg(void)
{
	struct exc_info e;
	u32 val;
	int vec;

	(void)*page(3);
	map_a(3, 4, PG_P | PG_RW);
	invlpg(page(3));
	report(*page(3) == MARK(4), "invlpg_remap");

	pt_a[3] = 0;
	invlpg(page(3));
	vec = probe_read(page(3) + 1, &val, &e);
	report(is_pf(vec, &e, 0, pa_of(page(3) + 1)), "invlpg_unmap");

	*page(5) = MARK(5);
	pt_a[5] &= ~PG_RW;
	invlpg(page(5));
	vec = probe_write(page(5) + 2, 0, &e);
	report(is_pf(vec, &e, PFERR_P | PFERR_W, pa_of(page(5) + 2)) &&
	       *phys(FRAME(5)) == MARK(5), "invlpg_write_protect");
}

static void test_cr3_switch(void)
{
	write_cr3(pa_of(pd_b));
	report(*page(0) == MARK(20), "cr3_switch_to_b");
	page(0)[1] = 0xbbbb;
	write_cr3(pa_of(pd_a));
	report(*page(0) == MARK(0) && page(0)[1] != 0xbbbb &&
	       *phys(FRAME(20) + 4) == 0xbbbb, "cr3_switch_back_to_a");
	write_cr3(pa_of(pd_b));
	report(*page(0) == MARK(20) && page(0)[1] == 0xbbbb,
	       "cr3_switch_to_b_again");
	write_cr3(pa_of(pd_a));
}

/*
 * With PDE 1023 pointing at the PD, the PTE for va sits at
 * 0xffc00000 + (va >> 12) * 4 and the PDE at 0xfffff000 + (va >> 22) * 4.
 */
static void test_recursive(void)
{
	volatile u32 *rpte = phys(0xffc00000u + (TEST_VA >> 12) * 4);
	volatile u32 *rpde = phys(0xfffff000u + (TEST_VA >> 22) * 4);
	bool ok;

	pd_a[RECURSIVE] = pa_of(pd_a) | PG_P | PG_RW;
	write_cr3(pa_of(pd_a));
	ok = rpte[0] == pt_a[0] && rpte[1] == pt_a[1];
	if (!ok)
		printf("  via recursion %#x %#x, tables %#x %#x\n", rpte[0],
		       rpte[1], pt_a[0], pt_a[1]);
	report(ok, "recursive_read_pte");
	report(*rpde == pd_a[TEST_VA >> 22], "recursive_read_pde");

	*phys(FRAME(7)) = MARK(7);
	rpte[6] = FRAME(7) | PG_P | PG_RW;
	invlpg(page(6));
	report(pt_a[6] == (FRAME(7) | PG_P | PG_RW) && *page(6) == MARK(7),
	       "recursive_write_pte");
	pd_a[RECURSIVE] = 0;
	write_cr3(pa_of(pd_a));
}

static void test_outside_memslot(void)
{
	struct exc_info e;
	u32 val;
	int vec;

	/*
	 * The page table lies outside every memslot, where the bus reads
	 * all ones: a present 32-bit PTE with every right, mapping frame
	 * 0xfffff000, which is outside every memslot too.  So a load reads
	 * all ones and a store is dropped, without a fault.
	 */
	pd_a[FAR_VA >> 22] = FAR_TABLE | PG_P | PG_RW;
	invlpg(phys(FAR_VA));
	val = 0;
	vec = probe_read(phys(FAR_VA), &val, &e);
	report(vec == EXC_NONE && val == 0xffffffffu,
	       "pde_outside_memslot_read (%#x)", val);
	vec = probe_write(phys(FAR_VA + 4), 1, &e);
	report(vec == EXC_NONE, "pde_outside_memslot_write");
	pd_a[FAR_VA >> 22] = 0;
	invlpg(phys(FAR_VA));
	report(*page(0) == MARK(0), "survives_outside_memslot");
}

static void test_stats(void)
{
	struct exc_info e;
	u32 n, val;
	long r0, r1;
	int vec;

	r0 = get_stats(&st0);
	for (n = 8; n < 12; n++)
		(void)*page(n);
	r1 = get_stats(&st1);
	if (r0 || r1) {
		report(false, "stats_shadow_faults");
		printf("  GET_STATS: %ld %ld\n", r0, r1);
		return;
	}
	report(st1.shadow_faults >= st0.shadow_faults + 4 &&
	       st1.guest_faults_injected == st0.guest_faults_injected,
	       "stats_shadow_faults");

	pt_a[8] = 0;
	invlpg(page(8));
	get_stats(&st0);
	vec = probe_read(page(8), &val, &e);
	get_stats(&st1);
	report(vec == PF_VECTOR &&
	       st1.guest_faults_injected == st0.guest_faults_injected + 1,
	       "stats_guest_fault_injected");

	get_stats(&st0);
	invlpg(page(9));
	get_stats(&st1);
	report(st1.invlpg_exits == st0.invlpg_exits + 1, "stats_invlpg_exits");

	/*
	 * Both address spaces have been live: their shadow roots are cached,
	 * so loading CR3 again must count the load and build nothing.
	 */
	get_stats(&st0);
	write_cr3(pa_of(pd_b));
	write_cr3(pa_of(pd_a));
	get_stats(&st1);
	report(st1.cr3_loads == st0.cr3_loads + 2 &&
	       st1.roots_built == st0.roots_built,
	       "stats_cr3_loads_reuse_cached_roots");
}

int main(void)
{
	test_init("mmu_tlb");
	setup();
	test_ad();
	test_invlpg();
	test_cr3_switch();
	test_recursive();
	test_outside_memslot();
	test_stats();
	test_exit();
}
