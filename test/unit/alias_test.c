// SPDX-License-Identifier: MIT
/* Alias table: the seed's validation, naliases, unalias order. */
#define UNIT_SUITE "alias"
#include "unit.h"

#include <hv/alias/alias.h>
#include <lib/errno.h>
#include <lib/string.h>

static struct aperture_memory_alias mk(u32 slot, u64 gpa, u64 size, u64 target)
{
	struct aperture_memory_alias a = {
		.slot = slot, .flags = 0, .guest_phys_addr = gpa,
		.memory_size = size, .target_phys_addr = target,
	};
	return a;
}

/* Each invalid request fails with -EINVAL and leaves the table untouched. */
static void expect_einval(const struct aperture_memory_alias *a)
{
	struct alias_table t, before;
	struct aperture_memory_alias ok = mk(1, 0xa0000, 0x2000, 0x100000);
	struct mem_alias old = { 7, 7, 7 };

	memset(&t, 0, sizeof(t));
	CHECK_EQ(alias_set(&t, &ok, NULL), 0);
	before = t;
	CHECK_EQ(alias_set(&t, a, &old), -EINVAL);
	CHECK(memcmp(&t, &before, sizeof(t)) == 0);
	/* *old is only written on success. */
	CHECK_EQ(old.npages, 7);
}

static void test_size_unaligned(void)
{
	struct aperture_memory_alias a = mk(0, 0x1000, 0x1001, 0x2000);

	expect_einval(&a);
	a.memory_size = 0x800;
	expect_einval(&a);
}

static void test_gpa_unaligned(void)
{
	struct aperture_memory_alias a = mk(0, 0x1004, 0x1000, 0x2000);

	expect_einval(&a);
}

static void test_slot_range(void)
{
	struct aperture_memory_alias a = mk(ALIAS_SLOTS, 0x1000, 0x1000, 0);
	struct alias_table t;

	expect_einval(&a);
	a.slot = 0xffffffff;
	expect_einval(&a);
	a.slot = ALIAS_SLOTS - 1;
	memset(&t, 0, sizeof(t));
	CHECK_EQ(alias_set(&t, &a, NULL), 0);
	CHECK_EQ(t.naliases, ALIAS_SLOTS);
}

static void test_gpa_overflow(void)
{
	struct aperture_memory_alias a = mk(0, 0xfffffffffffff000ull, 0x2000, 0);
	struct alias_table t;

	expect_einval(&a);
	/* Ending exactly at 2^64 wraps to 0 and is rejected, as in the seed. */
	a.memory_size = 0x1000;
	expect_einval(&a);
	/* One page lower fits. */
	a.guest_phys_addr = 0xffffffffffffe000ull;
	memset(&t, 0, sizeof(t));
	CHECK_EQ(alias_set(&t, &a, NULL), 0);
	CHECK_EQ(unalias_gfn(&t, 0xffffffffffffeull), 0);
}

static void test_target_overflow(void)
{
	struct aperture_memory_alias a = mk(0, 0, 0x3000, 0xffffffffffffe000ull);

	expect_einval(&a);
}

static void test_target_unaligned(void)
{
	/* Divergence: the seed would truncate this to 0x2000. */
	struct aperture_memory_alias a = mk(0, 0x1000, 0x1000, 0x2800);

	expect_einval(&a);
	a.target_phys_addr = 0x2001;
	expect_einval(&a);
}

static void test_flags_nonzero(void)
{
	struct aperture_memory_alias a = mk(0, 0x1000, 0x1000, 0x2000);

	a.flags = 1;
	expect_einval(&a);
	a.flags = 0x80000000;
	expect_einval(&a);
}

static void test_set_returns_old(void)
{
	struct alias_table t;
	struct aperture_memory_alias a = mk(2, 0xa0000, 0x10000, 0x400000);
	struct mem_alias old;

	memset(&t, 0, sizeof(t));
	CHECK_EQ(alias_set(&t, &a, &old), 0);
	CHECK_EQ(old.npages, 0);
	a.target_phys_addr = 0x500000;
	a.memory_size = 0x8000;
	CHECK_EQ(alias_set(&t, &a, &old), 0);
	CHECK_EQ(old.base_gfn, 0xa0);
	CHECK_EQ(old.npages, 0x10);
	CHECK_EQ(old.target_gfn, 0x400);
	CHECK_EQ(t.aliases[2].npages, 8);
	CHECK_EQ(t.aliases[2].target_gfn, 0x500);
}

static void test_delete_zeroes_entry(void)
{
	struct alias_table t;
	struct aperture_memory_alias a = mk(1, 0xa0000, 0x1000, 0x400000);
	struct aperture_memory_alias got;
	struct mem_alias old;

	memset(&t, 0, sizeof(t));
	CHECK_EQ(alias_set(&t, &a, NULL), 0);
	/* Delete with different gpa/target: the whole entry goes. */
	a = mk(1, 0x5000, 0, 0x9000);
	CHECK_EQ(alias_set(&t, &a, &old), 0);
	CHECK_EQ(old.base_gfn, 0xa0);
	CHECK_EQ(t.aliases[1].base_gfn, 0);
	CHECK_EQ(t.aliases[1].npages, 0);
	CHECK_EQ(t.aliases[1].target_gfn, 0);
	CHECK_EQ(t.naliases, 0);
	CHECK_EQ(alias_get(&t, 1, &got), 0);
	CHECK_EQ(got.guest_phys_addr, 0);
	CHECK_EQ(got.target_phys_addr, 0);
	CHECK_EQ(unalias_gfn(&t, 0xa0), 0xa0);
}

static void set_slot(struct alias_table *t, u32 slot, u64 size)
{
	struct aperture_memory_alias a = mk(slot, 0x10000 * (slot + 1), size,
					    0x100000);

	CHECK_EQ(alias_set(t, &a, NULL), 0);
}

static void test_naliases(void)
{
	struct alias_table t;

	memset(&t, 0, sizeof(t));
	set_slot(&t, 2, 0x1000);
	CHECK_EQ(t.naliases, 3);
	set_slot(&t, 0, 0x1000);
	CHECK_EQ(t.naliases, 3);
	set_slot(&t, 1, 0x1000);
	CHECK_EQ(t.naliases, 3);
	/* Delete a middle slot: top unchanged. */
	set_slot(&t, 1, 0);
	CHECK_EQ(t.naliases, 3);
	/* Delete the top slot: drops to the next used one (0), skipping 1. */
	set_slot(&t, 2, 0);
	CHECK_EQ(t.naliases, 1);
	set_slot(&t, 3, 0x1000);
	CHECK_EQ(t.naliases, 4);
	set_slot(&t, 3, 0);
	CHECK_EQ(t.naliases, 1);
	/* Deleting an already-empty slot is fine and changes nothing. */
	set_slot(&t, 3, 0);
	CHECK_EQ(t.naliases, 1);
	set_slot(&t, 0, 0);
	CHECK_EQ(t.naliases, 0);
}

static void test_unalias_basic(void)
{
	struct alias_table t;
	struct aperture_memory_alias a = mk(0, 0xa0000, 0x20000, 0x1000000);

	memset(&t, 0, sizeof(t));
	CHECK_EQ(unalias_gfn(&t, 0xa0), 0xa0);
	CHECK_EQ(alias_set(&t, &a, NULL), 0);
	CHECK_EQ(unalias_gfn(&t, 0x9f), 0x9f);
	CHECK_EQ(unalias_gfn(&t, 0xa0), 0x1000);
	CHECK_EQ(unalias_gfn(&t, 0xa5), 0x1005);
	CHECK_EQ(unalias_gfn(&t, 0xbf), 0x101f);
	CHECK_EQ(unalias_gfn(&t, 0xc0), 0xc0);
	/* The target range itself is not affected. */
	CHECK_EQ(unalias_gfn(&t, 0x1000), 0x1000);
}

static void test_unalias_lower_slot_wins(void)
{
	struct alias_table t;
	struct aperture_memory_alias hi = mk(3, 0x10000, 0x10000, 0x200000);
	struct aperture_memory_alias lo = mk(1, 0x18000, 0x10000, 0x300000);

	memset(&t, 0, sizeof(t));
	/* Install the higher slot first: order of installation is irrelevant. */
	CHECK_EQ(alias_set(&t, &hi, NULL), 0);
	CHECK_EQ(alias_set(&t, &lo, NULL), 0);
	CHECK_EQ(unalias_gfn(&t, 0x10), 0x200);	/* only slot 3 */
	CHECK_EQ(unalias_gfn(&t, 0x17), 0x207);
	CHECK_EQ(unalias_gfn(&t, 0x18), 0x300);	/* both: slot 1 wins */
	CHECK_EQ(unalias_gfn(&t, 0x1f), 0x307);
	CHECK_EQ(unalias_gfn(&t, 0x20), 0x308);	/* only slot 1 */
	/* Remove slot 1: slot 3 shows through again. */
	lo.memory_size = 0;
	CHECK_EQ(alias_set(&t, &lo, NULL), 0);
	CHECK_EQ(unalias_gfn(&t, 0x18), 0x208);
	CHECK_EQ(unalias_gfn(&t, 0x20), 0x20);
}

static void test_unalias_single_level(void)
{
	struct alias_table t;
	/* slot 0: 0x10 -> 0x20; slot 1: 0x20 -> 0x30 */
	struct aperture_memory_alias a0 = mk(0, 0x10000, 0x1000, 0x20000);
	struct aperture_memory_alias a1 = mk(1, 0x20000, 0x1000, 0x30000);

	memset(&t, 0, sizeof(t));
	CHECK_EQ(alias_set(&t, &a0, NULL), 0);
	CHECK_EQ(alias_set(&t, &a1, NULL), 0);
	CHECK_EQ(unalias_gfn(&t, 0x10), 0x20);	/* not 0x30 */
	CHECK_EQ(unalias_gfn(&t, 0x20), 0x30);
	/* Self-alias is legal and an identity. */
	a0 = mk(0, 0x40000, 0x1000, 0x40000);
	CHECK_EQ(alias_set(&t, &a0, NULL), 0);
	CHECK_EQ(unalias_gfn(&t, 0x40), 0x40);
}

static void test_get(void)
{
	struct alias_table t;
	struct aperture_memory_alias a = mk(2, 0xa0000, 0x20000, 0xe0000000);
	struct aperture_memory_alias got;

	memset(&t, 0, sizeof(t));
	CHECK_EQ(alias_set(&t, &a, NULL), 0);
	memset(&got, 0xff, sizeof(got));
	CHECK_EQ(alias_get(&t, 2, &got), 0);
	CHECK(memcmp(&got, &a, sizeof(a)) == 0);
	memset(&got, 0xff, sizeof(got));
	CHECK_EQ(alias_get(&t, 0, &got), 0);
	CHECK_EQ(got.slot, 0);
	CHECK_EQ(got.flags, 0);
	CHECK_EQ(got.memory_size, 0);
	CHECK_EQ(alias_get(&t, ALIAS_SLOTS, &got), -EINVAL);
}

int main(void)
{
	RUN(test_size_unaligned);
	RUN(test_gpa_unaligned);
	RUN(test_slot_range);
	RUN(test_gpa_overflow);
	RUN(test_target_overflow);
	RUN(test_target_unaligned);
	RUN(test_flags_nonzero);
	RUN(test_set_returns_old);
	RUN(test_delete_zeroes_entry);
	RUN(test_naliases);
	RUN(test_unalias_basic);
	RUN(test_unalias_lower_slot_wins);
	RUN(test_unalias_single_level);
	RUN(test_get);
	return unit_done();
}
