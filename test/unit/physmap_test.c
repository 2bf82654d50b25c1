// SPDX-License-Identifier: MIT
/* Physmap: unalias + memslot resolution and guest-physical copies. */
#define UNIT_SUITE "physmap"
#include "unit.h"

#include <hv/memslot/physmap.h>
#include <lib/errno.h>
#include <lib/string.h>

/*
 * Guest layout (gfns):
 *   slot 0: [0x00, 0x10) RAM, logging          -> ram0
 *   slot 1: [0x10, 0x14) RAM, adjacent to 0    -> ram1 (not host-contiguous)
 *   slot 2: [0x20, 0x22) READONLY              -> rom
 *   slot 3: [0x40, 0x48) "framebuffer", logging -> fb
 *   gfn 0x30.. unbacked
 */
static struct physmap pm;
static u8 ram0[0x10 * PAGE_SIZE], ram1[4 * PAGE_SIZE], rom[2 * PAGE_SIZE];
static u8 fb[8 * PAGE_SIZE];
static u64 bm0[1], bm3[1];

static void add(u32 id, gfn_t base, u64 n, u8 *host, u32 flags, u64 *bm)
{
	struct memslot s = {
		.base_gfn = base, .npages = n, .id = id, .flags = flags,
		.host = host, .dirty_bitmap = bm,
	};

	CHECK_EQ(memslots_insert(&pm.slots, &s), 0);
}

static void setup(void)
{
	physmap_init(&pm);
	memset(ram0, 0, sizeof(ram0));
	memset(ram1, 0, sizeof(ram1));
	memset(rom, 0x5a, sizeof(rom));
	memset(fb, 0, sizeof(fb));
	bm0[0] = bm3[0] = 0;
	add(0, 0x00, 0x10, ram0, APERTURE_MEM_LOG_DIRTY_PAGES, bm0);
	add(1, 0x10, 0x04, ram1, 0, NULL);
	add(2, 0x20, 0x02, rom, APERTURE_MEM_READONLY, NULL);
	add(3, 0x40, 0x08, fb, APERTURE_MEM_LOG_DIRTY_PAGES, bm3);
}

static void set_alias(u32 slot, u64 gpa, u64 size, u64 target)
{
	struct aperture_memory_alias a = {
		.slot = slot, .guest_phys_addr = gpa, .memory_size = size,
		.target_phys_addr = target,
	};

	CHECK_EQ(alias_set(&pm.aliases, &a, NULL), 0);
}

static void test_gfn_to_hva(void)
{
	struct memslot *s = NULL;

	setup();
	CHECK(physmap_gfn_to_hva(&pm, 0x3, &s) == ram0 + 3 * PAGE_SIZE);
	CHECK(s && s->id == 0);
	CHECK(physmap_gfn_to_hva(&pm, 0x13, NULL) == ram1 + 3 * PAGE_SIZE);
	CHECK(physmap_gfn_to_hva(&pm, 0x30, &s) == NULL);
	CHECK(s == NULL);
	CHECK(physmap_gfn_to_memslot(&pm, 0x21)->id == 2);
}

static void test_alias_over_ram(void)
{
	struct memslot *s;

	setup();
	/* Window [0x8, 0xa) onto fb pages 2..3: RAM under it disappears. */
	set_alias(0, 0x8000, 0x2000, 0x42000);
	CHECK(physmap_gfn_to_hva(&pm, 0x8, &s) == fb + 2 * PAGE_SIZE);
	CHECK(s->id == 3);
	CHECK(physmap_gfn_to_hva(&pm, 0x9, NULL) == fb + 3 * PAGE_SIZE);
	CHECK(physmap_gfn_to_hva(&pm, 0xa, NULL) == ram0 + 0xa * PAGE_SIZE);
	CHECK(physmap_gfn_to_hva(&pm, 0x7, NULL) == ram0 + 7 * PAGE_SIZE);
	/* The target stays reachable directly, too. */
	CHECK(physmap_gfn_to_hva(&pm, 0x42, NULL) == fb + 2 * PAGE_SIZE);
	/* Alias into nothing: the gpa is unbacked (MMIO). */
	set_alias(1, 0x30000, 0x1000, 0x33000);
	CHECK(physmap_gfn_to_memslot(&pm, 0x30) == NULL);
	set_alias(1, 0x1000, 0x1000, 0x33000);
	CHECK(physmap_gfn_to_memslot(&pm, 0x1) == NULL);
	/* Alias of an unbacked gpa onto RAM makes it backed. */
	set_alias(2, 0x30000, 0x1000, 0x5000);
	CHECK(physmap_gfn_to_hva(&pm, 0x30, NULL) == ram0 + 5 * PAGE_SIZE);
}

static void test_read_basic(void)
{
	u8 buf[64];

	setup();
	ram0[0x1234] = 0xab;
	ram0[0x1234 + 63] = 0xcd;
	CHECK_EQ(physmap_read(&pm, 0x1234, buf, sizeof(buf)), 0);
	CHECK_EQ(buf[0], 0xab);
	CHECK_EQ(buf[63], 0xcd);
	/* len 0 is a no-op even at an unbacked gpa. */
	CHECK_EQ(physmap_read(&pm, 0x30000, buf, 0), 0);
	/* Read-only memory reads fine. */
	CHECK_EQ(physmap_read(&pm, 0x20ff0, buf, 32), 0);
	CHECK_EQ(buf[31], 0x5a);
}

static void test_read_across_slots(void)
{
	u8 buf[32];

	setup();
	/* Slots 0 and 1 are adjacent in gpa but not in host memory. */
	memset(ram0 + sizeof(ram0) - 16, 0x11, 16);
	memset(ram1, 0x22, 16);
	CHECK_EQ(physmap_read(&pm, 0x10000 - 16, buf, 32), 0);
	CHECK_EQ(buf[15], 0x11);
	CHECK_EQ(buf[16], 0x22);
}

static void test_read_efault(void)
{
	u8 buf[64];

	setup();
	memset(buf, 0xee, sizeof(buf));
	CHECK_EQ(physmap_read(&pm, 0x30000, buf, 8), -EFAULT);
	/* Straddles the end of slot 1 into the hole at 0x14. */
	CHECK_EQ(physmap_read(&pm, 0x14000 - 8, buf, 16), -EFAULT);
	/* Starts in the hole and ends in ROM. */
	CHECK_EQ(physmap_read(&pm, 0x20000 - 8, buf, 16), -EFAULT);
	/* Last byte of slot 3 fine, one more is not. */
	CHECK_EQ(physmap_read(&pm, 0x48000 - 8, buf, 8), 0);
	CHECK_EQ(buf[0], 0);
	memset(buf, 0xee, sizeof(buf));
	CHECK_EQ(physmap_read(&pm, 0x48000 - 8, buf, 9), -EFAULT);
	/* gpa + len wraps. */
	CHECK_EQ(physmap_read(&pm, ~0ull - 3, buf, 8), -EFAULT);
	CHECK_EQ(physmap_read(&pm, 0x1000, buf, ~(size_t)0), -EFAULT);
	/* Nothing was copied by any failing call. */
	CHECK_EQ(buf[0], 0xee);
	CHECK_EQ(buf[63], 0xee);
}

static void test_write_readonly(void)
{
	u8 buf[32];

	setup();
	memset(buf, 0x77, sizeof(buf));
	CHECK_EQ(physmap_write(&pm, 0x20000, buf, 4), -EFAULT);
	CHECK_EQ(rom[0], 0x5a);
	/* Writable page followed by an unbacked one: nothing written. */
	CHECK_EQ(physmap_write(&pm, 0x14000 - 16, buf, 32), -EFAULT);
	CHECK_EQ(ram1[sizeof(ram1) - 1], 0);
	/* Alias onto ROM: still read-only through the alias. */
	set_alias(0, 0x8000, 0x1000, 0x21000);
	CHECK_EQ(physmap_write(&pm, 0x8000 - 16, buf, 32), -EFAULT);
	CHECK_EQ(ram0[0x8000 - 1], 0);
	CHECK_EQ(physmap_read(&pm, 0x8000, buf, 4), 0);
	CHECK_EQ(buf[0], 0x5a);
	CHECK_EQ(bm0[0], 0);
}

static void test_write_and_dirty(void)
{
	u8 buf[PAGE_SIZE + 2];

	setup();
	memset(buf, 0x33, sizeof(buf));
	/* Touches pages 1, 2 and 3 of slot 0. */
	CHECK_EQ(physmap_write(&pm, 0x1fff, buf, sizeof(buf)), 0);
	CHECK_EQ(ram0[0x1ffe], 0);
	CHECK_EQ(ram0[0x1fff], 0x33);
	CHECK_EQ(ram0[0x3000], 0x33);
	CHECK_EQ(ram0[0x3001], 0);
	CHECK_EQ(bm0[0], BIT(1) | BIT(2) | BIT(3));
	/* Non-logging slot: written, nothing marked anywhere. */
	CHECK_EQ(physmap_write(&pm, 0x11000, buf, 4), 0);
	CHECK_EQ(ram1[0x1000], 0x33);
	CHECK_EQ(bm0[0], BIT(1) | BIT(2) | BIT(3));
	CHECK_EQ(bm3[0], 0);
}

static void test_dirty_through_alias(void)
{
	u8 v = 0x99;

	setup();
	/* gfn 0x8 (in slot 0) aliased to fb page 5 (slot 3). */
	set_alias(0, 0x8000, 0x1000, 0x45000);
	CHECK_EQ(physmap_write(&pm, 0x8010, &v, 1), 0);
	CHECK_EQ(fb[5 * PAGE_SIZE + 0x10], 0x99);
	CHECK_EQ(ram0[0x8010], 0);
	CHECK_EQ(bm3[0], BIT(5));
	CHECK_EQ(bm0[0], 0);
}

int main(void)
{
	RUN(test_gfn_to_hva);
	RUN(test_alias_over_ram);
	RUN(test_read_basic);
	RUN(test_read_across_slots);
	RUN(test_read_efault);
	RUN(test_write_readonly);
	RUN(test_write_and_dirty);
	RUN(test_dirty_through_alias);
	return unit_done();
}
