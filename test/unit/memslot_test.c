// SPDX-License-Identifier: MIT
/* Memslots: validation, ordering, binary search, cache, dirty bitmap. */
#define UNIT_SUITE "memslot"
#include "unit.h"

#include <hv/memslot/memslot.h>
#include <lib/errno.h>
#include <lib/string.h>

static struct memslots ms;
static u8 backing[16];			/* only addresses are used */
static u64 bitmap[4];

static struct memslot mk(u32 id, gfn_t base, u64 npages)
{
	struct memslot s = {
		.base_gfn = base, .npages = npages, .id = id, .flags = 0,
		.host = backing, .dirty_bitmap = NULL,
	};
	return s;
}

static void check_sorted(void)
{
	u32 i;

	for (i = 1; i < ms.nslots; i++)
		CHECK(ms.slots[i - 1].base_gfn + ms.slots[i - 1].npages <=
		      ms.slots[i].base_gfn);
}

static void test_insert_einval(void)
{
	struct memslot s;

	memslots_init(&ms);
	s = mk(0, 0x100, 0);
	CHECK_EQ(memslots_insert(&ms, &s), -EINVAL);
	s = mk(0, 0x100, 1);
	s.flags = 4;
	CHECK_EQ(memslots_insert(&ms, &s), -EINVAL);
	s = mk(0, MEMSLOT_GFN_LIMIT, 1);
	CHECK_EQ(memslots_insert(&ms, &s), -EINVAL);
	s = mk(0, MEMSLOT_GFN_LIMIT - 1, 2);
	CHECK_EQ(memslots_insert(&ms, &s), -EINVAL);
	s = mk(0, 1, ~0ull);		/* base + npages wraps */
	CHECK_EQ(memslots_insert(&ms, &s), -EINVAL);
	s = mk(0, 0x100, 1);
	s.host = NULL;
	CHECK_EQ(memslots_insert(&ms, &s), -EINVAL);
	s = mk(0, 0x100, 1);
	s.flags = APERTURE_MEM_LOG_DIRTY_PAGES;
	CHECK_EQ(memslots_insert(&ms, &s), -EINVAL);
	s = mk(APERTURE_MEMSLOTS_MAX, 0x100, 1);
	CHECK_EQ(memslots_insert(&ms, &s), -EINVAL);
	CHECK_EQ(ms.nslots, 0);

	/* The highest possible slot is fine. */
	s = mk(APERTURE_MEMSLOTS_MAX - 1, MEMSLOT_GFN_LIMIT - 1, 1);
	CHECK_EQ(memslots_insert(&ms, &s), 0);
	s = mk(1, 0x100, 1);
	s.flags = APERTURE_MEM_LOG_DIRTY_PAGES | APERTURE_MEM_READONLY;
	s.dirty_bitmap = bitmap;
	CHECK_EQ(memslots_insert(&ms, &s), 0);
	CHECK_EQ(ms.nslots, 2);
	CHECK(memslots_find(&ms, MEMSLOT_GFN_LIMIT - 1) != NULL);
}

static void test_insert_eexist(void)
{
	struct memslot s = mk(0, 0x100, 0x10);	/* [0x100, 0x110) */

	memslots_init(&ms);
	CHECK_EQ(memslots_insert(&ms, &s), 0);
	s = mk(0, 0x200, 1);			/* same id */
	CHECK_EQ(memslots_insert(&ms, &s), -EEXIST);
	s = mk(1, 0x100, 0x10);			/* identical range */
	CHECK_EQ(memslots_insert(&ms, &s), -EEXIST);
	s = mk(1, 0xf0, 0x11);			/* overlaps the start */
	CHECK_EQ(memslots_insert(&ms, &s), -EEXIST);
	s = mk(1, 0x10f, 1);			/* overlaps the end */
	CHECK_EQ(memslots_insert(&ms, &s), -EEXIST);
	s = mk(1, 0x104, 2);			/* inside */
	CHECK_EQ(memslots_insert(&ms, &s), -EEXIST);
	s = mk(1, 0x0, 0x1000);			/* contains */
	CHECK_EQ(memslots_insert(&ms, &s), -EEXIST);
	CHECK_EQ(ms.nslots, 1);
	s = mk(1, 0xf0, 0x10);			/* adjacent below */
	CHECK_EQ(memslots_insert(&ms, &s), 0);
	s = mk(2, 0x110, 0x10);			/* adjacent above */
	CHECK_EQ(memslots_insert(&ms, &s), 0);
	s = mk(3, 0x108, 0x100);		/* overlaps the middle one */
	CHECK_EQ(memslots_insert(&ms, &s), -EEXIST);
	CHECK_EQ(ms.nslots, 3);
	check_sorted();
}

/* Insert n one-page slots with gaps, in a scrambled order. */
static void fill(u32 n)
{
	u32 i, k;

	memslots_init(&ms);
	for (i = 0; i < n; i++) {
		struct memslot s;

		/* 7 is coprime with 509, and with 1 and 4 trivially. */
		k = (i * 7) % n;
		s = mk(k, 0x1000 + 3 * (gfn_t)k, 2);
		CHECK_EQ(memslots_insert(&ms, &s), 0);
	}
	CHECK_EQ(ms.nslots, n);
	check_sorted();
}

static void check_lookup(u32 n)
{
	u32 k;

	for (k = 0; k < n; k++) {
		gfn_t base = 0x1000 + 3 * (gfn_t)k;
		struct memslot *s;

		s = memslots_find(&ms, base);
		CHECK(s && s->id == k);
		CHECK_EQ(ms.last_used, s - ms.slots);
		s = memslots_find(&ms, base + 1);
		CHECK(s && s->id == k);
		/* Gap right after: the cache must not answer for it. */
		CHECK(memslots_find(&ms, base + 2) == NULL);
		CHECK(memslots_by_id(&ms, k) == memslots_find(&ms, base));
	}
	CHECK(memslots_find(&ms, 0) == NULL);
	CHECK(memslots_find(&ms, 0xfff) == NULL);
	CHECK(memslots_find(&ms, 0x1000 + 3 * (gfn_t)n) == NULL);
	CHECK(memslots_find(&ms, ~0ull) == NULL);
}

static void test_search_1(void)
{
	fill(1);
	check_lookup(1);
}

static void test_search_4(void)
{
	fill(4);
	check_lookup(4);
}

static void test_search_509_and_enospc(void)
{
	struct memslot s = mk(0, 0x100000, 1);

	fill(APERTURE_MEMSLOTS_MAX);
	check_lookup(APERTURE_MEMSLOTS_MAX);
	CHECK_EQ(memslots_insert(&ms, &s), -ENOSPC);
	CHECK_EQ(ms.nslots, APERTURE_MEMSLOTS_MAX);
	/* Make room: insertion works again. */
	CHECK_EQ(memslots_delete(&ms, 200), 0);
	s.id = 200;
	CHECK_EQ(memslots_insert(&ms, &s), 0);
	CHECK_EQ(ms.slots[ms.nslots - 1].id, 200);
	check_sorted();
}

static void test_delete(void)
{
	fill(4);
	/* Warm the cache on the slot we then delete. */
	CHECK(memslots_find(&ms, 0x1000 + 3 * 3) != NULL);
	CHECK_EQ(memslots_delete(&ms, 3), 0);
	CHECK(memslots_find(&ms, 0x1000 + 3 * 3) == NULL);
	CHECK(memslots_by_id(&ms, 3) == NULL);
	CHECK_EQ(memslots_delete(&ms, 3), -ENOENT);
	CHECK_EQ(memslots_delete(&ms, 1), 0);	/* a middle one */
	CHECK_EQ(ms.nslots, 2);
	CHECK_EQ(ms.slots[0].id, 0);
	CHECK_EQ(ms.slots[1].id, 2);
	CHECK(memslots_find(&ms, 0x1000 + 3 * 2 + 1)->id == 2);
	CHECK_EQ(memslots_delete(&ms, 1000), -ENOENT);
}

static void test_dirty(void)
{
	struct memslot s = mk(0, 0x100, 130);

	memset(bitmap, 0, sizeof(bitmap));
	s.dirty_bitmap = bitmap;
	memslot_mark_dirty(&s, 0x100);		/* not logging: no-op */
	CHECK_EQ(bitmap[0], 0);
	s.flags = APERTURE_MEM_LOG_DIRTY_PAGES;
	memslot_mark_dirty(&s, 0x100);
	memslot_mark_dirty(&s, 0x100 + 63);
	memslot_mark_dirty(&s, 0x100 + 64);
	memslot_mark_dirty(&s, 0x100 + 129);
	memslot_mark_dirty(&s, 0x100 + 130);	/* outside: ignored */
	memslot_mark_dirty(&s, 0xff);		/* outside: ignored */
	CHECK_EQ(bitmap[0], BIT(0) | BIT(63));
	CHECK_EQ(bitmap[1], BIT(0));
	CHECK_EQ(bitmap[2], BIT(1));
	CHECK_EQ(bitmap[3], 0);
	CHECK_EQ(memslot_dirty_bitmap_bytes(&s), 24);
	s.npages = 1;
	CHECK_EQ(memslot_dirty_bitmap_bytes(&s), 8);
	s.npages = 64;
	CHECK_EQ(memslot_dirty_bitmap_bytes(&s), 8);
	s.npages = 65;
	CHECK_EQ(memslot_dirty_bitmap_bytes(&s), 16);
}

int main(void)
{
	RUN(test_insert_einval);
	RUN(test_insert_eexist);
	RUN(test_search_1);
	RUN(test_search_4);
	RUN(test_search_509_and_enospc);
	RUN(test_delete);
	RUN(test_dirty);
	return unit_done();
}
