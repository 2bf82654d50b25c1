// SPDX-License-Identifier: MIT
/*
 * Host tests for hv/config/ (config.c and config_lex.c): the file syntax,
 * every guest key, the split between fatal (whole file) and per-guest
 * errors, the load options, and the one comment rule they all share.
 */
#define UNIT_SUITE "config"
#include "unit.h"

#include <string.h>
#include <hv/config/config.h>
#include <lib/errno.h>

static struct hv_config cfg;
static struct config_error err;

static int parse(const char *text)
{
	memset(&err, 'X', sizeof(err));
	return config_parse(text, &cfg, &err);
}

static bool has(const char *msg, const char *s)
{
	if (!strstr(msg, s)) {
		fprintf(stderr, "  message '%s' lacks '%s'\n", msg, s);
		return false;
	}
	return true;
}

/* Parses a one-guest file and returns that guest. */
static const struct cfg_guest *guest(const char *line)
{
	static const struct cfg_guest none;

	if (parse(line) || cfg.nr_guests != 1) {
		fprintf(stderr, "  '%s' did not give one guest: %s\n", line,
			err.msg);
		return &none;
	}
	return &cfg.guests[0];
}

/* Asserts that line gives one invalid guest whose error contains want. */
static bool guest_error(const char *line, const char *want)
{
	const struct cfg_guest *g = guest(line);

	if (g->valid) {
		fprintf(stderr, "  '%s' accepted\n", line);
		return false;
	}
	return has(g->error, want);
}

static void test_defaults(void)
{
	CHECK_EQ(parse(""), 0);
	CHECK_EQ(cfg.log, CFG_LOG_INFO);
	CHECK_EQ(cfg.invalidate, CFG_INVALIDATE_TARGETED);
	CHECK_EQ(cfg.exit, CFG_EXIT_RETURN);
	CHECK_EQ(cfg.nr_guests, 0);
	CHECK_EQ(err.line, 0);
	CHECK_EQ(err.msg[0], '\0');
}

static void test_full_example(void)
{
	static const char text[] =
		"# Aperture test configuration\n"
		"log=debug                # error|warn|info|debug\n"
		"mmu.invalidate=all\n"
		"\n"
		"exit=qemu\r\n"
		"guest hello hello.elf\n"
		"  guest\talias  alias.elf mem=128M slot=0x10000000,64K,ro "
		"alias=1,0xC0000000,0x2000,0x200000 mmu=targeted "
		"module=initrd.img expect=exit:0x2a -- console=ttyS0  quiet "
		"# trailing comment\n"
		"guest bad bad.elf expect=rejected";
	const struct cfg_guest *g;

	CHECK_EQ(parse(text), 0);
	CHECK_EQ(cfg.log, CFG_LOG_DEBUG);
	CHECK_EQ(cfg.invalidate, CFG_INVALIDATE_ALL);
	CHECK_EQ(cfg.exit, CFG_EXIT_QEMU);
	CHECK_EQ(cfg.nr_guests, 3);
	CHECK_EQ(cfg.nr_run, 3);
	CHECK_EQ(cfg.run[0], 0);
	CHECK_EQ(cfg.run[2], 2);

	g = &cfg.guests[0];
	CHECK(g->valid);
	CHECK(!strcmp(g->name, "hello"));
	CHECK(!strcmp(g->file, "hello.elf"));
	CHECK(!strcmp(g->cmdline, ""));
	CHECK_EQ(g->mem, 64 << 20);
	CHECK_EQ(g->mmu, CFG_INVALIDATE_ALL);	/* the global default */
	CHECK_EQ(g->expect.outcome, CFG_EXPECT_EXIT);
	CHECK_EQ(g->expect.status, 0);
	CHECK_EQ(g->line, 6);

	g = &cfg.guests[1];
	CHECK(g->valid);
	CHECK(!strcmp(g->name, "alias"));
	CHECK_EQ(g->mem, 128 << 20);
	CHECK_EQ(g->nr_slots, 1);
	CHECK_EQ(g->slots[0].gpa, 0x10000000);
	CHECK_EQ(g->slots[0].size, 0x10000);
	CHECK_EQ(g->slots[0].flags, APERTURE_MEM_READONLY);
	CHECK_EQ(g->nr_aliases, 1);
	CHECK_EQ(g->aliases[0].slot, 1);
	CHECK_EQ(g->aliases[0].gpa, 0xC0000000);
	CHECK_EQ(g->aliases[0].size, 0x2000);
	CHECK_EQ(g->aliases[0].target, 0x200000);
	CHECK_EQ(g->mmu, CFG_INVALIDATE_TARGETED);
	CHECK_EQ(g->nr_modules, 1);
	CHECK(!strcmp(g->modules[0], "initrd.img"));
	CHECK_EQ(g->expect.status, 42);
	CHECK(!strcmp(g->cmdline, "console=ttyS0  quiet"));
	CHECK_EQ(g->line, 7);

	g = &cfg.guests[2];
	CHECK(g->valid);
	CHECK_EQ(g->expect.outcome, CFG_EXPECT_REJECTED);
}

static void test_global_errors(void)
{
	CHECK_EQ(parse("log=info\n\n# c\nfoo=1\n"), -EINVAL);
	CHECK_EQ(err.line, 4);
	CHECK(!strcmp(err.msg, "line 4: unknown key 'foo'"));

	CHECK_EQ(parse("log=loud"), -EINVAL);
	CHECK(has(err.msg, "line 1: unknown value 'loud' for log "
		  "(expected error|warn|info|debug)"));
	CHECK_EQ(parse("mmu.invalidate=some"), -EINVAL);
	CHECK(has(err.msg, "all|targeted"));
	CHECK_EQ(parse("exit=reboot"), -EINVAL);
	CHECK(has(err.msg, "return|qemu|bochs"));
	CHECK_EQ(parse("log=info warn"), -EINVAL);
	CHECK(has(err.msg, "unexpected 'warn' after 'log=info'"));
	CHECK_EQ(parse("log = info"), -EINVAL);
	CHECK(has(err.msg, "unknown directive 'log'"));
	CHECK_EQ(parse("mem=4M"), -EINVAL);	/* a guest key, not global */
	CHECK(has(err.msg, "unknown key 'mem'"));
}

static void test_guest_name_errors(void)
{
	CHECK_EQ(parse("guest"), -EINVAL);
	CHECK(has(err.msg, "line 1: guest needs a name and a file"));
	CHECK_EQ(parse("guest a,b x.elf"), -EINVAL);
	CHECK(has(err.msg, "guest name 'a,b' may only contain"));
	CHECK_EQ(parse("guest 0123456789012345678901234567890123 x.elf"),
		 -EINVAL);
	CHECK(has(err.msg, "longer than 31"));
	CHECK_EQ(parse("guest a x.elf\nguest b y.elf\nguest a z.elf"),
		 -EINVAL);
	CHECK_EQ(err.line, 3);
	CHECK(has(err.msg, "line 3: duplicate guest 'a' (first on line 1)"));
}

static void test_too_many_guests(void)
{
	static char text[CFG_MAX_GUESTS * 32 + 64];
	size_t n = 0;

	for (int i = 0; i < CFG_MAX_GUESTS; i++)
		n += sprintf(text + n, "guest g%d g.elf\n", i);
	CHECK_EQ(parse(text), 0);
	CHECK_EQ(cfg.nr_guests, CFG_MAX_GUESTS);
	CHECK_EQ(cfg.run[CFG_MAX_GUESTS - 1], CFG_MAX_GUESTS - 1);
	sprintf(text + n, "guest one-more g.elf\n");
	CHECK_EQ(parse(text), -EINVAL);
	CHECK_EQ(err.line, CFG_MAX_GUESTS + 1);
	CHECK(has(err.msg, "more than 64 guests"));
}

static void test_bad_guest_is_isolated(void)
{
	const struct cfg_guest *g;

	CHECK_EQ(parse("guest ok1 a.elf\n"
		       "guest broken b.elf foo=1\n"
		       "guest ok2 c.elf mem=4M\n"), 0);
	CHECK_EQ(cfg.nr_guests, 3);
	CHECK(cfg.guests[0].valid);
	CHECK(cfg.guests[2].valid);
	CHECK_EQ(cfg.guests[2].mem, 4 << 20);
	g = &cfg.guests[1];
	CHECK(!g->valid);
	CHECK(!strcmp(g->name, "broken"));
	CHECK(!strcmp(g->error, "line 2: unknown key 'foo'"));
	CHECK_EQ(err.msg[0], '\0');
}

static void test_guest_file_errors(void)
{
	CHECK(guest_error("guest a", "guest 'a' needs a file"));
	CHECK(guest_error("guest a mem=4M", "needs a file before 'mem=4M'"));
	CHECK(guest_error("guest a -- x", "needs a file before '--'"));
	CHECK(guest_error("guest a x.elf stray", "expected key=value or --, "
			  "got 'stray'"));
}

static void test_sizes(void)
{
	CHECK_EQ(guest("guest a a mem=2M")->mem, 2 << 20);
	CHECK_EQ(guest("guest a a mem=1G")->mem, 1 << 30);
	CHECK_EQ(guest("guest a a mem=0x400000")->mem, 0x400000);
	CHECK_EQ(guest("guest a a mem=8192k")->mem, 8 << 20);
	CHECK_EQ(guest("guest a a mem=0x3m")->mem, 3 << 20);
	CHECK_EQ(guest("guest a a mem=3145728")->mem, 3 << 20);
	CHECK(guest_error("guest a a mem=1M", "outside [2M, 1G]"));
	CHECK(guest_error("guest a a mem=0x40001000", "outside [2M, 1G]"));
	CHECK(guest_error("guest a a mem=3000000", "not a multiple of 4K"));
	CHECK(guest_error("guest a a mem=", "invalid number ''"));
	CHECK(guest_error("guest a a mem=M", "invalid number 'M'"));
	CHECK(guest_error("guest a a mem=0x", "invalid number '0x'"));
	CHECK(guest_error("guest a a mem=12T", "invalid number '12T'"));
	CHECK(guest_error("guest a a mem=-4M", "invalid number"));
	CHECK(guest_error("guest a a mem=0x1g0", "invalid number"));
}

static void test_number_overflow(void)
{
	const struct cfg_guest *g;

	g = guest("guest a a expect=exit:18446744073709551615");
	CHECK(g->valid);
	CHECK_EQ(g->expect.status, UINT64_MAX);
	CHECK(guest_error("guest a a expect=exit:18446744073709551616",
			  "does not fit in 64 bits"));
	CHECK(guest_error("guest a a mem=0x10000000000000000",
			  "does not fit in 64 bits"));
	/* Fits as a number, overflows once scaled by the suffix. */
	CHECK(guest_error("guest a a mem=17179869184G",
			  "does not fit in 64 bits"));
	CHECK(guest_error("guest a a slot=0xfffffffffffff000,8K",
			  "wraps around"));
}

static void test_slots(void)
{
	const struct cfg_guest *g;

	g = guest("guest a a mem=16M slot=0x1000000,1M,dirty "
		  "slot=0xA0000,0x20000,ro,dirty slot=0x80000000,4K");
	CHECK(g->valid);
	CHECK_EQ(g->nr_slots, 3);
	CHECK_EQ(g->slots[0].flags, APERTURE_MEM_LOG_DIRTY_PAGES);
	CHECK_EQ(g->slots[1].gpa, 0xA0000);	/* the hole is free */
	CHECK_EQ(g->slots[1].flags,
		 APERTURE_MEM_READONLY | APERTURE_MEM_LOG_DIRTY_PAGES);
	CHECK_EQ(g->slots[2].size, 0x1000);

	CHECK(guest_error("guest a a slot=0x1000000", "expected <gpa>,<size>"));
	CHECK(guest_error("guest a a slot=0x1000000,0", "size is 0"));
	CHECK(guest_error("guest a a slot=0x1000800,4K", "not a multiple"));
	CHECK(guest_error("guest a a slot=0x8000000,4K,rw",
			  "unknown flag 'rw'"));
	/* Overlap with RAM is only known once mem= has been seen. */
	CHECK(guest_error("guest a a slot=0x1000000,4K mem=32M",
			  "overlaps guest RAM"));
	CHECK(guest_error("guest a a slot=0x9F000,8K", "overlaps guest RAM"));
	CHECK(guest_error("guest a a slot=0x8000000,8K slot=0x8001000,4K",
			  "slots 0x8000000 and 0x8001000 overlap"));
	CHECK(guest_error("guest a a slot=0x8000000,4K slot=0x8001000,4K "
			  "slot=0x8002000,4K slot=0x8003000,4K "
			  "slot=0x8004000,4K slot=0x8005000,4K "
			  "slot=0x8006000,4K slot=0x8007000,4K "
			  "slot=0x8008000,4K", "more than 8 slot= keys"));
}

static void test_aliases(void)
{
	const struct cfg_guest *g;

	g = guest("guest a a alias=0,0x8000000,8K,0x200000 "
		  "alias=3,0x9000000,4K,0x300000");
	CHECK(g->valid);
	CHECK_EQ(g->nr_aliases, 2);
	CHECK_EQ(g->aliases[1].slot, 3);
	CHECK_EQ(g->aliases[1].target, 0x300000);

	CHECK(guest_error("guest a a alias=4,0x8000000,4K,0x200000",
			  "slot 4 out of range (0-3)"));
	CHECK(guest_error("guest a a alias=1,0x8000000,4K,0x200000 "
			  "alias=1,0x9000000,4K,0x200000",
			  "slot 1 given twice"));
	CHECK(guest_error("guest a a alias=1,0x8000000,4K",
			  "expected <slot>,<gpa>,<size>,<target>"));
	CHECK(guest_error("guest a a alias=1,0x8000000,4K,0x200000,5",
			  "too many fields"));
	CHECK(guest_error("guest a a alias=1,0x8000000,0,0x200000",
			  "size is 0"));
	CHECK(guest_error("guest a a alias=1,0x8000800,4K,0x200000",
			  "alias gpa: 0x8000800 is not a multiple of 4K"));
	CHECK(guest_error("guest a a alias=1,0x8000000,4K,0x200100",
			  "alias target"));
	CHECK(guest_error("guest a a alias=1,0x8000000,8K,"
			  "0xfffffffffffff000", "wraps around"));
	CHECK(guest_error("guest a a alias=x,0x8000000,4K,0x200000",
			  "alias slot: invalid number 'x'"));
}

static void test_modules(void)
{
	const struct cfg_guest *g;
	char line[700];

	g = guest("guest a a module=m1 module=m2 module=m3 module=m4");
	CHECK(g->valid);
	CHECK_EQ(g->nr_modules, 4);
	CHECK(!strcmp(g->modules[3], "m4"));
	CHECK(guest_error("guest a a module=1 module=2 module=3 module=4 "
			  "module=5", "more than 4 module= keys"));
	CHECK(guest_error("guest a a module=", "empty file name"));

	memset(line, 0, sizeof(line));
	strcpy(line, "guest a a module=");
	memset(line + strlen(line), 'm', CFG_PATH_LEN);
	CHECK(guest_error(line, "module: file name longer than 255"));
	line[strlen(line) - 1] = '\0';
	CHECK(guest(line)->valid);
}

static void test_expect(void)
{
	const struct cfg_guest *g;

	CHECK_EQ(guest("guest a a expect=triple-fault")->expect.outcome,
		 CFG_EXPECT_TRIPLE_FAULT);
	g = guest("guest a a expect=killed");
	CHECK_EQ(g->expect.outcome, CFG_EXPECT_KILLED);
	CHECK(!strcmp(g->expect.reason, ""));
	g = guest("guest a a expect=killed:paging");
	CHECK_EQ(g->expect.outcome, CFG_EXPECT_KILLED);
	CHECK(!strcmp(g->expect.reason, "paging"));
	g = guest("guest a a expect=exit:7");
	CHECK_EQ(g->expect.outcome, CFG_EXPECT_EXIT);
	CHECK_EQ(g->expect.status, 7);
	/* The last expect= wins and leaves nothing of the first. */
	g = guest("guest a a expect=killed:paging expect=exit:3");
	CHECK_EQ(g->expect.outcome, CFG_EXPECT_EXIT);
	CHECK_EQ(g->expect.reason[0], '\0');

	CHECK(guest_error("guest a a expect=exit", "unknown expect 'exit'"));
	CHECK(guest_error("guest a a expect=exit:", "invalid number ''"));
	CHECK(guest_error("guest a a expect=exit:4K", "invalid number '4K'"));
	CHECK(guest_error("guest a a expect=killed:", "bad reason"));
	CHECK(guest_error("guest a a expect=killed:Pag!", "bad reason"));
	CHECK(guest_error("guest a a expect=crash", "unknown expect 'crash'"));
	CHECK(guest_error("guest a a expect=killed:"
			  "abcdefghijabcdefghijabcdefghijab", "bad reason"));
}

static void test_mmu_key(void)
{
	CHECK_EQ(parse("guest a a mmu=all\nguest b b\nmmu.invalidate=all\n"),
		 0);
	CHECK_EQ(cfg.guests[0].mmu, CFG_INVALIDATE_ALL);
	/* The global default applies even when set after the guest. */
	CHECK_EQ(cfg.guests[1].mmu, CFG_INVALIDATE_ALL);
	CHECK(guest_error("guest a a mmu=some", "unknown value 'some' for mmu"));
}

static int apply(const char *options)
{
	memset(&err, 'X', sizeof(err));
	return config_apply_options(&cfg, options, &err);
}

static void test_timeout_key(void)
{
	CHECK_EQ(parse("guest a a timeout=5\nguest b b\n"), 0);
	CHECK_EQ(cfg.guests[0].timeout, 5);
	CHECK_EQ(cfg.guests[1].timeout, CFG_TIMEOUT_DEFAULT);
	/* The global default applies to guests without their own, wherever set. */
	CHECK_EQ(parse("guest a a\ntimeout=0\nguest b b timeout=7\n"), 0);
	CHECK_EQ(cfg.guests[0].timeout, 0);
	CHECK_EQ(cfg.guests[1].timeout, 7);
	CHECK_EQ(apply("timeout=9"), 0);
	CHECK_EQ(cfg.guests[0].timeout, 9);
	CHECK_EQ(cfg.guests[1].timeout, 7);
	CHECK(guest_error("guest a a timeout=x", "timeout: invalid number"));
	CHECK(guest_error("guest a a timeout=86401", "more than a day"));
	CHECK(parse("timeout=-1\n") != 0);
}

static void test_cmdline(void)
{
	char line[400];

	CHECK(!strcmp(guest("guest a a --")->cmdline, ""));
	CHECK(!strcmp(guest("guest a a -- a=1 -- mem=5 #c")->cmdline,
		      "a=1 -- mem=5"));
	CHECK(!strcmp(guest("guest a a -- x#y\r")->cmdline, "x#y"));
	CHECK(!strcmp(guest("guest a a --\tfoo\tbar  ")->cmdline, "foo\tbar"));

	strcpy(line, "guest a a -- ");
	memset(line + strlen(line), 'c', CFG_CMDLINE_LEN);
	line[13 + CFG_CMDLINE_LEN] = '\0';
	CHECK(guest_error(line, "command line longer than 255"));
	line[13 + CFG_CMDLINE_LEN - 1] = '\0';
	CHECK_EQ(strlen(guest(line)->cmdline), CFG_CMDLINE_LEN - 1);
}

static void test_long_token_message(void)
{
	char line[300];

	/* The message shows a prefix of the key and stays terminated. */
	strcpy(line, "guest a a ");
	memset(line + 10, 'k', 200);
	strcpy(line + 210, "=1");
	CHECK(guest_error(line, "unknown key 'kkkkkkkk"));
	CHECK(strlen(cfg.guests[0].error) < CFG_ERROR_LEN);
}

static void test_options_override(void)
{
	CHECK_EQ(parse("log=warn\nexit=bochs\nguest a a\nguest b b mmu=all"),
		 0);
	CHECK_EQ(apply("  log=debug\tmmu.invalidate=all exit=qemu "), 0);
	CHECK_EQ(err.msg[0], '\0');
	CHECK_EQ(cfg.log, CFG_LOG_DEBUG);
	CHECK_EQ(cfg.exit, CFG_EXIT_QEMU);
	CHECK_EQ(cfg.guests[0].mmu, CFG_INVALIDATE_ALL);
	CHECK_EQ(apply("mmu.invalidate=targeted"), 0);
	CHECK_EQ(cfg.guests[0].mmu, CFG_INVALIDATE_TARGETED);
	CHECK_EQ(cfg.guests[1].mmu, CFG_INVALIDATE_ALL);	/* explicit */
	CHECK_EQ(apply(""), 0);
	CHECK_EQ(cfg.nr_run, 2);
}

static void test_options_guests(void)
{
	CHECK_EQ(parse("guest a a\nguest b b\nguest c c foo=1\n"), 0);
	CHECK_EQ(apply("guests=c,a"), 0);
	CHECK_EQ(cfg.nr_run, 2);
	CHECK_EQ(cfg.run[0], 2);
	CHECK_EQ(cfg.run[1], 0);
	CHECK_EQ(apply("guests=b,b"), 0);
	CHECK_EQ(cfg.nr_run, 2);
	CHECK_EQ(cfg.run[1], 1);

	CHECK_EQ(apply("guests=a,zz"), -EINVAL);
	CHECK(!strcmp(err.msg, "guests=: no guest named 'zz'"));
	CHECK_EQ(err.line, 0);
	CHECK_EQ(apply("guests=a,,b"), -EINVAL);
	CHECK(has(err.msg, "no guest named ''"));
	CHECK_EQ(apply("guests="), -EINVAL);
}

static void test_options_errors(void)
{
	CHECK_EQ(parse("guest a a"), 0);
	CHECK_EQ(apply("log=info foo=bar"), -EINVAL);
	CHECK(!strcmp(err.msg, "unknown key 'foo'"));
	CHECK_EQ(apply("log=verbose"), -EINVAL);
	CHECK(!strncmp(err.msg, "unknown value 'verbose' for log", 31));
	CHECK_EQ(apply("debug"), -EINVAL);
	CHECK(has(err.msg, "expected key=value, got 'debug'"));
	CHECK_EQ(apply("mem=4M"), -EINVAL);	/* guest keys stay in the file */
	CHECK_EQ(apply("hv.efi log=warn"), -EINVAL);	/* boot/ strips it */
}

static void test_options_config_path(void)
{
	CHECK_EQ(parse("guest a a"), 0);
	CHECK_EQ(cfg.config_path[0], '\0');
	CHECK_EQ(apply("config=\\aperture\\alt.cfg log=warn"), 0);
	CHECK(!strcmp(cfg.config_path, "\\aperture\\alt.cfg"));
	CHECK_EQ(apply("config="), -EINVAL);
	CHECK(has(err.msg, "config=: empty path"));
}

static void test_boot_keys(void)
{
	/* boot/ takes these from the parsed result. */
	CHECK_EQ(parse("console=serial\npool=256\nguest a a\n"), 0);
	CHECK_EQ(cfg.nr_guests, 1);
	CHECK_EQ(cfg.console, CFG_CONSOLE_SERIAL);
	CHECK_EQ(cfg.pool_mib, 256);
	CHECK_EQ(apply("console=efi pool=64 exit=qemu"), 0);
	CHECK_EQ(cfg.exit, CFG_EXIT_QEMU);
	CHECK_EQ(cfg.console, CFG_CONSOLE_EFI);
	CHECK_EQ(cfg.pool_mib, 64);
	CHECK_EQ(parse("pool="), -EINVAL);
	CHECK(has(err.msg, "line 1: pool: invalid number ''"));
	CHECK_EQ(parse("pool=0"), -EINVAL);
	CHECK(!strcmp(err.msg, "line 1: pool: 0 MiB outside 1..4095"));
	CHECK_EQ(parse("pool=4096"), -EINVAL);
	CHECK_EQ(parse("pool=4095"), 0);
	CHECK_EQ(parse("console=tty"), -EINVAL);
	CHECK(!strcmp(err.msg, "line 1: unknown value 'tty' for console "
		      "(expected both|serial|efi)"));
	/* Only as global settings, not as guest keys. */
	CHECK(guest_error("guest a a pool=64", "unknown key 'pool'"));
}

static void test_boot_defaults(void)
{
	CHECK_EQ(parse(""), 0);
	CHECK_EQ(cfg.pool_mib, CFG_POOL_DEFAULT_MIB);
	CHECK_EQ(cfg.console, CFG_CONSOLE_BOTH);
	CHECK(!cfg.console_set);
	/* Under an emulator the serial log is the result: serial only. */
	CHECK_EQ(parse("exit=bochs"), 0);
	CHECK_EQ(cfg.console, CFG_CONSOLE_SERIAL);
	/* The default follows an exit= given in the options, too ... */
	CHECK_EQ(parse(""), 0);
	CHECK_EQ(apply("exit=qemu"), 0);
	CHECK_EQ(cfg.console, CFG_CONSOLE_SERIAL);
	CHECK_EQ(apply("exit=return"), 0);
	CHECK_EQ(cfg.console, CFG_CONSOLE_BOTH);
	/* ... but an explicit console= stays, wherever it was given. */
	CHECK_EQ(parse("console=efi"), 0);
	CHECK_EQ(apply("exit=qemu"), 0);
	CHECK_EQ(cfg.console, CFG_CONSOLE_EFI);
}

/*
 * The comment rule is the same for the file, a command line and the load
 * options: '#' starts a comment only where a word starts.  Before, boot/
 * ended a value at any '#' and the core did not, so `exit=qemu#x` was
 * taken as qemu by one and refused by the other.
 */
static void test_hash_rule(void)
{
	CHECK_EQ(parse("exit=qemu#x\n"), -EINVAL);
	CHECK(!strcmp(err.msg, "line 1: unknown value 'qemu#x' for exit "
		      "(expected return|qemu|bochs)"));
	CHECK_EQ(parse("exit=qemu #x\n"), 0);
	CHECK_EQ(cfg.exit, CFG_EXIT_QEMU);
	CHECK_EQ(parse("exit=qemu\t#x\n"), 0);
	CHECK_EQ(parse("#exit=qemu\n"), 0);
	CHECK_EQ(cfg.exit, CFG_EXIT_RETURN);

	CHECK_EQ(parse(""), 0);
	CHECK_EQ(apply("exit=qemu#x"), -EINVAL);
	CHECK(!strcmp(err.msg, "unknown value 'qemu#x' for exit "
		      "(expected return|qemu|bochs)"));
	CHECK_EQ(apply("console=efi#x"), -EINVAL);
	CHECK_EQ(apply("pool=64#x"), -EINVAL);
	CHECK(has(err.msg, "pool: invalid number '64#x'"));

	/* In the options a comment word ends them, as it ends a line. */
	CHECK_EQ(parse(""), 0);
	CHECK_EQ(apply("exit=bochs # exit=qemu frobnicate"), 0);
	CHECK_EQ(cfg.exit, CFG_EXIT_BOCHS);
	CHECK_EQ(apply("#exit=qemu"), 0);
	CHECK_EQ(cfg.exit, CFG_EXIT_BOCHS);

	/* A path or file name may hold '#'. */
	CHECK_EQ(apply("config=\\a#b.cfg"), 0);
	CHECK(!strcmp(cfg.config_path, "\\a#b.cfg"));
	CHECK(!strcmp(guest("guest a a#1.elf module=m#2 # c")->file,
		      "a#1.elf"));
	CHECK(!strcmp(cfg.guests[0].modules[0], "m#2"));
}

static void test_errors_do_not_stop_the_parse(void)
{
	/* The first error is reported; later lines still apply. */
	CHECK_EQ(parse("log=loud\nfrobnicate=1\nexit=qemu\n"
		       "console=efi\nguest a a\n"), -EINVAL);
	CHECK_EQ(err.line, 1);
	CHECK(has(err.msg, "line 1: unknown value 'loud'"));
	CHECK_EQ(cfg.exit, CFG_EXIT_QEMU);
	CHECK_EQ(cfg.console, CFG_CONSOLE_EFI);
	CHECK_EQ(cfg.nr_guests, 1);

	/* test/emu/qemu-badconfig.cfg: the run still ends under QEMU. */
	CHECK_EQ(parse("# bad\nexit=qemu\nlog=info\nfrobnicate=1\n"
		       "guest hello hello.elf\n"), -EINVAL);
	CHECK(!strcmp(err.msg, "line 4: unknown key 'frobnicate'"));
	CHECK_EQ(cfg.exit, CFG_EXIT_QEMU);
	CHECK_EQ(cfg.console, CFG_CONSOLE_SERIAL);

	CHECK_EQ(parse("guest a a\n"), 0);
	CHECK_EQ(apply("foo=1 exit=bochs log=x pool=9"), -EINVAL);
	CHECK(!strcmp(err.msg, "unknown key 'foo'"));
	CHECK_EQ(cfg.exit, CFG_EXIT_BOCHS);
	CHECK_EQ(cfg.pool_mib, 9);
}

static void test_options_path(void)
{
	char path[16];

	CHECK_EQ(config_options_path("", path, sizeof(path)), 0);
	CHECK_EQ(config_options_path("log=info xconfig=a", path,
				     sizeof(path)), 0);
	CHECK_EQ(config_options_path("config=\\a.cfg log=x config=\\b.cfg",
				     path, sizeof(path)), 1);
	CHECK(!strcmp(path, "\\b.cfg"));		/* the last one wins */
	CHECK_EQ(config_options_path("config=a#b", path, sizeof(path)), 1);
	CHECK(!strcmp(path, "a#b"));
	CHECK_EQ(config_options_path("config=a #config=b", path,
				     sizeof(path)), 1);
	CHECK(!strcmp(path, "a"));
	CHECK_EQ(config_options_path("# config=a", path, sizeof(path)), 0);
	CHECK_EQ(config_options_path("config=", path, sizeof(path)), -EINVAL);
	CHECK_EQ(config_options_path("config=0123456789abcdef", path,
				     sizeof(path)), -E2BIG);
	CHECK_EQ(config_options_path("config=0123456789abcde", path,
				     sizeof(path)), 1);
}

int main(void)
{
	RUN(test_defaults);
	RUN(test_full_example);
	RUN(test_global_errors);
	RUN(test_guest_name_errors);
	RUN(test_too_many_guests);
	RUN(test_bad_guest_is_isolated);
	RUN(test_guest_file_errors);
	RUN(test_sizes);
	RUN(test_number_overflow);
	RUN(test_slots);
	RUN(test_aliases);
	RUN(test_modules);
	RUN(test_expect);
	RUN(test_mmu_key);
	RUN(test_timeout_key);
	RUN(test_cmdline);
	RUN(test_long_token_message);
	RUN(test_options_override);
	RUN(test_options_guests);
	RUN(test_options_errors);
	RUN(test_options_config_path);
	RUN(test_boot_keys);
	RUN(test_boot_defaults);
	RUN(test_hash_rule);
	RUN(test_errors_do_not_stop_the_parse);
	RUN(test_options_path);
	return unit_done();
}
