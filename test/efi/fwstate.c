// SPDX-License-Identifier: MIT
/*
 * fwstate.efi: prints the CPU state the firmware runs with, so that a
 * UEFI Shell script can run it before and after hv.efi and compare
 * (test/emu/platform.nsh, the "platform" tier of test/check.sh).  After
 * exit=return the firmware must get back exactly the machine it lent:
 * control registers and TPR (CR8), debug registers, XCR0, the x87/SSE
 * control words, the MSRs a guest can write, and the descriptor-table
 * registers and TR.
 *
 * The output is a block of short lines (the shell's console may wrap long
 * ones), from "FWSTATE: begin" to "FWSTATE: end".  MSRs are read only when
 * CPUID says they exist; RDMSR of one that does not is #GP, which would
 * stop the firmware (SDM 2, RDMSR).
 */
#include <efi.h>
#include <efilib.h>

#define MSR_SYSENTER_CS		0x174u
#define MSR_SYSENTER_ESP	0x175u
#define MSR_SYSENTER_EIP	0x176u
#define MSR_PAT			0x277u
#define MSR_EFER		0xc0000080u
#define MSR_STAR		0xc0000081u
#define MSR_LSTAR		0xc0000082u
#define MSR_CSTAR		0xc0000083u
#define MSR_FMASK		0xc0000084u
#define MSR_FS_BASE		0xc0000100u
#define MSR_GS_BASE		0xc0000101u
#define MSR_KERNEL_GS_BASE	0xc0000102u
#define MSR_TSC_AUX		0xc0000103u

#define CPUID_1_EDX_SEP		(1u << 11)
#define CPUID_1_EDX_PAT		(1u << 16)
#define CPUID_81_EDX_RDTSCP	(1u << 27)
#define CPUID_81_EDX_LM		(1u << 29)
#define X86_CR4_OSXSAVE		(1ul << 18)

struct __attribute__((packed)) dtr {
	UINT16 limit;
	UINT64 base;
};

static void cpuid(UINT32 leaf, UINT32 *a, UINT32 *b, UINT32 *c, UINT32 *d)
{
	asm volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
		     : "a"(leaf), "c"(0));
}

static UINT64 rdmsr(UINT32 msr)
{
	UINT32 lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((UINT64)hi << 32) | lo;
}

static void print_msr(const CHAR16 *name, UINT32 msr)
{
	Print(L"FWSTATE: %s=0x%lx\n", name, rdmsr(msr));
}

/* MOV from a control or debug register: @reg is its name (cr0, dr7). */
#define read_reg(reg) ({						\
	UINT64 __v;							\
	asm volatile("mov %%" #reg ", %0" : "=r"(__v));			\
	__v;								\
})

static void print_cregs(void)
{
	UINT64 cr0 = read_reg(cr0), cr3 = read_reg(cr3);
	UINT64 cr4 = read_reg(cr4), cr8 = read_reg(cr8);

	Print(L"FWSTATE: cr0=0x%lx cr3=0x%lx\n", cr0, cr3);
	Print(L"FWSTATE: cr4=0x%lx cr8=0x%lx\n", cr4, cr8);
	if (cr4 & X86_CR4_OSXSAVE) {
		UINT32 lo, hi;

		asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
		Print(L"FWSTATE: xcr0=0x%lx\n", ((UINT64)hi << 32) | lo);
	}
}

static void print_dregs(void)
{
	Print(L"FWSTATE: dr0=0x%lx dr1=0x%lx\n", read_reg(dr0), read_reg(dr1));
	Print(L"FWSTATE: dr2=0x%lx dr3=0x%lx\n", read_reg(dr2), read_reg(dr3));
	Print(L"FWSTATE: dr6=0x%lx dr7=0x%lx\n", read_reg(dr6), read_reg(dr7));
}

static void print_tables(void)
{
	struct dtr gdtr, idtr;
	UINT16 tr, ldtr, fcw;
	UINT32 mxcsr;

	asm volatile("sgdt %0" : "=m"(gdtr));
	asm volatile("sidt %0" : "=m"(idtr));
	asm volatile("str %0" : "=r"(tr));
	asm volatile("sldt %0" : "=r"(ldtr));
	asm volatile("fnstcw %0" : "=m"(fcw));
	asm volatile("stmxcsr %0" : "=m"(mxcsr));
	Print(L"FWSTATE: gdtr=0x%lx/0x%x\n", gdtr.base, gdtr.limit);
	Print(L"FWSTATE: idtr=0x%lx/0x%x\n", idtr.base, idtr.limit);
	Print(L"FWSTATE: tr=0x%x ldtr=0x%x\n", tr, ldtr);
	Print(L"FWSTATE: fcw=0x%x mxcsr=0x%x\n", fcw, mxcsr);
}

static void print_msrs(void)
{
	UINT32 a, b, c, d, max_ext;

	cpuid(1, &a, &b, &c, &d);
	print_msr(L"efer", MSR_EFER);
	if (d & CPUID_1_EDX_PAT)
		print_msr(L"pat", MSR_PAT);
	if (d & CPUID_1_EDX_SEP) {
		print_msr(L"sysenter_cs", MSR_SYSENTER_CS);
		print_msr(L"sysenter_esp", MSR_SYSENTER_ESP);
		print_msr(L"sysenter_eip", MSR_SYSENTER_EIP);
	}
	print_msr(L"fs_base", MSR_FS_BASE);
	print_msr(L"gs_base", MSR_GS_BASE);
	cpuid(0x80000000, &max_ext, &b, &c, &d);
	if (max_ext < 0x80000001)
		return;
	cpuid(0x80000001, &a, &b, &c, &d);
	if (d & CPUID_81_EDX_LM) {
		print_msr(L"kernel_gs_base", MSR_KERNEL_GS_BASE);
		print_msr(L"star", MSR_STAR);
		print_msr(L"lstar", MSR_LSTAR);
		print_msr(L"cstar", MSR_CSTAR);
		print_msr(L"fmask", MSR_FMASK);
	}
	if (d & CPUID_81_EDX_RDTSCP)
		print_msr(L"tsc_aux", MSR_TSC_AUX);
}

/* Debian's crt0 calls efi_main with the SysV ABI (docs/emulators.md). */
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	InitializeLib(image, st);
	Print(L"FWSTATE: begin\n");
	print_cregs();
	print_dregs();
	print_tables();
	print_msrs();
	Print(L"FWSTATE: end\n");
	return EFI_SUCCESS;
}
