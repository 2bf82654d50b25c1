// SPDX-License-Identifier: MIT
/* The boot console: ConOut and/or COM1, chosen by console= (console.h). */
#include <stdarg.h>
#include <boot/console.h>
#include <lib/printf.h>
#include <boot/serial.h>

static SIMPLE_TEXT_OUTPUT_INTERFACE *con_out;
static enum console_mode con_mode = CONSOLE_BOTH;

void console_init(SIMPLE_TEXT_OUTPUT_INTERFACE *conout)
{
	con_out = conout;
	serial_init();
}

void console_set_mode(enum console_mode mode)
{
	con_mode = mode;
}

/* ConOut takes UCS-2; convert through a small buffer, "\n" -> "\r\n". */
static void efi_flush(CHAR16 *buf, size_t n)
{
	buf[n] = 0;
	uefi_call_wrapper(con_out->OutputString, 2, con_out, buf);
}

static void efi_write(const char *s, size_t len)
{
	CHAR16 buf[128];
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		char c = s[i] == '\t' ? ' ' : s[i];

		/* Room for "\r\n" and the terminating NUL. */
		if (n + 3 > ARRAY_SIZE(buf)) {
			efi_flush(buf, n);
			n = 0;
		}
		if (c == '\n')
			buf[n++] = L'\r';
		if ((c < 0x20 || c > 0x7e) && c != '\n')
			c = '?';
		buf[n++] = (CHAR16)c;
	}
	if (n)
		efi_flush(buf, n);
}

void console_write(const char *s, size_t len)
{
	if (con_mode != CONSOLE_SERIAL && con_out)
		efi_write(s, len);
	if (con_mode != CONSOLE_EFI)
		serial_write(s, len);
}

void console_printf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = hv_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	console_write(buf, MIN(n, sizeof(buf) - 1));
}
