/* SPDX-License-Identifier: MIT */
/*
 * Files on the volume hv.efi was loaded from.  Paths are ASCII; '/' and '\'
 * both separate components.  Buffers come from the UEFI pool, carry one
 * extra NUL byte after the data (so text can be used as a C string) and are
 * released with fs_free().
 */
#ifndef BOOT_FS_H
#define BOOT_FS_H

#include <efi.h>
#include <lib/errno.h>
#include <lib/types.h>

#define FS_GUEST_DIR	"\\aperture\\guests\\"
#define FS_MAX_FILE	(64ull << 20)	/* larger files: -EFBIG */
#define FS_MAX_PATH	256		/* bytes, with the NUL */

/*
 * Opens the root directory of @device, the one hv.efi was loaded from
 * (LoadedImage->DeviceHandle).  -ENODEV if it has no file system (e.g. the
 * image came over the network).
 */
int fs_init(EFI_BOOT_SERVICES *bs, EFI_HANDLE device);
void fs_fini(void);

/* Reads a whole file; 0 or -ENOENT, -EIO, -ENOMEM, -EFBIG, -EINVAL. */
int fs_read(const char *path, void **data, u64 *size);
void fs_free(void *data, u64 size);

/*
 * boot_info.read_file: @name is relative to FS_GUEST_DIR and may not leave
 * it (no "..", no drive or leading separator: -EINVAL).
 */
int fs_read_guest(const char *name, void **data, u64 *size);

#endif /* BOOT_FS_H */
