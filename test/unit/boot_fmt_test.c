// SPDX-License-Identifier: MIT
/* Host tests for boot/fmt.c, checked against the C library's snprintf. */
#define UNIT_SUITE "boot_fmt"
#include <string.h>
#include <boot/fmt.h>
#include "unit.h"

#define SAME(...)							\
	do {								\
		char _a[128], _b[128];					\
		size_t _n = boot_snprintf(_a, sizeof(_a), __VA_ARGS__);	\
		int _m = snprintf(_b, sizeof(_b), __VA_ARGS__);		\
		CHECK_EQ(_n, _m);					\
		if (strcmp(_a, _b))					\
			fprintf(stderr, "  got '%s' want '%s'\n", _a, _b); \
		CHECK(strcmp(_a, _b) == 0);				\
	} while (0)

static void test_integers(void)
{
	SAME("%d %d %d", 0, -42, 2147483647);
	SAME("%d", (int)-2147483647 - 1);
	SAME("%u %x", 4294967295u, 0xdeadbeefu);
	SAME("%lu %lx", 18446744073709551615ul, 0xfedcba9876543210ul);
	SAME("%llu %lld", 12345678901234ull, -9223372036854775807ll - 1);
	SAME("%zu", (size_t)12345);
}

static void test_width_and_pad(void)
{
	SAME("[%08x]", 0x1234u);
	SAME("[%5d]", -12);
	SAME("[%05d]", -12);
	SAME("[%2u]", 12345u);
	SAME("[%04x]", 0xe9u);
	SAME("[%6s]", "ab");
}

static void test_strings_and_chars(void)
{
	SAME("%s=%c%%", "exit", 'q');
	SAME("plain text");
	SAME("%s", "");
}

static void test_pointer(void)
{
	char buf[32];

	boot_snprintf(buf, sizeof(buf), "%p", (void *)0x1000);
	CHECK(strcmp(buf, "0x1000") == 0);
}

static void test_truncation(void)
{
	char buf[8];

	memset(buf, 'x', sizeof(buf));
	CHECK_EQ(boot_snprintf(buf, sizeof(buf), "%s", "0123456789"), 10);
	CHECK(strcmp(buf, "0123456") == 0);
	CHECK_EQ(boot_snprintf(buf, 0, "abc"), 3);
	CHECK_EQ(buf[0], '0');	/* cap 0 writes nothing */
}

/* These formats are deliberately invalid. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
static void test_unknown_conversion(void)
{
	char buf[32];

	boot_snprintf(buf, sizeof(buf), "a%qb");
	CHECK(strcmp(buf, "a%qb") == 0);
	boot_snprintf(buf, sizeof(buf), "end%");
	CHECK(strcmp(buf, "end%") == 0);
}
#pragma GCC diagnostic pop

int main(void)
{
	RUN(test_integers);
	RUN(test_width_and_pad);
	RUN(test_strings_and_chars);
	RUN(test_pointer);
	RUN(test_truncation);
	RUN(test_unknown_conversion);
	return unit_done();
}
