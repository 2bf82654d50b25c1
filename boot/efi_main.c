// SPDX-License-Identifier: MIT
/*
 * hv.efi entry point: gather what the hypervisor core needs from UEFI into a
 * struct boot_info, run hv_main(), release everything and end the run the
 * way `exit=` asks (boot/platform_exit.h).
 *
 * The configuration file is named by the config=<path> load option
 * (default \aperture\aperture.cfg).  It and the load options are parsed
 * once, by the core's pure parser (hv/config/config.h), before anything is
 * printed, so that their exit=, console= and pool= already apply to the
 * banner; the parsed struct hv_config goes to the core in struct boot_info.
 * Problems found on the way are reported right after the banner, and a run
 * with any of them ends with HV_STATUS_ERROR without starting the core.
 */
#include <efi.h>
#include <hv/boot_info.h>
#include <lib/errno.h>
#include <lib/string.h>
#include <boot/console.h>
#include <boot/platform_exit.h>
#include <boot/fs.h>
#include <boot/memory.h>
#include <boot/options.h>
#include <boot/tsc.h>

#define DEFAULT_CONFIG	"\\aperture\\aperture.cfg"
#define OPTIONS_MAX	2048

/*
 * What was learnt before the console mode was known, printed afterwards.
 * It lives on efi_main()'s stack; the large struct hv_config is allocated.
 */
struct early {
	char options[OPTIONS_MAX];	/* ASCII load options, or "" */
	int options_err;
	size_t options_bad;	/* index of the first non-ASCII character */
	u16 options_char;
	int fs_err;
	char config_path[FS_MAX_PATH];
	int config_err;		/* finding or reading the file */
	u64 config_size;
	struct hv_config *cfg;	/* NULL: out of memory */
	int file_ret;		/* config_parse() */
	struct config_error file_err;
	int options_ret;	/* config_apply_options() */
	struct config_error options_msg;
};

static const char *err_str(int err)
{
	switch (err) {
	case -ENOENT:
		return "not found";
	case -ENOMEM:
		return "out of memory";
	case -EFBIG:
		return "larger than 64 MiB";
	case -E2BIG:
		return "path too long";
	case -EINVAL:
		return "invalid path";
	default:
		return "I/O error";
	}
}

static void read_options(EFI_LOADED_IMAGE *li, struct early *e)
{
	const u16 *src = li->LoadOptions;
	size_t n = src ? li->LoadOptionsSize / sizeof(u16) : 0;

	e->options_err = boot_options_to_ascii(src, n, e->options,
					       sizeof(e->options),
					       &e->options_bad);
	if (e->options_err) {
		if (e->options_err == -EINVAL)
			e->options_char = src[e->options_bad];
		e->options[0] = '\0';
	}
}

static char *read_config(struct early *e)
{
	void *data;
	int ret;

	ret = config_options_path(e->options, e->config_path,
				  sizeof(e->config_path));
	if (ret < 0)
		e->config_err = ret;
	else if (!ret)
		memcpy(e->config_path, DEFAULT_CONFIG, sizeof(DEFAULT_CONFIG));
	if (e->config_err || e->fs_err)
		return NULL;
	e->config_err = fs_read(e->config_path, &data, &e->config_size);
	return e->config_err ? NULL : data;
}

/*
 * The one parse of the file and the load options.  A file that could not
 * be read parses as empty, so that the options still choose the console
 * and the exit for the message that says so.
 */
static void parse_config(struct early *e, const char *text)
{
	e->file_ret = config_parse(text ? text : "", e->cfg, &e->file_err);
	e->options_ret = config_apply_options(e->cfg, e->options,
					      &e->options_msg);
}

/* Sets the console mode the configuration asks for; returns its exit=. */
static enum boot_exit apply_boot_settings(const struct hv_config *cfg)
{
	static const enum console_mode modes[] = {
		[CFG_CONSOLE_BOTH] = CONSOLE_BOTH,
		[CFG_CONSOLE_SERIAL] = CONSOLE_SERIAL,
		[CFG_CONSOLE_EFI] = CONSOLE_EFI,
	};
	static const enum boot_exit exits[] = {
		[CFG_EXIT_RETURN] = BOOT_EXIT_RETURN,
		[CFG_EXIT_QEMU] = BOOT_EXIT_QEMU,
		[CFG_EXIT_BOCHS] = BOOT_EXIT_BOCHS,
	};

	if (!cfg) {
		console_set_mode(CONSOLE_BOTH);
		return BOOT_EXIT_RETURN;
	}
	console_set_mode(modes[cfg->console]);
	return exits[cfg->exit];
}

/* Prints what went wrong before the banner; returns whether to go on. */
static bool report_early(const struct early *e)
{
	bool read_ok = !e->fs_err && !e->config_err;

	if (e->options_err == -EINVAL)
		console_printf("boot: load options are not ASCII text "
			       "(character %zu is U+%04x)\n",
			       e->options_bad, e->options_char);
	else if (e->options_err)
		console_printf("boot: load options longer than %zu characters\n",
			       sizeof(e->options) - 1);
	else if (e->options[0])
		console_printf("boot: options: %s\n", e->options);

	if (e->fs_err)
		console_printf("boot: the volume hv.efi was loaded from has no "
			       "file system, so no configuration can be read\n");
	else if (e->config_err)
		console_printf("boot: cannot read configuration %s: %s%s\n",
			       e->config_path, err_str(e->config_err),
			       e->config_err == -ENOENT ?
			       " (config=<path> names another file)" : "");
	else
		console_printf("boot: config: %s (%lu bytes)\n",
			       e->config_path, e->config_size);

	if (!e->cfg) {
		console_printf("boot: no memory for the configuration\n");
		return false;
	}
	/* Without the file, its absence is the one error worth reading. */
	if (read_ok && e->file_ret)
		console_printf("boot: %s: %s\n", e->config_path,
			       e->file_err.msg);
	else if (read_ok && e->options_ret)
		console_printf("boot: load options: %s\n", e->options_msg.msg);

	return read_ok && !e->options_err && !e->file_ret && !e->options_ret;
}

/* Runs the core with a pool and returns its verdict. */
static enum hv_status run_core(EFI_BOOT_SERVICES *bs,
			       const struct hv_config *cfg)
{
	struct boot_info bi = {
		.config = cfg,
		.console_write = console_write,
		.console_guest_live = console_guest_live,
		.read_file = fs_read_guest,
		.free_file = fs_free,
		.alloc_kept = memory_alloc_kept,
	};
	enum hv_status status;

	memory_kept_init(bs);
	if (memory_log_map(bs))
		console_printf("boot: memory: cannot read the memory map\n");
	if (memory_alloc_pool(bs, cfg->pool_mib, &bi.pool_base,
			      &bi.pool_pages)) {
		console_printf("boot: pool: cannot allocate even %u MiB below "
			       "4 GiB; try a smaller pool=<MiB>\n",
			       POOL_MIN_MIB);
		return HV_STATUS_ERROR;
	}
	console_printf("boot: pool: %lu MiB at 0x%lx\n",
		       bi.pool_pages * EFI_PAGE_SIZE >> 20, bi.pool_base);
	bi.tsc_khz = tsc_measure_khz(bs);
	/* From the firmware, before any guest's state is in the CPU. */
	console_hold_alloc(bs);

	status = hv_main(&bi);

	console_hold_free(bs);
	memory_free_pool(bs, bi.pool_base, bi.pool_pages);
	return status;
}

/* Debian's crt0 calls this with the SysV ABI: it must not be EFIAPI. */
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	EFI_GUID li_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
	EFI_BOOT_SERVICES *bs = st->BootServices;
	enum hv_status status = HV_STATUS_ERROR;
	struct early e = { 0 };
	EFI_LOADED_IMAGE *li;
	enum boot_exit how;
	char *text;
	EFI_STATUS est;

	/* The firmware resets the machine after 5 minutes otherwise. */
	uefi_call_wrapper(bs->SetWatchdogTimer, 4, 0, 0, 0, NULL);
	console_init(st->ConOut);

	est = uefi_call_wrapper(bs->HandleProtocol, 3, image, &li_guid,
				(void **)&li);
	if (EFI_ERROR(est)) {
		console_printf("Aperture hypervisor v" APERTURE_VERSION "\n"
			       "boot: no LoadedImage protocol on our own "
			       "image handle\n");
		return boot_exit(BOOT_EXIT_RETURN, HV_STATUS_ERROR);
	}
	read_options(li, &e);
	e.fs_err = fs_init(bs, li->DeviceHandle);
	text = read_config(&e);
	e.cfg = memory_alloc(bs, sizeof(*e.cfg));
	if (e.cfg)
		parse_config(&e, text);
	how = apply_boot_settings(e.cfg);

	console_printf("Aperture hypervisor v" APERTURE_VERSION "\n");
	if (report_early(&e))
		status = run_core(bs, e.cfg);

	memory_free(bs, e.cfg);
	fs_free(text, e.config_size);
	fs_fini();
	return boot_exit(how, status);
}
