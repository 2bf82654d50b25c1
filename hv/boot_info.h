/* SPDX-License-Identifier: MIT */
/*
 * The one structure boot/ hands to the hypervisor core.  Everything the core
 * needs from UEFI arrives here: memory, configuration, a console and a way to
 * read guest images.  After hv_main() returns, boot/ performs the platform
 * exit (or returns to the firmware).
 */
#ifndef HV_BOOT_INFO_H
#define HV_BOOT_INFO_H

#include <hv/config/config.h>
#include <lib/types.h>

struct boot_info {
	/* Hypervisor pool: identity-mapped, page-aligned, below 4 GiB. */
	u64 pool_base;
	u64 pool_pages;

	/*
	 * Allocates @pages zeroed, identity-mapped pages that the firmware
	 * never frees or hands out again while it runs (nothing frees them),
	 * or returns NULL.  For what the CPU still points at after hv_main()
	 * returns: the host GDT and TSS that TR keeps (hv/vmx/host.c).
	 */
	void *(*alloc_kept)(u64 pages);

	/*
	 * The configuration file with the load options applied, parsed by
	 * boot/ without a fatal error (a run with one never gets here).
	 */
	const struct hv_config *config;

	/* TSC ticks per millisecond (0: unknown, guest time limits are off). */
	u64 tsc_khz;

	/* Writes text to every console (UEFI ConOut and COM1). */
	void (*console_write)(const char *s, size_t len);
	/*
	 * Opens (@live) and closes the window in which a guest's state is
	 * live in the CPU; hv_main() hands it to the log
	 * (log_set_guest_live_hook, lib/log.h), where vcpu_run() calls it.
	 * Inside the window console_write() calls no firmware: COM1 is
	 * written directly and ConOut output is held in a buffer boot/
	 * allocated beforehand; closing the window writes it out.  Closing
	 * a window that is not open only writes out what is held.
	 */
	void (*console_guest_live)(bool live);

	/*
	 * Reads a file from the guest directory on the boot volume.  The
	 * buffer is allocated by boot/ and released with free_file().
	 * Returns 0 or a negative errno (-ENOENT, -EIO, -ENOMEM, -EFBIG).
	 */
	int (*read_file)(const char *name, void **data, u64 *size);
	void (*free_file)(void *data, u64 size);
};

/* Outcome of a whole run; boot/ maps it to a platform exit code. */
enum hv_status {
	HV_STATUS_PASS = 0,	/* every guest met its expectation */
	HV_STATUS_FAIL,		/* at least one guest did not */
	HV_STATUS_NO_VMX,	/* VMX unavailable or disabled by firmware */
	HV_STATUS_ERROR,	/* internal error (bad config, no memory, ...) */
};

enum hv_status hv_main(const struct boot_info *bi);

#endif /* HV_BOOT_INFO_H */
