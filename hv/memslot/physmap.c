// SPDX-License-Identifier: MIT
#include <hv/memslot/physmap.h>
#include <lib/errno.h>
#include <lib/string.h>

void physmap_init(struct physmap *pm)
{
	memset(&pm->aliases, 0, sizeof(pm->aliases));
	memslots_init(&pm->slots);
}

struct memslot *physmap_gfn_to_memslot(struct physmap *pm, gfn_t gfn)
{
	return memslots_find(&pm->slots, unalias_gfn(&pm->aliases, gfn));
}

void *physmap_gfn_to_hva(struct physmap *pm, gfn_t gfn, struct memslot **slotp)
{
	gfn_t real = unalias_gfn(&pm->aliases, gfn);
	struct memslot *s = memslots_find(&pm->slots, real);

	if (slotp)
		*slotp = s;
	if (!s)
		return NULL;
	return s->host + ((real - s->base_gfn) << PAGE_SHIFT);
}

int physmap_check(struct physmap *pm, gpa_t gpa, size_t len, bool write)
{
	struct memslot *s;
	gfn_t gfn, last;

	if (!len)
		return 0;
	if (gpa + len - 1 < gpa)
		return -EFAULT;
	last = (gpa + len - 1) >> PAGE_SHIFT;
	/* gfn <= last, not gfn < last + 1: last may be the top gfn. */
	for (gfn = gpa >> PAGE_SHIFT;; gfn++) {
		s = physmap_gfn_to_memslot(pm, gfn);
		if (!s || (write && (s->flags & APERTURE_MEM_READONLY)))
			return -EFAULT;
		if (gfn == last)
			return 0;
	}
}

/*
 * Move @len bytes between @buf and guest-physical @gpa.  The caller has run
 * physmap_check, so every page resolves; each is looked up on its own
 * because consecutive gpa pages may live in different slots (or behind an
 * alias) and their host pages need not be contiguous.
 */
static void physmap_copy(struct physmap *pm, gpa_t gpa, u8 *buf, size_t len,
			 bool write)
{
	struct memslot *slot;
	gfn_t real;
	size_t n;
	u8 *hva;

	while (len) {
		n = MIN(len, PAGE_SIZE - (gpa & ~PAGE_MASK));
		real = unalias_gfn(&pm->aliases, gpa >> PAGE_SHIFT);
		slot = memslots_find(&pm->slots, real);
		hva = slot->host + ((real - slot->base_gfn) << PAGE_SHIFT) +
		      (gpa & ~PAGE_MASK);
		if (write) {
			memcpy(hva, buf, n);
			/* Dirty in the slot actually written: the target's. */
			memslot_mark_dirty(slot, real);
		} else {
			memcpy(buf, hva, n);
		}
		gpa += n;
		buf += n;
		len -= n;
	}
}

int physmap_read(struct physmap *pm, gpa_t gpa, void *dst, size_t len)
{
	int r = physmap_check(pm, gpa, len, false);

	if (!r)
		physmap_copy(pm, gpa, dst, len, false);
	return r;
}

int physmap_write(struct physmap *pm, gpa_t gpa, const void *src, size_t len)
{
	int r = physmap_check(pm, gpa, len, true);

	/* physmap_copy stores through buf only when !write. */
	if (!r)
		physmap_copy(pm, gpa, (u8 *)src, len, true);
	return r;
}
