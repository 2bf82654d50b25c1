// SPDX-License-Identifier: MIT
/*
 * Shadow-page bookkeeping without a vCPU: the tests build shadow tables by
 * hand with shadow_get/shadow_link/rmap_add, the way the fault path does,
 * and check the cache and roots (hv/mmu/shadow.c), the reverse maps
 * (rmap.c), write-protection of guest page tables and of dirty-logged
 * slots (write_protect.c), invalidation and page-table-write handling
 * (invalidate.c).
 *
 * Every case starts from a fresh mmu and ends with mmu_destroy(), which
 * must give every pool page back.
 */
#define UNIT_SUITE "shadow"
#include "unit.h"

#include <lib/errno.h>
#include <hv/memslot/memslot.h>
#include <lib/palloc.h>
#include <hv/memslot/physmap.h>
#include <lib/string.h>
#include <hv/mmu/mmu.h>
#include <hv/mmu/shadow.h>
#include <hv/mmu/spte.h>

#define POOL_BYTES	(64ull << 20)

static struct physmap pm;
static struct aperture_stats stats;
static struct mmu mmu;
static u64 pool_free_before;

/* Host pages the leaf entries point at; only their addresses matter. */
static u8 backing[8 * PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

static void setup_mode(enum mmu_invalidate mode)
{
	memset(&stats, 0, sizeof(stats));
	pool_free_before = hv_pool.free_pages;
	CHECK_EQ(mmu_create(&mmu, &pm, &stats, mode, 40), 0);
}

static void setup(void)
{
	setup_mode(MMU_INVALIDATE_TARGETED);
}

static void teardown(void)
{
	mmu_destroy(&mmu);
	CHECK_EQ(stats.shadow_pages_alive, 0);
	CHECK_EQ(hv_pool.free_pages, pool_free_before);
}

static union sp_role role(u32 level, enum paging_mode mode, u32 quadrant,
			  bool direct)
{
	union sp_role r = { .word = 0 };

	r.level = level;
	r.mode = mode;
	r.quadrant = quadrant;
	r.direct = direct;
	r.access = ACC_ALL;
	return r;
}

/* A shadow page that must not exist yet. */
static struct shadow_page *new_sp(gfn_t gfn, union sp_role r)
{
	bool created = false;
	struct shadow_page *sp = shadow_get(&mmu, gfn, r, &created);

	CHECK(sp != NULL);
	CHECK(created);
	return sp;
}

static u64 hpa_of(u32 page)
{
	return (uintptr_t)backing + (u64)page * PAGE_SIZE;
}

/* Installs a writable leaf, as the fault path's miss step does. */
static void leaf(struct shadow_page *sp, u32 idx, gfn_t gfn, u64 hpa)
{
	CHECK_EQ(sp->role.level, 1);
	CHECK_EQ(rmap_add(&mmu, gfn, &sp->spt[idx]), 0);
	sp->gfns[idx] = gfn;
	sp->spt[idx] = hpa | PTE_P | PTE_RW | PTE_A | PTE_D;
}

static void link_child(struct shadow_page *parent, u32 idx,
		 struct shadow_page *child)
{
	CHECK_EQ(shadow_link(&mmu, parent, idx, child, SPTE_TABLE_FLAGS), 0);
}

/* Reverse-map entries for @gfn, over every bucket. */
static u32 rmap_count(gfn_t gfn)
{
	u32 n = 0;

	for (u32 b = 0; b < MMU_RMAP_BUCKETS; b++)
		for (struct link *l = mmu.rmap[b]; l; l = l->next)
			n += l->gfn == gfn;
	return n;
}

static u32 rmap_total(void)
{
	u32 n = 0;

	for (u32 b = 0; b < MMU_RMAP_BUCKETS; b++)
		for (struct link *l = mmu.rmap[b]; l; l = l->next)
			n++;
	return n;
}

/* Is @sp a live shadow page (descriptor in use, still hashed)? */
static bool alive(struct shadow_page *sp)
{
	return sp->spt && shadow_by_hpa(&mmu, (uintptr_t)sp->spt) == sp;
}

static void test_get_hit_miss(void)
{
	union sp_role pt = role(1, PAGING_PAE, 0, false);
	union sp_role pd = role(2, PAGING_PAE, 0, false);
	union sp_role ro = pt;
	struct shadow_page *a, *b, *c, *d, *e;
	bool created = true;

	setup();
	a = new_sp(0x100, pt);
	CHECK(a->spt && IS_ALIGNED((uintptr_t)a->spt, PAGE_SIZE));
	CHECK(palloc_owns(&hv_pool, a->spt, PAGE_SIZE));
	CHECK(a->gfns != NULL);	/* level 1 records guest frames */
	CHECK_EQ(a->gfn, 0x100);
	CHECK_EQ(a->role.word, pt.word);
	CHECK_EQ(stats.shadow_pages_alive, 1);

	b = shadow_get(&mmu, 0x100, pt, &created);
	CHECK(b == a);
	CHECK(!created);
	CHECK_EQ(stats.shadow_pages_alive, 1);

	/* Same frame, another role word: another shadow. */
	ro.access = ACC_U | ACC_X;
	c = new_sp(0x100, ro);
	CHECK(c != a && c->spt != a->spt);
	d = new_sp(0x100, pd);
	CHECK(d != a && d != c);
	CHECK(d->gfns == NULL);
	/* Same role, another frame. */
	e = new_sp(0x101, pt);
	CHECK(e != a);
	CHECK_EQ(stats.shadow_pages_alive, 4);

	/* Each is still found as itself. */
	CHECK(shadow_get(&mmu, 0x100, ro, &created) == c && !created);
	CHECK(shadow_get(&mmu, 0x100, pd, &created) == d && !created);
	CHECK(shadow_get(&mmu, 0x101, pt, &created) == e && !created);
	CHECK(shadow_get(&mmu, 0x100, pt, &created) == a && !created);
	teardown();
}

static void test_by_hpa(void)
{
	struct shadow_page *a, *b;

	setup();
	a = new_sp(0x10, role(1, PAGING_LONG, 0, false));
	b = new_sp(0x11, role(2, PAGING_LONG, 0, false));
	CHECK(shadow_by_hpa(&mmu, (uintptr_t)a->spt) == a);
	CHECK(shadow_by_hpa(&mmu, (uintptr_t)b->spt) == b);
	CHECK(shadow_by_hpa(&mmu, (uintptr_t)a->spt + 8) == NULL);
	CHECK(shadow_by_hpa(&mmu, hpa_of(0)) == NULL);
	/* The bucket of a->spt + 1024 pages holds a, but does not match. */
	CHECK(shadow_by_hpa(&mmu, (uintptr_t)a->spt +
			    MMU_HPA_BUCKETS * PAGE_SIZE) == NULL);
	shadow_zap(&mmu, a);
	CHECK(shadow_by_hpa(&mmu, (uintptr_t)b->spt) == b);
	CHECK_EQ(stats.shadow_pages_alive, 1);
	CHECK_EQ(stats.shadow_pages_zapped, 1);
	teardown();
}

static void test_write_protect(void)
{
	union sp_role pt = role(1, PAGING_PAE, 0, false);
	struct shadow_page *map, *t;
	const gfn_t g = 0x200;

	setup();
	/* A direct page maps gfns g, g + 1 and g again (two gvas). */
	map = new_sp(0x0, role(1, PAGING_PAE, 0, true));
	leaf(map, 5, g, hpa_of(0));
	leaf(map, 6, g + 1, hpa_of(1));
	leaf(map, 7, g, hpa_of(0));

	/* A direct shadow of g is no guest table: nothing changes. */
	new_sp(g, role(1, PAGING_PAE, 0, true));
	CHECK(map->spt[5] & PTE_RW);
	CHECK(!shadow_gfn_is_table(&mmu, g));

	/* A PAE root is no guest page table of its own either. */
	{
		union sp_role r = role(3, PAGING_PAE, 0, false);

		r.pae_root = 1;
		new_sp(g, r);
		CHECK(map->spt[5] & PTE_RW);
	}

	/* Shadowing g as a page table write-protects every mapping of g. */
	t = new_sp(g, pt);
	CHECK(t != NULL);
	CHECK(!(map->spt[5] & PTE_RW));
	CHECK(!(map->spt[7] & PTE_RW));
	CHECK(map->spt[5] & PTE_P);
	CHECK_EQ(spte_addr(map->spt[5]), hpa_of(0));
	/* ... and nothing else. */
	CHECK(map->spt[6] & PTE_RW);
	CHECK(shadow_gfn_is_table(&mmu, g));
	CHECK(!shadow_gfn_is_table(&mmu, g + 1));
	teardown();
}

static void test_gfn_is_table(void)
{
	struct shadow_page *a, *b;

	setup();
	CHECK(!shadow_gfn_is_table(&mmu, 0x42));
	a = new_sp(0x42, role(1, PAGING_32, 0, false));
	b = new_sp(0x42, role(1, PAGING_32, 1, false));
	new_sp(0x43, role(1, PAGING_32, 0, true));
	CHECK(shadow_gfn_is_table(&mmu, 0x42));
	CHECK(!shadow_gfn_is_table(&mmu, 0x43));
	CHECK(shadow_first_of_gfn(&mmu, 0x42) == a ||
	      shadow_first_of_gfn(&mmu, 0x42) == b);

	shadow_zap(&mmu, a);
	CHECK(shadow_gfn_is_table(&mmu, 0x42));
	CHECK(shadow_first_of_gfn(&mmu, 0x42) == b);
	CHECK_EQ(shadow_zap_gfn(&mmu, 0x42), 1);
	CHECK(!shadow_gfn_is_table(&mmu, 0x42));
	CHECK_EQ(shadow_zap_gfn(&mmu, 0x42), 0);
	/* mmu_unshadow drops every role of the frame. */
	new_sp(0x44, role(1, PAGING_32, 0, false));
	new_sp(0x44, role(2, PAGING_32, 0, false));
	mmu_unshadow(&mmu, 0x44);
	CHECK(!shadow_gfn_is_table(&mmu, 0x44));
	CHECK_EQ(stats.shadow_pages_alive, 1);	/* the direct one */
	teardown();
}

static void test_link_zap(void)
{
	struct shadow_page *p, *c;

	setup();
	p = new_sp(0x10, role(2, PAGING_LONG, 0, false));
	c = new_sp(0x11, role(1, PAGING_LONG, 0, false));
	link_child(p, 7, c);
	CHECK_EQ(p->spt[7], (uintptr_t)c->spt | SPTE_TABLE_FLAGS);
	CHECK(shadow_by_hpa(&mmu, spte_addr(p->spt[7])) == c);
	CHECK(c->parents && c->parents->sptep == &p->spt[7]);

	/* Zapping the child clears the parent's entry, nothing more. */
	leaf(c, 0, 0x500, hpa_of(0));
	shadow_zap(&mmu, c);
	CHECK_EQ(p->spt[7], 0);
	CHECK(alive(p));
	CHECK_EQ(stats.shadow_pages_alive, 1);
	CHECK_EQ(stats.shadow_pages_zapped, 1);
	/* Its leaf left the reverse map with it. */
	CHECK_EQ(rmap_count(0x500), 0);
	CHECK_EQ(stats.shadow_ptes_zapped, 1);

	/* Zapping a parent frees the children only it pointed at. */
	c = new_sp(0x11, role(1, PAGING_LONG, 0, false));
	link_child(p, 3, c);
	shadow_zap(&mmu, p);
	CHECK_EQ(stats.shadow_pages_alive, 0);
	CHECK(!shadow_gfn_is_table(&mmu, 0x11));
	teardown();
}

static void test_clear_frees_orphans(void)
{
	struct shadow_page *p, *p2, *c, *shared, *r;

	setup();
	p = new_sp(0x10, role(2, PAGING_LONG, 0, false));
	p2 = new_sp(0x20, role(2, PAGING_LONG, 0, false));
	c = new_sp(0x11, role(1, PAGING_LONG, 0, false));
	shared = new_sp(0x12, role(1, PAGING_LONG, 0, false));
	r = new_sp(0x13, role(1, PAGING_LONG, 0, false));
	link_child(p, 3, c);
	link_child(p, 4, shared);
	link_child(p2, 9, shared);
	link_child(p, 5, r);
	shadow_pin_root(&mmu, r);	/* odd for a PT, but legal */
	leaf(c, 1, 0x600, hpa_of(2));

	shadow_clear(&mmu, p, 3, 3);
	CHECK_EQ(p->spt[3], 0);
	CHECK_EQ(p->spt[4], 0);
	CHECK_EQ(p->spt[5], 0);
	/* c had no other parent: freed, its leaf with it. */
	CHECK(!shadow_gfn_is_table(&mmu, 0x11));
	CHECK_EQ(rmap_count(0x600), 0);
	CHECK_EQ(stats.shadow_ptes_zapped, 1);
	/* shared is still reachable from p2. */
	CHECK(alive(shared));
	CHECK(shared->parents && shared->parents->sptep == &p2->spt[9] &&
	      !shared->parents->next);
	CHECK_EQ(p2->spt[9], (uintptr_t)shared->spt | SPTE_TABLE_FLAGS);
	/* A pinned root survives losing its parents. */
	CHECK(alive(r));
	CHECK(!r->parents);
	CHECK(mmu.roots[0] == r);
	CHECK_EQ(stats.shadow_pages_alive, 4);

	/* Now shared loses its last parent too. */
	shadow_clear(&mmu, p2, 0, SPTE_ENTRIES);
	CHECK(!shadow_gfn_is_table(&mmu, 0x12));
	CHECK_EQ(stats.shadow_pages_alive, 3);

	/* Clearing a leaf range drops exactly those leaves. */
	c = new_sp(0x30, role(1, PAGING_LONG, 0, false));
	for (u32 i = 0; i < 8; i++)
		leaf(c, i, 0x700 + i, hpa_of(i));
	shadow_clear(&mmu, c, 2, 3);
	for (u32 i = 0; i < 8; i++) {
		bool dropped = i >= 2 && i < 5;

		CHECK_EQ(!!spte_present(c->spt[i]), !dropped);
		CHECK_EQ(rmap_count(0x700 + i), dropped ? 0 : 1);
	}
	CHECK_EQ(stats.shadow_ptes_zapped, 4);
	/* Past the end of the table is ignored. */
	shadow_clear(&mmu, c, SPTE_ENTRIES - 1, 100);
	CHECK(spte_present(c->spt[7]));
	teardown();
}

/*
 * The tree for invalidation: a 2-level slice of a long-mode guest, a PD
 * shadow of guest table 0x9000 over a PT shadow of guest table 0x9001,
 * whose leaves 0..15 map gfns 0x300..0x30f.  Another PT shadow, of a guest
 * table that lives at gfn 0x305, hangs under PD entry 1.
 */
struct tree {
	struct shadow_page *pd, *pt, *pt_in_range;
};

static struct tree build_tree(void)
{
	struct tree t;

	t.pd = new_sp(0x9000, role(2, PAGING_LONG, 0, false));
	t.pt = new_sp(0x9001, role(1, PAGING_LONG, 0, false));
	link_child(t.pd, 0, t.pt);
	for (u32 i = 0; i < 16; i++)
		leaf(t.pt, i, 0x300 + i, hpa_of(i % 8));
	t.pt_in_range = new_sp(0x305, role(1, PAGING_LONG, 0, false));
	link_child(t.pd, 1, t.pt_in_range);
	shadow_pin_root(&mmu, t.pd);
	return t;
}

static void test_invalidate_targeted(void)
{
	struct tree t;
	u64 zapped;

	setup();
	t = build_tree();
	/* Shadowing gfn 0x305 write-protected its leaf. */
	CHECK(!(t.pt->spt[5] & PTE_RW));
	CHECK(t.pt->spt[4] & PTE_RW);
	zapped = stats.shadow_ptes_zapped;

	mmu_invalidate_range(&mmu, 0x304, 4);
	CHECK_EQ(stats.shadow_ptes_zapped - zapped, 4);
	for (u32 i = 0; i < 16; i++) {
		bool in = i >= 4 && i < 8;

		CHECK_EQ(!!spte_present(t.pt->spt[i]), !in);
		CHECK_EQ(rmap_count(0x300 + i), in ? 0 : 1);
	}
	/* The guest table that lived at 0x305 lost its shadow... */
	CHECK(!shadow_gfn_is_table(&mmu, 0x305));
	CHECK_EQ(t.pd->spt[1], 0);
	/* ... and the tables above the leaves stay. */
	CHECK(alive(t.pd) && alive(t.pt));
	CHECK_EQ(t.pd->spt[0], (uintptr_t)t.pt->spt | SPTE_TABLE_FLAGS);
	CHECK(mmu.root == t.pd);
	CHECK_EQ(stats.shadow_pages_alive, 2);

	/* An empty range does nothing. */
	mmu_invalidate_range(&mmu, 0x300, 0);
	CHECK_EQ(rmap_total(), 12);
	/* The table's own frame: the whole slice goes. */
	mmu_invalidate_range(&mmu, 0x9001, 1);
	CHECK(!shadow_gfn_is_table(&mmu, 0x9001));
	CHECK_EQ(t.pd->spt[0], 0);
	CHECK_EQ(rmap_total(), 0);
	CHECK_EQ(stats.shadow_ptes_zapped - zapped, 16);
	teardown();
}

/* At MMU_RMAP_BUCKETS pages or more, every bucket is walked once. */
static void test_invalidate_targeted_huge(void)
{
	struct shadow_page *pd, *pt, *in_range, *direct;
	u64 zapped;

	setup();
	pd = new_sp(0x9000, role(2, PAGING_LONG, 0, false));
	pt = new_sp(0x9001, role(1, PAGING_LONG, 0, false));
	link_child(pd, 0, pt);
	for (u32 i = 0; i < 8; i++)
		leaf(pt, i, 0x100 + i, hpa_of(i));		/* inside */
	for (u32 i = 8; i < 16; i++)
		leaf(pt, i, 0x5000 + i, hpa_of(i - 8));	/* outside */
	leaf(pt, 16, 0x1fff, hpa_of(0));		/* last inside */
	leaf(pt, 17, 0x2000, hpa_of(0));		/* first outside */
	in_range = new_sp(0x1800, role(1, PAGING_LONG, 0, false));
	link_child(pd, 1, in_range);
	direct = new_sp(0x1000, role(1, PAGING_LONG, 0, true));
	link_child(pd, 2, direct);
	zapped = stats.shadow_ptes_zapped;

	mmu_invalidate_range(&mmu, 0, 0x2000);
	CHECK_EQ(stats.shadow_ptes_zapped - zapped, 9);
	for (u32 i = 0; i < 18; i++)
		CHECK_EQ(!!spte_present(pt->spt[i]), i >= 8 && i != 16);
	CHECK_EQ(rmap_total(), 9);
	CHECK_EQ(rmap_count(0x2000), 1);
	CHECK(!shadow_gfn_is_table(&mmu, 0x1800));
	CHECK_EQ(pd->spt[1], 0);
	/* A direct page maps, it is no table in the range: kept. */
	CHECK(alive(direct));
	CHECK(alive(pd) && alive(pt));
	teardown();
}

static void test_invalidate_all(void)
{
	struct shadow_page *other;
	struct tree t;

	setup_mode(MMU_INVALIDATE_ALL);
	t = build_tree();
	other = new_sp(0x7000, role(1, PAGING_LONG, 0, true));
	leaf(other, 0, 0x8000, hpa_of(0));
	CHECK_EQ(stats.shadow_pages_alive, 4);

	/* An empty range is no change. */
	mmu_invalidate_range(&mmu, 0x8000, 0);
	CHECK_EQ(stats.shadow_pages_alive, 4);

	/* One frame nobody maps: still everything goes. */
	mmu_invalidate_range(&mmu, 0x12345, 1);
	CHECK_EQ(stats.shadow_pages_alive, 0);
	CHECK_EQ(stats.shadow_pages_zapped, 4);
	CHECK(!alive(t.pd) && !alive(t.pt) && !alive(t.pt_in_range));
	CHECK(mmu.root == NULL);
	for (u32 i = 0; i < MMU_MAX_ROOTS; i++)
		CHECK(mmu.roots[i] == NULL);
	CHECK_EQ(rmap_total(), 0);
	for (u32 b = 0; b < MMU_GFN_BUCKETS; b++)
		CHECK(mmu.by_gfn[b] == NULL);
	teardown();
}

static void test_pin_root(void)
{
	struct shadow_page *r[MMU_MAX_ROOTS + 2], *p;

	setup();
	for (u32 i = 0; i < ARRAY_SIZE(r); i++)
		r[i] = new_sp(0x1000 + i, role(4, PAGING_LONG, 0, false));
	for (u32 i = 0; i < MMU_MAX_ROOTS; i++) {
		shadow_pin_root(&mmu, r[i]);
		CHECK(mmu.root == r[i]);
		CHECK_EQ(r[i]->root_count, 1);
	}
	for (u32 i = 0; i < MMU_MAX_ROOTS; i++)
		CHECK(mmu.roots[i] == r[MMU_MAX_ROOTS - 1 - i]);

	/* Re-pinning a cached root moves it to the front, evicting none. */
	shadow_pin_root(&mmu, r[1]);
	CHECK(mmu.root == r[1]);
	CHECK(mmu.roots[0] == r[1] && mmu.roots[1] == r[3] &&
	      mmu.roots[2] == r[2] && mmu.roots[3] == r[0]);
	CHECK_EQ(stats.shadow_pages_alive, ARRAY_SIZE(r));

	/* A fifth root evicts the least recent, r[0], and frees it. */
	shadow_pin_root(&mmu, r[4]);
	CHECK(mmu.roots[0] == r[4] && mmu.roots[1] == r[1] &&
	      mmu.roots[2] == r[3] && mmu.roots[3] == r[2]);
	CHECK(!shadow_gfn_is_table(&mmu, 0x1000));
	CHECK_EQ(stats.shadow_pages_alive, ARRAY_SIZE(r) - 1);

	/* An evicted root that something still points at stays, unpinned. */
	p = new_sp(0x2000, role(4, PAGING_LONG, 0, false));
	link_child(p, 0, r[2]);
	shadow_pin_root(&mmu, r[5]);
	CHECK(alive(r[2]));
	CHECK_EQ(r[2]->root_count, 0);
	for (u32 i = 0; i < MMU_MAX_ROOTS; i++)
		CHECK(mmu.roots[i] != r[2]);

	/* Zapping the root in use unpins it; the rest shift up. */
	CHECK(mmu.root == r[5]);
	shadow_zap(&mmu, r[5]);
	CHECK(mmu.root == NULL);
	CHECK(mmu.roots[0] == r[4] && mmu.roots[1] == r[1] &&
	      mmu.roots[2] == r[3] && mmu.roots[3] == NULL);
	teardown();
}

/* Fills leaves [0, n) of @sp with distinct gfns from @gfn0. */
static void fill_leaves(struct shadow_page *sp, u32 n, gfn_t gfn0)
{
	for (u32 i = 0; i < n; i++)
		leaf(sp, i, gfn0 + i, hpa_of(i % 8));
}

static void test_pt_written_pae(void)
{
	const gfn_t g = 0x40;
	const gpa_t base = g << PAGE_SHIFT;
	struct shadow_page *pt, *pd, *c;

	setup();
	pt = new_sp(g, role(1, PAGING_PAE, 0, false));
	fill_leaves(pt, 10, 0x800);

	mmu_pt_written(&mmu, base + 8 * 3, 8);
	CHECK_EQ(stats.pt_writes_emulated, 1);
	for (u32 i = 0; i < 10; i++)
		CHECK_EQ(!!spte_present(pt->spt[i]), i != 3);

	/* A 4-byte write to the high half of entry 5. */
	mmu_pt_written(&mmu, base + 8 * 5 + 4, 4);
	CHECK(!spte_present(pt->spt[5]));
	CHECK(spte_present(pt->spt[4]) && spte_present(pt->spt[6]));

	/* A misaligned 8-byte write spans entries 7 and 8. */
	mmu_pt_written(&mmu, base + 8 * 7 + 4, 8);
	CHECK(!spte_present(pt->spt[7]) && !spte_present(pt->spt[8]));
	CHECK(spte_present(pt->spt[6]) && spte_present(pt->spt[9]));
	CHECK_EQ(stats.shadow_ptes_zapped, 4);

	/* A zero-length write is counted but changes nothing. */
	mmu_pt_written(&mmu, base, 0);
	CHECK(spte_present(pt->spt[0]));
	CHECK_EQ(stats.pt_writes_emulated, 4);

	/* A write to a frame with no shadow touches nothing. */
	mmu_pt_written(&mmu, (g + 1) << PAGE_SHIFT, 8);
	CHECK(spte_present(pt->spt[1]));

	/* In a PAE PD, entry i names the child at shadow index i. */
	pd = new_sp(g + 2, role(2, PAGING_PAE, 0, false));
	c = new_sp(0x900, role(1, PAGING_PAE, 0, true));
	link_child(pd, 2, c);
	link_child(pd, 3, new_sp(0x901, role(1, PAGING_PAE, 0, true)));
	mmu_pt_written(&mmu, ((g + 2) << PAGE_SHIFT) + 16, 8);
	CHECK_EQ(pd->spt[2], 0);
	CHECK(spte_present(pd->spt[3]));
	CHECK_EQ(stats.shadow_pages_alive, 3);	/* c freed */
	teardown();
}

static void test_pt_written_32bit_pt(void)
{
	const gfn_t g = 0x50;
	const gpa_t base = g << PAGE_SHIFT;
	struct shadow_page *q0, *q1;

	setup();
	/* The two halves of one 1024-entry guest PT. */
	q0 = new_sp(g, role(1, PAGING_32, 0, false));
	q1 = new_sp(g, role(1, PAGING_32, 1, false));
	fill_leaves(q0, 8, 0xa00);
	fill_leaves(q1, 8, 0xb00);

	/* Guest PTE 512 + 3, 4 bytes wide: shadow entry 3 of quadrant 1. */
	mmu_pt_written(&mmu, base + 4 * (512 + 3), 4);
	for (u32 i = 0; i < 8; i++) {
		CHECK_EQ(!!spte_present(q1->spt[i]), i != 3);
		CHECK(spte_present(q0->spt[i]));
	}

	/* Guest PTE 6: quadrant 0 only. */
	mmu_pt_written(&mmu, base + 4 * 6, 4);
	CHECK(!spte_present(q0->spt[6]));
	CHECK(spte_present(q0->spt[5]) && spte_present(q0->spt[7]));
	CHECK(spte_present(q1->spt[6]));

	/* One 8-byte write covers guest PTEs 512 and 513. */
	mmu_pt_written(&mmu, base + 4 * 512, 8);
	CHECK(!spte_present(q1->spt[0]) && !spte_present(q1->spt[1]));
	CHECK(spte_present(q1->spt[2]));
	CHECK(spte_present(q0->spt[0]) && spte_present(q0->spt[1]));
	CHECK_EQ(stats.shadow_ptes_zapped, 4);
	teardown();
}

static void test_pt_written_32bit_pd(void)
{
	const gfn_t g = 0x60;
	const gpa_t base = g << PAGE_SHIFT;
	const u32 q = 2, k = 5;
	struct shadow_page *pd, *other;
	union sp_role dir = role(1, PAGING_32, 0, true);

	setup();
	pd = new_sp(g, role(2, PAGING_32, q, false));
	/* Quadrant 0 of the same guest PD, one child at entries 2k, 2k+1. */
	other = new_sp(g, role(2, PAGING_32, 0, false));
	for (u32 i = 2 * k - 1; i <= 2 * k + 2; i++)
		link_child(pd, i, new_sp(0xc00 + i, dir));
	link_child(other, 2 * k, new_sp(0xd00, dir));
	link_child(other, 2 * k + 1, new_sp(0xd01, dir));
	CHECK_EQ(stats.shadow_pages_alive, 8);

	/* A 4 MiB guest PDE is two 2 MiB shadow PDEs. */
	mmu_pt_written(&mmu, base + 4 * (256 * q + k), 4);
	CHECK_EQ(pd->spt[2 * k], 0);
	CHECK_EQ(pd->spt[2 * k + 1], 0);
	CHECK(spte_present(pd->spt[2 * k - 1]));
	CHECK(spte_present(pd->spt[2 * k + 2]));
	/* The other quadrant covers guest PDEs 0..255: untouched. */
	CHECK(spte_present(other->spt[2 * k]));
	CHECK(spte_present(other->spt[2 * k + 1]));
	CHECK_EQ(stats.shadow_pages_alive, 6);

	/* Guest PDE k of quadrant 0. */
	mmu_pt_written(&mmu, base + 4 * k, 4);
	CHECK_EQ(other->spt[2 * k], 0);
	CHECK_EQ(other->spt[2 * k + 1], 0);
	CHECK(spte_present(pd->spt[2 * k - 1]));
	CHECK_EQ(stats.shadow_pages_alive, 4);
	teardown();
}

static void test_write_protect_slot(void)
{
	struct memslot slot = {
		.base_gfn = 0x100, .npages = 4, .id = 0, .host = backing,
	};
	struct shadow_page *pt, *pd;
	static u8 outside[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

	setup();
	pt = new_sp(0x70, role(1, PAGING_LONG, 0, false));
	leaf(pt, 0, 0x100, hpa_of(0));
	leaf(pt, 1, 0x103, hpa_of(3));
	leaf(pt, 2, 0x104, hpa_of(4));		/* past the slot */
	leaf(pt, 3, 0x200, (uintptr_t)outside);
	pd = new_sp(0x71, role(2, PAGING_LONG, 0, false));
	link_child(pd, 0, pt);

	mmu_write_protect_slot(&mmu, &slot);
	CHECK(!(pt->spt[0] & PTE_RW) && spte_present(pt->spt[0]));
	CHECK(!(pt->spt[1] & PTE_RW) && spte_present(pt->spt[1]));
	CHECK_EQ(spte_addr(pt->spt[1]), hpa_of(3));
	CHECK(pt->spt[2] & PTE_RW);
	CHECK(pt->spt[3] & PTE_RW);
	/*
	 * Only level-1 entries are leaves: a directory entry keeps RW even
	 * when its address falls in the slot.
	 */
	pd->spt[1] = hpa_of(1) | PTE_P | PTE_RW;
	mmu_write_protect_slot(&mmu, &slot);
	CHECK(pd->spt[1] & PTE_RW);
	CHECK(pd->spt[0] & PTE_RW);
	pd->spt[1] = 0;		/* no shadow page behind it to free */
	/* Nothing was dropped. */
	CHECK_EQ(rmap_total(), 4);
	CHECK_EQ(stats.shadow_ptes_zapped, 0);
	teardown();
}

static void test_destroy_frees_all(void)
{
	u64 before = hv_pool.free_pages;
	struct tree t;

	setup();
	CHECK(hv_pool.free_pages < before);	/* descriptor + link pools */
	t = build_tree();
	for (u32 i = 0; i < 50; i++)
		link_child(t.pd, 10 + i,
		     new_sp(0x4000 + i, role(1, PAGING_LONG, 0, true)));
	new_sp(0x5000, role(3, PAGING_LONG, 0, false));	/* unreachable */
	CHECK_EQ(stats.shadow_pages_alive, 54);
	mmu_destroy(&mmu);
	CHECK_EQ(hv_pool.free_pages, before);
	CHECK_EQ(stats.shadow_pages_alive, 0);
	CHECK(mmu.sp_pool == NULL && mmu.link_pool == NULL);
	/* Destroying twice is harmless (error paths call it). */
	mmu_destroy(&mmu);
	CHECK_EQ(hv_pool.free_pages, before);
}

int main(void)
{
	void *mem = aligned_alloc(PAGE_SIZE, POOL_BYTES);

	if (!mem || palloc_init(&hv_pool, mem, POOL_BYTES / PAGE_SIZE)) {
		fprintf(stderr, "shadow_test: cannot set up the page pool\n");
		return 2;
	}
	physmap_init(&pm);

	RUN(test_get_hit_miss);
	RUN(test_by_hpa);
	RUN(test_write_protect);
	RUN(test_gfn_is_table);
	RUN(test_link_zap);
	RUN(test_clear_frees_orphans);
	RUN(test_invalidate_targeted);
	RUN(test_invalidate_targeted_huge);
	RUN(test_invalidate_all);
	RUN(test_pin_root);
	RUN(test_pt_written_pae);
	RUN(test_pt_written_32bit_pt);
	RUN(test_pt_written_32bit_pd);
	RUN(test_write_protect_slot);
	RUN(test_destroy_frees_all);
	free(mem);
	return unit_done();
}
