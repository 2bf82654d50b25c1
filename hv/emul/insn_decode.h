/* SPDX-License-Identifier: MIT */
/*
 * Decoder for the memory-access instructions the MMIO path emulates: the
 * MOV forms a driver uses to touch a device register.  Host-buildable.
 */
#ifndef HV_EMUL_INSN_DECODE_H
#define HV_EMUL_INSN_DECODE_H

#include <lib/types.h>

/*
 * The code the instruction is in, which sets the default operand and
 * address sizes (SDM 1 3.6, SDM 2 2.2.1): 16-bit code is a protected-mode
 * code segment with CS.D = 0; 32-bit code has CS.D = 1, and compatibility
 * mode is 32- or 16-bit code by the same rule; 64-bit code is IA-32e mode
 * with CS.L = 1.
 */
enum insn_mode {
	INSN_16,
	INSN_32,
	INSN_64,
};

enum mov_kind {
	MOV_LOAD,		/* register <- memory */
	MOV_STORE_REG,		/* memory <- register */
	MOV_STORE_IMM,		/* memory <- immediate */
};

/* Segment registers in ModRM sreg order (SDM 2 3.1.1.3, Sreg). */
enum insn_seg {
	SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS,
};

#define INSN_NO_REG	0xff

/* The longest instruction the processor executes (SDM 2 2.3.11). */
#define INSN_MAX_LEN	15

/*
 * The memory operand's effective address (SDM 1 3.7.5): disp + base +
 * index * scale, computed in addr_size bytes (it wraps there), or for a
 * RIP-relative operand disp + the address of the next instruction.  The
 * linear address is the segment's base plus that.
 */
struct insn_ea {
	u8 addr_size;		/* 2, 4 or 8 */
	u8 base, index;		/* GPR numbers, or INSN_NO_REG */
	u8 scale;		/* shift: 0..3 */
	bool rip_relative;
	enum insn_seg seg;	/* after overrides; SS for rBP/rSP bases */
	u64 disp;		/* sign-extended */
};

struct mov_insn {
	enum mov_kind kind;
	u8 len;			/* instruction length in bytes */
	u8 size;		/* memory operand size: 1, 2, 4 or 8 */
	u8 reg;			/* register number (LOAD, STORE_REG) */
	bool high_byte;		/* reg names AH/CH/DH/BH */
	u8 dst_size;		/* LOAD: bytes written to reg (MOVZX widens) */
	u64 imm;		/* STORE_IMM */
	struct insn_ea ea;	/* where the memory operand is */
};

/*
 * Decodes the instruction at @insn (@avail bytes readable) as @mode code.
 * Returns 0, or -EOPNOTSUPP for anything else (the caller ends the guest
 * with the bytes in its diagnostic), -EINVAL if @avail runs out.  Only the
 * first INSN_MAX_LEN bytes are used: a longer instruction (prefixes
 * repeated) would raise #GP on the processor, so it is never decoded.
 */
int decode_mov(const u8 *insn, size_t avail, enum insn_mode mode,
	       struct mov_insn *out);

#endif /* HV_EMUL_INSN_DECODE_H */
