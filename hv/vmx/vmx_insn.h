/* SPDX-License-Identifier: MIT */
/*
 * The VMX instructions, each checked.  SDM 3C 30.2: a VMX instruction
 * reports VMfailInvalid with CF=1 and VMfailValid with ZF=1 (the reason is
 * then in the VM-instruction error field).  Every wrapper turns either into
 * -EIO so that no failure goes unnoticed; callers that care why read
 * VMCS_RO_VM_INSTR_ERROR.
 */
#ifndef HV_VMX_INSN_H
#define HV_VMX_INSN_H

#include <lib/errno.h>
#include <lib/types.h>
#include <hv/vmx/vmcs_defs.h>

/* "setna" is true when CF=1 or ZF=1, i.e. on either kind of VMfail. */
#define VMX_INSN_FAILED(insn, ...)					\
	({								\
		u8 _fail;						\
		asm volatile(insn "; setna %0"				\
			     : "=qm"(_fail) : __VA_ARGS__ : "cc", "memory"); \
		_fail ? -EIO : 0;					\
	})

static inline int vmxon(u64 hpa)
{
	return VMX_INSN_FAILED("vmxon %1", "m"(hpa));
}

static inline int vmxoff(void)
{
	u8 fail;

	asm volatile("vmxoff; setna %0" : "=qm"(fail) : : "cc", "memory");
	return fail ? -EIO : 0;
}

static inline int vmclear(u64 hpa)
{
	return VMX_INSN_FAILED("vmclear %1", "m"(hpa));
}

static inline int vmptrld(u64 hpa)
{
	return VMX_INSN_FAILED("vmptrld %1", "m"(hpa));
}

static inline int vmwrite_checked(u64 field, u64 value)
{
	return VMX_INSN_FAILED("vmwrite %2, %1", "r"(field), "rm"(value));
}

static inline int vmread_checked(u64 field, u64 *value)
{
	u8 fail;
	u64 v;

	asm volatile("vmread %2, %1; setna %0"
		     : "=qm"(fail), "=rm"(v) : "r"(field) : "cc");
	*value = v;
	return fail ? -EIO : 0;
}

/*
 * Accessors for fields that exist on every VMX processor.  A failure here
 * means the VMCS is not current or the field encoding is wrong: a bug, so
 * the first one is recorded here and vmcs.c reports it, failing the call,
 * at the end of vmx_vcpu_create or before the next VM entry.
 */
void vmx_note_insn_error(const char *insn, u64 field);

static inline void vmcs_write(u64 field, u64 value)
{
	if (unlikely(vmwrite_checked(field, value)))
		vmx_note_insn_error("VMWRITE", field);
}

static inline u64 vmcs_read(u64 field)
{
	u64 v;

	if (unlikely(vmread_checked(field, &v))) {
		vmx_note_insn_error("VMREAD", field);
		return 0;
	}
	return v;
}

#endif /* HV_VMX_INSN_H */
