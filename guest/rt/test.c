// SPDX-License-Identifier: MIT
#include "rt.h"
#include "test.h"

static const char *suite = "unnamed";
static unsigned int passed, failed;

void test_init(const char *name)
{
	suite = name;
	passed = 0;
	failed = 0;
}

static void report_line(const char *tag, const char *fmt, va_list ap)
{
	printf("%s: %s: ", tag, suite);
	vprintf(fmt, ap);
	printf("\n");
}

bool report(bool pass, const char *fmt, ...)
{
	va_list ap;

	if (pass)
		passed++;
	else
		failed++;
	va_start(ap, fmt);
	report_line(pass ? "PASS" : "FAIL", fmt, ap);
	va_end(ap);
	return pass;
}

void report_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report_line("SKIP", fmt, ap);
	va_end(ap);
}

noreturn void test_exit(void)
{
	printf("SUMMARY: %s: %u passed, %u failed\n", suite, passed, failed);
	rt_exit(failed ? 1 : 0);
}
