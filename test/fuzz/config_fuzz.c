// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the configuration parser.  The input up to the
 * first NUL byte is the file; what follows, the load options.  Whatever is
 * parsed, accepted or not, must respect the limits struct hv_config
 * documents (boot/ takes exit=, console= and pool= even from a file with
 * errors), every message must be a terminated string, and boot/'s look-up
 * of config= must find the path config_apply_options() records.
 *
 *	clang -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined -I. \
 *	    -Iinclude test/fuzz/config_fuzz.c hv/config/config.c \
 *	    hv/config/config_lex.c lib/printf.c
 *	./a.out -runs=1000000
 */
#include <stdlib.h>
#include <string.h>
#include <hv/config/config.h>
#include <hv/memslot/pc_layout.h>
#include <lib/errno.h>

#define ASSERT(c)	do { if (!(c)) __builtin_trap(); } while (0)
#define TERMINATED(a)	ASSERT(memchr((a), '\0', sizeof(a)))

static struct hv_config cfg;

static void check_guest(const struct cfg_guest *g)
{
	TERMINATED(g->name);
	TERMINATED(g->file);
	TERMINATED(g->cmdline);
	TERMINATED(g->error);
	TERMINATED(g->expect.reason);
	ASSERT(g->name[0] != '\0');
	ASSERT(g->nr_slots <= CFG_MAX_SLOTS);
	ASSERT(g->nr_aliases <= CFG_MAX_ALIASES);
	ASSERT(g->nr_modules <= CFG_MAX_MODULES);
	for (u32 i = 0; i < g->nr_modules; i++)
		TERMINATED(g->modules[i]);
	if (!g->valid) {
		ASSERT(!strncmp(g->error, "line ", 5));
		return;
	}
	ASSERT(g->file[0] != '\0');
	ASSERT(g->mem >= CFG_MEM_MIN && g->mem <= CFG_MEM_MAX);
	ASSERT(IS_ALIGNED(g->mem, PAGE_SIZE));
	for (u32 i = 0; i < g->nr_slots; i++) {
		const struct cfg_slot *s = &g->slots[i];

		ASSERT(s->size && IS_ALIGNED(s->gpa | s->size, PAGE_SIZE));
		ASSERT(s->gpa + s->size > s->gpa);
		ASSERT(s->gpa + s->size <= PC_LOW_RAM_END ||
		       (s->gpa >= PC_LOW_RAM_END &&
			s->gpa + s->size <= PC_HIGH_RAM_START) ||
		       s->gpa >= g->mem);
	}
	for (u32 i = 0; i < g->nr_aliases; i++) {
		const struct cfg_alias *a = &g->aliases[i];

		ASSERT(a->slot < CFG_MAX_ALIASES && a->size);
		for (u32 j = 0; j < i; j++)
			ASSERT(g->aliases[j].slot != a->slot);
	}
}

static void check_config(void)
{
	ASSERT(cfg.nr_guests <= CFG_MAX_GUESTS);
	ASSERT(cfg.nr_run <= CFG_MAX_GUESTS);
	for (u32 i = 0; i < cfg.nr_run; i++)
		ASSERT(cfg.run[i] < cfg.nr_guests);
	for (u32 i = 0; i < cfg.nr_guests; i++) {
		check_guest(&cfg.guests[i]);
		if (!cfg.guests[i].mmu_set)
			ASSERT(cfg.guests[i].mmu == cfg.invalidate);
	}
	TERMINATED(cfg.config_path);
	ASSERT(cfg.exit <= CFG_EXIT_BOCHS);
	ASSERT(cfg.console <= CFG_CONSOLE_EFI);
	ASSERT(cfg.console_set || cfg.console ==
	       (cfg.exit == CFG_EXIT_RETURN ? CFG_CONSOLE_BOTH :
					      CFG_CONSOLE_SERIAL));
	ASSERT(cfg.pool_mib >= 1 && cfg.pool_mib <= CFG_POOL_MAX_MIB);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config_error err;
	char *text = malloc(size + 2);
	char path[CFG_PATH_LEN];
	const char *options;
	int ret, found;

	/* Two terminators: the options are "" when the input has no NUL. */
	memcpy(text, data, size);
	text[size] = text[size + 1] = '\0';
	options = text + strlen(text) + 1;

	memset(&err, 'X', sizeof(err));
	ret = config_parse(text, &cfg, &err);
	TERMINATED(err.msg);
	if (ret) {
		ASSERT(ret == -EINVAL && err.line > 0);
		ASSERT(!strncmp(err.msg, "line ", 5));
	} else {
		ASSERT(err.msg[0] == '\0' && err.line == 0);
	}
	check_config();

	found = config_options_path(options, path, sizeof(path));
	ASSERT(found == 0 || found == 1 || found == -EINVAL || found == -E2BIG);
	ret = config_apply_options(&cfg, options, &err);
	TERMINATED(err.msg);
	ASSERT(ret == 0 || ret == -EINVAL);
	ASSERT(!ret || err.msg[0] != '\0');
	check_config();
	/* One lexer: a path boot/ finds is the path the options record. */
	if (found == 1)
		ASSERT(!strcmp(path, cfg.config_path));
	if (!ret && !found)
		ASSERT(cfg.config_path[0] == '\0');
	free(text);
	return 0;
}
