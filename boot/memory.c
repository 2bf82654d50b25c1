// SPDX-License-Identifier: MIT
/* UEFI pool buffers, the memory map summary and the hypervisor pool. */
#include <lib/errno.h>
#include <boot/console.h>
#include <boot/memory.h>

#define FOUR_GIB	(4ull << 30)
#define MIB_SHIFT	20

void *memory_alloc(EFI_BOOT_SERVICES *bs, size_t size)
{
	void *p = NULL;
	EFI_STATUS st;

	st = uefi_call_wrapper(bs->AllocatePool, 3, EfiLoaderData, size, &p);
	return EFI_ERROR(st) ? NULL : p;
}

void memory_free(EFI_BOOT_SERVICES *bs, void *p)
{
	if (p)
		uefi_call_wrapper(bs->FreePool, 1, p);
}

int memory_log_map(EFI_BOOT_SERVICES *bs)
{
	UINTN size = 0, key, desc_size;
	UINT32 desc_ver;
	EFI_MEMORY_DESCRIPTOR *map = NULL;
	u64 total = 0, low = 0, largest_low = 0;
	EFI_STATUS st;
	UINTN off;

	st = uefi_call_wrapper(bs->GetMemoryMap, 5, &size, map, &key,
			       &desc_size, &desc_ver);
	if (st != EFI_BUFFER_TOO_SMALL)
		return -EIO;
	/* Allocating the buffer can split a free range: leave room for it. */
	size += 4 * desc_size;
	map = memory_alloc(bs, size);
	if (!map)
		return -ENOMEM;
	st = uefi_call_wrapper(bs->GetMemoryMap, 5, &size, map, &key,
			       &desc_size, &desc_ver);
	if (EFI_ERROR(st)) {
		memory_free(bs, map);
		return -EIO;
	}

	for (off = 0; off < size; off += desc_size) {
		EFI_MEMORY_DESCRIPTOR *d = (void *)((u8 *)map + off);
		u64 start = d->PhysicalStart;
		u64 bytes = d->NumberOfPages * EFI_PAGE_SIZE;
		u64 below;

		if (d->Type != EfiConventionalMemory)
			continue;
		total += bytes;
		below = start >= FOUR_GIB ? 0 : MIN(bytes, FOUR_GIB - start);
		low += below;
		largest_low = MAX(largest_low, below);
	}
	memory_free(bs, map);

	console_printf("boot: memory: %lu MiB free (%lu MiB below 4 GiB, "
		       "largest block %lu MiB) in %lu descriptors\n",
		       total >> MIB_SHIFT, low >> MIB_SHIFT,
		       largest_low >> MIB_SHIFT, (u64)(size / desc_size));
	return 0;
}

int memory_alloc_pool(EFI_BOOT_SERVICES *bs, u32 mib, u64 *base, u64 *pages)
{
	u64 want = mib;

	for (;;) {
		/*
		 * AllocateMaxAddress takes the highest address the range may
		 * reach.  Below 4 GiB because the shadow page tables of a
		 * 32-bit PAE guest hang off a CR3 that holds only 32 bits
		 * (SDM Vol. 3A 4.4.1: in PAE mode CR3[31:5] locates the PDPT).
		 */
		EFI_PHYSICAL_ADDRESS addr = FOUR_GIB - 1;
		UINTN n = (UINTN)((want << MIB_SHIFT) / EFI_PAGE_SIZE);
		EFI_STATUS st;

		st = uefi_call_wrapper(bs->AllocatePages, 4, AllocateMaxAddress,
				       EfiLoaderData, n, &addr);
		if (!EFI_ERROR(st)) {
			*base = addr;
			*pages = n;
			return 0;
		}
		console_printf("boot: pool: %lu MiB not available below 4 GiB\n",
			       want);
		if (want / 2 < POOL_MIN_MIB)
			return -ENOMEM;
		want /= 2;
	}
}

void memory_free_pool(EFI_BOOT_SERVICES *bs, u64 base, u64 pages)
{
	uefi_call_wrapper(bs->FreePages, 2, base, pages);
}

static EFI_BOOT_SERVICES *kept_bs;

void memory_kept_init(EFI_BOOT_SERVICES *bs)
{
	kept_bs = bs;
}

/*
 * EfiBootServicesData that nobody frees stays allocated for the whole life
 * of boot services (UEFI tracks pages, not their owner: unloading hv.efi
 * frees its image, not these).  An OS takes such memory back only after
 * ExitBootServices(), by which time it has loaded its own GDT and TR.
 */
void *memory_alloc_kept(u64 pages)
{
	EFI_PHYSICAL_ADDRESS addr = 0;
	EFI_STATUS st;

	if (!kept_bs)
		return NULL;
	st = uefi_call_wrapper(kept_bs->AllocatePages, 4, AllocateAnyPages,
			       EfiBootServicesData, (UINTN)pages, &addr);
	if (EFI_ERROR(st))
		return NULL;
	uefi_call_wrapper(kept_bs->SetMem, 3, (void *)(uintptr_t)addr,
			  (UINTN)(pages * EFI_PAGE_SIZE), 0);
	return (void *)(uintptr_t)addr;
}
