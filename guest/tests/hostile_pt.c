// SPDX-License-Identifier: MIT
/*
 * Hostile guest page tables: the shadow MMU must walk them exactly as the
 * processor would (SDM 3A 4.3, 4.4, 4.7), whatever they point at.
 *
 *  - A page table in unbacked memory reads as all ones: under 32-bit
 *    paging such a PTE is present and maps frame 0xfffff000 (unbacked
 *    too, so the load reads all ones); under PAE the same PTE has
 *    reserved bits set: #PF with P|RSVD.
 *  - A table in a read-only slot reads as zeros: not present, #PF(0).
 *  - Reserved bits (4-MByte PDE bit 21; PAE XD without NXE, bits at or
 *    above MAXPHYADDR, 2-MByte PDE bits 20:13) are #PF with P|RSVD.
 *  - A 4-MByte page over the VGA hole: RAM parts are RAM, the hole reads
 *    all ones.
 *  - A hypercall that writes a page table takes effect at the next MOV
 *    CR3 (and INVLPG), like any other store.
 *  - A self-mapping page directory: loads and stores through it read and
 *    write the tables, and an exception frame pushed onto a page table
 *    through it is an ordinary push (it once livelocked).
 *
 * Config (test/emu/hostile-suite.cfg): mem=16M slot=0xe0000000,64K,ro
 *	slot=0xe0100000,64K timeout=60
 */
#include "cpu.h"
#include "hostile.h"
#include "paging.h"
#include "physmem.h"
#include "string.h"
#include "test.h"

#define HOLE		0xa0000u
#define ROM		0xe0000000u
#define SCRATCH		0xe0100000u
#define MB		0x100000u

#define PFERR_PR	(PFERR_P | PFERR_RSVD)

static u32 pd[PT32_ENTRIES] __attribute__((aligned(PG_SIZE)));
static u32 pts[4][PT32_ENTRIES] __attribute__((aligned(PG_SIZE)));
static u32 spare_pt[PT32_ENTRIES] __attribute__((aligned(PG_SIZE)));

static u64 pdpt[4] __attribute__((aligned(32)));
static u64 pae_pd[512] __attribute__((aligned(PG_SIZE)));
static u64 pae_pt[512] __attribute__((aligned(PG_SIZE)));

static void read_case(u32 va, int want_vec, u32 want_err, u32 want_val,
		      const char *name)
{
	struct exc_info e = { 0 };
	u32 v = 0;
	int vec = probe_read((void *)(uintptr_t)va, &v, &e);

	if (want_vec == PF_VECTOR)
		report(is_pf(vec, &e, want_err, va), "%s", name);
	else
		report(vec == EXC_NONE && v == want_val, "%s (%s, %#x, want %#x)",
		       name, vec_name(vec), v, want_val);
}

static void setup32(void)
{
	memset(pd, 0, sizeof(pd));
	pd32_identity(pd, pts, 4, PG_P | PG_RW);
}

static void test_32bit(void)
{
	setup32();
	pd[5] = HOLE | PG_P | PG_RW;			/* PT in the hole */
	pd[6] = ROM | PG_P | PG_RW;			/* PT in a ro slot */
	pd[7] = 0 | PG_PS | PG_P | PG_RW;		/* 4M page over [0, 4M) */
	pd[8] = (1u << 21) | PG_PS | PG_P | PG_RW;	/* reserved bit 21 */
	pts[1][0] = 0x80000000u | PG_P | PG_RW;		/* frame with no slot */
	/* A store to the ro-slot table is dropped: it stays not present. */
	phys_write32(ROM + 8, 0x00200000u | PG_P | PG_RW);
	paging_on(pa_of(pd), X86_CR4_PSE);

	read_case(5 * 4 * MB + 0x10, EXC_NONE, 0, 0xffffffffu,
		  "pt_in_hole_32bit_reads_ones");
	read_case(6 * 4 * MB, PF_VECTOR, 0, 0, "pt_in_ro_slot_not_present_pf");
	read_case(6 * 4 * MB + 2 * PG_SIZE, PF_VECTOR, 0, 0,
		  "pt_in_ro_slot_store_dropped_pf");
	read_case(7 * 4 * MB + 0x100000, EXC_NONE, 0, phys_read32(0x100000),
		  "pse_page_over_hole_ram_part");
	read_case(7 * 4 * MB + HOLE + 0x40, EXC_NONE, 0, 0xffffffffu,
		  "pse_page_over_hole_hole_reads_ones");
	phys_write32(7 * 4 * MB + HOLE + 0x40, 0x12345678u);
	read_case(7 * 4 * MB + HOLE + 0x40, EXC_NONE, 0, 0xffffffffu,
		  "pse_page_over_hole_store_dropped");
	read_case(8 * 4 * MB, PF_VECTOR, PFERR_PR, 0, "pse_pde_bit21_rsvd_pf");
	read_case(4 * MB, EXC_NONE, 0, 0xffffffffu, "pte_to_unbacked_frame_ones");
	paging_off();
}

/*
 * APERTURE_HC_GET_MEMORY_ALIAS writes 32 bytes at its argument: aimed at
 * a live page table it clears PTEs 1..7 of pts[3] (slot = 1 stays a
 * present PTE; the rest are aligned addresses and zeros: not present).
 */
static void test_hypercall_writes_pt(void)
{
	static struct aperture_memory_alias a;
	u32 va_cr3 = 12 * MB + 1 * PG_SIZE, va_invlpg = 12 * MB + 4 * PG_SIZE;
	u32 v;
	long ret;

	setup32();
	paging_on(pa_of(pd), 0);
	a.slot = 1;
	a.guest_phys_addr = HOLE;
	a.memory_size = PG_SIZE;
	a.target_phys_addr = SCRATCH;
	ret = hc1(APERTURE_HC_SET_MEMORY_ALIAS, gpa_of(&a));
	/* Build the shadow entries the hypercall must invalidate. */
	v = *(volatile u32 *)(uintptr_t)va_cr3 + *(volatile u32 *)(uintptr_t)va_invlpg;
	(void)v;
	pts[3][0] = 1;	/* the request's .slot; maps 12M to frame 0, read-only */
	invlpg((void *)(uintptr_t)(12 * MB));
	ret = ret ?: hc1(APERTURE_HC_GET_MEMORY_ALIAS, pa_of(&pts[3][0]));
	report(ret == 0 && pts[3][2] == HOLE && pts[3][4] == PG_SIZE,
	       "hypercall_wrote_page_table (%ld, %#x)", ret, pts[3][2]);
	write_cr3(read_cr3());
	read_case(va_cr3, PF_VECTOR, 0, 0, "hypercall_pt_write_seen_by_mov_cr3");
	invlpg((void *)(uintptr_t)va_invlpg);
	read_case(va_invlpg, PF_VECTOR, 0, 0, "hypercall_pt_write_seen_by_invlpg");
	paging_off();
	a.memory_size = 0;
	hc1(APERTURE_HC_SET_MEMORY_ALIAS, gpa_of(&a));
}

static u32 maxphyaddr(void)
{
	if (cpuid(0x80000000).eax < 0x80000008)
		return 36;
	return cpuid(0x80000008).eax & 0xff;
}

static void test_pae(void)
{
	u32 m = maxphyaddr();
	u64 efer = rdmsr(MSR_EFER);

	wrmsr(MSR_EFER, efer & ~(u64)EFER_NXE);
	memset(pae_pd, 0, sizeof(pae_pd));
	for (u32 i = 0; i < 8; i++)	/* [0, 16M) in 2-MByte pages */
		pae_pd[i] = (u64)i * 2 * MB | PG_PS | PG_P | PG_RW;
	pae_pd[8] = pa_of(pae_pt) | PG_P | PG_RW;
	pae_pd[9] = HOLE | PG_P | PG_RW;			/* PT in the hole */
	pae_pd[10] = 20 * MB | (1u << 13) | PG_PS | PG_P | PG_RW;
	pae_pt[0] = 0x200000 | PG_NX | PG_P | PG_RW;		/* XD, NXE = 0 */
	pae_pt[1] = 0x200000 | (1ull << m) | PG_P | PG_RW;	/* >= MAXPHYADDR */
	pae_pt[2] = 0x200000 | PG_P | PG_RW;
	pdpt[0] = pa_of(pae_pd) | PG_P;
	paging_on(pa_of(pdpt), X86_CR4_PAE);

	read_case(16 * MB + 2 * PG_SIZE, EXC_NONE, 0, phys_read32(0x200000),
		  "pae_plain_pte_works");
	read_case(16 * MB, PF_VECTOR, PFERR_PR, 0, "pae_xd_without_nxe_rsvd_pf");
	read_case(16 * MB + PG_SIZE, PF_VECTOR, PFERR_PR, 0,
		  "pae_pte_above_maxphyaddr_rsvd_pf");
	read_case(18 * MB, PF_VECTOR, PFERR_PR, 0, "pae_pt_in_hole_rsvd_pf");
	read_case(20 * MB, PF_VECTOR, PFERR_PR, 0, "pae_2m_pde_bit13_rsvd_pf");
	paging_off();
	write_cr4(read_cr4() & ~X86_CR4_PAE);
	wrmsr(MSR_EFER, efer);
}

/*
 * pd[1023] maps the directory itself: VA 0xffc00000 + 4K * i is the
 * table of PDE i, and 0xfffff000 the directory.
 */
#define SELF_PT(i)	(0xffc00000u + (i) * PG_SIZE)
#define SELF_PD		0xfffff000u

static void test_self_map(void)
{
	u32 va = 9 * 4 * MB;
	struct exc_info e = { 0 };
	int vec;

	setup32();
	pd[1023] = pa_of(pd) | PG_P | PG_RW;
	memset(spare_pt, 0, sizeof(spare_pt));
	pd[9] = pa_of(spare_pt) | PG_P | PG_RW;
	paging_on(pa_of(pd), 0);

	read_case(SELF_PD, EXC_NONE, 0, pd[0], "self_map_reads_pd");
	read_case(SELF_PT(0) + 4 * 0x100, EXC_NONE, 0, pts[0][0x100],
		  "self_map_reads_pt");
	/* A PTE written through the self-map, then used. */
	vec = probe_write((void *)(uintptr_t)SELF_PT(9), 0x00300000u | PG_P | PG_RW, &e);
	invlpg((void *)(uintptr_t)va);
	read_case(va, EXC_NONE, 0, phys_read32(0x300000),
		  "self_map_store_pte_then_use");
	/* The walk that used the entry set its A bit (SDM 3A 4.8). */
	report(vec == EXC_NONE &&
	       (spare_pt[0] & ~(PG_A | PG_D)) == (0x00300000u | PG_P | PG_RW),
	       "self_map_store_landed (%s, %#x)", vec_name(vec), spare_pt[0]);

	/*
	 * An exception frame pushed onto spare_pt through the self-map: the
	 * handler runs and returns; the frame's words land in the table.
	 */
	exc_clear();
	asm volatile("movl %%esp, %%esi\n\t"
		     "movl %0, %%esp\n\t"
		     ASM_TRY_BEGIN "int3" ASM_TRY_END
		     "movl %%esi, %%esp"
		     : : "r"(SELF_PT(9) + PG_SIZE) : "esi", "memory");
	vec = exc_caught(&e);
	report(vec == BP_VECTOR && spare_pt[1023] != 0,
	       "exception_frame_onto_self_mapped_pt (%s, %#x)", vec_name(vec),
	       spare_pt[1023]);
	paging_off();
}

int main(void)
{
	test_init("hostile_pt");
	test_32bit();
	test_hypercall_writes_pt();
	test_pae();
	test_self_map();
	test_exit();
}
