// SPDX-License-Identifier: MIT
/*
 * mkbadimage <kind> <out>: writes a Multiboot 1 ELF32 kernel that is
 * well-formed except for one defect, for the guest tests that check the
 * loader refuses it (expect=rejected).
 *
 * Each image carries real code: it makes the APERTURE_HC_EXIT hypercall
 * with status 0 ("good") or BAD_STATUS (every other kind).  A loader that
 * wrongly accepts a bad image therefore shows up as "exit:0xbad" instead
 * of "rejected", and "good" proves the rest of the image is sound.
 *
 * Build: gcc -std=gnu11 -Wall -Wextra -Werror -I. -Iinclude \
 *            -o mkbadimage test/tools/mkbadimage.c
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <aperture/hypercall.h>

#define MB_MAGIC	0x1BADB002u
#define MB_FLAGS	0x3u		/* page-align modules, memory info */
#define BAD_STATUS	0xbad

#define LOAD_ADDR	0x100000u	/* 1 MiB, the usual kernel address */
#define PHDR_OFF	52
#define MB_OFF		0x80		/* after up to 2 program headers */
#define CODE_OFF	0x100
#define FILE_SIZE	0x200
#define MAX_PHDRS	17		/* one more than mb_parse() accepts */

static uint8_t img[FILE_SIZE + MAX_PHDRS * 32];

static void put16(uint32_t off, uint16_t v)
{
	img[off] = v & 0xff;
	img[off + 1] = v >> 8;
}

static void put32(uint32_t off, uint32_t v)
{
	put16(off, v & 0xffff);
	put16(off + 2, v >> 16);
}

static void phdr(uint32_t phoff, int i, uint32_t off, uint32_t paddr,
		 uint32_t filesz, uint32_t memsz)
{
	uint32_t ph = phoff + i * 32;

	put32(ph, 1);			/* PT_LOAD */
	put32(ph + 4, off);
	put32(ph + 8, paddr);		/* p_vaddr == p_paddr */
	put32(ph + 12, paddr);
	put32(ph + 16, filesz);
	put32(ph + 20, memsz);
	put32(ph + 24, 7);		/* RWX */
	put32(ph + 28, 0x1000);
}

/*
 * mov eax, APERTURE_HC_EXIT; mov ebx, status; vmcall; 1: hlt; jmp 1b.
 * 32-bit protected mode with paging off is how Multiboot enters (spec 3.2).
 */
static void code(uint32_t off, uint32_t status)
{
	static const uint8_t tail[] = { 0x0f, 0x01, 0xc1, 0xf4, 0xeb, 0xfd };

	img[off] = 0xb8;
	put32(off + 1, APERTURE_HC_EXIT);
	img[off + 5] = 0xbb;
	put32(off + 6, status);
	memcpy(img + off + 10, tail, sizeof(tail));
}

/* The sound image: one segment, file offset 0 to 1 MiB, with a BSS page. */
static uint32_t build(uint32_t base, uint32_t status)
{
	memset(img, 0, sizeof(img));
	memcpy(img, "\x7f" "ELF", 4);
	img[4] = 1;			/* ELFCLASS32 */
	img[5] = 1;			/* ELFDATA2LSB */
	img[6] = 1;			/* EV_CURRENT */
	put16(16, 2);			/* ET_EXEC */
	put16(18, 3);			/* EM_386 */
	put32(20, 1);
	put32(24, base + CODE_OFF);	/* e_entry */
	put32(28, PHDR_OFF);
	put16(40, 52);
	put16(42, 32);
	put16(44, 1);
	phdr(PHDR_OFF, 0, 0, base, FILE_SIZE, 0x1000);

	put32(MB_OFF, MB_MAGIC);
	put32(MB_OFF + 4, MB_FLAGS);
	put32(MB_OFF + 8, -(MB_MAGIC + MB_FLAGS));
	code(CODE_OFF, status);
	return FILE_SIZE;
}

struct kind {
	const char *name;
	const char *what;
	uint32_t (*make)(void);
};

static uint32_t good(void)
{
	return build(LOAD_ADDR, 0);
}

static uint32_t bad_magic(void)
{
	uint32_t size = build(LOAD_ADDR, BAD_STATUS);

	/* One bit off, checksum consistent with it: only the magic is bad. */
	put32(MB_OFF, MB_MAGIC ^ 1);
	put32(MB_OFF + 8, -((MB_MAGIC ^ 1) + MB_FLAGS));
	return size;
}

static uint32_t bad_checksum(void)
{
	uint32_t size = build(LOAD_ADDR, BAD_STATUS);

	put32(MB_OFF + 8, -(MB_MAGIC + MB_FLAGS) + 1);
	return size;
}

static uint32_t truncated(void)
{
	/* The program header still promises FILE_SIZE bytes. */
	return build(LOAD_ADDR, BAD_STATUS) - 0x80;
}

static uint32_t outside_ram(void)
{
	/* 1 GiB is the largest mem= allows, so this is never RAM. */
	return build(0x40000000, BAD_STATUS);
}

static uint32_t vga_hole(void)
{
	return build(0xA0000, BAD_STATUS);
}

static uint32_t overlap(void)
{
	uint32_t size = build(LOAD_ADDR, BAD_STATUS);

	/* A data segment whose BSS runs over the first segment's end. */
	put16(44, 2);
	phdr(PHDR_OFF, 0, 0, LOAD_ADDR, FILE_SIZE, FILE_SIZE);
	phdr(PHDR_OFF, 1, 0x180, LOAD_ADDR + 0x180, 0x80, 0x1000);
	return size;
}

static uint32_t too_many(void)
{
	uint32_t phoff = FILE_SIZE;

	/* Program headers after the code; segments 1.. are BSS pages. */
	build(LOAD_ADDR, BAD_STATUS);
	put32(28, phoff);
	put16(44, MAX_PHDRS);
	for (int i = 0; i < MAX_PHDRS; i++)
		phdr(phoff, i, 0, LOAD_ADDR + i * 0x1000, i ? 0 : FILE_SIZE,
		     0x1000);
	return phoff + MAX_PHDRS * 32;
}

static const struct kind kinds[] = {
	{ "good", "valid image that exits with status 0", good },
	{ "bad-magic", "header magic off by one bit", bad_magic },
	{ "bad-checksum", "header checksum off by one", bad_checksum },
	{ "truncated", "file shorter than its segment", truncated },
	{ "outside-ram", "segment at 1 GiB, beyond any guest RAM",
	  outside_ram },
	{ "overlap", "two segments overlap", overlap },
	{ "vga-hole", "segment in the [0xA0000, 0x100000) hole", vga_hole },
	{ "too-many", "17 loadable segments", too_many },
};

static int usage(void)
{
	fprintf(stderr, "usage: mkbadimage <kind> <out>\nkinds:\n");
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		fprintf(stderr, "  %-13s %s\n", kinds[i].name, kinds[i].what);
	return 2;
}

int main(int argc, char **argv)
{
	const struct kind *k = NULL;
	uint32_t size;
	FILE *f;

	if (argc != 3)
		return usage();
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(argv[1], kinds[i].name))
			k = &kinds[i];
	if (!k)
		return usage();

	size = k->make();
	f = fopen(argv[2], "wb");
	if (!f) {
		perror(argv[2]);
		return 1;
	}
	if (fwrite(img, 1, size, f) != size || fclose(f)) {
		perror(argv[2]);
		return 1;
	}
	return 0;
}
