// SPDX-License-Identifier: MIT
/* Host tests for boot/options.c: load-option conversion and key lookup. */
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

static void test_option_lookup(void)
{
	const char *opts = "exit=qemu  pool=64 xexit=no exit=bochs config=";
	const char *v;

	v = boot_option(opts, "exit");
	CHECK(v && boot_value_is(v, "bochs"));		/* last one wins */
	v = boot_option(opts, "pool");
	CHECK(v && boot_value_len(v) == 2);
	v = boot_option(opts, "config");
	CHECK(v && boot_value_len(v) == 0);
	CHECK(boot_option(opts, "xit") == NULL);
	CHECK(boot_option(opts, "console") == NULL);
	CHECK(boot_option("", "exit") == NULL);
	CHECK(boot_option("exit", "exit") == NULL);	/* no '=' */
}

static void test_config_lookup(void)
{
	const char *cfg =
		"# exit=return\n"
		"log=info   # console=efi\n"
		"  exit=qemu\n"
		"guest a a.elf -- console=serial exit=bochs\n"
		"\tconsole=efi#trailing\n";
	const char *v;

	v = boot_config_key(cfg, "exit");
	CHECK(v && boot_value_is(v, "qemu"));
	v = boot_config_key(cfg, "console");
	CHECK(v && boot_value_is(v, "efi"));
	CHECK(boot_config_key(cfg, "guest") == NULL);
	CHECK(boot_config_key("", "exit") == NULL);
}

static void test_setting_precedence(void)
{
	const char *cfg = "exit=bochs\npool=96\n";
	const char *v;

	v = boot_setting("exit=qemu", cfg, "exit");
	CHECK(v && boot_value_is(v, "qemu"));
	v = boot_setting("exit=qemu", cfg, "pool");
	CHECK(v && boot_value_is(v, "96"));
	v = boot_setting(NULL, cfg, "exit");
	CHECK(v && boot_value_is(v, "bochs"));
	CHECK(boot_setting("a=b", NULL, "exit") == NULL);
}

static void test_value_helpers(void)
{
	char buf[6];
	u32 n = 7;

	CHECK(boot_value_is("qemu rest", "qemu"));
	CHECK(!boot_value_is("qemux", "qemu"));
	CHECK(!boot_value_is("qem", "qemu"));
	CHECK_EQ(boot_value_copy("abcde fg", buf, sizeof(buf)), 0);
	CHECK(strcmp(buf, "abcde") == 0);
	CHECK_EQ(boot_value_copy("abcdef", buf, sizeof(buf)), -E2BIG);

	CHECK_EQ(boot_value_u32("192", &n), 0);
	CHECK_EQ(n, 192);
	CHECK_EQ(boot_value_u32("4294967295 x", &n), 0);
	CHECK_EQ(n, 4294967295u);
	CHECK_EQ(boot_value_u32("4294967296", &n), -EINVAL);
	CHECK_EQ(boot_value_u32("", &n), -EINVAL);
	CHECK_EQ(boot_value_u32("12M", &n), -EINVAL);
	CHECK_EQ(boot_value_u32("-1", &n), -EINVAL);
}

int main(void)
{
	RUN(test_plain_options);
	RUN(test_shell_image_stripped);
	RUN(test_first_token_kept);
	RUN(test_whitespace_and_nul);
	RUN(test_non_ascii_rejected);
	RUN(test_too_long);
	RUN(test_option_lookup);
	RUN(test_config_lookup);
	RUN(test_setting_precedence);
	RUN(test_value_helpers);
	return unit_done();
}
