/* SPDX-License-Identifier: MIT */
/*
 * Guest control registers and EFER (cr.c): the one place that decides
 * what the guest reads back and what the hardware runs.
 */
#ifndef HV_EXIT_CR_H
#define HV_EXIT_CR_H

#include <lib/types.h>

struct vcpu;

/*
 * What a write to CR0, CR3, CR4 or EFER comes to.  These functions return
 * one of these, or a negative errno for a host-side failure (-ENOMEM: no
 * memory for shadow page tables).  On anything but CR_OK the guest's
 * state is unchanged.
 */
enum cr_write {
	CR_OK = 0,
	CR_GP,			/* the write faults: #GP(0) */
	CR_NO_REAL_MODE,	/* CR0.PE cleared: we do not run real mode */
	CR_UD,			/* the access is #UD (CR8 outside 64-bit mode) */
};

int vcpu_set_cr0(struct vcpu *vcpu, u64 val);
int vcpu_set_cr3(struct vcpu *vcpu, u64 val);
int vcpu_set_cr4(struct vcpu *vcpu, u64 val);
int vcpu_set_efer(struct vcpu *vcpu, u64 val);

/*
 * MOV to and from CR8 (the TPR, SDM 3A 10.8.6.1): CR_OK, CR_UD outside
 * 64-bit mode, CR_GP for a write with bits 63:4 set (SDM 2, MOV CR).  The
 * value lives in vcpu->tpr; the real TPR stays the host's.
 */
int vcpu_set_cr8(struct vcpu *vcpu, u64 val);
int vcpu_get_cr8(struct vcpu *vcpu, u64 *val);

#endif /* HV_EXIT_CR_H */
