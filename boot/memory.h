/* SPDX-License-Identifier: MIT */
/*
 * boot/'s memory, all UEFI boot-services memory: the hypervisor's pool and
 * the smaller buffers boot/ itself needs.
 */
#ifndef BOOT_MEMORY_H
#define BOOT_MEMORY_H

#include <efi.h>
#include <lib/types.h>

/* The default pool size is the configuration's (CFG_POOL_DEFAULT_MIB). */
#define POOL_MIN_MIB		48

/* @size bytes of UEFI pool, or NULL; released with memory_free(). */
void *memory_alloc(EFI_BOOT_SERVICES *bs, size_t size);
void memory_free(EFI_BOOT_SERVICES *bs, void *p);

/* Logs a summary of the UEFI memory map; -ENOMEM/-EIO if it can't be read. */
int memory_log_map(EFI_BOOT_SERVICES *bs);

/*
 * Allocates @mib MiB below 4 GiB.  If that fails, halves the request while
 * it stays >= POOL_MIN_MIB.  Returns 0 with *@base and *@pages set, or
 * -ENOMEM.
 */
int memory_alloc_pool(EFI_BOOT_SERVICES *bs, u32 mib, u64 *base, u64 *pages);
void memory_free_pool(EFI_BOOT_SERVICES *bs, u64 base, u64 pages);

/*
 * Boot-services data pages that are never freed (boot_info.alloc_kept):
 * the firmware does not reclaim them while it runs.  memory_kept_init()
 * names the boot services once; memory_alloc_kept() returns zeroed pages
 * or NULL.
 */
void memory_kept_init(EFI_BOOT_SERVICES *bs);
void *memory_alloc_kept(u64 pages);

#endif /* BOOT_MEMORY_H */
