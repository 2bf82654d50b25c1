// SPDX-License-Identifier: MIT
/*
 * mmu_perm: the page-permission matrix under Aperture's shadow MMU.  Each
 * case maps its own page with chosen PTE bits, makes one access as
 * supervisor or user, reads, writes or executes, with CR0.WP and NX as
 * the case says, and checks the outcome against SDM Vol. 3A 4.6: no fault
 * (and the data really moved), or a #PF with exactly the 4.7 error code
 * and CR2.
 *
 * PAE paging with EFER.NXE when the CPU has NX.  User accesses run at
 * CPL 3: a GDT with DPL-3 segments and a TSS, an IRET down to ring 3, and
 * an INT 0x80 gate back up.  The low 8 MiB is mapped user-accessible so
 * that ring-3 code can run the kernel's own functions and the runtime's
 * exception recovery.
 */
#include "cpu.h"
#include "paging.h"
#include "test.h"

#define TEST_VA		0x40000000u	/* PDE with U/S = 1 */
#define SUP_VA		0x40200000u	/* PDE with U/S = 0 */
#define FRAME(n)	(0x300000u + (n) * PG_SIZE)
#define OFF		0x40		/* CR2 must be exact, not page-aligned */

#define SEL_TSS		0x28
#define USER_VECTOR	0x80
#define IDT_ENTRIES	256

enum op { OP_READ, OP_WRITE, OP_EXEC };

static u64 pdpt[PT64_ENTRIES] __attribute__((aligned(PG_SIZE)));
static u64 pd_lo[PT64_ENTRIES] __attribute__((aligned(PG_SIZE)));
static u64 pd_test[PT64_ENTRIES] __attribute__((aligned(PG_SIZE)));
static u64 pt_test[PT64_ENTRIES] __attribute__((aligned(PG_SIZE)));
static u64 pt_sup[PT64_ENTRIES] __attribute__((aligned(PG_SIZE)));

/* SDM 3A 5.2.1: flat segments; 0x18/0x20 are the DPL-3 ones. */
static u64 gdt[] __attribute__((aligned(8))) = {
	0,
	0x00cf9b000000ffffull,	/* 0x08: ring-0 code (the IDT's selector) */
	0x00cf93000000ffffull,	/* 0x10: ring-0 data */
	0x00cffb000000ffffull,	/* 0x18: ring-3 code */
	0x00cff3000000ffffull,	/* 0x20: ring-3 data */
	0,			/* 0x28: TSS, filled in at run time */
};

/* 32-bit TSS (SDM 3A 8.2.1); only SS0:ESP0 matter, no I/O bitmap. */
struct tss32 {
	u32 link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
	u32 eax, ecx, edx, ebx, esp, ebp, esi, edi;
	u32 es, cs, ss, ds, fs, gs, ldt;
	u16 trap, iomap_base;
};

_Static_assert(sizeof(struct tss32) == 104, "32-bit TSS is 104 bytes");

static struct tss32 tss;
static u64 idt[IDT_ENTRIES] __attribute__((aligned(8)));
static u8 ring0_stack[4096] __attribute__((aligned(16)));
static u8 ring3_stack[4096] __attribute__((aligned(16)));

/* Shared with the ring-3 side and the asm below. */
u32 kernel_esp, user_esp;
static volatile u32 u_op, u_wval, u_rval, u_cs;
static volatile u32 *volatile u_ptr;
static volatile int u_vec;
static struct exc_info u_exc;

void run_user(void);
void user_gate(void);
noreturn void user_main(void);

/*
 * run_user: IRET to user_main at CPL 3 on ring3_stack.  user_main ends
 * with INT 0x80, whose DPL-3 gate enters user_gate at CPL 0 on the TSS
 * stack; user_gate drops that frame, restores the ring-0 data segments
 * (IRET to ring 3 nulls those with DPL < 3) and returns from run_user.
 */
asm(".pushsection .text\n"
    ".globl run_user, user_gate\n"
    "run_user:\n"
    "	pushl %ebx\n"
    "	pushl %esi\n"
    "	pushl %edi\n"
    "	pushl %ebp\n"
    "	movl %esp, kernel_esp\n"
    "	movl $0x23, %eax\n"
    "	movw %ax, %ds\n"
    "	movw %ax, %es\n"
    "	pushl $0x23\n"
    "	pushl user_esp\n"
    "	pushfl\n"
    "	pushl $0x1b\n"
    "	pushl $user_main\n"
    "	iret\n"
    "user_gate:\n"
    "	movl $0x10, %eax\n"
    "	movw %ax, %ds\n"
    "	movw %ax, %es\n"
    "	movw %ax, %fs\n"
    "	movw %ax, %gs\n"
    "	movl kernel_esp, %esp\n"
    "	popl %ebp\n"
    "	popl %edi\n"
    "	popl %esi\n"
    "	popl %ebx\n"
    "	ret\n"
    ".popsection\n");

static int do_access(u32 op, volatile u32 *p, u32 wval, u32 *rval,
		     struct exc_info *e)
{
	switch (op) {
	case OP_READ:
		return probe_read(p, rval, e);
	case OP_WRITE:
		return probe_write(p, wval, e);
	default:
		return probe_exec(p, e);
	}
}

/* Runs at CPL 3: only memory accesses, no privileged instructions. */
noreturn void user_main(void)
{
	u32 cs, rval = 0;

	asm volatile("movl %%cs, %0" : "=r"(cs));
	u_cs = cs;
	u_vec = do_access(u_op, u_ptr, u_wval, &rval, &u_exc);
	u_rval = rval;
	asm volatile("int $0x80" : : : "memory");
	__builtin_unreachable();
}

static u64 gate32(u32 handler, u32 dpl)
{
	/* 32-bit interrupt gate (SDM 3A 6.11, Figure 6-2). */
	return (handler & 0xffff) | (u64)0x08 << 16 |
	       (u64)(0x8e | dpl << 5) << 40 | (u64)(handler >> 16) << 48;
}

static void setup_rings(void)
{
	u32 base = (u32)(uintptr_t)&tss, limit = sizeof(tss) - 1;
	struct desc_ptr old, p;
	const u64 *old_idt;
	u32 i;

	tss.ss0 = 0x10;
	tss.esp0 = (u32)(uintptr_t)(ring0_stack + sizeof(ring0_stack));
	tss.iomap_base = sizeof(tss);
	/* Available 32-bit TSS, present, DPL 0 (SDM 3A 8.2.2). */
	gdt[SEL_TSS / 8] = (limit & 0xffff) | (u64)(base & 0xffffff) << 16 |
			   (u64)0x89 << 40 | (u64)(base >> 24) << 56;
	user_esp = (u32)(uintptr_t)(ring3_stack + sizeof(ring3_stack));

	p.limit = sizeof(gdt) - 1;
	p.base = (u32)(uintptr_t)gdt;
	asm volatile("lgdt %0" : : "m"(p));
	asm volatile("ltr %w0" : : "r"(SEL_TSS));

	/* Keep the runtime's exception gates, add the way back from ring 3. */
	asm volatile("sidt %0" : "=m"(old));
	old_idt = (const u64 *)(uintptr_t)old.base;
	for (i = 0; i < (old.limit + 1u) / 8 && i < IDT_ENTRIES; i++)
		idt[i] = old_idt[i];
	idt[USER_VECTOR] = gate32((u32)(uintptr_t)user_gate, 3);
	p.limit = sizeof(idt) - 1;
	p.base = (u32)(uintptr_t)idt;
	lidt(&p);
}

static void setup_paging(bool nx)
{
	u32 i;

	for (i = 0; i < 4; i++)
		pd_lo[i] = (u64)i << 21 | PG_PS | PG_P | PG_RW | PG_US;
	pd_test[(TEST_VA >> 21) & 511] = pa_of(pt_test) | PG_P | PG_RW | PG_US;
	pd_test[(SUP_VA >> 21) & 511] = pa_of(pt_sup) | PG_P | PG_RW;
	pdpt[0] = pa_of(pd_lo) | PG_P;
	pdpt[TEST_VA >> 30] = pa_of(pd_test) | PG_P;
	if (nx)
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	paging_on(pa_of(pdpt), X86_CR4_PAE);
}

#define NO_FAULT	0xffffffffu

struct pcase {
	const char *name;
	u64 pte;		/* flags; 0: not present */
	bool sup_pde;		/* under the PDE with U/S = 0 */
	u8 op;
	bool user, wp0, nx;	/* CPL 3; CR0.WP = 0; needs EFER.NXE */
	u32 err;		/* expected #PF error code, or NO_FAULT */
};

#define P	PG_P
#define RW	PG_RW
#define US	PG_US

static const struct pcase cases[] = {
	{ "sup_read_ro", P, false, OP_READ, false, false, false, NO_FAULT },
	{ "sup_write_ro_wp1", P, false, OP_WRITE, false, false, false,
	  PFERR_P | PFERR_W },
	{ "sup_write_ro_wp0", P, false, OP_WRITE, false, true, false,
	  NO_FAULT },
	{ "sup_write_user_ro_wp0", P | US, false, OP_WRITE, false, true,
	  false, NO_FAULT },
	{ "sup_write_user_ro_wp1", P | US, false, OP_WRITE, false, false,
	  false, PFERR_P | PFERR_W },
	{ "sup_write_user_rw_wp1", P | RW | US, false, OP_WRITE, false, false,
	  false, NO_FAULT },
	{ "sup_read_not_present", 0, false, OP_READ, false, false, false, 0 },
	{ "sup_write_not_present", 0, false, OP_WRITE, false, false, false,
	  PFERR_W },
	{ "user_read_user", P | US, false, OP_READ, true, false, false,
	  NO_FAULT },
	{ "user_write_user_rw", P | RW | US, false, OP_WRITE, true, false,
	  false, NO_FAULT },
	{ "user_read_sup", P | RW, false, OP_READ, true, false, false,
	  PFERR_P | PFERR_U },
	{ "user_write_user_ro_wp1", P | US, false, OP_WRITE, true, false,
	  false, PFERR_P | PFERR_W | PFERR_U },
	{ "user_write_user_ro_wp0", P | US, false, OP_WRITE, true, true,
	  false, PFERR_P | PFERR_W | PFERR_U },
	{ "user_read_not_present", 0, false, OP_READ, true, false, false,
	  PFERR_U },
	{ "user_read_sup_pde", P | RW | US, true, OP_READ, true, false, false,
	  PFERR_P | PFERR_U },
	{ "user_write_sup_pde", P | RW | US, true, OP_WRITE, true, false,
	  false, PFERR_P | PFERR_W | PFERR_U },
	{ "sup_exec_user_page", P | RW | US, false, OP_EXEC, false, false,
	  false, NO_FAULT },
	{ "user_exec_user_page", P | US, false, OP_EXEC, true, false, false,
	  NO_FAULT },
	{ "sup_exec_nx", P | RW | PG_NX, false, OP_EXEC, false, false, true,
	  PFERR_P | PFERR_I },
	{ "sup_read_nx", P | PG_NX, false, OP_READ, false, false, true,
	  NO_FAULT },
	{ "user_exec_nx", P | RW | US | PG_NX, false, OP_EXEC, true, false,
	  true, PFERR_P | PFERR_U | PFERR_I },
	{ "user_exec_sup", P | RW, false, OP_EXEC, true, false, true,
	  PFERR_P | PFERR_U | PFERR_I },
};

static void run_case(const struct pcase *c, u32 i)
{
	u32 va = (c->sup_pde ? SUP_VA : TEST_VA) + i * PG_SIZE + OFF;
	u64 *pte = c->sup_pde ? &pt_sup[i] : &pt_test[i];
	volatile u32 *frame = phys(FRAME(i) + OFF);
	/* Starts with a RET for the exec cases; distinct per case. */
	u32 before = 0x5a0000c3 | i << 8, wval = 0xa5000000 | i, rval = 0;
	u32 want_frame = before;
	struct exc_info e;
	bool ok;
	int vec;

	*frame = before;
	*pte = c->pte ? (FRAME(i) | c->pte) : 0;
	if (c->wp0)
		write_cr0(read_cr0() & ~X86_CR0_WP);
	else
		write_cr0(read_cr0() | X86_CR0_WP);

	exc_clear();
	if (c->user) {
		u_op = c->op;
		u_ptr = phys(va);
		u_wval = wval;
		u_cs = 0;
		run_user();
		vec = u_vec;
		e = u_exc;
		rval = u_rval;
	} else {
		vec = do_access(c->op, phys(va), wval, &rval, &e);
	}
	write_cr0(read_cr0() | X86_CR0_WP);

	if (c->err == NO_FAULT) {
		ok = no_exc(vec, &e);
		if (c->op == OP_READ && rval != before)
			ok = false;
		if (c->op == OP_WRITE)
			want_frame = wval;
	} else {
		ok = is_pf(vec, &e, c->err, va);
	}
	if (*frame != want_frame) {
		printf("  frame holds %#x, want %#x\n", *frame, want_frame);
		ok = false;
	}
	if (c->user && (u_cs & 3) != 3) {
		printf("  ran at CS %#x, not ring 3\n", u_cs);
		ok = false;
	}
	report(ok, "%s", c->name);
}

int main(void)
{
	bool nx = cpu_has_nx();
	u32 i;

	test_init("mmu_perm");
	setup_rings();
	setup_paging(nx);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		if (cases[i].nx && !nx)
			report_skip("%s", cases[i].name);
		else
			run_case(&cases[i], i);
	}
	test_exit();
}
