// SPDX-License-Identifier: MIT
/*
 * Turn on 32-bit paging with an identity map of the first 4 MiB.  Until the
 * shadow MMU lands, Aperture ends the guest at the CR0.PG write (the test
 * config expects killed:paging); once it lands the same kernel checks that
 * the identity map works and exits 0.
 */
#include "cpu.h"
#include "test.h"

#define PTE_P		BIT(0)
#define PTE_RW		BIT(1)
#define PAGE_SIZE	4096u
#define PT_ENTRIES	1024u	/* 32-bit paging: 1024 4-byte entries */

#define MARKER		0x600dcafeu

static u32 page_dir[PT_ENTRIES] __attribute__((aligned(PAGE_SIZE)));
static u32 page_table[PT_ENTRIES] __attribute__((aligned(PAGE_SIZE)));
static volatile u32 marker = MARKER;

int main(void)
{
	u32 i;

	test_init("paging");
	/* The image, its .bss and the stack all lie below 4 MiB. */
	for (i = 0; i < PT_ENTRIES; i++)
		page_table[i] = i * PAGE_SIZE | PTE_P | PTE_RW;
	page_dir[0] = (u32)(uintptr_t)page_table | PTE_P | PTE_RW;

	write_cr3((u32)(uintptr_t)page_dir);
	printf("paging: setting CR0.PG with CR3=%#x\n", read_cr3());
	write_cr0(read_cr0() | X86_CR0_PG);

	report(read_cr0() & X86_CR0_PG, "cr0_pg_set");
	report(marker == MARKER, "identity_map_read");
	marker = ~MARKER;
	report(marker == ~MARKER, "identity_map_write");
	test_exit();
}
