/* SPDX-License-Identifier: MIT */
/*
 * Basic types for the hypervisor core.  Freestanding headers only, so that
 * every host-buildable file compiles unchanged for the unit tests.
 */
#ifndef LIB_TYPES_H
#define LIB_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

typedef u64 gpa_t;	/* guest-physical address */
typedef u64 gva_t;	/* guest-virtual address */
typedef u64 gfn_t;	/* guest frame number */
typedef u64 hpa_t;	/* host-physical address (== host-virtual under UEFI) */

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1ull << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define BIT(n)		(1ull << (n))
#define ALIGN_UP(x, a)	(((x) + ((a) - 1)) & ~((u64)(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((u64)(a) - 1)) == 0)
#define MIN(a, b)	((a) < (b) ? (a) : (b))
#define MAX(a, b)	((a) > (b) ? (a) : (b))

#define __packed	__attribute__((packed))
#define __aligned(x)	__attribute__((aligned(x)))
#define __unused	__attribute__((unused))
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - __builtin_offsetof(type, member)))

#endif /* LIB_TYPES_H */
