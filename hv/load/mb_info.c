// SPDX-License-Identifier: MIT
/*
 * The Multiboot 1 information structure a guest finds through EBX (spec
 * 0.6.96, section 3.3), with its memory map, module list and strings.
 *
 * The request comes from the loader, not from the image, but it is checked
 * all the same: a bad request must fail here rather than write outside buf.
 */
#include <hv/load/multiboot.h>
#include <hv/memslot/pc_layout.h>
#include <lib/errno.h>
#include <lib/string.h>

/* Byte offsets into buf, which lands at buf_gpa in the guest. */
struct info_layout {
	u64 mmap;
	u64 mods;
	u64 strings;
	u64 end;
};

static u64 str_size(const char *s)
{
	return (s ? strlen(s) : 0) + 1;
}

static int check_ram(const struct mb_info_req *req)
{
	for (u32 i = 0; i < req->nr_ram; i++) {
		const struct mb_ram_range *a = &req->ram[i];

		if (!a->len || a->base + a->len < a->base)
			return -EINVAL;
		if (a->base < PC_HIGH_RAM_START &&
		    a->base + a->len > PC_LOW_RAM_END)
			return -EINVAL;
		for (u32 j = i + 1; j < req->nr_ram; j++) {
			const struct mb_ram_range *b = &req->ram[j];

			if (a->base < b->base + b->len &&
			    b->base < a->base + a->len)
				return -EINVAL;
		}
	}
	return 0;
}

/* End of the RAM that runs without a gap from addr (addr if none). */
static u64 ram_run_end(const struct mb_info_req *req, u64 addr)
{
	bool grew = true;

	while (grew) {
		grew = false;
		for (u32 i = 0; i < req->nr_ram; i++) {
			const struct mb_ram_range *r = &req->ram[i];

			if (r->base <= addr && addr < r->base + r->len) {
				addr = r->base + r->len;
				grew = true;
			}
		}
	}
	return addr;
}

static void put_bytes(u8 *buf, u64 *off, const void *src, u64 len)
{
	memcpy(buf + *off, src, len);
	*off += len;
}

static u32 put_string(u8 *buf, u32 buf_gpa, u64 *off, const char *s)
{
	u32 gpa = buf_gpa + (u32)*off;

	put_bytes(buf, off, s ? s : "", str_size(s));
	return gpa;
}

static void put_mmap_entry(u8 *buf, u64 *off, u64 base, u64 len, u32 type)
{
	struct mb_mmap_entry e = {
		.size = sizeof(e) - sizeof(e.size),
		.base_addr = base,
		.length = len,
		.type = type,
	};

	put_bytes(buf, off, &e, sizeof(e));
}

/*
 * Finds the region (a RAM range or the hole) with the lowest base above
 * 'above', or the lowest of all when 'any'.  Checked ranges have distinct
 * bases, so calling this with the last base found visits every region once,
 * in address order, without scratch space to sort in.
 */
static void next_region(const struct mb_info_req *req, bool any, u64 above,
			u64 *base, u64 *len, u32 *type)
{
	*base = UINT64_MAX;
	if (any || PC_LOW_RAM_END > above) {
		*base = PC_LOW_RAM_END;
		*len = PC_HIGH_RAM_START - PC_LOW_RAM_END;
		*type = MB_MMAP_RESERVED;
	}
	for (u32 i = 0; i < req->nr_ram; i++) {
		const struct mb_ram_range *r = &req->ram[i];

		if ((any || r->base > above) && r->base < *base) {
			*base = r->base;
			*len = r->len;
			*type = MB_MMAP_AVAILABLE;
		}
	}
}

static void put_mmap(const struct mb_info_req *req, u8 *buf, u64 *off)
{
	u64 base = 0, len = 0;
	u32 type = 0;

	for (u32 n = 0; n <= req->nr_ram; n++) {
		next_region(req, n == 0, base, &base, &len, &type);
		put_mmap_entry(buf, off, base, len, type);
	}
}

int mb_build_info(const struct mb_info_req *req, u8 *buf, u32 buf_gpa,
		  u32 buf_size, u32 *info_gpa)
{
	struct mb_info info = { 0 };
	struct info_layout l;
	u64 off, upper;
	int ret;

	if (!IS_ALIGNED(buf_gpa, 4) || (u64)buf_gpa + buf_size > MB_ADDR_LIMIT)
		return -EINVAL;
	ret = check_ram(req);
	if (ret)
		return ret;
	for (u32 i = 0; i < req->nr_mods; i++)
		if (req->mods[i].end < req->mods[i].start)
			return -EINVAL;

	l.mmap = sizeof(info);
	l.mods = l.mmap + ((u64)req->nr_ram + 1) * sizeof(struct mb_mmap_entry);
	l.strings = l.mods + (u64)req->nr_mods * sizeof(struct mb_module);
	l.end = l.strings + str_size(req->cmdline) +
		str_size(MB_BOOT_LOADER_NAME);
	for (u32 i = 0; i < req->nr_mods; i++)
		l.end += str_size(req->mods[i].string);
	if (l.end > buf_size)
		return -ENOSPC;

	/* Spec 3.3: mem_lower counts from 0, mem_upper from 1 MiB, each up
	 * to the first hole; lower memory ends at the VGA window at most. */
	upper = ram_run_end(req, PC_HIGH_RAM_START) - PC_HIGH_RAM_START;
	info.flags = MB_INFO_MEMORY | MB_INFO_CMDLINE | MB_INFO_MODS |
		     MB_INFO_MEM_MAP | MB_INFO_BOOT_LOADER_NAME;
	info.mem_lower = (u32)(MIN(ram_run_end(req, 0),
				   (u64)PC_LOW_RAM_END) / 1024);
	info.mem_upper = (u32)MIN(upper / 1024, (u64)UINT32_MAX);
	info.mmap_addr = buf_gpa + (u32)l.mmap;
	info.mmap_length = (u32)(l.mods - l.mmap);
	info.mods_addr = buf_gpa + (u32)l.mods;
	info.mods_count = req->nr_mods;

	off = l.strings;
	info.cmdline = put_string(buf, buf_gpa, &off, req->cmdline);
	info.boot_loader_name = put_string(buf, buf_gpa, &off,
					   MB_BOOT_LOADER_NAME);
	for (u32 i = 0; i < req->nr_mods; i++) {
		struct mb_module m = {
			.mod_start = req->mods[i].start,
			.mod_end = req->mods[i].end,
			.string = put_string(buf, buf_gpa, &off,
					     req->mods[i].string),
		};

		memcpy(buf + l.mods + (u64)i * sizeof(m), &m, sizeof(m));
	}

	off = l.mmap;
	put_mmap(req, buf, &off);
	memcpy(buf, &info, sizeof(info));
	*info_gpa = buf_gpa;
	return 0;
}
