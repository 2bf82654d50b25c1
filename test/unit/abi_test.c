// SPDX-License-Identifier: MIT
/*
 * The hypercall ABI's error numbers are Linux's: the host build takes its
 * errno values from the C library, the freestanding build from the ABI
 * header (lib/errno.h), so both must agree for host tests to mean what
 * the guests see.
 */
#define UNIT_SUITE "abi"
#include "unit.h"

#include <lib/errno.h>

static void test_errno_values_are_the_abi(void)
{
	CHECK_EQ(EPERM, APERTURE_EPERM);
	CHECK_EQ(ENOENT, APERTURE_ENOENT);
	CHECK_EQ(E2BIG, APERTURE_E2BIG);
	CHECK_EQ(ENOMEM, APERTURE_ENOMEM);
	CHECK_EQ(EFAULT, APERTURE_EFAULT);
	CHECK_EQ(EBUSY, APERTURE_EBUSY);
	CHECK_EQ(EEXIST, APERTURE_EEXIST);
	CHECK_EQ(EINVAL, APERTURE_EINVAL);
	CHECK_EQ(ENOSPC, APERTURE_ENOSPC);
	CHECK_EQ(ERANGE, APERTURE_ERANGE);
}

/* The freestanding list's own numbers are Linux's too. */
static void test_freestanding_values_are_linux(void)
{
	CHECK_EQ(ENOEXEC, 8);
	CHECK_EQ(ENODEV, 19);
	CHECK_EQ(ENOSYS, 38);
	CHECK_EQ(EOVERFLOW, 75);
	CHECK_EQ(EOPNOTSUPP, 95);
	CHECK_EQ(EIO, 5);
	CHECK_EQ(EAGAIN, 11);
	CHECK_EQ(EFBIG, 27);
	CHECK_EQ(KVM_ENOSYS, 1000);
}

int main(void)
{
	RUN(test_errno_values_are_the_abi);
	RUN(test_freestanding_values_are_linux);
	return unit_done();
}
