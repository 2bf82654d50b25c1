/* SPDX-License-Identifier: MIT */
/*
 * The few <string.h> functions guests need.  GCC may emit calls to memcpy,
 * memset and memcmp even with -ffreestanding, so these must exist.
 */
#ifndef GUEST_RT_STRING_H
#define GUEST_RT_STRING_H

#include "types.h"

void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);

#endif /* GUEST_RT_STRING_H */
