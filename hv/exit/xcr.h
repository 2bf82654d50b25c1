/* SPDX-License-Identifier: MIT */
#ifndef HV_EXIT_XCR_H
#define HV_EXIT_XCR_H

#include <lib/types.h>

/*
 * Whether XSETBV may load @val into XCR0 on a processor supporting the
 * components in @supported (xcr.c).
 */
bool xcr0_valid(u64 val, u64 supported);

#endif /* HV_EXIT_XCR_H */
