// SPDX-License-Identifier: MIT
/*
 * mmu_alias: the seed's use case, a banked VGA window, reached through a
 * guest-virtual mapping.  The config gives the guest an 8 MiB slot at
 * 0xe0000000 (the "framebuffer") and alias 0 mapping the 64 KiB window at
 * 0xa0000 onto its first bank:
 *	slot=0xE0000000,8M alias=0,0xA0000,64K,0xE0000000
 * The guest maps TEST_VA to the window and the framebuffer to itself,
 * writes through TEST_VA, moves the alias to the next bank with
 * APERTURE_HC_SET_MEMORY_ALIAS and writes again through the same, still
 * mapped, TEST_VA: the shadow MMU must drop its stale translation so that
 * the writes land in the new bank.
 */
#include "cpu.h"
#include "paging.h"
#include "string.h"
#include "test.h"

#define TEST_VA		0x40000000u
#define WINDOW		0xa0000u
#define WINDOW_SIZE	0x10000u
#define FB		0xe0000000u	/* framebuffer slot, 8 MiB */
#define BANK(n)		(FB + (n) * WINDOW_SIZE)

static u32 pd[PT32_ENTRIES] __attribute__((aligned(PG_SIZE)));
static u32 pt_id[2][PT32_ENTRIES] __attribute__((aligned(PG_SIZE)));
static u32 pt_win[PT32_ENTRIES] __attribute__((aligned(PG_SIZE)));

static struct aperture_memory_alias alias;
static struct aperture_stats st0, st1;

static volatile u32 *win(u32 off)
{
	return phys(TEST_VA + off);
}

static long move_window(u32 target)
{
	alias.slot = 0;
	alias.flags = 0;
	alias.guest_phys_addr = WINDOW;
	alias.memory_size = WINDOW_SIZE;
	alias.target_phys_addr = target;
	return hc1(APERTURE_HC_SET_MEMORY_ALIAS, gpa_of(&alias));
}

static void setup(void)
{
	u32 i;

	pd32_identity(pd, pt_id, 2, PG_P | PG_RW);
	for (i = 0; i < WINDOW_SIZE / PG_SIZE; i++)
		pt_win[i] = (WINDOW + i * PG_SIZE) | PG_P | PG_RW;
	pd[TEST_VA >> 22] = pa_of(pt_win) | PG_P | PG_RW;
	/* The framebuffer, identity-mapped with two 4 MiB pages. */
	pd[FB >> 22] = FB | PG_PS | PG_P | PG_RW;
	pd[(FB >> 22) + 1] = (FB + 0x400000) | PG_PS | PG_P | PG_RW;
	paging_on(pa_of(pd), X86_CR4_PSE);
}

static bool check_bank(u32 off, u32 bank, u32 want)
{
	u32 got = *phys(BANK(bank) + off);

	if (got == want)
		return true;
	printf("  bank %u + %#x holds %#x, want %#x\n", bank, off, got, want);
	return false;
}

int main(void)
{
	const u32 last = WINDOW_SIZE - PG_SIZE + 0x10;
	long r;
	bool ok;

	test_init("mmu_alias");
	setup();

	*win(0x100) = 0xb0000100;
	report(check_bank(0x100, 0, 0xb0000100), "window_write_lands_in_bank0");
	*phys(BANK(0) + 0x200) = 0xb0000200;
	*phys(BANK(1) + 0x200) = 0xb1000200;
	report(*win(0x200) == 0xb0000200, "window_reads_bank0");
	*win(last) = 0xb000ff10;
	report(check_bank(last, 0, 0xb000ff10), "window_last_page_bank0");

	get_stats(&st0);
	r = move_window(BANK(1));
	get_stats(&st1);
	if (r)
		printf("  SET_MEMORY_ALIAS: %ld\n", r);
	report(r == 0, "alias_move_to_bank1");
	report(st1.shadow_ptes_zapped + st1.shadow_pages_zapped >
	       st0.shadow_ptes_zapped + st0.shadow_pages_zapped,
	       "alias_move_drops_shadow_entries");

	/* Poison everything but the slot: GET must fill in each field. */
	memset(&alias, 0xcc, sizeof(alias));
	alias.slot = 0;
	r = hc1(APERTURE_HC_GET_MEMORY_ALIAS, gpa_of(&alias));
	report(r == 0 && alias.flags == 0 && alias.guest_phys_addr == WINDOW &&
	       alias.memory_size == WINDOW_SIZE &&
	       alias.target_phys_addr == BANK(1), "alias_get_reports_bank1");

	/* Same virtual address, no INVLPG: the hypervisor did the flush. */
	*win(0x100) = 0xb1000100;
	report(check_bank(0x100, 1, 0xb1000100) &&
	       check_bank(0x100, 0, 0xb0000100), "window_write_lands_in_bank1");
	report(*win(0x200) == 0xb1000200, "window_reads_bank1");
	*win(last) = 0xb100ff10;
	report(check_bank(last, 1, 0xb100ff10) &&
	       check_bank(last, 0, 0xb000ff10), "window_last_page_bank1");

	r = move_window(BANK(0));
	ok = r == 0 && *win(0x100) == 0xb0000100 && *win(0x200) == 0xb0000200;
	report(ok, "alias_move_back_to_bank0");
	test_exit();
}
