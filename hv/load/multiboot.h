/* SPDX-License-Identifier: MIT */
/*
 * Multiboot 1 (specification 0.6.96): validating a guest kernel image and
 * building the information structure it receives in EBX.
 *
 * Nothing here touches guest memory.  mb_parse() (mb_image.c) only
 * describes where each segment of the image must go; hv/load/loader.c
 * copies the bytes, zeroes the BSS, places modules and the info block that
 * mb_build_info() (mb_info.c) lays out, and the vCPU starts the guest with
 * EAX = MB_BOOTLOADER_MAGIC.  Everything is checked first so that a
 * malformed image is refused before a single byte of guest RAM is written.
 *
 * Guest RAM follows the PC layout of hv/memslot/pc_layout.h:
 * [0, PC_LOW_RAM_END) + [PC_HIGH_RAM_START, ram_top).
 */
#ifndef HV_LOAD_MULTIBOOT_H
#define HV_LOAD_MULTIBOOT_H

#include <hv/memslot/pc_layout.h>
#include <lib/types.h>

#define MB_HEADER_MAGIC		0x1BADB002u	/* in the image, spec 3.1.2 */
#define MB_BOOTLOADER_MAGIC	0x2BADB002u	/* in EAX at entry, spec 3.2 */
#define MB_SEARCH_LEN		8192		/* header lies within this */
/* The guest starts in 32-bit mode with paging off (spec 3.2). */
#define MB_ADDR_LIMIT		BIT(32)

/* Header flags, spec 3.1.2.  Bits 0-15 are required, 16-31 optional. */
#define MB_HDR_PAGE_ALIGN	BIT(0)	/* modules on 4 KiB boundaries */
#define MB_HDR_MEMORY_INFO	BIT(1)	/* mem_* and mmap_* wanted */
#define MB_HDR_VIDEO_MODE	BIT(2)	/* video mode table: unsupported */
#define MB_HDR_AOUT_KLUDGE	BIT(16)	/* address fields are valid */
#define MB_HDR_REQUIRED_MASK	0xffffu
#define MB_HDR_SUPPORTED	(MB_HDR_PAGE_ALIGN | MB_HDR_MEMORY_INFO)

#define MB_MAX_SEGS		16

/* One piece of the image: copy filesz bytes, then zero up to memsz. */
struct mb_seg {
	u32 gpa;
	u32 file_off;
	u32 filesz;
	u32 memsz;
};

struct mb_image {
	u32 entry;		/* guest-physical EIP */
	u32 nr_segs;
	struct mb_seg segs[MB_MAX_SEGS];
	u32 load_lo, load_hi;	/* [lowest gpa, highest end) over all segs */
	u32 flags;		/* the header's flags word */
};

/*
 * Validates img[0, size) as a Multiboot 1 kernel for a guest whose RAM is
 * described above, and fills *out.  Uses the a.out-kludge address fields
 * when header flag bit 16 is set, the ELF32 program headers otherwise.
 *
 * Returns 0, or a negative errno with a one-line reason in err (always
 * NUL-terminated when errlen > 0; err may be NULL):
 *   -ENOEXEC  not a (supported) Multiboot image, or its headers are
 *             inconsistent with the file (missing or bad header, truncated
 *             file, unsupported required flag, bad ELF, bad entry point)
 *   -E2BIG    more than MB_MAX_SEGS loadable segments
 *   -ERANGE   a segment lies (partly) outside guest RAM
 *   -EINVAL   two segments overlap
 */
int mb_parse(const u8 *img, u64 size, u64 ram_top, struct mb_image *out,
	     char *err, size_t errlen);

/* Multiboot information structure, spec 3.3 (0.6.96 layout: 88 bytes). */
#define MB_INFO_MEMORY		BIT(0)
#define MB_INFO_BOOTDEV		BIT(1)
#define MB_INFO_CMDLINE		BIT(2)
#define MB_INFO_MODS		BIT(3)
#define MB_INFO_AOUT_SYMS	BIT(4)
#define MB_INFO_ELF_SHDR	BIT(5)
#define MB_INFO_MEM_MAP		BIT(6)
#define MB_INFO_DRIVE_INFO	BIT(7)
#define MB_INFO_CONFIG_TABLE	BIT(8)
#define MB_INFO_BOOT_LOADER_NAME BIT(9)
#define MB_INFO_APM_TABLE	BIT(10)
#define MB_INFO_VBE		BIT(11)

struct mb_info {
	u32 flags;
	u32 mem_lower;		/* KiB from 0 */
	u32 mem_upper;		/* KiB from 1 MiB up to the first hole */
	u32 boot_device;
	u32 cmdline;
	u32 mods_count;
	u32 mods_addr;
	u32 syms[4];
	u32 mmap_length;
	u32 mmap_addr;
	u32 drives_length;
	u32 drives_addr;
	u32 config_table;
	u32 boot_loader_name;
	u32 apm_table;
	u32 vbe_control_info;
	u32 vbe_mode_info;
	u16 vbe_mode;
	u16 vbe_interface_seg;
	u16 vbe_interface_off;
	u16 vbe_interface_len;
} __packed;

_Static_assert(sizeof(struct mb_info) == 88, "Multiboot info layout");
_Static_assert(__builtin_offsetof(struct mb_info, mmap_length) == 44,
	       "Multiboot info mmap_length offset");
_Static_assert(__builtin_offsetof(struct mb_info, boot_loader_name) == 64,
	       "Multiboot info boot_loader_name offset");

/*
 * Memory map entry.  size counts the bytes after itself, so a guest steps to
 * the next entry with addr += size + 4.
 */
#define MB_MMAP_AVAILABLE	1
#define MB_MMAP_RESERVED	2

struct mb_mmap_entry {
	u32 size;
	u64 base_addr;
	u64 length;
	u32 type;
} __packed;

_Static_assert(sizeof(struct mb_mmap_entry) == 24, "Multiboot mmap entry");

struct mb_module {
	u32 mod_start;
	u32 mod_end;		/* exclusive */
	u32 string;
	u32 reserved;
};

_Static_assert(sizeof(struct mb_module) == 16, "Multiboot module entry");

#define MB_BOOT_LOADER_NAME	"Aperture"

/* A range of guest RAM, reported as available in the memory map. */
struct mb_ram_range {
	u64 base;
	u64 len;
};

/* A module the loader has already placed in guest memory. */
struct mb_mod_req {
	u32 start;
	u32 end;		/* exclusive, >= start */
	const char *string;	/* NULL: "" */
};

struct mb_info_req {
	const struct mb_ram_range *ram;	/* any order, none overlapping */
	u32 nr_ram;
	const char *cmdline;		/* NULL: "" */
	const struct mb_mod_req *mods;
	u32 nr_mods;
};

/*
 * Lays out, in buf, a Multiboot information structure followed by the
 * memory map, the module list and the strings they point to.  The caller
 * copies buf to guest-physical buf_gpa; every pointer inside is relative to
 * that.  Sets MEMORY, CMDLINE, MODS, MEM_MAP and BOOT_LOADER_NAME.  The
 * memory map lists req->ram as available and the
 * [PC_LOW_RAM_END, PC_HIGH_RAM_START) hole as reserved, sorted by address.
 *
 * Returns 0 and the info structure's gpa in *info_gpa (the value for EBX),
 * -ENOSPC if buf_size is too small, or -EINVAL for a bad request (buf_gpa
 * not 4-byte aligned or buffer above 4 GiB, an empty or overlapping RAM
 * range, RAM inside the hole, a module with end < start).
 */
int mb_build_info(const struct mb_info_req *req, u8 *buf, u32 buf_gpa,
		  u32 buf_size, u32 *info_gpa);

#endif /* HV_LOAD_MULTIBOOT_H */
