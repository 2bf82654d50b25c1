/* SPDX-License-Identifier: MIT */
/*
 * The host state every VM exit returns to.  UEFI leaves TR = 0, but SDM 3C
 * 26.2.3 forbids a null host TR selector, so we run on our own GDT: the
 * firmware's descriptors copied at the same selectors (its IDT and code keep
 * working) plus a 64-bit TSS, in memory that outlives hv.efi (host.c).
 * host_state_restore() gives the firmware its GDTR back, and its TR when it
 * had a loadable one.
 */
#ifndef HV_VMX_HOST_H
#define HV_VMX_HOST_H

#include <lib/types.h>

struct host_state {
	u16 cs, ss, ds, es, fs, gs, tr;
	u64 gdt_base, idt_base, tr_base, fs_base, gs_base;
	u64 cr0, cr3, cr4, efer, pat;
};

int host_state_init(void);
void host_state_restore(void);
void host_state_capture(struct host_state *hs);

#endif /* HV_VMX_HOST_H */
