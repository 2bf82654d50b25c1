// SPDX-License-Identifier: MIT
/*
 * SDM 2 chapter 2: prefixes, REX, opcode, ModRM, SIB, displacement,
 * immediate.  The operand and address sizes follow the code's default
 * and the 0x66/0x67 prefixes (SDM 1 3.6, Table 3-4; SDM 2 2.2.1.2), and
 * ModRM/SIB are decoded into the effective-address computation, so that
 * the emulator knows where an access begins even when the fault it came
 * from names the second page of it.
 */
#include <hv/emul/insn_decode.h>
#include <lib/errno.h>

struct cursor {
	const u8 *p;
	size_t left;
	size_t used;
};

static int next(struct cursor *c, u8 *b)
{
	if (!c->left)
		return -EINVAL;
	*b = *c->p++;
	c->left--;
	c->used++;
	return 0;
}

/* Reads an @n-byte little-endian value, sign-extended if @sext. */
static int read_le(struct cursor *c, unsigned int n, bool sext, u64 *v)
{
	u64 x = 0;

	if (c->left < n)
		return -EINVAL;
	for (unsigned int i = 0; i < n; i++)
		x |= (u64)c->p[i] << (8 * i);
	if (sext && n < 8 && (x >> (8 * n - 1)) & 1)
		x |= ~0ull << (8 * n);
	*v = x;
	c->p += n;
	c->left -= n;
	c->used += n;
	return 0;
}

/* GPR numbers, as in ModRM (SDM 2 Table 2-2). */
enum { R_AX, R_CX, R_DX, R_BX, R_SP, R_BP, R_SI, R_DI };

/* 16-bit addressing: SDM 2 Table 2-1. */
static int modrm16(struct cursor *c, u8 modrm, struct insn_ea *ea)
{
	static const u8 base[8] = { R_BX, R_BX, R_BP, R_BP,
				    INSN_NO_REG, INSN_NO_REG, R_BP, R_BX };
	static const u8 index[8] = { R_SI, R_DI, R_SI, R_DI, R_SI, R_DI,
				     INSN_NO_REG, INSN_NO_REG };
	u8 mod = modrm >> 6, rm = modrm & 7;

	if (mod == 0 && rm == 6)
		return read_le(c, 2, false, &ea->disp);	/* [disp16] */
	ea->base = base[rm];
	ea->index = index[rm];
	if (ea->base == R_BP)
		ea->seg = SEG_SS;	/* SDM 1 3.7.4, Table 3-5 */
	if (mod == 1)
		return read_le(c, 1, true, &ea->disp);
	if (mod == 2)
		return read_le(c, 2, false, &ea->disp);
	return 0;
}

/* 32/64-bit addressing: SDM 2 Tables 2-2 and 2-3, 2.2.1.3 to 2.2.1.6. */
static int modrm32(struct cursor *c, u8 modrm, u8 rex, bool code64,
		   struct insn_ea *ea)
{
	u8 mod = modrm >> 6, rm = modrm & 7, sib;
	u8 rex_x = (rex & 2) ? 8 : 0, rex_b = (rex & 1) ? 8 : 0;
	int ret;

	if (rm == 4) {
		ret = next(c, &sib);
		if (ret)
			return ret;
		ea->scale = sib >> 6;
		/* Index 100b is "none"; REX.X makes it R12 (Table 2-3). */
		if ((((sib >> 3) & 7) | rex_x) != R_SP)
			ea->index = ((sib >> 3) & 7) | rex_x;
		if (mod == 0 && (sib & 7) == 5)
			return read_le(c, 4, true, &ea->disp);
		ea->base = (sib & 7) | rex_b;
	} else if (mod == 0 && rm == 5) {
		/* disp32; RIP-relative in 64-bit code (SDM 2 2.2.1.6). */
		ea->rip_relative = code64;
		return read_le(c, 4, true, &ea->disp);
	} else {
		ea->base = rm | rex_b;
	}
	if (ea->base == R_SP || ea->base == R_BP)
		ea->seg = SEG_SS;	/* SDM 1 3.7.4, Table 3-5 */
	if (mod == 1)
		return read_le(c, 1, true, &ea->disp);
	if (mod == 2)
		return read_le(c, 4, true, &ea->disp);
	return 0;
}

static int modrm_mem(struct cursor *c, u8 modrm, u8 rex, enum insn_mode mode,
		     struct insn_ea *ea)
{
	if (modrm >> 6 == 3)
		return -EOPNOTSUPP;	/* register operand: not memory */
	return ea->addr_size == 2 ? modrm16(c, modrm, ea) :
				    modrm32(c, modrm, rex, mode == INSN_64, ea);
}

static bool seg_prefix(u8 op, enum insn_seg *seg)
{
	switch (op) {
	case 0x26: *seg = SEG_ES; return true;
	case 0x2e: *seg = SEG_CS; return true;
	case 0x36: *seg = SEG_SS; return true;
	case 0x3e: *seg = SEG_DS; return true;
	case 0x64: *seg = SEG_FS; return true;
	case 0x65: *seg = SEG_GS; return true;
	}
	return false;
}

int decode_mov(const u8 *insn, size_t avail, enum insn_mode mode,
	       struct mov_insn *out)
{
	struct cursor c = { .p = insn, .left = MIN(avail, INSN_MAX_LEN) };
	bool opsize_prefix = false, addr_prefix = false, seg_override = false;
	enum insn_seg seg = SEG_DS;
	u8 rex = 0, rex_r, op, modrm;
	u8 opsize;
	int ret;

	*out = (struct mov_insn){ 0 };
	for (;;) {
		ret = next(&c, &op);
		if (ret)
			return ret;
		if (op == 0x66) {
			opsize_prefix = true;
		} else if (op == 0x67) {
			addr_prefix = true;
		} else if (seg_prefix(op, &seg)) {
			seg_override = true;
		} else if (mode == INSN_64 && (op & 0xf0) == 0x40) {
			/* REX counts only right before the opcode (2.2.1). */
			rex = op;
			ret = next(&c, &op);
			if (ret)
				return ret;
			if ((op & 0xf0) == 0x40 || op == 0x66 || op == 0x67 ||
			    seg_prefix(op, &seg))
				return -EOPNOTSUPP;
			break;
		} else {
			break;
		}
	}
	rex_r = (rex & 4) ? 8 : 0;

	/* SDM 1 Table 3-4; SDM 2 2.2.1.2 for 64-bit code. */
	if (rex & 8)
		opsize = 8;
	else if (mode == INSN_16)
		opsize = opsize_prefix ? 4 : 2;
	else
		opsize = opsize_prefix ? 2 : 4;
	switch (mode) {
	case INSN_16:
		out->ea.addr_size = addr_prefix ? 4 : 2;
		break;
	case INSN_32:
		out->ea.addr_size = addr_prefix ? 2 : 4;
		break;
	case INSN_64:
		out->ea.addr_size = addr_prefix ? 4 : 8;
		break;
	}
	out->ea.base = INSN_NO_REG;
	out->ea.index = INSN_NO_REG;
	out->ea.seg = SEG_DS;

	switch (op) {
	case 0x88: case 0x89: case 0x8a: case 0x8b:
		ret = next(&c, &modrm);
		ret = ret ?: modrm_mem(&c, modrm, rex, mode, &out->ea);
		if (ret)
			return ret;
		out->kind = (op & 2) ? MOV_LOAD : MOV_STORE_REG;
		out->size = (op & 1) ? opsize : 1;
		out->dst_size = out->size;
		out->reg = ((modrm >> 3) & 7) | rex_r;
		out->high_byte = out->size == 1 && !rex && out->reg >= 4;
		if (out->high_byte)
			out->reg -= 4;
		break;
	case 0xc6: case 0xc7:
		ret = next(&c, &modrm);
		if (ret)
			return ret;
		if ((modrm >> 3) & 7)
			return -EOPNOTSUPP;
		ret = modrm_mem(&c, modrm, rex, mode, &out->ea);
		if (ret)
			return ret;
		out->kind = MOV_STORE_IMM;
		out->size = op == 0xc6 ? 1 : opsize;
		/* imm32 sign-extends for a 64-bit store (SDM 2 MOV). */
		ret = read_le(&c, out->size == 8 ? 4 : out->size,
			      out->size == 8, &out->imm);
		if (ret)
			return ret;
		break;
	case 0x0f:
		ret = next(&c, &op);
		if (ret)
			return ret;
		if (op != 0xb6 && op != 0xb7)
			return -EOPNOTSUPP;
		ret = next(&c, &modrm);
		ret = ret ?: modrm_mem(&c, modrm, rex, mode, &out->ea);
		if (ret)
			return ret;
		out->kind = MOV_LOAD;
		out->size = op == 0xb6 ? 1 : 2;
		out->dst_size = opsize;
		out->reg = ((modrm >> 3) & 7) | rex_r;
		break;
	case 0xa0: case 0xa1: case 0xa2: case 0xa3:
		/* moffs: an offset of the address size (SDM 2 MOV). */
		ret = read_le(&c, out->ea.addr_size, false, &out->ea.disp);
		if (ret)
			return ret;
		out->kind = (op & 2) ? MOV_STORE_REG : MOV_LOAD;
		out->size = (op & 1) ? opsize : 1;
		out->dst_size = out->size;
		out->reg = R_AX;
		break;
	default:
		return -EOPNOTSUPP;
	}
	if (seg_override)
		out->ea.seg = seg;
	out->len = c.used;
	return 0;
}
