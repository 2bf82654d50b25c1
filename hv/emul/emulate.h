/* SPDX-License-Identifier: MIT */
#ifndef HV_EMUL_EMULATE_H
#define HV_EMUL_EMULATE_H

#include <hv/exit/action.h>
#include <lib/types.h>

struct vcpu;

/*
 * Completes a guest access to guest-physical memory with no RAM behind it
 * (no memslot, or a write to a READONLY slot).  No device model is mapped
 * in memory, so the access behaves like one to an empty bus: a load
 * returns all ones, a store is dropped (logged once per page).
 */
struct exit_action emulate_mmio(struct vcpu *vcpu, gva_t gva, gpa_t gpa,
				u32 error_code);

/* A store into a write-protected guest page table (see mmu.h). */
struct exit_action emulate_pt_write(struct vcpu *vcpu, gva_t gva, gpa_t gpa);

/* Logs the bytes at the guest's RIP, for diagnostics. */
void emulate_dump_code(struct vcpu *vcpu);

#endif /* HV_EMUL_EMULATE_H */
