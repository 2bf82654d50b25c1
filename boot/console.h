/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor console: UEFI ConOut and/or COM1.
 *
 * OVMF (and some real firmware) already copies ConOut to COM1, so writing
 * both would print every line twice on the serial port.  The mode, from the
 * `console=` setting, picks the sinks:
 *
 *   both    ConOut and COM1 (default for interactive use: screen and serial)
 *   serial  COM1 only (default with exit=qemu|bochs, where the serial log
 *           is the test result and must hold each line once)
 *   efi     ConOut only (firmware that mirrors ConOut to the serial port, or
 *           machines without a UART at 0x3f8)
 */
#ifndef BOOT_CONSOLE_H
#define BOOT_CONSOLE_H

#include <efi.h>
#include <lib/types.h>

enum console_mode {
	CONSOLE_BOTH,
	CONSOLE_SERIAL,
	CONSOLE_EFI,
};

/* Starts in CONSOLE_BOTH and initialises the UART. */
void console_init(SIMPLE_TEXT_OUTPUT_INTERFACE *conout);
void console_set_mode(enum console_mode mode);

/* ASCII text; "\n" becomes "\r\n" on every sink.  boot_info.console_write. */
void console_write(const char *s, size_t len);
void console_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* BOOT_CONSOLE_H */
