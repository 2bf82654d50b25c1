/* SPDX-License-Identifier: MIT */
/*
 * Architectural x86 constants shared by the core, the VMX code and the
 * shadow MMU: control-register and EFER bits, RFLAGS, exception vectors,
 * page-table entry bits and the MSR indices the hypervisor touches.
 * Intel SDM Vol. 3A, chapters 2 (control registers) and 4 (paging).
 */
#ifndef LIB_X86_H
#define LIB_X86_H

#include <lib/types.h>

/* CR0, SDM 3A 2.5 */
#define X86_CR0_PE		BIT(0)
#define X86_CR0_MP		BIT(1)
#define X86_CR0_EM		BIT(2)
#define X86_CR0_TS		BIT(3)
#define X86_CR0_ET		BIT(4)
#define X86_CR0_NE		BIT(5)
#define X86_CR0_WP		BIT(16)
#define X86_CR0_AM		BIT(18)
#define X86_CR0_NW		BIT(29)
#define X86_CR0_CD		BIT(30)
#define X86_CR0_PG		BIT(31)

/* CR4, SDM 3A 2.5 */
#define X86_CR4_VME		BIT(0)
#define X86_CR4_PVI		BIT(1)
#define X86_CR4_TSD		BIT(2)
#define X86_CR4_DE		BIT(3)
#define X86_CR4_PSE		BIT(4)
#define X86_CR4_PAE		BIT(5)
#define X86_CR4_MCE		BIT(6)
#define X86_CR4_PGE		BIT(7)
#define X86_CR4_PCE		BIT(8)
#define X86_CR4_OSFXSR		BIT(9)
#define X86_CR4_OSXMMEXCPT	BIT(10)
#define X86_CR4_UMIP		BIT(11)
#define X86_CR4_LA57		BIT(12)
#define X86_CR4_VMXE		BIT(13)
#define X86_CR4_SMXE		BIT(14)
#define X86_CR4_FSGSBASE	BIT(16)
#define X86_CR4_PCIDE		BIT(17)
#define X86_CR4_OSXSAVE		BIT(18)
#define X86_CR4_SMEP		BIT(20)
#define X86_CR4_SMAP		BIT(21)
#define X86_CR4_PKE		BIT(22)

/*
 * Segment access rights as VMX holds them (descriptor bits 8-23 shifted
 * down by 8, SDM 3C 24.4.1 Table 24-2; SDM 3A 3.4.5).
 */
#define X86_AR_L		BIT(13)	/* 64-bit code segment */
#define X86_AR_DB		BIT(14)	/* default operand size 32 */

/* XCR0 state components, SDM 1 13.1 */
#define XCR0_X87		BIT(0)
#define XCR0_SSE		BIT(1)
#define XCR0_AVX		BIT(2)
#define XCR0_BNDREGS		BIT(3)	/* MPX */
#define XCR0_BNDCSR		BIT(4)
#define XCR0_OPMASK		BIT(5)	/* AVX-512 */
#define XCR0_ZMM_HI256		BIT(6)
#define XCR0_HI16_ZMM		BIT(7)
#define XCR0_AVX512		(XCR0_OPMASK | XCR0_ZMM_HI256 | XCR0_HI16_ZMM)
#define XCR0_TILECFG		BIT(17)	/* AMX */
#define XCR0_TILEDATA		BIT(18)

/* IA32_EFER, SDM 3A 2.2.1 */
#define EFER_SCE		BIT(0)
#define EFER_LME		BIT(8)
#define EFER_LMA		BIT(10)
#define EFER_NXE		BIT(11)

/* RFLAGS, SDM 1 3.4.3 */
#define X86_RFLAGS_CF		BIT(0)
#define X86_RFLAGS_FIXED	BIT(1)
#define X86_RFLAGS_ZF		BIT(6)
#define X86_RFLAGS_TF		BIT(8)
#define X86_RFLAGS_IF		BIT(9)
#define X86_RFLAGS_DF		BIT(10)
#define X86_RFLAGS_IOPL		(3ull << 12)
#define X86_RFLAGS_NT		BIT(14)
#define X86_RFLAGS_RF		BIT(16)
#define X86_RFLAGS_VM		BIT(17)

/* Exception vectors, SDM 3A 6.3.1 */
#define X86_VEC_DE		0
#define X86_VEC_DB		1
#define X86_VEC_NMI		2
#define X86_VEC_BP		3
#define X86_VEC_OF		4
#define X86_VEC_BR		5
#define X86_VEC_UD		6
#define X86_VEC_NM		7
#define X86_VEC_DF		8
#define X86_VEC_TS		10
#define X86_VEC_NP		11
#define X86_VEC_SS		12
#define X86_VEC_GP		13
#define X86_VEC_PF		14
#define X86_VEC_MF		16
#define X86_VEC_AC		17
#define X86_VEC_MC		18
#define X86_VEC_XM		19

/*
 * An exception for a guest: what the MMU, the emulator and the exit
 * handlers report, and what the exit layer delivers at the next VM entry.
 */
struct x86_exception {
	u8 vector;
	bool has_errcode;	/* #DF, #TS, #NP, #SS, #GP, #PF, #AC (SDM 3A 6.13) */
	u32 errcode;
	u64 cr2;		/* #PF only: the linear address (SDM 3A 4.7) */
};

/*
 * Whether an exception raised while delivering @first becomes a double
 * fault (SDM 3A 6.15, Table 6-5): contributory on contributory, and
 * contributory or #PF on #PF.  Anything else is handled serially.
 */
static inline bool x86_is_contributory(u8 vector)
{
	return vector == X86_VEC_DE || vector == X86_VEC_TS ||
	       vector == X86_VEC_NP || vector == X86_VEC_SS ||
	       vector == X86_VEC_GP;
}

static inline bool x86_makes_double_fault(u8 first, u8 second)
{
	if (first == X86_VEC_PF)
		return second == X86_VEC_PF || x86_is_contributory(second);
	return x86_is_contributory(first) && x86_is_contributory(second);
}

/* Page-table entry bits common to all paging modes, SDM 3A 4.3-4.5 */
#define PTE_P			BIT(0)
#define PTE_RW			BIT(1)
#define PTE_US			BIT(2)
#define PTE_PWT			BIT(3)
#define PTE_PCD			BIT(4)
#define PTE_A			BIT(5)
#define PTE_D			BIT(6)
#define PTE_PS			BIT(7)	/* in a PDE/PDPTE: maps a large page */
#define PTE_PAT			BIT(7)	/* in a 4 KiB PTE */
#define PTE_G			BIT(8)
#define PTE_LARGE_PAT		BIT(12)	/* in a large-page PDE/PDPTE */
#define PTE_NX			BIT(63)	/* PAE and 4-level only */

/* #PF error code, SDM 3A 4.7 */
#define PFERR_PRESENT		BIT(0)
#define PFERR_WRITE		BIT(1)
#define PFERR_USER		BIT(2)
#define PFERR_RSVD		BIT(3)
#define PFERR_FETCH		BIT(4)
#define PFERR_PK		BIT(5)

/* MSRs, SDM 4 (Model-Specific Registers) */
#define MSR_IA32_TSC			0x00000010
#define MSR_IA32_APIC_BASE		0x0000001b
#define MSR_IA32_TSC_DEADLINE		0x000006e0
#define MSR_IA32_FEATURE_CONTROL	0x0000003a
#define MSR_IA32_SYSENTER_CS		0x00000174
#define MSR_IA32_SYSENTER_ESP		0x00000175
#define MSR_IA32_SYSENTER_EIP		0x00000176
#define MSR_IA32_MISC_ENABLE		0x000001a0
#define MSR_IA32_DEBUGCTL		0x000001d9
#define DEBUGCTL_LBR			BIT(0)
#define DEBUGCTL_BTF			BIT(1)
#define MSR_IA32_BIOS_SIGN_ID		0x0000008b
#define MSR_IA32_PAT			0x00000277
#define MSR_IA32_VMX_BASIC		0x00000480
#define MSR_IA32_VMX_PINBASED_CTLS	0x00000481
#define MSR_IA32_VMX_PROCBASED_CTLS	0x00000482
#define MSR_IA32_VMX_EXIT_CTLS		0x00000483
#define MSR_IA32_VMX_ENTRY_CTLS		0x00000484
#define MSR_IA32_VMX_MISC		0x00000485
#define MSR_IA32_VMX_CR0_FIXED0		0x00000486
#define MSR_IA32_VMX_CR0_FIXED1		0x00000487
#define MSR_IA32_VMX_CR4_FIXED0		0x00000488
#define MSR_IA32_VMX_CR4_FIXED1		0x00000489
#define MSR_IA32_VMX_VMCS_ENUM		0x0000048a
#define MSR_IA32_VMX_PROCBASED_CTLS2	0x0000048b
#define MSR_IA32_VMX_EPT_VPID_CAP	0x0000048c
#define MSR_IA32_VMX_TRUE_PINBASED_CTLS	0x0000048d
#define MSR_IA32_VMX_TRUE_PROCBASED_CTLS 0x0000048e
#define MSR_IA32_VMX_TRUE_EXIT_CTLS	0x0000048f
#define MSR_IA32_VMX_TRUE_ENTRY_CTLS	0x00000490
#define MSR_IA32_EFER			0xc0000080
#define MSR_IA32_STAR			0xc0000081
#define MSR_IA32_LSTAR			0xc0000082
#define MSR_IA32_CSTAR			0xc0000083
#define MSR_IA32_FMASK			0xc0000084
#define MSR_IA32_FS_BASE		0xc0000100
#define MSR_IA32_GS_BASE		0xc0000101
#define MSR_IA32_KERNEL_GS_BASE		0xc0000102

/* IA32_FEATURE_CONTROL bits, SDM 3C 23.7 */
#define FEATURE_CONTROL_LOCKED		BIT(0)
#define FEATURE_CONTROL_VMX_IN_SMX	BIT(1)
#define FEATURE_CONTROL_VMX_OUTSIDE_SMX	BIT(2)

/* CPUID feature bits, SDM 2 CPUID Tables 3-10 and 3-8 (leaf 7). */
#define CPUID_1_EDX_VME			BIT(1)
#define CPUID_1_ECX_VMX			BIT(5)
#define CPUID_1_ECX_SMX			BIT(6)
#define CPUID_1_ECX_PCID		BIT(17)
#define CPUID_1_ECX_X2APIC		BIT(21)
#define CPUID_1_ECX_XSAVE		BIT(26)
#define CPUID_1_ECX_OSXSAVE		BIT(27)
#define CPUID_1_ECX_AVX			BIT(28)
#define CPUID_1_ECX_HYPERVISOR		BIT(31)
#define CPUID_7_EBX_FSGSBASE		BIT(0)
#define CPUID_7_EBX_SMEP		BIT(7)
#define CPUID_7_EBX_INVPCID		BIT(10)
#define CPUID_7_EBX_SMAP		BIT(20)
#define CPUID_7_ECX_UMIP		BIT(2)
#define CPUID_7_ECX_PKU			BIT(3)
#define CPUID_7_ECX_LA57		BIT(16)

/*
 * Guest CPU state: reset values, debug registers, CR8, the
 * SYSCALL MSRs and the CPUID allowlist's named bits.
 */
/* CR0 bits that exist; the others of 31:0 are ignored on write (SDM 3A 2.5). */
#define X86_CR0_DEFINED		(X86_CR0_PE | X86_CR0_MP | X86_CR0_EM | \
				 X86_CR0_TS | X86_CR0_ET | X86_CR0_NE | \
				 X86_CR0_WP | X86_CR0_AM | X86_CR0_NW | \
				 X86_CR0_CD | X86_CR0_PG)
/* CR8 holds the TPR in bits 3:0; 63:4 are reserved (SDM 3A 2.5, 10.8.6.1). */
#define X86_CR8_TPR_MASK	0xfull

/* DR6 and DR7, SDM 3B 17.2.3-17.2.4; reset values SDM 3A Table 9-1. */
#define X86_DR6_RESET		0xffff0ff0ull
#define X86_DR6_BD		BIT(13)	/* the #DB came from DR7.GD */
#define X86_DR6_VOLATILE	(0xfull | BIT(13) | BIT(14) | BIT(15))
#define X86_DR7_RESET		0x400ull
#define X86_DR7_GD		BIT(13)
/* L0-3, G0-3, LE, GE, GD and the R/W and LEN fields; bit 10 reads 1. */
#define X86_DR7_VOLATILE	0xffff23ffull

/* Segment types of a TSS (SDM 3A 8.2.2): bit 3 set for 32/64-bit ones. */
#define X86_AR_TYPE_TSS_32	BIT(3)

/* MXCSR at reset and after INIT (SDM 3A Table 9-1); x87 FCW after FNINIT. */
#define X86_MXCSR_RESET		0x1f80u
#define X86_FCW_RESET		0x37fu

#define MSR_IA32_TSC_AUX		0xc0000103

/* CPUID.01H:EDX, SDM 2 CPUID Table 3-11 */
#define CPUID_1_EDX_FPU			BIT(0)
#define CPUID_1_EDX_DE			BIT(2)
#define CPUID_1_EDX_PSE			BIT(3)
#define CPUID_1_EDX_TSC			BIT(4)
#define CPUID_1_EDX_MSR			BIT(5)
#define CPUID_1_EDX_PAE			BIT(6)
#define CPUID_1_EDX_MCE			BIT(7)
#define CPUID_1_EDX_CX8			BIT(8)
#define CPUID_1_EDX_APIC		BIT(9)
#define CPUID_1_EDX_SEP			BIT(11)
#define CPUID_1_EDX_MTRR		BIT(12)
#define CPUID_1_EDX_PGE			BIT(13)
#define CPUID_1_EDX_MCA			BIT(14)
#define CPUID_1_EDX_CMOV		BIT(15)
#define CPUID_1_EDX_PAT			BIT(16)
#define CPUID_1_EDX_PSE36		BIT(17)
#define CPUID_1_EDX_PSN			BIT(18)
#define CPUID_1_EDX_CLFSH		BIT(19)
#define CPUID_1_EDX_DS			BIT(21)
#define CPUID_1_EDX_ACPI		BIT(22)
#define CPUID_1_EDX_MMX			BIT(23)
#define CPUID_1_EDX_FXSR		BIT(24)
#define CPUID_1_EDX_SSE			BIT(25)
#define CPUID_1_EDX_SSE2		BIT(26)
#define CPUID_1_EDX_SS			BIT(27)
#define CPUID_1_EDX_HTT			BIT(28)
#define CPUID_1_EDX_TM			BIT(29)
#define CPUID_1_EDX_PBE			BIT(31)
/* CPUID.01H:ECX, SDM 2 CPUID Table 3-10 */
#define CPUID_1_ECX_SSE3		BIT(0)
#define CPUID_1_ECX_PCLMULQDQ		BIT(1)
#define CPUID_1_ECX_DTES64		BIT(2)
#define CPUID_1_ECX_MONITOR		BIT(3)
#define CPUID_1_ECX_DS_CPL		BIT(4)
#define CPUID_1_ECX_EIST		BIT(7)
#define CPUID_1_ECX_TM2			BIT(8)
#define CPUID_1_ECX_SSSE3		BIT(9)
#define CPUID_1_ECX_SDBG		BIT(11)
#define CPUID_1_ECX_FMA			BIT(12)
#define CPUID_1_ECX_CX16		BIT(13)
#define CPUID_1_ECX_XTPR		BIT(14)
#define CPUID_1_ECX_PDCM		BIT(15)
#define CPUID_1_ECX_DCA			BIT(18)
#define CPUID_1_ECX_SSE41		BIT(19)
#define CPUID_1_ECX_SSE42		BIT(20)
#define CPUID_1_ECX_MOVBE		BIT(22)
#define CPUID_1_ECX_POPCNT		BIT(23)
#define CPUID_1_ECX_TSC_DEADLINE	BIT(24)
#define CPUID_1_ECX_AES			BIT(25)
#define CPUID_1_ECX_F16C		BIT(29)
#define CPUID_1_ECX_RDRAND		BIT(30)
/* CPUID.(EAX=07H,ECX=0), SDM 2 CPUID Table 3-8 */
#define CPUID_7_EBX_TSC_ADJUST		BIT(1)
#define CPUID_7_EBX_BMI1		BIT(3)
#define CPUID_7_EBX_HLE			BIT(4)
#define CPUID_7_EBX_AVX2		BIT(5)
#define CPUID_7_EBX_FDP_EXCPTN_ONLY	BIT(6)
#define CPUID_7_EBX_BMI2		BIT(8)
#define CPUID_7_EBX_ERMS		BIT(9)
#define CPUID_7_EBX_RTM			BIT(11)
#define CPUID_7_EBX_FPU_CSDS		BIT(13)
#define CPUID_7_EBX_MPX			BIT(14)
#define CPUID_7_EBX_AVX512F		BIT(16)
#define CPUID_7_EBX_AVX512DQ		BIT(17)
#define CPUID_7_EBX_RDSEED		BIT(18)
#define CPUID_7_EBX_ADX			BIT(19)
#define CPUID_7_EBX_AVX512IFMA		BIT(21)
#define CPUID_7_EBX_CLFLUSHOPT		BIT(23)
#define CPUID_7_EBX_CLWB		BIT(24)
#define CPUID_7_EBX_PT			BIT(25)
#define CPUID_7_EBX_AVX512CD		BIT(28)
#define CPUID_7_EBX_SHA			BIT(29)
#define CPUID_7_EBX_AVX512BW		BIT(30)
#define CPUID_7_EBX_AVX512VL		BIT(31)
#define CPUID_7_ECX_AVX512VBMI		BIT(1)
#define CPUID_7_ECX_WAITPKG		BIT(5)
#define CPUID_7_ECX_AVX512VBMI2		BIT(6)
#define CPUID_7_ECX_GFNI		BIT(8)
#define CPUID_7_ECX_VAES		BIT(9)
#define CPUID_7_ECX_VPCLMULQDQ		BIT(10)
#define CPUID_7_ECX_AVX512VNNI		BIT(11)
#define CPUID_7_ECX_AVX512BITALG	BIT(12)
#define CPUID_7_ECX_AVX512VPOPCNTDQ	BIT(14)
#define CPUID_7_ECX_RDPID		BIT(22)
#define CPUID_7_EDX_FSRM		BIT(4)
/* CPUID.(EAX=0DH,ECX=1):EAX, SDM 2 CPUID Table 3-8 */
#define CPUID_D1_EAX_XSAVEOPT		BIT(0)
#define CPUID_D1_EAX_XSAVEC		BIT(1)
#define CPUID_D1_EAX_XGETBV1		BIT(2)
/* CPUID.80000001H, SDM 2 CPUID Table 3-8 */
#define CPUID_81_ECX_LAHF		BIT(0)
#define CPUID_81_ECX_LZCNT		BIT(5)
#define CPUID_81_ECX_PREFETCHW		BIT(8)
#define CPUID_81_EDX_SYSCALL		BIT(11)
#define CPUID_81_EDX_NX			BIT(20)
#define CPUID_81_EDX_PAGE1GB		BIT(26)
#define CPUID_81_EDX_RDTSCP		BIT(27)
#define CPUID_81_EDX_LM			BIT(29)
/* CPUID.80000007H:EDX */
#define CPUID_87_EDX_INVARIANT_TSC	BIT(8)

/* 4-level paging: bits 63:47 of a linear address are equal (SDM 3A 4.5). */
static inline bool x86_is_canonical48(u64 va)
{
	return (u64)((s64)(va << 16) >> 16) == va;
}

#endif /* LIB_X86_H */
