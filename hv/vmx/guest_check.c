// SPDX-License-Identifier: MIT
/*
 * Software check of the guest-state area, SDM 3C 26.3.1.
 *
 * Each check quotes its rule in the failure it reports; the sections below
 * follow the SDM's subsections in order, so the first rule reported is the
 * first one the SDM lists.  Rules about state Aperture does not have in
 * struct vmx_guest_state (IA32_PERF_GLOBAL_CTRL, BNDCFGS, RTIT_CTL, CET,
 * PKRS, SMM-transfer monitor state) are not checked.
 */
#include <lib/errno.h>
#include <lib/x86.h>
#include <hv/vmx/guest_check.h>
#include <hv/vmx/vmcs_defs.h>

/* IA32_DEBUGCTL bits defined on Intel 64 (SDM 3B 17.4.1, 18.4.1, 17.3.3). */
#define DEBUGCTL_VALID_MASK	(DEBUGCTL_LBR | DEBUGCTL_BTF | BIT(2) | \
				 (0x3full << 6) | BIT(12) | BIT(13) | BIT(14) | \
				 BIT(15))

/* IA32_EFER bits defined on Intel 64: SCE, LME, LMA, NXE (SDM 3A 2.2.1). */
#define EFER_VALID_MASK		(EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE)

/* RFLAGS bits 63:22, 15, 5 and 3 are reserved (SDM 1 3.4.3). */
#define RFLAGS_RESERVED_MASK	(~0ull << 22 | BIT(15) | BIT(5) | BIT(3))

/* PAE PDPTE bits 2:1 and 8:5 are reserved (SDM 3A 4.4.1, Table 4-8). */
#define PDPTE_RESERVED_LOW	(BIT(1) | BIT(2) | (0xfull << 5))

/* Valid pending-debug-exception bits (SDM 3C 24.4.2, Table 24-4). */
#define PENDING_DBG_VALID_MASK	(PENDING_DBG_B0_B3 | PENDING_DBG_ENABLED_BP | \
				 PENDING_DBG_BS | PENDING_DBG_RTM)

/* Selector/limit/access-rights bounds that 26.3.1.2 and 26.3.1.3 quote. */
#define V86_SEG_LIMIT		0xffffu
#define V86_SEG_AR		(SEG_TYPE_DATA_RW_A | VMX_AR_S | \
				 VMX_AR_DPL_MASK | VMX_AR_P)	/* 0xF3 */
#define LIMIT_PAGE_LOW		0xfffu		/* bits 11:0 */
#define LIMIT_PAGE_HIGH		0xfff00000u	/* bits 31:20 */
#define DTABLE_LIMIT_MAX	0xffffu

/* Everything the rules consult, worked out once. */
struct ctx {
	const struct vmx_guest_state *gs;
	const struct vmx_check_caps *caps;
	struct vmx_check_failure *f;
	u64 phys_rsvd;		/* CR3/PDPTE bits at and above MAXPHYADDR */
	u8 la_bits;
	bool ia32e;		/* "IA-32e mode guest" entry control */
	bool unrestricted;
	bool v86;		/* RFLAGS.VM */
	bool inject;		/* VM-entry interruption information valid */
	u32 inject_type;
	u32 inject_vector;
};

static const char *const seg_field[VMX_SEG_NR][4] = {
#define SEG_FIELDS(s) { "GUEST_" #s "_SELECTOR", "GUEST_" #s "_BASE", \
			"GUEST_" #s "_LIMIT", "GUEST_" #s "_AR" }
	[VMX_SEG_ES]	= SEG_FIELDS(ES),
	[VMX_SEG_CS]	= SEG_FIELDS(CS),
	[VMX_SEG_SS]	= SEG_FIELDS(SS),
	[VMX_SEG_DS]	= SEG_FIELDS(DS),
	[VMX_SEG_FS]	= SEG_FIELDS(FS),
	[VMX_SEG_GS]	= SEG_FIELDS(GS),
	[VMX_SEG_LDTR]	= SEG_FIELDS(LDTR),
	[VMX_SEG_TR]	= SEG_FIELDS(TR),
#undef SEG_FIELDS
};

enum { F_SELECTOR, F_BASE, F_LIMIT, F_AR };

static const char *const pdpte_field[4] = {
	"GUEST_PDPTE0", "GUEST_PDPTE1", "GUEST_PDPTE2", "GUEST_PDPTE3",
};

static int fail(const struct ctx *c, const char *field, const char *rule,
		u64 value)
{
	if (c->f) {
		c->f->field = field;
		c->f->rule = rule;
		c->f->value = value;
	}
	return -EINVAL;
}

#define REQUIRE(c, cond, field, rule, value)				\
	do {								\
		if (!(cond))						\
			return fail(c, field, rule, value);		\
	} while (0)

/* Bits 63:N-1 all equal, N being the linear-address width (SDM 3A 3.3.7.1). */
static bool is_canonical(u64 va, u8 bits)
{
	u8 shift = 64 - bits;

	return (u64)((s64)(va << shift) >> shift) == va;
}

static bool seg_usable(const struct vmx_segment *s)
{
	return !(s->ar & VMX_AR_UNUSABLE);
}

static u32 seg_type(const struct vmx_segment *s)
{
	return s->ar & VMX_AR_TYPE_MASK;
}

/* 26.3.1.1: control registers, debug registers and MSRs. */
static int check_cr_dr_msr(const struct ctx *c)
{
	const struct vmx_guest_state *gs = c->gs;
	const struct vmx_check_caps *caps = c->caps;
	/* CR0.NW and CR0.CD are never checked: VM entry does not load them. */
	u64 cr0_ignored = X86_CR0_NW | X86_CR0_CD;
	u64 cr0_must1 = caps->cr0_fixed0 & ~cr0_ignored;
	u64 cr0_must0 = ~caps->cr0_fixed1 & ~cr0_ignored;
	u32 pat_byte;
	int i;

	if (c->unrestricted)
		cr0_must1 &= ~(X86_CR0_PE | X86_CR0_PG);
	REQUIRE(c, (gs->cr0 & cr0_must1) == cr0_must1, "GUEST_CR0",
		"26.3.1.1: CR0 bits set in IA32_VMX_CR0_FIXED0 must be 1 (PE/PG exempt with unrestricted guest)",
		gs->cr0);
	REQUIRE(c, !(gs->cr0 & cr0_must0), "GUEST_CR0",
		"26.3.1.1: CR0 bits clear in IA32_VMX_CR0_FIXED1 must be 0",
		gs->cr0);
	REQUIRE(c, !(gs->cr0 & X86_CR0_PG) || (gs->cr0 & X86_CR0_PE),
		"GUEST_CR0", "26.3.1.1: CR0.PG = 1 requires CR0.PE = 1",
		gs->cr0);
	REQUIRE(c, (gs->cr4 & caps->cr4_fixed0) == caps->cr4_fixed0,
		"GUEST_CR4",
		"26.3.1.1: CR4 bits set in IA32_VMX_CR4_FIXED0 must be 1",
		gs->cr4);
	REQUIRE(c, !(gs->cr4 & ~caps->cr4_fixed1), "GUEST_CR4",
		"26.3.1.1: CR4 bits clear in IA32_VMX_CR4_FIXED1 must be 0",
		gs->cr4);

	if (gs->entry_ctls & VM_ENTRY_LOAD_DEBUG_CONTROLS) {
		REQUIRE(c, !(gs->ia32_debugctl & ~DEBUGCTL_VALID_MASK),
			"GUEST_IA32_DEBUGCTL",
			"26.3.1.1: reserved IA32_DEBUGCTL bits must be 0 with \"load debug controls\"",
			gs->ia32_debugctl);
	}

	if (c->ia32e) {
		REQUIRE(c, gs->cr0 & X86_CR0_PG, "GUEST_CR0",
			"26.3.1.1: IA-32e mode guest requires CR0.PG = 1",
			gs->cr0);
		REQUIRE(c, gs->cr4 & X86_CR4_PAE, "GUEST_CR4",
			"26.3.1.1: IA-32e mode guest requires CR4.PAE = 1",
			gs->cr4);
	} else {
		REQUIRE(c, !(gs->cr4 & X86_CR4_PCIDE), "GUEST_CR4",
			"26.3.1.1: CR4.PCIDE must be 0 outside IA-32e mode guest",
			gs->cr4);
	}

	REQUIRE(c, !(gs->cr3 & c->phys_rsvd), "GUEST_CR3",
		"26.3.1.1: CR3 bits at and above MAXPHYADDR must be 0",
		gs->cr3);

	if (gs->entry_ctls & VM_ENTRY_LOAD_DEBUG_CONTROLS) {
		REQUIRE(c, !(gs->dr7 >> 32), "GUEST_DR7",
			"26.3.1.1: DR7 bits 63:32 must be 0 with \"load debug controls\"",
			gs->dr7);
	}

	REQUIRE(c, is_canonical(gs->sysenter_esp, c->la_bits),
		"GUEST_SYSENTER_ESP",
		"26.3.1.1: IA32_SYSENTER_ESP must be canonical",
		gs->sysenter_esp);
	REQUIRE(c, is_canonical(gs->sysenter_eip, c->la_bits),
		"GUEST_SYSENTER_EIP",
		"26.3.1.1: IA32_SYSENTER_EIP must be canonical",
		gs->sysenter_eip);

	/* Memory types 2 and 3 and 8..255 are reserved (SDM 3A 11.12.2). */
	if (gs->entry_ctls & VM_ENTRY_LOAD_IA32_PAT) {
		for (i = 0; i < 8; i++) {
			pat_byte = (gs->ia32_pat >> (8 * i)) & 0xff;
			REQUIRE(c, pat_byte < 8 && pat_byte != 2 && pat_byte != 3,
				"GUEST_IA32_PAT",
				"26.3.1.1: each IA32_PAT entry must be 0, 1, 4, 5, 6 or 7 with \"load IA32_PAT\"",
				gs->ia32_pat);
		}
	}

	if (gs->entry_ctls & VM_ENTRY_LOAD_IA32_EFER) {
		REQUIRE(c, !(gs->ia32_efer & ~EFER_VALID_MASK),
			"GUEST_IA32_EFER",
			"26.3.1.1: reserved IA32_EFER bits must be 0 with \"load IA32_EFER\"",
			gs->ia32_efer);
		REQUIRE(c, !(gs->ia32_efer & EFER_LMA) == !c->ia32e,
			"GUEST_IA32_EFER",
			"26.3.1.1: IA32_EFER.LMA must equal \"IA-32e mode guest\" with \"load IA32_EFER\"",
			gs->ia32_efer);
		REQUIRE(c, !(gs->cr0 & X86_CR0_PG) ||
			   !(gs->ia32_efer & EFER_LMA) ==
			   !(gs->ia32_efer & EFER_LME),
			"GUEST_IA32_EFER",
			"26.3.1.1: IA32_EFER.LME must equal LMA when CR0.PG = 1 with \"load IA32_EFER\"",
			gs->ia32_efer);
	}
	return 0;
}

/*
 * 26.3.1.2: the P bit, reserved bits and the granularity/limit pairing
 * apply alike to every usable segment (and to TR, which must be usable).
 */
static int check_ar_common(const struct ctx *c, enum vmx_seg_reg r)
{
	const struct vmx_segment *s = &c->gs->seg[r];
	const char *field = seg_field[r][F_AR];

	REQUIRE(c, s->ar & VMX_AR_P, field,
		"26.3.1.2: segment must be present (AR.P = 1)", s->ar);
	REQUIRE(c, !(s->ar & VMX_AR_RESERVED_MASK), field,
		"26.3.1.2: AR bits 11:8 and 31:17 are reserved and must be 0",
		s->ar);
	REQUIRE(c, (s->limit & LIMIT_PAGE_LOW) == LIMIT_PAGE_LOW ||
		   !(s->ar & VMX_AR_G), field,
		"26.3.1.2: AR.G must be 0 if any of limit bits 11:0 is 0",
		s->ar);
	REQUIRE(c, !(s->limit & LIMIT_PAGE_HIGH) || (s->ar & VMX_AR_G),
		field, "26.3.1.2: AR.G must be 1 if any of limit bits 31:20 is 1",
		s->ar);
	return 0;
}

static int check_cs_ar(const struct ctx *c)
{
	const struct vmx_segment *cs = &c->gs->seg[VMX_SEG_CS];
	const struct vmx_segment *ss = &c->gs->seg[VMX_SEG_SS];
	const char *field = seg_field[VMX_SEG_CS][F_AR];
	u32 type = seg_type(cs);
	u32 dpl = VMX_AR_DPL(cs->ar);

	REQUIRE(c, type == SEG_TYPE_CODE_A || type == SEG_TYPE_CODE_R_A ||
		   type == SEG_TYPE_CODE_C_A || type == SEG_TYPE_CODE_CR_A ||
		   (c->unrestricted && type == SEG_TYPE_DATA_RW_A), field,
		"26.3.1.2: CS.AR type must be 9, 11, 13 or 15 (accessed code), or 3 with unrestricted guest",
		cs->ar);
	REQUIRE(c, cs->ar & VMX_AR_S, field,
		"26.3.1.2: CS.AR.S must be 1 (code/data segment)", cs->ar);
	if (type == SEG_TYPE_DATA_RW_A)
		REQUIRE(c, dpl == 0, field,
			"26.3.1.2: CS.DPL must be 0 when CS type is 3",
			cs->ar);
	else if (type == SEG_TYPE_CODE_A || type == SEG_TYPE_CODE_R_A)
		REQUIRE(c, dpl == VMX_AR_DPL(ss->ar), field,
			"26.3.1.2: non-conforming CS.DPL must equal SS.DPL",
			cs->ar);
	else
		REQUIRE(c, dpl <= VMX_AR_DPL(ss->ar), field,
			"26.3.1.2: conforming CS.DPL must not exceed SS.DPL",
			cs->ar);
	if (check_ar_common(c, VMX_SEG_CS))
		return -EINVAL;
	REQUIRE(c, !(c->ia32e && (cs->ar & VMX_AR_L) && (cs->ar & VMX_AR_DB)),
		field,
		"26.3.1.2: CS.AR.D/B must be 0 when CS.L = 1 in IA-32e mode guest",
		cs->ar);
	return 0;
}

static int check_ss_ar(const struct ctx *c)
{
	const struct vmx_guest_state *gs = c->gs;
	const struct vmx_segment *ss = &gs->seg[VMX_SEG_SS];
	const char *field = seg_field[VMX_SEG_SS][F_AR];
	u32 dpl = VMX_AR_DPL(ss->ar);

	if (seg_usable(ss)) {
		REQUIRE(c, seg_type(ss) == SEG_TYPE_DATA_RW_A ||
			   seg_type(ss) == SEG_TYPE_DATA_RW_DOWN_A, field,
			"26.3.1.2: usable SS.AR type must be 3 or 7 (writable accessed data)",
			ss->ar);
		REQUIRE(c, ss->ar & VMX_AR_S, field,
			"26.3.1.2: usable SS.AR.S must be 1", ss->ar);
	}
	if (!c->unrestricted)
		REQUIRE(c, dpl == (ss->selector & SEL_RPL_MASK), field,
			"26.3.1.2: SS.DPL must equal SS.RPL outside unrestricted guest",
			ss->ar);
	REQUIRE(c, dpl == 0 || (seg_type(&gs->seg[VMX_SEG_CS]) !=
				SEG_TYPE_DATA_RW_A &&
				(gs->cr0 & X86_CR0_PE)), field,
		"26.3.1.2: SS.DPL must be 0 when CS type is 3 or CR0.PE = 0",
		ss->ar);
	if (seg_usable(ss))
		return check_ar_common(c, VMX_SEG_SS);
	return 0;
}

/* DS, ES, FS and GS. */
static int check_data_ar(const struct ctx *c, enum vmx_seg_reg r)
{
	const struct vmx_segment *s = &c->gs->seg[r];
	const char *field = seg_field[r][F_AR];
	u32 type = seg_type(s);

	if (!seg_usable(s))
		return 0;
	REQUIRE(c, type & VMX_AR_TYPE_ACCESSED, field,
		"26.3.1.2: usable DS/ES/FS/GS type must have the accessed bit set",
		s->ar);
	REQUIRE(c, !(type & VMX_AR_TYPE_CODE) || (type & VMX_AR_TYPE_READABLE),
		field,
		"26.3.1.2: a code segment in DS/ES/FS/GS must be readable",
		s->ar);
	REQUIRE(c, s->ar & VMX_AR_S, field,
		"26.3.1.2: usable DS/ES/FS/GS AR.S must be 1", s->ar);
	/* Types 0..11: data or non-conforming code. */
	if (!c->unrestricted && type <= SEG_TYPE_CODE_R_A)
		REQUIRE(c, VMX_AR_DPL(s->ar) >= (s->selector & SEL_RPL_MASK),
			field,
			"26.3.1.2: DS/ES/FS/GS DPL must not be less than RPL (data/non-conforming code)",
			s->ar);
	return check_ar_common(c, r);
}

static int check_tr_ar(const struct ctx *c)
{
	const struct vmx_segment *tr = &c->gs->seg[VMX_SEG_TR];
	const char *field = seg_field[VMX_SEG_TR][F_AR];
	u32 type = seg_type(tr);

	if (c->ia32e)
		REQUIRE(c, type == SEG_TYPE_TSS_BUSY, field,
			"26.3.1.2: TR.AR type must be 11 (busy 64-bit TSS) in IA-32e mode guest",
			tr->ar);
	else
		REQUIRE(c, type == SEG_TYPE_TSS16_BUSY ||
			   type == SEG_TYPE_TSS_BUSY, field,
			"26.3.1.2: TR.AR type must be 3 or 11 (busy 16/32-bit TSS)",
			tr->ar);
	REQUIRE(c, !(tr->ar & VMX_AR_S), field,
		"26.3.1.2: TR.AR.S must be 0 (system segment)", tr->ar);
	REQUIRE(c, seg_usable(tr), field,
		"26.3.1.2: TR must be usable (AR bit 16 = 0)", tr->ar);
	return check_ar_common(c, VMX_SEG_TR);
}

static int check_ldtr_ar(const struct ctx *c)
{
	const struct vmx_segment *ldtr = &c->gs->seg[VMX_SEG_LDTR];
	const char *field = seg_field[VMX_SEG_LDTR][F_AR];

	if (!seg_usable(ldtr))
		return 0;
	REQUIRE(c, seg_type(ldtr) == SEG_TYPE_LDT, field,
		"26.3.1.2: usable LDTR.AR type must be 2 (LDT)", ldtr->ar);
	REQUIRE(c, !(ldtr->ar & VMX_AR_S), field,
		"26.3.1.2: usable LDTR.AR.S must be 0 (system segment)",
		ldtr->ar);
	return check_ar_common(c, VMX_SEG_LDTR);
}

/* 26.3.1.2 in virtual-8086 mode: real-mode-style segments only. */
static int check_v86_segments(const struct ctx *c)
{
	const struct vmx_segment *s;
	int r;

	for (r = VMX_SEG_ES; r <= VMX_SEG_GS; r++) {
		s = &c->gs->seg[r];
		REQUIRE(c, s->base == (u64)s->selector << 4,
			seg_field[r][F_BASE],
			"26.3.1.2: in virtual-8086 mode each segment base must be selector << 4",
			s->base);
		REQUIRE(c, s->limit == V86_SEG_LIMIT, seg_field[r][F_LIMIT],
			"26.3.1.2: in virtual-8086 mode each segment limit must be 0xFFFF",
			s->limit);
		REQUIRE(c, s->ar == V86_SEG_AR, seg_field[r][F_AR],
			"26.3.1.2: in virtual-8086 mode each segment AR must be 0xF3",
			s->ar);
	}
	return 0;
}

static int check_segments(const struct ctx *c)
{
	const struct vmx_segment *seg = c->gs->seg;
	static const enum vmx_seg_reg canon[] = {
		VMX_SEG_TR, VMX_SEG_FS, VMX_SEG_GS, VMX_SEG_LDTR,
	};
	static const enum vmx_seg_reg base32[] = {
		VMX_SEG_CS, VMX_SEG_SS, VMX_SEG_DS, VMX_SEG_ES,
	};
	const struct vmx_segment *s;
	size_t i;
	int r;

	/* Selectors */
	REQUIRE(c, !(seg[VMX_SEG_TR].selector & SEL_TI),
		seg_field[VMX_SEG_TR][F_SELECTOR],
		"26.3.1.2: TR selector TI flag must be 0 (TSS lives in the GDT)",
		seg[VMX_SEG_TR].selector);
	REQUIRE(c, !seg_usable(&seg[VMX_SEG_LDTR]) ||
		   !(seg[VMX_SEG_LDTR].selector & SEL_TI),
		seg_field[VMX_SEG_LDTR][F_SELECTOR],
		"26.3.1.2: usable LDTR selector TI flag must be 0",
		seg[VMX_SEG_LDTR].selector);
	REQUIRE(c, c->v86 || c->unrestricted ||
		   (seg[VMX_SEG_SS].selector & SEL_RPL_MASK) ==
		   (seg[VMX_SEG_CS].selector & SEL_RPL_MASK),
		seg_field[VMX_SEG_SS][F_SELECTOR],
		"26.3.1.2: SS.RPL must equal CS.RPL (not virtual-8086, not unrestricted guest)",
		seg[VMX_SEG_SS].selector);

	/* Bases, limits and access rights in virtual-8086 mode */
	if (c->v86 && check_v86_segments(c))
		return -EINVAL;

	/* Bases */
	for (i = 0; i < ARRAY_SIZE(canon); i++) {
		s = &seg[canon[i]];
		if (canon[i] == VMX_SEG_LDTR && !seg_usable(s))
			continue;
		REQUIRE(c, is_canonical(s->base, c->la_bits),
			seg_field[canon[i]][F_BASE],
			"26.3.1.2: TR, FS, GS and usable LDTR bases must be canonical",
			s->base);
	}
	for (i = 0; i < ARRAY_SIZE(base32); i++) {
		s = &seg[base32[i]];
		if (base32[i] != VMX_SEG_CS && !seg_usable(s))
			continue;
		REQUIRE(c, !(s->base >> 32), seg_field[base32[i]][F_BASE],
			"26.3.1.2: CS and usable SS/DS/ES base bits 63:32 must be 0",
			s->base);
	}

	/* Access rights outside virtual-8086 mode */
	if (!c->v86) {
		if (check_cs_ar(c) || check_ss_ar(c))
			return -EINVAL;
		for (r = VMX_SEG_ES; r <= VMX_SEG_GS; r++) {
			if (r == VMX_SEG_CS || r == VMX_SEG_SS)
				continue;
			if (check_data_ar(c, r))
				return -EINVAL;
		}
	}
	if (check_tr_ar(c) || check_ldtr_ar(c))
		return -EINVAL;
	return 0;
}

/* 26.3.1.3: GDTR and IDTR. */
static int check_dtables(const struct ctx *c)
{
	const struct vmx_guest_state *gs = c->gs;

	REQUIRE(c, is_canonical(gs->gdtr_base, c->la_bits), "GUEST_GDTR_BASE",
		"26.3.1.3: GDTR base must be canonical", gs->gdtr_base);
	REQUIRE(c, is_canonical(gs->idtr_base, c->la_bits), "GUEST_IDTR_BASE",
		"26.3.1.3: IDTR base must be canonical", gs->idtr_base);
	REQUIRE(c, gs->gdtr_limit <= DTABLE_LIMIT_MAX, "GUEST_GDTR_LIMIT",
		"26.3.1.3: GDTR limit bits 31:16 must be 0", gs->gdtr_limit);
	REQUIRE(c, gs->idtr_limit <= DTABLE_LIMIT_MAX, "GUEST_IDTR_LIMIT",
		"26.3.1.3: IDTR limit bits 31:16 must be 0", gs->idtr_limit);
	return 0;
}

/* 26.3.1.4: RIP and RFLAGS. */
static int check_rip_rflags(const struct ctx *c)
{
	const struct vmx_guest_state *gs = c->gs;
	bool long_cs = c->ia32e && (gs->seg[VMX_SEG_CS].ar & VMX_AR_L);

	if (long_cs)
		REQUIRE(c, is_canonical(gs->rip, c->la_bits), "GUEST_RIP",
			"26.3.1.4: RIP must be canonical in 64-bit mode (IA-32e guest, CS.L = 1)",
			gs->rip);
	else
		REQUIRE(c, !(gs->rip >> 32), "GUEST_RIP",
			"26.3.1.4: RIP bits 63:32 must be 0 outside 64-bit mode",
			gs->rip);
	REQUIRE(c, !(gs->rflags & RFLAGS_RESERVED_MASK), "GUEST_RFLAGS",
		"26.3.1.4: RFLAGS bits 63:22, 15, 5 and 3 are reserved and must be 0",
		gs->rflags);
	REQUIRE(c, gs->rflags & X86_RFLAGS_FIXED, "GUEST_RFLAGS",
		"26.3.1.4: RFLAGS bit 1 must be 1", gs->rflags);
	REQUIRE(c, !(gs->rflags & X86_RFLAGS_VM) ||
		   (!c->ia32e && (gs->cr0 & X86_CR0_PE)), "GUEST_RFLAGS",
		"26.3.1.4: RFLAGS.VM must be 0 in IA-32e mode guest or when CR0.PE = 0",
		gs->rflags);
	REQUIRE(c, !(c->inject && c->inject_type == INTR_TYPE_EXT_INTR) ||
		   (gs->rflags & X86_RFLAGS_IF), "GUEST_RFLAGS",
		"26.3.1.4: RFLAGS.IF must be 1 when injecting an external interrupt",
		gs->rflags);
	return 0;
}

/*
 * 26.3.1.5: an event may be injected only if the target activity state
 * would not block it: HLT admits external interrupts, NMIs, #DB, #MC and a
 * pending MTF; shutdown admits NMIs and #MC; wait-for-SIPI admits nothing.
 */
static bool injection_allowed(const struct ctx *c, u32 activity)
{
	bool nmi = c->inject_type == INTR_TYPE_NMI;
	bool mc = c->inject_type == INTR_TYPE_HARD_EXCEPTION &&
		  c->inject_vector == X86_VEC_MC;
	bool db = c->inject_type == INTR_TYPE_HARD_EXCEPTION &&
		  c->inject_vector == X86_VEC_DB;
	bool mtf = c->inject_type == INTR_TYPE_OTHER_EVENT &&
		   c->inject_vector == 0;

	switch (activity) {
	case GUEST_ACTIVITY_HLT:
		return c->inject_type == INTR_TYPE_EXT_INTR || nmi || mc ||
		       db || mtf;
	case GUEST_ACTIVITY_SHUTDOWN:
		return nmi || mc;
	case GUEST_ACTIVITY_WAIT_SIPI:
		return false;
	default:
		return true;
	}
}

static int check_activity(const struct ctx *c)
{
	const struct vmx_guest_state *gs = c->gs;
	u32 act = gs->activity_state;
	u64 supported;

	switch (act) {
	case GUEST_ACTIVITY_ACTIVE:
		supported = 1;
		break;
	case GUEST_ACTIVITY_HLT:
		supported = c->caps->vmx_misc & VMX_MISC_ACTIVITY_HLT;
		break;
	case GUEST_ACTIVITY_SHUTDOWN:
		supported = c->caps->vmx_misc & VMX_MISC_ACTIVITY_SHUTDOWN;
		break;
	case GUEST_ACTIVITY_WAIT_SIPI:
		supported = c->caps->vmx_misc & VMX_MISC_ACTIVITY_WAIT_SIPI;
		break;
	default:
		supported = 0;
		break;
	}
	REQUIRE(c, supported, "GUEST_ACTIVITY_STATE",
		"26.3.1.5: activity state must be 0..3 and supported per IA32_VMX_MISC bits 8:6",
		act);
	REQUIRE(c, act != GUEST_ACTIVITY_HLT ||
		   VMX_AR_DPL(gs->seg[VMX_SEG_SS].ar) == 0,
		"GUEST_ACTIVITY_STATE",
		"26.3.1.5: activity state must not be HLT when SS.DPL != 0",
		act);
	REQUIRE(c, act == GUEST_ACTIVITY_ACTIVE ||
		   !(gs->interruptibility &
		     (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS)),
		"GUEST_ACTIVITY_STATE",
		"26.3.1.5: activity state must be active while blocking by STI or MOV SS",
		act);
	REQUIRE(c, !c->inject || injection_allowed(c, act),
		"GUEST_ACTIVITY_STATE",
		"26.3.1.5: the injected event must not be one the activity state blocks",
		act);
	REQUIRE(c, act != GUEST_ACTIVITY_WAIT_SIPI ||
		   !(gs->entry_ctls & VM_ENTRY_SMM), "GUEST_ACTIVITY_STATE",
		"26.3.1.5: activity state must not be wait-for-SIPI with \"entry to SMM\"",
		act);
	return 0;
}

static int check_interruptibility(const struct ctx *c)
{
	const struct vmx_guest_state *gs = c->gs;
	u32 is = gs->interruptibility;
	bool sti = is & GUEST_INTR_STATE_STI;
	bool movss = is & GUEST_INTR_STATE_MOV_SS;
	const char *field = "GUEST_INTERRUPTIBILITY";

	REQUIRE(c, !(is & GUEST_INTR_STATE_RESERVED_MASK), field,
		"26.3.1.5: interruptibility bits 31:5 are reserved and must be 0",
		is);
	REQUIRE(c, !(sti && movss), field,
		"26.3.1.5: blocking by STI and by MOV SS must not both be set",
		is);
	REQUIRE(c, !sti || (gs->rflags & X86_RFLAGS_IF), field,
		"26.3.1.5: blocking by STI must be 0 when RFLAGS.IF = 0", is);
	REQUIRE(c, !(c->inject && c->inject_type == INTR_TYPE_EXT_INTR) ||
		   !(sti || movss), field,
		"26.3.1.5: blocking by STI/MOV SS must be 0 when injecting an external interrupt",
		is);
	REQUIRE(c, !(c->inject && c->inject_type == INTR_TYPE_NMI) || !movss,
		field,
		"26.3.1.5: blocking by MOV SS must be 0 when injecting an NMI",
		is);
	/* Aperture never runs in SMM, so only an entry to SMM may set it. */
	if (gs->entry_ctls & VM_ENTRY_SMM)
		REQUIRE(c, is & GUEST_INTR_STATE_SMI, field,
			"26.3.1.5: blocking by SMI must be 1 with \"entry to SMM\"",
			is);
	else
		REQUIRE(c, !(is & GUEST_INTR_STATE_SMI), field,
			"26.3.1.5: blocking by SMI must be 0 outside SMM", is);
	REQUIRE(c, !((gs->pin_based & PIN_BASED_VIRTUAL_NMIS) && c->inject &&
		     c->inject_type == INTR_TYPE_NMI) ||
		   !(is & GUEST_INTR_STATE_NMI), field,
		"26.3.1.5: blocking by NMI must be 0 when injecting an NMI with virtual NMIs",
		is);
	REQUIRE(c, !((is & GUEST_INTR_STATE_ENCLAVE) && movss), field,
		"26.3.1.5: enclave interruption must be 0 with blocking by MOV SS",
		is);
	return 0;
}

static int check_pending_dbg(const struct ctx *c)
{
	const struct vmx_guest_state *gs = c->gs;
	u64 pd = gs->pending_dbg_exceptions;
	const char *field = "GUEST_PENDING_DBG_EXCEPTIONS";
	bool single_step;

	REQUIRE(c, !(pd & ~PENDING_DBG_VALID_MASK), field,
		"26.3.1.5: pending debug exceptions bits 11:4, 13, 15 and 63:17 must be 0",
		pd);
	/*
	 * When an instruction boundary is blocked (STI/MOV SS shadow, or HLT),
	 * a pending single-step trap must be recorded in BS exactly when
	 * RFLAGS.TF would have raised it, i.e. TF = 1 and not branch-stepping.
	 */
	if ((gs->interruptibility &
	     (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS)) ||
	    gs->activity_state == GUEST_ACTIVITY_HLT) {
		single_step = (gs->rflags & X86_RFLAGS_TF) &&
			      !(gs->ia32_debugctl & DEBUGCTL_BTF);
		REQUIRE(c, !(pd & PENDING_DBG_BS) == !single_step, field,
			"26.3.1.5: BS must be 1 iff RFLAGS.TF = 1 and DEBUGCTL.BTF = 0 while blocked by STI/MOV SS or in HLT",
			pd);
	}
	if (pd & PENDING_DBG_RTM) {
		REQUIRE(c, (pd & ~(PENDING_DBG_RTM | PENDING_DBG_ENABLED_BP)) == 0 &&
			   (pd & PENDING_DBG_ENABLED_BP), field,
			"26.3.1.5: with RTM set, bit 12 must be 1 and bits 11:0 and 15:13 must be 0",
			pd);
		REQUIRE(c, !(gs->interruptibility & GUEST_INTR_STATE_MOV_SS),
			field,
			"26.3.1.5: RTM must be 0 with blocking by MOV SS", pd);
	}
	return 0;
}

/* 26.3.1.5: non-register state. */
static int check_nonregister(const struct ctx *c)
{
	const struct vmx_guest_state *gs = c->gs;

	if (check_activity(c) || check_interruptibility(c) ||
	    check_pending_dbg(c))
		return -EINVAL;
	/*
	 * Any other link pointer must name a VMCS region whose revision ID
	 * matches, which this memory-free check cannot verify; Aperture links
	 * no VMCS (no VMCS shadowing), so it demands the "none" value.
	 */
	REQUIRE(c, gs->vmcs_link_ptr == VMCS_LINK_PTR_NONE,
		"GUEST_VMCS_LINK_PTR",
		"26.3.1.5: VMCS link pointer must be FFFFFFFF_FFFFFFFFH (Aperture links no VMCS)",
		gs->vmcs_link_ptr);
	return 0;
}

/* 26.3.1.6: PDPTEs, consulted only under PAE paging. */
static int check_pdptes(const struct ctx *c)
{
	const struct vmx_guest_state *gs = c->gs;
	u64 rsvd = PDPTE_RESERVED_LOW | c->phys_rsvd;
	int i;

	if (!(gs->cr0 & X86_CR0_PG) || !(gs->cr4 & X86_CR4_PAE) || c->ia32e)
		return 0;
	for (i = 0; i < 4; i++)
		REQUIRE(c, !(gs->pdpte[i] & PTE_P) || !(gs->pdpte[i] & rsvd),
			pdpte_field[i],
			"26.3.1.6: a present PDPTE must have bits 2:1, 8:5 and 63:MAXPHYADDR clear",
			gs->pdpte[i]);
	return 0;
}

int vmx_check_guest_state(const struct vmx_guest_state *gs,
			  const struct vmx_check_caps *caps,
			  struct vmx_check_failure *f)
{
	struct ctx c = {
		.gs = gs,
		.caps = caps,
		.f = f,
		.phys_rsvd = caps->maxphyaddr >= 64 ? 0 :
			     ~0ull << caps->maxphyaddr,
		.la_bits = caps->linear_addr_bits ? caps->linear_addr_bits : 48,
		.ia32e = gs->entry_ctls & VM_ENTRY_IA32E_MODE,
		.unrestricted = (gs->proc_based & CPU_BASED_ACTIVATE_SECONDARY) &&
				(gs->proc_based2 & SECONDARY_UNRESTRICTED_GUEST),
		.v86 = gs->rflags & X86_RFLAGS_VM,
		.inject = gs->entry_intr_info & INTR_INFO_VALID,
		.inject_type = INTR_INFO_TYPE(gs->entry_intr_info),
		.inject_vector = INTR_INFO_VECTOR(gs->entry_intr_info),
	};

	if (check_cr_dr_msr(&c) || check_segments(&c) || check_dtables(&c) ||
	    check_rip_rflags(&c) || check_nonregister(&c) || check_pdptes(&c))
		return -EINVAL;
	return 0;
}
