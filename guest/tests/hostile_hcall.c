// SPDX-License-Identifier: MIT
/*
 * Hostile hypercall arguments, and the hypervisor's entry points from
 * CPL 3.
 *
 * Every pointer argument is a guest-physical address the hypervisor must
 * resolve byte by byte (README, Hypercall ABI): a buffer that is unbacked,
 * that runs off the end of RAM or into the VGA hole, that wraps past
 * 4 GiB or that lies in a read-only slot fails with -EFAULT, never with a
 * hypervisor fault or a partial success.  Unknown numbers are -KVM_ENOSYS
 * (-1000), and any hypercall from CPL > 0 is -EPERM (an EXIT from ring 3
 * must not end the guest).
 *
 * From ring 3, the privileged instructions that VMX lets exit (XSETBV,
 * RDMSR, WRMSR, HLT, MOV CR, INVLPG, INVD, WBINVD, IN) must raise #GP(0):
 * the CPL check has priority over the VM exit (SDM 3C 26.1.1), so the
 * hypervisor must never see them, and CPUID must still work.
 *
 * Config (test/emu/hostile-suite.cfg): mem=16M slot=0xe0000000,64K,ro
 *	slot=0xe0100000,64K,dirty slot=0xe0200000,64K
 */
#include "cpu.h"
#include "hostile.h"
#include "hypercall.h"
#include "physmem.h"
#include "string.h"
#include "test.h"

#define HOLE		0xa0000u	/* [640K, 1M): no memslot */
#define RAM_END		0x1000000u	/* mem=16M */
#define ROM		0xe0000000u
#define LOG		0xe0100000u
#define PLAIN		0xe0200000u
#define ENOSYS		(-APERTURE_ENOSYS_KVM)

static char msg[64] = "hostile: console write\n";

/* --- Ring 3 ------------------------------------------------------------- */

#define SEL_CODE0	0x08
#define SEL_DATA0	0x10
#define SEL_CODE3	0x1b	/* 0x18 | RPL 3 */
#define SEL_DATA3	0x23	/* 0x20 | RPL 3 */
#define SEL_TSS		0x28
#define SEL_GATE	0x33	/* call gate back to ring 0, DPL 3 */

struct __attribute__((packed)) tss32 {
	u32 link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
	u32 eax, ecx, edx, ebx, esp, ebp, esi, edi;
	u32 es, cs, ss, ds, fs, gs, ldt;
	u16 trap, iomap;
};

static u64 gdt[7] __attribute__((aligned(8)));
static struct tss32 tss;
static u8 kstack[4096] __attribute__((aligned(16)));
static u8 ustack[4096] __attribute__((aligned(16)));

/* Read and written by the ring-3 stubs below. */
u32 user_nr, user_a0, user_a1, user_ret;
u32 user_saved_esp;
u32 user_stack_top;

void run_user(void (*fn)(void));
void user_return(void);
void user_vmcall(void);

/*
 * run_user(fn) IRETs to fn at CPL 3 (IOPL 0); every stub ends with a far
 * call through the DPL-3 call gate to user_return, which restores the
 * ring-0 stack and returns from run_user.
 */
asm(".text\n"
    ".globl run_user\n"
    "run_user:\n\t"
    "movl 4(%esp), %eax\n\t"
    "pushl %ebp\n\tpushl %ebx\n\tpushl %esi\n\tpushl %edi\n\t"
    "movl %esp, user_saved_esp\n\t"
    /* IRET to ring 3 nulls DS/ES if their DPL is below 3 (SDM 2, IRET). */
    "movw $0x23, %cx\n\tmovw %cx, %ds\n\tmovw %cx, %es\n\t"
    "pushl $0x23\n\t"
    "pushl user_stack_top\n\t"
    "pushfl\n\t"
    "andl $~0x3000, (%esp)\n\t"		/* IOPL 0 */
    "pushl $0x1b\n\t"
    "pushl %eax\n\t"
    "iret\n"
    ".globl user_return\n"
    "user_return:\n\t"
    "movl user_saved_esp, %esp\n\t"
    "movl $0x10, %eax\n\t"
    "movw %ax, %ds\n\tmovw %ax, %es\n\tmovw %ax, %fs\n\tmovw %ax, %gs\n\t"
    "popl %edi\n\tpopl %esi\n\tpopl %ebx\n\tpopl %ebp\n\t"
    "ret\n"
    ".globl user_vmcall\n"
    "user_vmcall:\n\t"
    "movl user_nr, %eax\n\t"
    "movl user_a0, %ebx\n\t"
    "movl user_a1, %ecx\n\t"
    "vmcall\n\t"
    "movl %eax, user_ret\n\t"
    "lcall $0x33, $0\n");

/* A ring-3 stub running one instruction inside an ASM_TRY bracket. */
#define USER_STUB(name, insn)						\
	void name(void);						\
	asm(".text\n.globl " #name "\n" #name ":\n\t"			\
	    "movl user_a0, %ecx\n\t"					\
	    "xorl %eax, %eax\n\txorl %edx, %edx\n\t"			\
	    ASM_TRY_BEGIN insn ASM_TRY_END				\
	    "lcall $0x33, $0\n")

USER_STUB(user_xsetbv, "movl $1, %eax\n\txsetbv");
USER_STUB(user_rdmsr, "rdmsr");
USER_STUB(user_wrmsr, "wrmsr");
USER_STUB(user_hlt, "hlt");
USER_STUB(user_mov_cr0, "movl %cr0, %eax");
USER_STUB(user_mov_to_cr3, "movl %eax, %cr3");
USER_STUB(user_invlpg, "invlpg (%eax)");
USER_STUB(user_invd, "invd");
USER_STUB(user_wbinvd, "wbinvd");
USER_STUB(user_inb, "inb $0x80, %al");
USER_STUB(user_outb_com1, "movw $0x3f8, %dx\n\toutb %al, %dx");
USER_STUB(user_cli, "cli");
USER_STUB(user_lgdt, "lgdt (%eax)");
USER_STUB(user_int3, "int3");
USER_STUB(user_cpuid, "cpuid");
USER_STUB(user_rdpmc, "rdpmc");

static u64 seg(u32 base, u32 limit, u32 access, u32 flags)
{
	return (limit & 0xffff) | ((u64)(base & 0xffffff) << 16) |
	       ((u64)access << 40) | ((u64)((limit >> 16) & 0xf) << 48) |
	       ((u64)flags << 52) | ((u64)(base >> 24) << 56);
}

static void user_setup(void)
{
	struct desc_ptr gdtr = { .limit = sizeof(gdt) - 1, .base = (uintptr_t)gdt };
	u32 ret = (u32)(uintptr_t)user_return;

	gdt[1] = 0x00cf9b000000ffffull;
	gdt[2] = 0x00cf93000000ffffull;
	gdt[3] = 0x00cffb000000ffffull;
	gdt[4] = 0x00cff3000000ffffull;
	/* 32-bit available TSS, DPL 0, byte granular (SDM 3A 8.2.2). */
	gdt[5] = seg((u32)(uintptr_t)&tss, sizeof(tss) - 1, 0x89, 0);
	/* 32-bit call gate, DPL 3, to SEL_CODE0:user_return (SDM 3A 5.8.3). */
	gdt[6] = (ret & 0xffff) | ((u64)SEL_CODE0 << 16) | (0xecull << 40) |
		 ((u64)(ret >> 16) << 48);
	tss.esp0 = (u32)(uintptr_t)(kstack + sizeof(kstack));
	tss.ss0 = SEL_DATA0;
	tss.iomap = sizeof(tss);	/* no I/O bitmap: IOPL alone decides */
	user_stack_top = (u32)(uintptr_t)(ustack + sizeof(ustack));
	asm volatile("lgdt %0\n\t"
		     "ljmp $0x08, $1f\n1:\n\t"
		     "ltr %w1"
		     : : "m"(gdtr), "r"(SEL_TSS) : "memory");
}

static long user_hc(u32 nr, u32 a0, u32 a1)
{
	user_nr = nr;
	user_a0 = a0;
	user_a1 = a1;
	user_ret = 0x5a5a5a5a;
	run_user(user_vmcall);
	return (s32)user_ret;
}

static int user_try(void (*stub)(void), u32 ecx, struct exc_info *e)
{
	user_a0 = ecx;
	exc_clear();
	run_user(stub);
	return exc_caught(e);
}

static void test_cpl3(void)
{
	static const struct {
		void (*stub)(void);
		u32 ecx;
		int vec;
		u32 err;
		const char *name;
	} cases[] = {
		/* SDM 2: each is #GP(0) at CPL > 0; INT3's gate is DPL 0. */
		/* Without CPUID.XSAVE (or CR4.OSXSAVE) XSETBV is #UD instead. */
		{ user_xsetbv, 0, GP_VECTOR, 0, "cpl3_xsetbv" },
		{ user_rdmsr, 0xc0000080u, GP_VECTOR, 0, "cpl3_rdmsr_efer_gp" },
		{ user_wrmsr, 0xc0000100u, GP_VECTOR, 0, "cpl3_wrmsr_fs_base_gp" },
		{ user_hlt, 0, GP_VECTOR, 0, "cpl3_hlt_gp" },
		{ user_mov_cr0, 0, GP_VECTOR, 0, "cpl3_mov_from_cr0_gp" },
		{ user_mov_to_cr3, 0, GP_VECTOR, 0, "cpl3_mov_to_cr3_gp" },
		{ user_invlpg, 0, GP_VECTOR, 0, "cpl3_invlpg_gp" },
		{ user_invd, 0, GP_VECTOR, 0, "cpl3_invd_gp" },
		{ user_wbinvd, 0, GP_VECTOR, 0, "cpl3_wbinvd_gp" },
		{ user_inb, 0, GP_VECTOR, 0, "cpl3_in_iopl0_gp" },
		{ user_outb_com1, 0, GP_VECTOR, 0, "cpl3_out_com1_iopl0_gp" },
		{ user_cli, 0, GP_VECTOR, 0, "cpl3_cli_gp" },
		{ user_lgdt, 0, GP_VECTOR, 0, "cpl3_lgdt_gp" },
		{ user_int3, 0, GP_VECTOR, 3 * 8 + 2, "cpl3_int3_dpl0_gate_gp" },
		{ user_rdpmc, 0, GP_VECTOR, 0, "cpl3_rdpmc_pce0_gp" },
		{ user_cpuid, 0, EXC_NONE, 0, "cpl3_cpuid_works" },
	};
	struct exc_info e;
	bool osxsave;
	long ret;

	osxsave = cpu_has_xsave() &&
		  write_cr_safe(4, read_cr4() | X86_CR4_OSXSAVE) == EXC_NONE;
	user_setup();

	ret = user_hc(APERTURE_HC_VERSION, 0, 0);
	report(ret == -APERTURE_EPERM, "cpl3_vmcall_version_eperm (%ld)", ret);
	ret = user_hc(APERTURE_HC_EXIT, 0, 0);
	report(ret == -APERTURE_EPERM, "cpl3_vmcall_exit_eperm_guest_lives (%ld)",
	       ret);
	ret = user_hc(APERTURE_HC_CONSOLE_WRITE, gpa_of(msg), 8);
	report(ret == -APERTURE_EPERM, "cpl3_vmcall_console_eperm (%ld)", ret);
	ret = user_hc(0xdead, 0, 0);
	report(ret == -APERTURE_EPERM || ret == ENOSYS,
	       "cpl3_vmcall_unknown_refused (%ld)", ret);

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		int vec;

		int want = cases[i].vec;

		if (cases[i].stub == user_xsetbv && !osxsave)
			want = UD_VECTOR;
		e.error_code = 0;
		vec = user_try(cases[i].stub, cases[i].ecx, &e);
		if (vec == EXC_NONE)
			e.error_code = 0;
		expect_vec_err(vec, e.error_code, want, cases[i].err,
			       cases[i].name);
	}
}

/* --- Buffers ------------------------------------------------------------ */

static void test_console(void)
{
	long ret;

	ret = hc2(APERTURE_HC_CONSOLE_WRITE, HOLE, 16);
	report(ret == -APERTURE_EFAULT, "console_hole_efault (%ld)", ret);
	ret = hc2(APERTURE_HC_CONSOLE_WRITE, gpa_of(msg), 4097);
	report(ret == -APERTURE_E2BIG, "console_len_4097_e2big (%ld)", ret);
	ret = hc2(APERTURE_HC_CONSOLE_WRITE, gpa_of(msg), 0xffffffffu);
	report(ret == -APERTURE_E2BIG, "console_len_max_e2big (%ld)", ret);
	ret = hc2(APERTURE_HC_CONSOLE_WRITE, HOLE - 8, 16);
	report(ret == -APERTURE_EFAULT, "console_span_ram_into_hole_efault (%ld)",
	       ret);
	ret = hc2(APERTURE_HC_CONSOLE_WRITE, RAM_END - 8, 16);
	report(ret == -APERTURE_EFAULT, "console_span_end_of_ram_efault (%ld)",
	       ret);
	ret = hc2(APERTURE_HC_CONSOLE_WRITE, 0xfffffff8u, 16);
	report(ret == -APERTURE_EFAULT, "console_span_4g_efault (%ld)", ret);
	ret = hc2(APERTURE_HC_CONSOLE_WRITE, HOLE, 0);
	report(ret == 0, "console_len0_in_hole_ok (%ld)", ret);
	ret = hc2(APERTURE_HC_CONSOLE_WRITE, ROM, 1);
	report(ret == 1, "console_reads_ro_slot (%ld)", ret);
}

static void test_stats_memslots(void)
{
	static struct aperture_memslot slots[4];
	long ret;

	ret = hc1(APERTURE_HC_GET_STATS, HOLE);
	report(ret == -APERTURE_EFAULT, "stats_hole_efault (%ld)", ret);
	ret = hc1(APERTURE_HC_GET_STATS, HOLE - 16);
	report(ret == -APERTURE_EFAULT, "stats_span_ram_into_hole_efault (%ld)",
	       ret);
	ret = hc1(APERTURE_HC_GET_STATS, RAM_END - 16);
	report(ret == -APERTURE_EFAULT, "stats_span_end_of_ram_efault (%ld)",
	       ret);
	ret = hc1(APERTURE_HC_GET_STATS, ROM);
	report(ret == -APERTURE_EFAULT, "stats_into_ro_efault (%ld)", ret);
	ret = hc1(APERTURE_HC_GET_STATS, 0xfffffff0u);
	report(ret == -APERTURE_EFAULT, "stats_span_4g_efault (%ld)", ret);

	ret = hc2(APERTURE_HC_GET_MEMSLOTS, HOLE, 0xffffffffu);
	report(ret == -APERTURE_EFAULT, "memslots_hole_huge_capacity_efault (%ld)",
	       ret);
	/* Room for one entry before the hole; there are at least five. */
	ret = hc2(APERTURE_HC_GET_MEMSLOTS, HOLE - sizeof(slots[0]), 16);
	report(ret == -APERTURE_EFAULT, "memslots_span_into_hole_efault (%ld)",
	       ret);
	memset(slots, 0x5a, sizeof(slots));
	ret = hc2(APERTURE_HC_GET_MEMSLOTS, gpa_of(slots), 0);
	report(ret >= 5 && slots[0].id == 0x5a5a5a5au,
	       "memslots_capacity0_counts_writes_nothing (%ld)", ret);
	ret = hc2(APERTURE_HC_GET_MEMSLOTS, gpa_of(slots), 4);
	report(ret >= 5, "memslots_short_buffer_truncates (%ld)", ret);
}

static void test_dirty_log(void)
{
	static u64 bitmap[2];
	int log = memslot_id(LOG), plain = memslot_id(PLAIN);
	long ret;

	ret = hc2(APERTURE_HC_GET_DIRTY_LOG, 0xffffffffu, gpa_of(bitmap));
	report(ret == -APERTURE_EINVAL, "dirty_bad_slot_einval (%ld)", ret);
	ret = hc2(APERTURE_HC_GET_DIRTY_LOG, 509, gpa_of(bitmap));
	report(ret == -APERTURE_EINVAL, "dirty_slot_509_einval (%ld)", ret);
	ret = hc2(APERTURE_HC_GET_DIRTY_LOG, plain, gpa_of(bitmap));
	report(ret == -APERTURE_ENOENT, "dirty_not_logging_enoent (%d, %ld)",
	       plain, ret);
	ret = hc2(APERTURE_HC_GET_DIRTY_LOG, log, HOLE);
	report(ret == -APERTURE_EFAULT, "dirty_bitmap_hole_efault (%ld)", ret);
	ret = hc2(APERTURE_HC_GET_DIRTY_LOG, log, ROM);
	report(ret == -APERTURE_EFAULT, "dirty_bitmap_ro_efault (%ld)", ret);
	ret = hc2(APERTURE_HC_GET_DIRTY_LOG, log, RAM_END - 4);
	report(ret == -APERTURE_EFAULT, "dirty_bitmap_span_end_efault (%ld)",
	       ret);
	/* The bitmap inside the slot it logs: legal, and it is logged. */
	phys_write32(LOG, 1);
	ret = hc2(APERTURE_HC_GET_DIRTY_LOG, log, LOG + 0x1000);
	report(ret == 0 && (phys_read32(LOG + 0x1000) & 1),
	       "dirty_bitmap_inside_logged_slot (%ld, %#x)", ret,
	       phys_read32(LOG + 0x1000));
}

static void test_alias_struct(void)
{
	long ret;

	ret = hc1(APERTURE_HC_SET_MEMORY_ALIAS, HOLE);
	report(ret == -APERTURE_EFAULT, "set_alias_struct_in_hole_efault (%ld)",
	       ret);
	ret = hc1(APERTURE_HC_SET_MEMORY_ALIAS, HOLE - 8);
	report(ret == -APERTURE_EFAULT, "set_alias_struct_span_hole_efault (%ld)",
	       ret);
	ret = hc1(APERTURE_HC_GET_MEMORY_ALIAS, ROM);
	report(ret == -APERTURE_EFAULT, "get_alias_into_ro_efault (%ld)", ret);
}

static void test_unknown(void)
{
	static const u32 nrs[] = { 0, 11, 0x7fffffffu, 0x80000001u, 0xffffffffu };

	for (size_t i = 0; i < ARRAY_SIZE(nrs); i++) {
		long ret = hc4(nrs[i], HOLE, 0xffffffffu, 0xffffffffu, 0);

		report(ret == ENOSYS, "unknown_nr_%#x_enosys (%ld)", nrs[i], ret);
	}
}

int main(void)
{
	test_init("hostile_hcall");
	test_console();
	test_stats_memslots();
	test_dirty_log();
	test_alias_struct();
	test_unknown();
	test_cpl3();
	test_exit();
}
