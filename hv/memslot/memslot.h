/* SPDX-License-Identifier: MIT */
/*
 * Memslots: the guest-physical ranges backed by host memory, KVM style.
 * Kept sorted by base_gfn for an O(log n) lookup, with a one-entry cache of
 * the slot that answered last (guest accesses cluster heavily).
 */
#ifndef HV_MEMSLOT_MEMSLOT_H
#define HV_MEMSLOT_MEMSLOT_H

#include <lib/types.h>
#include <aperture/hypercall.h>

/* Highest gfn + 1 a slot may reach: its gpa range must fit in 64 bits. */
#define MEMSLOT_GFN_LIMIT	(1ull << (64 - PAGE_SHIFT))

struct memslot {
	gfn_t base_gfn;
	u64 npages;
	u32 id;			/* < APERTURE_MEMSLOTS_MAX, unique */
	u32 flags;		/* APERTURE_MEM_* */
	/* contiguous backing, npages * PAGE_SIZE bytes (host addr == hpa) */
	u8 *host;
	/* ALIGN_UP(npages, 64) / 64 words, caller-provided iff LOG_DIRTY_PAGES */
	u64 *dirty_bitmap;
};

struct memslots {
	u32 nslots;
	u32 last_used;		/* hint: index memslots_find hit last */
	struct memslot slots[APERTURE_MEMSLOTS_MAX];	/* sorted by base_gfn */
};

void memslots_init(struct memslots *ms);

/*
 * Copy @slot into the table.  -EINVAL: npages 0, unknown flags, range past
 * MEMSLOT_GFN_LIMIT, no host backing, LOG_DIRTY_PAGES without a bitmap, id
 * out of range.  -ENOSPC: table full.  -EEXIST: id in use or the range
 * overlaps another slot.  The caller must zero a new dirty bitmap.
 */
int memslots_insert(struct memslots *ms, const struct memslot *slot);

/* Remove slot @id; -ENOENT if there is none. */
int memslots_delete(struct memslots *ms, u32 id);

/* The slot containing @gfn, or NULL.  Raw: aliases are not applied. */
struct memslot *memslots_find(struct memslots *ms, gfn_t gfn);

struct memslot *memslots_by_id(struct memslots *ms, u32 id);

/* Record a write to @gfn (inside @slot); no-op unless the slot logs. */
void memslot_mark_dirty(struct memslot *slot, gfn_t gfn);

/* Size of the slot's dirty bitmap: whole u64 words, as KVM lays it out. */
u64 memslot_dirty_bitmap_bytes(const struct memslot *slot);

#endif /* HV_MEMSLOT_MEMSLOT_H */
