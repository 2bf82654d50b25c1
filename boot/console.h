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
 *
 * No firmware code may run while a guest's state is live in the CPU
 * (lib/log.h): it would run on the guest's vector registers, and EDK II
 * turns interrupts on when it lowers the TPL, so its timer callbacks would
 * run in the middle of exit handling.  Inside that window, which the core
 * marks through boot_info.console_guest_live, COM1 is still written at
 * once (the UART's ports only, serial.h), so a guest's output can be
 * watched live there; ConOut output goes to a 64 KiB buffer that keeps
 * the newest bytes and is written out, after one line counting what did
 * not fit, when the window closes.  With console=efi a guest's output
 * therefore reaches the screen only when the guest stops.
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

/*
 * ASCII text; "\n" becomes "\r\n" on every sink.  boot_info.console_write.
 * Calls no firmware while a guest is live.
 */
void console_write(const char *s, size_t len);

/*
 * boot_info.console_guest_live: @live opens the window in which ConOut
 * output is held; closing it (also when it is not open) writes out what
 * was held.
 */
void console_guest_live(bool live);

/*
 * Allocates the hold buffer from UEFI pool, once, before any guest runs,
 * when the mode writes to ConOut; without it, held output is dropped and
 * counted.  console_hold_free() writes out what is held and frees it.
 */
void console_hold_alloc(EFI_BOOT_SERVICES *bs);
void console_hold_free(EFI_BOOT_SERVICES *bs);
void console_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* BOOT_CONSOLE_H */
