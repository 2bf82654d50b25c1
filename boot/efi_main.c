// SPDX-License-Identifier: MIT
/*
 * hv.efi entry point: gather what the hypervisor core needs from UEFI into a
 * struct boot_info, run hv_main(), release everything and end the run the
 * way `exit=` asks (boot/exit.h).
 *
 * Boot settings (load options win over the configuration file):
 *   config=<path>		configuration file on the boot volume
 *				(default \aperture\aperture.cfg)
 *   exit=return|qemu|bochs	how the run ends (boot/exit.h)
 *   console=both|serial|efi	where output goes (boot/console.h); default
 *				serial with exit=qemu|bochs, else both
 *   pool=<MiB>			hypervisor memory below 4 GiB (default 192)
 *
 * The configuration is read before anything is printed so that its exit=
 * and console= already apply to the banner; problems found on the way are
 * reported right after it.
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
#define VALUE_MAX	32

static char options[OPTIONS_MAX];
static char config_path[FS_MAX_PATH];

/* What was learnt before the console mode was known, printed afterwards. */
struct early {
	int options_err;
	size_t options_bad;	/* index of the first non-ASCII character */
	u16 options_char;
	int fs_err;
	int config_err;
	char exit_bad[VALUE_MAX];	/* unknown exit= value, or "" */
	char console_bad[VALUE_MAX];	/* unknown console= value, or "" */
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

/* A NUL-terminated, possibly shortened, copy of a value for messages. */
static void value_excerpt(const char *val, char *buf, size_t cap)
{
	size_t n = MIN(boot_value_len(val), cap - 1);

	memcpy(buf, val, n);
	buf[n] = '\0';
}

static void read_options(EFI_LOADED_IMAGE *li, struct early *e)
{
	const u16 *src = li->LoadOptions;
	size_t n = src ? li->LoadOptionsSize / sizeof(u16) : 0;

	e->options_err = boot_options_to_ascii(src, n, options,
					       sizeof(options),
					       &e->options_bad);
	if (e->options_err) {
		if (e->options_err == -EINVAL)
			e->options_char = src[e->options_bad];
		options[0] = '\0';
	}
}

static char *read_config(struct early *e, u64 *size)
{
	const char *val = boot_option(options, "config");
	void *data;

	if (val)
		e->config_err = boot_value_copy(val, config_path,
						sizeof(config_path));
	else
		memcpy(config_path, DEFAULT_CONFIG, sizeof(DEFAULT_CONFIG));
	if (e->config_err || e->fs_err)
		return NULL;
	e->config_err = fs_read(config_path, &data, size);
	return e->config_err ? NULL : data;
}

static enum boot_exit choose_exit(const char *cfg, struct early *e)
{
	enum boot_exit how = BOOT_EXIT_RETURN;
	enum console_mode mode;
	const char *val;

	val = boot_setting(options, cfg, "exit");
	if (val && boot_exit_parse(val, &how))
		value_excerpt(val, e->exit_bad, sizeof(e->exit_bad));

	mode = how == BOOT_EXIT_RETURN ? CONSOLE_BOTH : CONSOLE_SERIAL;
	val = boot_setting(options, cfg, "console");
	if (val && console_parse_mode(val, &mode))
		value_excerpt(val, e->console_bad, sizeof(e->console_bad));
	console_set_mode(mode);
	return how;
}

/* Prints what went wrong before the banner; returns whether to go on. */
static bool report_early(const struct early *e, u64 cfg_size)
{
	if (e->options_err == -EINVAL)
		console_printf("boot: load options are not ASCII text "
			       "(character %zu is U+%04x)\n",
			       e->options_bad, e->options_char);
	else if (e->options_err)
		console_printf("boot: load options longer than %zu characters\n",
			       sizeof(options) - 1);
	else if (options[0])
		console_printf("boot: options: %s\n", options);

	if (e->fs_err)
		console_printf("boot: the volume hv.efi was loaded from has no "
			       "file system, so no configuration can be read\n");
	else if (e->config_err)
		console_printf("boot: cannot read configuration %s: %s%s\n",
			       config_path, err_str(e->config_err),
			       e->config_err == -ENOENT ?
			       " (config=<path> names another file)" : "");
	else
		console_printf("boot: config: %s (%lu bytes)\n", config_path,
			       cfg_size);

	if (e->exit_bad[0])
		console_printf("boot: unknown exit=%s (want return, qemu or "
			       "bochs)\n", e->exit_bad);
	if (e->console_bad[0])
		console_printf("boot: unknown console=%s (want both, serial or "
			       "efi)\n", e->console_bad);

	return !e->options_err && !e->fs_err && !e->config_err &&
	       !e->exit_bad[0] && !e->console_bad[0];
}

static int pool_size(const char *cfg, u32 *mib)
{
	const char *val = boot_setting(options, cfg, "pool");
	char shown[VALUE_MAX];

	*mib = POOL_DEFAULT_MIB;
	if (!val)
		return 0;
	if (boot_value_u32(val, mib) || *mib == 0 || *mib >= 4096) {
		value_excerpt(val, shown, sizeof(shown));
		console_printf("boot: bad pool=%s (want MiB, 1..4095)\n",
			       shown);
		return -EINVAL;
	}
	return 0;
}

/* Runs the core with a pool and returns its verdict. */
static enum hv_status run_core(EFI_BOOT_SERVICES *bs, const char *cfg)
{
	struct boot_info bi = {
		.config = cfg,
		.config_path = config_path,
		.options = options,
		.console_write = console_write,
		.read_file = fs_read_guest,
		.free_file = fs_free,
	};
	enum hv_status status;
	u32 mib;

	if (memory_log_map(bs))
		console_printf("boot: memory: cannot read the memory map\n");
	if (pool_size(cfg, &mib))
		return HV_STATUS_ERROR;
	if (memory_alloc_pool(bs, mib, &bi.pool_base, &bi.pool_pages)) {
		console_printf("boot: pool: cannot allocate even %u MiB below "
			       "4 GiB; try a smaller pool=<MiB>\n",
			       POOL_MIN_MIB);
		return HV_STATUS_ERROR;
	}
	console_printf("boot: pool: %lu MiB at 0x%lx\n",
		       bi.pool_pages * EFI_PAGE_SIZE >> 20, bi.pool_base);
	bi.tsc_khz = tsc_measure_khz(bs);

	status = hv_main(&bi);

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
	u64 cfg_size = 0;
	char *cfg = NULL;
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
	cfg = read_config(&e, &cfg_size);
	how = choose_exit(cfg, &e);

	console_printf("Aperture hypervisor v" APERTURE_VERSION "\n");
	if (report_early(&e, cfg_size))
		status = run_core(bs, cfg);

	fs_free(cfg, cfg_size);
	fs_fini();
	return boot_exit(how, status);
}
