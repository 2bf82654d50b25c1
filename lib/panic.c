// SPDX-License-Identifier: MIT
#define LOG_SUBSYS "hv"
#include <stdarg.h>

#include <lib/log.h>
#include <lib/panic.h>
#include <lib/printf.h>

#if __STDC_HOSTED__
#include <stdio.h>
#include <stdlib.h>
#endif

static struct hv_jmp_buf *landing;

void panic_set_landing(struct hv_jmp_buf *b)
{
	landing = b;
}

void hv_panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	hv_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_raw_printf("PANIC: %s", msg);
#if __STDC_HOSTED__
	fprintf(stderr, "PANIC: %s", msg);
	abort();
#else
	if (landing)
		hv_longjmp(landing, 1);
	/* Nowhere to go back to: stop this CPU, not the machine's disks. */
	for (;;)
		asm volatile("cli; hlt");
#endif
}
