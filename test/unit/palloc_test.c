// SPDX-License-Identifier: MIT
/*
 * Page allocator: a private struct palloc over an aligned host buffer, so
 * the test controls the pool size exactly.  The bitmap takes the first
 * page(s) of the pool; everything after it is allocatable.
 */
#define UNIT_SUITE "palloc"
#include "unit.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <lib/errno.h>
#include <lib/palloc.h>
#include <lib/string.h>

/* 32 pool pages: 1 bitmap page + 31 allocatable. */
#define POOL_PAGES	32
#define USABLE		(POOL_PAGES - 1)

static u8 pool[POOL_PAGES * PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static struct palloc pa;

static void setup(void)
{
	CHECK_EQ(palloc_init(&pa, pool, POOL_PAGES), 0);
}

static u64 page_index(const void *p)
{
	return ((const u8 *)p - pa.base) / PAGE_SIZE;
}

static bool all_bytes(const u8 *p, size_t n, u8 v)
{
	if (!p)
		return false;
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return false;
	return true;
}

static void test_init_errors(void)
{
	struct palloc t;

	CHECK_EQ(palloc_init(&t, NULL, POOL_PAGES), -EINVAL);
	CHECK_EQ(palloc_init(&t, pool + 8, POOL_PAGES - 1), -EINVAL);
	CHECK_EQ(palloc_init(&t, pool + PAGE_SIZE / 2, 4), -EINVAL);
	CHECK_EQ(palloc_init(&t, pool, 0), -EINVAL);
	CHECK_EQ(palloc_init(&t, pool, 1), -EINVAL);
	/* Two pages: one for the bitmap, one to hand out. */
	CHECK_EQ(palloc_init(&t, pool, 2), 0);
	CHECK_EQ(t.npages, 1);
	CHECK_EQ(t.free_pages, 1);
	CHECK(t.base == pool + PAGE_SIZE);
}

static void test_init_layout(void)
{
	struct palloc t;

	setup();
	CHECK(pa.bitmap == (u64 *)pool);
	CHECK(pa.base == pool + PAGE_SIZE);
	CHECK_EQ(pa.npages, USABLE);
	CHECK_EQ(pa.free_pages, USABLE);
	/*
	 * A bitmap page covers 32768 pages; one page more needs a second
	 * bitmap page.  Only the geometry is computed from these sizes (the
	 * bitmap is the only memory touched), so the small buffer suffices
	 * as long as the bitmap fits in it.
	 */
	CHECK_EQ(palloc_init(&t, pool, 32768), 0);
	CHECK_EQ(t.npages, 32767);
	CHECK(t.base == pool + PAGE_SIZE);
	CHECK_EQ(palloc_init(&t, pool, 32769), 0);
	CHECK_EQ(t.npages, 32767);
	CHECK(t.base == pool + 2 * PAGE_SIZE);
	setup();
}

static void test_alloc_zeroes(void)
{
	u8 *p, *q;

	setup();
	p = palloc_alloc(&pa, 3);
	CHECK(p != NULL);
	memset(p, 0xa5, 3 * PAGE_SIZE);
	palloc_free(&pa, p, 3);
	/* Exhaust forward so the dirty run is the one handed back. */
	while ((q = palloc_alloc(&pa, 1)) && q != p)
		;
	CHECK(q == p);
	CHECK(all_bytes(q, PAGE_SIZE, 0));
	/* The rest of the old run is still dirty and free: reuse it too. */
	q = palloc_alloc(&pa, 2);
	CHECK(q == p + PAGE_SIZE);
	CHECK(all_bytes(q, 2 * PAGE_SIZE, 0));
}

static void test_contiguous(void)
{
	u8 *a, *b, *c;

	setup();
	a = palloc_alloc(&pa, 1);
	b = palloc_alloc(&pa, 4);
	c = palloc_alloc(&pa, 2);
	CHECK(a && b && c);
	CHECK_EQ(page_index(a), 0);
	CHECK_EQ(page_index(b), 1);
	CHECK_EQ(page_index(c), 5);
	CHECK(palloc_owns(&pa, b, 4 * PAGE_SIZE));
	CHECK_EQ(pa.free_pages, USABLE - 7);

	/* A 3-page hole is too small for 4: the run comes from after c. */
	palloc_free(&pa, b + PAGE_SIZE, 3);
	b = palloc_alloc(&pa, 4);
	CHECK_EQ(page_index(b), 7);
	/* Every page of a run is marked used in the bitmap. */
	for (u64 i = 7; i < 11; i++)
		CHECK(pa.bitmap[i / 64] & BIT(i % 64));
	CHECK(!(pa.bitmap[0] & BIT(11)));
}

static void test_exhaustion(void)
{
	void *p[USABLE];

	setup();
	CHECK(palloc_alloc(&pa, 0) == NULL);
	CHECK(palloc_alloc(&pa, USABLE + 1) == NULL);
	CHECK_EQ(pa.free_pages, USABLE);

	for (u32 i = 0; i < USABLE; i++) {
		p[i] = palloc_alloc(&pa, 1);
		CHECK(p[i] != NULL);
	}
	CHECK_EQ(pa.free_pages, 0);
	CHECK(palloc_alloc(&pa, 1) == NULL);

	/* Two free pages that are not adjacent: no 2-page run exists. */
	palloc_free(&pa, p[3], 1);
	palloc_free(&pa, p[10], 1);
	CHECK_EQ(pa.free_pages, 2);
	CHECK(palloc_alloc(&pa, 2) == NULL);
	CHECK_EQ(pa.free_pages, 2);
	CHECK(palloc_alloc(&pa, 1) != NULL);
	CHECK(palloc_alloc(&pa, 1) != NULL);
	CHECK(palloc_alloc(&pa, 1) == NULL);
}

static void test_free_realloc(void)
{
	void *a, *b;

	setup();
	a = palloc_alloc(&pa, USABLE);
	CHECK(a == pa.base);
	CHECK_EQ(pa.free_pages, 0);
	palloc_free(&pa, a, USABLE);
	CHECK_EQ(pa.free_pages, USABLE);
	b = palloc_alloc(&pa, USABLE);
	CHECK(b == a);
	palloc_free(&pa, b, USABLE);

	/* Freeing NULL or zero pages is a no-op. */
	palloc_free(&pa, NULL, 3);
	palloc_free(&pa, pa.base, 0);
	CHECK_EQ(pa.free_pages, USABLE);
}

static void test_next_fit_wrap(void)
{
	u8 *a, *b, *c, *d;

	setup();
	a = palloc_alloc(&pa, 2);		/* pages 0-1 */
	b = palloc_alloc(&pa, 2);		/* pages 2-3 */
	CHECK_EQ(page_index(b), 2);
	palloc_free(&pa, a, 2);
	/* Next fit: the search starts after b, not at the freed page 0. */
	c = palloc_alloc(&pa, 1);
	CHECK_EQ(page_index(c), 4);

	/* Fill up to the end; the hint wraps to 0. */
	d = palloc_alloc(&pa, USABLE - 5);
	CHECK_EQ(page_index(d), 5);
	CHECK_EQ(pa.hint, 0);
	CHECK_EQ(pa.free_pages, 2);
	/* Only pages 0-1 are free: found by the wrapped search. */
	a = palloc_alloc(&pa, 2);
	CHECK_EQ(page_index(a), 0);
	CHECK_EQ(pa.free_pages, 0);

	/*
	 * A run that starts before the hint and crosses it: free 4..8, set
	 * the hint (by freeing/allocating) at 6; a 5-page request must find
	 * 4..8 through the wrapped search, which scans up to hint + n.
	 */
	palloc_free(&pa, d - PAGE_SIZE, 5);	/* pages 4-8 */
	CHECK_EQ(pa.free_pages, 5);
	pa.hint = 6;
	b = palloc_alloc(&pa, 5);
	CHECK(b != NULL);
	CHECK_EQ(page_index(b), 4);
	CHECK_EQ(pa.hint, 9);
}

static void test_owns(void)
{
	u8 *end;

	setup();
	end = pa.base + USABLE * PAGE_SIZE;
	CHECK(palloc_owns(&pa, pa.base, PAGE_SIZE));
	CHECK(palloc_owns(&pa, pa.base, USABLE * PAGE_SIZE));
	CHECK(palloc_owns(&pa, end - 1, 1));
	CHECK(palloc_owns(&pa, end - PAGE_SIZE, PAGE_SIZE));
	CHECK(palloc_owns(&pa, end, 0));
	CHECK(!palloc_owns(&pa, end, 1));
	CHECK(!palloc_owns(&pa, end - PAGE_SIZE, PAGE_SIZE + 1));
	CHECK(!palloc_owns(&pa, pa.base, USABLE * PAGE_SIZE + 1));
	/* The bitmap page belongs to the pool but is not allocatable. */
	CHECK(!palloc_owns(&pa, pool, 1));
	CHECK(!palloc_owns(&pa, pa.base - 1, 2));
	/* A huge length must not wrap the bound check. */
	CHECK(!palloc_owns(&pa, pa.base + PAGE_SIZE, ~0ull));
}

/* Runs @bad in a child process; true if the child died of hv_panic(). */
static bool panics(void (*bad)(void))
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		bad();
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return false;
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

static void double_free(void)
{
	void *p;

	setup();
	p = palloc_alloc(&pa, 2);
	palloc_free(&pa, p, 2);
	palloc_free(&pa, p, 2);
}

static void foreign_free(void)
{
	static u8 outside[2 * PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

	setup();
	palloc_free(&pa, outside, 1);
}

static void good_free(void)
{
	setup();
	palloc_free(&pa, palloc_alloc(&pa, 1), 1);
}

/* A bad free is a hypervisor bug: the panic path, never silent damage. */
static void test_bad_free_panics(void)
{
	CHECK(panics(double_free));
	CHECK(panics(foreign_free));
	CHECK(!panics(good_free));
}

static void test_accounting(void)
{
	void *a, *b, *c;

	setup();
	a = palloc_alloc(&pa, 5);
	CHECK_EQ(pa.free_pages, USABLE - 5);
	b = palloc_alloc(&pa, 1);
	c = palloc_alloc(&pa, 10);
	CHECK_EQ(pa.free_pages, USABLE - 16);
	/* A failed allocation changes nothing. */
	CHECK(palloc_alloc(&pa, USABLE) == NULL);
	CHECK_EQ(pa.free_pages, USABLE - 16);
	palloc_free(&pa, b, 1);
	CHECK_EQ(pa.free_pages, USABLE - 15);
	palloc_free(&pa, a, 5);
	palloc_free(&pa, c, 10);
	CHECK_EQ(pa.free_pages, USABLE);
	for (u32 i = 0; i < (USABLE + 63) / 64; i++)
		CHECK_EQ(pa.bitmap[i], 0);
}

int main(void)
{
	RUN(test_init_errors);
	RUN(test_bad_free_panics);
	RUN(test_init_layout);
	RUN(test_alloc_zeroes);
	RUN(test_contiguous);
	RUN(test_exhaustion);
	RUN(test_free_realloc);
	RUN(test_next_fit_wrap);
	RUN(test_owns);
	RUN(test_accounting);
	return unit_done();
}
