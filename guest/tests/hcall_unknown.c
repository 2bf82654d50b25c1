// SPDX-License-Identifier: MIT
/* Unknown hypercall numbers fail with KVM's -KVM_ENOSYS (-1000). */
#include "hypercall.h"
#include "test.h"

#define HC_UNKNOWN	0xdead

/* Values the hypercall must hand back unchanged in EBX, ECX, EDX, ESI, EDI. */
#define MARK_EBX	0x11111111u
#define MARK_ECX	0x22222222u
#define MARK_EDX	0x33333333u
#define MARK_ESI	0x44444444u
#define MARK_EDI	0x55555555u

static bool regs_preserved(void)
{
	u32 eax = HC_UNKNOWN, ebx = MARK_EBX, ecx = MARK_ECX, edx = MARK_EDX;
	u32 esi = MARK_ESI, edi = MARK_EDI;

	asm volatile("vmcall"
		     : "+a"(eax), "+b"(ebx), "+c"(ecx), "+d"(edx), "+S"(esi),
		       "+D"(edi)
		     : : "memory");
	if (ebx == MARK_EBX && ecx == MARK_ECX && edx == MARK_EDX &&
	    esi == MARK_ESI && edi == MARK_EDI)
		return true;
	printf("  ebx=%#x ecx=%#x edx=%#x esi=%#x edi=%#x\n",
	       ebx, ecx, edx, esi, edi);
	return false;
}

int main(void)
{
	long ret;

	test_init("hcall_unknown");
	ret = hc0(HC_UNKNOWN);
	report(ret == -APERTURE_ENOSYS_KVM, "nr_0xdead (%ld)", ret);
	ret = hc0(0);
	report(ret == -APERTURE_ENOSYS_KVM, "nr_0 (%ld)", ret);
	report(regs_preserved(), "regs_preserved");
	test_exit();
}
