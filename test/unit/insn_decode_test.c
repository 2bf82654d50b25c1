// SPDX-License-Identifier: MIT
/*
 * MMIO decoder: hand-assembled MOV encodings (SDM 2 chapter 2 and the MOV,
 * MOVZX pages), checking every field of the result and the length, with
 * trailing garbage after each instruction so that a length error shows;
 * in 16-, 32- and 64-bit code, and the effective-address computation.
 */
#define UNIT_SUITE "decode"
#include "unit.h"

#include <hv/emul/insn_decode.h>
#include <lib/errno.h>
#include <lib/string.h>

#define LM	INSN_64
#define PM	INSN_32
#define C16	INSN_16

struct want {
	enum mov_kind kind;
	u8 len, size, dst_size, reg;
	bool high_byte;
	u64 imm;
};

/*
 * Decodes @n bytes followed by filler, so the decoder has more than it
 * needs and must stop on its own.  Every field is compared.
 */
static void expect(const u8 *insn, size_t n, enum insn_mode lm,
		   struct want w)
{
	u8 tmp[32];
	struct mov_insn m;
	int ret;

	memcpy(tmp, insn, n);
	memset(tmp + n, 0xcc, sizeof(tmp) - n);
	memset(&m, 0x5a, sizeof(m));
	ret = decode_mov(tmp, sizeof(tmp), lm, &m);
	CHECK_EQ(ret, 0);
	CHECK_EQ(m.kind, w.kind);
	CHECK_EQ(m.len, w.len);
	CHECK_EQ(m.size, w.size);
	CHECK_EQ(m.dst_size, w.dst_size);
	CHECK_EQ(m.reg, w.reg);
	CHECK_EQ(m.high_byte, w.high_byte);
	CHECK_EQ(m.imm, w.imm);
	/* Exactly len bytes suffice; one fewer is a truncation. */
	CHECK_EQ(decode_mov(insn, n, lm, &m), 0);
	CHECK_EQ(decode_mov(insn, n - 1, lm, &m), -EINVAL);
}

static void expect_err(const u8 *insn, size_t n, enum insn_mode lm, int err)
{
	struct mov_insn m;

	CHECK_EQ(decode_mov(insn, n, lm, &m), err);
}

#define EXPECT(lm, w, ...)						\
	do {								\
		static const u8 _b[] = { __VA_ARGS__ };			\
		expect(_b, sizeof(_b), lm, (struct want)w);		\
	} while (0)

#define EXPECT_ERR(lm, err, ...)					\
	do {								\
		static const u8 _b[] = { __VA_ARGS__ };			\
		expect_err(_b, sizeof(_b), lm, err);			\
	} while (0)

#define W(k, l, s, d, r, ...)						\
	{ .kind = k, .len = l, .size = s, .dst_size = d, .reg = r,	\
	  __VA_ARGS__ }

static void test_mov_store_reg(void)
{
	/* mov [rax], ecx */
	EXPECT(PM, W(MOV_STORE_REG, 2, 4, 4, 1), 0x89, 0x08);
	/* mov [rax], rcx */
	EXPECT(LM, W(MOV_STORE_REG, 3, 8, 8, 1), 0x48, 0x89, 0x08);
	/* mov [rax], r9d (REX.R) */
	EXPECT(LM, W(MOV_STORE_REG, 3, 4, 4, 9), 0x44, 0x89, 0x08);
	/* mov [rax], r15 (REX.WR) */
	EXPECT(LM, W(MOV_STORE_REG, 3, 8, 8, 15), 0x4c, 0x89, 0x38);
	/* mov [eax], cx */
	EXPECT(PM, W(MOV_STORE_REG, 3, 2, 2, 1), 0x66, 0x89, 0x08);
	/* REX.W wins over 0x66: mov [rax], rdx */
	EXPECT(LM, W(MOV_STORE_REG, 4, 8, 8, 2), 0x66, 0x48, 0x89, 0x10);
}

static void test_mov_load(void)
{
	/* mov edx, [rbx] */
	EXPECT(PM, W(MOV_LOAD, 2, 4, 4, 2), 0x8b, 0x13);
	/* mov rdi, [rsi] */
	EXPECT(LM, W(MOV_LOAD, 3, 8, 8, 7), 0x48, 0x8b, 0x3e);
	/* mov r12w, [rax] */
	EXPECT(LM, W(MOV_LOAD, 4, 2, 2, 12), 0x66, 0x44, 0x8b, 0x20);
}

static void test_byte_regs(void)
{
	/* mov [eax], cl / al */
	EXPECT(PM, W(MOV_STORE_REG, 2, 1, 1, 1), 0x88, 0x08);
	EXPECT(PM, W(MOV_STORE_REG, 2, 1, 1, 0), 0x88, 0x00);
	/* mov [eax], ah/ch/dh/bh: reg fields 4..7 without REX */
	EXPECT(PM, W(MOV_STORE_REG, 2, 1, 1, 0, .high_byte = true), 0x88, 0x20);
	EXPECT(PM, W(MOV_STORE_REG, 2, 1, 1, 1, .high_byte = true), 0x88, 0x28);
	EXPECT(PM, W(MOV_STORE_REG, 2, 1, 1, 2, .high_byte = true), 0x88, 0x30);
	EXPECT(PM, W(MOV_STORE_REG, 2, 1, 1, 3, .high_byte = true), 0x88, 0x38);
	/* mov bh, [eax]; the same in long mode without REX */
	EXPECT(PM, W(MOV_LOAD, 2, 1, 1, 3, .high_byte = true), 0x8a, 0x38);
	EXPECT(LM, W(MOV_LOAD, 2, 1, 1, 0, .high_byte = true), 0x8a, 0x20);
	/* Any REX turns 4..7 into SPL/BPL/SIL/DIL. */
	EXPECT(LM, W(MOV_STORE_REG, 3, 1, 1, 4), 0x40, 0x88, 0x20);
	EXPECT(LM, W(MOV_LOAD, 3, 1, 1, 7), 0x40, 0x8a, 0x38);
	/* REX.R: r8b..r15b */
	EXPECT(LM, W(MOV_STORE_REG, 3, 1, 1, 12), 0x44, 0x88, 0x20);
	/* A 32-bit store of reg 4 is ESP, never a high byte. */
	EXPECT(PM, W(MOV_STORE_REG, 2, 4, 4, 4), 0x89, 0x20);
}

static void test_mov_imm(void)
{
	/* mov byte [eax], 0x7f */
	EXPECT(PM, W(MOV_STORE_IMM, 3, 1, 0, 0, .imm = 0x7f), 0xc6, 0x00, 0x7f);
	/* mov byte [eax], 0xff: a byte store does not sign-extend */
	EXPECT(LM, W(MOV_STORE_IMM, 3, 1, 0, 0, .imm = 0xff), 0xc6, 0x00, 0xff);
	/* mov dword [eax], 0x12345678 */
	EXPECT(PM, W(MOV_STORE_IMM, 6, 4, 0, 0, .imm = 0x12345678),
	       0xc7, 0x00, 0x78, 0x56, 0x34, 0x12);
	/* mov dword [eax], 0x80000000: stays 32 bits */
	EXPECT(LM, W(MOV_STORE_IMM, 6, 4, 0, 0, .imm = 0x80000000),
	       0xc7, 0x00, 0x00, 0x00, 0x00, 0x80);
	/* mov word [eax], 0xbeef: 0x66 shrinks the immediate to 16 bits */
	EXPECT(PM, W(MOV_STORE_IMM, 5, 2, 0, 0, .imm = 0xbeef),
	       0x66, 0xc7, 0x00, 0xef, 0xbe);
	/* mov qword [rax], -2: imm32 sign-extended */
	EXPECT(LM, W(MOV_STORE_IMM, 7, 8, 0, 0, .imm = 0xfffffffffffffffeull),
	       0x48, 0xc7, 0x00, 0xfe, 0xff, 0xff, 0xff);
	/* mov qword [rax], 0x7fffffff: positive, no extension */
	EXPECT(LM, W(MOV_STORE_IMM, 7, 8, 0, 0, .imm = 0x7fffffff),
	       0x48, 0xc7, 0x00, 0xff, 0xff, 0xff, 0x7f);
	/* mov dword [ebx + 0x10], 1: disp8 before the immediate */
	EXPECT(PM, W(MOV_STORE_IMM, 7, 4, 0, 0, .imm = 1),
	       0xc7, 0x43, 0x10, 0x01, 0x00, 0x00, 0x00);
	/* C6/C7 with reg field != 0 is not MOV. */
	EXPECT_ERR(PM, -EOPNOTSUPP, 0xc7, 0x08, 0, 0, 0, 0);
	EXPECT_ERR(PM, -EOPNOTSUPP, 0xc6, 0x38, 0);
}

static void test_movzx(void)
{
	/* movzx eax, byte [ecx] */
	EXPECT(PM, W(MOV_LOAD, 3, 1, 4, 0), 0x0f, 0xb6, 0x01);
	/* movzx edx, word [ecx] */
	EXPECT(PM, W(MOV_LOAD, 3, 2, 4, 2), 0x0f, 0xb7, 0x11);
	/* movzx ax, byte [ecx] */
	EXPECT(PM, W(MOV_LOAD, 4, 1, 2, 0), 0x66, 0x0f, 0xb6, 0x01);
	/* movzx r10, word [rcx]; no high-byte destination exists */
	EXPECT(LM, W(MOV_LOAD, 4, 2, 8, 10), 0x4c, 0x0f, 0xb7, 0x11);
	EXPECT(PM, W(MOV_LOAD, 3, 1, 4, 4), 0x0f, 0xb6, 0x21);
	/* 0F BE (movsx) and other 0F opcodes are not handled. */
	EXPECT_ERR(PM, -EOPNOTSUPP, 0x0f, 0xbe, 0x01);
	EXPECT_ERR(PM, -EOPNOTSUPP, 0x0f, 0x0b);
}

static void test_moffs(void)
{
	/* mov al, [moffs32] */
	EXPECT(PM, W(MOV_LOAD, 5, 1, 1, 0), 0xa0, 0x00, 0x10, 0x00, 0x00);
	/* mov eax, [moffs32] */
	EXPECT(PM, W(MOV_LOAD, 5, 4, 4, 0), 0xa1, 0x00, 0x10, 0x00, 0x00);
	/* mov [moffs32], al / ax */
	EXPECT(PM, W(MOV_STORE_REG, 5, 1, 1, 0), 0xa2, 1, 2, 3, 4);
	EXPECT(PM, W(MOV_STORE_REG, 6, 2, 2, 0), 0x66, 0xa3, 1, 2, 3, 4);
	/* Long mode: moffs64 */
	EXPECT(LM, W(MOV_LOAD, 9, 4, 4, 0), 0xa1, 1, 2, 3, 4, 5, 6, 7, 8);
	EXPECT(LM, W(MOV_STORE_REG, 10, 8, 8, 0),
	       0x48, 0xa3, 1, 2, 3, 4, 5, 6, 7, 8);
	EXPECT(LM, W(MOV_LOAD, 9, 1, 1, 0), 0xa0, 1, 2, 3, 4, 5, 6, 7, 8);
}

static void test_addressing_lengths(void)
{
	/* mov [eax + 0x12], ecx: disp8 */
	EXPECT(PM, W(MOV_STORE_REG, 3, 4, 4, 1), 0x89, 0x48, 0x12);
	/* mov [eax + 0x12345678], ecx: disp32 */
	EXPECT(PM, W(MOV_STORE_REG, 6, 4, 4, 1), 0x89, 0x88, 1, 2, 3, 4);
	/* mov [disp32], ecx (mod 0, rm 5) */
	EXPECT(PM, W(MOV_STORE_REG, 6, 4, 4, 1), 0x89, 0x0d, 1, 2, 3, 4);
	/* mov [eax + ebx*4], ecx: SIB, no disp */
	EXPECT(PM, W(MOV_STORE_REG, 3, 4, 4, 1), 0x89, 0x0c, 0x98);
	/* mov [esp], ecx: SIB with base esp */
	EXPECT(PM, W(MOV_STORE_REG, 3, 4, 4, 1), 0x89, 0x0c, 0x24);
	/* mov [ebx*4 + disp32], ecx: SIB base 5 with mod 0 */
	EXPECT(PM, W(MOV_STORE_REG, 7, 4, 4, 1), 0x89, 0x0c, 0x9d, 1, 2, 3, 4);
	/* mov [ebp + ebx*4 + 8], ecx: SIB base 5 with mod 1 is disp8 */
	EXPECT(PM, W(MOV_STORE_REG, 4, 4, 4, 1), 0x89, 0x4c, 0x9d, 0x08);
	/* mov [esp + 0x100], ecx: SIB + disp32 */
	EXPECT(PM, W(MOV_STORE_REG, 7, 4, 4, 1), 0x89, 0x8c, 0x24, 0, 1, 0, 0);
	/* mov [ebp], ecx must be encoded mod 1 disp8 0 */
	EXPECT(PM, W(MOV_STORE_REG, 3, 4, 4, 1), 0x89, 0x4d, 0x00);
	/* mov ecx, [rip + disp32] */
	EXPECT(LM, W(MOV_LOAD, 6, 4, 4, 1), 0x8b, 0x0d, 0x10, 0, 0, 0);
	/* mov dword [rip + disp32], imm32: disp then imm */
	EXPECT(LM, W(MOV_STORE_IMM, 10, 4, 0, 0, .imm = 0xaabbccdd),
	       0xc7, 0x05, 1, 2, 3, 4, 0xdd, 0xcc, 0xbb, 0xaa);
	/* mov [r12 + r13*8 + disp8], rax: REX.WXB only changes registers */
	EXPECT(LM, W(MOV_STORE_REG, 5, 8, 8, 0), 0x4b, 0x89, 0x44, 0xec, 0x08);
}

static void test_prefixes(void)
{
	/* mov fs:[eax], ecx; gs: in long mode */
	EXPECT(PM, W(MOV_STORE_REG, 3, 4, 4, 1), 0x64, 0x89, 0x08);
	EXPECT(LM, W(MOV_LOAD, 4, 8, 8, 0), 0x65, 0x48, 0x8b, 0x00);
	/* Every segment override, stacked with 0x66. */
	EXPECT(PM, W(MOV_STORE_REG, 9, 2, 2, 1),
	       0x2e, 0x36, 0x3e, 0x26, 0x64, 0x65, 0x66, 0x89, 0x08);
	EXPECT(PM, W(MOV_STORE_REG, 4, 2, 2, 1), 0x26, 0x66, 0x89, 0x08);
	/* 0x67 in 32-bit code means 16-bit addressing (Table 2-1). */
	EXPECT(PM, W(MOV_STORE_REG, 3, 4, 4, 1), 0x67, 0x89, 0x08);
	EXPECT(PM, W(MOV_LOAD, 4, 4, 4, 0), 0x64, 0x67, 0x8b, 0x00);
	EXPECT(PM, W(MOV_LOAD, 4, 4, 4, 0), 0x67, 0xa1, 1, 2);
	EXPECT(PM, W(MOV_LOAD, 5, 4, 4, 1), 0x67, 0x8b, 0x0e, 1, 2);
	/*
	 * In 64-bit code it selects 32-bit addressing, whose ModRM forms
	 * have the 64-bit lengths; only moffs shrinks to 4 bytes.
	 */
	EXPECT(LM, W(MOV_LOAD, 4, 4, 4, 0), 0x64, 0x67, 0x8b, 0x00);
	EXPECT(LM, W(MOV_LOAD, 7, 4, 4, 1), 0x67, 0x8b, 0x0d, 1, 2, 3, 4);
	EXPECT(LM, W(MOV_LOAD, 6, 4, 4, 0), 0x67, 0xa1, 1, 2, 3, 4);
	EXPECT(LM, W(MOV_STORE_REG, 7, 8, 8, 0),
	       0x67, 0x48, 0xa3, 1, 2, 3, 4);
	/* In 32-bit code 0x40-0x4f are INC/DEC, not REX. */
	EXPECT_ERR(PM, -EOPNOTSUPP, 0x48, 0x89, 0x08);
	/* LOCK / REP are not MOV prefixes we accept. */
	EXPECT_ERR(PM, -EOPNOTSUPP, 0xf0, 0x89, 0x08);
	EXPECT_ERR(PM, -EOPNOTSUPP, 0xf3, 0x89, 0x08);
}

static void test_register_operand(void)
{
	/* mov ecx, eax (mod 3): nothing to emulate against memory */
	EXPECT_ERR(PM, -EOPNOTSUPP, 0x89, 0xc1);
	EXPECT_ERR(PM, -EOPNOTSUPP, 0x8b, 0xc8);
	EXPECT_ERR(LM, -EOPNOTSUPP, 0x48, 0x8a, 0xe0);
	EXPECT_ERR(PM, -EOPNOTSUPP, 0xc7, 0xc0, 1, 0, 0, 0);
	EXPECT_ERR(PM, -EOPNOTSUPP, 0x0f, 0xb6, 0xc1);
}

static void test_truncated(void)
{
	/* Empty, prefix only, opcode only, missing SIB, disp, imm, moffs. */
	EXPECT_ERR(PM, -EINVAL);
	EXPECT_ERR(PM, -EINVAL, 0x66);
	EXPECT_ERR(LM, -EINVAL, 0x48);
	EXPECT_ERR(PM, -EINVAL, 0x89);
	EXPECT_ERR(PM, -EINVAL, 0x0f);
	EXPECT_ERR(PM, -EINVAL, 0x0f, 0xb6);
	EXPECT_ERR(PM, -EINVAL, 0x89, 0x0c);
	EXPECT_ERR(PM, -EINVAL, 0x89, 0x0c, 0x9d, 1, 2, 3);
	EXPECT_ERR(PM, -EINVAL, 0x89, 0x48);
	EXPECT_ERR(PM, -EINVAL, 0xc7, 0x00, 1, 2, 3);
	EXPECT_ERR(PM, -EINVAL, 0x66, 0xc7, 0x00, 1);
	EXPECT_ERR(LM, -EINVAL, 0xa1, 1, 2, 3, 4, 5, 6, 7);
	EXPECT_ERR(PM, -EINVAL, 0xa3, 1, 2, 3);
}

/*
 * No instruction is longer than 15 bytes (SDM 2 2.3.11; longer is #GP):
 * with plenty of bytes available, 13 prefixes and a 2-byte MOV (15)
 * decode, 14 prefixes (16) do not.
 */
static void test_max_length(void)
{
	u8 buf[32];
	struct mov_insn m;

	memset(buf, 0x3e, sizeof(buf));		/* DS prefixes */
	buf[13] = 0x89;
	buf[14] = 0x00;				/* mov [eax], eax */
	CHECK_EQ(decode_mov(buf, sizeof(buf), PM, &m), 0);
	CHECK_EQ(m.len, INSN_MAX_LEN);
	memset(buf, 0x3e, sizeof(buf));
	buf[14] = 0x89;
	buf[15] = 0x00;
	CHECK_EQ(decode_mov(buf, sizeof(buf), PM, &m), -EINVAL);
}

static void test_unknown_opcode(void)
{
	EXPECT_ERR(PM, -EOPNOTSUPP, 0x90);
	EXPECT_ERR(PM, -EOPNOTSUPP, 0x01, 0x08);	/* add [eax], ecx */
	EXPECT_ERR(PM, -EOPNOTSUPP, 0x8c, 0x08);	/* mov [eax], cs */
	EXPECT_ERR(LM, -EOPNOTSUPP, 0x48, 0xa5);	/* movsq */
	EXPECT_ERR(PM, -EOPNOTSUPP, 0xa4);		/* movsb */
	/*
	 * A REX followed by a legacy prefix is ignored by the CPU (SDM 2
	 * 2.2.1); the decoder declines such code rather than decode it.
	 */
	EXPECT_ERR(LM, -EOPNOTSUPP, 0x48, 0x66, 0x89, 0x08);
}

/*
 * 16-bit code (CS.D = 0): operands and addresses are 16 bits unless 0x66
 * or 0x67 flips them (SDM 1 3.6, Table 3-4; SDM 2 Table 2-1).
 */
static void test_16bit_code(void)
{
	/* mov [bx+si], cx: a word store, 2 bytes */
	EXPECT(C16, W(MOV_STORE_REG, 2, 2, 2, 1), 0x89, 0x08);
	/* 0x66: mov [bx+si], ecx */
	EXPECT(C16, W(MOV_STORE_REG, 3, 4, 4, 1), 0x66, 0x89, 0x08);
	/* mov ax, [disp16]: mod 0 rm 6 */
	EXPECT(C16, W(MOV_LOAD, 4, 2, 2, 0), 0x8b, 0x06, 0x34, 0x12);
	/* mov cx, [bp+di+disp8], [bx+disp16] */
	EXPECT(C16, W(MOV_LOAD, 3, 2, 2, 1), 0x8b, 0x4b, 0x10);
	EXPECT(C16, W(MOV_LOAD, 4, 2, 2, 1), 0x8b, 0x8f, 0x00, 0x10);
	/* rm 4 is [si], no SIB in 16-bit addressing */
	EXPECT(C16, W(MOV_LOAD, 2, 2, 2, 1), 0x8b, 0x0c);
	/* 0x67: 32-bit addressing, SIB and disp32 */
	EXPECT(C16, W(MOV_LOAD, 8, 2, 2, 1), 0x67, 0x8b, 0x0c, 0x9d,
	       1, 2, 3, 4);
	/* mov word [bx], imm16; 0x66: imm32 */
	EXPECT(C16, W(MOV_STORE_IMM, 4, 2, 0, 0, .imm = 0xbeef),
	       0xc7, 0x07, 0xef, 0xbe);
	EXPECT(C16, W(MOV_STORE_IMM, 7, 4, 0, 0, .imm = 0x12345678),
	       0x66, 0xc7, 0x07, 0x78, 0x56, 0x34, 0x12);
	/* movzx ax, byte [bx]; 0x66: movzx eax */
	EXPECT(C16, W(MOV_LOAD, 3, 1, 2, 0), 0x0f, 0xb6, 0x07);
	EXPECT(C16, W(MOV_LOAD, 4, 1, 4, 0), 0x66, 0x0f, 0xb6, 0x07);
	/* moffs16; 0x67: moffs32 */
	EXPECT(C16, W(MOV_LOAD, 3, 2, 2, 0), 0xa1, 0x00, 0x10);
	EXPECT(C16, W(MOV_LOAD, 6, 2, 2, 0), 0x67, 0xa1, 1, 2, 3, 4);
	/* Not REX in 16-bit code either. */
	EXPECT_ERR(C16, -EOPNOTSUPP, 0x48, 0x89, 0x08);
	EXPECT_ERR(C16, -EINVAL, 0x8b, 0x06, 0x34);
}

static struct insn_ea ea_of(enum insn_mode mode, const u8 *insn, size_t n)
{
	struct mov_insn m;

	CHECK_EQ(decode_mov(insn, n, mode, &m), 0);
	return m.ea;
}

#define EA(mode, ...)								({										static const u8 _b[] = { __VA_ARGS__ };					ea_of(mode, _b, sizeof(_b));					})

/* The effective-address computation (SDM 1 3.7.5, SDM 2 2.1.5). */
static void test_effective_address(void)
{
	struct insn_ea ea;

	/* mov [ebx], ecx */
	ea = EA(PM, 0x89, 0x0b);
	CHECK_EQ(ea.addr_size, 4);
	CHECK_EQ(ea.base, 3);
	CHECK_EQ(ea.index, INSN_NO_REG);
	CHECK_EQ(ea.disp, 0);
	CHECK_EQ(ea.seg, SEG_DS);
	/* mov ecx, [ebp-8]: SS */
	ea = EA(PM, 0x8b, 0x4d, 0xf8);
	CHECK_EQ(ea.base, 5);
	CHECK_EQ(ea.disp, (u64)-8);
	CHECK_EQ(ea.seg, SEG_SS);
	/* mov [ebp+ebx*4+8], ecx */
	ea = EA(PM, 0x89, 0x4c, 0x9d, 0x08);
	CHECK_EQ(ea.base, 5);
	CHECK_EQ(ea.index, 3);
	CHECK_EQ(ea.scale, 2);
	CHECK_EQ(ea.disp, 8);
	CHECK_EQ(ea.seg, SEG_SS);
	/* mov [ebx*4+0x04030201], ecx: no base */
	ea = EA(PM, 0x89, 0x0c, 0x9d, 1, 2, 3, 4);
	CHECK_EQ(ea.base, INSN_NO_REG);
	CHECK_EQ(ea.index, 3);
	CHECK_EQ(ea.disp, 0x04030201);
	/* mov [esp], ecx: SIB index 100b is none, base esp: SS */
	ea = EA(PM, 0x89, 0x0c, 0x24);
	CHECK_EQ(ea.base, 4);
	CHECK_EQ(ea.index, INSN_NO_REG);
	CHECK_EQ(ea.seg, SEG_SS);
	/* fs: override wins */
	ea = EA(PM, 0x64, 0x89, 0x4d, 0x00);
	CHECK_EQ(ea.seg, SEG_FS);
	/* 64-bit: [rip+0x10]; REX.B/X extend base and index (r12 index) */
	ea = EA(LM, 0x8b, 0x0d, 0x10, 0, 0, 0);
	CHECK(ea.rip_relative);
	CHECK_EQ(ea.addr_size, 8);
	CHECK_EQ(ea.disp, 0x10);
	ea = EA(LM, 0x4b, 0x89, 0x44, 0xe5, 0x08);	/* [r13+r12*8+8] */
	CHECK_EQ(ea.base, 13);
	CHECK_EQ(ea.index, 12);
	CHECK_EQ(ea.scale, 3);
	CHECK(!ea.rip_relative);
	/* 32-bit code mod 0 rm 5 is an absolute disp32, not RIP-relative */
	ea = EA(PM, 0x8b, 0x0d, 0x00, 0x00, 0x00, 0xe0);
	CHECK(!ea.rip_relative);
	CHECK_EQ(ea.base, INSN_NO_REG);
	CHECK_EQ(ea.disp, 0xffffffffe0000000ull);
	/* moffs */
	ea = EA(LM, 0xa1, 1, 2, 3, 4, 5, 6, 7, 8);
	CHECK_EQ(ea.disp, 0x0807060504030201ull);
	CHECK_EQ(ea.base, INSN_NO_REG);
	/* 16-bit: [bp+si+4] is SS, [bx+di] DS, [disp16] */
	ea = EA(C16, 0x8b, 0x42, 0x04);
	CHECK_EQ(ea.addr_size, 2);
	CHECK_EQ(ea.base, 5);
	CHECK_EQ(ea.index, 6);
	CHECK_EQ(ea.scale, 0);
	CHECK_EQ(ea.disp, 4);
	CHECK_EQ(ea.seg, SEG_SS);
	ea = EA(C16, 0x8b, 0x01);
	CHECK_EQ(ea.base, 3);
	CHECK_EQ(ea.index, 7);
	CHECK_EQ(ea.seg, SEG_DS);
	ea = EA(C16, 0x8b, 0x06, 0xfe, 0xff);
	CHECK_EQ(ea.base, INSN_NO_REG);
	CHECK_EQ(ea.index, INSN_NO_REG);
	CHECK_EQ(ea.disp & 0xffff, 0xfffe);
}

int main(void)
{
	RUN(test_mov_store_reg);
	RUN(test_mov_load);
	RUN(test_byte_regs);
	RUN(test_mov_imm);
	RUN(test_movzx);
	RUN(test_moffs);
	RUN(test_addressing_lengths);
	RUN(test_prefixes);
	RUN(test_register_operand);
	RUN(test_truncated);
	RUN(test_max_length);
	RUN(test_unknown_opcode);
	RUN(test_16bit_code);
	RUN(test_effective_address);
	return unit_done();
}
