// SPDX-License-Identifier: MIT
#include <lib/errno.h>
#include <lib/palloc.h>
#include <lib/panic.h>
#include <lib/string.h>

struct palloc hv_pool;

static bool page_used(const struct palloc *pa, u64 i)
{
	return pa->bitmap[i / 64] & BIT(i % 64);
}

static void mark(struct palloc *pa, u64 first, u64 n, bool used)
{
	for (u64 i = first; i < first + n; i++) {
		if (used)
			pa->bitmap[i / 64] |= BIT(i % 64);
		else
			pa->bitmap[i / 64] &= ~BIT(i % 64);
	}
}

int palloc_init(struct palloc *pa, void *pool, u64 pool_pages)
{
	u64 bitmap_pages;

	if (!pool || !IS_ALIGNED((uintptr_t)pool, PAGE_SIZE) || pool_pages < 2)
		return -EINVAL;

	/* One bit per page; the bitmap itself lives at the start of the pool. */
	bitmap_pages = ALIGN_UP(ALIGN_UP(pool_pages, 64) / 8, PAGE_SIZE) /
		       PAGE_SIZE;
	if (bitmap_pages >= pool_pages)
		return -ENOMEM;

	pa->bitmap = pool;
	pa->base = (u8 *)pool + bitmap_pages * PAGE_SIZE;
	pa->npages = pool_pages - bitmap_pages;
	pa->free_pages = pa->npages;
	pa->hint = 0;
	memset(pa->bitmap, 0, bitmap_pages * PAGE_SIZE);
	return 0;
}

static s64 find_run(const struct palloc *pa, u64 from, u64 to, u64 n)
{
	u64 run = 0;

	for (u64 i = from; i < to; i++) {
		if (page_used(pa, i)) {
			run = 0;
			continue;
		}
		if (++run == n)
			return (s64)(i + 1 - n);
	}
	return -1;
}

void *palloc_alloc(struct palloc *pa, u64 npages)
{
	s64 first;

	if (!npages || npages > pa->free_pages)
		return NULL;

	/* Next fit from the hint, then wrap: keeps single-page churn cheap. */
	first = find_run(pa, pa->hint, pa->npages, npages);
	if (first < 0)
		first = find_run(pa, 0, MIN(pa->hint + npages, pa->npages),
				 npages);
	if (first < 0)
		return NULL;

	mark(pa, first, npages, true);
	pa->free_pages -= npages;
	pa->hint = first + npages;
	if (pa->hint >= pa->npages)
		pa->hint = 0;
	memset(pa->base + first * PAGE_SIZE, 0, npages * PAGE_SIZE);
	return pa->base + first * PAGE_SIZE;
}

bool palloc_owns(const struct palloc *pa, const void *p, u64 len)
{
	const u8 *b = p;

	return b >= pa->base && len <= pa->npages * PAGE_SIZE &&
	       (u64)(b - pa->base) <= pa->npages * PAGE_SIZE - len;
}

void palloc_free(struct palloc *pa, void *p, u64 npages)
{
	u64 first;

	if (!p || !npages)
		return;
	/* A bad free is a hypervisor bug that no guest can be blamed for. */
	HV_BUG_ON(!palloc_owns(pa, p, npages * PAGE_SIZE) ||
		  !IS_ALIGNED((uintptr_t)p, PAGE_SIZE));
	first = ((u8 *)p - pa->base) / PAGE_SIZE;
	for (u64 i = first; i < first + npages; i++)
		HV_BUG_ON(!page_used(pa, i));	/* double free */
	mark(pa, first, npages, false);
	pa->free_pages += npages;
}
