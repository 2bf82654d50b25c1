/* SPDX-License-Identifier: MIT */
#ifndef LIB_PRINTF_H
#define LIB_PRINTF_H

#include <stdarg.h>
#include <lib/types.h>

/*
 * A small vsnprintf: %d %i %u %x %X %p %s %c %%, with the l/ll/z length
 * modifiers, '0' padding, '-' alignment, '#' (0x prefix), a field width
 * and a precision for %s ("%.*s").  Always
 * NUL-terminates; returns the length the full output would have had.
 */
int hv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
int hv_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* LIB_PRINTF_H */
