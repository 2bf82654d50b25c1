/* SPDX-License-Identifier: MIT */
#ifndef HV_EMUL_EMULATE_H
#define HV_EMUL_EMULATE_H

#include <hv/exit/action.h>
#include <lib/types.h>

struct vcpu;

/*
 * Completes a guest access to guest-physical memory with no RAM behind it
 * (no memslot, or a write to a READONLY slot); @gva is the fault's CR2 and
 * @gpa what the MMU translated it to.  No device model is mapped in
 * memory, so the access behaves like one to an empty bus: a load returns
 * all ones, a store is dropped.  An access that crosses a page boundary
 * is split, each part translated through the guest's paging and served by
 * its own backing (RAM, a guest page table, or nothing); a part whose
 * translation faults makes the whole instruction fault (EXIT_INJECT).
 */
struct exit_action emulate_mmio(struct vcpu *vcpu, gva_t gva, gpa_t gpa,
				u32 error_code);

/*
 * A store into a write-protected guest page table (see mmu.h), split at a
 * page boundary like emulate_mmio's accesses.
 */
struct exit_action emulate_pt_write(struct vcpu *vcpu, gva_t gva, gpa_t gpa);

/*
 * Stops shadowing the guest page table at @gpa so that the faulting write
 * can run natively.  false (nothing done) when the same instruction keeps
 * coming back to it: the caller ends the guest with "ptwrite".
 */
bool emulate_unshadow(struct vcpu *vcpu, gpa_t gpa);

/* Logs the bytes at the guest's RIP, for diagnostics. */
void emulate_dump_code(struct vcpu *vcpu);

#endif /* HV_EMUL_EMULATE_H */
