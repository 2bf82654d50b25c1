/* SPDX-License-Identifier: MIT */
/*
 * Aperture public hypercall ABI, shared by the hypervisor (hv/) and guests
 * (guest/).  This header must stay freestanding: fixed-width types only, no
 * pointers (guests may be 32- or 64-bit), no hypervisor internals.
 *
 * Calling convention (KVM's x86 convention):
 *   VMCALL with the hypercall number in RAX and arguments in RBX, RCX, RDX,
 *   RSI (EAX/EBX/ECX/EDX/ESI for a 32-bit guest; upper halves are ignored
 *   there).  The result comes back in RAX: >= 0 on success, a negative errno
 *   (APERTURE_E*) on failure.  All other registers are preserved.
 *
 * Every pointer argument is a guest-physical address.  It is resolved as the
 * guest's own memory accesses are: through the alias table, then the
 * memslots.  If any byte of the buffer is not backed by a memslot the call
 * fails with -APERTURE_EFAULT (the seed's copy_from_user failure).
 */
#ifndef APERTURE_HYPERCALL_H
#define APERTURE_HYPERCALL_H

#include <stdint.h>

#define APERTURE_ABI_VERSION		1

/* CPUID leaf 0x40000000: EAX = max leaf, EBX/ECX/EDX = "ApertureHV\0\0". */
#define APERTURE_CPUID_LEAF		0x40000000u
#define APERTURE_CPUID_SIG_EBX		0x72657041u	/* "Aper" */
#define APERTURE_CPUID_SIG_ECX		0x65727574u	/* "ture" */
#define APERTURE_CPUID_SIG_EDX		0x00005648u	/* "HV\0\0" */

/* Errno values, identical to Linux's so that tools and tests agree. */
#define APERTURE_EPERM			1
#define APERTURE_ENOENT			2
#define APERTURE_E2BIG			7
#define APERTURE_ENOMEM			12
#define APERTURE_EFAULT			14
#define APERTURE_EBUSY			16
#define APERTURE_EEXIST			17
#define APERTURE_EINVAL			22
#define APERTURE_ENOSPC			28
#define APERTURE_ERANGE			34
#define APERTURE_ENOSYS_KVM		1000	/* KVM_ENOSYS: unknown hypercall */

/* Hypercall numbers (RAX). */
enum aperture_hc {
	APERTURE_HC_VERSION		= 1,	/* -> ABI version */
	APERTURE_HC_FEATURES		= 2,	/* -> APERTURE_FEAT_* mask */
	APERTURE_HC_CONSOLE_WRITE	= 3,	/* rbx=gpa, rcx=len -> len */
	APERTURE_HC_EXIT		= 4,	/* rbx=status; does not return */
	APERTURE_HC_SET_MEMORY_ALIAS	= 5,	/* rbx=gpa of aperture_memory_alias */
	APERTURE_HC_GET_MEMORY_ALIAS	= 6,	/* rbx=gpa of aperture_memory_alias,
						 * .slot selects; rest filled in */
	APERTURE_HC_GET_MEMSLOTS	= 7,	/* rbx=gpa of aperture_memslot[],
						 * rcx=capacity -> nr of slots */
	APERTURE_HC_GET_STATS		= 8,	/* rbx=gpa of aperture_stats */
	APERTURE_HC_GET_DIRTY_LOG	= 9,	/* rbx=memslot id, rcx=gpa of
						 * bitmap -> 0 */
	APERTURE_HC_RESET_STATS		= 10,	/* zero the counters -> 0 */
};

#define APERTURE_CONSOLE_WRITE_MAX	4096	/* longer: -E2BIG */

#define APERTURE_FEAT_CONSOLE		(1u << 0)
#define APERTURE_FEAT_MEMORY_ALIAS	(1u << 1)
#define APERTURE_FEAT_DIRTY_LOG		(1u << 2)
#define APERTURE_FEAT_STATS		(1u << 3)
#define APERTURE_FEAT_SHADOW_PAGING	(1u << 4)

/*
 * Layout-identical to the seed's struct kvm_memory_alias.  slot is in the
 * alias namespace (0..APERTURE_ALIAS_SLOTS-1), not the memslot namespace.
 * flags must be 0.  memory_size == 0 deletes the slot.
 */
#define APERTURE_ALIAS_SLOTS		4

struct aperture_memory_alias {
	uint32_t slot;
	uint32_t flags;
	uint64_t guest_phys_addr;
	uint64_t memory_size;
	uint64_t target_phys_addr;
};

_Static_assert(sizeof(struct aperture_memory_alias) == 32,
	       "aperture_memory_alias must match kvm_memory_alias");
_Static_assert(__builtin_offsetof(struct aperture_memory_alias, guest_phys_addr) == 8,
	       "aperture_memory_alias.guest_phys_addr offset");
_Static_assert(__builtin_offsetof(struct aperture_memory_alias, target_phys_addr) == 24,
	       "aperture_memory_alias.target_phys_addr offset");

/* Memslots: KVM's x86 user limit. */
#define APERTURE_MEMSLOTS_MAX		509

#define APERTURE_MEM_LOG_DIRTY_PAGES	(1u << 0)	/* as KVM_MEM_LOG_DIRTY_PAGES */
#define APERTURE_MEM_READONLY		(1u << 1)	/* as KVM_MEM_READONLY */

struct aperture_memslot {
	uint32_t id;
	uint32_t flags;
	uint64_t guest_phys_addr;
	uint64_t memory_size;
};

_Static_assert(sizeof(struct aperture_memslot) == 24, "aperture_memslot layout");

/* Counters reported by APERTURE_HC_GET_STATS.  Only ever appended to. */
struct aperture_stats {
	uint64_t exits;
	uint64_t hypercalls;
	uint64_t shadow_pages_alive;
	uint64_t shadow_pages_zapped;	/* shadow pages freed by invalidation */
	uint64_t shadow_ptes_zapped;	/* leaf shadow entries dropped */
	uint64_t shadow_faults;		/* #PF exits fixed by the shadow MMU */
	uint64_t guest_faults_injected;	/* #PF reflected to the guest */
	uint64_t pt_writes_emulated;	/* writes to write-protected guest PTs */
	uint64_t roots_built;
	uint64_t mmio_exits;
	uint64_t invlpg_exits;
	uint64_t cr3_loads;
	uint64_t host_interrupts;	/* exits for the host's own interrupts */
	uint64_t timer_exits;		/* VMX-preemption timer (time limit) */
	uint64_t host_nmis;		/* host NMIs handed to the firmware */
};

#endif /* APERTURE_HYPERCALL_H */
