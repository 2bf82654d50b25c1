// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for mb_parse(): no input may make it read outside the
 * image (ASan sees to that, as libFuzzer's buffer is exactly the input),
 * and whatever it accepts must satisfy every promise mb_parse() makes.
 * Accepted images are then fed to mb_build_info() with a module per
 * segment, so the info builder sees odd but legal requests too.
 *
 *	clang -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined -I. \
 *	    -Iinclude test/fuzz/multiboot_fuzz.c hv/load/mb_image.c \
 *	    hv/load/mb_info.c lib/printf.c
 *	./a.out -runs=1000000 CORPUS_DIR
 *
 * test/tools/mkbadimage writes good seeds for CORPUS_DIR.
 */
#include <stdlib.h>
#include <string.h>
#include <lib/errno.h>
#include <hv/load/multiboot.h>

#define RAM_TOP		(64ull << 20)

#define ASSERT(c)	do { if (!(c)) __builtin_trap(); } while (0)

static bool in_ram(u64 gpa, u64 len)
{
	u64 end = gpa + len;

	return end <= RAM_TOP &&
	       (end <= PC_LOW_RAM_END || gpa >= PC_HIGH_RAM_START);
}

static void check_accepted(const struct mb_image *mb, u64 size)
{
	bool entry_ok = false;

	ASSERT(mb->nr_segs >= 1 && mb->nr_segs <= MB_MAX_SEGS);
	ASSERT(!(mb->flags & MB_HDR_REQUIRED_MASK & ~MB_HDR_SUPPORTED));
	for (u32 i = 0; i < mb->nr_segs; i++) {
		const struct mb_seg *s = &mb->segs[i];

		ASSERT(s->filesz <= s->memsz && s->memsz > 0);
		ASSERT((u64)s->file_off + s->filesz <= size);
		ASSERT(in_ram(s->gpa, s->memsz));
		ASSERT(s->gpa >= mb->load_lo);
		ASSERT((u64)s->gpa + s->memsz <= mb->load_hi);
		for (u32 j = 0; j < i; j++)
			ASSERT((u64)s->gpa >= (u64)mb->segs[j].gpa +
						 mb->segs[j].memsz ||
			       (u64)mb->segs[j].gpa >= (u64)s->gpa + s->memsz);
		if (mb->entry >= s->gpa &&
		    (u64)mb->entry < (u64)s->gpa + s->filesz)
			entry_ok = true;
	}
	ASSERT(entry_ok);
}

static void build_info(const struct mb_image *mb)
{
	static u8 buf[4096];
	const struct mb_ram_range ram[] = {
		{ 0, PC_LOW_RAM_END },
		{ PC_HIGH_RAM_START, RAM_TOP - PC_HIGH_RAM_START },
	};
	struct mb_mod_req mods[MB_MAX_SEGS];
	struct mb_info_req req = {
		.ram = ram, .nr_ram = 2, .cmdline = "fuzz",
		.mods = mods, .nr_mods = mb->nr_segs,
	};
	struct mb_info info;
	u32 info_gpa;

	for (u32 i = 0; i < mb->nr_segs; i++)
		mods[i] = (struct mb_mod_req){
			.start = mb->segs[i].gpa,
			.end = mb->segs[i].gpa + mb->segs[i].memsz,
			.string = i & 1 ? NULL : "mod",
		};
	ASSERT(!mb_build_info(&req, buf, 0x1000, sizeof(buf), &info_gpa));
	memcpy(&info, buf, sizeof(info));
	ASSERT(info_gpa == 0x1000 && info.mods_count == mb->nr_segs);
	ASSERT(info.mmap_length == 3 * sizeof(struct mb_mmap_entry));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mb_image mb;
	char err[160];
	int ret;

	memset(err, 'X', sizeof(err));
	ret = mb_parse(data, size, RAM_TOP, &mb, err, sizeof(err));
	ASSERT(memchr(err, '\0', sizeof(err)));
	if (ret) {
		ASSERT(ret == -ENOEXEC || ret == -E2BIG || ret == -ERANGE ||
		       ret == -EINVAL);
		ASSERT(err[0] != '\0' && mb.nr_segs == 0);
		return 0;
	}
	ASSERT(err[0] == '\0');
	check_accepted(&mb, size);
	build_info(&mb);
	return 0;
}
