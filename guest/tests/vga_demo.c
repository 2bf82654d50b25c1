// SPDX-License-Identifier: MIT
/*
 * The `make run` demo: bank switching a framebuffer through the legacy VGA
 * window, the use case the seed's alias table was written for.
 *
 * The config gives the guest an 8 MiB framebuffer memslot with dirty
 * logging at 0xe0000000 and nothing at 0xa0000.  The demo aliases the
 * 64 KiB window onto bank 0, draws, switches the window to bank 1 with one
 * hypercall, draws again, reads both banks back through the framebuffer's
 * own address and prints which framebuffer pages the dirty log saw change.
 */
#include "hypercall.h"
#include "physmem.h"
#include "string.h"
#include "test.h"

#define VGA		0xa0000u
#define VGA_SIZE	0x10000u
#define FB		0xe0000000u
#define FB_SIZE		0x800000u
#define PAGE		0x1000u
#define FB_PAGES	(FB_SIZE / PAGE)
#define ROW_BYTES	320u		/* mode 13h: 320x200, one byte a pixel */
#define ROWS		200u

static u32 bitmap[FB_PAGES / 32];
static struct aperture_memslot slots[8];

static void wr8(u32 gpa, u8 v)
{
	asm volatile("movb %0, (%1)" : : "q"(v), "r"(gpa) : "memory");
}

static long map_window(u32 bank)
{
	return alias_set(0, VGA, VGA_SIZE, FB + bank * VGA_SIZE);
}

/* Pixel (x, y) of a diagonal stripe picture whose colours depend on seed. */
static u8 pixel(u32 x, u32 y, u32 seed)
{
	return (u8)(((x + y) / 16 + seed) & 0xff);
}

static void draw(u32 seed)
{
	for (u32 y = 0; y < ROWS; y++)
		for (u32 x = 0; x < ROW_BYTES; x++)
			wr8(VGA + y * ROW_BYTES + x, pixel(x, y, seed));
}

/* Count pixels of a bank, read at the framebuffer's own gpa, that match. */
static u32 verify(u32 bank, u32 seed)
{
	u32 base = FB + bank * VGA_SIZE, ok = 0;

	for (u32 i = 0; i < ROWS * ROW_BYTES; i += 4) {
		u32 w = phys_read32(base + i), want = 0;

		for (u32 b = 0; b < 4; b++)
			want |= (u32)pixel((i + b) % ROW_BYTES,
					   (i + b) / ROW_BYTES, seed) << (8 * b);
		ok += w == want;
	}
	return ok * 4;
}

static void show_slots(void)
{
	long n = hc2(APERTURE_HC_GET_MEMSLOTS, gpa_of(slots),
		     ARRAY_SIZE(slots));

	printf("vga_demo: guest-physical memory (%ld memslots):\n", n);
	for (long i = 0; i < n && i < (long)ARRAY_SIZE(slots); i++)
		printf("vga_demo:   slot %u  %#010llx-%#010llx  %5llu KiB%s%s\n",
		       slots[i].id, slots[i].guest_phys_addr,
		       slots[i].guest_phys_addr + slots[i].memory_size - 1,
		       slots[i].memory_size / 1024,
		       slots[i].flags & APERTURE_MEM_READONLY ? "  read-only" : "",
		       slots[i].flags & APERTURE_MEM_LOG_DIRTY_PAGES ?
		       "  dirty-logged" : "");
}

/*
 * Print the dirty pages as runs, split at bank boundaries so that each line
 * names the 64 KiB bank it lies in.  Returns the number of dirty pages.
 */
static u32 show_dirty(void)
{
	const u32 bank_pages = VGA_SIZE / PAGE;
	u32 n = 0, first = 0;
	bool in_run = false;

	for (u32 p = 0; p <= FB_PAGES; p++) {
		bool d = p < FB_PAGES && (bitmap[p / 32] & BIT(p % 32));

		if (in_run && (!d || p % bank_pages == 0)) {
			printf("vga_demo:   bank %u: pages %u-%u (gpa %#x-%#x)\n",
			       first / bank_pages, first, p - 1,
			       FB + first * PAGE, FB + p * PAGE - 1);
			in_run = false;
		}
		if (!d)
			continue;
		n++;
		if (!in_run)
			first = p;
		in_run = true;
	}
	return n;
}

int main(void)
{
	u32 bank0, bank1, want = ROWS * ROW_BYTES, dirty;
	int id;
	long ret;

	test_init("vga_demo");
	printf("vga_demo: a 320x200 picture drawn through the VGA window at %#x\n",
	       VGA);
	show_slots();
	id = memslot_id(FB);
	if (!report(id >= 0, "framebuffer slot at %#x", FB))
		test_exit();
	/* Start from a clean log: loading the guest wrote nothing there. */
	ret = hc2(APERTURE_HC_GET_DIRTY_LOG, id, gpa_of(bitmap));
	report(ret == 0, "dirty log armed");
	printf("vga_demo: before any alias, %#x reads %#x (no memory there)\n",
	       VGA, phys_read32(VGA));

	ret = map_window(0);
	report(ret == 0, "alias %#x+64K -> bank 0 (%#x)", VGA, FB);
	draw(0);
	printf("vga_demo: drew picture A through the window\n");

	ret = map_window(1);
	report(ret == 0, "alias moved -> bank 1 (%#x)", FB + VGA_SIZE);
	draw(0x80);
	printf("vga_demo: drew picture B through the same window\n");

	bank0 = verify(0, 0);
	bank1 = verify(1, 0x80);
	report(bank0 == want, "bank 0 at %#x holds picture A (%u/%u pixels)",
	       FB, bank0, want);
	report(bank1 == want, "bank 1 at %#x holds picture B (%u/%u pixels)",
	       FB + VGA_SIZE, bank1, want);

	ret = hc2(APERTURE_HC_GET_DIRTY_LOG, id, gpa_of(bitmap));
	printf("vga_demo: dirty log of the framebuffer:\n");
	dirty = show_dirty();
	/*
	 * 64000 bytes a picture: pages 0-15 of each 16-page bank, i.e.
	 * exactly bits 0-31, and nothing anywhere else.
	 */
	report(ret == 0 && dirty == 2 * 16 && bitmap[0] == 0xffffffffu,
	       "dirty log shows %u pages changed: both banks, nothing else",
	       dirty);

	ret = map_window(0);
	report(ret == 0 && (phys_read32(VGA) & 0xff) == pixel(0, 0, 0),
	       "window back on bank 0 shows picture A again");
	test_exit();
}
