// SPDX-License-Identifier: MIT
/* Hypercall dispatcher driven through a fake environment. */
#define UNIT_SUITE "hypercall"
#include "unit.h"

#include <hv/hypercall/hypercall.h>
#include <lib/errno.h>
#include <lib/string.h>

/*
 * Guest layout (gfns):
 *   slot 0: [0x00, 0x10) RAM                    -> ram
 *   slot 1: [0x20, 0x21) READONLY               -> rom
 *   slot 5: [0x40, 0xc2) logging, 130 pages     -> lram  (bitmap 3 words)
 *   everything else unbacked
 */
#define LPAGES	130
static struct physmap pm;
static u8 ram[0x10 * PAGE_SIZE], rom[PAGE_SIZE], lram[LPAGES * PAGE_SIZE];
static u64 lbm[3];
static struct aperture_stats stats;

struct fake {
	char out[2 * APERTURE_CONSOLE_WRITE_MAX];
	size_t out_len;
	int console_calls;
	int exits;
	u64 exit_status;
	int ninval;
	struct { gfn_t gfn; u64 n; } inval[8];
	int cleared;
	struct memslot *cleared_slot;
	/* written(): the union of the ranges reported, and how many */
	int nwritten;
	gpa_t written_lo, written_hi;
};
static struct fake fk;

static void f_console(void *ctx, const char *s, size_t len)
{
	struct fake *f = ctx;

	if (f->out_len + len <= sizeof(f->out))
		memcpy(f->out + f->out_len, s, len);
	f->out_len += len;
	f->console_calls++;
}

static void f_exit(void *ctx, u64 status)
{
	struct fake *f = ctx;

	f->exits++;
	f->exit_status = status;
}

static void f_inval(void *ctx, gfn_t gfn, u64 n)
{
	struct fake *f = ctx;

	if (f->ninval < (int)ARRAY_SIZE(f->inval)) {
		f->inval[f->ninval].gfn = gfn;
		f->inval[f->ninval].n = n;
	}
	f->ninval++;
}

static void f_cleared(void *ctx, struct memslot *slot)
{
	struct fake *f = ctx;

	f->cleared++;
	f->cleared_slot = slot;
}

static void f_written(void *ctx, gpa_t gpa, u64 len)
{
	struct fake *f = ctx;

	CHECK(len > 0);
	CHECK_EQ(physmap_check(&pm, gpa, len, true), 0);
	if (!f->nwritten || gpa < f->written_lo)
		f->written_lo = gpa;
	if (!f->nwritten || gpa + len > f->written_hi)
		f->written_hi = gpa + len;
	f->nwritten++;
}

static const struct hc_env_ops ops = {
	.console_write = f_console,
	.exit = f_exit,
	.invalidate_range = f_inval,
	.dirty_log_cleared = f_cleared,
	.written = f_written,
};

static struct hc_env env = { &ops, &fk, &pm, &stats };

static void add(u32 id, gfn_t base, u64 n, u8 *host, u32 flags, u64 *bm)
{
	struct memslot s = {
		.base_gfn = base, .npages = n, .id = id, .flags = flags,
		.host = host, .dirty_bitmap = bm,
	};

	CHECK_EQ(memslots_insert(&pm.slots, &s), 0);
}

static void setup(void)
{
	physmap_init(&pm);
	memset(ram, 0, sizeof(ram));
	memset(rom, 0, sizeof(rom));
	memset(lram, 0, sizeof(lram));
	memset(lbm, 0, sizeof(lbm));
	memset(&stats, 0, sizeof(stats));
	memset(&fk, 0, sizeof(fk));
	add(0, 0x00, 0x10, ram, 0, NULL);
	add(1, 0x20, 1, rom, APERTURE_MEM_READONLY, NULL);
	add(5, 0x40, LPAGES, lram, APERTURE_MEM_LOG_DIRTY_PAGES, lbm);
}

static s64 hc(u64 nr, u64 a0, u64 a1)
{
	return hypercall_dispatch(&env, nr, a0, a1, 0, 0);
}

static void test_version_features_unknown(void)
{
	setup();
	CHECK_EQ(hc(APERTURE_HC_VERSION, 0, 0), APERTURE_ABI_VERSION);
	CHECK_EQ(hc(APERTURE_HC_FEATURES, 0, 0),
		 APERTURE_FEAT_CONSOLE | APERTURE_FEAT_MEMORY_ALIAS |
		 APERTURE_FEAT_DIRTY_LOG | APERTURE_FEAT_STATS |
		 APERTURE_FEAT_SHADOW_PAGING);
	CHECK_EQ(hc(0, 0, 0), -KVM_ENOSYS);
	CHECK_EQ(hc(11, 0, 0), -KVM_ENOSYS);
	CHECK_EQ(hc(~0ull, 0, 0), -KVM_ENOSYS);
	CHECK_EQ(stats.hypercalls, 5);
}

static void test_console_write(void)
{
	static const char msg[] = "hello, aperture\n";

	setup();
	memcpy(ram + 0x100, msg, sizeof(msg) - 1);
	CHECK_EQ(hc(APERTURE_HC_CONSOLE_WRITE, 0x100, sizeof(msg) - 1),
		 sizeof(msg) - 1);
	CHECK_EQ(fk.out_len, sizeof(msg) - 1);
	CHECK(memcmp(fk.out, msg, sizeof(msg) - 1) == 0);
	/* Zero length: nothing printed, returns 0. */
	CHECK_EQ(hc(APERTURE_HC_CONSOLE_WRITE, 0x100, 0), 0);
	CHECK_EQ(fk.out_len, sizeof(msg) - 1);
}

static void test_console_write_max_and_straddle(void)
{
	u32 i;

	setup();
	for (i = 0; i < 2 * PAGE_SIZE; i++)
		ram[i] = (u8)(i * 13 + 1);
	/* Exactly the maximum, not page-aligned: crosses a page. */
	CHECK_EQ(hc(APERTURE_HC_CONSOLE_WRITE, 0x123,
		    APERTURE_CONSOLE_WRITE_MAX), APERTURE_CONSOLE_WRITE_MAX);
	CHECK_EQ(fk.out_len, APERTURE_CONSOLE_WRITE_MAX);
	CHECK(memcmp(fk.out, ram + 0x123, APERTURE_CONSOLE_WRITE_MAX) == 0);
	fk.out_len = 0;
	CHECK_EQ(hc(APERTURE_HC_CONSOLE_WRITE, 0x123,
		    APERTURE_CONSOLE_WRITE_MAX + 1), -E2BIG);
	CHECK_EQ(hc(APERTURE_HC_CONSOLE_WRITE, 0x123, ~0ull), -E2BIG);
	CHECK_EQ(fk.out_len, 0);
}

static void test_console_write_efault(void)
{
	setup();
	CHECK_EQ(hc(APERTURE_HC_CONSOLE_WRITE, 0x30000, 4), -EFAULT);
	/* Runs off the end of RAM: not even the backed part is printed. */
	CHECK_EQ(hc(APERTURE_HC_CONSOLE_WRITE, 0x10000 - 600, 601), -EFAULT);
	CHECK_EQ(fk.out_len, 0);
	CHECK_EQ(fk.console_calls, 0);
	CHECK_EQ(hc(APERTURE_HC_CONSOLE_WRITE, ~0ull - 1, 4), -EFAULT);
}

static void test_exit(void)
{
	setup();
	CHECK_EQ(hc(APERTURE_HC_EXIT, 0xdeadbeefcafeull, 0), 0);
	CHECK_EQ(fk.exits, 1);
	CHECK_EQ(fk.exit_status, 0xdeadbeefcafeull);
}

/* Put @a into guest RAM at 0x2000 and call SET_MEMORY_ALIAS on it. */
static s64 set_alias(u32 slot, u32 flags, u64 gpa, u64 size, u64 target)
{
	struct aperture_memory_alias a = {
		.slot = slot, .flags = flags, .guest_phys_addr = gpa,
		.memory_size = size, .target_phys_addr = target,
	};

	memcpy(ram + 0x2000, &a, sizeof(a));
	return hc(APERTURE_HC_SET_MEMORY_ALIAS, 0x2000, 0);
}

static void test_set_alias_einval(void)
{
	struct alias_table before;

	setup();
	CHECK_EQ(set_alias(0, 0, 0xa000, 0x1000, 0x40000), 0);
	fk.ninval = 0;
	before = pm.aliases;
	/* Every validation branch, in the seed's order, then ours. */
	CHECK_EQ(set_alias(1, 0, 0x0, 0x1fff, 0x40000), -EINVAL);
	CHECK_EQ(set_alias(1, 0, 0x10, 0x1000, 0x40000), -EINVAL);
	CHECK_EQ(set_alias(4, 0, 0x0, 0x1000, 0x40000), -EINVAL);
	CHECK_EQ(set_alias(1, 0, ~0ull & PAGE_MASK, 0x2000, 0), -EINVAL);
	CHECK_EQ(set_alias(1, 0, 0, 0x2000, ~0ull & PAGE_MASK), -EINVAL);
	CHECK_EQ(set_alias(1, 0, 0x0, 0x1000, 0x40800), -EINVAL);
	CHECK_EQ(set_alias(1, 2, 0x0, 0x1000, 0x40000), -EINVAL);
	/* Deletion is validated too. */
	CHECK_EQ(set_alias(0, 0, 0xa000, 0, 0x40001), -EINVAL);
	CHECK(memcmp(&before, &pm.aliases, sizeof(before)) == 0);
	CHECK_EQ(fk.ninval, 0);
}

static void test_set_alias_efault(void)
{
	struct aperture_memory_alias a = {
		.slot = 0, .guest_phys_addr = 0x1000, .memory_size = 0x1000,
		.target_phys_addr = 0x40000,
	};

	setup();
	CHECK_EQ(hc(APERTURE_HC_SET_MEMORY_ALIAS, 0x30000, 0), -EFAULT);
	/* The struct straddles the end of RAM. */
	memcpy(ram + sizeof(ram) - 16, &a, 16);
	CHECK_EQ(hc(APERTURE_HC_SET_MEMORY_ALIAS, 0x10000 - 16, 0), -EFAULT);
	CHECK_EQ(pm.aliases.naliases, 0);
	CHECK_EQ(fk.ninval, 0);
}

static void test_set_alias_invalidates(void)
{
	setup();
	/* New window [0xa, 0xc) -> lram: only the new range. */
	CHECK_EQ(set_alias(2, 0, 0xa000, 0x2000, 0x40000), 0);
	CHECK_EQ(pm.aliases.naliases, 3);
	CHECK_EQ(fk.ninval, 1);
	CHECK_EQ(fk.inval[0].gfn, 0xa);
	CHECK_EQ(fk.inval[0].n, 2);
	CHECK(physmap_gfn_to_hva(&pm, 0xb, NULL) == lram + PAGE_SIZE);
	/* Move it: old then new range. */
	fk.ninval = 0;
	CHECK_EQ(set_alias(2, 0, 0x30000, 0x3000, 0x42000), 0);
	CHECK_EQ(fk.ninval, 2);
	CHECK_EQ(fk.inval[0].gfn, 0xa);
	CHECK_EQ(fk.inval[0].n, 2);
	CHECK_EQ(fk.inval[1].gfn, 0x30);
	CHECK_EQ(fk.inval[1].n, 3);
	CHECK(physmap_gfn_to_hva(&pm, 0xb, NULL) == ram + 0xb * PAGE_SIZE);
	CHECK(physmap_gfn_to_hva(&pm, 0x32, NULL) == lram + 4 * PAGE_SIZE);
	/* Delete: only the old range. */
	fk.ninval = 0;
	CHECK_EQ(set_alias(2, 0, 0, 0, 0), 0);
	CHECK_EQ(fk.ninval, 1);
	CHECK_EQ(fk.inval[0].gfn, 0x30);
	CHECK_EQ(fk.inval[0].n, 3);
	CHECK_EQ(pm.aliases.naliases, 0);
	/* Deleting an empty slot invalidates nothing. */
	fk.ninval = 0;
	CHECK_EQ(set_alias(2, 0, 0, 0, 0), 0);
	CHECK_EQ(fk.ninval, 0);
}

static void test_set_alias_struct_behind_alias(void)
{
	struct aperture_memory_alias a = {
		.slot = 1, .guest_phys_addr = 0x5000, .memory_size = 0x1000,
		.target_phys_addr = 0x41000,
	};

	setup();
	/* gfn 0x3 -> lram page 0; the request struct is read through it. */
	CHECK_EQ(set_alias(0, 0, 0x3000, 0x1000, 0x40000), 0);
	memcpy(lram + 0x40, &a, sizeof(a));
	CHECK_EQ(hc(APERTURE_HC_SET_MEMORY_ALIAS, 0x3040, 0), 0);
	CHECK_EQ(pm.aliases.aliases[1].base_gfn, 5);
	CHECK_EQ(pm.aliases.aliases[1].target_gfn, 0x41);
}

static void test_get_alias(void)
{
	struct aperture_memory_alias a;

	setup();
	CHECK_EQ(set_alias(3, 0, 0xa000, 0x2000, 0x40000), 0);
	memset(&a, 0xff, sizeof(a));
	a.slot = 3;
	memcpy(ram + 0x3000, &a, sizeof(a));
	CHECK_EQ(hc(APERTURE_HC_GET_MEMORY_ALIAS, 0x3000, 0), 0);
	memcpy(&a, ram + 0x3000, sizeof(a));
	CHECK_EQ(a.slot, 3);
	CHECK_EQ(a.flags, 0);
	CHECK_EQ(a.guest_phys_addr, 0xa000);
	CHECK_EQ(a.memory_size, 0x2000);
	CHECK_EQ(a.target_phys_addr, 0x40000);
	/* Empty slot reads back all zero. */
	a.slot = 1;
	memcpy(ram + 0x3000, &a, sizeof(a));
	CHECK_EQ(hc(APERTURE_HC_GET_MEMORY_ALIAS, 0x3000, 0), 0);
	memcpy(&a, ram + 0x3000, sizeof(a));
	CHECK_EQ(a.slot, 1);
	CHECK_EQ(a.guest_phys_addr | a.memory_size | a.target_phys_addr, 0);
	/* Bad slot: -EINVAL, buffer untouched. */
	a.slot = 4;
	a.flags = 0x1234;
	memcpy(ram + 0x3000, &a, sizeof(a));
	CHECK_EQ(hc(APERTURE_HC_GET_MEMORY_ALIAS, 0x3000, 0), -EINVAL);
	memcpy(&a, ram + 0x3000, sizeof(a));
	CHECK_EQ(a.flags, 0x1234);
	CHECK_EQ(hc(APERTURE_HC_GET_MEMORY_ALIAS, 0x30000, 0), -EFAULT);
	/* Readable but read-only buffer: the write-back faults. */
	CHECK_EQ(hc(APERTURE_HC_GET_MEMORY_ALIAS, 0x20000, 0), -EFAULT);
}

static void test_get_memslots(void)
{
	struct aperture_memslot e[4];

	setup();
	memset(ram + 0x4000, 0xff, sizeof(e));
	CHECK_EQ(hc(APERTURE_HC_GET_MEMSLOTS, 0x4000, 4), 3);
	memcpy(e, ram + 0x4000, sizeof(e));
	CHECK_EQ(e[0].id, 0);
	CHECK_EQ(e[0].flags, 0);
	CHECK_EQ(e[0].guest_phys_addr, 0);
	CHECK_EQ(e[0].memory_size, 0x10000);
	CHECK_EQ(e[1].id, 1);
	CHECK_EQ(e[1].flags, APERTURE_MEM_READONLY);
	CHECK_EQ(e[1].guest_phys_addr, 0x20000);
	CHECK_EQ(e[2].id, 5);
	CHECK_EQ(e[2].flags, APERTURE_MEM_LOG_DIRTY_PAGES);
	CHECK_EQ(e[2].guest_phys_addr, 0x40000);
	CHECK_EQ(e[2].memory_size, LPAGES * PAGE_SIZE);
	CHECK_EQ(e[3].id, 0xffffffff);		/* beyond n: untouched */
	/* Smaller capacity: only that many written, n still returned. */
	memset(ram + 0x4000, 0xff, sizeof(e));
	CHECK_EQ(hc(APERTURE_HC_GET_MEMSLOTS, 0x4000, 1), 3);
	memcpy(e, ram + 0x4000, sizeof(e));
	CHECK_EQ(e[0].id, 0);
	CHECK_EQ(e[1].id, 0xffffffff);
	/* Capacity 0: a pure count, any gpa. */
	CHECK_EQ(hc(APERTURE_HC_GET_MEMSLOTS, 0x30000, 0), 3);
	/* Huge capacity is clamped, not trusted. */
	CHECK_EQ(hc(APERTURE_HC_GET_MEMSLOTS, 0x4000, ~0ull), 3);
	CHECK_EQ(hc(APERTURE_HC_GET_MEMSLOTS, 0x30000, 1), -EFAULT);
	/* Straddling the end of RAM. */
	CHECK_EQ(hc(APERTURE_HC_GET_MEMSLOTS, 0x10000 - 30, 2), -EFAULT);
	CHECK_EQ(ram[0x10000 - 30], 0);
}

static void test_stats(void)
{
	struct aperture_stats got;

	setup();
	stats.exits = 40;
	stats.shadow_pages_alive = 7;
	stats.shadow_faults = 3;
	stats.cr3_loads = 9;
	CHECK_EQ(hc(APERTURE_HC_GET_STATS, 0x5000, 0), 0);
	memcpy(&got, ram + 0x5000, sizeof(got));
	CHECK_EQ(got.exits, 40);
	CHECK_EQ(got.hypercalls, 1);		/* counts itself */
	CHECK_EQ(got.shadow_pages_alive, 7);
	CHECK_EQ(got.cr3_loads, 9);
	CHECK_EQ(hc(APERTURE_HC_GET_STATS, 0x10000 - 8, 0), -EFAULT);
	CHECK_EQ(hc(APERTURE_HC_RESET_STATS, 0, 0), 0);
	CHECK_EQ(stats.exits, 0);
	CHECK_EQ(stats.hypercalls, 0);
	CHECK_EQ(stats.shadow_faults, 0);
	CHECK_EQ(stats.cr3_loads, 0);
	CHECK_EQ(stats.shadow_pages_alive, 7);
	CHECK_EQ(hc(APERTURE_HC_VERSION, 0, 0), 1);
	CHECK_EQ(stats.hypercalls, 1);
}

static void test_dirty_log_errors(void)
{
	setup();
	lbm[0] = 0x5;
	CHECK_EQ(hc(APERTURE_HC_GET_DIRTY_LOG, 2, 0x6000), -EINVAL);
	CHECK_EQ(hc(APERTURE_HC_GET_DIRTY_LOG, APERTURE_MEMSLOTS_MAX, 0x6000),
		 -EINVAL);
	/* A 64-bit id that truncates to a real one is still unknown. */
	CHECK_EQ(hc(APERTURE_HC_GET_DIRTY_LOG, (1ull << 32) | 5, 0x6000),
		 -EINVAL);
	CHECK_EQ(hc(APERTURE_HC_GET_DIRTY_LOG, 0, 0x6000), -ENOENT);
	CHECK_EQ(hc(APERTURE_HC_GET_DIRTY_LOG, 5, 0x30000), -EFAULT);
	/* 24-byte bitmap straddling the end of RAM. */
	CHECK_EQ(hc(APERTURE_HC_GET_DIRTY_LOG, 5, 0x10000 - 16), -EFAULT);
	CHECK_EQ(hc(APERTURE_HC_GET_DIRTY_LOG, 5, 0x20000), -EFAULT);
	/* Failures neither clear the log nor notify. */
	CHECK_EQ(lbm[0], 0x5);
	CHECK_EQ(fk.cleared, 0);
}

static void test_dirty_log_copy_clear(void)
{
	u64 got[4];
	u8 v = 1;

	setup();
	/* Guest writes through the physmap mark lram pages 0, 64, 129. */
	CHECK_EQ(physmap_write(&pm, 0x40000, &v, 1), 0);
	CHECK_EQ(physmap_write(&pm, 0x40000 + 64 * PAGE_SIZE, &v, 1), 0);
	CHECK_EQ(physmap_write(&pm, 0x40000 + 129 * PAGE_SIZE, &v, 1), 0);
	memset(ram + 0x6000, 0xff, sizeof(got));
	CHECK_EQ(hc(APERTURE_HC_GET_DIRTY_LOG, 5, 0x6000), 0);
	memcpy(got, ram + 0x6000, sizeof(got));
	CHECK_EQ(got[0], BIT(0));
	CHECK_EQ(got[1], BIT(0));
	CHECK_EQ(got[2], BIT(1));
	CHECK_EQ(got[3], ~0ull);		/* exactly 24 bytes written */
	CHECK_EQ(lbm[0] | lbm[1] | lbm[2], 0);
	CHECK_EQ(fk.cleared, 1);
	CHECK(fk.cleared_slot == memslots_by_id(&pm.slots, 5));
	/* Second read: empty. */
	CHECK_EQ(hc(APERTURE_HC_GET_DIRTY_LOG, 5, 0x6000), 0);
	memcpy(got, ram + 0x6000, sizeof(got));
	CHECK_EQ(got[0] | got[1] | got[2], 0);
	CHECK_EQ(fk.cleared, 2);
	/* The 24-byte bitmap fits exactly at the end of RAM. */
	CHECK_EQ(hc(APERTURE_HC_GET_DIRTY_LOG, 5, 0x10000 - 24), 0);
}

static void test_dirty_log_into_own_slot(void)
{
	u64 got[3];
	u8 v = 1;

	setup();
	/* Dirty page 3, then ask for the log to be written into page 100. */
	CHECK_EQ(physmap_write(&pm, 0x40000 + 3 * PAGE_SIZE, &v, 1), 0);
	CHECK_EQ(hc(APERTURE_HC_GET_DIRTY_LOG, 5, 0x40000 + 100 * PAGE_SIZE),
		 0);
	memcpy(got, lram + 100 * PAGE_SIZE, sizeof(got));
	CHECK_EQ(got[0], BIT(3));
	/* The copy wrote page 100, so that write is in the next log. */
	CHECK_EQ(lbm[0], 0);
	CHECK_EQ(lbm[1], BIT(100 - 64));
	CHECK_EQ(lbm[2], 0);
}

/*
 * Every byte the dispatcher writes into guest memory is reported through
 * written(), so the shadow MMU can drop what it knew of a guest page
 * table there; failed calls write and report nothing.
 */
static void check_written(gpa_t lo, gpa_t hi)
{
	CHECK(fk.nwritten > 0);
	CHECK_EQ(fk.written_lo, lo);
	CHECK_EQ(fk.written_hi, hi);
	fk.nwritten = 0;
}

static void test_writes_into_guest_memory_are_reported(void)
{
	struct aperture_memory_alias a = { .slot = 1 };

	setup();
	memcpy(ram + 0x3000, &a, sizeof(a));
	CHECK_EQ(hc(APERTURE_HC_GET_MEMORY_ALIAS, 0x3000, 0), 0);
	check_written(0x3000, 0x3000 + sizeof(a));
	CHECK_EQ(hc(APERTURE_HC_GET_MEMSLOTS, 0x4ff0, 2), 3);
	check_written(0x4ff0, 0x4ff0 + 2 * sizeof(struct aperture_memslot));
	CHECK_EQ(hc(APERTURE_HC_GET_STATS, 0x5000, 0), 0);
	check_written(0x5000, 0x5000 + sizeof(struct aperture_stats));
	CHECK_EQ(hc(APERTURE_HC_GET_DIRTY_LOG, 5, 0x6000), 0);
	check_written(0x6000, 0x6000 + sizeof(lbm));
	/* Nothing written, nothing reported. */
	CHECK_EQ(hc(APERTURE_HC_GET_STATS, 0x10000 - 8, 0), -EFAULT);
	CHECK_EQ(hc(APERTURE_HC_GET_MEMSLOTS, 0x4000, 0), 3);
	CHECK_EQ(hc(APERTURE_HC_GET_MEMORY_ALIAS, 0x20000, 0), -EFAULT);
	CHECK_EQ(hc(APERTURE_HC_VERSION, 0, 0), 1);
	CHECK_EQ(fk.nwritten, 0);
}

int main(void)
{
	RUN(test_version_features_unknown);
	RUN(test_console_write);
	RUN(test_console_write_max_and_straddle);
	RUN(test_console_write_efault);
	RUN(test_exit);
	RUN(test_set_alias_einval);
	RUN(test_set_alias_efault);
	RUN(test_set_alias_invalidates);
	RUN(test_set_alias_struct_behind_alias);
	RUN(test_get_alias);
	RUN(test_get_memslots);
	RUN(test_stats);
	RUN(test_dirty_log_errors);
	RUN(test_dirty_log_copy_clear);
	RUN(test_dirty_log_into_own_slot);
	RUN(test_writes_into_guest_memory_are_reported);
	return unit_done();
}
