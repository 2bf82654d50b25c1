// SPDX-License-Identifier: MIT
/*
 * Host tests for hv/vmx/guest_check.c: two known-good guest states (32-bit
 * protected mode with PAE paging, and IA-32e 64-bit mode) pass, and each
 * single mutation that breaks one SDM 3C 26.3.1 rule fails naming the
 * field and section that rule belongs to.
 */
#define UNIT_SUITE "vmx_guest_check"
#include "unit.h"

#include <errno.h>
#include <string.h>

#include <hv/vmx/guest_check.h>
#include <hv/vmx/vmcs_defs.h>
#include <lib/x86.h>

/* Flat segments, in VMX access-rights format (24.4.1). */
#define AR_CODE32	0xc09bu	/* G, D/B, P, DPL0, S, type 11 */
#define AR_CODE64	0xa09bu	/* G, L, P, DPL0, S, type 11 */
#define AR_DATA		0xc093u	/* G, D/B, P, DPL0, S, type 3 */
#define AR_TSS32_BUSY	0x008bu	/* P, type 11 */
#define AR_UNUSABLE	VMX_AR_UNUSABLE

static struct vmx_check_caps caps;
static struct vmx_guest_state gs;
static struct vmx_check_failure fl;

/* Typical values from a Skylake-class part. */
static void init_caps(void)
{
	memset(&caps, 0, sizeof(caps));
	caps.cr0_fixed0 = X86_CR0_PE | X86_CR0_NE | X86_CR0_PG;
	caps.cr0_fixed1 = 0xffffffffull;
	caps.cr4_fixed0 = X86_CR4_VMXE;
	caps.cr4_fixed1 = 0x003767ffull;
	caps.vmx_misc = VMX_MISC_ACTIVITY_HLT | VMX_MISC_ACTIVITY_SHUTDOWN |
			VMX_MISC_ACTIVITY_WAIT_SIPI;
	caps.maxphyaddr = 39;
	caps.linear_addr_bits = 48;
}

static void set_seg(enum vmx_seg_reg r, u16 sel, u64 base, u32 limit, u32 ar)
{
	gs.seg[r].selector = sel;
	gs.seg[r].base = base;
	gs.seg[r].limit = limit;
	gs.seg[r].ar = ar;
}

/* 32-bit protected mode, PAE paging, flat segments, busy 32-bit TSS. */
static void init_pm32(void)
{
	int r;

	init_caps();
	memset(&gs, 0, sizeof(gs));
	memset(&fl, 0, sizeof(fl));
	gs.cr0 = X86_CR0_PE | X86_CR0_PG | X86_CR0_NE | X86_CR0_ET;
	gs.cr3 = 0x1000;
	gs.cr4 = X86_CR4_PAE | X86_CR4_VMXE;
	gs.dr7 = X86_DR7_RESET;
	gs.rip = 0x100000;
	gs.rsp = 0x8000;
	gs.rflags = X86_RFLAGS_FIXED;
	set_seg(VMX_SEG_CS, 0x08, 0, 0xffffffff, AR_CODE32);
	for (r = VMX_SEG_ES; r <= VMX_SEG_GS; r++)
		if (r != VMX_SEG_CS)
			set_seg(r, 0x10, 0, 0xffffffff, AR_DATA);
	set_seg(VMX_SEG_LDTR, 0, 0, 0, AR_UNUSABLE);
	set_seg(VMX_SEG_TR, 0x18, 0x5000, 0x67, AR_TSS32_BUSY);
	gs.gdtr_base = 0x2000;
	gs.gdtr_limit = 0x1f;
	gs.idtr_base = 0x3000;
	gs.idtr_limit = 0x7ff;
	gs.ia32_pat = PAT_RESET;
	gs.vmcs_link_ptr = ~0ull;
	gs.pdpte[0] = 0x4001;
	gs.pdpte[1] = 0x6001;
	gs.pdpte[2] = 0;
	gs.pdpte[3] = 0x7001;
	gs.pin_based = PIN_BASED_EXT_INTR_EXITING | PIN_BASED_NMI_EXITING;
	gs.proc_based = CPU_BASED_HLT_EXITING | CPU_BASED_USE_MSR_BITMAPS;
	gs.exit_ctls = VM_EXIT_HOST_ADDR_SPACE_SIZE | VM_EXIT_LOAD_IA32_EFER;
	gs.entry_ctls = VM_ENTRY_LOAD_DEBUG_CONTROLS | VM_ENTRY_LOAD_IA32_PAT |
			VM_ENTRY_LOAD_IA32_EFER;
}

/* IA-32e mode, 64-bit code segment, higher-half RIP. */
static void init_ia32e(void)
{
	init_pm32();
	gs.entry_ctls |= VM_ENTRY_IA32E_MODE;
	gs.ia32_efer = EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE;
	gs.seg[VMX_SEG_CS].ar = AR_CODE64;
	gs.rip = 0xffffffff80001000ull;
	gs.seg[VMX_SEG_FS].base = 0x00007fffdead0000ull;
	gs.seg[VMX_SEG_GS].base = 0xffff888000000000ull;
	gs.seg[VMX_SEG_TR].base = 0xffff888000005000ull;
	gs.gdtr_base = 0xffff888000002000ull;
	gs.idtr_base = 0xffff888000003000ull;
	gs.cr4 |= X86_CR4_PCIDE;
	/* PDPTEs are unused outside PAE paging: garbage must be ignored. */
	gs.pdpte[0] = ~0ull;
}

/* Unrestricted guest in real mode, as firmware leaves it at reset. */
static void init_real_unrestricted(void)
{
	int r;

	init_pm32();
	gs.proc_based |= CPU_BASED_ACTIVATE_SECONDARY;
	gs.proc_based2 = SECONDARY_ENABLE_EPT | SECONDARY_UNRESTRICTED_GUEST;
	gs.cr0 = X86_CR0_NE | X86_CR0_ET;
	gs.cr4 = X86_CR4_VMXE;
	gs.entry_ctls = VM_ENTRY_LOAD_IA32_EFER;
	for (r = VMX_SEG_ES; r <= VMX_SEG_GS; r++)
		set_seg(r, 0xf000, 0xf0000, 0xffff, 0x93);
	gs.seg[VMX_SEG_CS].ar = 0x9b;
	gs.seg[VMX_SEG_CS].selector = 0xf003;	/* RPL ignored here */
	gs.rip = 0xfff0;
}

/* Virtual-8086 task under a 32-bit protected-mode monitor. */
static void init_v86(void)
{
	int r;

	init_pm32();
	gs.rflags |= X86_RFLAGS_VM | X86_RFLAGS_IF;
	for (r = VMX_SEG_ES; r <= VMX_SEG_GS; r++)
		set_seg(r, 0x1234 + r, (u64)(0x1234 + r) << 4, 0xffff, 0xf3);
	gs.rip = 0x100;
}

static int check(void)
{
	return vmx_check_guest_state(&gs, &caps, &fl);
}

#define EXPECT_PASS()							\
	do {								\
		int _rc = check();					\
		CHECK_EQ(_rc, 0);					\
		if (_rc)						\
			fprintf(stderr, "  unexpected: %s: %s (0x%llx)\n", \
				fl.field, fl.rule,			\
				(unsigned long long)fl.value);		\
	} while (0)

#define EXPECT_FAIL(fld, section)					\
	do {								\
		CHECK_EQ(check(), -EINVAL);				\
		CHECK(fl.field && !strcmp(fl.field, fld));		\
		CHECK(fl.rule && !strncmp(fl.rule, section ":",		\
					  strlen(section) + 1));	\
		if (!fl.field || strcmp(fl.field, fld))			\
			fprintf(stderr, "  got %s: %s\n", fl.field,	\
				fl.rule);				\
	} while (0)

/* ---- known-good states ---- */

static void test_pm32_valid(void)
{
	init_pm32();
	EXPECT_PASS();
}

static void test_ia32e_valid(void)
{
	init_ia32e();
	EXPECT_PASS();
}

static void test_real_mode_unrestricted_valid(void)
{
	init_real_unrestricted();
	EXPECT_PASS();
}

static void test_v86_valid(void)
{
	init_v86();
	EXPECT_PASS();
}

static void test_null_failure_ptr(void)
{
	init_pm32();
	CHECK_EQ(vmx_check_guest_state(&gs, &caps, NULL), 0);
	gs.cr0 &= ~X86_CR0_NE;
	CHECK_EQ(vmx_check_guest_state(&gs, &caps, NULL), -EINVAL);
}

static void test_failure_reports_value(void)
{
	init_pm32();
	gs.cr3 = 1ull << 45;
	EXPECT_FAIL("GUEST_CR3", "26.3.1.1");
	CHECK_EQ(fl.value, 1ull << 45);
}

/* ---- 26.3.1.1 control registers, debug registers, MSRs ---- */

static void test_cr0_fixed0(void)
{
	init_pm32();
	gs.cr0 &= ~X86_CR0_NE;
	EXPECT_FAIL("GUEST_CR0", "26.3.1.1");
	CHECK_EQ(fl.value, gs.cr0);
}

static void test_cr0_fixed1(void)
{
	init_pm32();
	gs.cr0 |= BIT(32);
	EXPECT_FAIL("GUEST_CR0", "26.3.1.1");
}

static void test_cr0_cd_nw_not_checked(void)
{
	init_pm32();
	caps.cr0_fixed1 &= ~(X86_CR0_CD | X86_CR0_NW);
	gs.cr0 |= X86_CR0_CD | X86_CR0_NW;
	EXPECT_PASS();
}

static void test_cr0_pe_pg_exempt_unrestricted(void)
{
	init_real_unrestricted();
	CHECK(!(gs.cr0 & (X86_CR0_PE | X86_CR0_PG)));
	EXPECT_PASS();
	gs.proc_based &= ~CPU_BASED_ACTIVATE_SECONDARY;
	EXPECT_FAIL("GUEST_CR0", "26.3.1.1");
}

static void test_cr0_pg_without_pe(void)
{
	init_real_unrestricted();
	gs.cr0 |= X86_CR0_PG;
	EXPECT_FAIL("GUEST_CR0", "26.3.1.1");
	CHECK(strstr(fl.rule, "PE") != NULL);
}

static void test_cr4_fixed(void)
{
	init_pm32();
	gs.cr4 &= ~X86_CR4_VMXE;
	EXPECT_FAIL("GUEST_CR4", "26.3.1.1");
	init_pm32();
	gs.cr4 |= BIT(24);
	EXPECT_FAIL("GUEST_CR4", "26.3.1.1");
}

static void test_ia32e_needs_pae(void)
{
	init_ia32e();
	gs.cr4 &= ~X86_CR4_PAE;
	EXPECT_FAIL("GUEST_CR4", "26.3.1.1");
}

static void test_ia32e_needs_pg(void)
{
	init_ia32e();
	gs.proc_based |= CPU_BASED_ACTIVATE_SECONDARY;
	gs.proc_based2 = SECONDARY_UNRESTRICTED_GUEST;
	gs.cr0 &= ~X86_CR0_PG;
	EXPECT_FAIL("GUEST_CR0", "26.3.1.1");
	CHECK(strstr(fl.rule, "IA-32e") != NULL);
}

static void test_pcide_outside_ia32e(void)
{
	init_pm32();
	gs.cr4 |= X86_CR4_PCIDE;
	EXPECT_FAIL("GUEST_CR4", "26.3.1.1");
}

static void test_cr3_maxphyaddr(void)
{
	init_pm32();
	gs.cr3 = 1ull << 39;
	EXPECT_FAIL("GUEST_CR3", "26.3.1.1");
	caps.maxphyaddr = 46;
	EXPECT_PASS();
}

static void test_debugctl_reserved(void)
{
	init_pm32();
	gs.ia32_debugctl = BIT(3);
	EXPECT_FAIL("GUEST_IA32_DEBUGCTL", "26.3.1.1");
	gs.entry_ctls &= ~VM_ENTRY_LOAD_DEBUG_CONTROLS;
	EXPECT_PASS();
	gs.entry_ctls |= VM_ENTRY_LOAD_DEBUG_CONTROLS;
	gs.ia32_debugctl = BIT(0) | BIT(1);	/* LBR, BTF */
	EXPECT_PASS();
}

static void test_dr7_high(void)
{
	init_pm32();
	gs.dr7 |= BIT(32);
	EXPECT_FAIL("GUEST_DR7", "26.3.1.1");
}

static void test_sysenter_canonical(void)
{
	init_pm32();
	gs.sysenter_esp = 0x0000800000000000ull;
	EXPECT_FAIL("GUEST_SYSENTER_ESP", "26.3.1.1");
	init_pm32();
	gs.sysenter_eip = 0xfff0000000000000ull;
	EXPECT_FAIL("GUEST_SYSENTER_EIP", "26.3.1.1");
	/* Canonical for 57-bit linear addresses (LA57). */
	caps.linear_addr_bits = 57;
	gs.sysenter_eip = 0xff00000000000000ull;
	EXPECT_PASS();
}

static void test_pat_entries(void)
{
	init_pm32();
	gs.ia32_pat = 0x0007040600070206ull;	/* entry 1 = 2 */
	EXPECT_FAIL("GUEST_IA32_PAT", "26.3.1.1");
	gs.ia32_pat = 0x0807040600070406ull;	/* entry 7 = 8 */
	EXPECT_FAIL("GUEST_IA32_PAT", "26.3.1.1");
	gs.ia32_pat = 0x0007040603070406ull;	/* entry 3 = 3 */
	EXPECT_FAIL("GUEST_IA32_PAT", "26.3.1.1");
	gs.ia32_pat = 0x0706050407060504ull;	/* 4..7 all valid */
	EXPECT_PASS();
	gs.entry_ctls &= ~VM_ENTRY_LOAD_IA32_PAT;
	EXPECT_PASS();
}

static void test_efer_reserved(void)
{
	init_pm32();
	gs.ia32_efer = BIT(1);
	EXPECT_FAIL("GUEST_IA32_EFER", "26.3.1.1");
}

static void test_efer_lma_matches_ia32e(void)
{
	init_pm32();
	gs.ia32_efer = EFER_LMA | EFER_LME;
	EXPECT_FAIL("GUEST_IA32_EFER", "26.3.1.1");
	init_ia32e();
	gs.ia32_efer &= ~EFER_LMA;
	EXPECT_FAIL("GUEST_IA32_EFER", "26.3.1.1");
	/* Without "load IA32_EFER" the field is not consulted. */
	gs.entry_ctls &= ~VM_ENTRY_LOAD_IA32_EFER;
	EXPECT_PASS();
}

static void test_efer_lme_matches_lma(void)
{
	init_ia32e();
	gs.ia32_efer &= ~EFER_LME;
	EXPECT_FAIL("GUEST_IA32_EFER", "26.3.1.1");
	CHECK(strstr(fl.rule, "LME") != NULL);
}

/* ---- 26.3.1.2 segment registers ---- */

static void test_tr_selector_ti(void)
{
	init_pm32();
	gs.seg[VMX_SEG_TR].selector |= SEL_TI;
	EXPECT_FAIL("GUEST_TR_SELECTOR", "26.3.1.2");
}

static void test_ldtr_selector_ti(void)
{
	init_pm32();
	set_seg(VMX_SEG_LDTR, 0x20, 0x9000, 0xff, 0x82);
	EXPECT_PASS();
	gs.seg[VMX_SEG_LDTR].selector |= SEL_TI;
	EXPECT_FAIL("GUEST_LDTR_SELECTOR", "26.3.1.2");
	/* An unusable LDTR's selector is not checked. */
	gs.seg[VMX_SEG_LDTR].ar = AR_UNUSABLE;
	EXPECT_PASS();
}

static void test_ss_rpl_matches_cs(void)
{
	init_pm32();
	gs.seg[VMX_SEG_SS].selector = 0x13;
	EXPECT_FAIL("GUEST_SS_SELECTOR", "26.3.1.2");
}

static void test_v86_base(void)
{
	init_v86();
	gs.seg[VMX_SEG_DS].base += 1;
	EXPECT_FAIL("GUEST_DS_BASE", "26.3.1.2");
}

static void test_v86_limit(void)
{
	init_v86();
	gs.seg[VMX_SEG_ES].limit = 0xfffff;
	EXPECT_FAIL("GUEST_ES_LIMIT", "26.3.1.2");
}

static void test_v86_ar(void)
{
	init_v86();
	gs.seg[VMX_SEG_FS].ar = 0x93;
	EXPECT_FAIL("GUEST_FS_AR", "26.3.1.2");
}

static void test_base_canonical(void)
{
	init_ia32e();
	gs.seg[VMX_SEG_FS].base = 0x0000800000000000ull;
	EXPECT_FAIL("GUEST_FS_BASE", "26.3.1.2");
	init_ia32e();
	gs.seg[VMX_SEG_TR].base = 0x8000000000000000ull;
	EXPECT_FAIL("GUEST_TR_BASE", "26.3.1.2");
}

static void test_base_high_bits(void)
{
	init_pm32();
	gs.seg[VMX_SEG_CS].base = BIT(32);
	EXPECT_FAIL("GUEST_CS_BASE", "26.3.1.2");
	init_pm32();
	gs.seg[VMX_SEG_DS].base = BIT(40);
	EXPECT_FAIL("GUEST_DS_BASE", "26.3.1.2");
	/* An unusable DS's base is not checked. */
	gs.seg[VMX_SEG_DS].ar = AR_UNUSABLE;
	EXPECT_PASS();
}

static void test_cs_type(void)
{
	init_pm32();
	gs.seg[VMX_SEG_CS].ar = (AR_CODE32 & ~VMX_AR_TYPE_MASK) | 3;
	EXPECT_FAIL("GUEST_CS_AR", "26.3.1.2");
	init_pm32();
	gs.seg[VMX_SEG_CS].ar &= ~VMX_AR_TYPE_ACCESSED;	/* type 10 */
	EXPECT_FAIL("GUEST_CS_AR", "26.3.1.2");
}

static void test_cs_type3_unrestricted(void)
{
	init_real_unrestricted();
	gs.seg[VMX_SEG_CS].ar = 0x93;
	EXPECT_PASS();
	gs.seg[VMX_SEG_CS].ar = 0x93 | (3u << VMX_AR_DPL_SHIFT);
	EXPECT_FAIL("GUEST_CS_AR", "26.3.1.2");
}

static void test_cs_s_bit(void)
{
	init_pm32();
	gs.seg[VMX_SEG_CS].ar &= ~VMX_AR_S;
	EXPECT_FAIL("GUEST_CS_AR", "26.3.1.2");
}

static void test_cs_dpl_nonconforming(void)
{
	init_pm32();
	gs.seg[VMX_SEG_CS].ar |= 3u << VMX_AR_DPL_SHIFT;
	gs.seg[VMX_SEG_CS].selector |= 3;
	gs.seg[VMX_SEG_SS].selector |= 3;
	EXPECT_FAIL("GUEST_CS_AR", "26.3.1.2");
	/* With SS at DPL 3 too it is a valid ring-3 state. */
	gs.seg[VMX_SEG_SS].ar |= 3u << VMX_AR_DPL_SHIFT;
	EXPECT_PASS();
}

static void test_cs_dpl_conforming(void)
{
	init_pm32();
	gs.seg[VMX_SEG_CS].ar = (AR_CODE32 & ~VMX_AR_TYPE_MASK) | 15 |
				(3u << VMX_AR_DPL_SHIFT);
	EXPECT_FAIL("GUEST_CS_AR", "26.3.1.2");
	gs.seg[VMX_SEG_CS].ar &= ~VMX_AR_DPL_MASK;
	EXPECT_PASS();
}

static void test_cs_present(void)
{
	init_pm32();
	gs.seg[VMX_SEG_CS].ar &= ~VMX_AR_P;
	EXPECT_FAIL("GUEST_CS_AR", "26.3.1.2");
}

static void test_cs_reserved(void)
{
	init_pm32();
	gs.seg[VMX_SEG_CS].ar |= BIT(8);
	EXPECT_FAIL("GUEST_CS_AR", "26.3.1.2");
	init_pm32();
	gs.seg[VMX_SEG_CS].ar |= BIT(17);
	EXPECT_FAIL("GUEST_CS_AR", "26.3.1.2");
}

static void test_cs_long_and_db(void)
{
	init_ia32e();
	gs.seg[VMX_SEG_CS].ar |= VMX_AR_DB;
	EXPECT_FAIL("GUEST_CS_AR", "26.3.1.2");
	/* Compatibility mode: 32-bit CS in an IA-32e guest is fine. */
	gs.seg[VMX_SEG_CS].ar = AR_CODE32;
	gs.rip = 0x1000;
	EXPECT_PASS();
}

static void test_ss_type(void)
{
	init_pm32();
	gs.seg[VMX_SEG_SS].ar = (AR_DATA & ~VMX_AR_TYPE_MASK) | 1;	/* RO */
	EXPECT_FAIL("GUEST_SS_AR", "26.3.1.2");
	gs.seg[VMX_SEG_SS].ar = (AR_DATA & ~VMX_AR_TYPE_MASK) | 7;
	EXPECT_PASS();
}

static void test_ss_dpl_rpl(void)
{
	init_pm32();
	/* Conforming CS, so that CS.DPL 0 <= SS.DPL 3 holds. */
	gs.seg[VMX_SEG_CS].ar |= VMX_AR_TYPE_CONFORMING;
	gs.seg[VMX_SEG_SS].ar |= 3u << VMX_AR_DPL_SHIFT;
	EXPECT_FAIL("GUEST_SS_AR", "26.3.1.2");
}

static void test_ss_dpl_real_mode(void)
{
	init_real_unrestricted();
	gs.seg[VMX_SEG_CS].ar |= VMX_AR_TYPE_CONFORMING;
	gs.seg[VMX_SEG_SS].ar |= 3u << VMX_AR_DPL_SHIFT;
	EXPECT_FAIL("GUEST_SS_AR", "26.3.1.2");
	CHECK(strstr(fl.rule, "CR0.PE") != NULL);
}

static void test_ss_unusable_ok(void)
{
	init_ia32e();
	gs.seg[VMX_SEG_SS] = (struct vmx_segment){ .ar = AR_UNUSABLE };
	EXPECT_PASS();
}

static void test_data_accessed(void)
{
	init_pm32();
	gs.seg[VMX_SEG_DS].ar &= ~VMX_AR_TYPE_ACCESSED;
	EXPECT_FAIL("GUEST_DS_AR", "26.3.1.2");
}

static void test_data_code_readable(void)
{
	init_pm32();
	gs.seg[VMX_SEG_ES].ar = (AR_DATA & ~VMX_AR_TYPE_MASK) | 9;
	EXPECT_FAIL("GUEST_ES_AR", "26.3.1.2");
	gs.seg[VMX_SEG_ES].ar = (AR_DATA & ~VMX_AR_TYPE_MASK) | 11;
	EXPECT_PASS();
}

static void test_data_s_bit(void)
{
	init_pm32();
	gs.seg[VMX_SEG_GS].ar &= ~VMX_AR_S;
	EXPECT_FAIL("GUEST_GS_AR", "26.3.1.2");
}

static void test_data_dpl_below_rpl(void)
{
	init_pm32();
	gs.seg[VMX_SEG_FS].selector = 0x13;
	EXPECT_FAIL("GUEST_FS_AR", "26.3.1.2");
	gs.seg[VMX_SEG_FS].ar |= 3u << VMX_AR_DPL_SHIFT;
	EXPECT_PASS();
}

static void test_data_present(void)
{
	init_pm32();
	gs.seg[VMX_SEG_ES].ar &= ~VMX_AR_P;
	EXPECT_FAIL("GUEST_ES_AR", "26.3.1.2");
	/* Unusable: nothing else about the segment is checked. */
	gs.seg[VMX_SEG_ES].ar |= AR_UNUSABLE;
	EXPECT_PASS();
}

static void test_granularity(void)
{
	init_pm32();
	gs.seg[VMX_SEG_SS].ar &= ~VMX_AR_G;	/* limit 4 GiB, byte gran. */
	EXPECT_FAIL("GUEST_SS_AR", "26.3.1.2");
	init_pm32();
	gs.seg[VMX_SEG_DS].limit = 0xffff0;	/* low 12 bits not all 1 */
	EXPECT_FAIL("GUEST_DS_AR", "26.3.1.2");
	gs.seg[VMX_SEG_DS].ar &= ~VMX_AR_G;
	EXPECT_PASS();
}

static void test_tr_type(void)
{
	init_pm32();
	gs.seg[VMX_SEG_TR].ar = (AR_TSS32_BUSY & ~VMX_AR_TYPE_MASK) | 9;
	EXPECT_FAIL("GUEST_TR_AR", "26.3.1.2");
	gs.seg[VMX_SEG_TR].ar = (AR_TSS32_BUSY & ~VMX_AR_TYPE_MASK) | 3;
	EXPECT_PASS();
	init_ia32e();
	gs.seg[VMX_SEG_TR].ar = (AR_TSS32_BUSY & ~VMX_AR_TYPE_MASK) | 3;
	EXPECT_FAIL("GUEST_TR_AR", "26.3.1.2");
}

static void test_tr_s_and_unusable(void)
{
	init_pm32();
	gs.seg[VMX_SEG_TR].ar |= VMX_AR_S;
	EXPECT_FAIL("GUEST_TR_AR", "26.3.1.2");
	init_pm32();
	gs.seg[VMX_SEG_TR].ar |= AR_UNUSABLE;
	EXPECT_FAIL("GUEST_TR_AR", "26.3.1.2");
	init_pm32();
	gs.seg[VMX_SEG_TR].ar &= ~VMX_AR_P;
	EXPECT_FAIL("GUEST_TR_AR", "26.3.1.2");
}

static void test_ldtr_ar(void)
{
	init_pm32();
	set_seg(VMX_SEG_LDTR, 0x20, 0x9000, 0xff, 0x83);	/* type 3 */
	EXPECT_FAIL("GUEST_LDTR_AR", "26.3.1.2");
	gs.seg[VMX_SEG_LDTR].ar = 0x92;			/* S = 1 */
	EXPECT_FAIL("GUEST_LDTR_AR", "26.3.1.2");
	gs.seg[VMX_SEG_LDTR].ar = 0x82;
	EXPECT_PASS();
}

/* ---- 26.3.1.3 descriptor-table registers ---- */

static void test_dtable_base(void)
{
	init_ia32e();
	gs.gdtr_base = 0x0000900000000000ull;
	EXPECT_FAIL("GUEST_GDTR_BASE", "26.3.1.3");
	init_ia32e();
	gs.idtr_base = 0x8000000000000000ull;
	EXPECT_FAIL("GUEST_IDTR_BASE", "26.3.1.3");
}

static void test_dtable_limit(void)
{
	init_pm32();
	gs.gdtr_limit = 0x10000;
	EXPECT_FAIL("GUEST_GDTR_LIMIT", "26.3.1.3");
	init_pm32();
	gs.idtr_limit = 0xffffffff;
	EXPECT_FAIL("GUEST_IDTR_LIMIT", "26.3.1.3");
}

/* ---- 26.3.1.4 RIP and RFLAGS ---- */

static void test_rip_high_bits(void)
{
	init_pm32();
	gs.rip = BIT(32) | 0x1000;
	EXPECT_FAIL("GUEST_RIP", "26.3.1.4");
	/* Compatibility mode is not 64-bit mode either. */
	init_ia32e();
	gs.seg[VMX_SEG_CS].ar = AR_CODE32;
	EXPECT_FAIL("GUEST_RIP", "26.3.1.4");
}

static void test_rip_canonical(void)
{
	init_ia32e();
	gs.rip = 0x0000800000000000ull;
	EXPECT_FAIL("GUEST_RIP", "26.3.1.4");
	caps.linear_addr_bits = 57;
	EXPECT_PASS();
}

static void test_rflags_fixed_and_reserved(void)
{
	init_pm32();
	gs.rflags = 0;
	EXPECT_FAIL("GUEST_RFLAGS", "26.3.1.4");
	init_pm32();
	gs.rflags |= BIT(3);
	EXPECT_FAIL("GUEST_RFLAGS", "26.3.1.4");
	init_pm32();
	gs.rflags |= BIT(22);
	EXPECT_FAIL("GUEST_RFLAGS", "26.3.1.4");
	init_pm32();
	gs.rflags |= BIT(15);
	EXPECT_FAIL("GUEST_RFLAGS", "26.3.1.4");
}

static void test_rflags_vm(void)
{
	init_ia32e();
	gs.rflags |= X86_RFLAGS_VM;
	for (int r = VMX_SEG_ES; r <= VMX_SEG_GS; r++)
		set_seg(r, 0x100, 0x1000, 0xffff, 0xf3);
	gs.rip = 0;
	EXPECT_FAIL("GUEST_RFLAGS", "26.3.1.4");
}

static void test_rflags_if_for_ext_intr(void)
{
	init_pm32();
	gs.entry_intr_info = INTR_INFO_VALID |
			     (INTR_TYPE_EXT_INTR << INTR_INFO_TYPE_SHIFT) | 0x20;
	EXPECT_FAIL("GUEST_RFLAGS", "26.3.1.4");
	gs.rflags |= X86_RFLAGS_IF;
	EXPECT_PASS();
}

/* ---- 26.3.1.5 non-register state ---- */

static void test_activity_invalid(void)
{
	init_pm32();
	gs.activity_state = 4;
	EXPECT_FAIL("GUEST_ACTIVITY_STATE", "26.3.1.5");
}

static void test_activity_unsupported(void)
{
	init_pm32();
	gs.activity_state = GUEST_ACTIVITY_HLT;
	EXPECT_PASS();
	caps.vmx_misc &= ~VMX_MISC_ACTIVITY_HLT;
	EXPECT_FAIL("GUEST_ACTIVITY_STATE", "26.3.1.5");
}

static void test_activity_hlt_needs_cpl0(void)
{
	init_pm32();
	gs.activity_state = GUEST_ACTIVITY_HLT;
	gs.seg[VMX_SEG_CS].ar |= 3u << VMX_AR_DPL_SHIFT;
	gs.seg[VMX_SEG_SS].ar |= 3u << VMX_AR_DPL_SHIFT;
	gs.seg[VMX_SEG_CS].selector |= 3;
	gs.seg[VMX_SEG_SS].selector |= 3;
	EXPECT_FAIL("GUEST_ACTIVITY_STATE", "26.3.1.5");
	gs.activity_state = GUEST_ACTIVITY_ACTIVE;
	EXPECT_PASS();
}

static void test_activity_with_sti_blocking(void)
{
	init_pm32();
	gs.rflags |= X86_RFLAGS_IF;
	gs.interruptibility = GUEST_INTR_STATE_STI;
	EXPECT_PASS();
	gs.activity_state = GUEST_ACTIVITY_HLT;
	EXPECT_FAIL("GUEST_ACTIVITY_STATE", "26.3.1.5");
}

static void test_activity_blocks_injection(void)
{
	init_pm32();
	gs.activity_state = GUEST_ACTIVITY_HLT;
	gs.entry_intr_info = INTR_INFO_VALID | INTR_INFO_DELIVER_ERRCODE |
			     (INTR_TYPE_HARD_EXCEPTION << INTR_INFO_TYPE_SHIFT) |
			     X86_VEC_PF;
	EXPECT_FAIL("GUEST_ACTIVITY_STATE", "26.3.1.5");
	gs.entry_intr_info = INTR_INFO_VALID |
			     (INTR_TYPE_HARD_EXCEPTION << INTR_INFO_TYPE_SHIFT) |
			     X86_VEC_MC;
	EXPECT_PASS();
	gs.activity_state = GUEST_ACTIVITY_SHUTDOWN;
	EXPECT_PASS();
	gs.entry_intr_info = INTR_INFO_VALID |
			     (INTR_TYPE_NMI << INTR_INFO_TYPE_SHIFT) | X86_VEC_NMI;
	EXPECT_PASS();
	gs.activity_state = GUEST_ACTIVITY_WAIT_SIPI;
	EXPECT_FAIL("GUEST_ACTIVITY_STATE", "26.3.1.5");
}

static void test_activity_hlt_ext_intr(void)
{
	init_pm32();
	gs.rflags |= X86_RFLAGS_IF;
	gs.activity_state = GUEST_ACTIVITY_HLT;
	gs.entry_intr_info = INTR_INFO_VALID |
			     (INTR_TYPE_EXT_INTR << INTR_INFO_TYPE_SHIFT) | 0x30;
	EXPECT_PASS();
	gs.activity_state = GUEST_ACTIVITY_SHUTDOWN;
	EXPECT_FAIL("GUEST_ACTIVITY_STATE", "26.3.1.5");
}

static void test_activity_sipi_with_smm_entry(void)
{
	init_pm32();
	gs.activity_state = GUEST_ACTIVITY_WAIT_SIPI;
	EXPECT_PASS();
	gs.entry_ctls |= VM_ENTRY_SMM;
	gs.interruptibility = GUEST_INTR_STATE_SMI;
	EXPECT_FAIL("GUEST_ACTIVITY_STATE", "26.3.1.5");
}

static void test_intr_reserved(void)
{
	init_pm32();
	gs.interruptibility = BIT(5);
	EXPECT_FAIL("GUEST_INTERRUPTIBILITY", "26.3.1.5");
}

static void test_intr_sti_and_movss(void)
{
	init_pm32();
	gs.rflags |= X86_RFLAGS_IF;
	gs.interruptibility = GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS;
	EXPECT_FAIL("GUEST_INTERRUPTIBILITY", "26.3.1.5");
}

static void test_intr_sti_needs_if(void)
{
	init_pm32();
	gs.interruptibility = GUEST_INTR_STATE_STI;
	EXPECT_FAIL("GUEST_INTERRUPTIBILITY", "26.3.1.5");
	gs.interruptibility = GUEST_INTR_STATE_MOV_SS;	/* IF irrelevant */
	EXPECT_PASS();
}

static void test_intr_ext_intr_injection(void)
{
	init_pm32();
	gs.rflags |= X86_RFLAGS_IF;
	gs.interruptibility = GUEST_INTR_STATE_MOV_SS;
	gs.entry_intr_info = INTR_INFO_VALID |
			     (INTR_TYPE_EXT_INTR << INTR_INFO_TYPE_SHIFT) | 0x20;
	EXPECT_FAIL("GUEST_INTERRUPTIBILITY", "26.3.1.5");
	/* A software interrupt may be injected in the shadow. */
	gs.entry_intr_info = INTR_INFO_VALID |
			     (INTR_TYPE_SOFT_INTR << INTR_INFO_TYPE_SHIFT) | 0x80;
	EXPECT_PASS();
}

static void test_intr_nmi_injection_movss(void)
{
	init_pm32();
	gs.interruptibility = GUEST_INTR_STATE_MOV_SS;
	gs.entry_intr_info = INTR_INFO_VALID |
			     (INTR_TYPE_NMI << INTR_INFO_TYPE_SHIFT) | X86_VEC_NMI;
	EXPECT_FAIL("GUEST_INTERRUPTIBILITY", "26.3.1.5");
}

static void test_intr_smi_blocking(void)
{
	init_pm32();
	gs.interruptibility = GUEST_INTR_STATE_SMI;
	EXPECT_FAIL("GUEST_INTERRUPTIBILITY", "26.3.1.5");
	init_pm32();
	gs.entry_ctls |= VM_ENTRY_SMM;
	EXPECT_FAIL("GUEST_INTERRUPTIBILITY", "26.3.1.5");
	gs.interruptibility = GUEST_INTR_STATE_SMI;
	EXPECT_PASS();
}

static void test_intr_virtual_nmi_blocking(void)
{
	init_pm32();
	gs.interruptibility = GUEST_INTR_STATE_NMI;
	gs.entry_intr_info = INTR_INFO_VALID |
			     (INTR_TYPE_NMI << INTR_INFO_TYPE_SHIFT) | X86_VEC_NMI;
	EXPECT_PASS();
	gs.pin_based |= PIN_BASED_VIRTUAL_NMIS;
	EXPECT_FAIL("GUEST_INTERRUPTIBILITY", "26.3.1.5");
}

static void test_intr_enclave_movss(void)
{
	init_pm32();
	gs.interruptibility = GUEST_INTR_STATE_ENCLAVE;
	EXPECT_PASS();
	gs.interruptibility |= GUEST_INTR_STATE_MOV_SS;
	EXPECT_FAIL("GUEST_INTERRUPTIBILITY", "26.3.1.5");
}

static void test_pending_dbg_reserved(void)
{
	init_pm32();
	gs.pending_dbg_exceptions = BIT(4);
	EXPECT_FAIL("GUEST_PENDING_DBG_EXCEPTIONS", "26.3.1.5");
	gs.pending_dbg_exceptions = BIT(13);
	EXPECT_FAIL("GUEST_PENDING_DBG_EXCEPTIONS", "26.3.1.5");
	gs.pending_dbg_exceptions = PENDING_DBG_B0_B3 | PENDING_DBG_ENABLED_BP;
	EXPECT_PASS();
}

static void test_pending_dbg_bs(void)
{
	init_pm32();
	gs.rflags |= X86_RFLAGS_TF;
	gs.interruptibility = GUEST_INTR_STATE_MOV_SS;
	EXPECT_FAIL("GUEST_PENDING_DBG_EXCEPTIONS", "26.3.1.5");
	gs.pending_dbg_exceptions = PENDING_DBG_BS;
	EXPECT_PASS();
	/* With BTF, TF single-steps branches only: BS must stay clear. */
	gs.ia32_debugctl = BIT(1);
	EXPECT_FAIL("GUEST_PENDING_DBG_EXCEPTIONS", "26.3.1.5");
	/* Without blocking or HLT the rule does not apply. */
	gs.interruptibility = 0;
	EXPECT_PASS();
}

static void test_pending_dbg_rtm(void)
{
	init_pm32();
	gs.pending_dbg_exceptions = PENDING_DBG_RTM | PENDING_DBG_ENABLED_BP;
	EXPECT_PASS();
	gs.pending_dbg_exceptions = PENDING_DBG_RTM;
	EXPECT_FAIL("GUEST_PENDING_DBG_EXCEPTIONS", "26.3.1.5");
	gs.pending_dbg_exceptions = PENDING_DBG_RTM | PENDING_DBG_ENABLED_BP |
				    BIT(0);
	EXPECT_FAIL("GUEST_PENDING_DBG_EXCEPTIONS", "26.3.1.5");
	gs.pending_dbg_exceptions = PENDING_DBG_RTM | PENDING_DBG_ENABLED_BP;
	gs.interruptibility = GUEST_INTR_STATE_MOV_SS;
	EXPECT_FAIL("GUEST_PENDING_DBG_EXCEPTIONS", "26.3.1.5");
}

static void test_vmcs_link_ptr(void)
{
	init_pm32();
	gs.vmcs_link_ptr = 0;
	EXPECT_FAIL("GUEST_VMCS_LINK_PTR", "26.3.1.5");
	gs.vmcs_link_ptr = 0x12345000;
	EXPECT_FAIL("GUEST_VMCS_LINK_PTR", "26.3.1.5");
}

/* ---- 26.3.1.6 PDPTEs ---- */

static void test_pdpte_reserved(void)
{
	init_pm32();
	gs.pdpte[2] = 0x8001 | BIT(5);
	EXPECT_FAIL("GUEST_PDPTE2", "26.3.1.6");
	init_pm32();
	gs.pdpte[3] = 0x8001 | BIT(1);
	EXPECT_FAIL("GUEST_PDPTE3", "26.3.1.6");
	init_pm32();
	gs.pdpte[1] = 0x8001 | BIT(8);
	EXPECT_FAIL("GUEST_PDPTE1", "26.3.1.6");
	/* PWT (3), PCD (4) and the software bits 11:9 are allowed. */
	gs.pdpte[1] = 0x8001 | BIT(3) | BIT(4) | (7ull << 9);
	EXPECT_PASS();
	init_pm32();
	gs.pdpte[0] = 0x8001 | BIT(63);	/* no XD bit in a PDPTE */
	EXPECT_FAIL("GUEST_PDPTE0", "26.3.1.6");
}

static void test_pdpte_maxphyaddr(void)
{
	init_pm32();
	gs.pdpte[1] = (1ull << 39) | 1;
	EXPECT_FAIL("GUEST_PDPTE1", "26.3.1.6");
	caps.maxphyaddr = 40;
	EXPECT_PASS();
}

static void test_pdpte_not_present_ignored(void)
{
	init_pm32();
	gs.pdpte[2] = ~0ull & ~PTE_P;
	EXPECT_PASS();
}

static void test_pdpte_only_under_pae(void)
{
	init_pm32();
	gs.pdpte[0] = ~0ull;
	gs.cr4 &= ~X86_CR4_PAE;
	EXPECT_PASS();
	gs.cr4 |= X86_CR4_PAE;
	EXPECT_FAIL("GUEST_PDPTE0", "26.3.1.6");
}

/* ---- vmcs_defs.h helpers the checker and diagnostics rely on ---- */

static void test_vmcs_field_width_and_type(void)
{
	CHECK_EQ(VMCS_FIELD_WIDTH(VMCS_GUEST_CS_SELECTOR), VMCS_WIDTH_16);
	CHECK_EQ(VMCS_FIELD_WIDTH(VMCS_GUEST_IA32_EFER), VMCS_WIDTH_64);
	CHECK_EQ(VMCS_FIELD_WIDTH(VMCS_GUEST_CS_AR), VMCS_WIDTH_32);
	CHECK_EQ(VMCS_FIELD_WIDTH(VMCS_GUEST_RIP), VMCS_WIDTH_NATURAL);
	CHECK_EQ(VMCS_FIELD_WIDTH(VMCS_CTRL_EPTP), VMCS_WIDTH_64);
	CHECK_EQ(VMCS_FIELD_TYPE(VMCS_CTRL_PIN_BASED), VMCS_TYPE_CONTROL);
	CHECK_EQ(VMCS_FIELD_TYPE(VMCS_RO_EXIT_REASON), VMCS_TYPE_RO_DATA);
	CHECK_EQ(VMCS_FIELD_TYPE(VMCS_GUEST_CR0), VMCS_TYPE_GUEST);
	CHECK_EQ(VMCS_FIELD_TYPE(VMCS_HOST_RIP), VMCS_TYPE_HOST);
	CHECK_EQ(VMCS_GUEST_SEG_AR(VMX_SEG_TR), VMCS_GUEST_TR_AR);
	CHECK_EQ(VMCS_GUEST_SEG_BASE(VMX_SEG_LDTR), VMCS_GUEST_LDTR_BASE);
	CHECK_EQ(VMCS_GUEST_SEG_LIMIT(VMX_SEG_SS), VMCS_GUEST_SS_LIMIT);
	CHECK_EQ(VMCS_GUEST_SEG_SELECTOR(VMX_SEG_GS), VMCS_GUEST_GS_SELECTOR);
}

static void test_exit_qualification_decoders(void)
{
	/* mov %cr3 <- %rbx: CR 3, type 0, GPR 3 (27.2.1, Table 27-3) */
	u64 q = 0x303;

	CHECK_EQ(CR_QUAL_CR(q), 3);
	CHECK_EQ(CR_QUAL_TYPE(q), CR_ACCESS_MOV_TO);
	CHECK_EQ(CR_QUAL_GPR(q), 3);
	q = (0x0001ull << 16) | (CR_ACCESS_LMSW << 4);	/* lmsw, PE */
	CHECK_EQ(CR_QUAL_TYPE(q), CR_ACCESS_LMSW);
	CHECK_EQ(CR_QUAL_LMSW_DATA(q), 1);
	/* rep outsw to port 0x3f8 (Table 27-5): size 2, out, string, rep */
	q = (0x3f8ull << 16) | BIT(5) | BIT(4) | 1;
	CHECK_EQ(IO_QUAL_SIZE(q), 2);
	CHECK(!IO_QUAL_IN(q));
	CHECK(IO_QUAL_STRING(q));
	CHECK(IO_QUAL_REP(q));
	CHECK_EQ(IO_QUAL_PORT(q), 0x3f8);
	/* in %dx, %eax */
	q = (0x60ull << 16) | BIT(3) | 3;
	CHECK_EQ(IO_QUAL_SIZE(q), 4);
	CHECK(IO_QUAL_IN(q));
	CHECK_EQ(IO_QUAL_PORT(q), 0x60);
}

int main(void)
{
	RUN(test_pm32_valid);
	RUN(test_ia32e_valid);
	RUN(test_real_mode_unrestricted_valid);
	RUN(test_v86_valid);
	RUN(test_null_failure_ptr);
	RUN(test_failure_reports_value);

	RUN(test_cr0_fixed0);
	RUN(test_cr0_fixed1);
	RUN(test_cr0_cd_nw_not_checked);
	RUN(test_cr0_pe_pg_exempt_unrestricted);
	RUN(test_cr0_pg_without_pe);
	RUN(test_cr4_fixed);
	RUN(test_ia32e_needs_pae);
	RUN(test_ia32e_needs_pg);
	RUN(test_pcide_outside_ia32e);
	RUN(test_cr3_maxphyaddr);
	RUN(test_debugctl_reserved);
	RUN(test_dr7_high);
	RUN(test_sysenter_canonical);
	RUN(test_pat_entries);
	RUN(test_efer_reserved);
	RUN(test_efer_lma_matches_ia32e);
	RUN(test_efer_lme_matches_lma);

	RUN(test_tr_selector_ti);
	RUN(test_ldtr_selector_ti);
	RUN(test_ss_rpl_matches_cs);
	RUN(test_v86_base);
	RUN(test_v86_limit);
	RUN(test_v86_ar);
	RUN(test_base_canonical);
	RUN(test_base_high_bits);
	RUN(test_cs_type);
	RUN(test_cs_type3_unrestricted);
	RUN(test_cs_s_bit);
	RUN(test_cs_dpl_nonconforming);
	RUN(test_cs_dpl_conforming);
	RUN(test_cs_present);
	RUN(test_cs_reserved);
	RUN(test_cs_long_and_db);
	RUN(test_ss_type);
	RUN(test_ss_dpl_rpl);
	RUN(test_ss_dpl_real_mode);
	RUN(test_ss_unusable_ok);
	RUN(test_data_accessed);
	RUN(test_data_code_readable);
	RUN(test_data_s_bit);
	RUN(test_data_dpl_below_rpl);
	RUN(test_data_present);
	RUN(test_granularity);
	RUN(test_tr_type);
	RUN(test_tr_s_and_unusable);
	RUN(test_ldtr_ar);

	RUN(test_dtable_base);
	RUN(test_dtable_limit);

	RUN(test_rip_high_bits);
	RUN(test_rip_canonical);
	RUN(test_rflags_fixed_and_reserved);
	RUN(test_rflags_vm);
	RUN(test_rflags_if_for_ext_intr);

	RUN(test_activity_invalid);
	RUN(test_activity_unsupported);
	RUN(test_activity_hlt_needs_cpl0);
	RUN(test_activity_with_sti_blocking);
	RUN(test_activity_blocks_injection);
	RUN(test_activity_hlt_ext_intr);
	RUN(test_activity_sipi_with_smm_entry);
	RUN(test_intr_reserved);
	RUN(test_intr_sti_and_movss);
	RUN(test_intr_sti_needs_if);
	RUN(test_intr_ext_intr_injection);
	RUN(test_intr_nmi_injection_movss);
	RUN(test_intr_smi_blocking);
	RUN(test_intr_virtual_nmi_blocking);
	RUN(test_intr_enclave_movss);
	RUN(test_pending_dbg_reserved);
	RUN(test_pending_dbg_bs);
	RUN(test_pending_dbg_rtm);
	RUN(test_vmcs_link_ptr);

	RUN(test_pdpte_reserved);
	RUN(test_pdpte_maxphyaddr);
	RUN(test_pdpte_not_present_ignored);
	RUN(test_pdpte_only_under_pae);

	RUN(test_vmcs_field_width_and_type);
	RUN(test_exit_qualification_decoders);
	return unit_done();
}
