/* SPDX-License-Identifier: MIT */
/*
 * The guest-physical layout of a PC, as every guest's RAM is laid out: RAM
 * from 0 to the legacy video window, a hole for the VGA window and the
 * BIOS area, RAM again from 1 MiB.  The config checks slots against it,
 * the VM builds its memslots from it and the Multiboot memory map reports
 * it, so it is written down once, here.
 */
#ifndef HV_MEMSLOT_PC_LAYOUT_H
#define HV_MEMSLOT_PC_LAYOUT_H

#define PC_LOW_RAM_END		0xa0000ull	/* 640 KiB: the VGA window */
#define PC_HIGH_RAM_START	0x100000ull	/* 1 MiB: RAM again */

#endif /* HV_MEMSLOT_PC_LAYOUT_H */
