/* SPDX-License-Identifier: MIT */
/*
 * The few string routines the core needs.  The freestanding build gets them
 * from lib/string.c; the host build uses the C library's.
 */
#ifndef LIB_STRING_H
#define LIB_STRING_H

#include <lib/types.h>

#if __STDC_HOSTED__
#include <string.h>
#else
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
#endif

#endif /* LIB_STRING_H */
