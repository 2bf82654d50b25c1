/* SPDX-License-Identifier: MIT */
/*
 * XSETBV with a guest's value, under an exception fixup.  The value has
 * passed every XCR0 rule we know (xcr0_valid); should the processor still
 * refuse it, the #GP lands here instead of in the firmware's handler,
 * which would stop the machine, and the guest gets the #GP.
 */
#ifndef LIB_XSETBV_CHECKED_H
#define LIB_XSETBV_CHECKED_H

#include <lib/types.h>

/* 0 with XCR0 = @val, or -EFAULT if XSETBV faulted (XCR0 unchanged). */
int xsetbv_checked(u64 val);

#endif /* LIB_XSETBV_CHECKED_H */
