/* SPDX-License-Identifier: MIT */
/*
 * A virtual machine: one guest, one vCPU, its guest-physical memory (aliases
 * in front of memslots), its shadow MMU and its small devices.  Each guest of
 * a run gets a fresh struct vm, built from its config line and torn down
 * before the next guest starts.
 */
#ifndef HV_VM_H
#define HV_VM_H

#include <aperture/hypercall.h>
#include <hv/config/config.h>
#include <hv/dev/uart.h>
#include <hv/memslot/physmap.h>
#include <hv/mmu/mmu.h>
#include <hv/vcpu.h>
#include <lib/types.h>

enum vm_state {
	VM_RUNNING,
	VM_EXITED,		/* hypercall EXIT or isa-debug-exit */
	VM_TRIPLE_FAULT,
	VM_KILLED,		/* ended by the hypervisor, see kill_reason */
	VM_REJECTED,		/* never started: the image or config is bad */
};

#define VM_REASON_LEN		32
#define CONSOLE_LINE_LEN	160

struct vm {
	const struct cfg_guest *cfg;
	struct physmap pm;
	struct aperture_stats stats;
	struct mmu mmu;
	struct vcpu vcpu;

	u64 deadline_tsc;			/* 0: no time limit */

	enum vm_state state;
	u64 exit_status;
	char kill_reason[VM_REASON_LEN];	/* one word, e.g. "hlt" */

	/* Console line assembly for the UART and the console hypercall. */
	char line[CONSOLE_LINE_LEN];
	u32 line_len;
	struct uart16550 com1;

	/* Unknown ports already reported (a write to one is logged once). */
	u64 *ports_logged;
};

int vm_create(struct vm **vmp, const struct cfg_guest *cfg);
void vm_destroy(struct vm *vm);

/* Ends the guest: the run loop stops before the next entry. */
void vm_kill(struct vm *vm, const char *reason_word, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void vm_exit_status(struct vm *vm, u64 status);

/* Guest console output, assembled into lines prefixed with the guest name. */
void vm_console_write(struct vm *vm, const char *s, size_t len);
void vm_console_flush(struct vm *vm);

#endif /* HV_VM_H */
