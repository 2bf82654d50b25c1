// SPDX-License-Identifier: MIT
/*
 * Runtime self-test: formatting, exception catching and Multiboot entry.
 * It runs under plain QEMU as well as under Aperture, so hypercalls are
 * only tried when the Aperture CPUID signature is present.
 */
#include "cpu.h"
#include "hypercall.h"
#include "multiboot.h"
#include "rt.h"
#include "string.h"
#include "test.h"

/* A selector far beyond entry.S's three-entry GDT. */
#define BAD_SELECTOR	0x1238

static bool fmt_is(const char *want, const char *fmt, ...) __printf(2, 3);

static bool fmt_is(const char *want, const char *fmt, ...)
{
	char buf[64];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n == (int)strlen(want) && !strcmp(buf, want))
		return true;
	printf("  got \"%s\" (%d), want \"%s\"\n", buf, n, want);
	return false;
}

static void test_printf(void)
{
	/* volatile hides the NULL from GCC's -Wformat-overflow. */
	const char *volatile null_str = NULL;
	char buf[4];

	report(fmt_is("-5 7 ff", "%d %u %x", -5, 7u, 0xffu), "printf_int");
	report(fmt_is("0000beef 0xbeef   42", "%08x %#x %4d", 0xbeefu, 0xbeefu,
		      42), "printf_width");
	report(fmt_is("123456789abcdef0", "%llx", 0x123456789abcdef0ull),
	       "printf_llx");
	report(fmt_is("18446744073709551615", "%llu", ~0ull), "printf_llu");
	report(fmt_is("-9223372036854775808", "%lld", (long long)(1ull << 63)),
	       "printf_lld_min");
	report(fmt_is("a-x-(null)", "%c-%s-%s", 'a', "x", null_str),
	       "printf_char_string");
	report(fmt_is("0x00001000 100%", "%p %d%%", (void *)0x1000, 100),
	       "printf_pointer_percent");
	report(snprintf(buf, sizeof(buf), "abcdef") == 6 && !strcmp(buf, "abc"),
	       "snprintf_truncates");
}

static void test_exceptions(void)
{
	struct exc_info e;
	u32 after = 0;

	exc_clear();
	exc_skip(2);
	asm volatile("ud2");
	report(exc_caught(&e) == UD_VECTOR && e.error_code == 0,
	       "ud2_skip");

	/* #BP is a trap: the saved EIP is already past int3. */
	exc_clear();
	exc_skip(0);
	asm volatile("int3");
	report(exc_caught(NULL) == BP_VECTOR, "int3_trap");

	/* Loading a selector past the GDT limit: #GP(selector). */
	exc_clear();
	asm volatile(ASM_TRY_BEGIN "movw %w0, %%fs" ASM_TRY_END
		     : : "r"(BAD_SELECTOR) : "memory");
	report(exc_caught(&e) == GP_VECTOR && e.error_code == BAD_SELECTOR,
	       "gp_error_code");

	exc_clear();
	asm volatile(ASM_TRY_BEGIN "xorl %%edx, %%edx\n\tdivl %1\n\t"
		     "movl $1, %0" ASM_TRY_END
		     : "+r"(after) : "r"(0) : "eax", "edx", "memory");
	report(exc_caught(NULL) == DE_VECTOR && after == 0,
	       "de_resumes_after_bracket");

	exc_clear();
	asm volatile(ASM_TRY_BEGIN "movl $1, %0" ASM_TRY_END
		     : "=r"(after) : : "memory");
	report(exc_caught(NULL) == EXC_NONE && after == 1 && !exc_fixup_eip,
	       "no_fault_disarms");
}

int main(u32 magic, struct multiboot_info *mbi)
{
	test_init("smoke");
	report(magic == MULTIBOOT_BOOTLOADER_MAGIC, "multiboot_magic");
	report(mbi && (mbi->flags & MULTIBOOT_INFO_MEMORY) &&
	       mbi->mem_upper >= 1024, "multiboot_mem_upper");
	test_printf();
	test_exceptions();
	if (aperture_present())
		report(hc0(APERTURE_HC_VERSION) == APERTURE_ABI_VERSION,
		       "hc_version");
	else
		report_skip("hc_version (no Aperture signature)");
	test_exit();
}
