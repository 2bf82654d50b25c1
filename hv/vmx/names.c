// SPDX-License-Identifier: MIT
/*
 * Name tables for exit reasons, VM-instruction errors and exception
 * vectors.  Designated initialisers keep each name next to the constant it
 * belongs to, so a hole in the numbering (reserved exit reasons 35, 38 and
 * 42, reserved error 14, ...) stays NULL and reads back as "unknown".
 */
#include <hv/vmx/names.h>
#include <hv/vmx/vmcs_defs.h>
#include <lib/x86.h>

static const char unknown[] = "unknown";

/* SDM 3C Appendix C, Table C-1 */
static const char *const exit_reason_names[] = {
	[EXIT_REASON_EXCEPTION_NMI]		= "EXCEPTION_NMI",
	[EXIT_REASON_EXTERNAL_INTERRUPT]	= "EXTERNAL_INTERRUPT",
	[EXIT_REASON_TRIPLE_FAULT]		= "TRIPLE_FAULT",
	[EXIT_REASON_INIT]			= "INIT",
	[EXIT_REASON_SIPI]			= "SIPI",
	[EXIT_REASON_IO_SMI]			= "IO_SMI",
	[EXIT_REASON_OTHER_SMI]			= "OTHER_SMI",
	[EXIT_REASON_INTERRUPT_WINDOW]		= "INTERRUPT_WINDOW",
	[EXIT_REASON_NMI_WINDOW]		= "NMI_WINDOW",
	[EXIT_REASON_TASK_SWITCH]		= "TASK_SWITCH",
	[EXIT_REASON_CPUID]			= "CPUID",
	[EXIT_REASON_GETSEC]			= "GETSEC",
	[EXIT_REASON_HLT]			= "HLT",
	[EXIT_REASON_INVD]			= "INVD",
	[EXIT_REASON_INVLPG]			= "INVLPG",
	[EXIT_REASON_RDPMC]			= "RDPMC",
	[EXIT_REASON_RDTSC]			= "RDTSC",
	[EXIT_REASON_RSM]			= "RSM",
	[EXIT_REASON_VMCALL]			= "VMCALL",
	[EXIT_REASON_VMCLEAR]			= "VMCLEAR",
	[EXIT_REASON_VMLAUNCH]			= "VMLAUNCH",
	[EXIT_REASON_VMPTRLD]			= "VMPTRLD",
	[EXIT_REASON_VMPTRST]			= "VMPTRST",
	[EXIT_REASON_VMREAD]			= "VMREAD",
	[EXIT_REASON_VMRESUME]			= "VMRESUME",
	[EXIT_REASON_VMWRITE]			= "VMWRITE",
	[EXIT_REASON_VMXOFF]			= "VMXOFF",
	[EXIT_REASON_VMXON]			= "VMXON",
	[EXIT_REASON_CR_ACCESS]			= "CR_ACCESS",
	[EXIT_REASON_DR_ACCESS]			= "DR_ACCESS",
	[EXIT_REASON_IO_INSTRUCTION]		= "IO_INSTRUCTION",
	[EXIT_REASON_MSR_READ]			= "MSR_READ",
	[EXIT_REASON_MSR_WRITE]			= "MSR_WRITE",
	[EXIT_REASON_INVALID_GUEST_STATE]	= "INVALID_GUEST_STATE",
	[EXIT_REASON_MSR_LOADING]		= "MSR_LOADING",
	[EXIT_REASON_MWAIT]			= "MWAIT",
	[EXIT_REASON_MONITOR_TRAP_FLAG]		= "MONITOR_TRAP_FLAG",
	[EXIT_REASON_MONITOR]			= "MONITOR",
	[EXIT_REASON_PAUSE]			= "PAUSE",
	[EXIT_REASON_MCE_DURING_ENTRY]		= "MCE_DURING_ENTRY",
	[EXIT_REASON_TPR_BELOW_THRESHOLD]	= "TPR_BELOW_THRESHOLD",
	[EXIT_REASON_APIC_ACCESS]		= "APIC_ACCESS",
	[EXIT_REASON_EOI_INDUCED]		= "EOI_INDUCED",
	[EXIT_REASON_GDTR_IDTR]			= "GDTR_IDTR",
	[EXIT_REASON_LDTR_TR]			= "LDTR_TR",
	[EXIT_REASON_EPT_VIOLATION]		= "EPT_VIOLATION",
	[EXIT_REASON_EPT_MISCONFIG]		= "EPT_MISCONFIG",
	[EXIT_REASON_INVEPT]			= "INVEPT",
	[EXIT_REASON_RDTSCP]			= "RDTSCP",
	[EXIT_REASON_PREEMPTION_TIMER]		= "PREEMPTION_TIMER",
	[EXIT_REASON_INVVPID]			= "INVVPID",
	[EXIT_REASON_WBINVD]			= "WBINVD",
	[EXIT_REASON_XSETBV]			= "XSETBV",
	[EXIT_REASON_APIC_WRITE]		= "APIC_WRITE",
	[EXIT_REASON_RDRAND]			= "RDRAND",
	[EXIT_REASON_INVPCID]			= "INVPCID",
	[EXIT_REASON_VMFUNC]			= "VMFUNC",
	[EXIT_REASON_ENCLS]			= "ENCLS",
	[EXIT_REASON_RDSEED]			= "RDSEED",
	[EXIT_REASON_PML_FULL]			= "PML_FULL",
	[EXIT_REASON_XSAVES]			= "XSAVES",
	[EXIT_REASON_XRSTORS]			= "XRSTORS",
	[EXIT_REASON_PCONFIG]			= "PCONFIG",
	[EXIT_REASON_SPP]			= "SPP",
	[EXIT_REASON_UMWAIT]			= "UMWAIT",
	[EXIT_REASON_TPAUSE]			= "TPAUSE",
	[EXIT_REASON_LOADIWKEY]			= "LOADIWKEY",
};

/* SDM 3C 30.4, Table 30-1 */
static const char *const instr_error_names[] = {
	[VMXERR_VMCALL_IN_ROOT] =
		"VMCALL executed in VMX root operation",
	[VMXERR_VMCLEAR_INVALID_ADDR] =
		"VMCLEAR with invalid physical address",
	[VMXERR_VMCLEAR_VMXON_PTR] =
		"VMCLEAR with VMXON pointer",
	[VMXERR_VMLAUNCH_NONCLEAR_VMCS] =
		"VMLAUNCH with non-clear VMCS",
	[VMXERR_VMRESUME_NONLAUNCHED_VMCS] =
		"VMRESUME with non-launched VMCS",
	[VMXERR_VMRESUME_AFTER_VMXOFF] =
		"VMRESUME after VMXOFF",
	[VMXERR_ENTRY_INVALID_CONTROL] =
		"VM entry with invalid control field(s)",
	[VMXERR_ENTRY_INVALID_HOST_STATE] =
		"VM entry with invalid host-state field(s)",
	[VMXERR_VMPTRLD_INVALID_ADDR] =
		"VMPTRLD with invalid physical address",
	[VMXERR_VMPTRLD_VMXON_PTR] =
		"VMPTRLD with VMXON pointer",
	[VMXERR_VMPTRLD_BAD_REVISION] =
		"VMPTRLD with incorrect VMCS revision identifier",
	[VMXERR_UNSUPPORTED_VMCS_COMPONENT] =
		"VMREAD/VMWRITE from/to unsupported VMCS component",
	[VMXERR_VMWRITE_READ_ONLY] =
		"VMWRITE to read-only VMCS component",
	[VMXERR_VMXON_IN_ROOT] =
		"VMXON executed in VMX root operation",
	[VMXERR_ENTRY_INVALID_EXECUTIVE_VMCS] =
		"VM entry with invalid executive-VMCS pointer",
	[VMXERR_ENTRY_NONLAUNCHED_EXECUTIVE_VMCS] =
		"VM entry with non-launched executive VMCS",
	[VMXERR_ENTRY_EXECUTIVE_NOT_VMXON] =
		"VM entry with executive-VMCS pointer not VMXON pointer",
	[VMXERR_VMCALL_NONCLEAR_VMCS] =
		"VMCALL with non-clear VMCS",
	[VMXERR_VMCALL_INVALID_EXIT_CONTROL] =
		"VMCALL with invalid VM-exit control fields",
	[VMXERR_VMCALL_BAD_MSEG_REVISION] =
		"VMCALL with incorrect MSEG revision identifier",
	[VMXERR_VMXOFF_DUAL_MONITOR] =
		"VMXOFF under dual-monitor treatment of SMIs and SMM",
	[VMXERR_VMCALL_INVALID_SMM_FEATURES] =
		"VMCALL with invalid SMM-monitor features",
	[VMXERR_ENTRY_INVALID_EXECUTIVE_CONTROL] =
		"VM entry with invalid VM-execution control fields in executive VMCS",
	[VMXERR_ENTRY_EVENTS_BLOCKED_BY_MOV_SS] =
		"VM entry with events blocked by MOV SS",
	[VMXERR_INVALID_INVEPT_INVVPID_OPERAND] =
		"invalid operand to INVEPT/INVVPID",
};

/* SDM 3A 6.3.1, Table 6-1: the vectors hv/x86.h names */
static const char *const exception_names[] = {
	[X86_VEC_DE]	= "#DE",
	[X86_VEC_DB]	= "#DB",
	[X86_VEC_NMI]	= "NMI",
	[X86_VEC_BP]	= "#BP",
	[X86_VEC_OF]	= "#OF",
	[X86_VEC_BR]	= "#BR",
	[X86_VEC_UD]	= "#UD",
	[X86_VEC_NM]	= "#NM",
	[X86_VEC_DF]	= "#DF",
	[X86_VEC_TS]	= "#TS",
	[X86_VEC_NP]	= "#NP",
	[X86_VEC_SS]	= "#SS",
	[X86_VEC_GP]	= "#GP",
	[X86_VEC_PF]	= "#PF",
	[X86_VEC_MF]	= "#MF",
	[X86_VEC_AC]	= "#AC",
	[X86_VEC_MC]	= "#MC",
	[X86_VEC_XM]	= "#XM",
};

static const char *lookup(const char *const *table, size_t n, u32 idx)
{
	if (idx >= n || !table[idx])
		return unknown;
	return table[idx];
}

const char *vmx_exit_reason_name(u32 basic_reason)
{
	return lookup(exit_reason_names, ARRAY_SIZE(exit_reason_names),
		      basic_reason);
}

const char *vmx_instr_error_name(u32 err)
{
	return lookup(instr_error_names, ARRAY_SIZE(instr_error_names), err);
}

const char *vmx_exception_name(u8 vector)
{
	return lookup(exception_names, ARRAY_SIZE(exception_names), vector);
}
