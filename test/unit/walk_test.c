/* SPDX-License-Identifier: MIT */
/*
 * Host tests for the guest page-table walker (hv/mmu/walk.c): hand-built
 * page tables in a fake guest memory, for every paging mode.
 */
#define UNIT_SUITE "walk"
#include "unit.h"

#include <string.h>

#include <hv/mmu/walk.h>
#include <lib/x86.h>

#define MEM_SIZE	(64 * PAGE_SIZE)
#define W		PFERR_WRITE
#define U		PFERR_USER
#define F		PFERR_FETCH
#define P		PFERR_PRESENT
#define RSVD		PFERR_RSVD
#define PRESENT_RW_US	(PTE_P | PTE_RW | PTE_US)

/* Guest RAM is [0, MEM_SIZE); [rom_start, rom_end) refuses writes. */
static struct fake_mem {
	u8 bytes[MEM_SIZE];
	gpa_t rom_start, rom_end;
	int eagain;		/* spurious -EAGAIN answers still to give */
	void (*race)(void);	/* run once, just before the next cmpxchg */
	int cmpxchgs;		/* successful ones */
	int cmpxchg_calls;	/* all of them */
	int reads;
	int read_err;		/* if set, every read fails with it */
	int cmpxchg_err;	/* if set, every cmpxchg fails with it */
} mem;

static bool backed(gpa_t gpa, unsigned size)
{
	return gpa < MEM_SIZE && size <= MEM_SIZE - gpa;
}

static int fake_read(void *ctx, gpa_t gpa, u64 *val, unsigned size)
{
	(void)ctx;
	mem.reads++;
	if (mem.read_err)
		return mem.read_err;
	if (!backed(gpa, size))
		return -EFAULT;
	*val = 0;
	memcpy(val, &mem.bytes[gpa], size);
	return 0;
}

static int fake_cmpxchg(void *ctx, gpa_t gpa, u64 old, u64 new, unsigned size)
{
	u64 cur = 0;

	(void)ctx;
	mem.cmpxchg_calls++;
	if (mem.cmpxchg_err)
		return mem.cmpxchg_err;
	if (mem.race) {
		void (*race)(void) = mem.race;

		mem.race = NULL;
		race();
	}
	if (!backed(gpa, size) || (gpa >= mem.rom_start && gpa < mem.rom_end))
		return -EFAULT;
	if (mem.eagain > 0) {
		mem.eagain--;
		return -EAGAIN;
	}
	memcpy(&cur, &mem.bytes[gpa], size);
	if (cur != old)
		return -EAGAIN;
	memcpy(&mem.bytes[gpa], &new, size);
	mem.cmpxchgs++;
	return 0;
}

static const struct walk_mem_ops ops = {
	.read = fake_read,
	.cmpxchg = fake_cmpxchg,
};

static void mem_reset(void)
{
	memset(&mem, 0, sizeof(mem));
}

static void set32(gpa_t gpa, u32 v)
{
	memcpy(&mem.bytes[gpa], &v, 4);
}

static void set64(gpa_t gpa, u64 v)
{
	memcpy(&mem.bytes[gpa], &v, 8);
}

static u32 get32(gpa_t gpa)
{
	u32 v;

	memcpy(&v, &mem.bytes[gpa], 4);
	return v;
}

static u64 get64(gpa_t gpa)
{
	u64 v;

	memcpy(&v, &mem.bytes[gpa], 8);
	return v;
}

static int walk(const struct walk_cpu *cpu, gva_t gva, u32 access,
		struct walk_result *res)
{
	return guest_walk(&ops, NULL, cpu, gva, access, res);
}

/*
 * Fixed layouts.  32-bit: PD 0x1000, PT 0x2000.  PAE: PDPT 0x1000 (cr3 bits
 * 11:5 used), PD 0x2000, PT 0x3000.  4-level: PML4 0x1000, PDPT 0x2000,
 * PD 0x3000, PT 0x4000.  Data frames are never read, so they may lie
 * anywhere.
 */
static struct walk_cpu cpu32(void)
{
	return (struct walk_cpu){ .cr0 = X86_CR0_PG | X86_CR0_PE,
				  .cr3 = 0x1000, .maxphyaddr = 36 };
}

static struct walk_cpu cpu_pae(void)
{
	return (struct walk_cpu){ .cr0 = X86_CR0_PG | X86_CR0_PE,
				  .cr4 = X86_CR4_PAE, .cr3 = 0x1000,
				  .maxphyaddr = 36 };
}

static struct walk_cpu cpu64(void)
{
	return (struct walk_cpu){ .cr0 = X86_CR0_PG | X86_CR0_PE,
				  .cr4 = X86_CR4_PAE,
				  .efer = EFER_LME | EFER_LMA, .cr3 = 0x1000,
				  .maxphyaddr = 46 };
}

/* gva 0x00c05123: PDE 3, PTE 5 (32-bit); PDPTE 0, PDE 6, PTE 5 (PAE). */
#define GVA32		0x00c05123ull
/* gva: PML4E 1, PDPTE 2, PDE 3, PTE 4, offset 0x567 (4-level). */
#define GVA64		((1ull << 39) | (2ull << 30) | (3ull << 21) | \
			 (4ull << 12) | 0x567)

static void map32(u32 pde_flags, u32 pte_flags, u32 frame)
{
	set32(0x1000 + 3 * 4, 0x2000 | pde_flags);
	set32(0x2000 + 5 * 4, frame | pte_flags);
}

static void map_pae(u64 pde_flags, u64 pte_flags, u64 frame)
{
	set64(0x1000, 0x2000 | PTE_P);
	set64(0x2000 + 6 * 8, 0x3000 | pde_flags);
	set64(0x3000 + 5 * 8, frame | pte_flags);
}

static void map64(const u64 flags[5], u64 frame)
{
	set64(0x1000 + 1 * 8, 0x2000 | flags[4]);
	set64(0x2000 + 2 * 8, 0x3000 | flags[3]);
	set64(0x3000 + 3 * 8, 0x4000 | flags[2]);
	set64(0x4000 + 4 * 8, frame | flags[1]);
}

static void load_pdptes(struct walk_cpu *cpu)
{
	CHECK_EQ(pae_load_pdptes(&ops, NULL, cpu->cr3, cpu->maxphyaddr,
				 cpu->pdpte), WALK_OK);
}

/*
 * Fresh memory holding a mapping of frame 0x9000, user-writable at every
 * level, in mode i (0: 32-bit, 1: PAE, 2: 4-level).  Returns the gva,
 * whose offset is GVA32's or GVA64's.
 */
#define NR_MODES	3
static gva_t map_mode(unsigned i, struct walk_cpu *c)
{
	const u64 f[5] = { 0, PRESENT_RW_US, PRESENT_RW_US, PRESENT_RW_US,
			   PRESENT_RW_US };

	mem_reset();
	switch (i) {
	case 0:
		*c = cpu32();
		map32(PRESENT_RW_US, PRESENT_RW_US, 0x9000);
		return GVA32;
	case 1:
		*c = cpu_pae();
		map_pae(PRESENT_RW_US, PRESENT_RW_US, 0x9000);
		load_pdptes(c);
		return GVA32;
	default:
		*c = cpu64();
		map64(f, 0x9000);
		return GVA64;
	}
}

static void test_paging_mode_of(void)
{
	struct walk_cpu c = { 0 };

	CHECK_EQ(paging_mode_of(&c), PAGING_OFF);
	c.cr4 = X86_CR4_PAE;
	c.efer = EFER_LME;
	CHECK_EQ(paging_mode_of(&c), PAGING_OFF);
	c.cr0 = X86_CR0_PG;
	c.cr4 = 0;
	c.efer = 0;
	CHECK_EQ(paging_mode_of(&c), PAGING_32);
	c.cr4 = X86_CR4_PSE;
	CHECK_EQ(paging_mode_of(&c), PAGING_32);
	c.cr4 = X86_CR4_PAE;
	CHECK_EQ(paging_mode_of(&c), PAGING_PAE);
	c.efer = EFER_LME;	/* LME without LMA is still PAE */
	CHECK_EQ(paging_mode_of(&c), PAGING_PAE);
	c.efer = EFER_LME | EFER_LMA;
	CHECK_EQ(paging_mode_of(&c), PAGING_LONG);
}

static void test_paging_off(void)
{
	struct walk_cpu c = cpu32();
	struct walk_result r;

	mem_reset();
	c.cr0 = X86_CR0_PE;
	CHECK_EQ(walk(&c, 0xfedcb123, W | U | F, &r), WALK_OK);
	CHECK_EQ(r.gpa, 0xfedcb123);
	CHECK(r.write && r.user && r.exec);
	CHECK_EQ(r.nr_levels, 0);
	CHECK_EQ(walk(&c, 1ull << 32, 0, &r), WALK_GP);	/* not linear */
	CHECK_EQ(mem.cmpxchgs, 0);
}

/* Caller mistakes are -EINVAL in every mode, before anything is read. */
static void test_bad_arguments(void)
{
	const struct walk_cpu modes[] = { cpu32(), cpu_pae(), cpu64() };
	struct walk_cpu c;
	struct walk_result r;
	u64 pd[4] = { 1, 2, 3, 4 };

	mem_reset();
	for (unsigned i = 0; i <= ARRAY_SIZE(modes); i++) {
		if (i < ARRAY_SIZE(modes)) {
			c = modes[i];
		} else {
			c = cpu32();
			c.cr0 &= ~X86_CR0_PG;
		}
		CHECK_EQ(walk(&c, 0, P, &r), -EINVAL);
		CHECK_EQ(walk(&c, 0, RSVD, &r), -EINVAL);
		CHECK_EQ(walk(&c, 0, W | U | F | BIT(31), &r), -EINVAL);
		/* Misuse wins over an address that is not linear (#GP). */
		CHECK_EQ(walk(&c, 1ull << 47, P, &r), -EINVAL);
		c.maxphyaddr = 31;
		CHECK_EQ(walk(&c, 0, 0, &r), -EINVAL);
		c.maxphyaddr = 53;
		CHECK_EQ(walk(&c, 0, 0, &r), -EINVAL);
	}
	c = cpu64();
	c.cr4 |= X86_CR4_LA57;
	CHECK_EQ(walk(&c, 0, 0, &r), -EOPNOTSUPP);
	CHECK_EQ(pae_load_pdptes(&ops, NULL, 0x1000, 31, pd), -EINVAL);
	CHECK_EQ(pae_load_pdptes(&ops, NULL, 0x1000, 53, pd), -EINVAL);
	CHECK_EQ(pd[0], 1);
	CHECK_EQ(mem.reads, 0);
	CHECK_EQ(mem.cmpxchg_calls, 0);
}

/*
 * An address that is not a linear address of the mode is #GP, never #PF
 * and never an errno: above 4 GiB outside IA-32e mode, non-canonical in it.
 */
static void test_not_linear(void)
{
	struct walk_cpu c = cpu32();
	struct walk_result r;
	u64 f[5] = { 0, PRESENT_RW_US, PRESENT_RW_US, PRESENT_RW_US,
		     PRESENT_RW_US };

	mem_reset();
	map32(PRESENT_RW_US, PRESENT_RW_US, 0x9000);
	CHECK_EQ(walk(&c, 0x100000000ull | GVA32, 0, &r), WALK_GP);
	CHECK_EQ(walk(&c, 0xffffffff00000000ull | GVA32, W | U, &r), WALK_GP);
	CHECK_EQ(walk(&c, GVA32, 0, &r), WALK_OK);

	mem_reset();
	c = cpu_pae();
	map_pae(PRESENT_RW_US, PRESENT_RW_US, 0x9000);
	load_pdptes(&c);
	mem.reads = 0;
	CHECK_EQ(walk(&c, 0xffffffff00000000ull | GVA32, 0, &r), WALK_GP);
	CHECK_EQ(walk(&c, 1ull << 32, F, &r), WALK_GP);
	CHECK_EQ(mem.reads, 0);
	CHECK_EQ(walk(&c, GVA32, 0, &r), WALK_OK);

	/* Long mode: the low half's PML4E 1 is mapped; bits 63:48 are not. */
	mem_reset();
	c = cpu64();
	map64(f, 0x9000);
	CHECK_EQ(walk(&c, GVA64 | (1ull << 47), 0, &r), WALK_GP);
	CHECK_EQ(walk(&c, GVA64 | (1ull << 48), W, &r), WALK_GP);
	CHECK_EQ(walk(&c, GVA64 | BIT(63), U | F, &r), WALK_GP);
	CHECK_EQ(mem.reads, 0);
	CHECK_EQ(mem.cmpxchg_calls, 0);
	CHECK_EQ(walk(&c, GVA64, 0, &r), WALK_OK);
	CHECK_EQ(r.gpa, 0x9567);
}

static void test_32_basic(void)
{
	struct walk_cpu c = cpu32();
	struct walk_result r;

	mem_reset();
	map32(PRESENT_RW_US, PRESENT_RW_US, 0xabcde000);
	CHECK_EQ(walk(&c, GVA32, 0, &r), WALK_OK);
	CHECK_EQ(r.gpa, 0xabcde123);
	CHECK_EQ(r.level, 1);
	CHECK_EQ(r.nr_levels, 2);
	CHECK_EQ(r.table_gpa[2], 0x1000);
	CHECK_EQ(r.pte_gpa[2], 0x100c);
	CHECK_EQ(r.table_gpa[1], 0x2000);
	CHECK_EQ(r.pte_gpa[1], 0x2014);
	CHECK_EQ(r.ptes[2], 0x2000 | PRESENT_RW_US | PTE_A);
	CHECK_EQ(r.pte, 0xabcde000 | PRESENT_RW_US | PTE_A);
	CHECK(r.write && r.user && r.exec);
	/* A on both levels, no D for a read. */
	CHECK_EQ(get32(0x100c), 0x2000 | PRESENT_RW_US | PTE_A);
	CHECK_EQ(get32(0x2014), 0xabcde000 | PRESENT_RW_US | PTE_A);
	CHECK_EQ(mem.cmpxchgs, 2);

	/* A write adds D to the leaf only, with one more cmpxchg. */
	CHECK_EQ(walk(&c, GVA32, W, &r), WALK_OK);
	CHECK_EQ(get32(0x100c), 0x2000 | PRESENT_RW_US | PTE_A);
	CHECK_EQ(get32(0x2014),
		 0xabcde000 | PRESENT_RW_US | PTE_A | PTE_D);
	CHECK_EQ(r.pte, 0xabcde000 | PRESENT_RW_US | PTE_A | PTE_D);
	CHECK_EQ(mem.cmpxchgs, 3);

	/* Everything already set: no write at all. */
	CHECK_EQ(walk(&c, GVA32, W | U, &r), WALK_OK);
	CHECK_EQ(mem.cmpxchgs, 3);

	/* CR3's low 12 bits (PCD/PWT) and high bits do not move the PD. */
	c.cr3 = 0x1018;
	CHECK_EQ(walk(&c, GVA32, 0, &r), WALK_OK);
	CHECK_EQ(r.gpa, 0xabcde123);
}

static void test_32_pse(void)
{
	struct walk_cpu c = cpu32();
	struct walk_result r;
	const gpa_t pde = 0x1000 + 3 * 4;

	/* PS without CR4.PSE is ignored: the PDE points to a page table. */
	mem_reset();
	map32(PRESENT_RW_US | PTE_PS, PRESENT_RW_US, 0x77000);
	CHECK_EQ(walk(&c, GVA32, 0, &r), WALK_OK);
	CHECK_EQ(r.level, 1);
	CHECK_EQ(r.gpa, 0x77123);

	/* With CR4.PSE it maps 4 MiB; D goes on the PDE. */
	mem_reset();
	c.cr4 = X86_CR4_PSE;
	set32(pde, 0x12c00000 | PRESENT_RW_US | PTE_PS);
	CHECK_EQ(walk(&c, GVA32, W, &r), WALK_OK);
	CHECK_EQ(r.level, 2);
	CHECK_EQ(r.gpa, 0x12c05123);
	CHECK_EQ(get32(pde), 0x12c00000 | PRESENT_RW_US | PTE_PS | PTE_A |
		 PTE_D);
	CHECK_EQ(mem.cmpxchgs, 1);

	/* PAT (bit 12) is not an address bit. */
	set32(pde, 0x12c00000 | PTE_LARGE_PAT | PRESENT_RW_US | PTE_PS);
	CHECK_EQ(walk(&c, GVA32, 0, &r), WALK_OK);
	CHECK_EQ(r.gpa, 0x12c05123);

	/* PSE-36: bits 20:13 are physical bits 39:32, up to MAXPHYADDR. */
	set32(pde, 0x12c00000 | (0xfu << 13) | PRESENT_RW_US | PTE_PS);
	CHECK_EQ(walk(&c, GVA32, 0, &r), WALK_OK);
	CHECK_EQ(r.gpa, 0xf12c05123ull);
	set32(pde, 0x12c00000 | (0x10u << 13) | PRESENT_RW_US | PTE_PS);
	CHECK_EQ(walk(&c, GVA32, W, &r), WALK_PF);	/* bit 36 > M = 36 */
	CHECK_EQ(r.error_code, P | RSVD | W);
	CHECK_EQ(r.level, 2);
	c.maxphyaddr = 40;
	CHECK_EQ(walk(&c, GVA32, W, &r), WALK_OK);
	CHECK_EQ(r.gpa, 0x1012c05123ull);
	set32(pde, 0x12c00000 | (0xffu << 13) | PRESENT_RW_US | PTE_PS);
	CHECK_EQ(walk(&c, GVA32, 0, &r), WALK_OK);
	CHECK_EQ(r.gpa, 0xff12c05123ull);
	/* Bit 21 is always reserved; M caps at 40 even if MAXPHYADDR is 52. */
	c.maxphyaddr = 52;
	set32(pde, 0x12c00000 | BIT(21) | PRESENT_RW_US | PTE_PS);
	CHECK_EQ(walk(&c, GVA32, U, &r), WALK_PF);
	CHECK_EQ(r.error_code, P | RSVD | U);
}

static void test_32_no_nx(void)
{
	struct walk_cpu c = cpu32();
	struct walk_result r;

	/* EFER.NXE has no effect on 32-bit paging: fetches are reads. */
	mem_reset();
	c.efer = EFER_NXE;
	map32(PTE_P, PTE_P, 0x9000);
	CHECK_EQ(walk(&c, GVA32, F, &r), WALK_OK);
	CHECK(r.exec);
	CHECK_EQ(walk(&c, GVA32, F | U, &r), WALK_PF);
	CHECK_EQ(r.error_code, P | U);	/* no I/D without NX or SMEP */
	c.cr4 = X86_CR4_SMEP;
	CHECK_EQ(walk(&c, GVA32, F | U, &r), WALK_PF);
	CHECK_EQ(r.error_code, P | U | F);
}

static void test_not_present(void)
{
	struct walk_cpu c = cpu32();
	struct walk_result r;

	mem_reset();
	map32(PRESENT_RW_US, PTE_RW | PTE_US, 0x9000);
	CHECK_EQ(walk(&c, GVA32, W | U, &r), WALK_PF);
	CHECK_EQ(r.error_code, W | U);
	CHECK_EQ(r.level, 1);
	/* Nothing was accessed: A is set only for a successful walk. */
	CHECK_EQ(mem.cmpxchgs, 0);
	CHECK_EQ(get32(0x100c), 0x2000 | PRESENT_RW_US);

	/* A not-present entry's other bits are ignored, reserved or not. */
	c.cr4 = X86_CR4_PSE;
	set32(0x100c, 0xffffffff & ~(u32)PTE_P);
	CHECK_EQ(walk(&c, GVA32, 0, &r), WALK_PF);
	CHECK_EQ(r.error_code, 0);
	CHECK_EQ(r.level, 2);

	c = cpu64();
	mem_reset();
	CHECK_EQ(walk(&c, GVA64, F, &r), WALK_PF);
	CHECK_EQ(r.error_code, 0);	/* no I/D: neither NXE nor SMEP */
	c.efer |= EFER_NXE;
	CHECK_EQ(walk(&c, GVA64, F | U, &r), WALK_PF);
	CHECK_EQ(r.error_code, F | U);
	CHECK_EQ(r.level, 4);
}

/* Rights at an upper level and at the leaf, checked against SDM 3A 4.6. */
struct perm_case {
	bool up_rw, up_us, up_nx, leaf_rw, leaf_us, leaf_nx;
	bool wp, nxe, smep;
	u32 access;
};

static u64 flags_of(bool rw, bool us, bool nx)
{
	return PTE_P | (rw ? PTE_RW : 0) | (us ? PTE_US : 0) |
	       (nx ? PTE_NX : 0);
}

/* The expected #PF error code of a case, or -1 when it must succeed. */
static s64 expected(const struct perm_case *k, bool has_nx)
{
	bool user = k->access & U, write = k->access & W;
	bool fetch = k->access & F;
	bool nxe = has_nx && k->nxe;
	u32 ec = (k->access & (W | U)) |
		 (fetch && (nxe || k->smep) ? F : 0);
	bool us = k->up_us && k->leaf_us, rw = k->up_rw && k->leaf_rw;
	bool xd = k->up_nx || k->leaf_nx;

	if (has_nx && !k->nxe && xd)
		return ec | P | RSVD;
	if ((user && !us) || (write && !rw && (user || k->wp)) ||
	    (fetch && nxe && xd) || (fetch && !user && us && k->smep))
		return ec | P;
	return -1;
}

static void apply(struct walk_cpu *c, const struct perm_case *k)
{
	c->cr0 = (c->cr0 & ~X86_CR0_WP) | (k->wp ? X86_CR0_WP : 0);
	c->cr4 = (c->cr4 & ~X86_CR4_SMEP) | (k->smep ? X86_CR4_SMEP : 0);
	c->efer = (c->efer & ~EFER_NXE) | (k->nxe ? EFER_NXE : 0);
}

/* Run one case; entries[] are the gpas of the entries walked, top first. */
static void check_case(const struct walk_cpu *c, const struct perm_case *k,
		       bool has_nx, gva_t gva, gpa_t want_gpa, int entry_size,
		       const gpa_t *entries, int n)
{
	struct walk_result r;
	s64 want = expected(k, has_nx);
	u64 before[4], after;
	int ret, i;

	for (i = 0; i < n; i++)
		before[i] = entry_size == 4 ? get32(entries[i]) :
					      get64(entries[i]);
	ret = walk(c, gva, k->access, &r);
	if (want >= 0) {
		CHECK_EQ(ret, WALK_PF);
		CHECK_EQ(r.error_code, want);
	} else {
		CHECK_EQ(ret, WALK_OK);
		CHECK_EQ(r.gpa, want_gpa);
		CHECK_EQ(r.write, k->up_rw && k->leaf_rw);
		CHECK_EQ(r.user, k->up_us && k->leaf_us);
		CHECK_EQ(r.exec, !(has_nx && k->nxe &&
				   (k->up_nx || k->leaf_nx)));
	}
	for (i = 0; i < n; i++) {
		u64 set = 0;

		if (want < 0) {
			set = PTE_A;
			if (i == n - 1 && (k->access & W))
				set |= PTE_D;
		}
		after = entry_size == 4 ? get32(entries[i]) :
					  get64(entries[i]);
		CHECK_EQ(after, before[i] | set);
		if (after != (before[i] | set)) {
			fprintf(stderr, "  case rw%d%d us%d%d nx%d%d wp%d nxe%d "
				"smep%d access %x entry %d\n", k->up_rw,
				k->leaf_rw, k->up_us, k->leaf_us, k->up_nx,
				k->leaf_nx, k->wp, k->nxe, k->smep, k->access,
				i);
			return;
		}
	}
}

/* Enumerate every combination; fn builds tables for it and checks it. */
static void for_each_case(bool has_nx,
			  void (*fn)(const struct perm_case *, int up))
{
	for (unsigned bitsv = 0; bitsv < (1u << 9); bitsv++) {
		struct perm_case k = {
			.up_rw = bitsv & 1, .up_us = bitsv & 2,
			.up_nx = bitsv & 4, .leaf_rw = bitsv & 8,
			.leaf_us = bitsv & 16, .leaf_nx = bitsv & 32,
			.wp = bitsv & 64, .nxe = bitsv & 128,
			.smep = bitsv & 256,
		};

		if (!has_nx && (k.up_nx || k.leaf_nx))
			continue;
		for (k.access = 0; k.access <= (W | U | F); k.access++) {
			if ((k.access & (W | U | F)) != k.access)
				continue;
			for (int up = 2; up <= 4; up++)
				fn(&k, up);
		}
	}
}

static void case_32(const struct perm_case *k, int up)
{
	struct walk_cpu c = cpu32();
	const gpa_t e[] = { 0x100c, 0x2014 };

	if (up != 2)
		return;
	mem_reset();
	apply(&c, k);
	map32(flags_of(k->up_rw, k->up_us, false),
	      flags_of(k->leaf_rw, k->leaf_us, false), 0x9000);
	check_case(&c, k, false, GVA32, 0x9123, 4, e, 2);

	/* The same rights on a 4 MiB page (PSE): one level only. */
	if (k->up_rw != k->leaf_rw || k->up_us != k->leaf_us)
		return;
	mem_reset();
	c.cr4 |= X86_CR4_PSE;
	set32(0x100c, 0x400000 | PTE_PS | flags_of(k->leaf_rw, k->leaf_us,
						      false));
	check_case(&c, k, false, GVA32, 0x405123, 4, e, 1);
}

static void test_32_permissions(void)
{
	for_each_case(false, case_32);
}

static void case_pae(const struct perm_case *k, int up)
{
	struct walk_cpu c = cpu_pae();
	const gpa_t e[] = { 0x2030, 0x3028 };

	if (up != 2)
		return;
	mem_reset();
	apply(&c, k);
	map_pae(flags_of(k->up_rw, k->up_us, k->up_nx),
		flags_of(k->leaf_rw, k->leaf_us, k->leaf_nx), 0x9000);
	load_pdptes(&c);
	check_case(&c, k, true, GVA32, 0x9123, 8, e, 2);

	/* A 2 MiB page carries the leaf's rights in its PDE. */
	if (k->up_rw != k->leaf_rw || k->up_us != k->leaf_us ||
	    k->up_nx != k->leaf_nx)
		return;
	mem_reset();
	map_pae(0, 0, 0);
	set64(0x2030, 0x600000 | PTE_PS |
		      flags_of(k->leaf_rw, k->leaf_us, k->leaf_nx));
	check_case(&c, k, true, GVA32, 0x605123, 8, e, 1);
}

static void test_pae_permissions(void)
{
	for_each_case(true, case_pae);
}

static void case_64(const struct perm_case *k, int up)
{
	struct walk_cpu c = cpu64();
	const gpa_t e[] = { 0x1008, 0x2010, 0x3018, 0x4020 };
	u64 f[5];

	mem_reset();
	apply(&c, k);
	for (int l = 1; l <= 4; l++)
		f[l] = PRESENT_RW_US;
	f[up] = flags_of(k->up_rw, k->up_us, k->up_nx);
	f[1] = flags_of(k->leaf_rw, k->leaf_us, k->leaf_nx);
	map64(f, 0x123456789000ull);
	check_case(&c, k, true, GVA64, 0x123456789567ull, 8, e, 4);

	/* 1 GiB (up == 4: restrictions in the PML4E) and 2 MiB leaves. */
	if (up == 2)
		return;
	mem_reset();
	map64(f, 0);
	if (up == 4) {
		set64(0x2010, 0x40000000 | PTE_PS |
			      flags_of(k->leaf_rw, k->leaf_us, k->leaf_nx));
		check_case(&c, k, true, GVA64, 0x40604567, 8, e, 2);
	} else {
		set64(0x3018, 0x200000 | PTE_PS |
			      flags_of(k->leaf_rw, k->leaf_us, k->leaf_nx));
		check_case(&c, k, true, GVA64, 0x204567, 8, e, 3);
	}
}

static void test_64_permissions(void)
{
	for_each_case(true, case_64);
}

static void test_pae_pdptes(void)
{
	struct walk_cpu c = cpu_pae();
	struct walk_result r;
	u64 pd[4] = { 1, 2, 3, 4 };

	mem_reset();
	/* CR3 bits 31:5 locate the PDPT; it need not be page-aligned. */
	set64(0x1020, 0x2000 | PTE_P | PTE_PWT | PTE_PCD);
	set64(0x1028, 0xdead0000);	/* not present: bits are ignored */
	set64(0x1038, 0xfffff000 | PTE_P);
	/*
	 * CR3 bits 63:32 are not part of the PDPT address.  A PDPT outside
	 * RAM would read as all ones, reserved bits included: #GP.
	 */
	CHECK_EQ(pae_load_pdptes(&ops, NULL, 0xabc0000000000000ull | MEM_SIZE,
				 36, pd), WALK_GP);
	CHECK_EQ(pd[0], 1);
	CHECK_EQ(pae_load_pdptes(&ops, NULL, 0x1020 | 0x18, 36, pd), WALK_OK);
	CHECK_EQ(pd[0], 0x2000 | PTE_P | PTE_PWT | PTE_PCD);
	CHECK_EQ(pd[1], 0xdead0000);
	CHECK_EQ(pd[2], 0);
	CHECK_EQ(pd[3], 0xfffff000 | PTE_P);

	/* Reserved: bits 2:1, 8:5, 63:M; XD is reserved even with NXE. */
	const u64 bad[] = { PTE_RW, PTE_US, PTE_A, PTE_D, PTE_PS, PTE_G,
			    BIT(36), BIT(51), BIT(62), PTE_NX };
	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
		set64(0x1030, 0x3000 | PTE_P | bad[i]);
		pd[0] = 7;
		CHECK_EQ(pae_load_pdptes(&ops, NULL, 0x1020, 36, pd), WALK_GP);
		CHECK_EQ(pd[0], 7);
	}
	/* Ignored bits 11:9 and address bits below MAXPHYADDR are fine. */
	set64(0x1030, 0xf00000000ull | 0xe00 | PTE_P);
	CHECK_EQ(pae_load_pdptes(&ops, NULL, 0x1020, 36, pd), WALK_OK);
	set64(0x1030, BIT(36) | PTE_P);
	CHECK_EQ(pae_load_pdptes(&ops, NULL, 0x1020, 40, pd), WALK_OK);
	CHECK_EQ(pae_load_pdptes(&ops, NULL, 0x1020, 31, pd), -EINVAL);

	/* The walk uses the loaded registers, not memory. */
	c.cr3 = 0x1020;
	set64(0x1030, 0);
	set64(0x2000, 0x5000 | PTE_P);
	set64(0x5000, 0x7000 | PTE_P);
	CHECK_EQ(pae_load_pdptes(&ops, NULL, c.cr3, 36, c.pdpte), WALK_OK);
	set64(0x1020, 0);
	CHECK_EQ(walk(&c, 0x123, 0, &r), WALK_OK);
	CHECK_EQ(r.gpa, 0x7123);
	CHECK_EQ(r.nr_levels, 3);
	CHECK_EQ(r.table_gpa[3], 0x1020);
	CHECK_EQ(r.pte_gpa[3], 0x1020);
	CHECK_EQ(r.ptes[3], 0x2000 | PTE_P | PTE_PWT | PTE_PCD);
	/* PDPTEs have no A bit: the registers and memory stay as they were. */
	CHECK_EQ(c.pdpte[0], 0x2000 | PTE_P | PTE_PWT | PTE_PCD);
	CHECK_EQ(mem.cmpxchgs, 2);
	CHECK_EQ(get64(0x2000), 0x5000 | PTE_P | PTE_A);

	/* Not-present PDPTE (gva bits 31:30 = 1). */
	CHECK_EQ(walk(&c, 0x40000000, W, &r), WALK_PF);
	CHECK_EQ(r.error_code, W);
	CHECK_EQ(r.level, 3);
	/* A PDPTE register with reserved bits (never loaded) is RSVD. */
	c.pdpte[1] = 0x2000 | PTE_P | PTE_RW;
	CHECK_EQ(walk(&c, 0x40000000, 0, &r), WALK_PF);
	CHECK_EQ(r.error_code, P | RSVD);
}

static void test_pae_reserved(void)
{
	struct walk_cpu c = cpu_pae();
	struct walk_result r;
	const gpa_t pde = 0x2030, pte = 0x3028;

	mem_reset();
	map_pae(PRESENT_RW_US, PRESENT_RW_US, 0x9000);
	load_pdptes(&c);

	/* Bits 62:M reserved at every level (M = 36). */
	set64(pte, 0x9000 | PRESENT_RW_US | BIT(36));
	CHECK_EQ(walk(&c, GVA32, W | U, &r), WALK_PF);
	CHECK_EQ(r.error_code, P | RSVD | W | U);
	CHECK_EQ(r.level, 1);
	set64(pte, 0x9000 | PRESENT_RW_US | BIT(62));
	CHECK_EQ(walk(&c, GVA32, 0, &r), WALK_PF);
	CHECK_EQ(r.error_code, P | RSVD);
	c.maxphyaddr = 52;	/* still reserved: PAE has no ignored high bits */
	CHECK_EQ(walk(&c, GVA32, 0, &r), WALK_PF);
	set64(pte, 0x9000 | PRESENT_RW_US | BIT(51));
	CHECK_EQ(walk(&c, GVA32, 0, &r), WALK_OK);
	CHECK_EQ(r.gpa, BIT(51) | 0x9123);
	c.maxphyaddr = 36;

	/* XD is reserved without NXE, a permission bit with it. */
	set64(pte, 0x9000 | PRESENT_RW_US | PTE_NX);
	CHECK_EQ(walk(&c, GVA32, F, &r), WALK_PF);
	CHECK_EQ(r.error_code, P | RSVD);
	c.efer = EFER_NXE;
	CHECK_EQ(walk(&c, GVA32, 0, &r), WALK_OK);
	CHECK(!r.exec);
	CHECK_EQ(walk(&c, GVA32, F, &r), WALK_PF);
	CHECK_EQ(r.error_code, P | F);

	/* 2 MiB pages regardless of CR4.PSE; bits 20:13 reserved. */
	set64(pde, 0x1400000 | PTE_PS | PRESENT_RW_US | PTE_LARGE_PAT);
	CHECK_EQ(walk(&c, GVA32, 0, &r), WALK_OK);
	CHECK_EQ(r.level, 2);
	CHECK_EQ(r.gpa, 0x1405123);
	set64(pde, 0x1400000 | PTE_PS | PRESENT_RW_US | BIT(13));
	CHECK_EQ(walk(&c, GVA32, U, &r), WALK_PF);
	CHECK_EQ(r.error_code, P | RSVD | U);
	set64(pde, 0x1400000 | PTE_PS | PRESENT_RW_US | BIT(20));
	CHECK_EQ(walk(&c, GVA32, 0, &r), WALK_PF);
	/* Reserved-bit faults take precedence over access rights. */
	set64(pde, 0x1400000 | PTE_PS | PTE_P | BIT(14));
	CHECK_EQ(walk(&c, GVA32, W | U, &r), WALK_PF);
	CHECK_EQ(r.error_code, P | RSVD | W | U);
	CHECK_EQ(get64(pde), 0x1400000 | PTE_PS | PTE_P | BIT(14));
}

/* Bits 62:52, ignored by 4-level paging. */
static u64 bits_62_52(void)
{
	return (~0ull >> 1) & ~((1ull << 52) - 1);
}

static void test_64_reserved(void)
{
	struct walk_cpu c = cpu64();
	struct walk_result r;
	const u64 all[5] = { 0, PRESENT_RW_US, PRESENT_RW_US, PRESENT_RW_US,
			     PRESENT_RW_US };

	mem_reset();
	map64(all, 0x9000);
	CHECK_EQ(walk(&c, GVA64, 0, &r), WALK_OK);
	CHECK_EQ(r.gpa, 0x9567);
	CHECK_EQ(r.nr_levels, 4);
	CHECK_EQ(r.table_gpa[4], 0x1000);
	CHECK_EQ(r.pte_gpa[4], 0x1008);
	CHECK_EQ(r.pte_gpa[3], 0x2010);
	CHECK_EQ(r.pte_gpa[2], 0x3018);
	CHECK_EQ(r.pte_gpa[1], 0x4020);
	CHECK_EQ(mem.cmpxchgs, 4);

	/* PS is reserved in a PML4E. */
	set64(0x1008, 0x2000 | PRESENT_RW_US | PTE_PS);
	CHECK_EQ(walk(&c, GVA64, W, &r), WALK_PF);
	CHECK_EQ(r.error_code, P | RSVD | W);
	CHECK_EQ(r.level, 4);
	set64(0x1008, 0x2000 | PRESENT_RW_US);

	/* Bits 51:M reserved (M = 46); 62:52 ignored. */
	set64(0x2010, 0x3000 | PRESENT_RW_US | BIT(46));
	CHECK_EQ(walk(&c, GVA64, 0, &r), WALK_PF);
	CHECK_EQ(r.error_code, P | RSVD);
	CHECK_EQ(r.level, 3);
	set64(0x2010, 0x3000 | PRESENT_RW_US | bits_62_52());
	CHECK_EQ(walk(&c, GVA64, 0, &r), WALK_OK);
	CHECK_EQ(r.gpa, 0x9567);
	c.maxphyaddr = 52;
	set64(0x4020, 0x9000 | PRESENT_RW_US | BIT(51));
	CHECK_EQ(walk(&c, GVA64, 0, &r), WALK_OK);
	CHECK_EQ(r.gpa, BIT(51) | 0x9567);
	c.maxphyaddr = 46;
	CHECK_EQ(walk(&c, GVA64, 0, &r), WALK_PF);
	CHECK_EQ(r.level, 1);
	set64(0x4020, 0x9000 | PRESENT_RW_US);

	/* XD reserved without NXE at any level, e.g. the PML4E. */
	set64(0x1008, 0x2000 | PRESENT_RW_US | PTE_NX);
	CHECK_EQ(walk(&c, GVA64, 0, &r), WALK_PF);
	CHECK_EQ(r.error_code, P | RSVD);
	c.efer |= EFER_NXE;
	CHECK_EQ(walk(&c, GVA64, W | U, &r), WALK_OK);
	CHECK_EQ(walk(&c, GVA64, F | U, &r), WALK_PF);
	CHECK_EQ(r.error_code, P | F | U);
	set64(0x1008, 0x2000 | PRESENT_RW_US);

	/* 1 GiB: bits 29:13 reserved, PAT at 12. */
	set64(0x2010, 0x80000000ull | PTE_PS | PRESENT_RW_US | PTE_LARGE_PAT);
	CHECK_EQ(walk(&c, GVA64, W, &r), WALK_OK);
	CHECK_EQ(r.level, 3);
	CHECK_EQ(r.gpa, 0x80604567);
	CHECK_EQ(get64(0x2010), 0x80000000ull | PTE_PS | PRESENT_RW_US |
		 PTE_LARGE_PAT | PTE_A | PTE_D);
	set64(0x2010, 0x80000000ull | PTE_PS | PRESENT_RW_US | BIT(29));
	CHECK_EQ(walk(&c, GVA64, 0, &r), WALK_PF);
	CHECK_EQ(r.error_code, P | RSVD);
	/* 2 MiB: bits 20:13 reserved. */
	set64(0x2010, 0x3000 | PRESENT_RW_US);
	set64(0x3018, 0x200000 | PTE_PS | PRESENT_RW_US | BIT(20));
	CHECK_EQ(walk(&c, GVA64, 0, &r), WALK_PF);
	CHECK_EQ(r.error_code, P | RSVD);
	CHECK_EQ(r.level, 2);
	set64(0x3018, 0x200000 | PTE_PS | PRESENT_RW_US | PTE_LARGE_PAT);
	CHECK_EQ(walk(&c, GVA64, 0, &r), WALK_OK);
	CHECK_EQ(r.gpa, 0x204567);

	/* CR3 bits beyond MAXPHYADDR and the PCID bits are not address. */
	c.cr3 = 0x1000 | BIT(63) | 0xabc;
	CHECK_EQ(walk(&c, GVA64, 0, &r), WALK_OK);
}

static void test_64_canonical(void)
{
	struct walk_cpu c = cpu64();
	struct walk_result r;
	u64 f[5] = { 0, PRESENT_RW_US, PRESENT_RW_US, PRESENT_RW_US,
		     PRESENT_RW_US };

	mem_reset();
	CHECK_EQ(walk(&c, 1ull << 47, 0, &r), WALK_GP);
	CHECK_EQ(walk(&c, 0xffff7fffffffffffull, 0, &r), WALK_GP);
	/* The top half goes through PML4E 511. */
	set64(0x1000 + 511 * 8, 0x2000 | PRESENT_RW_US);
	map64(f, 0x9000);
	CHECK_EQ(walk(&c, 0xffffff8000000000ull | (GVA64 & ((1ull << 39) - 1)),
		      0, &r), WALK_OK);
	CHECK_EQ(r.gpa, 0x9567);
	CHECK_EQ(r.pte_gpa[4], 0x1000 + 511 * 8);
}

static void test_unbacked_table(void)
{
	struct walk_cpu c = cpu64();
	struct walk_result r;
	u64 f[5] = { 0, PRESENT_RW_US, PRESENT_RW_US, PRESENT_RW_US,
		     PRESENT_RW_US };

	mem_reset();
	map64(f, 0x9000);
	/*
	 * The PD lies outside guest RAM and reads as all ones: a present
	 * 2 MiB entry with reserved bits, a reserved-bit fault at level 2.
	 */
	set64(0x2010, (MEM_SIZE + 0x3000) | PRESENT_RW_US);
	CHECK_EQ(walk(&c, GVA64, W | U, &r), WALK_PF);
	CHECK_EQ(r.error_code, P | RSVD | W | U);
	CHECK_EQ(r.level, 2);
	CHECK_EQ(r.table_gpa[2], MEM_SIZE + 0x3000);
	CHECK_EQ(mem.cmpxchgs, 0);
	/* So does an unbacked CR3, where PS is reserved in a PML4E. */
	c.cr3 = MEM_SIZE;
	CHECK_EQ(walk(&c, GVA64, 0, &r), WALK_PF);
	CHECK_EQ(r.error_code, P | RSVD);
	CHECK_EQ(r.level, 4);
}

/*
 * A PDPT that is not in guest RAM: hardware would read all ones, a present
 * PDPTE with reserved bits, so the CR3 load is #GP (SDM 3A 4.4.1).  It is
 * an architectural outcome, not a host error.
 */
static void test_pae_pdpt_unbacked(void)
{
	u64 pd[4] = { 1, 2, 3, 4 };

	mem_reset();
	CHECK_EQ(pae_load_pdptes(&ops, NULL, MEM_SIZE, 36, pd), WALK_GP);
	CHECK_EQ(pae_load_pdptes(&ops, NULL, 0xffffffe0, 52, pd), WALK_GP);
	CHECK_EQ(pd[0], 1);
	CHECK_EQ(pd[3], 4);
	/* The last PDPT slot in RAM loads (all four entries not present). */
	CHECK_EQ(pae_load_pdptes(&ops, NULL, MEM_SIZE - 32, 36, pd), WALK_OK);
	CHECK_EQ(pd[0], 0);
	CHECK_EQ(pd[3], 0);
}

/*
 * A failure of the memory callbacks other than their architectural
 * answers (-EFAULT: no RAM or read-only; -EAGAIN: entry changed) is the
 * host's problem: it comes back unchanged, never as a guest outcome.
 */
static void test_host_errors(void)
{
	u64 pd[4] = { 1, 2, 3, 4 };
	struct walk_result r;
	struct walk_cpu c;

	for (unsigned i = 0; i < NR_MODES; i++) {
		gva_t gva = map_mode(i, &c);

		mem.read_err = -EIO;
		CHECK_EQ(walk(&c, gva, W, &r), -EIO);
		mem.read_err = 0;
		mem.cmpxchg_err = -EIO;
		CHECK_EQ(walk(&c, gva, W, &r), -EIO);
		CHECK_EQ(mem.cmpxchgs, 0);
		mem.cmpxchg_err = 0;
		CHECK_EQ(walk(&c, gva, W, &r), WALK_OK);
		CHECK_EQ(r.gpa, 0x9000 | (gva & 0xfff));
	}
	mem_reset();
	mem.read_err = -EIO;
	CHECK_EQ(pae_load_pdptes(&ops, NULL, 0x1000, 36, pd), -EIO);
	CHECK_EQ(pd[0], 1);
}

static void test_rom_tables(void)
{
	struct walk_cpu c = cpu32();
	struct walk_result r;

	/* PT in ROM: the walk succeeds, only the PDE takes its A bit. */
	mem_reset();
	map32(PRESENT_RW_US, PRESENT_RW_US, 0x9000);
	mem.rom_start = 0x2000;
	mem.rom_end = 0x3000;
	CHECK_EQ(walk(&c, GVA32, W, &r), WALK_OK);
	CHECK_EQ(r.gpa, 0x9123);
	CHECK_EQ(get32(0x100c), 0x2000 | PRESENT_RW_US | PTE_A);
	CHECK_EQ(get32(0x2014), 0x9000 | PRESENT_RW_US);
	CHECK_EQ(r.pte, 0x9000 | PRESENT_RW_US);
	CHECK_EQ(mem.cmpxchgs, 1);
}

static u32 race_gpa;

static void race_clear_present(void)
{
	set32(race_gpa, get32(race_gpa) & ~(u32)PTE_P);
}

static void race_set_accessed(void)
{
	set32(race_gpa, get32(race_gpa) | PTE_A);
}

static void test_ad_races(void)
{
	struct walk_cpu c = cpu32();
	struct walk_result r;

	/* Another CPU unmaps the page mid-walk: walk again, then fault. */
	mem_reset();
	map32(PRESENT_RW_US, PRESENT_RW_US, 0x9000);
	race_gpa = 0x2014;
	mem.race = race_clear_present;
	CHECK_EQ(walk(&c, GVA32, W, &r), WALK_PF);
	CHECK_EQ(r.error_code, W);
	CHECK_EQ(r.level, 1);
	CHECK_EQ(get32(0x100c), 0x2000 | PRESENT_RW_US | PTE_A);
	CHECK_EQ(get32(0x2014), 0x9000 | PTE_RW | PTE_US);

	/* Another CPU sets A first: walk again, add only D. */
	mem_reset();
	map32(PRESENT_RW_US | PTE_A, PRESENT_RW_US, 0x9000);
	race_gpa = 0x2014;
	mem.race = race_set_accessed;
	CHECK_EQ(walk(&c, GVA32, W, &r), WALK_OK);
	CHECK_EQ(get32(0x2014), 0x9000 | PRESENT_RW_US | PTE_A | PTE_D);
	CHECK_EQ(r.pte, 0x9000 | PRESENT_RW_US | PTE_A | PTE_D);
	CHECK_EQ(mem.cmpxchgs, 1);

	/* Spurious failures are retried... */
	mem_reset();
	map32(PRESENT_RW_US, PRESENT_RW_US, 0x9000);
	mem.eagain = 10;
	CHECK_EQ(walk(&c, GVA32, 0, &r), WALK_OK);
	CHECK_EQ(get32(0x2014), 0x9000 | PRESENT_RW_US | PTE_A);
	/* ...but not forever. */
	mem_reset();
	map32(PRESENT_RW_US, PRESENT_RW_US, 0x9000);
	mem.eagain = 1000000;
	CHECK_EQ(walk(&c, GVA32, 0, &r), WALK_RETRY);
	CHECK_EQ(get32(0x2014), 0x9000 | PRESENT_RW_US);
}

/*
 * cmpxchg that always reports a changed entry (another CPU rewriting it
 * faster than we can set A): WALK_RETRY after a bounded number of tries,
 * guest memory untouched, in every mode.
 */
static void test_ad_retry_exhausted(void)
{
	static u8 before[MEM_SIZE];
	struct walk_result r;
	struct walk_cpu c;

	for (unsigned i = 0; i < NR_MODES; i++) {
		gva_t gva = map_mode(i, &c);

		memcpy(before, mem.bytes, sizeof(before));
		mem.cmpxchg_err = -EAGAIN;
		CHECK_EQ(walk(&c, gva, W | U, &r), WALK_RETRY);
		CHECK(mem.cmpxchg_calls > 1);
		CHECK(mem.cmpxchg_calls <= 1000);
		CHECK(!memcmp(before, mem.bytes, sizeof(before)));
		/* Once the other writer stops, the same walk completes. */
		mem.cmpxchg_err = 0;
		CHECK_EQ(walk(&c, gva, W | U, &r), WALK_OK);
		CHECK_EQ(r.gpa, 0x9000 | (gva & 0xfff));
	}
}

static void test_self_map(void)
{
	struct walk_cpu c = cpu64();
	struct walk_result r;
	const u64 e = 0x1000 | PRESENT_RW_US;
	const gva_t gva = (1ull << 39) | (1ull << 30) | (1ull << 21) |
			  (1ull << 12) | 0x10;

	/*
	 * PML4E 1 points back at the PML4, so the same entry serves all four
	 * levels: the updates race with themselves and must converge.
	 */
	mem_reset();
	set64(0x1008, e);
	CHECK_EQ(walk(&c, gva, W, &r), WALK_OK);
	CHECK_EQ(r.gpa, 0x1010);
	CHECK_EQ(get64(0x1008), e | PTE_A | PTE_D);
	CHECK_EQ(r.pte, e | PTE_A | PTE_D);
}

/*
 * A 32-bit page table outside RAM: its all-ones PTE has no reserved bits,
 * so it maps frame 0xfffff000 with every right; the dropped A/D update
 * does not stop the access.
 */
static void test_unbacked_table_32bit_maps_all_ones(void)
{
	struct walk_cpu c = { .cr0 = X86_CR0_PE | X86_CR0_PG, .cr3 = 0x1000,
			      .maxphyaddr = 36 };
	struct walk_result r;

	mem_reset();
	set32(0x1000 + (0x400000 >> 22) * 4, (MEM_SIZE + 0x5000) | 0x7);
	CHECK_EQ(walk(&c, 0x400123, W | U, &r), WALK_OK);
	CHECK_EQ(r.gpa, 0xfffff123);
	CHECK_EQ(r.pte, 0xffffffffu);
	CHECK(r.write && r.user && r.exec);
}

int main(void)
{
	RUN(test_unbacked_table_32bit_maps_all_ones);
	RUN(test_paging_mode_of);
	RUN(test_paging_off);
	RUN(test_bad_arguments);
	RUN(test_not_linear);
	RUN(test_32_basic);
	RUN(test_32_pse);
	RUN(test_32_no_nx);
	RUN(test_not_present);
	RUN(test_32_permissions);
	RUN(test_pae_permissions);
	RUN(test_64_permissions);
	RUN(test_pae_pdptes);
	RUN(test_pae_reserved);
	RUN(test_64_reserved);
	RUN(test_64_canonical);
	RUN(test_unbacked_table);
	RUN(test_pae_pdpt_unbacked);
	RUN(test_host_errors);
	RUN(test_rom_tables);
	RUN(test_ad_races);
	RUN(test_ad_retry_exhausted);
	RUN(test_self_map);
	return unit_done();
}
