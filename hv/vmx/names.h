/* SPDX-License-Identifier: MIT */
/*
 * Human-readable names for VMX numbers, for log lines and diagnostics.
 * Every function returns a static string and never fails: a number with no
 * name gives "unknown".
 */
#ifndef HV_VMX_NAMES_H
#define HV_VMX_NAMES_H

#include <lib/types.h>

/* Basic exit reason (SDM 3C Appendix C), e.g. 10 -> "CPUID". */
const char *vmx_exit_reason_name(u32 basic_reason);

/* VM-instruction error (SDM 3C 30.4), using the SDM's wording. */
const char *vmx_instr_error_name(u32 err);

/* Exception mnemonic for an IDT vector 0..31, e.g. 14 -> "#PF". */
const char *vmx_exception_name(u8 vector);

#endif /* HV_VMX_NAMES_H */
