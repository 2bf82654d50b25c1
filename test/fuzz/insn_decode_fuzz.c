// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the MMIO decoder (hv/emul/insn_decode.c), which
 * reads bytes a guest chose.  The first input byte picks the code's mode;
 * the rest are the instruction bytes, copied into a buffer of exactly
 * that size so that ASan catches a read past @avail.  Checked: the result
 * is 0, -EINVAL or -EOPNOTSUPP; a decoded instruction is 1..15 bytes
 * (SDM 2 2.3.11) and within @avail, its fields are in range for the mode,
 * and it decodes the same from exactly its own bytes, while one byte
 * fewer is a truncation (-EINVAL): the decoder looks at nothing past the
 * instruction.
 *
 *	make BUILD=build build/fuzz/insn_decode_fuzz
 *	build/fuzz/insn_decode_fuzz -runs=1000000 -seed=1
 */
#include <hv/emul/insn_decode.h>
#include <lib/errno.h>
#include <lib/string.h>
#include <stdlib.h>

#define fuzz_assert(c)	do { if (!(c)) __builtin_trap(); } while (0)

static bool is_size(unsigned int n)
{
	return n == 1 || n == 2 || n == 4 || n == 8;
}

static bool is_gpr(u8 r, enum insn_mode mode)
{
	return r == INSN_NO_REG || r < (mode == INSN_64 ? 16 : 8);
}

static bool same(const struct mov_insn *a, const struct mov_insn *b)
{
	return a->kind == b->kind && a->len == b->len && a->size == b->size &&
	       a->reg == b->reg && a->high_byte == b->high_byte &&
	       a->dst_size == b->dst_size && a->imm == b->imm &&
	       a->ea.addr_size == b->ea.addr_size &&
	       a->ea.base == b->ea.base && a->ea.index == b->ea.index &&
	       a->ea.scale == b->ea.scale &&
	       a->ea.rip_relative == b->ea.rip_relative &&
	       a->ea.seg == b->ea.seg && a->ea.disp == b->ea.disp;
}

static void check_fields(const struct mov_insn *m, size_t avail,
			 enum insn_mode mode)
{
	const struct insn_ea *ea = &m->ea;

	fuzz_assert(m->len >= 1 && m->len <= INSN_MAX_LEN && m->len <= avail);
	fuzz_assert(m->kind == MOV_LOAD || m->kind == MOV_STORE_REG ||
		    m->kind == MOV_STORE_IMM);
	fuzz_assert(is_size(m->size));
	if (m->kind == MOV_LOAD)
		fuzz_assert(is_size(m->dst_size) && m->dst_size >= m->size);
	if (m->kind != MOV_STORE_IMM)
		fuzz_assert(m->reg < (mode == INSN_64 ? 16 : 8));
	if (m->high_byte)
		fuzz_assert(m->size == 1 && m->reg < 4);
	if (m->size < 8 && m->kind == MOV_STORE_IMM)
		fuzz_assert(m->imm >> (8 * m->size) == 0);

	fuzz_assert(ea->addr_size == 2 || ea->addr_size == 4 ||
		    ea->addr_size == 8);
	fuzz_assert(mode == INSN_64 ? ea->addr_size != 2 :
				      ea->addr_size != 8);
	fuzz_assert(is_gpr(ea->base, mode) && is_gpr(ea->index, mode));
	fuzz_assert(ea->index != 4);	/* SIB index 100b is "none" */
	fuzz_assert(ea->scale <= 3);
	fuzz_assert(ea->seg <= SEG_GS);
	if (ea->rip_relative)
		fuzz_assert(mode == INSN_64 && ea->base == INSN_NO_REG &&
			    ea->index == INSN_NO_REG);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static const enum insn_mode modes[] = { INSN_16, INSN_32, INSN_64 };
	struct mov_insn m, again;
	enum insn_mode mode;
	size_t avail;
	u8 *buf;
	int ret;

	if (!size)
		return 0;
	mode = modes[data[0] % 3];
	avail = size - 1;
	/* Exactly @avail bytes: one more read is a heap overflow. */
	buf = malloc(avail ? avail : 1);
	fuzz_assert(buf);
	memcpy(buf, data + 1, avail);

	ret = decode_mov(buf, avail, mode, &m);
	fuzz_assert(ret == 0 || ret == -EINVAL || ret == -EOPNOTSUPP);
	if (ret == 0) {
		check_fields(&m, avail, mode);
		fuzz_assert(decode_mov(buf, m.len, mode, &again) == 0);
		fuzz_assert(same(&m, &again));
		fuzz_assert(decode_mov(buf, m.len - 1, mode, &again) ==
			    -EINVAL);
	}
	free(buf);
	return 0;
}
