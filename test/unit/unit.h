/* SPDX-License-Identifier: MIT */
/*
 * Minimal host unit-test framework.  Each test binary prints one line per
 * case in the kvm-unit-tests convention (PASS:/FAIL: <suite>: <case>), which
 * test/check.sh counts, and exits non-zero if any case failed.
 *
 *	static void test_foo(void) { CHECK(1 + 1 == 2); CHECK_EQ(x, 3); }
 *	int main(void) { RUN(test_foo); return unit_done(); }
 *
 * UNIT_SUITE must be defined before including this header.
 */
#ifndef TEST_UNIT_H
#define TEST_UNIT_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef UNIT_SUITE
#error "define UNIT_SUITE before including unit.h"
#endif

static int unit_case_failed;
static int unit_passed, unit_failed;

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "  %s:%d: CHECK(%s) failed\n",	\
				__FILE__, __LINE__, #cond);		\
			unit_case_failed = 1;				\
		}							\
	} while (0)

#define CHECK_EQ(a, b)							\
	do {								\
		uint64_t _a = (uint64_t)(a), _b = (uint64_t)(b);	\
		if (_a != _b) {						\
			fprintf(stderr, "  %s:%d: %s == %s failed: "	\
				"0x%" PRIx64 " != 0x%" PRIx64 "\n",	\
				__FILE__, __LINE__, #a, #b, _a, _b);	\
			unit_case_failed = 1;				\
		}							\
	} while (0)

static inline void unit_run(void (*fn)(void), const char *name)
{
	unit_case_failed = 0;
	fn();
	if (unit_case_failed) {
		unit_failed++;
		printf("FAIL: %s: %s\n", UNIT_SUITE, name);
	} else {
		unit_passed++;
		printf("PASS: %s: %s\n", UNIT_SUITE, name);
	}
	fflush(stdout);
}

#define RUN(fn) unit_run(fn, #fn)

static inline int unit_done(void)
{
	printf("SUMMARY: %s: %d passed, %d failed\n", UNIT_SUITE,
	       unit_passed, unit_failed);
	return unit_failed ? 1 : 0;
}

#endif /* TEST_UNIT_H */
