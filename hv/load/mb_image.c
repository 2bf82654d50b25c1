// SPDX-License-Identifier: MIT
/*
 * Multiboot 1 image validation (spec 0.6.96, section 3.1).
 *
 * Every field read from the image is untrusted: offsets and sizes are
 * combined in 64-bit arithmetic, where 32-bit fields cannot overflow, and
 * each one is checked against the file size before it is used.
 */
#include <hv/load/multiboot.h>
#include <hv/memslot/pc_layout.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <lib/string.h>

#define MB_HDR_LEN		12	/* magic, flags, checksum */
#define MB_HDR_AOUT_LEN		32	/* + header_addr .. entry_addr */

/* ELF32 constants, System V gABI and the i386 psABI. */
#define ELF_EHDR_LEN		52
#define ELF_PHDR_LEN		32
#define ELFCLASS32		1
#define ELFDATA2LSB		1
#define EV_CURRENT		1
#define ET_EXEC			2
#define EM_386			3
#define PT_LOAD			1
#define PN_XNUM			0xffff

struct parse {
	const u8 *img;
	u64 size;
	u64 ram_top;
	struct mb_image *out;
	char *err;
	size_t errlen;
	u32 seg_name[MB_MAX_SEGS];	/* number used for segs[i] in messages */
};

static int fail(struct parse *p, int ret, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct parse *p, int ret, const char *fmt, ...)
{
	va_list ap;

	if (p->err && p->errlen) {
		va_start(ap, fmt);
		hv_vsnprintf(p->err, p->errlen, fmt, ap);
		va_end(ap);
	}
	return ret;
}

/* Callers have checked off + 4 <= size.  x86 is little-endian, as is ELF32
 * for EM_386 (checked) and Multiboot by definition. */
static u32 get32(const u8 *img, u64 off)
{
	u32 v;

	memcpy(&v, img + off, sizeof(v));
	return v;
}

static u16 get16(const u8 *img, u64 off)
{
	u16 v;

	memcpy(&v, img + off, sizeof(v));
	return v;
}

/*
 * Spec 3.1.1: the header is 32-bit aligned and lies entirely within the
 * first 8192 bytes.  A magic word whose checksum does not match is skipped
 * rather than trusted, as the magic may occur by chance in code or data,
 * but it is remembered so the error can name it if no valid header follows.
 */
static int find_header(struct parse *p, u64 *hdr_off)
{
	u64 limit = MIN(p->size, (u64)MB_SEARCH_LEN);
	u64 bad_sum = (u64)-1;

	for (u64 off = 0; off + MB_HDR_LEN <= limit; off += 4) {
		u32 magic = get32(p->img, off);
		u32 flags = get32(p->img, off + 4);
		u32 sum = get32(p->img, off + 8);

		if (magic != MB_HEADER_MAGIC)
			continue;
		if ((u32)(magic + flags + sum) != 0) {
			if (bad_sum == (u64)-1)
				bad_sum = off;
			continue;
		}
		if ((flags & MB_HDR_AOUT_KLUDGE) &&
		    off + MB_HDR_AOUT_LEN > limit)
			return fail(p, -ENOEXEC,
				    "Multiboot header at 0x%llx with a.out kludge "
				    "extends past %s (needs %u bytes)",
				    (unsigned long long)off,
				    limit == p->size ? "end of file" :
				    "first 8192 bytes", MB_HDR_AOUT_LEN);
		*hdr_off = off;
		return 0;
	}
	if (bad_sum != (u64)-1)
		return fail(p, -ENOEXEC,
			    "bad header checksum at 0x%llx "
			    "(magic + flags + checksum != 0)",
			    (unsigned long long)bad_sum);
	return fail(p, -ENOEXEC, "no Multiboot header in first %u bytes",
		    MB_SEARCH_LEN);
}

static int check_flags(struct parse *p, u32 flags)
{
	u32 unknown = flags & MB_HDR_REQUIRED_MASK & ~MB_HDR_SUPPORTED;

	/* Spec 3.1.2: a required flag the loader cannot honour is fatal. */
	if (unknown & MB_HDR_VIDEO_MODE)
		return fail(p, -ENOEXEC,
			    "header requests a video mode (flag bit 2), "
			    "which Aperture does not support");
	if (unknown)
		return fail(p, -ENOEXEC,
			    "header has unsupported required flags 0x%x",
			    unknown);
	return 0;
}

/*
 * Records segment [gpa, gpa + memsz) loaded from file [off, off + filesz)
 * after checking it against the file and against guest RAM.  Segments
 * with memsz == 0 occupy nothing and are dropped.
 */
static int add_seg(struct parse *p, u32 name, u64 gpa, u64 off, u64 filesz,
		   u64 memsz)
{
	struct mb_image *out = p->out;
	u64 end;

	if (filesz > memsz)
		return fail(p, -ENOEXEC,
			    "segment %u: file size 0x%llx exceeds memory size "
			    "0x%llx", name, (unsigned long long)filesz,
			    (unsigned long long)memsz);
	if (filesz > p->size || off > p->size - filesz)
		return fail(p, -ENOEXEC,
			    "file truncated: segment %u needs bytes up to "
			    "0x%llx but file is 0x%llx", name,
			    (unsigned long long)(off + filesz),
			    (unsigned long long)p->size);
	if (!memsz)
		return 0;
	/*
	 * A Multiboot kernel starts in 32-bit protected mode with paging
	 * off (spec 3.2), so it can reach nothing at or above 4 GiB.
	 */
	end = memsz > MB_ADDR_LIMIT ? MB_ADDR_LIMIT + 1 : gpa + memsz;
	if (end > MB_ADDR_LIMIT || end > p->ram_top ||
	    (gpa < PC_HIGH_RAM_START && end > PC_LOW_RAM_END))
		return fail(p, -ERANGE,
			    "segment %u [0x%llx,0x%llx) outside guest RAM "
			    "[0,0x%llx) + [0x%llx,0x%llx)", name,
			    (unsigned long long)gpa, (unsigned long long)end,
			    PC_LOW_RAM_END, PC_HIGH_RAM_START,
			    (unsigned long long)p->ram_top);
	if (out->nr_segs == MB_MAX_SEGS)
		return fail(p, -E2BIG,
			    "too many loadable segments (more than %u)",
			    MB_MAX_SEGS);

	/* gpa + memsz <= ram_top and the hole checks keep these in u32. */
	p->seg_name[out->nr_segs] = name;
	out->segs[out->nr_segs++] = (struct mb_seg){
		.gpa = (u32)gpa,
		.file_off = (u32)off,
		.filesz = (u32)filesz,
		.memsz = (u32)memsz,
	};
	return 0;
}

/*
 * Spec 3.1.3: with flag bit 16 the header says where the image goes.  The
 * header itself is loaded too, so header_addr - load_addr is the distance
 * in the file from the start of the text to the header.
 */
static int parse_aout(struct parse *p, u64 hdr_off)
{
	u32 header_addr = get32(p->img, hdr_off + 12);
	u32 load_addr = get32(p->img, hdr_off + 16);
	u32 load_end_addr = get32(p->img, hdr_off + 20);
	u32 bss_end_addr = get32(p->img, hdr_off + 24);
	u32 entry_addr = get32(p->img, hdr_off + 28);
	u64 load_off, filesz, memsz;
	int ret;

	if (load_addr > header_addr)
		return fail(p, -ENOEXEC,
			    "a.out kludge: load_addr 0x%x above header_addr "
			    "0x%x", load_addr, header_addr);
	if (header_addr - load_addr > hdr_off)
		return fail(p, -ENOEXEC,
			    "a.out kludge: load_addr 0x%x starts 0x%x bytes "
			    "before the header, but the header is at file "
			    "offset 0x%llx", load_addr, header_addr - load_addr,
			    (unsigned long long)hdr_off);
	load_off = hdr_off - (header_addr - load_addr);

	/* load_end_addr == 0: the text and data run to the end of file. */
	if (load_end_addr) {
		if (load_end_addr <= load_addr)
			return fail(p, -ENOEXEC,
				    "a.out kludge: load_end_addr 0x%x not "
				    "above load_addr 0x%x", load_end_addr,
				    load_addr);
		filesz = (u64)load_end_addr - load_addr;
	} else {
		filesz = p->size - load_off;
	}

	/* bss_end_addr == 0: no BSS. */
	memsz = filesz;
	if (bss_end_addr) {
		if (bss_end_addr < load_addr + filesz)
			return fail(p, -ENOEXEC,
				    "a.out kludge: bss_end_addr 0x%x below end "
				    "of loaded data 0x%llx", bss_end_addr,
				    (unsigned long long)(load_addr + filesz));
		memsz = (u64)bss_end_addr - load_addr;
	}

	ret = add_seg(p, 0, load_addr, load_off, filesz, memsz);
	if (ret)
		return ret;

	/* The entry point must be code that came from the file. */
	if (entry_addr < load_addr || entry_addr >= load_addr + filesz)
		return fail(p, -ENOEXEC,
			    "a.out kludge: entry_addr 0x%x outside loaded "
			    "range [0x%x,0x%llx)", entry_addr, load_addr,
			    (unsigned long long)(load_addr + filesz));
	p->out->entry = entry_addr;
	return 0;
}

static int check_elf_header(struct parse *p)
{
	const u8 *e = p->img;

	if (p->size < ELF_EHDR_LEN || memcmp(e, "\x7f" "ELF", 4))
		return fail(p, -ENOEXEC,
			    "not an ELF file and no a.out kludge (flag bit 16) "
			    "in the Multiboot header");
	if (e[4] != ELFCLASS32)
		return fail(p, -ENOEXEC,
			    "ELF class %u not supported (need ELFCLASS32)",
			    e[4]);
	if (e[5] != ELFDATA2LSB)
		return fail(p, -ENOEXEC,
			    "ELF data encoding %u not supported (need "
			    "little-endian)", e[5]);
	if (e[6] != EV_CURRENT || get32(e, 20) != EV_CURRENT)
		return fail(p, -ENOEXEC, "ELF version %u not supported",
			    e[6] != EV_CURRENT ? e[6] : get32(e, 20));
	if (get16(e, 16) != ET_EXEC)
		return fail(p, -ENOEXEC,
			    "ELF type %u not supported (need ET_EXEC)",
			    get16(e, 16));
	if (get16(e, 18) != EM_386)
		return fail(p, -ENOEXEC,
			    "ELF machine %u not supported (need EM_386)",
			    get16(e, 18));
	return 0;
}

/*
 * The entry point is given as a virtual address.  A kernel linked to run
 * higher in its own address space has p_vaddr != p_paddr; the guest starts
 * with paging off, so translate through the segment that contains it.
 */
static int elf_entry(struct parse *p, u32 e_entry, u64 phoff, u32 phentsize,
		     u32 phnum)
{
	for (u32 i = 0; i < phnum; i++) {
		u64 ph = phoff + (u64)i * phentsize;
		u32 vaddr = get32(p->img, ph + 8);
		u32 paddr = get32(p->img, ph + 12);
		u32 filesz = get32(p->img, ph + 16);

		if (get32(p->img, ph) != PT_LOAD)
			continue;
		if (e_entry >= vaddr && (u64)e_entry < (u64)vaddr + filesz) {
			p->out->entry = paddr + (e_entry - vaddr);
			return 0;
		}
	}
	return fail(p, -ENOEXEC,
		    "ELF entry point 0x%x not inside any loaded segment's "
		    "file data", e_entry);
}

static int parse_elf(struct parse *p)
{
	u32 phoff, phentsize, phnum;
	int ret;

	ret = check_elf_header(p);
	if (ret)
		return ret;
	phoff = get32(p->img, 28);
	phentsize = get16(p->img, 42);
	phnum = get16(p->img, 44);
	if (!phnum)
		return fail(p, -ENOEXEC, "ELF file has no program headers");
	if (phnum == PN_XNUM)
		return fail(p, -E2BIG,
			    "ELF extended program header numbering not "
			    "supported");
	if (phentsize < ELF_PHDR_LEN)
		return fail(p, -ENOEXEC,
			    "ELF program header size %u too small (need %u)",
			    phentsize, ELF_PHDR_LEN);
	if ((u64)phoff + (u64)phnum * phentsize > p->size)
		return fail(p, -ENOEXEC,
			    "file truncated: program headers need bytes up to "
			    "0x%llx but file is 0x%llx",
			    (unsigned long long)((u64)phoff +
						 (u64)phnum * phentsize),
			    (unsigned long long)p->size);

	for (u32 i = 0; i < phnum; i++) {
		u64 ph = (u64)phoff + (u64)i * phentsize;

		if (get32(p->img, ph) != PT_LOAD)
			continue;
		ret = add_seg(p, i, get32(p->img, ph + 12),
			      get32(p->img, ph + 4), get32(p->img, ph + 16),
			      get32(p->img, ph + 20));
		if (ret)
			return ret;
	}
	if (!p->out->nr_segs)
		return fail(p, -ENOEXEC, "ELF file has no loadable segments");
	return elf_entry(p, get32(p->img, 24), phoff, phentsize, phnum);
}

static int check_overlap(struct parse *p)
{
	struct mb_image *out = p->out;

	for (u32 i = 0; i < out->nr_segs; i++) {
		const struct mb_seg *a = &out->segs[i];

		for (u32 j = i + 1; j < out->nr_segs; j++) {
			const struct mb_seg *b = &out->segs[j];

			if ((u64)a->gpa < (u64)b->gpa + b->memsz &&
			    (u64)b->gpa < (u64)a->gpa + a->memsz)
				return fail(p, -EINVAL,
					    "segments %u and %u overlap: "
					    "[0x%x,0x%llx) and [0x%x,0x%llx)",
					    p->seg_name[i], p->seg_name[j],
					    a->gpa,
					    (unsigned long long)a->gpa + a->memsz,
					    b->gpa,
					    (unsigned long long)b->gpa + b->memsz);
		}
	}
	return 0;
}

static void compute_bounds(struct mb_image *out)
{
	out->load_lo = out->segs[0].gpa;
	out->load_hi = out->segs[0].gpa + out->segs[0].memsz;
	for (u32 i = 1; i < out->nr_segs; i++) {
		out->load_lo = MIN(out->load_lo, out->segs[i].gpa);
		out->load_hi = MAX(out->load_hi,
				   out->segs[i].gpa + out->segs[i].memsz);
	}
}

int mb_parse(const u8 *img, u64 size, u64 ram_top, struct mb_image *out,
	     char *err, size_t errlen)
{
	struct parse p = {
		.img = img, .size = size, .ram_top = ram_top, .out = out,
		.err = err, .errlen = errlen,
	};
	u64 hdr_off = 0;
	int ret;

	memset(out, 0, sizeof(*out));
	if (err && errlen)
		err[0] = '\0';

	ret = find_header(&p, &hdr_off);
	if (ret)
		return ret;
	out->flags = get32(img, hdr_off + 4);
	ret = check_flags(&p, out->flags);
	if (ret)
		return ret;
	if (out->flags & MB_HDR_AOUT_KLUDGE)
		ret = parse_aout(&p, hdr_off);
	else
		ret = parse_elf(&p);
	if (!ret)
		ret = check_overlap(&p);
	if (ret) {
		/* Leave nothing a careless caller could load from. */
		memset(out, 0, sizeof(*out));
		return ret;
	}
	compute_bounds(out);
	return 0;
}
