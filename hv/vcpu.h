/* SPDX-License-Identifier: MIT */
#ifndef HV_VCPU_H
#define HV_VCPU_H

#include <lib/types.h>

struct vcpu;

/* Builds the VMCS for a guest entering at @entry with EBX = @mbi_gpa. */
int vcpu_init(struct vcpu *vcpu, u32 entry, u32 mbi_gpa);

#endif /* HV_VCPU_H */
