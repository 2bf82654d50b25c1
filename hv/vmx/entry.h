/* SPDX-License-Identifier: MIT */
/*
 * The contract between entry.S and its C caller (vmcs.c): what vmx_enter
 * returns, where each guest register lives in struct vmx_vcpu's gpr[], and
 * the one VMCS encoding the assembly writes.  Plain #defines so that the
 * assembler can read them too; vmcs.c checks every offset against the C
 * layout at build time.
 */
#ifndef HV_VMX_ENTRY_H
#define HV_VMX_ENTRY_H

/*
 * vmx_enter's result, also the fail_kind of an entry failure in struct
 * vmx_exit.  A VMX instruction fails with CF=1 (VMfailInvalid) or ZF=1
 * (VMfailValid, the VM-instruction error field says why), SDM 3C 30.2.
 */
#define VMX_ENTER_EXITED	0	/* a VM exit; guest registers saved */
#define VMX_ENTER_FAIL_VALID	1	/* VMLAUNCH/VMRESUME VMfailValid */
#define VMX_ENTER_FAIL_INVALID	2	/* VMfailInvalid: no current VMCS */
#define VMX_ENTER_FIELD_ERROR	3	/* a VMREAD/VMWRITE failed first */

/* Byte offsets into gpr[]: 8 bytes per register, x86 register number order. */
#define ENTRY_GPR_RAX		0
#define ENTRY_GPR_RCX		8
#define ENTRY_GPR_RDX		16
#define ENTRY_GPR_RBX		24
#define ENTRY_GPR_RBP		40
#define ENTRY_GPR_RSI		48
#define ENTRY_GPR_RDI		56
#define ENTRY_GPR_R8		64
#define ENTRY_GPR_R9		72
#define ENTRY_GPR_R10		80
#define ENTRY_GPR_R11		88
#define ENTRY_GPR_R12		96
#define ENTRY_GPR_R13		104
#define ENTRY_GPR_R14		112
#define ENTRY_GPR_R15		120

/* VMCS_HOST_RSP (vmcs_defs.h), whose C spelling the assembler cannot read. */
#define ENTRY_VMCS_HOST_RSP	0x6c14

#ifndef __ASSEMBLER__
#include <lib/types.h>

/* Returns one of VMX_ENTER_*; @launched picks VMRESUME over VMLAUNCH. */
int vmx_enter(u64 *gpr, u64 launched);
void vmx_exit_landing(void);
#endif

#endif /* HV_VMX_ENTRY_H */
