// SPDX-License-Identifier: MIT
/*
 * cpuid_consistency built as a 64-bit kernel: the same cases, and under
 * __x86_64__ the long-mode ones (SYSCALL/SYSRET's MSRs and EFER.SCE,
 * IA32_KERNEL_GS_BASE and SWAPGS, CMPXCHG16B, LAHF/SAHF in 64-bit mode,
 * FSGSBASE).  guest.mk builds *_lm.c only for long mode.
 */
#include "cpuid_consistency.c"
