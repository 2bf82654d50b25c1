// SPDX-License-Identifier: MIT
/*
 * Host tests for hv/load/mb_image.c and mb_info.c: every class of malformed
 * image mb_parse() must refuse, the a.out-kludge and ELF paths, and the
 * info block layout.
 */
#define UNIT_SUITE "multiboot"
#include "unit.h"

#include <string.h>
#include <lib/errno.h>
#include <hv/load/multiboot.h>

#define RAM_TOP		(64ull << 20)
#define IMG_CAP		0x6000
#define MB_OFF		0x200	/* header after the ELF and program headers */

static u8 img[IMG_CAP];
static struct mb_image mb;
static char err[256];

static void put16(u64 off, u16 v)
{
	memcpy(img + off, &v, 2);
}

static void put32(u64 off, u32 v)
{
	memcpy(img + off, &v, 4);
}

static void mb_header(u64 off, u32 flags)
{
	put32(off, MB_HEADER_MAGIC);
	put32(off + 4, flags);
	put32(off + 8, -(MB_HEADER_MAGIC + flags));
}

static void aout_fields(u64 hdr, u32 header_addr, u32 load_addr,
			u32 load_end, u32 bss_end, u32 entry)
{
	put32(hdr + 12, header_addr);
	put32(hdr + 16, load_addr);
	put32(hdr + 20, load_end);
	put32(hdr + 24, bss_end);
	put32(hdr + 28, entry);
}

static void elf_header(u16 phnum, u32 entry, u32 phoff)
{
	memcpy(img, "\x7f" "ELF", 4);
	img[4] = 1;		/* ELFCLASS32 */
	img[5] = 1;		/* ELFDATA2LSB */
	img[6] = 1;		/* EV_CURRENT */
	put16(16, 2);		/* ET_EXEC */
	put16(18, 3);		/* EM_386 */
	put32(20, 1);
	put32(24, entry);
	put32(28, phoff);
	put16(40, 52);
	put16(42, 32);
	put16(44, phnum);
}

static void elf_phdr(u32 phoff, int i, u32 type, u32 off, u32 vaddr,
		     u32 paddr, u32 filesz, u32 memsz)
{
	u64 ph = phoff + (u64)i * 32;

	put32(ph, type);
	put32(ph + 4, off);
	put32(ph + 8, vaddr);
	put32(ph + 12, paddr);
	put32(ph + 16, filesz);
	put32(ph + 20, memsz);
	put32(ph + 24, 5);
	put32(ph + 28, 0x1000);
}

/*
 * The reference ELF image: text at 1 MiB from file offset 0 (so the ELF
 * and Multiboot headers are loaded too, as real kernels do), data plus
 * BSS at 0x101000.  Tests break one thing at a time.
 */
#define ELF_SIZE	0x1800

static u64 make_elf(void)
{
	memset(img, 0, sizeof(img));
	elf_header(2, 0x100100, 52);
	elf_phdr(52, 0, 1, 0, 0x100000, 0x100000, 0x1000, 0x1000);
	elf_phdr(52, 1, 1, 0x1000, 0x101000, 0x101000, 0x800, 0x3000);
	mb_header(MB_OFF, MB_HDR_PAGE_ALIGN | MB_HDR_MEMORY_INFO);
	return ELF_SIZE;
}

/* Reference a.out-kludge image: header at 0x40, loaded at 2 MiB. */
#define AOUT_HDR	0x40
#define AOUT_SIZE	0x1000

static u64 make_aout(void)
{
	memset(img, 0, sizeof(img));
	mb_header(AOUT_HDR, MB_HDR_AOUT_KLUDGE | MB_HDR_MEMORY_INFO);
	aout_fields(AOUT_HDR, 0x200040, 0x200000, 0, 0x204000, 0x200060);
	return AOUT_SIZE;
}

static int parse(u64 size)
{
	memset(err, 'X', sizeof(err));
	return mb_parse(img, size, RAM_TOP, &mb, err, sizeof(err));
}

static bool err_has(const char *s)
{
	if (!strstr(err, s)) {
		fprintf(stderr, "  message '%s' lacks '%s'\n", err, s);
		return false;
	}
	return true;
}

static void test_elf_valid(void)
{
	CHECK_EQ(parse(make_elf()), 0);
	CHECK_EQ(err[0], '\0');
	CHECK_EQ(mb.entry, 0x100100);
	CHECK_EQ(mb.nr_segs, 2);
	CHECK_EQ(mb.segs[0].gpa, 0x100000);
	CHECK_EQ(mb.segs[0].file_off, 0);
	CHECK_EQ(mb.segs[0].filesz, 0x1000);
	CHECK_EQ(mb.segs[0].memsz, 0x1000);
	CHECK_EQ(mb.segs[1].gpa, 0x101000);
	CHECK_EQ(mb.segs[1].file_off, 0x1000);
	CHECK_EQ(mb.segs[1].filesz, 0x800);
	CHECK_EQ(mb.segs[1].memsz, 0x3000);
	CHECK_EQ(mb.load_lo, 0x100000);
	CHECK_EQ(mb.load_hi, 0x104000);
	CHECK_EQ(mb.flags, MB_HDR_PAGE_ALIGN | MB_HDR_MEMORY_INFO);
}

static void test_elf_higher_half_entry(void)
{
	/* Linked at 0xC0100000, loaded at 1 MiB: entry is translated. */
	make_elf();
	elf_phdr(52, 0, 1, 0, 0xC0100000, 0x100000, 0x1000, 0x1000);
	put32(24, 0xC0100200);
	CHECK_EQ(parse(ELF_SIZE), 0);
	CHECK_EQ(mb.entry, 0x100200);
}

static void test_elf_skips_non_load_and_empty(void)
{
	make_elf();
	elf_header(4, 0x100100, 52);
	elf_phdr(52, 2, 4, 0x100, 0, 0, 0x20, 0x20);	/* PT_NOTE */
	elf_phdr(52, 3, 1, 0, 0x900000, 0x900000, 0, 0); /* empty PT_LOAD */
	CHECK_EQ(parse(ELF_SIZE), 0);
	CHECK_EQ(mb.nr_segs, 2);
	CHECK_EQ(mb.load_hi, 0x104000);
}

static void test_elf_low_memory_ok(void)
{
	/* [0, 640 KiB) is guest RAM too; ending exactly at ram_top is ok. */
	make_elf();
	elf_phdr(52, 0, 1, 0, 0x8000, 0x8000, 0x1000, 0x98000);
	elf_phdr(52, 1, 1, 0x1000, RAM_TOP - 0x3000, RAM_TOP - 0x3000,
		 0x800, 0x3000);
	put32(24, 0x8100);
	CHECK_EQ(parse(ELF_SIZE), 0);
	CHECK_EQ(mb.load_lo, 0x8000);
	CHECK_EQ(mb.load_hi, RAM_TOP);
}

static void test_bad_magic(void)
{
	make_elf();
	put32(MB_OFF, MB_HEADER_MAGIC + 1);
	CHECK_EQ(parse(ELF_SIZE), -ENOEXEC);
	CHECK(err_has("no Multiboot header in first 8192 bytes"));
}

static void test_bad_checksum(void)
{
	make_elf();
	put32(MB_OFF + 8, -(MB_HEADER_MAGIC + 3) + 1);
	CHECK_EQ(parse(ELF_SIZE), -ENOEXEC);
	CHECK(err_has("bad header checksum at 0x200"));
}

static void test_chance_magic_skipped(void)
{
	/* A stray magic word before the real header is not the header. */
	make_elf();
	put32(MB_OFF - 16, MB_HEADER_MAGIC);
	put32(MB_OFF - 12, 0x12345678);
	CHECK_EQ(parse(ELF_SIZE), 0);
	CHECK_EQ(mb.flags, MB_HDR_PAGE_ALIGN | MB_HDR_MEMORY_INFO);
}

static void test_header_unaligned(void)
{
	make_elf();
	memset(img + MB_OFF, 0, 12);
	mb_header(MB_OFF + 2, 0);
	CHECK_EQ(parse(ELF_SIZE), -ENOEXEC);
	CHECK(err_has("no Multiboot header"));
}

static void test_header_past_8k(void)
{
	u64 size = 0x2100;

	make_elf();
	memset(img + MB_OFF, 0, 12);
	mb_header(8192, 0);
	CHECK_EQ(parse(size), -ENOEXEC);
	CHECK(err_has("no Multiboot header in first 8192 bytes"));

	/* Starts inside the window but its 12 bytes do not fit. */
	memset(img + 8192, 0, 12);
	mb_header(8188, 0);
	CHECK_EQ(parse(size), -ENOEXEC);

	/* Last position that fits entirely. */
	memset(img + 8188, 0, 12);
	mb_header(8180, 0);
	CHECK_EQ(parse(size), 0);
}

static void test_aout_header_past_8k(void)
{
	/* The a.out-kludge header is 32 bytes: at 8168 it ends at 8200. */
	make_aout();
	memset(img + AOUT_HDR, 0, 32);
	mb_header(8168, MB_HDR_AOUT_KLUDGE);
	aout_fields(8168, 0x200000 + 8168, 0x200000, 0, 0, 0x200060);
	CHECK_EQ(parse(0x3000), -ENOEXEC);
	CHECK(err_has("extends past first 8192 bytes"));

	/* Same at the end of a short file. */
	make_aout();
	CHECK_EQ(parse(AOUT_HDR + 20), -ENOEXEC);
	CHECK(err_has("extends past end of file"));
}

static void test_tiny_files(void)
{
	make_elf();
	CHECK_EQ(mb_parse(img, 0, RAM_TOP, &mb, err, sizeof(err)), -ENOEXEC);
	CHECK_EQ(parse(11), -ENOEXEC);
	mb_header(0, 0);
	CHECK_EQ(parse(12), -ENOEXEC);
	CHECK(err_has("not an ELF file"));
}

static void test_truncated_segment(void)
{
	make_elf();
	CHECK_EQ(parse(0x17ff), -ENOEXEC);
	CHECK(err_has("file truncated: segment 1 needs bytes up to 0x1800 "
		      "but file is 0x17ff"));
}

static void test_truncated_phdrs(void)
{
	make_elf();
	put32(28, 0x17f0);	/* phoff: 2 headers need 0x1830 */
	CHECK_EQ(parse(ELF_SIZE), -ENOEXEC);
	CHECK(err_has("file truncated: program headers"));
}

static void test_segment_offset_overflow(void)
{
	/* p_offset + p_filesz wraps in 32 bits: still truncated. */
	make_elf();
	elf_phdr(52, 1, 1, 0xfffff000, 0x101000, 0x101000, 0x2000, 0x3000);
	CHECK_EQ(parse(ELF_SIZE), -ENOEXEC);
	CHECK(err_has("file truncated"));
}

static void test_filesz_above_memsz(void)
{
	make_elf();
	elf_phdr(52, 1, 1, 0x1000, 0x101000, 0x101000, 0x800, 0x400);
	CHECK_EQ(parse(ELF_SIZE), -ENOEXEC);
	CHECK(err_has("segment 1: file size 0x800 exceeds memory size 0x400"));
}

static void test_outside_ram(void)
{
	make_elf();
	elf_phdr(52, 1, 1, 0x1000, RAM_TOP - 0x2000, RAM_TOP - 0x2000,
		 0x800, 0x3000);
	CHECK_EQ(parse(ELF_SIZE), -ERANGE);
	CHECK(err_has("segment 1 [0x3ffe000,0x4001000) outside guest RAM"));

	make_elf();
	elf_phdr(52, 1, 1, 0x1000, 0x80000000, 0x80000000, 0x800, 0x3000);
	CHECK_EQ(parse(ELF_SIZE), -ERANGE);
}

static void test_vga_hole(void)
{
	static const u32 bad[][2] = {
		{ 0xA0000, 0x1000 },	/* inside */
		{ 0x9F000, 0x2000 },	/* straddles 640 KiB */
		{ 0xFF000, 0x2000 },	/* straddles 1 MiB */
		{ 0x90000, 0x80000 },	/* spans the whole hole */
	};

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		make_elf();
		elf_phdr(52, 1, 1, 0x1000, bad[i][0], bad[i][0], 0x800,
			 bad[i][1]);
		CHECK_EQ(parse(ELF_SIZE), -ERANGE);
		CHECK(err_has("outside guest RAM"));
	}
}

static void test_above_4g(void)
{
	/* Plenty of RAM, but a 32-bit guest cannot reach past 4 GiB. */
	make_elf();
	elf_phdr(52, 1, 1, 0x1000, 0xfffff000, 0xfffff000, 0x800, 0x2000);
	CHECK_EQ(mb_parse(img, ELF_SIZE, 8ull << 30, &mb, err, sizeof(err)),
		 -ERANGE);
}

static void test_overlap(void)
{
	make_elf();
	elf_phdr(52, 1, 1, 0x1000, 0x100800, 0x100800, 0x800, 0x3000);
	CHECK_EQ(parse(ELF_SIZE), -EINVAL);
	CHECK(err_has("segments 0 and 1 overlap"));

	/* Overlap through the BSS of the later segment, listed first. */
	make_elf();
	elf_phdr(52, 0, 1, 0x1000, 0x0ff000, 0xff000, 0x800, 0x3000);
	elf_phdr(52, 1, 1, 0, 0x101000, 0x101000, 0x1000, 0x1000);
	put32(24, 0x101100);
	CHECK_EQ(parse(ELF_SIZE), -ERANGE);	/* 0xff000 is in the hole */
	elf_phdr(52, 0, 1, 0x1000, 0x100000, 0x100000, 0x800, 0x1001);
	CHECK_EQ(parse(ELF_SIZE), -EINVAL);
	CHECK(err_has("segments 0 and 1 overlap"));

	/* Touching is fine. */
	elf_phdr(52, 0, 1, 0x1000, 0x100000, 0x100000, 0x800, 0x1000);
	CHECK_EQ(parse(ELF_SIZE), 0);
}

static void build_many(int n)
{
	/* Segment 0 holds the file's first page, the rest are BSS only. */
	make_elf();
	elf_header(n, 0x100100, 0x1000);
	for (int i = 0; i < n; i++)
		elf_phdr(0x1000, i, 1, 0, 0x100000 + i * 0x1000,
			 0x100000 + i * 0x1000, i ? 0 : 0x1000, 0x1000);
}

static void test_too_many_segments(void)
{
	build_many(MB_MAX_SEGS);
	CHECK_EQ(parse(ELF_SIZE), 0);
	CHECK_EQ(mb.nr_segs, MB_MAX_SEGS);
	CHECK_EQ(mb.load_hi, 0x100000 + MB_MAX_SEGS * 0x1000);

	build_many(MB_MAX_SEGS + 1);
	CHECK_EQ(parse(ELF_SIZE + 0x800), -E2BIG);
	CHECK(err_has("too many loadable segments"));

	make_elf();
	put16(44, 0xffff);
	CHECK_EQ(parse(ELF_SIZE), -E2BIG);
}

static void test_elf_bad_ident(void)
{
	make_elf();
	img[4] = 2;		/* ELFCLASS64 */
	CHECK_EQ(parse(ELF_SIZE), -ENOEXEC);
	CHECK(err_has("ELF class 2 not supported"));

	make_elf();
	img[5] = 2;		/* big-endian */
	CHECK_EQ(parse(ELF_SIZE), -ENOEXEC);
	CHECK(err_has("little-endian"));

	make_elf();
	img[6] = 0;
	CHECK_EQ(parse(ELF_SIZE), -ENOEXEC);
	CHECK(err_has("ELF version 0"));

	make_elf();
	img[0] = 0;
	CHECK_EQ(parse(ELF_SIZE), -ENOEXEC);
	CHECK(err_has("not an ELF file and no a.out kludge"));
}

static void test_elf_bad_type_machine(void)
{
	make_elf();
	put16(18, 62);		/* EM_X86_64 */
	CHECK_EQ(parse(ELF_SIZE), -ENOEXEC);
	CHECK(err_has("ELF machine 62 not supported"));

	make_elf();
	put16(16, 3);		/* ET_DYN */
	CHECK_EQ(parse(ELF_SIZE), -ENOEXEC);
	CHECK(err_has("ELF type 3"));

	make_elf();
	put16(42, 16);
	CHECK_EQ(parse(ELF_SIZE), -ENOEXEC);
	CHECK(err_has("program header size 16"));
}

static void test_elf_no_segments_or_entry(void)
{
	make_elf();
	put16(44, 0);
	CHECK_EQ(parse(ELF_SIZE), -ENOEXEC);
	CHECK(err_has("no program headers"));

	make_elf();
	put32(52, 4);
	put32(52 + 32, 4);
	CHECK_EQ(parse(ELF_SIZE), -ENOEXEC);
	CHECK(err_has("no loadable segments"));

	/* Entry in BSS: nothing there to execute. */
	make_elf();
	put32(24, 0x101900);
	CHECK_EQ(parse(ELF_SIZE), -ENOEXEC);
	CHECK(err_has("entry point 0x101900"));
}

static void test_required_flags(void)
{
	make_elf();
	mb_header(MB_OFF, MB_HDR_VIDEO_MODE);
	CHECK_EQ(parse(ELF_SIZE), -ENOEXEC);
	CHECK(err_has("video mode"));

	make_elf();
	mb_header(MB_OFF, BIT(5) | MB_HDR_PAGE_ALIGN);
	CHECK_EQ(parse(ELF_SIZE), -ENOEXEC);
	CHECK(err_has("unsupported required flags 0x20"));

	/* Optional bits the loader does not know are ignored. */
	make_elf();
	mb_header(MB_OFF, BIT(20) | MB_HDR_MEMORY_INFO);
	CHECK_EQ(parse(ELF_SIZE), 0);
	CHECK_EQ(mb.flags, BIT(20) | MB_HDR_MEMORY_INFO);
}

static void test_aout_valid(void)
{
	CHECK_EQ(parse(make_aout()), 0);
	CHECK_EQ(mb.entry, 0x200060);
	CHECK_EQ(mb.nr_segs, 1);
	CHECK_EQ(mb.segs[0].gpa, 0x200000);
	CHECK_EQ(mb.segs[0].file_off, 0);
	CHECK_EQ(mb.segs[0].filesz, AOUT_SIZE);
	CHECK_EQ(mb.segs[0].memsz, 0x4000);
	CHECK_EQ(mb.load_lo, 0x200000);
	CHECK_EQ(mb.load_hi, 0x204000);

	/* The kludge wins even over a valid-looking ELF header. */
	elf_header(0, 0, 0);
	CHECK_EQ(parse(AOUT_SIZE), 0);
	CHECK_EQ(mb.segs[0].gpa, 0x200000);
}

static void test_aout_offset_and_end(void)
{
	/* Text starts 0x20 into the file; explicit load_end, no BSS. */
	make_aout();
	aout_fields(AOUT_HDR, 0x300020, 0x300000, 0x300800, 0, 0x300100);
	CHECK_EQ(parse(AOUT_SIZE), 0);
	CHECK_EQ(mb.segs[0].file_off, 0x20);
	CHECK_EQ(mb.segs[0].filesz, 0x800);
	CHECK_EQ(mb.segs[0].memsz, 0x800);
}

static void test_aout_bad_addresses(void)
{
	make_aout();
	aout_fields(AOUT_HDR, 0x200040, 0x200080, 0, 0, 0x200080);
	CHECK_EQ(parse(AOUT_SIZE), -ENOEXEC);
	CHECK(err_has("load_addr 0x200080 above header_addr 0x200040"));

	/* Would need the text to start before the file does. */
	make_aout();
	aout_fields(AOUT_HDR, 0x200040, 0x1ff000, 0, 0, 0x200060);
	CHECK_EQ(parse(AOUT_SIZE), -ENOEXEC);
	CHECK(err_has("header is at file offset 0x40"));

	make_aout();
	aout_fields(AOUT_HDR, 0x200040, 0x200000, 0x200000, 0, 0x200000);
	CHECK_EQ(parse(AOUT_SIZE), -ENOEXEC);
	CHECK(err_has("load_end_addr 0x200000 not above"));

	make_aout();
	aout_fields(AOUT_HDR, 0x200040, 0x200000, 0x200800, 0x200400,
		    0x200060);
	CHECK_EQ(parse(AOUT_SIZE), -ENOEXEC);
	CHECK(err_has("bss_end_addr 0x200400 below"));
}

static void test_aout_truncated(void)
{
	make_aout();
	aout_fields(AOUT_HDR, 0x200040, 0x200000, 0x201001, 0, 0x200060);
	CHECK_EQ(parse(AOUT_SIZE), -ENOEXEC);
	CHECK(err_has("file truncated: segment 0 needs bytes up to 0x1001 "
		      "but file is 0x1000"));
}

static void test_aout_entry(void)
{
	make_aout();
	aout_fields(AOUT_HDR, 0x200040, 0x200000, 0, 0x204000, 0x202000);
	CHECK_EQ(parse(AOUT_SIZE), -ENOEXEC);	/* in BSS */
	CHECK(err_has("entry_addr 0x202000 outside loaded range"));

	aout_fields(AOUT_HDR, 0x200040, 0x200000, 0, 0, 0x1fffff);
	CHECK_EQ(parse(AOUT_SIZE), -ENOEXEC);
}

static void test_aout_outside_ram(void)
{
	make_aout();
	aout_fields(AOUT_HDR, 0xA0040, 0xA0000, 0, 0, 0xA0060);
	CHECK_EQ(parse(AOUT_SIZE), -ERANGE);
	CHECK(err_has("segment 0 [0xa0000,0xa1000) outside guest RAM"));

	make_aout();
	aout_fields(AOUT_HDR, 0x200040, 0x200000, 0, 0xfffff000, 0x200060);
	CHECK_EQ(parse(AOUT_SIZE), -ERANGE);
}

static void test_error_buffer(void)
{
	char small[8];

	make_elf();
	put32(MB_OFF, 0);
	CHECK_EQ(mb_parse(img, ELF_SIZE, RAM_TOP, &mb, NULL, 0), -ENOEXEC);
	memset(small, 'X', sizeof(small));
	CHECK_EQ(mb_parse(img, ELF_SIZE, RAM_TOP, &mb, small, sizeof(small)),
		 -ENOEXEC);
	CHECK_EQ(memcmp(small, "no Mult", 8), 0);	/* NUL at [7] */

	/* A failed parse leaves no segments behind. */
	CHECK_EQ(parse(make_elf()), 0);
	put32(24, 0);
	CHECK_EQ(parse(ELF_SIZE), -ENOEXEC);
	CHECK_EQ(mb.nr_segs, 0);
	CHECK_EQ(mb.entry, 0);
}

/* ---- mb_build_info ---- */

#define BUF_GPA		0x9000
static u8 buf[1024];

static const struct mb_ram_range std_ram[] = {
	{ 0x100000, RAM_TOP - 0x100000 },	/* deliberately unsorted */
	{ 0, 0xA0000 },
};

static u32 rd32(u32 gpa)
{
	u32 v;

	memcpy(&v, buf + (gpa - BUF_GPA), 4);
	return v;
}

static u64 rd64(u32 gpa)
{
	u64 v;

	memcpy(&v, buf + (gpa - BUF_GPA), 8);
	return v;
}

static const char *str_at(u32 gpa)
{
	return (const char *)buf + (gpa - BUF_GPA);
}

static void check_mmap(u32 at, u64 base, u64 len, u32 type)
{
	CHECK_EQ(rd32(at), 20);
	CHECK_EQ(rd64(at + 4), base);
	CHECK_EQ(rd64(at + 12), len);
	CHECK_EQ(rd32(at + 20), type);
}

static void test_info_layout(void)
{
	const struct mb_mod_req mods[] = {
		{ 0x400000, 0x401234, "initrd" },
		{ 0x402000, 0x402000, NULL },
	};
	struct mb_info_req req = {
		.ram = std_ram, .nr_ram = 2, .cmdline = "console=ttyS0 x",
		.mods = mods, .nr_mods = 2,
	};
	u32 info = 0, mmap, m;

	memset(buf, 0xcc, sizeof(buf));
	CHECK_EQ(mb_build_info(&req, buf, BUF_GPA, sizeof(buf), &info), 0);
	CHECK_EQ(info, BUF_GPA);
	CHECK_EQ(rd32(info), MB_INFO_MEMORY | MB_INFO_CMDLINE | MB_INFO_MODS |
		 MB_INFO_MEM_MAP | MB_INFO_BOOT_LOADER_NAME);
	CHECK_EQ(rd32(info + 4), 640);
	CHECK_EQ(rd32(info + 8), (RAM_TOP - 0x100000) / 1024);
	CHECK(!strcmp(str_at(rd32(info + 16)), "console=ttyS0 x"));
	CHECK(!strcmp(str_at(rd32(info + 64)), "Aperture"));

	/* Memory map, sorted: low RAM, the hole, high RAM. */
	mmap = rd32(info + 48);
	CHECK_EQ(rd32(info + 44), 3 * 24);
	CHECK(mmap >= BUF_GPA + 88 && mmap + 72 <= BUF_GPA + sizeof(buf));
	check_mmap(mmap, 0, 0xA0000, MB_MMAP_AVAILABLE);
	check_mmap(mmap + 24, 0xA0000, 0x60000, MB_MMAP_RESERVED);
	check_mmap(mmap + 48, 0x100000, RAM_TOP - 0x100000,
		   MB_MMAP_AVAILABLE);

	CHECK_EQ(rd32(info + 20), 2);
	m = rd32(info + 24);
	CHECK_EQ(rd32(m), 0x400000);
	CHECK_EQ(rd32(m + 4), 0x401234);
	CHECK(!strcmp(str_at(rd32(m + 8)), "initrd"));
	CHECK_EQ(rd32(m + 12), 0);
	CHECK_EQ(rd32(m + 16), 0x402000);
	CHECK(!strcmp(str_at(rd32(m + 24)), ""));
}

static void test_info_exact_size(void)
{
	const struct mb_mod_req mod = { 0x400000, 0x401000, "m" };
	struct mb_info_req req = {
		.ram = std_ram, .nr_ram = 2, .cmdline = NULL,
		.mods = &mod, .nr_mods = 1,
	};
	u32 info, need = 0;

	for (u32 s = 0; s <= sizeof(buf) && !need; s++) {
		memset(buf, 0xcc, sizeof(buf));
		if (!mb_build_info(&req, buf, BUF_GPA, s, &info))
			need = s;
		else
			CHECK(buf[0] == 0xcc);	/* nothing written */
	}
	/* Header, 3 map entries, 1 module, "", "m", "Aperture". */
	CHECK_EQ(need, 88 + 72 + 16 + 1 + 2 + 9);
	CHECK_EQ(mb_build_info(&req, buf, BUF_GPA, need - 1, &info), -ENOSPC);
	CHECK(!strcmp(str_at(rd32(BUF_GPA + 16)), ""));
	CHECK(rd32(BUF_GPA) & MB_INFO_CMDLINE);
}

static void test_info_mem_upper_runs(void)
{
	const struct mb_ram_range touching[] = {
		{ 0x100000, 0xF00000 },
		{ 0x1000000, 0x1000000 },	/* continues the first */
		{ 0x3000000, 0x1000000 },	/* after a gap */
	};
	const struct mb_ram_range no_low[] = { { 0x100000, 0x100000 } };
	struct mb_info_req req = { .ram = touching, .nr_ram = 3 };
	u32 info;

	CHECK_EQ(mb_build_info(&req, buf, BUF_GPA, sizeof(buf), &info), 0);
	CHECK_EQ(rd32(info + 8), (0x2000000 - 0x100000) / 1024);
	CHECK_EQ(rd32(info + 4), 0);
	CHECK_EQ(rd32(info + 44), 4 * 24);
	check_mmap(rd32(info + 48), 0xA0000, 0x60000, MB_MMAP_RESERVED);
	check_mmap(rd32(info + 48) + 72, 0x3000000, 0x1000000,
		   MB_MMAP_AVAILABLE);

	req.ram = no_low;
	req.nr_ram = 1;
	CHECK_EQ(mb_build_info(&req, buf, BUF_GPA, sizeof(buf), &info), 0);
	CHECK_EQ(rd32(info + 8), 1024);
}

static void test_info_bad_requests(void)
{
	const struct mb_ram_range overlap[] = {
		{ 0x100000, 0x200000 }, { 0x200000, 0x1000 },
	};
	const struct mb_ram_range in_hole[] = { { 0x9F000, 0x2000 } };
	const struct mb_ram_range empty[] = { { 0x100000, 0 } };
	const struct mb_ram_range wrap[] = { { ~0ull - 0xfff, 0x2000 } };
	const struct mb_mod_req backwards = { 0x401000, 0x400000, "m" };
	struct mb_info_req req = { .ram = std_ram, .nr_ram = 2 };
	u32 info;

	CHECK_EQ(mb_build_info(&req, buf, BUF_GPA + 2, sizeof(buf), &info),
		 -EINVAL);
	CHECK_EQ(mb_build_info(&req, buf, 0xfffffe00, sizeof(buf), &info),
		 -EINVAL);
	req.ram = overlap;
	CHECK_EQ(mb_build_info(&req, buf, BUF_GPA, sizeof(buf), &info),
		 -EINVAL);
	req.ram = in_hole;
	req.nr_ram = 1;
	CHECK_EQ(mb_build_info(&req, buf, BUF_GPA, sizeof(buf), &info),
		 -EINVAL);
	req.ram = empty;
	CHECK_EQ(mb_build_info(&req, buf, BUF_GPA, sizeof(buf), &info),
		 -EINVAL);
	req.ram = wrap;
	CHECK_EQ(mb_build_info(&req, buf, BUF_GPA, sizeof(buf), &info),
		 -EINVAL);
	req.ram = std_ram;
	req.nr_ram = 2;
	req.mods = &backwards;
	req.nr_mods = 1;
	CHECK_EQ(mb_build_info(&req, buf, BUF_GPA, sizeof(buf), &info),
		 -EINVAL);
}

int main(void)
{
	RUN(test_elf_valid);
	RUN(test_elf_higher_half_entry);
	RUN(test_elf_skips_non_load_and_empty);
	RUN(test_elf_low_memory_ok);
	RUN(test_bad_magic);
	RUN(test_bad_checksum);
	RUN(test_chance_magic_skipped);
	RUN(test_header_unaligned);
	RUN(test_header_past_8k);
	RUN(test_aout_header_past_8k);
	RUN(test_tiny_files);
	RUN(test_truncated_segment);
	RUN(test_truncated_phdrs);
	RUN(test_segment_offset_overflow);
	RUN(test_filesz_above_memsz);
	RUN(test_outside_ram);
	RUN(test_vga_hole);
	RUN(test_above_4g);
	RUN(test_overlap);
	RUN(test_too_many_segments);
	RUN(test_elf_bad_ident);
	RUN(test_elf_bad_type_machine);
	RUN(test_elf_no_segments_or_entry);
	RUN(test_required_flags);
	RUN(test_aout_valid);
	RUN(test_aout_offset_and_end);
	RUN(test_aout_bad_addresses);
	RUN(test_aout_truncated);
	RUN(test_aout_entry);
	RUN(test_aout_outside_ram);
	RUN(test_error_buffer);
	RUN(test_info_layout);
	RUN(test_info_exact_size);
	RUN(test_info_mem_upper_runs);
	RUN(test_info_bad_requests);
	return unit_done();
}
