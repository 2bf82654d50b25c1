/* SPDX-License-Identifier: MIT */
/* COM1 output by polling. */
#ifndef GUEST_RT_SERIAL_H
#define GUEST_RT_SERIAL_H

#include "types.h"

void serial_putc(char c);
void serial_write(const char *s, size_t len);

#endif /* GUEST_RT_SERIAL_H */
