/* SPDX-License-Identifier: MIT */
/*
 * The devices that answer at guest-physical addresses with no RAM behind
 * them.  The emulator asks here before it treats an access as one to an
 * empty bus (loads all ones, stores dropped).
 */
#ifndef HV_DEV_PLATFORM_H
#define HV_DEV_PLATFORM_H

#include <lib/types.h>

struct vcpu;

/* Each returns false if no device answers at [@gpa, @gpa + @len). */
bool platform_mmio_read(struct vcpu *vcpu, gpa_t gpa, void *buf,
			unsigned int len);
bool platform_mmio_write(struct vcpu *vcpu, gpa_t gpa, const void *buf,
			 unsigned int len);

#endif /* HV_DEV_PLATFORM_H */
