// SPDX-License-Identifier: MIT
#include <hv/memslot/memslot.h>
#include <lib/errno.h>
#include <lib/string.h>

#define MEMSLOT_KNOWN_FLAGS \
	(APERTURE_MEM_LOG_DIRTY_PAGES | APERTURE_MEM_READONLY)

void memslots_init(struct memslots *ms)
{
	ms->nslots = 0;
	ms->last_used = 0;
}

/* Index of the first slot whose base_gfn is greater than @gfn. */
static u32 memslots_upper_bound(const struct memslots *ms, gfn_t gfn)
{
	u32 lo = 0, hi = ms->nslots;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (ms->slots[mid].base_gfn <= gfn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool memslot_contains(const struct memslot *s, gfn_t gfn)
{
	return gfn >= s->base_gfn && gfn - s->base_gfn < s->npages;
}

static bool memslot_valid(const struct memslot *s)
{
	if (!s->npages || s->flags & ~MEMSLOT_KNOWN_FLAGS)
		return false;
	if (s->base_gfn >= MEMSLOT_GFN_LIMIT ||
	    s->npages > MEMSLOT_GFN_LIMIT - s->base_gfn)
		return false;
	if (!s->host)
		return false;
	if ((s->flags & APERTURE_MEM_LOG_DIRTY_PAGES) && !s->dirty_bitmap)
		return false;
	return s->id < APERTURE_MEMSLOTS_MAX;
}

int memslots_insert(struct memslots *ms, const struct memslot *slot)
{
	u32 pos;

	if (!memslot_valid(slot))
		return -EINVAL;
	/*
	 * Full before duplicate: with 509 slots every valid id is taken, so
	 * testing ids first would make -ENOSPC unreachable.
	 */
	if (ms->nslots == APERTURE_MEMSLOTS_MAX)
		return -ENOSPC;
	if (memslots_by_id(ms, slot->id))
		return -EEXIST;

	/*
	 * Sorted and disjoint, so only the neighbours can overlap: the slot
	 * before pos must end at or before our base, the one at pos must
	 * start at or after our end.
	 */
	pos = memslots_upper_bound(ms, slot->base_gfn);
	if (pos > 0) {
		const struct memslot *prev = &ms->slots[pos - 1];

		if (prev->base_gfn + prev->npages > slot->base_gfn)
			return -EEXIST;
	}
	if (pos < ms->nslots &&
	    ms->slots[pos].base_gfn < slot->base_gfn + slot->npages)
		return -EEXIST;

	memmove(&ms->slots[pos + 1], &ms->slots[pos],
		(ms->nslots - pos) * sizeof(ms->slots[0]));
	ms->slots[pos] = *slot;
	ms->nslots++;
	return 0;
}

int memslots_delete(struct memslots *ms, u32 id)
{
	struct memslot *s = memslots_by_id(ms, id);
	u32 pos;

	if (!s)
		return -ENOENT;
	pos = s - ms->slots;
	memmove(s, s + 1, (ms->nslots - pos - 1) * sizeof(*s));
	ms->nslots--;
	return 0;
}

struct memslot *memslots_find(struct memslots *ms, gfn_t gfn)
{
	u32 pos;

	/*
	 * last_used is only a hint: insert and delete shift slots under it,
	 * so it is bounds-checked and range-checked before being trusted.
	 */
	if (ms->last_used < ms->nslots &&
	    memslot_contains(&ms->slots[ms->last_used], gfn))
		return &ms->slots[ms->last_used];

	pos = memslots_upper_bound(ms, gfn);
	if (pos == 0 || !memslot_contains(&ms->slots[pos - 1], gfn))
		return NULL;
	ms->last_used = pos - 1;
	return &ms->slots[pos - 1];
}

struct memslot *memslots_by_id(struct memslots *ms, u32 id)
{
	u32 i;

	for (i = 0; i < ms->nslots; i++)
		if (ms->slots[i].id == id)
			return &ms->slots[i];
	return NULL;
}

void memslot_mark_dirty(struct memslot *slot, gfn_t gfn)
{
	u64 rel = gfn - slot->base_gfn;

	if (!(slot->flags & APERTURE_MEM_LOG_DIRTY_PAGES) ||
	    !memslot_contains(slot, gfn))
		return;
	slot->dirty_bitmap[rel / 64] |= BIT(rel % 64);
}

u64 memslot_dirty_bitmap_bytes(const struct memslot *slot)
{
	return ALIGN_UP(slot->npages, 64) / 8;
}
