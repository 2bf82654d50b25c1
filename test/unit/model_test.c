// SPDX-License-Identifier: MIT
/*
 * Model-based test of the physmap: random alias and memslot operations,
 * checked after every step against a brute-force reference that resolves
 * every gfn of a small universe by scanning plain arrays.
 */
#define UNIT_SUITE "model"
#include "unit.h"

#include <hv/memslot/physmap.h>
#include <lib/errno.h>
#include <lib/string.h>

#define UNIVERSE	64	/* gfns that ranges start in */
#define PROBE		80	/* gfns checked: ranges may run past UNIVERSE */
#define MAX_PAGES	8
#define NIDS		8	/* memslot ids in play */
#define STEPS		20000

struct ref_alias { bool used; gfn_t base; u64 n; gfn_t target; };
struct ref_slot { bool used; gfn_t base; u64 n; };

static struct physmap pm;
static struct ref_alias ra[ALIAS_SLOTS];
static struct ref_slot rs[NIDS];
static u8 pool[NIDS][MAX_PAGES * PAGE_SIZE];
static u64 rng_state = 0x9e3779b97f4a7c15ull;
static u64 nsteps, nchecks, ninserted, naliased;

/* Marsaglia xorshift64: fixed seed, so every run is the same run. */
static u64 rnd(u64 bound)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state % bound;
}

static gfn_t ref_unalias(gfn_t gfn)
{
	u32 i;

	for (i = 0; i < ALIAS_SLOTS; i++)
		if (ra[i].used && gfn >= ra[i].base && gfn < ra[i].base + ra[i].n)
			return ra[i].target + (gfn - ra[i].base);
	return gfn;
}

static int ref_slot_of(gfn_t gfn)
{
	int id;

	for (id = 0; id < NIDS; id++)
		if (rs[id].used && gfn >= rs[id].base &&
		    gfn < rs[id].base + rs[id].n)
			return id;
	return -1;
}

static void step_alias(void)
{
	struct aperture_memory_alias a = {
		.slot = (u32)rnd(ALIAS_SLOTS + 1),
		.guest_phys_addr = rnd(UNIVERSE) << PAGE_SHIFT,
		.memory_size = rnd(MAX_PAGES + 1) << PAGE_SHIFT,
		.target_phys_addr = rnd(UNIVERSE) << PAGE_SHIFT,
	};
	int expect = 0;

	if (rnd(16) == 0)
		a.flags = 1;
	if (a.slot >= ALIAS_SLOTS || a.flags)
		expect = -EINVAL;
	CHECK_EQ(alias_set(&pm.aliases, &a, NULL), expect);
	if (expect)
		return;
	ra[a.slot].used = a.memory_size != 0;
	ra[a.slot].base = a.guest_phys_addr >> PAGE_SHIFT;
	ra[a.slot].n = a.memory_size >> PAGE_SHIFT;
	ra[a.slot].target = a.target_phys_addr >> PAGE_SHIFT;
	naliased++;
}

static void step_insert(void)
{
	u32 id = (u32)rnd(NIDS);
	struct memslot s = {
		.base_gfn = rnd(UNIVERSE), .npages = 1 + rnd(MAX_PAGES),
		.id = id, .host = pool[id],
	};
	int expect = 0, other;

	if (rs[id].used)
		expect = -EEXIST;
	for (other = 0; other < NIDS; other++)
		if (rs[other].used && s.base_gfn < rs[other].base + rs[other].n &&
		    rs[other].base < s.base_gfn + s.npages)
			expect = -EEXIST;
	CHECK_EQ(memslots_insert(&pm.slots, &s), expect);
	if (expect)
		return;
	rs[id].used = true;
	rs[id].base = s.base_gfn;
	rs[id].n = s.npages;
	ninserted++;
}

static void step_delete(void)
{
	u32 id = (u32)rnd(NIDS);

	CHECK_EQ(memslots_delete(&pm.slots, id), rs[id].used ? 0 : -ENOENT);
	rs[id].used = false;
}

static void check_all(void)
{
	int top = 0, i, id;
	gfn_t gfn;

	for (i = 0; i < ALIAS_SLOTS; i++)
		if (ra[i].used)
			top = i + 1;
	CHECK_EQ(pm.aliases.naliases, top);
	for (i = 1; i < (int)pm.slots.nslots; i++)
		CHECK(pm.slots.slots[i - 1].base_gfn +
		      pm.slots.slots[i - 1].npages <= pm.slots.slots[i].base_gfn);

	/* Scan in a step-dependent order so the last-used cache is stale. */
	for (i = 0; i < PROBE; i++) {
		struct memslot *s;
		gfn_t t;
		void *hva;

		gfn = (i * 37 + nsteps) % PROBE;
		t = ref_unalias(gfn);
		id = ref_slot_of(t);
		CHECK_EQ(unalias_gfn(&pm.aliases, gfn), t);
		hva = physmap_gfn_to_hva(&pm, gfn, &s);
		if (id < 0) {
			CHECK(hva == NULL && s == NULL);
		} else {
			CHECK(hva == pool[id] + (t - rs[id].base) * PAGE_SIZE);
			CHECK(s && s->id == (u32)id);
		}
		nchecks++;
	}
}

static void test_random_walk(void)
{
	u64 op;

	physmap_init(&pm);
	for (nsteps = 0; nsteps < STEPS; nsteps++) {
		op = rnd(10);
		if (op < 4)
			step_alias();
		else if (op < 7)
			step_insert();
		else
			step_delete();
		check_all();
		if (unit_case_failed) {
			fprintf(stderr, "  diverged at step %" PRIu64 "\n",
				nsteps);
			return;
		}
	}
	/* The walk must actually have exercised both tables. */
	CHECK(naliased > STEPS / 10);
	CHECK(ninserted > STEPS / 20);
	printf("# model: %" PRIu64 " steps, %" PRIu64 " lookups checked\n",
	       nsteps, nchecks);
}

int main(void)
{
	RUN(test_random_walk);
	return unit_done();
}
