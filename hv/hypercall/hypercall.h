/* SPDX-License-Identifier: MIT */
/*
 * Hypercall dispatcher (ABI: include/aperture/hypercall.h).  Host-buildable:
 * everything it needs from the rest of the hypervisor comes in through
 * struct hc_env, so unit tests and the fuzzer drive it with a fake one.
 */
#ifndef HV_HYPERCALL_HYPERCALL_H
#define HV_HYPERCALL_HYPERCALL_H

#include <hv/memslot/physmap.h>

/* All callbacks are mandatory. */
struct hc_env_ops {
	void (*console_write)(void *ctx, const char *s, size_t len);
	void (*exit)(void *ctx, u64 status);		/* guest asked to exit */
	/* guest-physical [gfn, gfn + npages) changed meaning */
	void (*invalidate_range)(void *ctx, gfn_t gfn, u64 npages);
	/* dirty bitmap of this slot was just cleared: re-write-protect it */
	void (*dirty_log_cleared)(void *ctx, struct memslot *slot);
	/*
	 * The dispatcher wrote guest-physical [gpa, gpa + len) for the guest
	 * (a result structure): whatever caches guest memory contents, such
	 * as the shadow of a guest page table there, must forget them.
	 */
	void (*written)(void *ctx, gpa_t gpa, u64 len);
};

struct hc_env {
	const struct hc_env_ops *ops;
	void *ctx;
	struct physmap *pm;
	struct aperture_stats *stats;
};

/*
 * Run hypercall @nr with arguments a0..a3 (RBX, RCX, RDX, RSI) and return
 * the value for RAX: >= 0 on success, negative errno on failure,
 * -KVM_ENOSYS for an unknown @nr.  Every call counts in stats->hypercalls.
 */
s64 hypercall_dispatch(struct hc_env *env, u64 nr, u64 a0, u64 a1, u64 a2,
		       u64 a3);

#endif /* HV_HYPERCALL_HYPERCALL_H */
