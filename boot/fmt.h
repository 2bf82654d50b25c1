/* SPDX-License-Identifier: MIT */
/*
 * A tiny vsnprintf for boot/'s messages.  Pure, so it is unit-tested on the
 * host.  Conversions: %s %c %d %u %x %p %%, with the length modifiers l, ll
 * and z, and an optional '0' flag and field width (e.g. "%08llx").
 * Anything else is copied literally, so a bad format is visible, not fatal.
 */
#ifndef BOOT_FMT_H
#define BOOT_FMT_H

#include <stdarg.h>
#include <hv/types.h>

/*
 * Formats into @buf (always NUL-terminated when @cap > 0, truncating).
 * Returns the length the full output would have had.
 */
size_t boot_vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap);
size_t boot_snprintf(char *buf, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* BOOT_FMT_H */
