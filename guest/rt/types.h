/* SPDX-License-Identifier: MIT */
/*
 * Basic types for guest kernels, 32-bit and 64-bit builds alike.  Guests are built against the
 * compiler's freestanding headers only; the hypervisor's lib/types.h is not on
 * their include path because it describes the host, not the guest.
 */
#ifndef GUEST_RT_TYPES_H
#define GUEST_RT_TYPES_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdnoreturn.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define BIT(n)		(1u << (n))

#endif /* GUEST_RT_TYPES_H */
