// SPDX-License-Identifier: MIT
/*
 * APERTURE_HC_CONSOLE_WRITE must refuse buffers that are not entirely guest
 * RAM (-EFAULT) and lengths over APERTURE_CONSOLE_WRITE_MAX (-E2BIG).  Each
 * refusal is paired with an accepted call that differs only in the property
 * under test, so a hypervisor that refuses everything fails too.
 */
#include "hypercall.h"
#include "multiboot.h"
#include "string.h"
#include "test.h"

#define OUTSIDE_RAM	0xf0000000u
#define LOW_RAM_END	0xa0000u	/* guest RAM is [0, 640K) + [1M, top) */
#define HIGH_RAM_BASE	0x100000u

static const char edge_msg[] = "console_efault: edge\n";

static long console_write(u32 gpa, u32 len)
{
	return hc2(APERTURE_HC_CONSOLE_WRITE, gpa, len);
}

/* A buffer that ends exactly at end, then one sliding 8 bytes past it. */
static void test_edge(const char *name, u32 end)
{
	u32 len = strlen(edge_msg);
	long ret;

	memcpy((void *)(uintptr_t)(end - len), edge_msg, len);
	ret = console_write(end - len, len);
	report(ret == (long)len, "%s_last_bytes_ok (%ld)", name, ret);
	ret = console_write(end - len + 8, len);
	report(ret == -APERTURE_EFAULT, "%s_straddle_efault (%ld)", name, ret);
}

int main(u32 magic, struct multiboot_info *mbi)
{
	static char big[APERTURE_CONSOLE_WRITE_MAX + 1];
	long ret;

	test_init("console_efault");
	ret = console_write(OUTSIDE_RAM, 16);
	report(ret == -APERTURE_EFAULT, "outside_ram (%ld)", ret);

	if (magic == MULTIBOOT_BOOTLOADER_MAGIC &&
	    (mbi->flags & MULTIBOOT_INFO_MEMORY))
		test_edge("top_of_ram", HIGH_RAM_BASE + mbi->mem_upper * 1024);
	else
		report(false, "multiboot_mem_info");
	test_edge("low_ram", LOW_RAM_END);

	/* big is zeroed .bss in RAM: only the length can make these differ. */
	ret = console_write(gpa_of(big), sizeof(big));
	report(ret == -APERTURE_E2BIG, "len_over_max_e2big (%ld)", ret);
	memcpy(big, "console_efault: max\n", 20);
	ret = console_write(gpa_of(big), 20);
	report(ret == 20, "len_small_ok (%ld)", ret);
	test_exit();
}
