// SPDX-License-Identifier: MIT
/* Host tests for boot/options.c: load options from UCS-2 to ASCII. */
#define UNIT_SUITE "boot_options"
#include <string.h>
#include <lib/errno.h>
#include <boot/options.h>
#include "unit.h"

/* Widens an ASCII literal to UCS-2 as the firmware would pass it. */
static size_t widen(const char *s, u16 *out)
{
	size_t n = 0;

	while (s[n]) {
		out[n] = (u8)s[n];
		n++;
	}
	out[n] = 0;
	return n + 1;	/* firmware sizes include the NUL */
}

static int convert(const char *in, char *out, size_t cap)
{
	u16 w[256];
	size_t bad = 0, n = widen(in, w);

	return boot_options_to_ascii(w, n, out, cap, &bad);
}

static void test_plain_options(void)
{
	char out[64];

	CHECK_EQ(convert("exit=qemu pool=64", out, sizeof(out)), 0);
	CHECK(strcmp(out, "exit=qemu pool=64") == 0);
}

static void test_shell_image_stripped(void)
{
	char out[64];

	CHECK_EQ(convert("hv.efi exit=qemu", out, sizeof(out)), 0);
	CHECK(strcmp(out, "exit=qemu") == 0);
	CHECK_EQ(convert("  fs0:\\EFI\\BOOT\\BOOTX64.EFI  a=b", out,
			 sizeof(out)), 0);
	CHECK(strcmp(out, "a=b") == 0);
	CHECK_EQ(convert("\"fs0:\\my dir\\hv.Efi\" a=b", out, sizeof(out)), 0);
	CHECK(strcmp(out, "a=b") == 0);
	CHECK_EQ(convert("hv.efi", out, sizeof(out)), 0);
	CHECK(strcmp(out, "") == 0);
}

static void test_first_token_kept(void)
{
	char out[64];

	/* A boot entry's optional data has no program name in front. */
	CHECK_EQ(convert("  config=\\x.cfg efi", out, sizeof(out)), 0);
	CHECK(strcmp(out, "config=\\x.cfg efi") == 0);
	CHECK_EQ(convert("efi exit=qemu", out, sizeof(out)), 0);
	CHECK(strcmp(out, "efi exit=qemu") == 0);
}

static void test_whitespace_and_nul(void)
{
	u16 w[] = { 'a', '=', '1', '\t', 'b', '=', '2', 0, 'c', '=', '3' };
	char out[16];
	size_t bad = 0;

	CHECK_EQ(boot_options_to_ascii(w, ARRAY_SIZE(w), out, sizeof(out),
				       &bad), 0);
	CHECK(strcmp(out, "a=1 b=2") == 0);
	/* Odd-sized or unterminated buffers stop at the count given. */
	CHECK_EQ(boot_options_to_ascii(w, 2, out, sizeof(out), &bad), 0);
	CHECK(strcmp(out, "a=") == 0);
	CHECK_EQ(boot_options_to_ascii(NULL, 0, out, sizeof(out), &bad), 0);
	CHECK(strcmp(out, "") == 0);
}

static void test_non_ascii_rejected(void)
{
	u16 w[] = { 'a', '=', 0xe9, 0 };
	u16 ctl[] = { 'a', 0x01, 0 };
	char out[16];
	size_t bad = 99;

	CHECK_EQ(boot_options_to_ascii(w, ARRAY_SIZE(w), out, sizeof(out),
				       &bad), -EINVAL);
	CHECK_EQ(bad, 2);
	CHECK_EQ(boot_options_to_ascii(ctl, ARRAY_SIZE(ctl), out, sizeof(out),
				       &bad), -EINVAL);
	CHECK_EQ(bad, 1);
}

static void test_too_long(void)
{
	char out[8];

	CHECK_EQ(convert("1234567", out, sizeof(out)), 0);
	CHECK_EQ(convert("12345678", out, sizeof(out)), -E2BIG);
	CHECK_EQ(convert("", out, 0), -E2BIG);
}

int main(void)
{
	RUN(test_plain_options);
	RUN(test_shell_image_stripped);
	RUN(test_first_token_kept);
	RUN(test_whitespace_and_nul);
	RUN(test_non_ascii_rejected);
	RUN(test_too_long);
	return unit_done();
}
