// SPDX-License-Identifier: MIT
/*
 * Benchmark: the cost of moving the VGA window under each invalidation
 * mode.  The guest keeps a 64 MiB working set mapped (one read per page
 * after every move), moves the 64 KiB window at 0xA0000 between banks of
 * the framebuffer N times, and writes through it after each move.  The
 * hypervisor's counters then say how many shadow entries each move
 * dropped and how many pages had to fault back in.
 *
 * Command line: "moves=<n>" (default 1000).
 */
#include <aperture/hypercall.h>

#include "hypercall.h"
#include "physmem.h"
#include "multiboot.h"
#include "printf.h"
#include "rt.h"
#include "test.h"

#define WINDOW		0xa0000u
#define WINDOW_SIZE	0x10000u
#define FB_BASE		0xe0000000u
#define FB_BANKS	64
#define WSET_BASE	0x01000000u	/* 16 MiB */
#define WSET_SIZE	0x04000000u	/* 64 MiB */
#define PAGE		4096u

static struct aperture_stats before, after;

static u32 parse_moves(const struct multiboot_info *mbi)
{
	const char *s = (const char *)mbi->cmdline;
	u32 n = 0;

	if (!(mbi->flags & MULTIBOOT_INFO_CMDLINE))
		return 1000;
	for (; *s; s++) {
		if (s[0] == 'm' && s[1] == 'o' && s[2] == 'v' && s[3] == 'e' &&
		    s[4] == 's' && s[5] == '=') {
			for (s += 6; *s >= '0' && *s <= '9'; s++)
				n = n * 10 + (*s - '0');
			return n ? n : 1000;
		}
	}
	return 1000;
}

static u32 touch_working_set(void)
{
	u32 sum = 0;

	for (u32 a = WSET_BASE; a < WSET_BASE + WSET_SIZE; a += PAGE)
		sum += *(volatile u32 *)a;
	return sum;
}

static long move_window(u32 bank)
{
	return alias_set(0, WINDOW, WINDOW_SIZE, FB_BASE + bank * WINDOW_SIZE);
}

int main(u32 magic, struct multiboot_info *mbi)
{
	u32 moves = parse_moves(mbi), done = 0;
	u64 zapped, refaults;

	(void)magic;
	test_init("bench");
	touch_working_set();
	if (!report(move_window(0) == 0, "window on bank 0") ||
	    !report(hc1(APERTURE_HC_GET_STATS, gpa_of(&before)) == 0,
		    "stats before"))
		test_exit();

	while (done < moves && move_window((done + 1) % FB_BANKS) == 0) {
		done++;
		for (u32 off = 0; off < WINDOW_SIZE; off += PAGE)
			*(volatile u32 *)(WINDOW + off) = done;
		touch_working_set();
	}
	if (!report(hc1(APERTURE_HC_GET_STATS, gpa_of(&after)) == 0,
		    "stats after"))
		test_exit();

	zapped = after.shadow_ptes_zapped - before.shadow_ptes_zapped;
	refaults = after.shadow_faults - before.shadow_faults;
	printf("BENCH: moves=%u ptes_zapped=%llu refaults=%llu pages_zapped=%llu roots_built=%llu\n",
	       done, zapped, refaults,
	       after.shadow_pages_zapped - before.shadow_pages_zapped,
	       after.roots_built - before.roots_built);
	report(done == moves, "window moved %u of %u times", done, moves);
	test_exit();
}
