/* SPDX-License-Identifier: MIT */
#ifndef HV_LOAD_LOADER_H
#define HV_LOAD_LOADER_H

#include <hv/boot_info.h>

struct vm;

/*
 * Loads the guest's Multiboot kernel and modules into its memory and builds
 * the Multiboot information block.  A malformed image is refused with a
 * message naming what is wrong and -ENOEXEC (or the parser's errno).
 */
int loader_load(struct vm *vm, const struct boot_info *bi, u32 *entry,
		u32 *mbi_gpa);

#endif /* HV_LOAD_LOADER_H */
