/* SPDX-License-Identifier: MIT */
/*
 * kvm-unit-tests-style reporting.  Every case prints exactly one line on
 * COM1, which the hypervisor's test tier parses:
 *	PASS: <suite>: <case>
 *	FAIL: <suite>: <case>
 *	SKIP: <suite>: <case>
 * and test_exit() ends with
 *	SUMMARY: <suite>: <passed> passed, <failed> failed
 * before exiting with status 0 if nothing failed, else 1.
 */
#ifndef GUEST_RT_TEST_H
#define GUEST_RT_TEST_H

#include "printf.h"
#include "types.h"

void test_init(const char *suite);

/* Report one case; the name is printf-formatted.  Returns pass. */
bool report(bool pass, const char *fmt, ...) __printf(2, 3);

/* A case that could not run here (missing CPU feature, ...). */
void report_skip(const char *fmt, ...) __printf(1, 2);

noreturn void test_exit(void);

#endif /* GUEST_RT_TEST_H */
