/* SPDX-License-Identifier: MIT */
/* Declarations shared by the files of hv/vmx/ and nobody else. */
#ifndef HV_VMX_INTERNAL_H
#define HV_VMX_INTERNAL_H

#include <hv/vmx/vmx.h>

/* entry.S */
int vmx_enter(u64 *gpr, u64 launched);
void vmx_exit_landing(void);

/* exit.c */
void vmx_decode_exit(const struct vmx_vcpu *v, struct vmx_exit *e);

#endif /* HV_VMX_INTERNAL_H */
