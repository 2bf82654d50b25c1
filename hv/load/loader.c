// SPDX-License-Identifier: MIT
/*
 * The Multiboot 1 loader: parse (mb_image.c), copy segments and modules
 * into guest RAM, then build the information block above them.
 */
#define LOG_SUBSYS "loader"
#include <lib/errno.h>
#include <lib/log.h>
#include <lib/palloc.h>
#include <lib/string.h>
#include <hv/load/loader.h>
#include <hv/load/multiboot.h>
#include <hv/memslot/pc_layout.h>
#include <hv/vm.h>

#define MBI_BUF_PAGES	2

static int load_modules(struct vm *vm, const struct boot_info *bi, u32 *next,
			struct mb_mod_req *mods)
{
	const struct cfg_guest *cfg = vm->cfg;

	for (u32 i = 0; i < cfg->nr_modules; i++) {
		void *data;
		u64 size;
		int ret;

		ret = bi->read_file(cfg->modules[i], &data, &size);
		if (ret) {
			log_err("guest %s: module %s: cannot read (%d)\n",
				cfg->name, cfg->modules[i], ret);
			return ret;
		}
		if (*next + size > cfg->mem) {
			log_err("guest %s: module %s does not fit in guest RAM\n",
				cfg->name, cfg->modules[i]);
			bi->free_file(data, size);
			return -ENOSPC;
		}
		ret = physmap_write(&vm->pm, *next, data, size);
		bi->free_file(data, size);
		if (ret) {
			log_err("guest %s: module %s at %#x: not in guest RAM "
				"(%d)\n", cfg->name, cfg->modules[i], *next,
				ret);
			return ret;
		}
		mods[i].start = *next;
		mods[i].end = *next + size;
		mods[i].string = cfg->modules[i];
		*next = ALIGN_UP(*next + size, PAGE_SIZE);
	}
	return 0;
}

int loader_load(struct vm *vm, const struct boot_info *bi, u32 *entry,
		u32 *mbi_gpa)
{
	const struct cfg_guest *cfg = vm->cfg;
	struct mb_mod_req mods[CFG_MAX_MODULES];
	struct mb_ram_range ram[2] = {
		{ 0, PC_LOW_RAM_END },
		{ PC_HIGH_RAM_START, cfg->mem - PC_HIGH_RAM_START },
	};
	struct mb_info_req req = {
		.ram = ram,
		.nr_ram = 2,
		.cmdline = cfg->cmdline,
		.mods = mods,
		.nr_mods = cfg->nr_modules,
	};
	struct mb_image img;
	char err[128];
	void *data;
	u64 size;
	u8 *buf;
	u32 next;
	int ret;

	ret = bi->read_file(cfg->file, &data, &size);
	if (ret) {
		log_err("guest %s: rejected: cannot read %s (%d)\n", cfg->name,
			cfg->file, ret);
		return ret;
	}
	ret = mb_parse(data, size, cfg->mem, &img, err, sizeof(err));
	if (ret) {
		log_err("guest %s: rejected: %s: %s\n", cfg->name, cfg->file,
			err);
		goto out;
	}
	for (u32 i = 0; i < img.nr_segs && !ret; i++) {
		const struct mb_seg *s = &img.segs[i];

		ret = physmap_write(&vm->pm, s->gpa,
				    (const u8 *)data + s->file_off, s->filesz);
	}
	if (ret) {
		log_err("guest %s: rejected: segment outside guest RAM\n",
			cfg->name);
		goto out;
	}

	next = ALIGN_UP(img.load_hi, PAGE_SIZE);
	ret = load_modules(vm, bi, &next, mods);
	if (ret)
		goto out;

	buf = alloc_pages(MBI_BUF_PAGES);
	if (!buf) {
		ret = -ENOMEM;
		goto out;
	}
	ret = mb_build_info(&req, buf, next, MBI_BUF_PAGES * PAGE_SIZE,
			    mbi_gpa);
	if (!ret)
		ret = physmap_write(&vm->pm, next, buf,
				    MBI_BUF_PAGES * PAGE_SIZE);
	free_pages(buf, MBI_BUF_PAGES);
	if (ret) {
		log_err("guest %s: no room for the Multiboot information (%d)\n",
			cfg->name, ret);
		goto out;
	}
	*entry = img.entry;
	log_info("guest %s: %s loaded at [%#x, %#x), entry %#x, info at %#x\n",
		 cfg->name, cfg->file, img.load_lo, img.load_hi, img.entry,
		 *mbi_gpa);
out:
	bi->free_file(data, size);
	return ret;
}
