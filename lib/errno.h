/* SPDX-License-Identifier: MIT */
/*
 * Error numbers.  The hypervisor returns negative errno everywhere.  In the
 * host (unit-test) build the C library's <errno.h> provides the same Linux
 * values, which test/unit/abi_test.c checks against the public ABI.
 */
#ifndef LIB_ERRNO_H
#define LIB_ERRNO_H

#include <aperture/hypercall.h>

#if __STDC_HOSTED__
#include <errno.h>
#else
#define EPERM		APERTURE_EPERM
#define ENOENT		APERTURE_ENOENT
#define E2BIG		APERTURE_E2BIG
#define ENOEXEC		8
#define ENOMEM		APERTURE_ENOMEM
#define EFAULT		APERTURE_EFAULT
#define EBUSY		APERTURE_EBUSY
#define EEXIST		APERTURE_EEXIST
#define ENODEV		19
#define EINVAL		APERTURE_EINVAL
#define ENOSPC		APERTURE_ENOSPC
#define ERANGE		APERTURE_ERANGE
#define ENOSYS		38
#define EOVERFLOW	75
#define EOPNOTSUPP	95
#define EIO		5
#define EAGAIN		11
#define EFBIG		27
#endif

#define KVM_ENOSYS	APERTURE_ENOSYS_KVM

#endif /* LIB_ERRNO_H */
