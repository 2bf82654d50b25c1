/* SPDX-License-Identifier: MIT */
/*
 * UEFI load options as text.  What they mean is the configuration parser's
 * business (hv/config/config.h: config_options_path() and
 * config_apply_options(), the same lexer and rules as the file); boot/
 * only turns the firmware's UCS-2 into the ASCII that parser reads.
 *
 * This file is pure: it builds for the host unit tests as well.
 */
#ifndef BOOT_OPTIONS_H
#define BOOT_OPTIONS_H

#include <lib/types.h>

/*
 * Converts UEFI load options (UCS-2, @nchars code units, stopping at the
 * first NUL) to a NUL-terminated ASCII string in @dst.  Tabs and line
 * breaks become spaces.  The UEFI shell passes the command line including
 * the program itself ("fs0:\hv.efi a=b"); a first token ending in ".efi"
 * (any case, possibly "double-quoted") is dropped, as are leading blanks.
 *
 * Returns 0, -EINVAL if a character is not printable ASCII (its index is
 * stored in *@bad), or -E2BIG if the result does not fit in @cap bytes.
 */
int boot_options_to_ascii(const u16 *src, size_t nchars, char *dst,
			  size_t cap, size_t *bad);

#endif /* BOOT_OPTIONS_H */
