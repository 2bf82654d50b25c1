/* SPDX-License-Identifier: MIT */
/* The hypervisor's memory pool, taken from UEFI boot-services memory. */
#ifndef BOOT_MEMORY_H
#define BOOT_MEMORY_H

#include <efi.h>
#include <lib/types.h>

#define POOL_DEFAULT_MIB	192
#define POOL_MIN_MIB		48

/* Logs a summary of the UEFI memory map; -ENOMEM/-EIO if it can't be read. */
int memory_log_map(EFI_BOOT_SERVICES *bs);

/*
 * Allocates @mib MiB below 4 GiB.  If that fails, halves the request while
 * it stays >= POOL_MIN_MIB.  Returns 0 with *@base and *@pages set, or
 * -ENOMEM.
 */
int memory_alloc_pool(EFI_BOOT_SERVICES *bs, u32 mib, u64 *base, u64 *pages);
void memory_free_pool(EFI_BOOT_SERVICES *bs, u64 base, u64 pages);

#endif /* BOOT_MEMORY_H */
