/* SPDX-License-Identifier: MIT */
/*
 * The panic path, for the hypervisor's own invariants.  A guest that
 * misbehaves is ended with vm_kill(); a broken invariant of the
 * hypervisor's own state (the page pool, say) cannot be blamed on one
 * guest, so it ends the whole run: hv_panic() prints what broke, leaves
 * VMX operation and returns to boot/ with HV_STATUS_ERROR, so that the
 * firmware keeps running.  In the host (unit-test) build it aborts.
 */
#ifndef LIB_PANIC_H
#define LIB_PANIC_H

#include <lib/types.h>

struct hv_jmp_buf {
	u64 rbx, rbp, r12, r13, r14, r15, rsp, rip;
};

int hv_setjmp(struct hv_jmp_buf *b) __attribute__((returns_twice));
void hv_longjmp(struct hv_jmp_buf *b, int v) __attribute__((noreturn));

/* Where hv_panic() resumes; NULL while no run is in progress. */
void panic_set_landing(struct hv_jmp_buf *b);

void hv_panic(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));

#define HV_BUG_ON(cond)							\
	do {								\
		if (unlikely(cond))					\
			hv_panic("BUG at %s:%d: %s\n", __FILE__,	\
				 __LINE__, #cond);			\
	} while (0)

#endif /* LIB_PANIC_H */
