// SPDX-License-Identifier: MIT
/*
 * Exceptions during event delivery, and traps over instructions the
 * hypervisor emulates or skips, 32-bit protected mode (SDM 3A 6.12-6.15).
 *
 *  - A not-present gate is #NP with the IDT error code (vector * 8 + 2,
 *    EXT = 1 for a hardware exception, 0 for INT3), or #DF(0) when the
 *    first exception was contributory (#DE); a gate whose selector
 *    is beyond the GDT limit is #GP(selector | EXT); a vector beyond the
 *    IDT limit is #GP(vector * 8 + 2 + EXT).  #UD is intercepted by the
 *    hypervisor and reinjected, so it must still be delivered this way.
 *  - A pending unmasked x87 exception is #MF at the next FWAIT (CR0.NE=1).
 *  - TF = 1 over an instruction the hypervisor completes for the guest
 *    (an MMIO load, VMCALL, CPUID, OUT) traps (#DB, DR6.BS) after it, as
 *    on hardware (the trap was once lost over an emulated load).
 *
 * Config (test/emu/hostile-suite.cfg): mem=16M
 */
#include "cpu.h"
#include "hostile.h"
#include "hypercall.h"
#include "test.h"

#define HOLE		0xa0000u

struct gate32 {
	u16 off_lo, sel;
	u8 zero, type_attr;
	u16 off_hi;
};

static struct gate32 *idt_gate(int vec)
{
	struct desc_ptr p;

	asm volatile("sidt %0" : "=m"(p));
	return (struct gate32 *)(p.base + vec * sizeof(struct gate32));
}

static void gate_case(int vec, u8 clear_attr, u16 sel, int want, u32 want_err,
		      const char *name)
{
	struct gate32 *g = idt_gate(vec), saved = *g;
	struct exc_info e = { 0 };
	int got;

	g->type_attr &= ~clear_attr;
	if (sel)
		g->sel = sel;
	exc_clear();
	switch (vec) {
	case UD_VECTOR:
		asm volatile(ASM_TRY_BEGIN "ud2" ASM_TRY_END ::: "memory");
		break;
	case BP_VECTOR:
		asm volatile(ASM_TRY_BEGIN "int3" ASM_TRY_END ::: "memory");
		break;
	case DE_VECTOR:
		asm volatile(ASM_TRY_BEGIN "divl %0" ASM_TRY_END
			     : : "r"(0), "a"(1), "d"(0) : "memory");
		break;
	}
	got = exc_caught(&e);
	*g = saved;
	expect_vec_err(got, e.error_code, want, want_err, name);
}

static void test_gates(void)
{
	struct desc_ptr p, small;
	struct exc_info e = { 0 };
	int vec;

	gate_case(UD_VECTOR, 0x80, 0, NP_VECTOR, UD_VECTOR * 8 + 3,
		  "ud_gate_not_present_np");
	gate_case(BP_VECTOR, 0x80, 0, NP_VECTOR, BP_VECTOR * 8 + 2,
		  "int3_gate_not_present_np_ext0");
	/* #DE and #NP are both contributory: #DF(0) (SDM 3A Table 6-5). */
	gate_case(DE_VECTOR, 0x80, 0, DF_VECTOR, 0,
		  "de_gate_not_present_df");
	gate_case(UD_VECTOR, 0, 0x1230, GP_VECTOR, 0x1231,
		  "ud_gate_selector_beyond_gdt_gp");

	/* INT 0x80 beyond the 32-entry IDT: #GP(0x80 * 8 + 2). */
	exc_clear();
	asm volatile(ASM_TRY_BEGIN "int $0x80" ASM_TRY_END ::: "memory");
	vec = exc_caught(&e);
	expect_vec_err(vec, e.error_code, GP_VECTOR, 0x80 * 8 + 2,
		       "int80_beyond_idt_limit_gp");

	/* #XM with the IDT cut below vector 19. */
	if (!(cpuid(1).edx & BIT(25))) {
		report_skip("xm_beyond_idt_limit: no SSE");
		return;
	}
	write_cr4(read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT);
	asm volatile("sidt %0" : "=m"(p));
	small = p;
	small.limit = XM_VECTOR * 8 - 1;
	u32 mxcsr = 0x1f80 & ~BIT(9);	/* unmask divide-by-zero */
	static const u32 one = 0x3f800000u, zero;
	asm volatile("ldmxcsr %0" : : "m"(mxcsr));
	lidt(&small);
	exc_clear();
	asm volatile(ASM_TRY_BEGIN "movss %0, %%xmm0\n\tdivss %1, %%xmm0"
		     ASM_TRY_END : : "m"(one), "m"(zero) : "memory");
	vec = exc_caught(&e);
	lidt(&p);
	mxcsr = 0x1f80;
	asm volatile("ldmxcsr %0" : : "m"(mxcsr));
	expect_vec_err(vec, e.error_code, GP_VECTOR, XM_VECTOR * 8 + 3,
		       "xm_beyond_idt_limit_gp");
}

static void test_mf(void)
{
	u16 cw = 0x037b;	/* ZE unmasked */
	u32 cr0 = read_cr0();
	int vec;

	write_cr0((cr0 | X86_CR0_NE | X86_CR0_MP) & ~(X86_CR0_EM | X86_CR0_TS));
	asm volatile("fninit\n\tfldcw %0\n\tfld1\n\tfldz\n\tfdivrp" : : "m"(cw));
	vec = fwait_safe();
	asm volatile("fnclex\n\tfninit");
	expect_vec(vec, MF_VECTOR, "x87_pending_zero_divide_mf_at_fwait");
	write_cr0(cr0);
}

/* A #DB handler of our own: records EIP and DR6 and clears TF. */
u32 db_eip, db_dr6, db_count;
void db_stub(void);
asm(".text\n.globl db_stub\ndb_stub:\n\t"
    "pushl %eax\n\t"
    "movl 4(%esp), %eax\n\tmovl %eax, db_eip\n\t"
    "movl %db6, %eax\n\tmovl %eax, db_dr6\n\t"
    "andl $~0x100, 12(%esp)\n\t"
    "incl db_count\n\t"
    "popl %eax\n\t"
    "iret\n");

/* Sets TF, runs insn (whose end is label 9), clears TF. */
#define STEP(insn, ...)							\
	asm volatile("pushfl\n\torl $0x100, (%%esp)\n\tpopfl\n\t"	\
		     insn "\n9:\n\tnop\n\t"				\
		     "pushfl\n\tandl $~0x100, (%%esp)\n\tpopfl\n\t"	\
		     "movl $9b, %0" __VA_ARGS__)

static void step_report(u32 end, u32 count, const char *name)
{
	report(db_count == count + 1 && db_eip == end && (db_dr6 & BIT(14)),
	       "%s (traps %u, eip %#x want %#x, dr6 %#x)", name,
	       db_count - count, db_eip, end, db_dr6);
}

static void test_single_step(void)
{
	struct gate32 *g = idt_gate(DB_VECTOR), saved = *g;
	u32 h = (u32)(uintptr_t)db_stub, end, count, v;
	long ret;

	g->off_lo = h & 0xffff;
	g->off_hi = h >> 16;

	count = db_count;
	v = 0;
	STEP("movl (%2), %1", : "=r"(end), "+a"(v) : "r"(HOLE) : "memory");
	step_report(end, count, "single_step_over_mmio_load");
	report(v == 0xffffffffu, "single_step_mmio_value (%#x)", v);

	count = db_count;
	STEP("vmcall", : "=r"(end), "=a"(ret) : "a"(APERTURE_HC_VERSION),
	     "b"(0), "c"(0), "d"(0), "S"(0) : "memory");
	step_report(end, count, "single_step_over_vmcall");
	report(ret == APERTURE_ABI_VERSION, "single_step_vmcall_result (%ld)", ret);

	count = db_count;
	v = 0;
	STEP("cpuid", : "=r"(end), "+a"(v) : : "ebx", "ecx", "edx", "memory");
	step_report(end, count, "single_step_over_cpuid");

	count = db_count;
	STEP("outb %%al, $0x80", : "=r"(end) : "a"(0) : "memory");
	step_report(end, count, "single_step_over_out");

	*g = saved;
}

int main(void)
{
	test_init("hostile_exc");
	test_gates();
	test_mf();
	test_single_step();
	test_exit();
}
