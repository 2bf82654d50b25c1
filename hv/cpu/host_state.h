/* SPDX-License-Identifier: MIT */
/*
 * The firmware's processor state that guests run on.  Guests own CR0-CR4,
 * EFER, PAT and the segment state through the VMCS, which gives the host
 * its own back at every VM exit; the state below is not in the VMCS, so
 * the guest's stays live in the processor until vcpu_run() returns:
 * extended state and XCR0, DR0-DR3 and DR6 (DR7 and IA32_DEBUGCTL are
 * loaded from the VMCS, but a VM exit sets them to 0x400 and 0), the
 * SYSCALL/SWAPGS MSRs and IA32_TSC_AUX.  host_cpu_save() takes the
 * firmware's values once, in VMX operation before the first guest;
 * host_cpu_restore() puts them back after each guest, and
 * host_cpu_changed() checks that the firmware got back what it had.
 */
#ifndef HV_CPU_HOST_STATE_H
#define HV_CPU_HOST_STATE_H

#include <lib/cpu.h>
#include <lib/types.h>

struct host_cpu {
	u64 cr8;			/* the TPR: never the guest's */
	u64 dr[4], dr6, dr7, debugctl;
	u64 xcr0;			/* 0 without CR4.OSXSAVE */
	u64 kernel_gs_base, star, lstar, fmask;
	u64 tsc_aux;			/* 0 where the MSR does not exist */
	struct desc_ptr gdtr, idtr;
	u16 tr;
};

/* The live values. */
void host_cpu_read(struct host_cpu *s);

/*
 * The name of the first item that differs between @a and @b ("CR8",
 * "DR7", "XCR0", "IA32_KERNEL_GS_BASE", "TR", "GDTR", "IDTR", ...), or
 * NULL if none does.
 */
const char *host_cpu_diff(const struct host_cpu *a, const struct host_cpu *b);

/* Saves the firmware's state: 0, or -E2BIG (fpu_host_save). */
int host_cpu_save(void);

/* Puts the saved state back (no-op if none was saved). */
void host_cpu_restore(void);

/* What changed since host_cpu_save() (see host_cpu_diff), or NULL. */
const char *host_cpu_changed(void);

/* Forget the saved state (the panic path after restoring; host tests). */
void host_cpu_forget(void);

#endif /* HV_CPU_HOST_STATE_H */
