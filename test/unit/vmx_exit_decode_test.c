// SPDX-License-Identifier: MIT
/*
 * Host tests for hv/vmx/exit_decode.c: each exit is given as the values of
 * its exit-information fields, the way a processor would leave them, and
 * the decoded struct vmx_exit is checked.  Qualifications and interruption
 * information are spelled as raw numbers from SDM 3C 24.9 and 27.2.1, so a
 * wrong layout macro in vmcs_defs.h fails here too.
 */
#define UNIT_SUITE "vmx_exit_decode"
#include "unit.h"

#include <string.h>

#include <hv/vmx/internal.h>
#include <hv/vmx/vmcs_defs.h>
#include <lib/x86.h>

/* A fake VMCS: the fields a test sets; every other field reads as 0. */
static struct {
	u32 field;
	u64 value;
} fields[16];
static unsigned int nr_fields;
static struct vmx_vcpu vcpu;
static struct vmx_exit ex;

static void reset(void)
{
	memset(fields, 0, sizeof(fields));
	nr_fields = 0;
	memset(&vcpu, 0, sizeof(vcpu));
	memset(&ex, 0, sizeof(ex));
}

static void set_field(u32 field, u64 value)
{
	fields[nr_fields].field = field;
	fields[nr_fields].value = value;
	nr_fields++;
}

static u64 fake_read(u32 field)
{
	for (unsigned int i = 0; i < nr_fields; i++)
		if (fields[i].field == field)
			return fields[i].value;
	return 0;
}

/* Decodes an exit with basic @reason and @qual, after the fields set so far. */
static void decode(u32 reason, u64 qual)
{
	set_field(VMCS_RO_EXIT_REASON, reason);
	set_field(VMCS_RO_EXIT_QUALIFICATION, qual);
	vmx_decode_exit(fake_read, &vcpu, &ex);
}

static void test_common_fields(void)
{
	reset();
	set_field(VMCS_RO_EXIT_INSTR_LEN, 2);
	decode(10, 0x1234);
	CHECK_EQ(ex.kind, VMX_EXIT_CPUID);
	CHECK_EQ(ex.reason, 10);
	CHECK_EQ(ex.qual, 0x1234);
	CHECK_EQ(ex.instr_len, 2);
	CHECK(!ex.delivery.valid);
}

static void test_simple_reasons(void)
{
	static const struct {
		u32 reason;
		enum vmx_exit_kind kind;
	} cases[] = {
		{ 1, VMX_EXIT_EXTINT }, { 2, VMX_EXIT_TRIPLE_FAULT },
		{ 12, VMX_EXIT_HLT }, { 13, VMX_EXIT_INVD },
		{ 18, VMX_EXIT_VMCALL }, { 31, VMX_EXIT_MSR_READ },
		{ 32, VMX_EXIT_MSR_WRITE }, { 52, VMX_EXIT_TIMER },
		{ 54, VMX_EXIT_WBINVD }, { 55, VMX_EXIT_XSETBV },
		/* GETSEC and every VMX instruction: the guest has none. */
		{ 11, VMX_EXIT_UD }, { 19, VMX_EXIT_UD }, { 20, VMX_EXIT_UD },
		{ 21, VMX_EXIT_UD }, { 22, VMX_EXIT_UD }, { 23, VMX_EXIT_UD },
		{ 24, VMX_EXIT_UD }, { 25, VMX_EXIT_UD }, { 26, VMX_EXIT_UD },
		{ 27, VMX_EXIT_UD }, { 50, VMX_EXIT_UD }, { 53, VMX_EXIT_UD },
		/* Reasons the core has no handler for. */
		{ 40, VMX_EXIT_UNHANDLED }, { 51, VMX_EXIT_UNHANDLED },
		{ 0xffff, VMX_EXIT_UNHANDLED },
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
		reset();
		decode(cases[i].reason, 0);
		CHECK_EQ(ex.kind, cases[i].kind);
	}
}

static void test_invlpg(void)
{
	reset();
	decode(14, 0xc0001000);
	CHECK_EQ(ex.kind, VMX_EXIT_INVLPG);
	CHECK_EQ(ex.invlpg.gva, 0xc0001000);
}

/* Bit 31 of the exit reason: the entry failed, nothing else is valid. */
static void test_entry_failure(void)
{
	reset();
	set_field(VMCS_RO_IDT_VECTORING_INFO, 0x80000b0d);
	decode(0x80000000u | 33, 0);
	CHECK_EQ(ex.kind, VMX_EXIT_ENTRY_FAILED);
	CHECK_EQ(VMX_EXIT_REASON_BASIC(ex.reason), 33);
	CHECK(!ex.delivery.valid);
}

/* MOV to CR3 from RBX: CR 3, type 0, GPR 3 (Table 27-3). */
static void test_mov_to_cr(void)
{
	reset();
	vcpu.gpr[GPR_RBX] = 0x1234000;
	decode(28, 0x303);
	CHECK_EQ(ex.kind, VMX_EXIT_CR_WRITE);
	CHECK_EQ(ex.cr.cr, 3);
	CHECK_EQ(ex.cr.gpr, GPR_RBX);
	CHECK_EQ(ex.cr.value, 0x1234000);
	CHECK(!ex.cr.clts && !ex.cr.lmsw);
}

/* RSP lives in the VMCS, not in gpr[]. */
static void test_mov_to_cr_from_rsp(void)
{
	reset();
	vcpu.gpr[GPR_RSP] = 0xbad;
	set_field(VMCS_GUEST_RSP, 0x5550);
	decode(28, 0x404);
	CHECK_EQ(ex.kind, VMX_EXIT_CR_WRITE);
	CHECK_EQ(ex.cr.cr, 4);
	CHECK_EQ(ex.cr.value, 0x5550);
}

/* MOV from CR3 to R9: type 1, GPR 9. */
static void test_mov_from_cr(void)
{
	reset();
	decode(28, 0x913);
	CHECK_EQ(ex.kind, VMX_EXIT_CR_READ);
	CHECK_EQ(ex.cr.cr, 3);
	CHECK_EQ(ex.cr.gpr, GPR_R9);
}

/* CLTS (type 2) clears TS in the CR0 the guest sees. */
static void test_clts(void)
{
	reset();
	set_field(VMCS_CTRL_CR0_READ_SHADOW, 0x8000003b);
	decode(28, 0x20);
	CHECK_EQ(ex.kind, VMX_EXIT_CR_WRITE);
	CHECK(ex.cr.clts);
	CHECK_EQ(ex.cr.cr, 0);
	CHECK_EQ(ex.cr.value, 0x80000033);
}

/* LMSW (type 3), source data in bits 31:16: CR0[3:0] only, PE sticky. */
static void test_lmsw(void)
{
	reset();
	set_field(VMCS_CTRL_CR0_READ_SHADOW, 0x80000011);
	decode(28, 0x30 | (0xeull << 16));
	CHECK_EQ(ex.kind, VMX_EXIT_CR_WRITE);
	CHECK(ex.cr.lmsw);
	CHECK_EQ(ex.cr.cr, 0);
	CHECK_EQ(ex.cr.value, 0x8000001f);

	/* Bits above 3 of the operand are ignored; PE is not cleared. */
	reset();
	set_field(VMCS_CTRL_CR0_READ_SHADOW, 0x1f);
	decode(28, 0x30 | (0xfff0ull << 16));
	CHECK_EQ(ex.cr.value, 0x11);

	/* ...but it can be set. */
	reset();
	set_field(VMCS_CTRL_CR0_READ_SHADOW, 0x10);
	decode(28, 0x30 | (0x1ull << 16));
	CHECK_EQ(ex.cr.value, 0x11);
}

/* I/O qualification, Table 27-5. */
static void test_io(void)
{
	reset();
	decode(30, 0x3f80000);			/* OUT DX, AL to 0x3f8 */
	CHECK_EQ(ex.kind, VMX_EXIT_IO);
	CHECK_EQ(ex.io.port, 0x3f8);
	CHECK_EQ(ex.io.size, 1);
	CHECK(!ex.io.in && !ex.io.string && !ex.io.rep);

	reset();
	decode(30, 0xcfc0000 | 0x8 | 0x3);	/* IN EAX, DX from 0xcfc */
	CHECK_EQ(ex.io.port, 0xcfc);
	CHECK_EQ(ex.io.size, 4);
	CHECK(ex.io.in && !ex.io.string);

	reset();
	decode(30, 0x600000 | 0x38 | 0x1);	/* REP INSW from 0x60 */
	CHECK_EQ(ex.io.port, 0x60);
	CHECK_EQ(ex.io.size, 2);
	CHECK(ex.io.in && ex.io.string && ex.io.rep);
}

/* #PF: vector 14, type 3, error code valid, valid (Table 24-18). */
static void test_page_fault(void)
{
	reset();
	set_field(VMCS_RO_EXIT_INTR_INFO, 0x80000b0e);
	set_field(VMCS_RO_EXIT_INTR_ERRCODE, 0x6);
	decode(0, 0xdeadb000);
	CHECK_EQ(ex.kind, VMX_EXIT_PAGE_FAULT);
	CHECK_EQ(ex.exc.vector, 14);
	CHECK(ex.exc.has_errcode);
	CHECK_EQ(ex.exc.errcode, 0x6);
	CHECK_EQ(ex.exc.cr2, 0xdeadb000);
}

static void test_other_exception(void)
{
	reset();
	set_field(VMCS_RO_EXIT_INTR_INFO, 0x80000306);	/* #UD, no code */
	set_field(VMCS_RO_EXIT_INTR_ERRCODE, 0x55);
	decode(0, 0);
	CHECK_EQ(ex.kind, VMX_EXIT_EXCEPTION);
	CHECK_EQ(ex.exc.vector, X86_VEC_UD);
	CHECK(!ex.exc.has_errcode);
	CHECK_EQ(ex.exc.errcode, 0);
}

/* An NMI (valid, type 2, vector 2) is the host's: its own kind. */
static void test_nmi(void)
{
	reset();
	set_field(VMCS_RO_EXIT_INTR_INFO, 0x80000202);
	decode(0, 0);
	CHECK_EQ(ex.kind, VMX_EXIT_NMI);
	CHECK_EQ(ex.exc.vector, 2);
	CHECK(!ex.exc.has_errcode);
}

/*
 * Vector 2 as a hardware exception (type 3) is no NMI: only the type
 * decides (Table 24-18); and an NMI that interrupted a delivery keeps the
 * IDT-vectoring information for the core to redeliver.
 */
static void test_nmi_not_exception(void)
{
	reset();
	set_field(VMCS_RO_EXIT_INTR_INFO, 0x80000302);
	decode(0, 0);
	CHECK_EQ(ex.kind, VMX_EXIT_EXCEPTION);
	CHECK_EQ(ex.exc.vector, 2);

	reset();
	set_field(VMCS_RO_EXIT_INTR_INFO, 0x80000202);
	set_field(VMCS_RO_IDT_VECTORING_INFO, 0x80000b0e);	/* #PF */
	decode(0, 0);
	CHECK_EQ(ex.kind, VMX_EXIT_NMI);
	CHECK(ex.delivery.valid);
	CHECK(ex.delivery.hw_exception);
	CHECK_EQ(ex.delivery.vector, 14);
}

/*
 * MOV DR (reason 29, Table 27-4): DR number in bits 2:0, direction in bit
 * 4 (1 = MOV from DR), the GPR in bits 11:8.
 */
static void test_mov_dr(void)
{
	reset();
	decode(29, 0x307);		/* MOV DR7, RBX */
	CHECK_EQ(ex.kind, VMX_EXIT_DR_ACCESS);
	CHECK_EQ(ex.dr.dr, 7);
	CHECK_EQ(ex.dr.gpr, GPR_RBX);
	CHECK(ex.dr.to_dr);

	reset();
	decode(29, 0xf10);		/* MOV R15, DR0 */
	CHECK_EQ(ex.kind, VMX_EXIT_DR_ACCESS);
	CHECK_EQ(ex.dr.dr, 0);
	CHECK_EQ(ex.dr.gpr, GPR_R15);
	CHECK(!ex.dr.to_dr);

	reset();
	decode(29, 0x416);		/* MOV RSP, DR6 */
	CHECK_EQ(ex.dr.dr, 6);
	CHECK_EQ(ex.dr.gpr, GPR_RSP);
	CHECK(!ex.dr.to_dr);
}

/*
 * CR8 (Table 27-3, CR number 8): MOV to CR8 from RAX hands over the whole
 * register, reserved bits included, for the core to check.
 */
static void test_cr8(void)
{
	reset();
	vcpu.gpr[GPR_RAX] = 0xf0000000000000f1ull;
	decode(28, 0x008);
	CHECK_EQ(ex.kind, VMX_EXIT_CR_WRITE);
	CHECK_EQ(ex.cr.cr, 8);
	CHECK_EQ(ex.cr.gpr, GPR_RAX);
	CHECK_EQ(ex.cr.value, 0xf0000000000000f1ull);
	CHECK(!ex.cr.clts && !ex.cr.lmsw);

	reset();
	decode(28, 0xc18);		/* MOV R12, CR8 */
	CHECK_EQ(ex.kind, VMX_EXIT_CR_READ);
	CHECK_EQ(ex.cr.cr, 8);
	CHECK_EQ(ex.cr.gpr, GPR_R12);
}

/* IDT-vectoring information (24.9.3): the exit interrupted a delivery. */
static void test_delivery(void)
{
	reset();
	set_field(VMCS_RO_IDT_VECTORING_INFO, 0x80000b0d);	/* #GP */
	set_field(VMCS_RO_EXIT_INTR_INFO, 0x80000b0e);
	decode(0, 0x1000);
	CHECK_EQ(ex.kind, VMX_EXIT_PAGE_FAULT);
	CHECK(ex.delivery.valid);
	CHECK(ex.delivery.hw_exception);
	CHECK_EQ(ex.delivery.vector, 13);

	reset();
	set_field(VMCS_RO_IDT_VECTORING_INFO, 0x80000480);	/* INT 0x80 */
	decode(48, 0);
	CHECK(ex.delivery.valid);
	CHECK(!ex.delivery.hw_exception);
	CHECK_EQ(ex.delivery.vector, 0x80);

	reset();
	set_field(VMCS_RO_IDT_VECTORING_INFO, 0x00000b0d);	/* not valid */
	decode(12, 0);
	CHECK(!ex.delivery.valid);
}

int main(void)
{
	RUN(test_common_fields);
	RUN(test_simple_reasons);
	RUN(test_invlpg);
	RUN(test_entry_failure);
	RUN(test_mov_to_cr);
	RUN(test_mov_to_cr_from_rsp);
	RUN(test_mov_from_cr);
	RUN(test_clts);
	RUN(test_lmsw);
	RUN(test_io);
	RUN(test_page_fault);
	RUN(test_other_exception);
	RUN(test_nmi);
	RUN(test_nmi_not_exception);
	RUN(test_mov_dr);
	RUN(test_cr8);
	RUN(test_delivery);
	return unit_done();
}
