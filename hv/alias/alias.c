// SPDX-License-Identifier: MIT
/*
 * Alias table.  Validation follows the seed's kvm_vm_ioctl_set_memory_alias
 * check for check; the divergences (marked below) are listed in
 * docs/alias.md.
 */
#include <hv/alias/alias.h>
#include <lib/errno.h>

static bool alias_valid(const struct aperture_memory_alias *a)
{
	/* The seed's checks, in the seed's order. */
	if (a->memory_size & (PAGE_SIZE - 1))
		return false;
	if (a->guest_phys_addr & (PAGE_SIZE - 1))
		return false;
	if (a->slot >= ALIAS_SLOTS)
		return false;
	if (a->guest_phys_addr + a->memory_size < a->guest_phys_addr)
		return false;
	if (a->target_phys_addr + a->memory_size < a->target_phys_addr)
		return false;
	/*
	 * Divergence: the seed silently truncates an unaligned target to its
	 * page, which moves the window by less than a page without telling
	 * the caller.  Reject it like an unaligned guest_phys_addr.
	 */
	if (a->target_phys_addr & (PAGE_SIZE - 1))
		return false;
	/* Divergence: the seed ignores flags; reserve them for the future. */
	if (a->flags)
		return false;
	return true;
}

int alias_set(struct alias_table *t, const struct aperture_memory_alias *a,
	      struct mem_alias *old)
{
	struct mem_alias *p;
	int n;

	if (!alias_valid(a))
		return -EINVAL;

	p = &t->aliases[a->slot];
	if (old)
		*old = *p;
	if (a->memory_size) {
		p->base_gfn = a->guest_phys_addr >> PAGE_SHIFT;
		p->npages = a->memory_size >> PAGE_SHIFT;
		p->target_gfn = a->target_phys_addr >> PAGE_SHIFT;
	} else {
		/*
		 * Divergence: the seed keeps base/target of a zero-sized
		 * slot.  Zero the entry so a deleted slot reads back empty.
		 */
		p->base_gfn = 0;
		p->npages = 0;
		p->target_gfn = 0;
	}

	/* The seed's loop: naliases is the highest used slot + 1. */
	for (n = ALIAS_SLOTS; n > 0; --n)
		if (t->aliases[n - 1].npages)
			break;
	t->naliases = n;
	return 0;
}

int alias_get(const struct alias_table *t, u32 slot,
	      struct aperture_memory_alias *out)
{
	const struct mem_alias *p;

	if (slot >= ALIAS_SLOTS)
		return -EINVAL;
	p = &t->aliases[slot];
	out->slot = slot;
	out->flags = 0;
	out->guest_phys_addr = p->base_gfn << PAGE_SHIFT;
	out->memory_size = p->npages << PAGE_SHIFT;
	out->target_phys_addr = p->target_gfn << PAGE_SHIFT;
	return 0;
}

gfn_t unalias_gfn(const struct alias_table *t, gfn_t gfn)
{
	const struct mem_alias *p;
	int i;

	/*
	 * Slot order decides overlaps: the lowest slot containing gfn wins.
	 * "gfn - base < npages" rather than "gfn < base + npages" needs no
	 * overflow argument, although alias_set already excludes wrapping.
	 */
	for (i = 0; i < t->naliases; i++) {
		p = &t->aliases[i];
		if (gfn >= p->base_gfn && gfn - p->base_gfn < p->npages)
			return p->target_gfn + (gfn - p->base_gfn);
	}
	return gfn;
}
