/* SPDX-License-Identifier: MIT */
/*
 * x87, SSE, AVX and AVX-512 state: the firmware's is saved once before the
 * first guest and put back after each; each guest starts from the reset
 * state and keeps its own in the registers while its exits are handled,
 * since the hypervisor (built with -mgeneral-regs-only) never touches it.
 */
#ifndef HV_CPU_FPU_H
#define HV_CPU_FPU_H

#include <lib/types.h>

/*
 * Saves the firmware's extended state (XSAVE with its XCR0, or FXSAVE
 * when it runs without CR4.OSXSAVE).  0, or -E2BIG if the state does not
 * fit the save area.
 */
int fpu_host_save(void);

/*
 * The state of a processor after RESET/INIT (SDM 3A Table 9-1): x87 as
 * after FNINIT, every vector register zero, MXCSR 0x1f80, XCR0 = x87 only.
 * Every component a guest or the firmware may have enabled is reset, so
 * nothing of an earlier guest survives in a disabled one.
 */
void fpu_guest_reset(void);

/* The firmware's state again, after wiping the guest's (no-op if unsaved). */
void fpu_host_restore(void);

/* Forget the saved state (host tests). */
void fpu_host_forget(void);

#endif /* HV_CPU_FPU_H */
