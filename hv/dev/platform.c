// SPDX-License-Identifier: MIT
/*
 * Routing of MMIO to the device models.  Today: the local APIC's page in
 * xAPIC mode, at the address IA32_APIC_BASE names (SDM 3A 10.4.4); in
 * x2APIC mode or disabled, that page is an empty bus like any other.
 */
#include <lib/string.h>
#include <hv/dev/lapic.h>
#include <hv/dev/platform.h>
#include <hv/vcpu.h>

/* The offset of @gpa in the xAPIC page, or -1 if the access is not in it. */
static long xapic_offset(const struct vcpu *vcpu, gpa_t gpa, unsigned int len)
{
	const struct lapic *l = &vcpu->lapic;
	/* The flags live in the low 12 bits (SDM 3A Figure 10-5). */
	gpa_t base = lapic_get_base(l) & ~(gpa_t)(PAGE_SIZE - 1);

	if (lapic_mode(l) != LAPIC_XAPIC || gpa < base ||
	    gpa + len > base + PAGE_SIZE)
		return -1;
	return (long)(gpa - base);
}

bool platform_mmio_read(struct vcpu *vcpu, gpa_t gpa, void *buf,
			unsigned int len)
{
	long off = xapic_offset(vcpu, gpa, len);
	u32 val;

	if (off < 0 || len > sizeof(val))
		return false;
	val = lapic_mmio_read(&vcpu->lapic, off, len, vcpu_guest_tsc(vcpu));
	memcpy(buf, &val, len);		/* little-endian */
	return true;
}

bool platform_mmio_write(struct vcpu *vcpu, gpa_t gpa, const void *buf,
			 unsigned int len)
{
	long off = xapic_offset(vcpu, gpa, len);
	u32 val = 0;

	if (off < 0 || len > sizeof(val))
		return false;
	memcpy(&val, buf, len);
	lapic_mmio_write(&vcpu->lapic, off, len, val, vcpu_guest_tsc(vcpu));
	return true;
}
