/* SPDX-License-Identifier: MIT */
/*
 * Decoder for the memory-access instructions the MMIO path emulates: the
 * MOV forms a driver uses to touch a device register.  Host-buildable.
 */
#ifndef HV_EMUL_INSN_DECODE_H
#define HV_EMUL_INSN_DECODE_H

#include <lib/types.h>

enum mov_kind {
	MOV_LOAD,		/* register <- memory */
	MOV_STORE_REG,		/* memory <- register */
	MOV_STORE_IMM,		/* memory <- immediate */
};

struct mov_insn {
	enum mov_kind kind;
	u8 len;			/* instruction length in bytes */
	u8 size;		/* memory operand size: 1, 2, 4 or 8 */
	u8 reg;			/* register number (LOAD, STORE_REG) */
	bool high_byte;		/* reg names AH/CH/DH/BH */
	u8 dst_size;		/* LOAD: bytes written to reg (MOVZX widens) */
	u64 imm;		/* STORE_IMM */
};

/*
 * Decodes the instruction at @insn (@avail bytes readable).  @long_mode
 * selects 64-bit code (REX prefixes, 8-byte moffs); otherwise 32-bit code.
 * Returns 0, or -EOPNOTSUPP for anything else (the caller ends the guest
 * with the bytes in its diagnostic), -EINVAL if @avail runs out.
 */
int decode_mov(const u8 *insn, size_t avail, bool long_mode,
	       struct mov_insn *out);

#endif /* HV_EMUL_INSN_DECODE_H */
