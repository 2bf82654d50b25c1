// SPDX-License-Identifier: MIT
/* The boot console: ConOut and/or COM1, chosen by console= (console.h). */
#include <stdarg.h>
#include <boot/console.h>
#include <boot/memory.h>
#include <boot/serial.h>
#include <lib/printf.h>
#include <lib/ringbuf.h>

/* ConOut output held while a guest runs: the newest 64 KiB of it. */
#define HOLD_SIZE	(64 * 1024)

static SIMPLE_TEXT_OUTPUT_INTERFACE *con_out;
static enum console_mode con_mode = CONSOLE_BOTH;
static struct ringbuf hold;	/* size 0 until console_hold_alloc() */
static void *hold_mem;
static bool guest_live;

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

/*
 * Called where a guest's state may be live in the CPU (console.h): no
 * firmware call here, only the ring and the UART's ports.
 */
void console_write(const char *s, size_t len)
{
	if (con_mode != CONSOLE_SERIAL && con_out) {
		if (guest_live)
			ringbuf_write(&hold, s, len);
		else
			efi_write(s, len);
	}
	if (con_mode != CONSOLE_EFI)
		serial_write(s, len);
}

/* Writes out what was held, after one line for what did not fit. */
static void hold_flush(void)
{
	u64 dropped = ringbuf_take_dropped(&hold);

	if (dropped) {
		char buf[128];
		size_t n;

		if (hold.size)
			n = hv_snprintf(buf, sizeof(buf),
					"console: %lu bytes of output dropped "
					"while a guest ran (the last %zu KiB "
					"are kept)\n", dropped, hold.size >> 10);
		else
			n = hv_snprintf(buf, sizeof(buf),
					"console: %lu bytes of output dropped "
					"while a guest ran (no buffer)\n",
					dropped);
		efi_write(buf, MIN(n, sizeof(buf) - 1));
	}
	ringbuf_drain(&hold, efi_write);
}

void console_guest_live(bool live)
{
	guest_live = live;
	if (!live && con_out)
		hold_flush();
}

void console_hold_alloc(EFI_BOOT_SERVICES *bs)
{
	if (hold_mem || con_mode == CONSOLE_SERIAL || !con_out)
		return;
	hold_mem = memory_alloc(bs, HOLD_SIZE);
	if (!hold_mem)
		console_printf("boot: console: no memory to hold screen output "
			       "while guests run; it is dropped%s\n",
			       con_mode == CONSOLE_BOTH ? " (COM1 has it)" : "");
	ringbuf_init(&hold, hold_mem, HOLD_SIZE);
}

void console_hold_free(EFI_BOOT_SERVICES *bs)
{
	/* Whatever a run that ended by a panic left held. */
	console_guest_live(false);
	ringbuf_init(&hold, NULL, 0);
	if (hold_mem)
		memory_free(bs, hold_mem);
	hold_mem = NULL;
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
