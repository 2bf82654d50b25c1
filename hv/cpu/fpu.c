// SPDX-License-Identifier: MIT
/*
 * Extended processor state (SDM 1 13; SDM 3A 13.5 for FXSAVE).  The save
 * areas are static: this runs once per guest, on the boot CPU only.
 */
#include <lib/cpu.h>
#include <lib/errno.h>
#include <lib/string.h>
#include <lib/x86.h>
#include <hv/cpu/features.h>
#include <hv/cpu/fpu.h>

/* Legacy-region offsets of the XSAVE/FXSAVE area (SDM 1 Table 10-2). */
#define FX_FCW		0
#define FX_MXCSR	24
#define XSAVE_HEADER	512
#define XSAVE_MIN_SIZE	(XSAVE_HEADER + 64)

/*
 * Big enough for x87 through AVX-512 and PKRU (2696 bytes on current
 * processors) with room to spare; firmware that enables AMX's 8 KiB of
 * tile data would not fit, and is refused with -E2BIG.
 */
#define HOST_AREA_SIZE	(3 * PAGE_SIZE)

static u8 host_area[HOST_AREA_SIZE] __aligned(64);
/*
 * The reset image: XSTATE_BV = 0 makes XRSTOR put every requested
 * component in its init state (SDM 1 13.8.1), except MXCSR, which XRSTOR
 * and FXRSTOR always load from the legacy region; FXRSTOR takes the x87
 * control word from it too.
 */
static u8 init_area[PAGE_SIZE] __aligned(64);

static bool saved, saved_xsave;
static u64 host_xcr0;

static void init_image(void)
{
	u16 fcw = X86_FCW_RESET;
	u32 mxcsr = X86_MXCSR_RESET;

	memset(init_area, 0, XSAVE_MIN_SIZE);
	memcpy(init_area + FX_FCW, &fcw, sizeof(fcw));
	memcpy(init_area + FX_MXCSR, &mxcsr, sizeof(mxcsr));
}

/* Every component the firmware or a guest may have live. */
static u64 scrub_mask(u64 fw_xcr0)
{
	return fw_xcr0 | guest_xcr0_supported();
}

int fpu_host_save(void)
{
	saved = false;
	saved_xsave = host_has_xsave();
	memset(host_area, 0, sizeof(host_area));
	if (saved_xsave) {
		struct cpuid_regs r;

		host_xcr0 = xgetbv0();
		/* EBX: the size the components enabled in XCR0 need. */
		cpuid_count(0xd, 0, &r);
		if (r.ebx > sizeof(host_area))
			return -E2BIG;
		xsave(host_area, host_xcr0);
	} else {
		fxsave(host_area);
	}
	saved = true;
	return 0;
}

void fpu_guest_reset(void)
{
	init_image();
	if (host_has_xsave()) {
		u64 all = scrub_mask(saved && saved_xsave ? host_xcr0 :
						    xgetbv0());

		xsetbv0(all);
		xrstor(init_area, all);
		xsetbv0(XCR0_X87);
	} else {
		fxrstor(init_area);
	}
}

void fpu_host_restore(void)
{
	if (!saved)
		return;
	init_image();
	if (saved_xsave) {
		u64 all = scrub_mask(host_xcr0);

		xsetbv0(all);
		xrstor(init_area, all);
		xsetbv0(host_xcr0);
		xrstor(host_area, host_xcr0);
	} else {
		fxrstor(host_area);
	}
}

void fpu_host_forget(void)
{
	saved = false;
}
