// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the hypercall dispatcher, alias table, memslots and
 * physmap.  The input is a program: each op byte picks a hypercall, a guest
 * memory write, a memslot insert/delete or a raw alias_set, with its
 * arguments taken from the following bytes.  After every op the structural
 * invariants are checked and every gfn in a probe window is resolved both
 * by the real lookup and by a linear scan; any disagreement aborts.
 *
 *	clang -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined -I. \
 *		-Iinclude test/fuzz/hypercall_fuzz.c hv/alias/alias.c \
 *		hv/memslot/memslot.c hv/memslot/physmap.c hv/hypercall/hypercall.c -o hypercall_fuzz
 *	./hypercall_fuzz -runs=1000000 -seed=1
 */
#include <hv/hypercall/hypercall.h>
#include <lib/errno.h>
#include <lib/string.h>

#define NIDS		8	/* memslot ids in play (some left out of range) */
#define SLOT_PAGES	8	/* max pages per slot */
#define GFN_SPACE	64	/* slots and aliases start below this gfn */
#define PROBE		(GFN_SPACE + 2 * SLOT_PAGES)
/*
 * Ops per input.  The state space (8 slots, 4 aliases) is small, so long
 * programs find nothing new and only slow the full check after each op.
 */
#define MAX_OPS		48

static struct physmap pm;
static struct aperture_stats stats;
static u8 pool[NIDS][SLOT_PAGES * PAGE_SIZE];
static u64 bitmaps[NIDS][ALIGN_UP(SLOT_PAGES, 64) / 64];

struct input {
	const u8 *p;
	size_t left;
};

#define fuzz_assert(c)	do { if (!(c)) __builtin_trap(); } while (0)

static u8 take8(struct input *in)
{
	if (!in->left)
		return 0;
	in->left--;
	return *in->p++;
}

static u64 take64(struct input *in)
{
	u64 v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | take8(in);
	return v;
}

/*
 * A guest-physical address: usually near the slots, page-aligned or not,
 * sometimes a raw 64-bit value to reach overflow and wrap-around paths.
 */
static u64 take_gpa(struct input *in)
{
	u8 mode = take8(in);

	switch (mode & 3) {
	case 0:
		return take64(in);
	case 1:
		return (u64)(take8(in) % PROBE) << PAGE_SHIFT;
	default:
		return ((u64)(take8(in) % PROBE) << PAGE_SHIFT) +
		       (take8(in) << 4 | (mode >> 4));
	}
}

/* A length: mostly small, sometimes around page and limit boundaries. */
static u64 take_len(struct input *in)
{
	static const u64 edges[] = {
		0, 1, 8, 24, 32, PAGE_SIZE - 1, PAGE_SIZE, PAGE_SIZE + 1,
		APERTURE_CONSOLE_WRITE_MAX + 1, ~0ull,
	};
	u8 mode = take8(in);

	if (mode < 0x40)
		return edges[mode % ARRAY_SIZE(edges)];
	if (mode < 0x80)
		return take64(in);
	return take8(in) | (u64)(mode & 0x3f) << 8;
}

static void cb_console(void *ctx, const char *s, size_t len)
{
	static char sink[APERTURE_CONSOLE_WRITE_MAX];

	(void)ctx;
	fuzz_assert(len && len <= sizeof(sink));
	memcpy(sink, s, len);		/* lets ASan check the whole buffer */
}

static void cb_exit(void *ctx, u64 status)
{
	(void)ctx;
	(void)status;
}

static void cb_invalidate(void *ctx, gfn_t gfn, u64 npages)
{
	(void)ctx;
	fuzz_assert(npages && gfn + npages > gfn);
	fuzz_assert(gfn + npages <= MEMSLOT_GFN_LIMIT);
}

static void cb_cleared(void *ctx, struct memslot *slot)
{
	(void)ctx;
	fuzz_assert(slot >= pm.slots.slots &&
		    slot < pm.slots.slots + pm.slots.nslots);
	fuzz_assert(slot->flags & APERTURE_MEM_LOG_DIRTY_PAGES);
}

/* What the dispatcher reports written, it wrote: writable RAM, all of it. */
static void cb_written(void *ctx, gpa_t gpa, u64 len)
{
	(void)ctx;
	fuzz_assert(len && gpa + len > gpa);
	fuzz_assert(physmap_check(&pm, gpa, len, true) == 0);
}

static const struct hc_env_ops ops = {
	.console_write = cb_console,
	.exit = cb_exit,
	.invalidate_range = cb_invalidate,
	.dirty_log_cleared = cb_cleared,
	.written = cb_written,
};

static struct hc_env env = { &ops, NULL, &pm, &stats };

static void op_hypercall(struct input *in)
{
	u64 nr = take8(in) % 12, a0, a1, before = stats.hypercalls;
	s64 r;

	a0 = nr == APERTURE_HC_GET_DIRTY_LOG ? take8(in) % (NIDS + 2) :
					       take_gpa(in);
	a1 = nr == APERTURE_HC_GET_DIRTY_LOG ? take_gpa(in) : take_len(in);
	r = hypercall_dispatch(&env, nr, a0, a1, take64(in), take64(in));

	if (nr != APERTURE_HC_RESET_STATS)
		fuzz_assert(stats.hypercalls == before + 1);
	switch (nr) {
	case APERTURE_HC_VERSION:
		fuzz_assert(r == APERTURE_ABI_VERSION);
		break;
	case APERTURE_HC_CONSOLE_WRITE:
		fuzz_assert(r == (s64)a1 || r == -E2BIG || r == -EFAULT);
		fuzz_assert(r != -E2BIG || a1 > APERTURE_CONSOLE_WRITE_MAX);
		break;
	case APERTURE_HC_EXIT:
	case APERTURE_HC_RESET_STATS:
		fuzz_assert(r == 0);
		break;
	case APERTURE_HC_SET_MEMORY_ALIAS:
	case APERTURE_HC_GET_MEMORY_ALIAS:
		fuzz_assert(r == 0 || r == -EFAULT || r == -EINVAL);
		break;
	case APERTURE_HC_GET_MEMSLOTS:
		fuzz_assert(r == pm.slots.nslots || r == -EFAULT);
		break;
	case APERTURE_HC_GET_STATS:
		fuzz_assert(r == 0 || r == -EFAULT);
		break;
	case APERTURE_HC_GET_DIRTY_LOG:
		fuzz_assert(r == 0 || r == -EFAULT || r == -EINVAL ||
			    r == -ENOENT);
		break;
	case APERTURE_HC_FEATURES:
		fuzz_assert(r > 0);
		break;
	default:
		fuzz_assert(r == -KVM_ENOSYS);
	}
}

static void op_guest_write(struct input *in)
{
	u8 buf[64];
	gpa_t gpa = take_gpa(in);
	size_t len = take8(in) % (sizeof(buf) + 1), i;

	for (i = 0; i < len; i++)
		buf[i] = take8(in);
	physmap_write(&pm, gpa, buf, len);
}

static void op_insert(struct input *in)
{
	u32 id = take8(in) % (NIDS + 1);	/* NIDS itself: no backing */
	struct memslot s = {
		.base_gfn = take8(in) % GFN_SPACE,
		.npages = take8(in) % (SLOT_PAGES + 1),
		.id = id,
		.flags = take8(in) % 8,
	};
	int r;

	if (id < NIDS) {
		s.host = pool[id];
		if (take8(in) & 1)
			s.dirty_bitmap = bitmaps[id];
	}
	/* Fresh RAM and an empty log, as the caller contract requires. */
	if (id < NIDS && !memslots_by_id(&pm.slots, id)) {
		memset(pool[id], 0, sizeof(pool[id]));
		memset(bitmaps[id], 0, sizeof(bitmaps[id]));
	}
	r = memslots_insert(&pm.slots, &s);
	fuzz_assert(r == 0 || r == -EINVAL || r == -EEXIST);
}

static void op_delete(struct input *in)
{
	u32 id = take8(in) % (NIDS + 1);
	bool had = memslots_by_id(&pm.slots, id) != NULL;

	fuzz_assert(memslots_delete(&pm.slots, id) == (had ? 0 : -ENOENT));
	fuzz_assert(!memslots_by_id(&pm.slots, id));
}

static void op_alias(struct input *in)
{
	struct aperture_memory_alias a = {
		.slot = take8(in) % (ALIAS_SLOTS + 1),
		.flags = take8(in) < 8,
		.guest_phys_addr = take_gpa(in),
		.memory_size = take_len(in),
		.target_phys_addr = take_gpa(in),
	};
	struct mem_alias old;
	int r = alias_set(&pm.aliases, &a, &old);

	fuzz_assert(r == 0 || r == -EINVAL);
}

static void check_invariants(void)
{
	const struct alias_table *t = &pm.aliases;
	const struct memslots *ms = &pm.slots;
	int i, top = 0;
	u32 k, j;
	gfn_t gfn;

	for (i = 0; i < ALIAS_SLOTS; i++) {
		const struct mem_alias *p = &t->aliases[i];

		if (p->npages) {
			top = i + 1;
			fuzz_assert(p->base_gfn + p->npages > p->base_gfn);
			fuzz_assert(p->target_gfn + p->npages > p->target_gfn);
		} else {
			fuzz_assert(!p->base_gfn && !p->target_gfn);
		}
	}
	fuzz_assert(t->naliases == top);

	fuzz_assert(ms->nslots <= APERTURE_MEMSLOTS_MAX);
	for (k = 0; k < ms->nslots; k++) {
		const struct memslot *s = &ms->slots[k];
		u64 words = memslot_dirty_bitmap_bytes(s) / 8, w;

		fuzz_assert(s->npages && s->npages <= SLOT_PAGES && s->id < NIDS);
		fuzz_assert(s->host == pool[s->id]);
		if (k)
			fuzz_assert(ms->slots[k - 1].base_gfn +
				    ms->slots[k - 1].npages <= s->base_gfn);
		for (j = 0; j < k; j++)
			fuzz_assert(ms->slots[j].id != s->id);
		if (!(s->flags & APERTURE_MEM_LOG_DIRTY_PAGES))
			continue;
		/* No bit past npages is ever set. */
		for (w = 0; w < words; w++) {
			u64 valid = s->npages - w * 64;

			if (valid < 64)
				fuzz_assert(!(s->dirty_bitmap[w] >> valid));
		}
	}

	/* Binary search + cache must agree with a linear scan. */
	for (gfn = 0; gfn < PROBE; gfn++) {
		gfn_t real = gfn;
		struct memslot *want = NULL, *got;
		u8 *hva;

		for (i = 0; i < ALIAS_SLOTS; i++) {
			const struct mem_alias *p = &t->aliases[i];

			if (p->npages && gfn >= p->base_gfn &&
			    gfn < p->base_gfn + p->npages) {
				real = p->target_gfn + gfn - p->base_gfn;
				break;
			}
		}
		fuzz_assert(unalias_gfn(t, gfn) == real);
		for (k = 0; k < ms->nslots; k++)
			if (real >= ms->slots[k].base_gfn &&
			    real < ms->slots[k].base_gfn + ms->slots[k].npages)
				want = &pm.slots.slots[k];
		hva = physmap_gfn_to_hva(&pm, gfn, &got);
		fuzz_assert(got == want);
		if (want)
			fuzz_assert(hva == want->host +
				    (real - want->base_gfn) * PAGE_SIZE);
		else
			fuzz_assert(!hva);
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct input in = { data, size };
	int nops;

	physmap_init(&pm);
	memset(&stats, 0, sizeof(stats));
	for (nops = 0; in.left && nops < MAX_OPS; nops++) {
		switch (take8(&in) % 6) {
		case 0:
		case 1:
			op_hypercall(&in);
			break;
		case 2:
			op_guest_write(&in);
			break;
		case 3:
			op_insert(&in);
			break;
		case 4:
			op_delete(&in);
			break;
		default:
			op_alias(&in);
		}
		check_invariants();
	}
	return 0;
}
