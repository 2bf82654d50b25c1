// SPDX-License-Identifier: MIT
/*
 * hv_snprintf: every conversion the hypervisor uses, the padding flags, and
 * the C99 snprintf contract on truncation (always NUL-terminated, returns
 * the untruncated length).
 */
#define UNIT_SUITE "printf"
#include "unit.h"

#include <lib/printf.h>
#include <lib/string.h>

static char buf[128];

/* Formats into a fresh buffer; checks both the text and the return value. */
#define EXPECT(want, ...)						\
	do {								\
		int _n;							\
		memset(buf, 0x7e, sizeof(buf));				\
		_n = hv_snprintf(buf, sizeof(buf), __VA_ARGS__);	\
		if (strcmp(buf, want))					\
			fprintf(stderr, "  got \"%s\", want \"%s\"\n",	\
				buf, want);				\
		CHECK(!strcmp(buf, want));				\
		CHECK_EQ(_n, strlen(want));				\
	} while (0)

static void test_signed(void)
{
	EXPECT("0", "%d", 0);
	EXPECT("-1", "%d", -1);
	EXPECT("2147483647", "%d", 2147483647);
	EXPECT("-2147483648", "%d", (int)(-2147483647 - 1));
	EXPECT("-42", "%i", -42);
	EXPECT("-9223372036854775808", "%lld",
	       (long long)(-9223372036854775807ll - 1));
	EXPECT("9223372036854775807", "%ld", 9223372036854775807l);
	/* An int argument is not read as 64 bits: -1 is not 4294967295. */
	EXPECT("-1 7", "%d %d", -1, 7);
}

static void test_unsigned(void)
{
	EXPECT("0", "%u", 0u);
	EXPECT("4294967295", "%u", 4294967295u);
	EXPECT("18446744073709551615", "%llu", 18446744073709551615ull);
	EXPECT("18446744073709551615", "%lu", 18446744073709551615ul);
	EXPECT("123", "%zu", (size_t)123);
}

static void test_hex(void)
{
	EXPECT("0", "%x", 0u);
	EXPECT("deadbeef", "%x", 0xdeadbeefu);
	EXPECT("DEADBEEF", "%X", 0xdeadbeefu);
	EXPECT("0x1f", "%#x", 0x1fu);
	EXPECT("0xABC", "%#X", 0xabcu);
	EXPECT("ffffffffffffffff", "%lx", 0xfffffffffffffffful);
	EXPECT("ffffffffffffffff", "%llx", 0xffffffffffffffffull);
	EXPECT("8000000000000000", "%llx", 0x8000000000000000ull);
	EXPECT("0x123456789abcdef0", "%#llx", 0x123456789abcdef0ull);
	/* No length modifier: only the low 32 bits are an argument. */
	EXPECT("ffffffff", "%x", 0xffffffffu);
}

static void test_pointer(void)
{
	EXPECT("0x1000", "%p", (void *)0x1000);
	EXPECT("0xffff800000000000", "%p", (void *)0xffff800000000000ull);
}

static void test_string(void)
{
	/* volatile: gcc would reject a literal NULL for %s at compile time. */
	const char *volatile null_str = NULL;

	EXPECT("hello", "%s", "hello");
	EXPECT("", "%s", "");
	EXPECT("(null)", "%s", null_str);
	EXPECT("[(null)]", "[%s]", null_str);
	EXPECT("abc", "%.*s", 3, "abcdef");
	EXPECT("", "%.*s", 0, "abcdef");
	EXPECT("ab", "%.*s", 5, "ab");
	/* A negative precision is taken as absent (C99 7.19.6.1p5). */
	EXPECT("abcdef", "%.*s", -1, "abcdef");
	EXPECT("ab", "%.2s", "abcdef");
	EXPECT("   ab", "%5s", "ab");
	EXPECT("ab   |", "%-5s|", "ab");
	EXPECT("abcdef", "%3s", "abcdef");
}

static void test_width_padding(void)
{
	EXPECT("   42", "%5d", 42);
	EXPECT("00042", "%05d", 42);
	EXPECT("42   |", "%-5d|", 42);
	EXPECT("  -42", "%5d", -42);
	/* The sign goes before the zeros. */
	EXPECT("-0042", "%05d", -42);
	EXPECT("-42  |", "%-5d|", -42);
	EXPECT("000000ff", "%08x", 0xffu);
	EXPECT("0000000000001000", "%016llx", 0x1000ull);
	EXPECT("12345", "%3d", 12345);
}

/* '#' behaves as C's: the 0x counts in the width and precedes zero padding. */
static void test_alt_with_width(void)
{
	EXPECT("  0xab", "%#6x", 0xab);
	EXPECT("0x00ab", "%#06x", 0xab);
	EXPECT("0xab  ", "%-#6x", 0xab);
	EXPECT("0", "%#x", 0);
}

static void test_char_percent(void)
{
	EXPECT("x", "%c", 'x');
	EXPECT("a-b", "a%cb", '-');
	EXPECT("100%", "%d%%", 100);
	EXPECT("%", "%%");
	EXPECT("[A:1:b]", "[%c:%u:%s]", 'A', 1u, "b");
}

static void test_truncation(void)
{
	char small[8];
	int n;

	memset(small, 0x7e, sizeof(small));
	n = hv_snprintf(small, sizeof(small), "%s", "0123456789");
	CHECK_EQ(n, 10);
	CHECK(!strcmp(small, "0123456"));

	/* Exactly fits: size - 1 characters and the NUL. */
	memset(small, 0x7e, sizeof(small));
	n = hv_snprintf(small, sizeof(small), "%07d", 1);
	CHECK_EQ(n, 7);
	CHECK(!strcmp(small, "0000001"));

	/* Truncated in the middle of a number. */
	memset(small, 0x7e, sizeof(small));
	n = hv_snprintf(small, 4, "%x", 0xabcdefu);
	CHECK_EQ(n, 6);
	CHECK(!strcmp(small, "abc"));
	CHECK_EQ((u8)small[4], 0x7e);		/* nothing past size */

	/* Size 1: only the NUL. */
	memset(small, 0x7e, sizeof(small));
	n = hv_snprintf(small, 1, "abc%d", 12);
	CHECK_EQ(n, 5);
	CHECK_EQ(small[0], '\0');
	CHECK_EQ((u8)small[1], 0x7e);
}

static void test_size_zero(void)
{
	char c = 'Q';

	/* Nothing is written, not even the NUL; the length still counts. */
	CHECK_EQ(hv_snprintf(&c, 0, "%s-%d", "abc", -7), 6);
	CHECK_EQ(c, 'Q');
	CHECK_EQ(hv_snprintf(NULL, 0, "%llx", 0x1234ull), 4);
}

int main(void)
{
	RUN(test_signed);
	RUN(test_unsigned);
	RUN(test_hex);
	RUN(test_pointer);
	RUN(test_string);
	RUN(test_width_padding);
	RUN(test_alt_with_width);
	RUN(test_char_percent);
	RUN(test_truncation);
	RUN(test_size_zero);
	return unit_done();
}
