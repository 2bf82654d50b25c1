// SPDX-License-Identifier: MIT
#define LOG_SUBSYS "vmx"
#include <lib/cpu.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <lib/palloc.h>
#include <lib/string.h>
#include <lib/x86.h>
#include <hv/vmx/host.h>
#include <hv/vmx/vmcs_defs.h>

/* 64-bit TSS, SDM 3A 8.7; only its size matters: we use no IST stacks. */
struct __packed tss64 {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;
};

static struct desc_ptr firmware_gdt;
static u16 firmware_tr;
static u8 *host_gdt_page;
static u16 host_tr;

/*
 * A system-segment descriptor in IA-32e mode is 16 bytes (SDM 3A 8.2.3).
 * Its low 8 bytes have the legacy layout (SDM 3A 3.4.5): limit 15:0, base
 * 23:0, the access rights (in VMX's AR layout, bits 15:0 at 55:40), limit
 * 19:16, base 31:24; the high 8 bytes hold base 63:32.
 */
#define TSS_DESC_SIZE		16
#define DESC_BASE_LOW_SHIFT	16
#define DESC_AR_SHIFT		40
#define DESC_LIMIT_HIGH_SHIFT	48
#define DESC_BASE_HIGH_SHIFT	56

static void write_tss_descriptor(u8 *slot, u64 base, u32 limit)
{
	u64 lo, hi;

	lo = (limit & 0xffffull) |
	     (base & 0xffffffull) << DESC_BASE_LOW_SHIFT |
	     (u64)(SEG_TYPE_TSS_AVAIL | VMX_AR_P) << DESC_AR_SHIFT |
	     (u64)((limit >> 16) & 0xf) << DESC_LIMIT_HIGH_SHIFT |
	     ((base >> 24) & 0xffull) << DESC_BASE_HIGH_SHIFT;
	hi = base >> 32;
	memcpy(slot, &lo, 8);
	memcpy(slot + 8, &hi, 8);
}

int host_state_init(void)
{
	struct desc_ptr gdt;
	struct tss64 *tss;
	u32 fw_size;

	sgdt(&firmware_gdt);
	firmware_tr = str();
	fw_size = (u32)firmware_gdt.limit + 1;
	if (fw_size + TSS_DESC_SIZE + sizeof(*tss) > PAGE_SIZE) {
		log_err("firmware GDT too large (%u bytes)\n", fw_size);
		return -E2BIG;
	}

	host_gdt_page = alloc_page();
	if (!host_gdt_page)
		return -ENOMEM;

	/* Keep every firmware selector valid: copy its GDT verbatim. */
	memcpy(host_gdt_page, (void *)firmware_gdt.base, fw_size);
	host_tr = ALIGN_UP(fw_size, 8);
	tss = (struct tss64 *)(host_gdt_page + PAGE_SIZE - sizeof(*tss));
	tss->iomap_base = sizeof(*tss);	/* no I/O permission bitmap */
	write_tss_descriptor(host_gdt_page + host_tr, (uintptr_t)tss,
			     sizeof(*tss) - 1);

	gdt.base = (uintptr_t)host_gdt_page;
	gdt.limit = host_tr + TSS_DESC_SIZE - 1;
	lgdt(&gdt);
	ltr(host_tr);
	log_debug("host GDT %p (firmware's had %u bytes), TR %#x\n",
		  host_gdt_page, fw_size, host_tr);
	return 0;
}

/*
 * Give the firmware its own GDT back.  TR is not given back: it keeps our
 * selector, which the firmware's GDT may not have or may use for something
 * else, and a cached base that points at our TSS.  Firmware that runs at
 * CPL 0 without IST stacks (stock OVMF) does not consult the TSS as long as
 * nothing reloads TR.  But host_gdt_page comes from the hypervisor pool,
 * which boot/ frees when hv_main returns: from then on TR refers to freed
 * memory.  A known limitation, tracked by issue 9 (give the firmware TR and
 * GDT back as they were, or keep our copies alive).
 */
void host_state_restore(void)
{
	if (!host_gdt_page)
		return;
	lgdt(&firmware_gdt);
	log_debug("firmware GDT restored (its TR was %#x)\n", firmware_tr);
}

void host_state_capture(struct host_state *hs)
{
	struct desc_ptr d;

	hs->cs = read_cs();
	hs->ss = read_ss();
	hs->ds = read_ds();
	hs->es = read_es();
	hs->fs = read_fs();
	hs->gs = read_gs();
	hs->tr = str();
	sgdt(&d);
	hs->gdt_base = d.base;
	sidt(&d);
	/* The firmware's IDT: host interrupts go to the firmware's handlers. */
	hs->idt_base = d.base;
	hs->tr_base = (uintptr_t)(host_gdt_page + PAGE_SIZE -
				  sizeof(struct tss64));
	hs->fs_base = rdmsr(MSR_IA32_FS_BASE);
	hs->gs_base = rdmsr(MSR_IA32_GS_BASE);
	hs->cr0 = read_cr0();
	hs->cr3 = read_cr3();
	hs->cr4 = read_cr4();
	hs->efer = rdmsr(MSR_IA32_EFER);
	hs->pat = rdmsr(MSR_IA32_PAT);
}
