// SPDX-License-Identifier: MIT
#define LOG_SUBSYS "mmio"
#include <hv/emul/insn_decode.h>
#include <hv/emul/emulate.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <hv/memslot/physmap.h>
#include <hv/vm.h>
#include <lib/x86.h>

#define MAX_INSN_LEN	15	/* SDM 2 2.3.11 */
/* Unshadow-and-retry rounds of one instruction before the guest is ended. */
#define UNSHADOW_MAX_REPEATS	8

/*
 * 64-bit code is IA-32e mode with CS.L = 1; compatibility mode (CS.L = 0)
 * decodes as 32-bit code (SDM 3A 3.4.5, SDM 2 2.2.1).
 */
static bool code64(const struct vcpu *vcpu)
{
	return (vcpu->efer & EFER_LMA) &&
	       (vmx_read(VMX_REG_CS_AR) & X86_AR_L);
}

/* Reads instruction bytes at CS:RIP through the guest's own translation. */
static int fetch(struct vcpu *vcpu, u8 *buf, size_t *len)
{
	u64 rip = vmx_read(VMX_REG_CS_BASE) + vmx_read(VMX_REG_RIP);
	size_t got = 0;

	if (!(vcpu->efer & EFER_LMA))
		rip &= 0xffffffffull;
	while (got < MAX_INSN_LEN) {
		size_t chunk = MIN(MAX_INSN_LEN - got,
				   PAGE_SIZE - ((rip + got) & (PAGE_SIZE - 1)));
		gpa_t gpa;

		struct x86_exception exc;

		if (!mmu_gva_to_gpa(&vcpu->mmu, rip + got, PFERR_FETCH, &gpa,
				    &exc) ||
		    physmap_read(&vcpu->vm->pm, gpa, buf + got, chunk))
			break;
		got += chunk;
	}
	*len = got;
	return got ? 0 : -EFAULT;
}

void emulate_dump_code(struct vcpu *vcpu)
{
	u8 code[MAX_INSN_LEN];
	char hex[3 * MAX_INSN_LEN + 1];
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

struct exit_action emulate_mmio(struct vcpu *vcpu, gva_t gva, gpa_t gpa,
				u32 error_code)
{
	struct vm *vm = vcpu->vm;
	u8 code[MAX_INSN_LEN];
	struct mov_insn m;
	u64 val = ~0ull;
	size_t len;

	vm->stats.mmio_exits++;
	if (fetch(vcpu, code, &len) ||
	    decode_mov(code, len, code64(vcpu), &m))
		return act_kill_dump("mmio",
				     "access to unbacked gpa %#lx (gva %#lx, #PF error %#x) by an instruction the MMIO emulator does not handle\n",
				     gpa, gva, error_code);

	if (m.kind == MOV_LOAD) {
		if (m.size < 8)
			val &= (1ull << (8 * m.size)) - 1;
		set_reg(vcpu, &m, val);
		log_debug("guest %s: read %u bytes at unbacked gpa %#lx -> all ones\n",
			  vm->cfg->name, m.size, gpa);
	} else {
		log_debug("guest %s: write of %u bytes to gpa %#lx dropped (no RAM there)\n",
			  vm->cfg->name, m.size, gpa);
	}
	return act_skip(m.len);
}

static u64 get_reg(struct vcpu *vcpu, const struct mov_insn *m)
{
	u64 v = vcpu_read_gpr(vcpu, m->reg);

	return m->high_byte ? (v >> 8) & 0xff : v;
}

/*
 * A write to a guest page table that the shadow MMU write-protected: do
 * the store ourselves, then let the MMU drop the shadow entries the bytes
 * described.  A store we cannot decode falls back to unshadowing the frame
 * and re-running the instruction natively; a guest that keeps doing that
 * at the same RIP (it writes a page table through itself) is ended.
 */
struct exit_action emulate_pt_write(struct vcpu *vcpu, gva_t gva, gpa_t gpa)
{
	struct vm *vm = vcpu->vm;
	struct mmu *mmu = &vm->mmu;
	u8 code[MAX_INSN_LEN];
	struct mov_insn m;
	u64 rip = vmx_read(VMX_REG_RIP);
	u64 val;
	size_t len;

	if (fetch(vcpu, code, &len) ||
	    decode_mov(code, len, code64(vcpu), &m) ||
	    m.kind == MOV_LOAD ||
	    ((gpa & (PAGE_SIZE - 1)) + m.size > PAGE_SIZE)) {
		/*
		 * Only back-to-back refaults of one instruction count: the
		 * same RIP with no other exit since the last unshadow.
		 */
		if (mmu->unshadow_rip == rip &&
		    mmu->unshadow_exit + 1 == vm->stats.exits) {
			if (++mmu->unshadow_repeats > UNSHADOW_MAX_REPEATS)
				return act_kill_dump("ptwrite",
						     "page-table write at gva %#lx (gpa %#lx) cannot be emulated and keeps faulting\n",
						     gva, gpa);
		} else {
			mmu->unshadow_rip = rip;
			mmu->unshadow_repeats = 0;
		}
		mmu->unshadow_exit = vm->stats.exits;
		mmu_unshadow(mmu, gpa >> PAGE_SHIFT);
		return act_resume();
	}
	mmu->unshadow_repeats = 0;
	val = m.kind == MOV_STORE_IMM ? m.imm : get_reg(vcpu, &m);
	/* Little-endian: the low m.size bytes of val are the stored bytes. */
	if (physmap_write(&vm->pm, gpa, &val, m.size))
		return act_kill("ptwrite", "page-table write to gpa %#lx failed\n",
				gpa);
	mmu_pt_written(mmu, gpa, m.size);
	return act_skip(m.len);
}
