// SPDX-License-Identifier: MIT
/*
 * APERTURE_HC_GET_DIRTY_LOG on a framebuffer slot, written both directly
 * and through an alias at 0xa0000: a write through an alias is logged in
 * the target's slot, each harvest clears the log, and the next write to a
 * harvested page is caught again (the slot was write-protected anew).
 *
 * Config (test/emu/alias-suite.cfg):
 *	slot=0xe0000000,8M,dirty slot=0xe1000000,64K
 */
#include "hypercall.h"
#include "physmem.h"
#include "string.h"
#include "test.h"

#define VGA		0xa0000u
#define VGA_SIZE	0x10000u
#define FB		0xe0000000u
#define FB_SIZE		0x800000u
#define PLAIN		0xe1000000u	/* a slot without dirty logging */
#define UNBACKED	0xf0000000u
#define PAGE		0x1000u
#define FB_PAGES	(FB_SIZE / PAGE)
#define BITMAP_WORDS	(FB_PAGES / 32)
#define GUARD		0x5a5a5a5au
#define BAD_ID		100u	/* no such memslot */

/* The bitmap plus a guard word: the hypervisor must write exactly 256 B. */
static u32 bitmap[BITMAP_WORDS + 1];
static u32 want[BITMAP_WORDS];

static long harvest(u32 id)
{
	memset(bitmap, 0xa5, sizeof(bitmap));
	bitmap[BITMAP_WORDS] = GUARD;
	return hc2(APERTURE_HC_GET_DIRTY_LOG, id, gpa_of(bitmap));
}

static void want_page(u32 page)
{
	want[page / 32] |= BIT(page % 32);
}

/* Compare the harvested bitmap with want[], printing the differences. */
static bool bitmap_is_want(void)
{
	bool ok = bitmap[BITMAP_WORDS] == GUARD;

	if (!ok)
		printf("  guard word overwritten: %#x\n", bitmap[BITMAP_WORDS]);
	for (u32 i = 0; i < BITMAP_WORDS; i++) {
		if (bitmap[i] == want[i])
			continue;
		printf("  pages %u-%u: got %#010x, want %#010x\n", i * 32,
		       i * 32 + 31, bitmap[i], want[i]);
		ok = false;
	}
	return ok;
}

static void test_errors(u32 fb_id, u32 plain_id)
{
	long ret;

	ret = hc2(APERTURE_HC_GET_DIRTY_LOG, BAD_ID, gpa_of(bitmap));
	report(ret == -APERTURE_EINVAL, "einval_no_such_slot (%ld)", ret);
	ret = hc2(APERTURE_HC_GET_DIRTY_LOG, APERTURE_MEMSLOTS_MAX,
		  gpa_of(bitmap));
	report(ret == -APERTURE_EINVAL, "einval_slot_id_too_big (%ld)", ret);
	ret = hc2(APERTURE_HC_GET_DIRTY_LOG, plain_id, gpa_of(bitmap));
	report(ret == -APERTURE_ENOENT, "enoent_not_logging (%ld)", ret);
	ret = hc2(APERTURE_HC_GET_DIRTY_LOG, fb_id, UNBACKED);
	report(ret == -APERTURE_EFAULT, "efault_bitmap_unbacked (%ld)", ret);
	/* Only the last 128 bytes of low RAM: the bitmap needs 256. */
	ret = hc2(APERTURE_HC_GET_DIRTY_LOG, fb_id, VGA - 128);
	report(ret == -APERTURE_EFAULT, "efault_bitmap_straddle (%ld)", ret);
}

static void test_log(u32 fb_id)
{
	static const u32 direct[] = { 5, 100, 1000, FB_PAGES - 1 };
	static const u32 window[] = { 0, 3 };
	struct aperture_stats *st;
	long ret;
	u32 i;

	ret = harvest(fb_id);
	report(ret == 0, "first_harvest (%ld)", ret);

	ret = alias_set(0, VGA, VGA_SIZE, FB);
	report(ret == 0, "alias_window (%ld)", ret);
	memset(want, 0, sizeof(want));
	for (i = 0; i < ARRAY_SIZE(direct); i++) {
		phys_write32(FB + direct[i] * PAGE + 8, direct[i]);
		want_page(direct[i]);
	}
	for (i = 0; i < ARRAY_SIZE(window); i++) {
		phys_write32(VGA + window[i] * PAGE + 8, window[i]);
		want_page(window[i]);
	}
	/* Reads, directly or through the window, dirty nothing. */
	(void)phys_read32(FB + 7 * PAGE);
	(void)phys_read32(VGA + 9 * PAGE);
	ret = harvest(fb_id);
	report(ret == 0 && bitmap_is_want(), "exactly_written_pages (%ld)",
	       ret);

	memset(want, 0, sizeof(want));
	ret = harvest(fb_id);
	report(ret == 0 && bitmap_is_want(), "second_harvest_empty (%ld)",
	       ret);

	/* Pages 5 and 3 were harvested; their mappings must fault again. */
	phys_write32(FB + 5 * PAGE + 12, 55);
	phys_write32(VGA + 3 * PAGE + 12, 33);
	want_page(5);
	want_page(3);
	ret = harvest(fb_id);
	report(ret == 0 && bitmap_is_want(), "rewrite_logged_again (%ld)",
	       ret);

	/* A hypercall writing guest memory is logged, through the alias too. */
	st = (struct aperture_stats *)(uintptr_t)(FB + 20 * PAGE);
	ret = hc1(APERTURE_HC_GET_STATS, gpa_of(st));
	report(ret == 0, "stats_into_fb (%ld)", ret);
	ret = hc1(APERTURE_HC_GET_STATS, VGA + 2 * PAGE);
	report(ret == 0, "stats_through_window (%ld)", ret);
	memset(want, 0, sizeof(want));
	want_page(20);
	want_page(2);
	ret = harvest(fb_id);
	report(ret == 0 && bitmap_is_want(), "hypercall_writes_logged (%ld)",
	       ret);

	ret = alias_set(0, VGA, 0, 0);
	report(ret == 0, "alias_delete (%ld)", ret);
}

int main(void)
{
	int fb_id, plain_id;

	test_init("alias_dirty");
	fb_id = memslot_id(FB);
	plain_id = memslot_id(PLAIN);
	if (!report(fb_id >= 0 && plain_id >= 0, "find_slots (%d, %d)",
		    fb_id, plain_id))
		test_exit();
	test_errors(fb_id, plain_id);
	test_log(fb_id);
	test_exit();
}
