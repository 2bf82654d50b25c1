/* SPDX-License-Identifier: MIT */
/*
 * Multiboot 1 (Multiboot Specification 0.6.96): the header a kernel carries
 * and the information structure the loader hands over in EBX.  Usable from
 * both C and assembly.
 */
#ifndef GUEST_RT_MULTIBOOT_H
#define GUEST_RT_MULTIBOOT_H

#define MULTIBOOT_HEADER_MAGIC		0x1BADB002
#define MULTIBOOT_BOOTLOADER_MAGIC	0x2BADB002	/* in EAX at entry */

/* Header flags (spec 3.1.2). */
#define MULTIBOOT_PAGE_ALIGN		0x00000001	/* modules 4K-aligned */
#define MULTIBOOT_MEMORY_INFO		0x00000002	/* want mem_* and mmap */

#ifndef __ASSEMBLER__

#include "types.h"

/* Info flags (spec 3.3): which fields of struct multiboot_info are valid. */
#define MULTIBOOT_INFO_MEMORY		BIT(0)
#define MULTIBOOT_INFO_BOOTDEV		BIT(1)
#define MULTIBOOT_INFO_CMDLINE		BIT(2)
#define MULTIBOOT_INFO_MODS		BIT(3)
#define MULTIBOOT_INFO_MEM_MAP		BIT(6)
#define MULTIBOOT_INFO_BOOT_LOADER_NAME	BIT(9)

#define MULTIBOOT_MEMORY_AVAILABLE	1

struct multiboot_info {
	u32 flags;
	u32 mem_lower;		/* KiB from 0 */
	u32 mem_upper;		/* KiB from 1 MiB */
	u32 boot_device;
	u32 cmdline;		/* gpa of a NUL-terminated string */
	u32 mods_count;
	u32 mods_addr;
	u32 syms[4];
	u32 mmap_length;	/* bytes */
	u32 mmap_addr;
	u32 drives_length;
	u32 drives_addr;
	u32 config_table;
	u32 boot_loader_name;	/* gpa of a NUL-terminated string */
	u32 apm_table;
};

/*
 * One memory-map entry.  size counts the bytes that follow it, so the next
 * entry starts at (u8 *)entry + size + 4; entries are not naturally aligned.
 */
struct __attribute__((packed)) multiboot_mmap_entry {
	u32 size;
	u64 addr;
	u64 len;
	u32 type;
};

#endif /* __ASSEMBLER__ */

#endif /* GUEST_RT_MULTIBOOT_H */
