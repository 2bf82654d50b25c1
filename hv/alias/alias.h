/* SPDX-License-Identifier: MIT */
/*
 * Physical memory aliases: a guest-physical range that is redirected to
 * another guest-physical range (the seed's KVM_SET_MEMORY_ALIAS, used for
 * movable windows such as VGA's 0xa0000 bank).  See docs/alias.md.
 */
#ifndef HV_ALIAS_ALIAS_H
#define HV_ALIAS_ALIAS_H

#include <lib/types.h>
#include <aperture/hypercall.h>

#define ALIAS_SLOTS	APERTURE_ALIAS_SLOTS

struct mem_alias {
	gfn_t base_gfn;
	u64 npages;		/* 0: slot unused */
	gfn_t target_gfn;
};

/* All-zero is the empty table. */
struct alias_table {
	int naliases;		/* highest used slot + 1 */
	struct mem_alias aliases[ALIAS_SLOTS];
};

/*
 * Validate and install (memory_size != 0) or delete (memory_size == 0) alias
 * slot a->slot.  Returns 0 or -EINVAL; on failure the table is unchanged.
 * If @old is non-NULL it receives the slot's previous entry (npages == 0 if
 * it was unused) so that the caller can invalidate both the old and the new
 * range.
 */
int alias_set(struct alias_table *t, const struct aperture_memory_alias *a,
	      struct mem_alias *old);

/* Fill @out (flags 0, zero sizes if unused) for @slot; -EINVAL if slot >= 4. */
int alias_get(const struct alias_table *t, u32 slot,
	      struct aperture_memory_alias *out);

/*
 * Translate @gfn through the first alias, in slot order, that contains it;
 * return @gfn itself if none does.  Single level: the result is not looked
 * up again, so an alias whose target lies inside another alias reaches the
 * memslot under that second alias, not its target.
 */
gfn_t unalias_gfn(const struct alias_table *t, gfn_t gfn);

#endif /* HV_ALIAS_ALIAS_H */
