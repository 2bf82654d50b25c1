/* SPDX-License-Identifier: MIT */
/* Declarations shared by the files of hv/vmx/ and nobody else. */
#ifndef HV_VMX_INTERNAL_H
#define HV_VMX_INTERNAL_H

#include <hv/vmx/entry.h>
#include <hv/vmx/vmx.h>

/*
 * exit_decode.c.  Reads the exit-information fields through @read_field
 * (the current VMCS on the machine, a table in the host tests) and fills
 * *@e.
 */
typedef u64 (*vmx_field_reader)(u32 field);
void vmx_decode_exit(vmx_field_reader read_field, const struct vmx_vcpu *v,
		     struct vmx_exit *e);

#endif /* HV_VMX_INTERNAL_H */
