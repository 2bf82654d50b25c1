// SPDX-License-Identifier: MIT
/*
 * The host GDT and TSS VMX operation runs on, and giving the firmware its
 * GDTR and TR back afterwards; see host.h.
 */
#define LOG_SUBSYS "vmx"
#include <lib/cpu.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <lib/palloc.h>
#include <lib/string.h>
#include <lib/x86.h>
#include <hv/vmx/host.h>
#include <hv/vmx/vmcs_defs.h>

/* 64-bit TSS, SDM 3A 8.7. */
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
static bool firmware_tr_valid;	/* a TSS in the firmware's GDT: LTR-able */
static u8 *host_gdt_page;
static bool host_gdt_kept;	/* from vmx_set_kept_alloc()'s allocator */
static u16 host_tr;
static void *(*kept_alloc)(u64 pages);

void vmx_set_kept_alloc(void *(*alloc)(u64 pages))
{
	kept_alloc = alloc;
}

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
/* Busy is bit 1 of the type: 9 available, 11 busy (SDM 3A 8.2.2). */
#define DESC_TSS_BUSY		((u64)(SEG_TYPE_TSS_BUSY ^ SEG_TYPE_TSS_AVAIL) \
				 << DESC_AR_SHIFT)

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

/*
 * The firmware's TR names a 64-bit TSS of its GDT (not null, not in an LDT,
 * inside the limit, S = 0, present, type 9 or 11): then it can be loaded
 * again at the end and its stacks copied.  UEFI leaves TR = 0 (OVMF); after
 * an earlier hv.efi run TR holds that run's selector, beyond the limit.
 */
static bool firmware_tss(u64 *base)
{
	u32 sel = firmware_tr & ~(SEL_RPL_MASK | SEL_TI);
	const u8 *slot = (const u8 *)(uintptr_t)firmware_gdt.base + sel;
	u64 lo, hi;
	u32 ar;

	if (!sel || (firmware_tr & SEL_TI) ||
	    sel + TSS_DESC_SIZE - 1 > firmware_gdt.limit)
		return false;
	memcpy(&lo, slot, 8);
	memcpy(&hi, slot + 8, 8);
	ar = (lo >> DESC_AR_SHIFT) & 0xff;
	if ((ar & (VMX_AR_S | VMX_AR_P)) != VMX_AR_P ||
	    ((ar & VMX_AR_TYPE_MASK) != SEG_TYPE_TSS_AVAIL &&
	     (ar & VMX_AR_TYPE_MASK) != SEG_TYPE_TSS_BUSY))
		return false;
	*base = ((lo >> DESC_BASE_LOW_SHIFT) & 0xffffff) |
		((lo >> DESC_BASE_HIGH_SHIFT) & 0xff) << 24 | hi << 32;
	return true;
}

/*
 * SDM 3C 26.2.3 forbids a null host TR, and UEFI runs with TR = 0, so VMX
 * operation runs on our own GDT: the firmware's descriptors at the same
 * selectors plus a 64-bit TSS, all in one page.  If the firmware had a TSS,
 * ours carries its stack pointers and IST stacks, so that its handlers
 * that use them (taken between VM exits, host NMIs included) keep working.
 *
 * That page outlives hv.efi: where TR cannot be given back (below), TR's
 * cached base keeps pointing at our TSS for the rest of the firmware's
 * life.  So it comes from boot/'s kept allocator (boot_info.alloc_kept,
 * boot services memory that is never freed), once per hv.efi run, not
 * from the hypervisor pool that boot/ frees when hv_main() returns.
 */
int host_state_init(void)
{
	struct desc_ptr gdt;
	struct tss64 *tss;
	u64 fw_tss = 0;
	u32 fw_size;

	sgdt(&firmware_gdt);
	firmware_tr = str();
	firmware_tr_valid = firmware_tss(&fw_tss);
	fw_size = (u32)firmware_gdt.limit + 1;
	/* Our TSS descriptor goes at the first 8-byte boundary past it. */
	if (ALIGN_UP(fw_size, 8) + TSS_DESC_SIZE + sizeof(*tss) > PAGE_SIZE) {
		log_err("firmware GDT too large (%u bytes)\n", fw_size);
		return -E2BIG;
	}

	if (!host_gdt_page && kept_alloc) {
		host_gdt_page = kept_alloc(1);
		host_gdt_kept = host_gdt_page != NULL;
	}
	if (!host_gdt_page) {
		log_warn("host GDT/TSS in the pool: TR will point at freed memory after the run\n");
		host_gdt_page = alloc_page();
	}
	if (!host_gdt_page)
		return -ENOMEM;
	memset(host_gdt_page, 0, PAGE_SIZE);

	/* Keep every firmware selector valid: copy its GDT verbatim. */
	memcpy(host_gdt_page, (void *)firmware_gdt.base, fw_size);
	host_tr = ALIGN_UP(fw_size, 8);
	tss = (struct tss64 *)(host_gdt_page + PAGE_SIZE - sizeof(*tss));
	if (firmware_tr_valid) {
		const struct tss64 *fw = (const void *)(uintptr_t)fw_tss;

		memcpy(tss->rsp, fw->rsp, sizeof(tss->rsp));
		memcpy(tss->ist, fw->ist, sizeof(tss->ist));
	}
	tss->iomap_base = sizeof(*tss);	/* no I/O permission bitmap */
	write_tss_descriptor(host_gdt_page + host_tr, (uintptr_t)tss,
			     sizeof(*tss) - 1);

	gdt.base = (uintptr_t)host_gdt_page;
	gdt.limit = host_tr + TSS_DESC_SIZE - 1;
	lgdt(&gdt);
	ltr(host_tr);
	log_debug("host GDT %p%s (firmware's had %u bytes, its TR %#x%s), TR %#x\n",
		  host_gdt_page, host_gdt_kept ? ", kept" : "", fw_size,
		  firmware_tr, firmware_tr_valid ? ", a TSS: stacks copied" : "",
		  host_tr);
	return 0;
}

/*
 * Give the firmware its GDTR back, and its TR where it had one: LTR needs
 * an available TSS descriptor (SDM 3A 8.2.4), and the firmware's own is
 * still marked busy from when it loaded it, so it is marked available
 * first; LTR marks it busy again, leaving the firmware's GDT as it was.
 *
 * A null TR (UEFI's, OVMF's) cannot be loaded again: LTR of a null
 * selector raises #GP.  TR then keeps our selector, which is beyond the
 * firmware's GDT limit (nothing reloads TR from it), and a cached base
 * that points at our TSS.  That is why the TSS lives in kept memory
 * (host_state_init()): it stays valid, with the firmware's stacks if it
 * had any, for the rest of the firmware's life.
 */
void host_state_restore(void)
{
	if (!host_gdt_page)
		return;
	lgdt(&firmware_gdt);
	if (firmware_tr_valid) {
		u8 *slot = (u8 *)(uintptr_t)firmware_gdt.base +
			   (firmware_tr & ~(SEL_RPL_MASK | SEL_TI));
		u64 lo;

		memcpy(&lo, slot, 8);
		lo &= ~DESC_TSS_BUSY;
		memcpy(slot, &lo, 8);
		ltr(firmware_tr);
		log_debug("firmware GDT and TR %#x restored\n", firmware_tr);
	} else {
		log_debug("firmware GDT restored; TR %#x stays ours (the firmware's was %#x)\n",
			  host_tr, firmware_tr);
	}
	/* A pool page is freed with the pool; a kept one never is. */
	if (!host_gdt_kept) {
		free_page(host_gdt_page);
		host_gdt_page = NULL;
	}
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
