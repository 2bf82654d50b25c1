/* SPDX-License-Identifier: MIT */
/*
 * What the processor does at the end of every instruction it retires,
 * done for an instruction the hypervisor retired instead (an emulated
 * load or store, a CPUID, a VMCALL: every EXIT_SKIP).
 */
#ifndef HV_EMUL_RETIRE_H
#define HV_EMUL_RETIRE_H

/*
 * Call after advancing the guest's RIP past an instruction that the
 * hypervisor completed.  With RFLAGS.TF set (and IA32_DEBUGCTL.BTF clear)
 * the single-step trap that the instruction owes the guest becomes
 * pending (BS in the pending debug exceptions), so the processor delivers
 * the #DB right after VM entry, before the next instruction (SDM 3B
 * 17.3.1.4; the field: SDM 3C 24.4.2).  RFLAGS.RF is cleared as at the end
 * of any instruction (SDM 3B 17.3.1.1).
 */
void emulate_retired(void);

#endif /* HV_EMUL_RETIRE_H */
