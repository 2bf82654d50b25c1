/* SPDX-License-Identifier: MIT */
/*
 * Page allocator over the hypervisor pool that boot/ allocated from UEFI.
 * The pool is identity-mapped, so a page's address is also its host-physical
 * address.  Allocations are contiguous runs of pages, first fit, tracked in a
 * bitmap kept in the first pages of the pool itself.
 */
#ifndef LIB_PALLOC_H
#define LIB_PALLOC_H

#include <lib/types.h>

struct palloc {
	u8 *base;		/* first allocatable page */
	u64 npages;		/* allocatable pages */
	u64 *bitmap;		/* one bit per page, set = in use */
	u64 free_pages;
	u64 hint;		/* where the next search starts */
};

int palloc_init(struct palloc *pa, void *pool, u64 pool_pages);
void *palloc_alloc(struct palloc *pa, u64 npages);	/* zeroed, or NULL */
void palloc_free(struct palloc *pa, void *p, u64 npages);
bool palloc_owns(const struct palloc *pa, const void *p, u64 len);

/* The hypervisor's one pool. */
extern struct palloc hv_pool;

static inline void *alloc_pages(u64 npages)
{
	return palloc_alloc(&hv_pool, npages);
}

static inline void *alloc_page(void)
{
	return palloc_alloc(&hv_pool, 1);
}

static inline void free_pages(void *p, u64 npages)
{
	palloc_free(&hv_pool, p, npages);
}

static inline void free_page(void *p)
{
	palloc_free(&hv_pool, p, 1);
}

#endif /* LIB_PALLOC_H */
