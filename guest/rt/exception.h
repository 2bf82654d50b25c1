/* SPDX-License-Identifier: MIT */
/*
 * Exception catching for guest tests.
 *
 * The runtime installs an IDT whose vectors 0-31 all land in
 * exc_dispatch().  An exception nobody expected is reported as a FAIL line
 * and ends the test.  A test that *wants* an exception arms one of two
 * recovery modes before the instruction runs:
 *
 *  - ASM_TRY_BEGIN / ASM_TRY_END bracket instructions inside an asm
 *    statement; if any of them faults, execution resumes after the bracket
 *    (kvm-unit-tests' ASM_TRY idea).  Registers are restored to their values
 *    at the time of the fault, so asm outputs keep their initial values.
 *  - exc_skip(len) resumes len bytes after the faulting EIP, for
 *    instructions of known length emitted from C (e.g. ud2 is 2 bytes).
 *    For traps such as int3 the saved EIP already points past the
 *    instruction, so len is 0.
 *
 * Either way the exception is recorded; exc_caught() reports it.
 */
#ifndef GUEST_RT_EXCEPTION_H
#define GUEST_RT_EXCEPTION_H

#include "types.h"

#define DE_VECTOR	0
#define DB_VECTOR	1
#define BP_VECTOR	3
#define UD_VECTOR	6
#define DF_VECTOR	8
#define GP_VECTOR	13
#define PF_VECTOR	14

#define EXC_NONE	(-1)	/* exc_caught(): nothing was caught */

struct exc_info {
	u32 vector;
	u32 error_code;		/* 0 for vectors without one */
	u32 cr2;
	u32 eip;		/* EIP the CPU pushed: fault or trap address */
};

/*
 * Resume address for a fault inside ASM_TRY_BEGIN/END; 0 when disarmed.
 * Kernels are linked below 4 GiB, so 32 bits hold a 64-bit build's RIP too.
 */
extern volatile u32 exc_fixup_eip;

/* Local label 1 is used; do not use it inside the bracket. */
#define ASM_TRY_BEGIN	"movl $1f, exc_fixup_eip\n\t"
#define ASM_TRY_END	"\n1:\tmovl $0, exc_fixup_eip\n\t"

/* Install the IDT.  Called once by the entry code before main(). */
void exc_init(void);

/* Forget any exception caught so far. */
void exc_clear(void);

/* Arm skip mode: the next exception resumes insn_len bytes after its EIP. */
void exc_skip(u32 insn_len);

/*
 * Vector of the exception caught since the last exc_clear(), or EXC_NONE.
 * Fills *info when non-NULL and something was caught.  Disarms skip mode.
 */
int exc_caught(struct exc_info *info);

#endif /* GUEST_RT_EXCEPTION_H */
