/* SPDX-License-Identifier: MIT */
/*
 * Differential fuzzer for the guest page-table walker: random page-table
 * images, control registers and accesses go through guest_walk() and
 * through ref_walk() below, a deliberately plain re-statement of SDM 3A
 * chapter 4 that shares no code with hv/mmu/.  The outcome (walk_status or
 * errno), #PF error code, faulting level, translation, rights and the A/D
 * bits left in guest memory must all agree; so must pae_load_pdptes() with
 * the reference's PDPTE load.
 *
 * Input: a header (registers, access, per-page fill entries), then 12-byte
 * records that poke single entries.  A "relocating" fill or record replaces
 * the entry's address bits with the address of one of the fake pages, so
 * that random inputs build deep walks instead of pointing nowhere.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hv/mmu/walk.h>
#include <lib/x86.h>

/* Guest RAM: a few pages scattered over the physical address space. */
static const gpa_t page_gpa[] = {
	0x0, 0x1000, 0x2000, 0x3000, 0x4000, 0x5000, 0xfffff000ull,
	0x800000000ull,		/* bit 35: PSE-36 reachable */
	0x400000000000ull,	/* bit 46 */
	0x8000000000000ull,	/* bit 51: needs MAXPHYADDR 52 */
};
#define NPAGES		ARRAY_SIZE(page_gpa)

/* Far more -EAGAIN answers than the walker may retry (it bounds them). */
#define EAGAIN_FOREVER	100000

struct fmem {
	u8 bytes[NPAGES][PAGE_SIZE];
	bool rom[NPAGES];
	int eagain;
};

static struct fmem mem_dut, mem_ref, mem_init;

static u8 *locate(struct fmem *m, gpa_t gpa, unsigned size)
{
	for (unsigned i = 0; i < NPAGES; i++)
		if (gpa >= page_gpa[i] && gpa - page_gpa[i] <= PAGE_SIZE - size)
			return &m->bytes[i][gpa - page_gpa[i]];
	return NULL;
}

static bool is_rom(struct fmem *m, gpa_t gpa)
{
	for (unsigned i = 0; i < NPAGES; i++)
		if ((gpa & ~0xfffull) == page_gpa[i])
			return m->rom[i];
	return false;
}

static int dut_read(void *ctx, gpa_t gpa, u64 *val, unsigned size)
{
	u8 *p = locate(ctx, gpa, size);

	if (!p)
		return -EFAULT;
	*val = 0;
	memcpy(val, p, size);
	return 0;
}

static int dut_cmpxchg(void *ctx, gpa_t gpa, u64 old, u64 new, unsigned size)
{
	struct fmem *m = ctx;
	u8 *p = locate(m, gpa, size);
	u64 cur = 0;

	if (!p || is_rom(m, gpa))
		return -EFAULT;
	if (m->eagain > 0) {
		m->eagain--;
		return -EAGAIN;
	}
	memcpy(&cur, p, size);
	if (cur != old)
		return -EAGAIN;
	memcpy(p, &new, size);
	return 0;
}

static const struct walk_mem_ops dut_ops = {
	.read = dut_read,
	.cmpxchg = dut_cmpxchg,
};

/* ---- the reference walker ---------------------------------------------- */

struct ref_out {
	int ret;
	u32 ec;
	int level;
	gpa_t gpa;
	u64 pte;
	bool w, u, x;
};

static u64 mask_from(unsigned lo, unsigned hi)
{
	u64 m = 0;

	for (unsigned b = lo; b <= hi; b++)
		m |= 1ull << b;
	return m;
}

/* Outside RAM the bus answers all ones; returns whether it was RAM. */
static bool ref_read(gpa_t gpa, unsigned size, u64 *val)
{
	u8 *p = locate(&mem_ref, gpa, size);

	*val = 0;
	if (!p) {
		*val = size == 8 ? ~0ull : 0xffffffffull;
		return false;
	}
	memcpy(val, p, size);
	return true;
}

/* Hardware ORs A/D in; a page table in ROM drops the write. */
static void ref_or(gpa_t gpa, unsigned size, u64 bitsv)
{
	u8 *p = locate(&mem_ref, gpa, size);
	u64 v = 0;

	if (!p || is_rom(&mem_ref, gpa))
		return;
	memcpy(&v, p, size);
	v |= bitsv;
	memcpy(p, &v, size);
}

struct ref_walk {
	const struct walk_cpu *cpu;
	gva_t gva;
	u32 access;
	bool nx_on;		/* EFER.NXE with PAE or 4-level paging */
	unsigned size;		/* entry size */
	int n;			/* entries to mark accessed */
	gpa_t used[4];
	bool all_w, all_u, any_xd;
	struct ref_out *out;
};

static int ref_fault(struct ref_walk *rw, int level, u32 kind)
{
	u32 ec = kind;

	if (rw->access & PFERR_WRITE)
		ec |= PFERR_WRITE;
	if (rw->access & PFERR_USER)
		ec |= PFERR_USER;
	if ((rw->access & PFERR_FETCH) &&
	    ((rw->cpu->cr4 & X86_CR4_SMEP) || rw->nx_on))
		ec |= PFERR_FETCH;
	rw->out->ec = ec;
	rw->out->level = level;
	rw->out->ret = WALK_PF;
	return WALK_PF;
}

/*
 * Read the entry at addr for the given level.  Returns 0, or WALK_PF with
 * the fault recorded if it is not present or has a bit of rsvd (an
 * unbacked entry reads all ones).
 */
static int ref_entry(struct ref_walk *rw, int level, gpa_t addr, u64 rsvd,
		     u64 *e)
{
	ref_read(addr, rw->size, e);
	if (!(*e & PTE_P))
		return ref_fault(rw, level, 0);
	if (*e & rsvd)
		return ref_fault(rw, level, PFERR_PRESENT | PFERR_RSVD);
	if (!(*e & PTE_RW))
		rw->all_w = false;
	if (!(*e & PTE_US))
		rw->all_u = false;
	if (rw->nx_on && (*e & PTE_NX))
		rw->any_xd = true;
	rw->used[rw->n++] = addr;
	return 0;
}

/* Access check, A/D update and the result, once the leaf is known. */
static int ref_finish(struct ref_walk *rw, int level, u64 leaf_gpa_of_pte,
		      gpa_t page, u64 page_size)
{
	const struct walk_cpu *cpu = rw->cpu;
	bool user = rw->access & PFERR_USER;
	bool write = rw->access & PFERR_WRITE;
	bool fetch = rw->access & PFERR_FETCH;
	bool ok = true;
	u64 leaf;

	rw->out->w = rw->all_w;
	rw->out->u = rw->all_u;
	rw->out->x = !rw->any_xd;
	if (user) {
		if (!rw->all_u)
			ok = false;
		if (write && !rw->all_w)
			ok = false;
	} else {
		if (write && (cpu->cr0 & X86_CR0_WP) && !rw->all_w)
			ok = false;
		if (fetch && (cpu->cr4 & X86_CR4_SMEP) && rw->all_u)
			ok = false;
	}
	if (fetch && rw->any_xd)
		ok = false;
	if (!ok)
		return ref_fault(rw, level, PFERR_PRESENT);

	for (int i = 0; i < rw->n; i++)
		ref_or(rw->used[i], rw->size, PTE_A);
	if (write)
		ref_or(leaf_gpa_of_pte, rw->size, PTE_D);
	ref_read(leaf_gpa_of_pte, rw->size, &leaf);
	rw->out->pte = leaf;
	rw->out->level = level;
	rw->out->gpa = page + (rw->gva % page_size);
	rw->out->ret = WALK_OK;
	return 0;
}

static int ref_walk_32(struct ref_walk *rw)
{
	const struct walk_cpu *cpu = rw->cpu;
	u64 pde, pte;
	gpa_t pde_at, pte_at;

	if (rw->gva > 0xffffffffull)
		return rw->out->ret = WALK_GP;
	rw->size = 4;
	pde_at = (cpu->cr3 & 0xfffff000ull) + ((rw->gva >> 22) & 1023) * 4;
	if (cpu->cr4 & X86_CR4_PSE) {
		ref_read(pde_at, 4, &pde);
		if ((pde & PTE_P) && (pde & PTE_PS)) {
			unsigned m = cpu->maxphyaddr < 40 ? cpu->maxphyaddr : 40;
			u64 page;

			if (ref_entry(rw, 2, pde_at, mask_from(m - 19, 21),
				      &pde))
				return WALK_PF;
			page = (pde & 0xffc00000ull) |
			       (((pde >> 13) & 0xff) << 32);
			return ref_finish(rw, 2, pde_at, page, 4ull << 20);
		}
	}
	if (ref_entry(rw, 2, pde_at, 0, &pde))
		return WALK_PF;
	pte_at = (pde & 0xfffff000ull) + ((rw->gva >> 12) & 1023) * 4;
	if (ref_entry(rw, 1, pte_at, 0, &pte))
		return WALK_PF;
	return ref_finish(rw, 1, pte_at, pte & 0xfffff000ull, 4096);
}

static int ref_walk_pae(struct ref_walk *rw)
{
	const struct walk_cpu *cpu = rw->cpu;
	unsigned m = cpu->maxphyaddr;
	u64 high = mask_from(m, 62) | (rw->nx_on ? 0 : PTE_NX);
	u64 addr = mask_from(12, m - 1);
	u64 pdpte, pde, pte;
	gpa_t pde_at, pte_at;

	if (rw->gva > 0xffffffffull)
		return rw->out->ret = WALK_GP;
	rw->size = 8;
	pdpte = cpu->pdpte[rw->gva >> 30];
	if (!(pdpte & PTE_P))
		return ref_fault(rw, 3, 0);
	if (pdpte & (mask_from(1, 2) | mask_from(5, 8) | mask_from(m, 63)))
		return ref_fault(rw, 3, PFERR_PRESENT | PFERR_RSVD);
	pde_at = (pdpte & addr) + ((rw->gva >> 21) & 511) * 8;
	ref_read(pde_at, 8, &pde);
	if ((pde & PTE_P) && (pde & PTE_PS)) {
		if (ref_entry(rw, 2, pde_at, high | mask_from(13, 20), &pde))
			return WALK_PF;
		return ref_finish(rw, 2, pde_at, pde & addr & ~0x1fffffull,
				  2ull << 20);
	}
	if (ref_entry(rw, 2, pde_at, high, &pde))
		return WALK_PF;
	pte_at = (pde & addr) + ((rw->gva >> 12) & 511) * 8;
	if (ref_entry(rw, 1, pte_at, high, &pte))
		return WALK_PF;
	return ref_finish(rw, 1, pte_at, pte & addr, 4096);
}

static int ref_walk_64(struct ref_walk *rw)
{
	const struct walk_cpu *cpu = rw->cpu;
	unsigned m = cpu->maxphyaddr;
	u64 high = mask_from(m, 51) | (rw->nx_on ? 0 : PTE_NX);
	u64 addr = mask_from(12, m - 1);
	u64 top = rw->gva >> 47;
	u64 pml4e, pdpte, pde, pte;
	gpa_t at;

	if (cpu->cr4 & X86_CR4_LA57)
		return rw->out->ret = -EOPNOTSUPP;
	if (top != 0 && top != 0x1ffff)
		return rw->out->ret = WALK_GP;
	rw->size = 8;
	at = (cpu->cr3 & addr) + ((rw->gva >> 39) & 511) * 8;
	if (ref_entry(rw, 4, at, high | PTE_PS, &pml4e))
		return WALK_PF;
	at = (pml4e & addr) + ((rw->gva >> 30) & 511) * 8;
	ref_read(at, 8, &pdpte);
	if ((pdpte & PTE_P) && (pdpte & PTE_PS)) {
		if (ref_entry(rw, 3, at, high | mask_from(13, 29), &pdpte))
			return WALK_PF;
		return ref_finish(rw, 3, at, pdpte & addr & ~0x3fffffffull,
				  1ull << 30);
	}
	if (ref_entry(rw, 3, at, high, &pdpte))
		return WALK_PF;
	at = (pdpte & addr) + ((rw->gva >> 21) & 511) * 8;
	ref_read(at, 8, &pde);
	if ((pde & PTE_P) && (pde & PTE_PS)) {
		if (ref_entry(rw, 2, at, high | mask_from(13, 20), &pde))
			return WALK_PF;
		return ref_finish(rw, 2, at, pde & addr & ~0x1fffffull,
				  2ull << 20);
	}
	if (ref_entry(rw, 2, at, high, &pde))
		return WALK_PF;
	at = (pde & addr) + ((rw->gva >> 12) & 511) * 8;
	if (ref_entry(rw, 1, at, high, &pte))
		return WALK_PF;
	return ref_finish(rw, 1, at, pte & addr, 4096);
}

static void ref_walk(const struct walk_cpu *cpu, gva_t gva, u32 access,
		     struct ref_out *out)
{
	struct ref_walk rw = {
		.cpu = cpu, .gva = gva, .access = access, .out = out,
		.all_w = true, .all_u = true,
	};

	memset(out, 0, sizeof(*out));
	if ((access & ~(PFERR_WRITE | PFERR_USER | PFERR_FETCH)) ||
	    cpu->maxphyaddr < 32 || cpu->maxphyaddr > 52) {
		out->ret = -EINVAL;
		return;
	}
	if (!(cpu->cr0 & X86_CR0_PG)) {
		if (gva > 0xffffffffull) {
			out->ret = WALK_GP;
			return;
		}
		out->gpa = gva;
		out->level = 1;
		out->w = out->u = out->x = true;
		return;
	}
	if (cpu->efer & EFER_LMA) {
		rw.nx_on = cpu->efer & EFER_NXE;
		ref_walk_64(&rw);
	} else if (cpu->cr4 & X86_CR4_PAE) {
		rw.nx_on = cpu->efer & EFER_NXE;
		ref_walk_pae(&rw);
	} else {
		ref_walk_32(&rw);
	}
}

/*
 * The reference's PDPTE load: WALK_GP if a present PDPTE has reserved
 * bits.  Outside RAM the bus answers all ones, which is such a PDPTE.
 */
static int ref_load_pdptes(u64 cr3, unsigned m, u64 out[4])
{
	u64 v[4];

	if (m < 32 || m > 52)
		return -EINVAL;
	for (int i = 0; i < 4; i++) {
		if (!ref_read((cr3 & 0xffffffe0ull) + 8 * i, 8, &v[i]))
			v[i] = ~0ull;
		if ((v[i] & PTE_P) &&
		    (v[i] & (mask_from(1, 2) | mask_from(5, 8) |
			     mask_from(m, 63))))
			return WALK_GP;
	}
	memcpy(out, v, sizeof(v));
	return WALK_OK;
}

/* ---- input decoding ----------------------------------------------------- */

struct input {
	const u8 *p;
	size_t left;
};

static u64 take(struct input *in, unsigned n)
{
	u64 v = 0;

	for (unsigned i = 0; i < n; i++) {
		v <<= 8;
		if (in->left) {
			v |= *in->p++;
			in->left--;
		}
	}
	return v;
}

/* Point an entry's address bits (51:12) at one of the fake pages. */
static u64 relocate(u64 e, unsigned sel)
{
	return (e & ~mask_from(12, 51)) | page_gpa[sel % NPAGES];
}

static void poke(gpa_t gpa, u64 v, unsigned size)
{
	memcpy(locate(&mem_dut, gpa, size), &v, size);
}

#define FAIL(...)							\
	do {								\
		fprintf(stderr, "walk_fuzz: " __VA_ARGS__);		\
		fprintf(stderr, "\n  cr0 %llx cr3 %llx cr4 %llx efer %llx "	\
			"m %u gva %llx access %x\n",			\
			(unsigned long long)cpu.cr0,			\
			(unsigned long long)cpu.cr3,			\
			(unsigned long long)cpu.cr4,			\
			(unsigned long long)cpu.efer, cpu.maxphyaddr,	\
			(unsigned long long)gva, access);		\
		abort();						\
	} while (0)

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct input in = { data, size };
	struct walk_cpu cpu = { 0 };
	struct walk_result res;
	struct ref_out ref;
	u64 regs = take(&in, 2);
	unsigned size_e;
	u32 access;
	gva_t gva;
	int ret;

	memset(&mem_dut, 0, sizeof(mem_dut));
	cpu.cr0 = (regs & 1 ? X86_CR0_PG : 0) | (regs & 2 ? X86_CR0_WP : 0);
	cpu.cr4 = (regs & 4 ? X86_CR4_PSE : 0) | (regs & 8 ? X86_CR4_PAE : 0) |
		  (regs & 16 ? X86_CR4_SMEP : 0);
	cpu.efer = (regs & 32 ? EFER_LMA : 0) | (regs & 64 ? EFER_NXE : 0);
	if ((regs & 0x180) == 0x180)
		cpu.cr4 |= X86_CR4_LA57;
	cpu.maxphyaddr = 32 + take(&in, 1) % 21;
	if ((regs & 0x600) == 0x600)	/* now and then, out of range */
		cpu.maxphyaddr = regs & 0x800 ? 31 : 53;
	access = take(&in, 1);
	access = (access & 0x80) ? (access & 0x3f) : (access & 0x16);
	cpu.cr3 = take(&in, 8);
	gva = take(&in, 8);
	if ((regs & 0x3000) == 0x1000)		/* a 32-bit address */
		gva = (u32)gva;
	else if ((regs & 0x3000) == 0x2000)	/* a canonical one */
		gva = (u64)((s64)(gva << 16) >> 16);
	if (regs & 0x4000)
		cpu.cr3 = relocate(cpu.cr3, take(&in, 1));
	mem_dut.eagain = take(&in, 1);
	/* A few spurious races, or now and then a writer that never stops. */
	mem_dut.eagain = mem_dut.eagain == 0xff ? EAGAIN_FOREVER :
						  mem_dut.eagain % 4;

	for (int i = 0; i < 4; i++)
		cpu.pdpte[i] = take(&in, 8);
	size_e = (cpu.efer & EFER_LMA) || (cpu.cr4 & X86_CR4_PAE) ? 8 : 4;
	for (unsigned i = 0; i < NPAGES; i++) {
		u8 how = take(&in, 1);
		u64 fill = take(&in, 8);

		mem_dut.rom[i] = (how & 9) == 9;
		if (how & 2)
			fill = relocate(fill, how >> 4);
		if (how & 4)
			for (unsigned o = 0; o < PAGE_SIZE; o += size_e)
				memcpy(&mem_dut.bytes[i][o], &fill, size_e);
	}
	while (in.left) {
		u8 page = take(&in, 1) % NPAGES;
		u16 idx = take(&in, 2);
		u8 kind = take(&in, 1);
		u64 v = take(&in, 8);

		if (kind & 1)
			v = relocate(v, kind >> 1);
		poke(page_gpa[page] + (idx * size_e) % PAGE_SIZE, v, size_e);
	}
	mem_ref = mem_dut;
	mem_init = mem_dut;

	if (paging_mode_of(&cpu) == PAGING_PAE && !(regs & 0x8000)) {
		u64 a[4], b[4];
		int ra = pae_load_pdptes(&dut_ops, &mem_dut, cpu.cr3,
					 cpu.maxphyaddr, a);
		int rb = ref_load_pdptes(cpu.cr3, cpu.maxphyaddr, b);

		if (ra != rb)
			FAIL("pdpte load %d, reference %d", ra, rb);
		if (ra)
			return 0;
		if (memcmp(a, b, sizeof(a)))
			FAIL("pdptes differ");
		memcpy(cpu.pdpte, a, sizeof(a));
	}

	ret = guest_walk(&dut_ops, &mem_dut, &cpu, gva, access, &res);
	ref_walk(&cpu, gva, access, &ref);
	/*
	 * With cmpxchg losing every race, a walk that must write some A/D
	 * bit (to RAM, not ROM) gives up with WALK_RETRY and writes nothing;
	 * one that has nothing to write is unaffected.
	 */
	if (mem_init.eagain == EAGAIN_FOREVER && ref.ret == WALK_OK &&
	    memcmp(mem_ref.bytes, mem_init.bytes, sizeof(mem_ref.bytes))) {
		ref.ret = WALK_RETRY;
		mem_ref = mem_init;
	}
	if (ret != ref.ret)
		FAIL("returned %d, reference %d", ret, ref.ret);
	if (ret == WALK_PF) {
		if (res.error_code != ref.ec)
			FAIL("error code %x, reference %x", res.error_code,
			     ref.ec);
		if (res.level != ref.level)
			FAIL("fault level %d, reference %d", res.level,
			     ref.level);
	} else if (ret == WALK_OK) {
		if (res.gpa != ref.gpa || res.level != ref.level)
			FAIL("gpa %llx level %d, reference %llx level %d",
			     (unsigned long long)res.gpa, res.level,
			     (unsigned long long)ref.gpa, ref.level);
		if (res.pte != ref.pte && paging_mode_of(&cpu) != PAGING_OFF)
			FAIL("pte %llx, reference %llx",
			     (unsigned long long)res.pte,
			     (unsigned long long)ref.pte);
		if (res.write != ref.w || res.user != ref.u ||
		    res.exec != ref.x)
			FAIL("rights %d%d%d, reference %d%d%d", res.write,
			     res.user, res.exec, ref.w, ref.u, ref.x);
	}
	if (memcmp(mem_dut.bytes, mem_ref.bytes, sizeof(mem_dut.bytes)))
		FAIL("guest memory differs after the walk");
	return 0;
}
