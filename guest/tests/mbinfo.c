// SPDX-License-Identifier: MIT
/*
 * The Multiboot information Aperture builds (Multiboot Specification
 * 0.6.96, section 3.3) for guest RAM [0, 640K) + [1M, top), started with
 * the command line "mbinfo test=1".
 */
#include "multiboot.h"
#include "string.h"
#include "test.h"

#define WANT_CMDLINE		"mbinfo test=1"
#define WANT_LOADER		"Aperture"
#define LOW_MEM_KIB		640
#define HIGH_RAM_BASE		0x100000u
#define MMAP_ENTRY_MIN_SIZE	20	/* addr, len, type after the size */

extern char _end[];	/* guest.ld: end of the image including .bss */

struct ram_check {
	u64 low_len;		/* length of the available entry at 0 */
	u64 high_len;		/* length of the available entry at 1 MiB */
	u32 entries;
};

static bool available_covers(const struct multiboot_info *mbi, u64 start,
			     u64 end)
{
	u32 off = 0;

	while (off < mbi->mmap_length) {
		const struct multiboot_mmap_entry *e =
			(const void *)(uintptr_t)(mbi->mmap_addr + off);

		if (e->type == MULTIBOOT_MEMORY_AVAILABLE &&
		    e->addr <= start && end <= e->addr + e->len)
			return true;
		off += e->size + sizeof(e->size);
	}
	return false;
}

/*
 * Walk the map, checking the structural rules: entries tile the buffer
 * exactly, have a sane size and non-zero length, and are sorted without
 * overlap (the spec does not demand sorting, but Aperture builds it so).
 */
static bool mmap_sane(const struct multiboot_info *mbi, struct ram_check *rc)
{
	u64 prev_end = 0;
	u32 off = 0;

	while (off < mbi->mmap_length) {
		const struct multiboot_mmap_entry *e =
			(const void *)(uintptr_t)(mbi->mmap_addr + off);

		if (mbi->mmap_length - off < sizeof(*e) ||
		    e->size < MMAP_ENTRY_MIN_SIZE || !e->len ||
		    e->addr < prev_end) {
			printf("  bad entry %u at offset %u: size=%u addr=%#llx len=%#llx\n",
			       rc->entries, off, e->size, e->addr, e->len);
			return false;
		}
		if (e->type == MULTIBOOT_MEMORY_AVAILABLE && e->addr == 0)
			rc->low_len = e->len;
		if (e->type == MULTIBOOT_MEMORY_AVAILABLE &&
		    e->addr == HIGH_RAM_BASE)
			rc->high_len = e->len;
		prev_end = e->addr + e->len;
		off += e->size + sizeof(e->size);
		rc->entries++;
	}
	return off == mbi->mmap_length && rc->entries;
}

static bool string_is(u32 gpa, const char *want)
{
	const char *got = (const char *)(uintptr_t)gpa;

	if (gpa && !strcmp(got, want))
		return true;
	printf("  got \"%s\", want \"%s\"\n", gpa ? got : "(null)", want);
	return false;
}

int main(u32 magic, struct multiboot_info *mbi)
{
	struct ram_check rc = { 0 };
	bool ok;
	u32 need = MULTIBOOT_INFO_MEMORY | MULTIBOOT_INFO_CMDLINE |
		   MULTIBOOT_INFO_MEM_MAP | MULTIBOOT_INFO_BOOT_LOADER_NAME;

	test_init("mbinfo");
	report(magic == MULTIBOOT_BOOTLOADER_MAGIC, "magic (%#x)", magic);
	if (!report((mbi->flags & need) == need, "flags (%#x)", mbi->flags))
		test_exit();

	report(mbi->mem_lower == LOW_MEM_KIB, "mem_lower (%u)", mbi->mem_lower);
	report(HIGH_RAM_BASE + (u64)mbi->mem_upper * 1024 >= (uintptr_t)_end,
	       "mem_upper_holds_image (%u KiB)", mbi->mem_upper);

	ok = mmap_sane(mbi, &rc);
	if (report(ok, "mmap_sane (%u entries)", rc.entries)) {
		report(rc.low_len == (u64)mbi->mem_lower * 1024,
		       "mmap_low_matches_mem_lower (%#llx)", rc.low_len);
		report(rc.high_len == (u64)mbi->mem_upper * 1024,
		       "mmap_high_matches_mem_upper (%#llx)", rc.high_len);
		report(available_covers(mbi, HIGH_RAM_BASE, (uintptr_t)_end),
		       "mmap_covers_image");
		report(available_covers(mbi, (uintptr_t)mbi,
					(uintptr_t)mbi + sizeof(*mbi)),
		       "mmap_covers_mbi");
	}

	report(string_is(mbi->cmdline, WANT_CMDLINE), "cmdline");
	report(string_is(mbi->boot_loader_name, WANT_LOADER),
	       "boot_loader_name");
	test_exit();
}
