/* SPDX-License-Identifier: MIT */
/* x86 port I/O.  Only boot/ touches ports directly (serial, platform exit). */
#ifndef BOOT_IO_H
#define BOOT_IO_H

#include <lib/types.h>

static inline void outb(u16 port, u8 v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(u16 port, u32 v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline u8 inb(u16 port)
{
	u8 v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

#endif /* BOOT_IO_H */
