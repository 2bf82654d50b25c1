// SPDX-License-Identifier: MIT
#include <hv/hypercall/hypercall.h>
#include <lib/errno.h>
#include <lib/string.h>

#define HC_FEATURES							\
	(APERTURE_FEAT_CONSOLE | APERTURE_FEAT_MEMORY_ALIAS |		\
	 APERTURE_FEAT_DIRTY_LOG | APERTURE_FEAT_STATS |		\
	 APERTURE_FEAT_SHADOW_PAGING)

/* Bounce buffer size: small enough for a hypervisor stack. */
#define HC_CHUNK	256

/*
 * Every write into guest memory goes through here: the guest may have
 * put the result buffer on one of its own page tables, and the shadow
 * MMU write-protects those only against the guest's stores, not ours.
 */
static int hc_write(struct hc_env *env, gpa_t gpa, const void *src,
		    size_t len)
{
	int r = physmap_write(env->pm, gpa, src, len);

	if (!r && len)
		env->ops->written(env->ctx, gpa, len);
	return r;
}

static s64 hc_console_write(struct hc_env *env, gpa_t gpa, u64 len)
{
	char buf[HC_CHUNK];
	u64 done, n;
	int r;

	if (len > APERTURE_CONSOLE_WRITE_MAX)
		return -E2BIG;
	/* Check it all first so a bad buffer prints nothing. */
	r = physmap_check(env->pm, gpa, len, false);
	if (r)
		return r;
	for (done = 0; done < len; done += n) {
		n = MIN(len - done, sizeof(buf));
		physmap_read(env->pm, gpa + done, buf, n);
		env->ops->console_write(env->ctx, buf, n);
	}
	return len;
}

static void hc_invalidate(struct hc_env *env, const struct mem_alias *a)
{
	if (a->npages)
		env->ops->invalidate_range(env->ctx, a->base_gfn, a->npages);
}

static s64 hc_set_memory_alias(struct hc_env *env, gpa_t gpa)
{
	struct aperture_memory_alias a;
	struct mem_alias old;
	int r;

	r = physmap_read(env->pm, gpa, &a, sizeof(a));
	if (r)
		return r;
	r = alias_set(&env->pm->aliases, &a, &old);
	if (r)
		return r;
	/*
	 * Both the range the window left and the one it now covers change
	 * meaning.  Only the guest range moves: a single-level alias does
	 * not change what its target gpa means.
	 */
	hc_invalidate(env, &old);
	hc_invalidate(env, &env->pm->aliases.aliases[a.slot]);
	return 0;
}

static s64 hc_get_memory_alias(struct hc_env *env, gpa_t gpa)
{
	struct aperture_memory_alias a;
	int r;

	r = physmap_read(env->pm, gpa, &a, sizeof(a));
	if (r)
		return r;
	r = alias_get(&env->pm->aliases, a.slot, &a);
	if (r)
		return r;
	return hc_write(env, gpa, &a, sizeof(a));
}

static s64 hc_get_memslots(struct hc_env *env, gpa_t gpa, u64 cap)
{
	struct memslots *ms = &env->pm->slots;
	struct aperture_memslot e;
	u32 i, n;
	int r;

	n = MIN(cap, (u64)APERTURE_MEMSLOTS_MAX);
	n = MIN(n, ms->nslots);
	r = physmap_check(env->pm, gpa, n * sizeof(e), true);
	if (r)
		return r;
	for (i = 0; i < n; i++) {
		const struct memslot *s = &ms->slots[i];

		e.id = s->id;
		e.flags = s->flags;
		e.guest_phys_addr = s->base_gfn << PAGE_SHIFT;
		e.memory_size = s->npages << PAGE_SHIFT;
		hc_write(env, gpa + i * sizeof(e), &e, sizeof(e));
	}
	return ms->nslots;
}

static void hc_reset_stats(struct aperture_stats *st)
{
	/* shadow_pages_alive is a level, not a counter: keep it. */
	u64 alive = st->shadow_pages_alive;

	memset(st, 0, sizeof(*st));
	st->shadow_pages_alive = alive;
}

static s64 hc_get_dirty_log(struct hc_env *env, u64 id, gpa_t gpa)
{
	u64 chunk[HC_CHUNK / sizeof(u64)];
	struct memslot *s;
	u64 bytes, done, n, i;
	int r;

	/* Range-check before narrowing: a u64 id must not alias a small one. */
	if (id >= APERTURE_MEMSLOTS_MAX)
		return -EINVAL;
	s = memslots_by_id(&env->pm->slots, id);
	if (!s)
		return -EINVAL;
	if (!(s->flags & APERTURE_MEM_LOG_DIRTY_PAGES))
		return -ENOENT;
	bytes = memslot_dirty_bitmap_bytes(s);
	r = physmap_check(env->pm, gpa, bytes, true);
	if (r)
		return r;

	/*
	 * Fetch-and-clear one chunk, then copy it out.  If the destination
	 * lies in this very slot, copying marks its own pages dirty again:
	 * each such page is reported by this log or the next, never lost,
	 * since the hypervisor really did write it.  Clearing everything
	 * after the copy would silently drop those writes.
	 */
	for (done = 0; done < bytes; done += n) {
		u64 *words = s->dirty_bitmap + done / sizeof(u64);

		n = MIN(bytes - done, sizeof(chunk));
		for (i = 0; i < n / sizeof(u64); i++) {
			chunk[i] = words[i];
			words[i] = 0;
		}
		hc_write(env, gpa + done, chunk, n);
	}
	env->ops->dirty_log_cleared(env->ctx, s);
	return 0;
}

s64 hypercall_dispatch(struct hc_env *env, u64 nr, u64 a0, u64 a1, u64 a2,
		       u64 a3)
{
	(void)a2;
	(void)a3;
	env->stats->hypercalls++;

	switch (nr) {
	case APERTURE_HC_VERSION:
		return APERTURE_ABI_VERSION;
	case APERTURE_HC_FEATURES:
		return HC_FEATURES;
	case APERTURE_HC_CONSOLE_WRITE:
		return hc_console_write(env, a0, a1);
	case APERTURE_HC_EXIT:
		env->ops->exit(env->ctx, a0);
		return 0;
	case APERTURE_HC_SET_MEMORY_ALIAS:
		return hc_set_memory_alias(env, a0);
	case APERTURE_HC_GET_MEMORY_ALIAS:
		return hc_get_memory_alias(env, a0);
	case APERTURE_HC_GET_MEMSLOTS:
		return hc_get_memslots(env, a0, a1);
	case APERTURE_HC_GET_STATS:
		return hc_write(env, a0, env->stats, sizeof(*env->stats));
	case APERTURE_HC_RESET_STATS:
		hc_reset_stats(env->stats);
		return 0;
	case APERTURE_HC_GET_DIRTY_LOG:
		return hc_get_dirty_log(env, a0, a1);
	default:
		return -KVM_ENOSYS;
	}
}
