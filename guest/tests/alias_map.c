// SPDX-License-Identifier: MIT
/*
 * What an alias does to guest memory accesses (docs/alias.md): create,
 * move and delete a window, the VGA bank-switch use case, an alias onto
 * nothing, an alias over RAM, and two overlapping aliases.
 *
 * Config (test/emu/alias-suite.cfg): slot=0xe0000000,8M,dirty, no alias.
 *
 * Accesses that may hit unbacked memory are single MOVs written in asm:
 * the hypervisor emulates only MOV on unbacked gpas, and the compiler is
 * free to fold a volatile load into a CMP or to use REP STOS.
 */
#include "hypercall.h"
#include "physmem.h"
#include "string.h"
#include "test.h"

#define VGA		0xa0000u	/* the window: no RAM behind it */
#define VGA_SIZE	0x10000u
#define FB		0xe0000000u	/* framebuffer memslot, 8 MiB */
#define BANK(n)		(FB + (n) * VGA_SIZE)
#define NO_SLOT		0xd0000000u	/* nothing there */
#define RAM		0x400000u	/* guest RAM above the image */
#define PAGE		0x1000u
#define ALL_ONES	0xffffffffu

/* One word per page of a window, tagged with the page and a seed. */
static u32 pattern(u32 seed, u32 page)
{
	return seed ^ (page * 0x01010101u);
}

static void write_pages(u32 base, u32 size, u32 seed)
{
	for (u32 off = 0; off < size; off += PAGE)
		phys_write32(base + off + 4, pattern(seed, off / PAGE));
}

/* The first page (from base) whose word differs, or -1. */
static int check_pages(u32 base, u32 size, u32 seed)
{
	for (u32 off = 0; off < size; off += PAGE) {
		u32 got = phys_read32(base + off + 4);

		if (got != pattern(seed, off / PAGE)) {
			printf("  %#x: got %#x, want %#x\n", base + off + 4,
			       got, pattern(seed, off / PAGE));
			return off / PAGE;
		}
	}
	return -1;
}

static bool all_ones(u32 base, u32 size)
{
	for (u32 off = 0; off < size; off += PAGE)
		if (phys_read32(base + off + 4) != ALL_ONES)
			return false;
	return true;
}

/* The VGA use case: bank 0 and bank 1 of a framebuffer behind 0xa0000. */
static void test_vga_banks(void)
{
	long ret;

	report(all_ones(VGA, VGA_SIZE), "hole_unbacked_before");
	phys_write32(VGA + 4, 0x1234);
	report(phys_read32(VGA + 4) == ALL_ONES, "hole_write_dropped");

	ret = alias_set(0, VGA, VGA_SIZE, BANK(0));
	report(ret == 0, "create (%ld)", ret);
	write_pages(VGA, VGA_SIZE, 0xb0b0b0b0u);
	report(check_pages(BANK(0), VGA_SIZE, 0xb0b0b0b0u) < 0,
	       "create_write_lands_in_target");
	report(check_pages(VGA, VGA_SIZE, 0xb0b0b0b0u) < 0,
	       "create_read_through_window");

	/* The hypervisor resolves hypercall buffers through the alias too. */
	memcpy((void *)(uintptr_t)(BANK(0) + 0x100), "alias_map: buffer\n", 18);
	ret = hc2(APERTURE_HC_CONSOLE_WRITE, VGA + 0x100, 18);
	report(ret == 18, "hypercall_buffer_through_window (%ld)", ret);

	phys_write32(BANK(1) + 4, 0x0000b1b1u);
	ret = alias_set(0, VGA, VGA_SIZE, BANK(1));
	report(ret == 0, "move_to_bank1 (%ld)", ret);
	report(phys_read32(VGA + 4) == 0xb1b1u, "move_window_shows_bank1 (%#x)",
	       phys_read32(VGA + 4));
	write_pages(VGA, VGA_SIZE, 0x1b1b1b1bu);
	report(check_pages(BANK(1), VGA_SIZE, 0x1b1b1b1bu) < 0,
	       "move_write_lands_in_bank1");
	report(check_pages(BANK(0), VGA_SIZE, 0xb0b0b0b0u) < 0,
	       "move_bank0_unchanged");

	ret = alias_set(0, VGA, 0, 0);
	report(ret == 0, "delete (%ld)", ret);
	report(all_ones(VGA, VGA_SIZE), "delete_reads_all_ones");
	phys_write32(VGA + 4, 0x5555);
	report(check_pages(BANK(1), VGA_SIZE, 0x1b1b1b1bu) < 0,
	       "delete_write_dropped");
	ret = hc2(APERTURE_HC_CONSOLE_WRITE, VGA + 0x100, 18);
	report(ret == -APERTURE_EFAULT, "delete_hypercall_buffer_efault (%ld)",
	       ret);
}

/* An alias onto a gpa with no memslot behaves as unbacked memory. */
static void test_no_target(void)
{
	long ret;

	ret = alias_set(1, VGA, VGA_SIZE, NO_SLOT);
	report(ret == 0, "no_target_set (%ld)", ret);
	report(all_ones(VGA, VGA_SIZE), "no_target_reads_all_ones");
	phys_write32(VGA + 4, 0x77);
	report(phys_read32(VGA + 4) == ALL_ONES, "no_target_write_dropped");
	ret = hc2(APERTURE_HC_CONSOLE_WRITE, VGA, 4);
	report(ret == -APERTURE_EFAULT, "no_target_hypercall_efault (%ld)",
	       ret);
	ret = alias_set(1, VGA, 0, 0);
	report(ret == 0, "no_target_delete (%ld)", ret);
}

/* An alias over RAM hides the RAM page without touching it. */
static void test_over_ram(void)
{
	long ret;

	phys_write32(RAM + 4, 0x0dd0beefu);
	phys_write32(RAM + PAGE + 4, 0x0dd1beefu);
	phys_write32(BANK(2) + 4, 0xfb000002u);
	ret = alias_set(2, RAM, PAGE, BANK(2));
	report(ret == 0, "over_ram_set (%ld)", ret);
	report(phys_read32(RAM + 4) == 0xfb000002u, "over_ram_reads_target (%#x)",
	       phys_read32(RAM + 4));
	phys_write32(RAM + 4, 0xfb0000aau);
	report(phys_read32(BANK(2) + 4) == 0xfb0000aau, "over_ram_write_lands_in_target");
	report(phys_read32(RAM + PAGE + 4) == 0x0dd1beefu, "over_ram_next_page_is_ram");
	ret = alias_set(2, RAM, 0, 0);
	report(ret == 0, "over_ram_delete (%ld)", ret);
	report(phys_read32(RAM + 4) == 0x0dd0beefu, "over_ram_original_back (%#x)",
	       phys_read32(RAM + 4));
}

/* Where two aliases cover a gfn the lower slot wins, in either order. */
static void test_overlap(void)
{
	long ret;

	phys_write32(BANK(3) + 4, 0x0000a003u);
	phys_write32(BANK(4) + 4, 0x0000a004u);
	phys_write32(BANK(5) + 4, 0x0000a005u);

	/* slot 3: 128K over [0xa0000, 0xc0000) -> banks 4 and 5. */
	ret = alias_set(3, VGA, 2 * VGA_SIZE, BANK(4));
	report(ret == 0 && phys_read32(VGA + 4) == 0xa004u &&
	       phys_read32(VGA + VGA_SIZE + 4) == 0xa005u,
	       "overlap_high_slot_alone (%ld)", ret);
	/* slot 1: 64K over [0xa0000, 0xb0000) -> bank 3, installed later. */
	ret = alias_set(1, VGA, VGA_SIZE, BANK(3));
	report(ret == 0 && phys_read32(VGA + 4) == 0xa003u,
	       "overlap_low_slot_wins (%#x)", phys_read32(VGA + 4));
	report(phys_read32(VGA + VGA_SIZE + 4) == 0xa005u,
	       "overlap_high_slot_outside_low (%#x)", phys_read32(VGA + VGA_SIZE + 4));
	ret = alias_set(1, VGA, 0, 0);
	report(ret == 0 && phys_read32(VGA + 4) == 0xa004u,
	       "overlap_delete_low_uncovers_high (%#x)", phys_read32(VGA + 4));

	/* The other order: slot 0 first, then the higher slot 3 again. */
	ret = alias_set(3, VGA, 0, 0);
	ret |= alias_set(0, VGA, VGA_SIZE, BANK(3));
	ret |= alias_set(3, VGA, 2 * VGA_SIZE, BANK(4));
	report(ret == 0 && phys_read32(VGA + 4) == 0xa003u &&
	       phys_read32(VGA + VGA_SIZE + 4) == 0xa005u,
	       "overlap_order_irrelevant (%#x)", phys_read32(VGA + 4));
	ret = alias_set(0, VGA, 0, 0);
	ret |= alias_set(3, VGA, 0, 0);
	report(ret == 0 && phys_read32(VGA + 4) == ALL_ONES, "overlap_cleanup");
}

/* Single level: a target inside another alias is not unaliased again. */
static void test_single_level(void)
{
	long ret;

	phys_write32(BANK(6) + 4, 0x0000a006u);
	phys_write32(BANK(7) + 4, 0x0000a007u);
	/* slot 0: VGA -> bank 6;  slot 1: bank 6 -> bank 7. */
	ret = alias_set(0, VGA, VGA_SIZE, BANK(6));
	ret |= alias_set(1, BANK(6), VGA_SIZE, BANK(7));
	report(ret == 0 && phys_read32(VGA + 4) == 0xa006u,
	       "single_level (%#x)", phys_read32(VGA + 4));
	report(phys_read32(BANK(6) + 4) == 0xa007u, "chained_gpa_aliased (%#x)",
	       phys_read32(BANK(6) + 4));
	ret = alias_set(0, VGA, 0, 0);
	ret |= alias_set(1, BANK(6), 0, 0);
	report(ret == 0 && phys_read32(BANK(6) + 4) == 0xa006u, "single_level_cleanup");
}

int main(void)
{
	test_init("alias_map");
	test_vga_banks();
	test_no_target();
	test_over_ram();
	test_overlap();
	test_single_level();
	test_exit();
}
