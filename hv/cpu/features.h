/* SPDX-License-Identifier: MIT */
/*
 * What a guest is given of the processor: the features the CPUID
 * allowlist (hv/exit/cpuid.c) may advertise because the VMCS and the MSR
 * handlers back them, and the XCR0 components a guest may enable.  One
 * place, so that CPUID, the MSR handlers and XSETBV cannot disagree.
 */
#ifndef HV_CPU_FEATURES_H
#define HV_CPU_FEATURES_H

#include <lib/types.h>

/* IA32_TSC_AUX exists on the host: RDTSCP or RDPID (SDM 4 Table 2-2). */
bool host_has_tsc_aux(void);

/*
 * RDTSCP runs in the guest: the host has it and the VMCS enables it
 * ("enable RDTSCP", SDM 3C 25.6.2); IA32_TSC_AUX then exists for guests.
 */
bool guest_has_rdtscp(void);

/* The guest's IA32_PAT is loaded and saved by the VMCS (SDM 3C 25.7, 25.8). */
bool guest_has_pat(void);

/*
 * The XCR0 components a guest may enable: x87, SSE, AVX and AVX-512 as
 * far as the host supports them; 0 when the host runs without XSAVE.
 * Itself a valid XCR0 value (SDM 1 13.3).
 */
u64 guest_xcr0_supported(void);

#endif /* HV_CPU_FEATURES_H */
