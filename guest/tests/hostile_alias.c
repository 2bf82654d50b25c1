// SPDX-License-Identifier: MIT
/*
 * Hostile memory aliases (README, Alias semantics): malformed requests are
 * -EINVAL, overlapping windows resolve in slot order, an alias is a single
 * level, a window onto nothing reads all ones, and an alias over or onto
 * a live guest page table changes what the guest's translations read, as
 * a change of physical memory would (the hypervisor must drop the shadow
 * entries built from the old contents).  A window of 2^60 bytes must be
 * accepted or refused at once, not walked page by page.
 *
 * Config (test/emu/hostile-suite.cfg): mem=16M slot=0xe0000000,8M timeout=60
 */
#include "cpu.h"
#include "hostile.h"
#include "paging.h"
#include "physmem.h"
#include "string.h"
#include "test.h"

#define HOLE		0xa0000u
#define SLOT		0xe0000000u
#define PAGE		0x1000u

static long alias_raw(u32 slot, u32 flags, u64 gpa, u64 size, u64 target)
{
	static struct aperture_memory_alias a;

	a.slot = slot;
	a.flags = flags;
	a.guest_phys_addr = gpa;
	a.memory_size = size;
	a.target_phys_addr = target;
	return hc1(APERTURE_HC_SET_MEMORY_ALIAS, gpa_of(&a));
}

static void clear_all(void)
{
	for (u32 s = 0; s < APERTURE_ALIAS_SLOTS; s++)
		alias_raw(s, 0, 0, 0, 0);
}

static void test_malformed(void)
{
	static const struct {
		u32 slot, flags;
		u64 gpa, size, target;
		const char *name;
	} bad[] = {
		{ 0, 0, HOLE + 1, PAGE, SLOT, "unaligned_gpa" },
		{ 0, 0, HOLE, PAGE + 1, SLOT, "unaligned_size" },
		{ 0, 0, HOLE, PAGE, SLOT + 8, "unaligned_target" },
		{ 0, 0, 0xfffffffffffff000ull, 2 * PAGE, SLOT, "gpa_wraps" },
		{ 0, 0, HOLE, 2 * PAGE, 0xfffffffffffff000ull, "target_wraps" },
		{ 0, 0, HOLE, 0xfffffffffffff000ull, 0x2000, "size_wraps_both" },
		{ 4, 0, HOLE, PAGE, SLOT, "slot_4" },
		{ 0xffffffffu, 0, HOLE, PAGE, SLOT, "slot_max" },
		{ 0, 1, HOLE, PAGE, SLOT, "flags_1" },
		{ 0, 0x80000000u, HOLE, PAGE, SLOT, "flags_high" },
	};
	static struct aperture_memory_alias get;
	long ret;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		ret = alias_raw(bad[i].slot, bad[i].flags, bad[i].gpa, bad[i].size,
				bad[i].target);
		report(ret == -APERTURE_EINVAL, "alias_%s_einval (%ld)",
		       bad[i].name, ret);
	}
	ret = alias_raw(3, 0, 0, 0, 0);
	report(ret == 0, "alias_delete_unused_slot_ok (%ld)", ret);
	get.slot = 4;
	ret = hc1(APERTURE_HC_GET_MEMORY_ALIAS, gpa_of(&get));
	report(ret == -APERTURE_EINVAL, "get_alias_slot_4_einval (%ld)", ret);
}

static void test_windows(void)
{
	long ret;

	/* A window onto nothing: loads read all ones, stores are dropped. */
	ret = alias_raw(0, 0, HOLE, PAGE, 0x80000000u);
	phys_write32(HOLE + 4, 0x1234);
	report(ret == 0 && phys_read32(HOLE + 4) == 0xffffffffu,
	       "alias_onto_unbacked_reads_ones (%ld, %#x)", ret,
	       phys_read32(HOLE + 4));
	clear_all();

	/* Overlap: slot 0 [H, H+8K) -> S, slot 1 [H+4K, H+12K) -> S+64K. */
	phys_write32(SLOT + PAGE, 0xaaaa0001u);
	phys_write32(SLOT + 0x10000, 0xbbbb0000u);
	alias_raw(0, 0, HOLE, 2 * PAGE, SLOT);
	alias_raw(1, 0, HOLE + PAGE, 3 * PAGE, SLOT + 0x10000);
	report(phys_read32(HOLE + PAGE) == 0xaaaa0001u &&
	       phys_read32(HOLE + 2 * PAGE) == phys_read32(SLOT + 0x11000),
	       "alias_overlap_first_slot_wins (%#x)", phys_read32(HOLE + PAGE));
	clear_all();

	/* Single level: H -> S, and S -> S+1M; H reads S's own frame. */
	phys_write32(SLOT, 0x5107a11);
	phys_write32(SLOT + 0x100000, 0xc4a1);
	alias_raw(0, 0, HOLE, PAGE, SLOT);
	alias_raw(1, 0, SLOT, PAGE, SLOT + 0x100000);
	report(phys_read32(HOLE) == 0x5107a11u && phys_read32(SLOT) == 0xc4a1u,
	       "alias_single_level (%#x, %#x)", phys_read32(HOLE),
	       phys_read32(SLOT));
	clear_all();

	/* Identity alias over RAM: nothing changes. */
	phys_write32(0x200000, 0x1d1d);
	ret = alias_raw(0, 0, 0x200000, PAGE, 0x200000);
	report(ret == 0 && phys_read32(0x200000) == 0x1d1d,
	       "alias_identity_over_ram (%ld)", ret);
	clear_all();

	/* Unaligned 4-byte access across two windows of one alias. */
	phys_write32(SLOT + PAGE - 4, 0x44332211u);
	phys_write32(SLOT + PAGE, 0x88776655u);
	alias_raw(0, 0, HOLE, 2 * PAGE, SLOT);
	report(phys_read32(HOLE + PAGE - 2) == 0x66554433u,
	       "alias_split_access_across_pages (%#x)",
	       phys_read32(HOLE + PAGE - 2));
	clear_all();
}

/*
 * Paging on, identity-mapped through pd/pts.  The PT covering [12M, 16M)
 * is then (a) overlaid by an alias onto another table, and (b) written
 * through an alias window onto it.
 */
static u32 pd[PT32_ENTRIES] __attribute__((aligned(PG_SIZE)));
static u32 pts[4][PT32_ENTRIES] __attribute__((aligned(PG_SIZE)));
static u32 alt_pt[PT32_ENTRIES] __attribute__((aligned(PG_SIZE)));

#define PROBE_VA	0xc00000u	/* first page mapped by pts[3] */

static void test_page_tables(void)
{
	u32 v = 0;
	long ret;
	int vec;
	struct exc_info e;

	pd32_identity(pd, pts, 4, PG_P | PG_RW);
	for (u32 i = 0; i < PT32_ENTRIES; i++)
		alt_pt[i] = (SLOT + i * PG_SIZE) | PG_P | PG_RW;
	phys_write32(PROBE_VA, 0x0c00c00u);
	phys_write32(SLOT, 0x51070000u);
	paging_on(pa_of(pd), 0);
	vec = probe_read((void *)PROBE_VA, &v, &e);
	report(vec == EXC_NONE && v == 0x0c00c00u, "pt_identity_before (%d, %#x)",
	       vec, v);

	/* (a) The PT's frame now reads as alt_pt: VA 12M maps SLOT. */
	ret = alias_raw(0, 0, pa_of(pts[3]), PG_SIZE, pa_of(alt_pt));
	vec = probe_read((void *)PROBE_VA, &v, &e);
	report(ret == 0 && vec == EXC_NONE && v == 0x51070000u,
	       "alias_over_live_page_table (%ld, %d, %#x)", ret, vec, v);
	ret = alias_raw(0, 0, 0, 0, 0);
	vec = probe_read((void *)PROBE_VA, &v, &e);
	report(ret == 0 && vec == EXC_NONE && v == 0x0c00c00u,
	       "alias_over_page_table_removed (%d, %#x)", vec, v);

	/* (b) A window onto the live PT: a store through it is a PTE write. */
	ret = alias_raw(1, 0, HOLE, PG_SIZE, pa_of(pts[3]));
	phys_write32(HOLE, (SLOT | PG_P | PG_RW));
	invlpg((void *)PROBE_VA);
	vec = probe_read((void *)PROBE_VA, &v, &e);
	report(ret == 0 && vec == EXC_NONE && v == 0x51070000u,
	       "pte_store_through_alias_window (%ld, %d, %#x)", ret, vec, v);
	/* Not-present through the window: #PF, error 0, CR2 = the VA. */
	phys_write32(HOLE, 0);
	invlpg((void *)PROBE_VA);
	vec = probe_read((void *)PROBE_VA, &v, &e);
	report(is_pf(vec, &e, 0, PROBE_VA), "pte_clear_through_alias_pf (%d)",
	       vec);
	phys_write32(HOLE, PROBE_VA | PG_P | PG_RW);
	invlpg((void *)PROBE_VA);
	clear_all();
	paging_off();
}

/* Last: if the hypervisor walks 2^48 pages, the time limit ends us here. */
static void test_huge(void)
{
	long ret;

	ret = alias_raw(2, 0, 0x100000000ull, 1ull << 60, 0);
	report(ret == 0 || ret == -APERTURE_EINVAL,
	       "alias_2pow60_bytes_answered (%ld)", ret);
	ret = alias_raw(2, 0, 0, 0, 0);
	report(ret == 0, "alias_2pow60_deleted (%ld)", ret);
	report(phys_read32(0x200000) == 0x1d1d, "ram_intact_after_huge_alias");
}

int main(void)
{
	test_init("hostile_alias");
	test_malformed();
	test_windows();
	test_page_tables();
	test_huge();
	test_exit();
}
