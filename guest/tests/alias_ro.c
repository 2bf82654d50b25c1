// SPDX-License-Identifier: MIT
/*
 * A READONLY memslot, directly and through an alias: reads work, guest
 * writes are dropped (they take the MMIO path) and hypercalls may read it
 * but not write it.  Also checks that APERTURE_HC_GET_MEMSLOTS reports the
 * configured layout and that APERTURE_HC_GET_STATS counts.
 *
 * Config (test/emu/alias-suite.cfg): mem=16M
 *	slot=0xe0000000,64K,ro slot=0xe0100000,64K,dirty
 */
#include "hypercall.h"
#include "physmem.h"
#include "multiboot.h"
#include "string.h"
#include "test.h"

#define VGA		0xa0000u
#define ROM		0xe0000000u
#define ROM_SIZE	0x10000u
#define LOG		0xe0100000u
#define LOG_SIZE	0x10000u
#define PAGE		0x1000u
#define LOW_RAM_END	0xa0000u
#define HIGH_RAM	0x100000u
#define NR_SLOTS	4

static bool zeros(u32 base, u32 size)
{
	for (u32 off = 0; off < size; off += 4)
		if (phys_read32(base + off))
			return false;
	return true;
}

static void test_readonly(void)
{
	struct aperture_memory_alias *a;
	long ret;

	report(zeros(ROM, ROM_SIZE), "ro_reads_zero");
	phys_write32(ROM + 0x10, 0x12345678u);
	phys_write32(ROM + ROM_SIZE - 4, 0x9abcdef0u);
	report(phys_read32(ROM + 0x10) == 0 && phys_read32(ROM + ROM_SIZE - 4) == 0,
	       "ro_write_dropped");

	ret = alias_set(0, VGA, ROM_SIZE, ROM);
	report(ret == 0, "alias_onto_ro (%ld)", ret);
	report(zeros(VGA, ROM_SIZE), "ro_alias_reads_zero");
	phys_write32(VGA + 0x20, 0x55aa55aau);
	report(phys_read32(VGA + 0x20) == 0 && phys_read32(ROM + 0x20) == 0,
	       "ro_alias_write_dropped");

	/*
	 * Hypercalls may read a RO slot: an all-zero alias request there
	 * deletes alias slot 0, which is observable through the window.
	 */
	ret = hc1(APERTURE_HC_SET_MEMORY_ALIAS, ROM + PAGE);
	report(ret == 0 && phys_read32(VGA + 0x20) == 0xffffffffu,
	       "hypercall_reads_ro (%ld)", ret);
	/* ... but not write it: GET_MEMORY_ALIAS reads, then must write. */
	ret = hc1(APERTURE_HC_GET_MEMORY_ALIAS, ROM + PAGE);
	report(ret == -APERTURE_EFAULT, "get_alias_into_ro_efault (%ld)", ret);
	ret = hc1(APERTURE_HC_GET_STATS, ROM);
	report(ret == -APERTURE_EFAULT, "get_stats_into_ro_efault (%ld)", ret);
	report(zeros(ROM, ROM_SIZE), "ro_still_zero");

	a = (struct aperture_memory_alias *)(uintptr_t)(LOW_RAM_END - PAGE);
	memset(a, 0, sizeof(*a));
	ret = hc1(APERTURE_HC_GET_MEMORY_ALIAS, gpa_of(a));
	report(ret == 0, "get_alias_into_ram_ok (%ld)", ret);
}

static bool slot_is(const struct aperture_memslot *s, u32 flags, u64 gpa,
		    u64 size)
{
	if (s->flags == flags && s->guest_phys_addr == gpa &&
	    s->memory_size == size)
		return true;
	/* uint64_t is unsigned long in the 64-bit build: cast for %llx. */
	printf("  id %u flags %#x gpa %#llx size %#llx; want flags %#x gpa %#llx size %#llx\n",
	       s->id, s->flags, (unsigned long long)s->guest_phys_addr,
	       (unsigned long long)s->memory_size, flags,
	       (unsigned long long)gpa, (unsigned long long)size);
	return false;
}

static void test_memslots(u64 high_size)
{
	static struct aperture_memslot ms[NR_SLOTS + 1];
	bool ok, ids_unique = true;
	long ret;

	memset(ms, 0xee, sizeof(ms));
	ret = hc2(APERTURE_HC_GET_MEMSLOTS, gpa_of(ms), ARRAY_SIZE(ms));
	report(ret == NR_SLOTS, "memslots_count (%ld)", ret);
	/* Sorted by address: low RAM, high RAM, then the config's two. */
	ok = slot_is(&ms[0], 0, 0, LOW_RAM_END);
	ok &= slot_is(&ms[1], 0, HIGH_RAM, high_size);
	ok &= slot_is(&ms[2], APERTURE_MEM_READONLY, ROM, ROM_SIZE);
	ok &= slot_is(&ms[3], APERTURE_MEM_LOG_DIRTY_PAGES, LOG, LOG_SIZE);
	report(ok, "memslots_layout");
	for (u32 i = 0; i < NR_SLOTS; i++)
		for (u32 j = i + 1; j < NR_SLOTS; j++)
			ids_unique &= ms[i].id != ms[j].id;
	report(ids_unique && ms[NR_SLOTS].id == 0xeeeeeeeeu,
	       "memslots_ids_unique_no_overrun");

	memset(ms, 0xee, sizeof(ms));
	ret = hc2(APERTURE_HC_GET_MEMSLOTS, gpa_of(ms), 2);
	report(ret == NR_SLOTS && ms[1].guest_phys_addr == HIGH_RAM &&
	       ms[2].id == 0xeeeeeeeeu, "memslots_capacity_respected (%ld)",
	       ret);
	ret = hc2(APERTURE_HC_GET_MEMSLOTS, ROM, NR_SLOTS);
	report(ret == -APERTURE_EFAULT, "memslots_into_ro_efault (%ld)", ret);
}

static void test_stats(void)
{
	static struct aperture_stats st[2];
	long ret;

	ret = hc1(APERTURE_HC_GET_STATS, gpa_of(&st[0]));
	/* The counters are printed through casts: see slot_is(). */
	report(ret == 0 && st[0].hypercalls > 0 && st[0].exits > 0,
	       "stats (%ld: %llu hypercalls, %llu exits)", ret,
	       (unsigned long long)st[0].hypercalls,
	       (unsigned long long)st[0].exits);
	ret = hc1(APERTURE_HC_GET_STATS, gpa_of(&st[1]));
	report(ret == 0 && st[1].hypercalls == st[0].hypercalls + 1,
	       "stats_count_hypercalls (%llu -> %llu)",
	       (unsigned long long)st[0].hypercalls,
	       (unsigned long long)st[1].hypercalls);
	report(st[1].mmio_exits >= 3, "stats_count_mmio (%llu)",
	       (unsigned long long)st[1].mmio_exits);
}

int main(u32 magic, struct multiboot_info *mbi)
{
	test_init("alias_ro");
	test_readonly();
	if (magic == MULTIBOOT_BOOTLOADER_MAGIC &&
	    (mbi->flags & MULTIBOOT_INFO_MEMORY))
		test_memslots((u64)mbi->mem_upper * 1024);
	else
		report(false, "multiboot_mem_info");
	test_stats();
	test_exit();
}
