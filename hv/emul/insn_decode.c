// SPDX-License-Identifier: MIT
/*
 * SDM 2 chapter 2: prefixes, REX, opcode, ModRM, SIB, displacement,
 * immediate.  Only the length-relevant parts of ModRM/SIB matter here: the
 * address itself comes from the fault, not from the operands.
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

static int skip(struct cursor *c, size_t n)
{
	if (c->left < n)
		return -EINVAL;
	c->p += n;
	c->left -= n;
	c->used += n;
	return 0;
}

static int read_imm(struct cursor *c, unsigned int n, u64 *v)
{
	u64 x = 0;

	if (c->left < n)
		return -EINVAL;
	for (unsigned int i = 0; i < n; i++)
		x |= (u64)c->p[i] << (8 * i);
	*v = x;
	return skip(c, n);
}

/* 32/64-bit addressing: SDM 2 Tables 2-2 and 2-3. */
static int skip_modrm(struct cursor *c, u8 modrm)
{
	u8 mod = modrm >> 6, rm = modrm & 7, sib;
	int ret;

	if (mod == 3)
		return -EOPNOTSUPP;	/* register operand: not memory */
	if (rm == 4) {
		ret = next(c, &sib);
		if (ret)
			return ret;
		if (mod == 0 && (sib & 7) == 5)
			return skip(c, 4);
	}
	if (mod == 0 && rm == 5)
		return skip(c, 4);	/* disp32 (RIP-relative in 64-bit) */
	if (mod == 1)
		return skip(c, 1);
	if (mod == 2)
		return skip(c, 4);
	return 0;
}

int decode_mov(const u8 *insn, size_t avail, bool long_mode,
	       struct mov_insn *out)
{
	struct cursor c = { .p = insn, .left = avail };
	bool opsize16 = false, rex_w = false, rex = false, addr32 = false;
	u8 rex_r = 0, op, modrm;
	u8 opsize;
	int ret;

	*out = (struct mov_insn){ 0 };
	for (;;) {
		ret = next(&c, &op);
		if (ret)
			return ret;
		if (op == 0x66) {
			opsize16 = true;
		} else if (op == 0x67) {
			/*
			 * 32-bit code: switches to 16-bit addressing, whose
			 * ModRM forms differ.  64-bit code: 32-bit addressing,
			 * encoded like 64-bit (SDM 2 2.2.1.1).
			 */
			if (!long_mode)
				return -EOPNOTSUPP;
			addr32 = true;
		} else if (op == 0x2e || op == 0x36 || op == 0x3e ||
			   op == 0x26 || op == 0x64 || op == 0x65) {
			continue;		/* segment overrides */
		} else if (long_mode && (op & 0xf0) == 0x40) {
			rex = true;
			rex_w = op & 8;
			rex_r = (op & 4) ? 8 : 0;
			ret = next(&c, &op);
			if (ret)
				return ret;
			break;
		} else {
			break;
		}
	}
	opsize = rex_w ? 8 : opsize16 ? 2 : 4;

	switch (op) {
	case 0x88: case 0x89: case 0x8a: case 0x8b:
		ret = next(&c, &modrm);
		ret = ret ?: skip_modrm(&c, modrm);
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
		ret = skip_modrm(&c, modrm);
		if (ret)
			return ret;
		out->kind = MOV_STORE_IMM;
		out->size = op == 0xc6 ? 1 : opsize;
		/* imm32 sign-extends for a 64-bit store (SDM 2 MOV). */
		ret = read_imm(&c, out->size == 8 ? 4 : out->size, &out->imm);
		if (ret)
			return ret;
		if (out->size == 8)
			out->imm = (u64)(s64)(s32)out->imm;
		break;
	case 0x0f:
		ret = next(&c, &op);
		if (ret)
			return ret;
		if (op != 0xb6 && op != 0xb7)
			return -EOPNOTSUPP;
		ret = next(&c, &modrm);
		ret = ret ?: skip_modrm(&c, modrm);
		if (ret)
			return ret;
		out->kind = MOV_LOAD;
		out->size = op == 0xb6 ? 1 : 2;
		out->dst_size = opsize;
		out->reg = ((modrm >> 3) & 7) | rex_r;
		break;
	case 0xa0: case 0xa1: case 0xa2: case 0xa3:
		ret = skip(&c, long_mode && !addr32 ? 8 : 4);
		if (ret)
			return ret;
		out->kind = (op & 2) ? MOV_STORE_REG : MOV_LOAD;
		out->size = (op & 1) ? opsize : 1;
		out->dst_size = out->size;
		out->reg = 0;
		break;
	default:
		return -EOPNOTSUPP;
	}
	out->len = c.used;
	return 0;
}
