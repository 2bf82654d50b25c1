// SPDX-License-Identifier: MIT
#define LOG_SUBSYS "mmio"
#include <hv/emul/insn_decode.h>
#include <hv/dev/platform.h>
#include <hv/emul/emulate.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <lib/string.h>
#include <hv/memslot/physmap.h>
#include <hv/vm.h>
#include <lib/x86.h>

/*
 * Unshadow-and-retry rounds of one instruction before the guest is ended,
 * and how close (in exits) two rounds must be to count as one instruction
 * that never retires.
 */
#define UNSHADOW_MAX_REPEATS	4
#define UNSHADOW_WINDOW		4

/*
 * The code the guest runs: 64-bit code is IA-32e mode with CS.L = 1;
 * otherwise (protected or compatibility mode) CS.D picks 32- or 16-bit
 * code (SDM 3A 3.4.5, SDM 1 3.6, SDM 2 2.2.1).
 */
static enum insn_mode code_mode(const struct vcpu *vcpu)
{
	u64 ar = vmx_read(VMX_REG_CS_AR);

	if ((vcpu->efer & EFER_LMA) && (ar & X86_AR_L))
		return INSN_64;
	return (ar & X86_AR_DB) ? INSN_32 : INSN_16;
}

/* Linear addresses are 32 bits outside IA-32e mode (SDM 3A 4.1.1, Table 4-1). */
static u64 linear_mask(const struct vcpu *vcpu)
{
	return (vcpu->efer & EFER_LMA) ? ~0ull : 0xffffffffull;
}

/* Reads instruction bytes at CS:RIP through the guest's own translation. */
static int fetch(struct vcpu *vcpu, u8 *buf, size_t *len)
{
	u64 rip = vmx_read(VMX_REG_CS_BASE) + vmx_read(VMX_REG_RIP);
	size_t got = 0;

	rip &= linear_mask(vcpu);
	while (got < INSN_MAX_LEN) {
		size_t chunk = MIN(INSN_MAX_LEN - got,
				   PAGE_SIZE - ((rip + got) & (PAGE_SIZE - 1)));
		struct x86_exception exc;
		gpa_t gpa;

		/* 32-bit code wraps at 4 GiB, like every linear address. */
		if (!mmu_gva_to_gpa(&vcpu->mmu,
				    (rip + got) & linear_mask(vcpu), PFERR_FETCH,
				    &gpa, &exc) ||
		    physmap_read(&vcpu->vm->pm, gpa, buf + got, chunk))
			break;
		got += chunk;
	}
	*len = got;
	return got ? 0 : -EFAULT;
}

void emulate_dump_code(struct vcpu *vcpu)
{
	u8 code[INSN_MAX_LEN];
	char hex[3 * INSN_MAX_LEN + 1];
	static const char digits[] = "0123456789abcdef";
	size_t len, i;

	if (fetch(vcpu, code, &len)) {
		log_err("code at RIP: not readable\n");
		return;
	}
	for (i = 0; i < len; i++) {
		hex[3 * i] = digits[code[i] >> 4];
		hex[3 * i + 1] = digits[code[i] & 0xf];
		hex[3 * i + 2] = ' ';
	}
	hex[3 * len] = '\0';
	log_err("code at RIP: %s\n", hex);
}

static void set_reg(struct vcpu *vcpu, const struct mov_insn *m, u64 val)
{
	u64 old = vcpu_read_gpr(vcpu, m->reg);
	u64 new;

	if (m->high_byte)
		new = (old & ~0xff00ull) | ((val & 0xff) << 8);
	else if (m->dst_size == 1)
		new = (old & ~0xffull) | (val & 0xff);
	else if (m->dst_size == 2)
		new = (old & ~0xffffull) | (val & 0xffff);
	else if (m->dst_size == 4)
		new = val & 0xffffffffull;	/* zero-extends (SDM 1 3.4.1.1) */
	else
		new = val;
	vcpu_write_gpr(vcpu, m->reg, new);
}

static u64 get_reg(struct vcpu *vcpu, const struct mov_insn *m)
{
	u64 v = vcpu_read_gpr(vcpu, m->reg);

	return m->high_byte ? (v >> 8) & 0xff : v;
}

/*
 * The segment base the operand's linear address starts from.  In 64-bit
 * code only FS and GS have one (SDM 3A 3.4.4); elsewhere the VMX layer
 * gives us CS, FS and GS, and DS, ES and SS are taken as flat (base 0),
 * which split() checks against the fault's own address.
 */
static u64 seg_base(enum insn_mode mode, enum insn_seg seg)
{
	switch (seg) {
	case SEG_FS:
		return vmx_read(VMX_REG_FS_BASE);
	case SEG_GS:
		return vmx_read(VMX_REG_GS_BASE);
	case SEG_CS:
		return mode == INSN_64 ? 0 : vmx_read(VMX_REG_CS_BASE);
	default:
		return 0;
	}
}

/* The linear address of the memory operand (SDM 1 3.7.5, SDM 3A 3.4). */
static u64 operand_linear(struct vcpu *vcpu, const struct mov_insn *m,
			  enum insn_mode mode)
{
	const struct insn_ea *ea = &m->ea;
	u64 addr = ea->disp;

	if (ea->rip_relative)
		addr += vmx_read(VMX_REG_RIP) + m->len;
	if (ea->base != INSN_NO_REG)
		addr += vcpu_read_gpr(vcpu, ea->base);
	if (ea->index != INSN_NO_REG)
		addr += vcpu_read_gpr(vcpu, ea->index) << ea->scale;
	if (ea->addr_size < 8)
		addr &= (1ull << (8 * ea->addr_size)) - 1;
	return (seg_base(mode, ea->seg) + addr) & linear_mask(vcpu);
}

/* One page's share of an access. */
struct piece {
	gpa_t gpa;
	unsigned int off, len;		/* within the access */
};

/*
 * Splits the m->size-byte access of @m at the page boundaries it crosses
 * (at most one: m->size <= 8) and translates each part through the
 * guest's paging; the page of @gva (the fault's CR2) is the one the MMU
 * already translated to @gpa.  Returns the number of pieces, or 0 with
 * *exc the fault the guest's own translation of a part raises.
 */
static unsigned int split(struct vcpu *vcpu, const struct mov_insn *m,
			  enum insn_mode mode, gva_t gva, gpa_t gpa,
			  struct piece p[2], struct x86_exception *exc)
{
	u64 lin = operand_linear(vcpu, m, mode);
	u32 pf_access = m->kind == MOV_LOAD ? 0 : PFERR_WRITE;
	unsigned int n = 0, done = 0;

	/*
	 * The fault's address lies inside the access.  If it does not, the
	 * operand's segment has a base we were not given: fall back to an
	 * access that starts at the fault's address.
	 */
	if (gva - lin >= m->size)
		lin = gva;
	if (vmx_guest_cpl() == 3)
		pf_access |= PFERR_USER;
	while (done < m->size) {
		u64 at = (lin + done) & linear_mask(vcpu);
		unsigned int len = MIN(m->size - done,
				       PAGE_SIZE - (at & (PAGE_SIZE - 1)));

		if ((at >> PAGE_SHIFT) == (gva >> PAGE_SHIFT))
			p[n].gpa = (gpa & ~(u64)(PAGE_SIZE - 1)) |
				   (at & (PAGE_SIZE - 1));
		else if (!mmu_gva_to_gpa(&vcpu->mmu, at, pf_access,
					 &p[n].gpa, exc))
			return 0;
		p[n].off = done;
		p[n].len = len;
		n++;
		done += len;
	}
	return n;
}

/*
 * Does the load or store of @m on its pieces, each against its own
 * backing: RAM is read or written (and a written piece that is a
 * shadowed guest page table drops the shadow entries it described);
 * memory with nothing behind it reads all ones and drops stores, like an
 * empty bus.
 */
static void access_pieces(struct vcpu *vcpu, const struct mov_insn *m,
			  const struct piece *p, unsigned int n)
{
	struct vm *vm = vcpu->vm;
	u8 buf[8];
	u64 val;

	if (m->kind == MOV_LOAD) {
		for (unsigned int i = 0; i < n; i++) {
			if (physmap_read(&vm->pm, p[i].gpa, buf + p[i].off,
					 p[i].len) &&
			    !platform_mmio_read(vcpu, p[i].gpa,
						buf + p[i].off, p[i].len))
				memset(buf + p[i].off, 0xff, p[i].len);
		}
		val = 0;
		memcpy(&val, buf, m->size);	/* little-endian */
		set_reg(vcpu, m, val);
		return;
	}
	val = m->kind == MOV_STORE_IMM ? m->imm : get_reg(vcpu, m);
	memcpy(buf, &val, sizeof(buf));		/* the low m->size bytes */
	for (unsigned int i = 0; i < n; i++) {
		if (physmap_write(&vm->pm, p[i].gpa, buf + p[i].off,
				  p[i].len)) {
			if (platform_mmio_write(vcpu, p[i].gpa, buf + p[i].off,
						p[i].len))
				continue;
			log_debug("guest %s: write of %u bytes to gpa %#lx dropped (no RAM there)\n",
				  vm->cfg->name, p[i].len, p[i].gpa);
			continue;
		}
		if (mmu_guest_written(&vm->mmu, p[i].gpa, p[i].len))
			vm->stats.pt_writes_emulated++;
	}
}

struct exit_action emulate_mmio(struct vcpu *vcpu, gva_t gva, gpa_t gpa,
				u32 error_code)
{
	struct vm *vm = vcpu->vm;
	enum insn_mode mode = code_mode(vcpu);
	u8 code[INSN_MAX_LEN];
	struct x86_exception exc;
	struct piece p[2];
	struct mov_insn m;
	unsigned int n;
	size_t len;

	vm->stats.mmio_exits++;
	if (fetch(vcpu, code, &len) || decode_mov(code, len, mode, &m))
		return act_kill_dump("mmio",
				     "access to unbacked gpa %#lx (gva %#lx, #PF error %#x) by an instruction the MMIO emulator does not handle\n",
				     gpa, gva, error_code);
	n = split(vcpu, &m, mode, gva, gpa, p, &exc);
	if (!n)
		return act_inject(exc);
	log_debug("guest %s: %s of %u bytes at unbacked gpa %#lx\n",
		  vm->cfg->name, m.kind == MOV_LOAD ? "read" : "write",
		  m.size, gpa);
	access_pieces(vcpu, &m, p, n);
	return act_skip(m.len);
}

/*
 * Counts an unshadow as a repeat when it is of the same frame, at the same
 * RIP, within UNSHADOW_WINDOW exits of the last one.  Not "back to back":
 * a write into a page table the guest maps through itself alternates
 * with the refault that re-shadows the table on the way to the leaf, and
 * that pair repeats forever without the instruction ever retiring.
 */
bool emulate_unshadow(struct vcpu *vcpu, gpa_t gpa)
{
	struct vm *vm = vcpu->vm;
	struct mmu *mmu = &vm->mmu;
	u64 rip = vmx_read(VMX_REG_RIP);
	gfn_t gfn = gpa >> PAGE_SHIFT;

	if (mmu->unshadow_rip == rip && mmu->unshadow_gfn == gfn &&
	    mmu->unshadow_exit + UNSHADOW_WINDOW >= vm->stats.exits) {
		if (++mmu->unshadow_repeats > UNSHADOW_MAX_REPEATS)
			return false;
	} else {
		mmu->unshadow_rip = rip;
		mmu->unshadow_gfn = gfn;
		mmu->unshadow_repeats = 0;
	}
	mmu->unshadow_exit = vm->stats.exits;
	mmu_unshadow(mmu, gfn);
	return true;
}

/*
 * A write to a guest page table that the shadow MMU write-protected: do
 * the store ourselves, then let the MMU drop the shadow entries the bytes
 * described; a store that crosses into the next page does each part
 * against its own page (RAM, another page table, or nothing).  A store we
 * cannot decode falls back to unshadowing the frame and re-running the
 * instruction natively; a guest that keeps doing that at the same RIP (it
 * writes a page table through itself) is ended.
 */
struct exit_action emulate_pt_write(struct vcpu *vcpu, gva_t gva, gpa_t gpa)
{
	enum insn_mode mode = code_mode(vcpu);
	u8 code[INSN_MAX_LEN];
	struct x86_exception exc;
	struct piece p[2];
	struct mov_insn m;
	unsigned int n;
	size_t len;

	if (fetch(vcpu, code, &len) || decode_mov(code, len, mode, &m) ||
	    m.kind == MOV_LOAD) {
		if (!emulate_unshadow(vcpu, gpa))
			return act_kill_dump("ptwrite",
					     "page-table write at gva %#lx (gpa %#lx) cannot be emulated and keeps faulting\n",
					     gva, gpa);
		return act_resume();
	}
	vcpu->vm->mmu.unshadow_repeats = 0;
	n = split(vcpu, &m, mode, gva, gpa, p, &exc);
	if (!n)
		return act_inject(exc);
	access_pieces(vcpu, &m, p, n);
	return act_skip(m.len);
}
