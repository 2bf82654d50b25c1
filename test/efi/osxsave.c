// SPDX-License-Identifier: MIT
/*
 * osxsave.efi: models a platform whose firmware or boot manager leaves
 * CR4.OSXSAVE set (stock OVMF does not).  Run from the UEFI Shell before
 * hv.efi (test/emu/platform.nsh): with OSXSAVE on in the host, hv.efi
 * offers XSAVE to its guests and executes their XSETBV for them.
 *
 * CR4.OSXSAVE may be set only if CPUID.1:ECX.XSAVE[bit 26] = 1, else the
 * MOV to CR4 raises #GP (SDM 3A 2.5; SDM 2, MOV CRn).  XCR0 keeps its
 * reset value 1 (x87 only, SDM 1 13.3), which is what a firmware that
 * only turns the bit on leaves.
 */
#include <efi.h>
#include <efilib.h>

#define CPUID_1_ECX_XSAVE	(1u << 26)
#define X86_CR4_OSXSAVE		(1ul << 18)

static UINT64 read_cr4(void)
{
	UINT64 v;

	asm volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static UINT64 xgetbv0(void)
{
	UINT32 lo, hi;

	asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((UINT64)hi << 32) | lo;
}

/* Debian's crt0 calls efi_main with the SysV ABI (docs/emulators.md). */
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	UINT32 a = 1, b, c = 0, d;
	UINT64 cr4;

	InitializeLib(image, st);
	asm volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	if (!(c & CPUID_1_ECX_XSAVE)) {
		Print(L"OSXSAVE: CPU has no XSAVE, CR4 left as it was\n");
		return EFI_UNSUPPORTED;
	}
	cr4 = read_cr4() | X86_CR4_OSXSAVE;
	asm volatile("mov %0, %%cr4" : : "r"(cr4) : "memory");
	Print(L"OSXSAVE: set, cr4=0x%lx xcr0=0x%lx\n", read_cr4(), xgetbv0());
	return EFI_SUCCESS;
}
