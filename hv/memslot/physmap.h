/* SPDX-License-Identifier: MIT */
/*
 * The guest's physical address space: the alias table in front of the
 * memslots.  Every guest-physical access the hypervisor makes on the
 * guest's behalf (hypercall buffers, shadow MMU fills) resolves here, the
 * same way: unalias once, then look up the memslot (the seed's
 * gfn_to_memslot).  A gpa that resolves to no memslot is unbacked.
 */
#ifndef HV_MEMSLOT_PHYSMAP_H
#define HV_MEMSLOT_PHYSMAP_H

#include <hv/alias/alias.h>
#include <hv/memslot/memslot.h>

struct physmap {
	struct alias_table aliases;
	struct memslots slots;
};

void physmap_init(struct physmap *pm);

/* Slot backing @gfn after unaliasing, or NULL. */
struct memslot *physmap_gfn_to_memslot(struct physmap *pm, gfn_t gfn);

/*
 * Host pointer to the page backing @gfn, or NULL if unbacked.  If @slotp is
 * non-NULL it receives the slot (the alias *target's* slot), or NULL.
 */
void *physmap_gfn_to_hva(struct physmap *pm, gfn_t gfn, struct memslot **slotp);

/*
 * 0 if every byte of [gpa, gpa + len) is backed (and, for @write, in no
 * READONLY slot); -EFAULT otherwise, including when gpa + len wraps.
 */
int physmap_check(struct physmap *pm, gpa_t gpa, size_t len, bool write);

/*
 * Copy between guest-physical memory and a host buffer, page by page, each
 * page resolved separately.  All or nothing: -EFAULT (see physmap_check)
 * before a single byte moves.  physmap_write marks every written page dirty
 * in the slot that backs it, i.e. the alias target's slot.
 */
int physmap_read(struct physmap *pm, gpa_t gpa, void *dst, size_t len);
int physmap_write(struct physmap *pm, gpa_t gpa, const void *src, size_t len);

#endif /* HV_MEMSLOT_PHYSMAP_H */
