/* SPDX-License-Identifier: MIT */
/*
 * A small printf: conversions %s %c %d %i %u %x %p %%, length modifiers l
 * and ll, flags '0' and '#', and a field width.  printf() writes to COM1.
 */
#ifndef GUEST_RT_PRINTF_H
#define GUEST_RT_PRINTF_H

#include "types.h"

#define __printf(a, b)	__attribute__((format(printf, a, b)))

/* Like C's: returns the length the full output would have had. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

int vprintf(const char *fmt, va_list ap);
int printf(const char *fmt, ...) __printf(1, 2);

#endif /* GUEST_RT_PRINTF_H */
