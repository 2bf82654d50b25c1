/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor configuration: the text file on the ESP (normally
 * \aperture\aperture.cfg) and the UEFI load options that override it.
 * docs/config.md is the user-facing description of the syntax.
 *
 * This is the one parser of both.  boot/ runs it (it may, through
 * hv/boot_info.h) before anything is printed, takes console=, exit= and
 * pool= from the result, and hands the whole struct hv_config to the core
 * in struct boot_info.
 *
 * Everything lives in fixed-size arrays inside struct hv_config, so parsing
 * needs no allocator; strings are copied in, NUL-terminated.  The struct is
 * large (CFG_MAX_GUESTS guests): boot/ allocates it rather than making it a
 * static that would ship as zeros inside hv.efi.
 */
#ifndef HV_CONFIG_CONFIG_H
#define HV_CONFIG_CONFIG_H

#include <lib/types.h>
#include <aperture/hypercall.h>

#define CFG_MAX_GUESTS		64
#define CFG_MAX_SLOTS		8
#define CFG_MAX_ALIASES		APERTURE_ALIAS_SLOTS
#define CFG_MAX_MODULES		4
#define CFG_NAME_LEN		32	/* buffer sizes, NUL included */
#define CFG_PATH_LEN		256	/* boot/'s FS_MAX_PATH */
#define CFG_CMDLINE_LEN		256
#define CFG_WORD_LEN		32
#define CFG_ERROR_LEN		128

#define CFG_TIMEOUT_DEFAULT	300	/* seconds a guest may run; 0 = no limit */
#define CFG_TIMEOUT_MAX		86400

#define CFG_MEM_DEFAULT		(64ull << 20)
#define CFG_MEM_MIN		(2ull << 20)
#define CFG_MEM_MAX		(1ull << 30)

#define CFG_POOL_DEFAULT_MIB	192	/* hypervisor memory below 4 GiB */
#define CFG_POOL_MAX_MIB	4095

enum cfg_log {
	CFG_LOG_ERROR,
	CFG_LOG_WARN,
	CFG_LOG_INFO,
	CFG_LOG_DEBUG,
};

/* How the shadow MMU reacts to an alias change. */
enum cfg_invalidate {
	CFG_INVALIDATE_ALL,		/* drop every shadow page */
	CFG_INVALIDATE_TARGETED,	/* only shadows of the frames moved */
};

/* Where output goes (boot/console.h explains the choice). */
enum cfg_console {
	CFG_CONSOLE_BOTH,	/* UEFI ConOut and COM1 */
	CFG_CONSOLE_SERIAL,	/* COM1 only */
	CFG_CONSOLE_EFI,	/* ConOut only */
};

/* What boot/ does once every guest has run. */
enum cfg_exit {
	CFG_EXIT_RETURN,	/* return to the firmware */
	CFG_EXIT_QEMU,		/* QEMU isa-debug-exit */
	CFG_EXIT_BOCHS,		/* Bochs shutdown port */
};

enum cfg_outcome {
	CFG_EXPECT_EXIT,		/* exited with status (hypercall or
					 * isa-debug-exit) */
	CFG_EXPECT_TRIPLE_FAULT,
	CFG_EXPECT_REJECTED,		/* the loader refused the image */
	CFG_EXPECT_KILLED,		/* stopped by the hypervisor */
};

struct cfg_expect {
	enum cfg_outcome outcome;
	u64 status;			/* CFG_EXPECT_EXIT */
	char reason[CFG_WORD_LEN];	/* CFG_EXPECT_KILLED; "" = any */
};

struct cfg_slot {
	u64 gpa;
	u64 size;
	u32 flags;			/* APERTURE_MEM_READONLY, _LOG_DIRTY_PAGES */
};

struct cfg_alias {
	u32 slot;			/* alias slot, < APERTURE_ALIAS_SLOTS */
	u64 gpa;
	u64 size;
	u64 target;
};

struct cfg_guest {
	char name[CFG_NAME_LEN];
	char file[CFG_PATH_LEN];
	char cmdline[CFG_CMDLINE_LEN];
	u64 mem;			/* RAM: [0, PC_LOW_RAM_END) +
					 * [PC_HIGH_RAM_START, mem) */
	enum cfg_invalidate mmu;	/* final: mmu= or the global default */
	bool mmu_set;			/* mmu= given on the guest line */
	u32 timeout;			/* final: seconds, 0 = no limit */
	bool timeout_set;		/* timeout= given on the guest line */
	u32 nr_slots;
	struct cfg_slot slots[CFG_MAX_SLOTS];
	u32 nr_aliases;
	struct cfg_alias aliases[CFG_MAX_ALIASES];
	u32 nr_modules;
	char modules[CFG_MAX_MODULES][CFG_PATH_LEN];
	struct cfg_expect expect;
	u32 line;			/* where it was defined */
	/*
	 * A guest line with a bad key or value still defines the guest, so
	 * that the run reports it as failed and goes on with the others.
	 */
	bool valid;
	char error[CFG_ERROR_LEN];	/* "line N: ..." when !valid */
};

struct hv_config {
	enum cfg_log log;
	enum cfg_invalidate invalidate;	/* default for guests without mmu= */
	u32 timeout;			/* default for guests without timeout= */
	enum cfg_exit exit;
	/* final: console= or, without it, serial unless exit=return */
	enum cfg_console console;
	bool console_set;		/* console= given */
	u32 pool_mib;			/* pool=, 1..CFG_POOL_MAX_MIB */
	u32 nr_guests;
	struct cfg_guest guests[CFG_MAX_GUESTS];
	/* Guests to run, as indices into guests[], in order. */
	u32 nr_run;
	u8 run[CFG_MAX_GUESTS];
	char config_path[CFG_PATH_LEN];	/* config= option, "" if none */
};

struct config_error {
	u32 line;			/* 0: not tied to a config line */
	char msg[CFG_ERROR_LEN];
};

/*
 * Parses the NUL-terminated configuration text into *cfg, starting from the
 * defaults (log=info, mmu.invalidate=targeted, exit=return, pool=192, no
 * guests).  Guests run in file order unless config_apply_options() says
 * otherwise.
 *
 * Returns 0 if the file as a whole is usable; individual guests may still
 * be !valid, with their own message.  Returns -EINVAL, with err->line and
 * err->msg ("line 12: unknown key 'foo'"), for a fault that makes the file
 * unusable: a bad global line, an unknown directive, a guest line without a
 * usable name, a duplicate guest name, or more than CFG_MAX_GUESTS guests.
 * The parse still reads every line, so cfg then holds every valid setting
 * (the run that reports the error ends the way exit= says) but must not
 * run guests; err describes the first fault.
 */
int config_parse(const char *text, struct hv_config *cfg,
		 struct config_error *err);

/*
 * Applies the UEFI load options on top of a parsed configuration.  boot/
 * has converted them to ASCII and dropped the image path the UEFI shell
 * puts first (boot_options_to_ascii()), leaving blank-separated key=value
 * words, with comments as in the file.  Accepts the global keys plus
 * guests=<name>[,<name>...] (run exactly these, in this order; a name may
 * repeat) and config=<path> (the file boot/ read, recorded in
 * cfg->config_path).
 *
 * Returns 0, or -EINVAL with err->msg naming the first bad option (err->line
 * is 0; the message has no prefix, so the caller says "load options: ").
 * As with config_parse(), the other options still apply.
 */
int config_apply_options(struct hv_config *cfg, const char *options,
			 struct config_error *err);

/*
 * The file to parse: the last config=<path> among the load options, found
 * by the same lexer as config_apply_options() so that both read the same
 * path.  boot/ needs it before there is any text to parse.
 *
 * Returns 1 with the path in @path, 0 if there is no config= option,
 * -EINVAL if the path is empty or -E2BIG if it does not fit in @cap bytes.
 */
int config_options_path(const char *options, char *path, size_t cap);

#endif /* HV_CONFIG_CONFIG_H */
