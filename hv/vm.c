// SPDX-License-Identifier: MIT
/*
 * Creating and destroying VMs, and the few things every part of a VM's
 * life needs: ending it, and its console.
 */
#define LOG_SUBSYS "vm"
#include <stdarg.h>

#include <lib/errno.h>
#include <lib/log.h>
#include <lib/palloc.h>
#include <lib/printf.h>
#include <lib/string.h>
#include <hv/memslot/pc_layout.h>
#include <hv/vm.h>

#define FIRST_CFG_SLOT	2		/* memslot ids 0-1 are guest RAM */

static u64 vm_pages(void)
{
	return ALIGN_UP(sizeof(struct vm), PAGE_SIZE) / PAGE_SIZE;
}

/* A memslot with fresh zeroed backing (and a dirty bitmap if it logs). */
static int add_slot(struct vm *vm, u32 id, gpa_t gpa, u64 size, u32 flags)
{
	struct memslot slot = {
		.base_gfn = gpa >> PAGE_SHIFT,
		.npages = size >> PAGE_SHIFT,
		.id = id,
		.flags = flags,
	};
	int ret;

	if (!size || !IS_ALIGNED(gpa | size, PAGE_SIZE))
		return -EINVAL;
	slot.host = alloc_pages(slot.npages);
	if (!slot.host)
		return -ENOMEM;
	if (flags & APERTURE_MEM_LOG_DIRTY_PAGES) {
		slot.dirty_bitmap = alloc_pages(
			ALIGN_UP(memslot_dirty_bitmap_bytes(&slot), PAGE_SIZE) /
			PAGE_SIZE);
		if (!slot.dirty_bitmap) {
			free_pages(slot.host, slot.npages);
			return -ENOMEM;
		}
	}
	ret = memslots_insert(&vm->pm.slots, &slot);
	if (ret) {
		free_pages(slot.host, slot.npages);
		if (slot.dirty_bitmap)
			free_pages(slot.dirty_bitmap,
				   ALIGN_UP(memslot_dirty_bitmap_bytes(&slot),
					    PAGE_SIZE) / PAGE_SIZE);
	}
	return ret;
}

static void free_slots(struct vm *vm)
{
	struct memslots *ms = &vm->pm.slots;

	for (u32 i = 0; i < ms->nslots; i++) {
		struct memslot *s = &ms->slots[i];

		free_pages(s->host, s->npages);
		if (s->dirty_bitmap)
			free_pages(s->dirty_bitmap,
				   ALIGN_UP(memslot_dirty_bitmap_bytes(s),
					    PAGE_SIZE) / PAGE_SIZE);
	}
	ms->nslots = 0;
}

/* COM1's transmitter feeds the guest's console line. */
static void console_tx(void *ctx, char c)
{
	vm_console_write(ctx, &c, 1);
}

int vm_create(struct vm **vmp, const struct cfg_guest *cfg)
{
	struct vm *vm;
	int ret;

	vm = alloc_pages(vm_pages());
	if (!vm)
		return -ENOMEM;
	vm->cfg = cfg;
	vm->state = VM_RUNNING;
	vm->vcpu.vm = vm;
	physmap_init(&vm->pm);
	uart_init(&vm->com1, console_tx, vm);

	vm->ports_logged = alloc_pages(2);	/* 65536 bits */
	if (!vm->ports_logged) {
		ret = -ENOMEM;
		goto fail;
	}

	/* The PC layout: RAM below 640 KiB, a hole, RAM from 1 MiB. */
	ret = add_slot(vm, 0, 0, PC_LOW_RAM_END, 0);
	if (!ret)
		ret = add_slot(vm, 1, PC_HIGH_RAM_START,
			       cfg->mem - PC_HIGH_RAM_START, 0);
	for (u32 i = 0; !ret && i < cfg->nr_slots; i++) {
		const struct cfg_slot *s = &cfg->slots[i];

		ret = add_slot(vm, FIRST_CFG_SLOT + i, s->gpa, s->size,
			       s->flags);
		if (ret)
			log_err("guest %s: memslot %u at %#lx (%#lx bytes): %d\n",
				cfg->name, FIRST_CFG_SLOT + i, s->gpa, s->size,
				ret);
	}
	if (ret)
		goto fail;

	for (u32 i = 0; i < cfg->nr_aliases; i++) {
		const struct cfg_alias *a = &cfg->aliases[i];
		struct aperture_memory_alias req = {
			.slot = a->slot,
			.guest_phys_addr = a->gpa,
			.memory_size = a->size,
			.target_phys_addr = a->target,
		};

		ret = alias_set(&vm->pm.aliases, &req, NULL);
		if (ret) {
			log_err("guest %s: alias %u rejected: %d\n", cfg->name,
				a->slot, ret);
			goto fail;
		}
	}

	ret = mmu_create(&vm->mmu, &vm->pm, &vm->stats,
			 cfg->mmu == CFG_INVALIDATE_ALL ? MMU_INVALIDATE_ALL :
							  MMU_INVALIDATE_TARGETED,
			 vmx_caps.maxphyaddr);
	if (ret)
		goto fail;
	*vmp = vm;
	return 0;

fail:
	vm_destroy(vm);
	return ret;
}

void vm_destroy(struct vm *vm)
{
	if (!vm)
		return;
	vm_console_flush(vm);
	vmx_vcpu_destroy(&vm->vcpu.vmx);
	mmu_destroy(&vm->mmu);
	free_slots(vm);
	if (vm->ports_logged)
		free_pages(vm->ports_logged, 2);
	free_pages(vm, vm_pages());
}

void vm_kill(struct vm *vm, const char *reason_word, const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	if (vm->state != VM_RUNNING)
		return;
	vm->state = VM_KILLED;
	hv_snprintf(vm->kill_reason, sizeof(vm->kill_reason), "%s",
		    reason_word);
	va_start(ap, fmt);
	hv_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	vm_console_flush(vm);
	log_err("guest %s ended (%s): %s", vm->cfg->name, reason_word, msg);
}

void vm_exit_status(struct vm *vm, u64 status)
{
	if (vm->state != VM_RUNNING)
		return;
	vm->state = VM_EXITED;
	vm->exit_status = status;
}

void vm_console_flush(struct vm *vm)
{
	if (!vm->line_len)
		return;
	log_raw_printf("[%s] %.*s\n", vm->cfg->name, (int)vm->line_len,
		       vm->line);
	vm->line_len = 0;
}

void vm_console_write(struct vm *vm, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (c == '\n') {
			if (!vm->line_len)
				log_raw_printf("[%s]\n", vm->cfg->name);
			vm_console_flush(vm);
			continue;
		}
		if (c == '\r')
			continue;
		/* Keep the log readable: no control characters from guests. */
		if ((u8)c < 0x20 || (u8)c > 0x7e)
			c = '.';
		if (vm->line_len == sizeof(vm->line))
			vm_console_flush(vm);
		vm->line[vm->line_len++] = c;
	}
}
