// SPDX-License-Identifier: MIT
/*
 * The configuration grammar: global keys, guest lines, load options and
 * their checks; syntax in docs/config.md.  config_lex.c cuts the text into
 * tokens, and only the values kept are copied into the fixed-size fields of
 * struct hv_config.
 */
#include <hv/config/config.h>
#include <hv/config/config_lex.h>
#include <hv/memslot/pc_layout.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <lib/string.h>

struct ctx {
	struct hv_config *cfg;
	u32 line;		/* 0 while applying load options */
	char *msg;		/* where the next error message goes */
	size_t msglen;
	/* Errors after the first, which only the first is reported over. */
	char scratch[CFG_ERROR_LEN];
};

static int fail(struct ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(struct ctx *c, const char *fmt, ...)
{
	va_list ap;
	size_t n = 0;

	/* The caller names the file or says "load options". */
	if (c->line)
		n = hv_snprintf(c->msg, c->msglen, "line %u: ", c->line);
	n = MIN(n, c->msglen - 1);
	va_start(ap, fmt);
	hv_vsnprintf(c->msg + n, c->msglen - n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int get_u64(struct ctx *c, const char *what, struct cfg_tok t,
		   bool sizes, u64 *out)
{
	int ret = cfg_parse_u64(t, sizes, out);

	if (ret == -ERANGE)
		return fail(c, "%s: number '%.*s' does not fit in 64 bits",
			    what, CFG_TOKF(t));
	if (ret)
		return fail(c, "%s: invalid number '%.*s'", what, CFG_TOKF(t));
	return 0;
}

/* A page-aligned number: guest memory is mapped in 4 KiB pages. */
static int get_pages(struct ctx *c, const char *what, struct cfg_tok t, u64 *out)
{
	int ret = get_u64(c, what, t, true, out);

	if (ret)
		return ret;
	if (!IS_ALIGNED(*out, PAGE_SIZE))
		return fail(c, "%s: 0x%llx is not a multiple of 4K", what,
			    (unsigned long long)*out);
	return 0;
}

static int get_choice(struct ctx *c, struct cfg_tok key, struct cfg_tok val,
		      const char *const *names, u32 nr, const char *expected,
		      u32 *out)
{
	for (u32 i = 0; i < nr; i++) {
		if (cfg_tok_is(val, names[i])) {
			*out = i;
			return 0;
		}
	}
	return fail(c, "unknown value '%.*s' for %.*s (expected %s)",
		    CFG_TOKF(val), CFG_TOKF(key), expected);
}

static const char *const log_names[] = {
	[CFG_LOG_ERROR] = "error", [CFG_LOG_WARN] = "warn",
	[CFG_LOG_INFO] = "info", [CFG_LOG_DEBUG] = "debug",
};
static const char *const invalidate_names[] = {
	[CFG_INVALIDATE_ALL] = "all", [CFG_INVALIDATE_TARGETED] = "targeted",
};
static const char *const exit_names[] = {
	[CFG_EXIT_RETURN] = "return", [CFG_EXIT_QEMU] = "qemu",
	[CFG_EXIT_BOCHS] = "bochs",
};
static const char *const console_names[] = {
	[CFG_CONSOLE_BOTH] = "both", [CFG_CONSOLE_SERIAL] = "serial",
	[CFG_CONSOLE_EFI] = "efi",
};

/* timeout=<seconds>: how long a guest may run before it is ended. */
static int get_timeout(struct ctx *c, struct cfg_tok val, u32 *out)
{
	u64 v;
	int ret = get_u64(c, "timeout", val, false, &v);

	if (ret)
		return ret;
	if (v > CFG_TIMEOUT_MAX)
		return fail(c, "timeout: %llu seconds is more than a day",
			    (unsigned long long)v);
	*out = v;
	return 0;
}

/* pool=<MiB>: boot/ allocates it below 4 GiB (docs/hardware.md). */
static int get_pool(struct ctx *c, struct cfg_tok val, u32 *out)
{
	u64 v;
	int ret = get_u64(c, "pool", val, false, &v);

	if (ret)
		return ret;
	if (v < 1 || v > CFG_POOL_MAX_MIB)
		return fail(c, "pool: %llu MiB outside 1..%u",
			    (unsigned long long)v, CFG_POOL_MAX_MIB);
	*out = v;
	return 0;
}

static int get_invalidate(struct ctx *c, struct cfg_tok key, struct cfg_tok val,
			  enum cfg_invalidate *out)
{
	u32 v = 0;
	int ret = get_choice(c, key, val, invalidate_names,
			     ARRAY_SIZE(invalidate_names), "all|targeted", &v);

	if (!ret)
		*out = v;
	return ret;
}

/* Keys valid both in the file and in the load options. */
static int set_global(struct ctx *c, struct cfg_tok key, struct cfg_tok val,
		      bool *known)
{
	struct hv_config *cfg = c->cfg;
	u32 v = 0;
	int ret;

	*known = true;
	if (cfg_tok_is(key, "log")) {
		ret = get_choice(c, key, val, log_names, ARRAY_SIZE(log_names),
				 "error|warn|info|debug", &v);
		if (!ret)
			cfg->log = v;
		return ret;
	}
	if (cfg_tok_is(key, "mmu.invalidate"))
		return get_invalidate(c, key, val, &cfg->invalidate);
	if (cfg_tok_is(key, "timeout"))
		return get_timeout(c, val, &cfg->timeout);
	if (cfg_tok_is(key, "exit")) {
		ret = get_choice(c, key, val, exit_names,
				 ARRAY_SIZE(exit_names), "return|qemu|bochs",
				 &v);
		if (!ret)
			cfg->exit = v;
		return ret;
	}
	if (cfg_tok_is(key, "console")) {
		ret = get_choice(c, key, val, console_names,
				 ARRAY_SIZE(console_names), "both|serial|efi",
				 &v);
		if (!ret) {
			cfg->console = v;
			cfg->console_set = true;
		}
		return ret;
	}
	if (cfg_tok_is(key, "pool"))
		return get_pool(c, val, &cfg->pool_mib);
	*known = false;
	return 0;
}

/* ---- guest lines ---- */

static int guest_mem(struct ctx *c, struct cfg_guest *g, struct cfg_tok val)
{
	int ret = get_pages(c, "mem", val, &g->mem);

	if (ret)
		return ret;
	if (g->mem < CFG_MEM_MIN || g->mem > CFG_MEM_MAX)
		return fail(c, "mem: 0x%llx outside [2M, 1G]",
			    (unsigned long long)g->mem);
	return 0;
}

/* slot=<gpa>,<size>[,ro][,dirty] */
static int guest_slot(struct ctx *c, struct cfg_guest *g, struct cfg_tok val)
{
	struct cfg_slot s = { 0 };
	struct cfg_tok f;
	bool more = true;
	int ret;

	if (g->nr_slots == CFG_MAX_SLOTS)
		return fail(c, "more than %u slot= keys", CFG_MAX_SLOTS);
	cfg_next_field(&val, &f, &more);
	ret = get_pages(c, "slot gpa", f, &s.gpa);
	if (ret)
		return ret;
	if (!cfg_next_field(&val, &f, &more))
		return fail(c, "slot: expected <gpa>,<size>[,ro][,dirty]");
	ret = get_pages(c, "slot size", f, &s.size);
	if (ret)
		return ret;
	while (cfg_next_field(&val, &f, &more)) {
		if (cfg_tok_is(f, "ro"))
			s.flags |= APERTURE_MEM_READONLY;
		else if (cfg_tok_is(f, "dirty"))
			s.flags |= APERTURE_MEM_LOG_DIRTY_PAGES;
		else
			return fail(c, "slot: unknown flag '%.*s' "
				    "(expected ro or dirty)", CFG_TOKF(f));
	}
	if (!s.size)
		return fail(c, "slot: size is 0");
	if (s.gpa + s.size < s.gpa)
		return fail(c, "slot: 0x%llx + 0x%llx wraps around",
			    (unsigned long long)s.gpa,
			    (unsigned long long)s.size);
	g->slots[g->nr_slots++] = s;
	return 0;
}

/* alias=<slot>,<gpa>,<size>,<target>, checked as the seed's ioctl does. */
static int guest_alias(struct ctx *c, struct cfg_guest *g, struct cfg_tok val)
{
	static const char *const what[] = {
		"alias slot", "alias gpa", "alias size", "alias target",
	};
	u64 v[ARRAY_SIZE(what)];
	struct cfg_tok f;
	bool more = true;
	u32 n = 0;
	int ret;

	while (cfg_next_field(&val, &f, &more)) {
		if (n == ARRAY_SIZE(v))
			return fail(c, "alias: too many fields");
		ret = n ? get_pages(c, what[n], f, &v[n]) :
			  get_u64(c, what[n], f, false, &v[n]);
		if (ret)
			return ret;
		n++;
	}
	if (n != ARRAY_SIZE(v))
		return fail(c, "alias: expected <slot>,<gpa>,<size>,<target>");
	if (v[0] >= CFG_MAX_ALIASES)
		return fail(c, "alias: slot %llu out of range (0-%u)",
			    (unsigned long long)v[0], CFG_MAX_ALIASES - 1);
	for (u32 i = 0; i < g->nr_aliases; i++)
		if (g->aliases[i].slot == v[0])
			return fail(c, "alias: slot %llu given twice",
				    (unsigned long long)v[0]);
	if (!v[2])
		return fail(c, "alias: size is 0");
	if (v[1] + v[2] < v[1] || v[3] + v[2] < v[3])
		return fail(c, "alias: range wraps around");
	g->aliases[g->nr_aliases++] = (struct cfg_alias){
		.slot = (u32)v[0], .gpa = v[1], .size = v[2], .target = v[3],
	};
	return 0;
}

static int guest_module(struct ctx *c, struct cfg_guest *g, struct cfg_tok val)
{
	if (g->nr_modules == CFG_MAX_MODULES)
		return fail(c, "more than %u module= keys", CFG_MAX_MODULES);
	if (!val.len)
		return fail(c, "module: empty file name");
	if (!cfg_copy_tok(g->modules[g->nr_modules], CFG_PATH_LEN, val))
		return fail(c, "module: file name longer than %u",
			    CFG_PATH_LEN - 1);
	g->nr_modules++;
	return 0;
}

/* A reason word as the hypervisor reports it, e.g. "paging". */
static bool is_reason(struct cfg_tok t)
{
	for (size_t i = 0; i < t.len; i++) {
		char ch = t.s[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		      ch == '-' || ch == '_'))
			return false;
	}
	return t.len > 0;
}

/* exit:<n> | triple-fault | rejected | killed | killed:<reason-word> */
static int guest_expect(struct ctx *c, struct cfg_guest *g, struct cfg_tok val)
{
	struct cfg_expect *e = &g->expect;
	struct cfg_tok kind, arg = val;

	memset(e, 0, sizeof(*e));
	if (!cfg_split(&arg, ':', &kind)) {
		kind = val;
		arg.len = 0;
		if (cfg_tok_is(kind, "triple-fault")) {
			e->outcome = CFG_EXPECT_TRIPLE_FAULT;
			return 0;
		}
		if (cfg_tok_is(kind, "rejected")) {
			e->outcome = CFG_EXPECT_REJECTED;
			return 0;
		}
		if (cfg_tok_is(kind, "killed")) {
			e->outcome = CFG_EXPECT_KILLED;
			return 0;
		}
	} else if (cfg_tok_is(kind, "exit")) {
		e->outcome = CFG_EXPECT_EXIT;
		return get_u64(c, "expect=exit", arg, false, &e->status);
	} else if (cfg_tok_is(kind, "killed")) {
		e->outcome = CFG_EXPECT_KILLED;
		if (!is_reason(arg) || !cfg_copy_tok(e->reason, CFG_WORD_LEN, arg))
			return fail(c, "expect: bad reason in '%.*s' (a word "
				    "of a-z 0-9 - _, up to %u)", CFG_TOKF(val),
				    CFG_WORD_LEN - 1);
		return 0;
	}
	return fail(c, "unknown expect '%.*s' (expected exit:<n>, "
		    "triple-fault, rejected, killed or killed:<reason>)",
		    CFG_TOKF(val));
}

static int guest_key(struct ctx *c, struct cfg_guest *g, struct cfg_tok word)
{
	struct cfg_tok key, val = word;

	if (!cfg_split(&val, '=', &key))
		return fail(c, "expected key=value or --, got '%.*s'",
			    CFG_TOKF(word));
	if (cfg_tok_is(key, "mem"))
		return guest_mem(c, g, val);
	if (cfg_tok_is(key, "slot"))
		return guest_slot(c, g, val);
	if (cfg_tok_is(key, "alias"))
		return guest_alias(c, g, val);
	if (cfg_tok_is(key, "module"))
		return guest_module(c, g, val);
	if (cfg_tok_is(key, "expect"))
		return guest_expect(c, g, val);
	if (cfg_tok_is(key, "mmu")) {
		g->mmu_set = true;
		return get_invalidate(c, key, val, &g->mmu);
	}
	if (cfg_tok_is(key, "timeout")) {
		g->timeout_set = true;
		return get_timeout(c, val, &g->timeout);
	}
	return fail(c, "unknown key '%.*s'", CFG_TOKF(key));
}

/* After "--" the rest of the line is the command line, inner spacing kept. */
static int guest_cmdline(struct ctx *c, struct cfg_guest *g, const char *p,
			 const char *end)
{
	struct cfg_tok t = cfg_rest_of_line(p, end);

	if (!cfg_copy_tok(g->cmdline, CFG_CMDLINE_LEN, t))
		return fail(c, "command line longer than %u",
			    CFG_CMDLINE_LEN - 1);
	return 0;
}

static bool overlaps(u64 a, u64 alen, u64 b, u64 blen)
{
	return a < b + blen && b < a + alen;
}

/*
 * Slots are extra memory next to the guest's RAM; the memslot layer will
 * refuse overlaps at run time, but saying so here names the line.
 */
static int guest_check_slots(struct ctx *c, struct cfg_guest *g)
{
	for (u32 i = 0; i < g->nr_slots; i++) {
		const struct cfg_slot *s = &g->slots[i];

		if (overlaps(s->gpa, s->size, 0, PC_LOW_RAM_END) ||
		    overlaps(s->gpa, s->size, PC_HIGH_RAM_START,
			     g->mem - PC_HIGH_RAM_START))
			return fail(c, "slot 0x%llx+0x%llx overlaps guest RAM",
				    (unsigned long long)s->gpa,
				    (unsigned long long)s->size);
		for (u32 j = 0; j < i; j++)
			if (overlaps(s->gpa, s->size, g->slots[j].gpa,
				     g->slots[j].size))
				return fail(c, "slots 0x%llx and 0x%llx overlap",
					    (unsigned long long)g->slots[j].gpa,
					    (unsigned long long)s->gpa);
	}
	return 0;
}

static bool is_name_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.';
}

static struct cfg_guest *find_guest(struct hv_config *cfg, struct cfg_tok name)
{
	for (u32 i = 0; i < cfg->nr_guests; i++)
		if (cfg_tok_is(name, cfg->guests[i].name))
			return &cfg->guests[i];
	return NULL;
}

/*
 * Problems with the name are fatal, since without a usable name the guest
 * cannot be reported or selected; from the file name on, a problem only
 * marks this guest invalid.
 */
static int guest_new(struct ctx *c, const char **p, const char *end,
		     struct cfg_guest **out)
{
	struct hv_config *cfg = c->cfg;
	struct cfg_guest *g, *dup;
	struct cfg_tok name;

	if (!cfg_next_word(p, end, &name))
		return fail(c, "guest needs a name and a file");
	for (size_t i = 0; i < name.len; i++)
		if (!is_name_char(name.s[i]))
			return fail(c, "guest name '%.*s' may only contain "
				    "A-Z a-z 0-9 - _ .", CFG_TOKF(name));
	if (name.len >= CFG_NAME_LEN)
		return fail(c, "guest name '%.*s' longer than %u", CFG_TOKF(name),
			    CFG_NAME_LEN - 1);
	dup = find_guest(cfg, name);
	if (dup)
		return fail(c, "duplicate guest '%s' (first on line %u)",
			    dup->name, dup->line);
	if (cfg->nr_guests == CFG_MAX_GUESTS)
		return fail(c, "more than %u guests", CFG_MAX_GUESTS);

	g = &cfg->guests[cfg->nr_guests];
	cfg->run[cfg->nr_run++] = (u8)cfg->nr_guests++;
	memset(g, 0, sizeof(*g));
	cfg_copy_tok(g->name, CFG_NAME_LEN, name);
	g->mem = CFG_MEM_DEFAULT;
	g->expect.outcome = CFG_EXPECT_EXIT;
	g->line = c->line;
	g->valid = true;
	*out = g;
	return 0;
}

static int guest_body(struct ctx *c, struct cfg_guest *g, const char *p,
		      const char *end)
{
	struct cfg_tok word;
	int ret;

	if (!cfg_next_word(&p, end, &word))
		return fail(c, "guest '%s' needs a file", g->name);
	if (cfg_tok_has(word, '=') || cfg_tok_is(word, "--"))
		return fail(c, "guest '%s' needs a file before '%.*s'",
			    g->name, CFG_TOKF(word));
	if (!cfg_copy_tok(g->file, CFG_PATH_LEN, word))
		return fail(c, "file name longer than %u", CFG_PATH_LEN - 1);

	while (cfg_next_word(&p, end, &word)) {
		if (cfg_tok_is(word, "--")) {
			ret = guest_cmdline(c, g, p, end);
			if (ret)
				return ret;
			break;
		}
		ret = guest_key(c, g, word);
		if (ret)
			return ret;
	}
	return guest_check_slots(c, g);
}

static int parse_guest(struct ctx *c, const char *p, const char *end)
{
	struct cfg_guest *g = NULL;
	int ret = guest_new(c, &p, end, &g);

	if (ret)
		return ret;
	/* From here on errors go to the guest, not to the whole file. */
	c->msg = g->error;
	c->msglen = sizeof(g->error);
	if (guest_body(c, g, p, end))
		g->valid = false;
	return 0;
}

static int parse_line(struct ctx *c, const char *p, const char *end)
{
	struct cfg_tok word, key, val, extra;
	bool known;
	int ret;

	if (!cfg_next_word(&p, end, &word))
		return 0;
	if (cfg_tok_is(word, "guest"))
		return parse_guest(c, p, end);
	val = word;
	if (!cfg_split(&val, '=', &key))
		return fail(c, "unknown directive '%.*s'", CFG_TOKF(word));
	ret = set_global(c, key, val, &known);
	if (ret)
		return ret;
	if (!known)
		return fail(c, "unknown key '%.*s'", CFG_TOKF(key));
	if (cfg_next_word(&p, end, &extra))
		return fail(c, "unexpected '%.*s' after '%.*s'", CFG_TOKF(extra),
			    CFG_TOKF(word));
	return 0;
}

/*
 * Guests without mmu= or timeout= follow the global default, wherever it
 * was set; without console=, the console follows exit= (docs/hardware.md:
 * under an emulator the serial log is the result and holds each line once).
 */
static void resolve_defaults(struct hv_config *cfg)
{
	if (!cfg->console_set)
		cfg->console = cfg->exit == CFG_EXIT_RETURN ?
			       CFG_CONSOLE_BOTH : CFG_CONSOLE_SERIAL;
	for (u32 i = 0; i < cfg->nr_guests; i++) {
		if (!cfg->guests[i].mmu_set)
			cfg->guests[i].mmu = cfg->invalidate;
		if (!cfg->guests[i].timeout_set)
			cfg->guests[i].timeout = cfg->timeout;
	}
}

static void error_init(struct config_error *err)
{
	err->line = 0;
	err->msg[0] = '\0';
}

int config_parse(const char *text, struct hv_config *cfg,
		 struct config_error *err)
{
	struct ctx c = { .cfg = cfg };
	const char *p = text, *line, *end;
	int first = 0;

	memset(cfg, 0, sizeof(*cfg));
	cfg->log = CFG_LOG_INFO;
	cfg->invalidate = CFG_INVALIDATE_TARGETED;
	cfg->timeout = CFG_TIMEOUT_DEFAULT;
	cfg->exit = CFG_EXIT_RETURN;
	cfg->pool_mib = CFG_POOL_DEFAULT_MIB;
	error_init(err);

	/*
	 * A fatal error does not stop the parse: the lines after it still
	 * set exit= and console=, so the run that reports the error ends
	 * where it was told to.
	 */
	while (cfg_next_line(&p, &line, &end)) {
		int ret;

		c.line++;
		c.msg = first ? c.scratch : err->msg;
		c.msglen = sizeof(err->msg);
		ret = parse_line(&c, line, end);
		if (ret && !first) {
			first = ret;
			err->line = c.line;
		}
	}
	resolve_defaults(cfg);
	return first;
}

/* guests=<name>[,<name>...] */
static int option_guests(struct ctx *c, struct cfg_tok val)
{
	struct hv_config *cfg = c->cfg;
	struct cfg_tok name;
	bool more = true;

	cfg->nr_run = 0;
	while (cfg_next_field(&val, &name, &more)) {
		struct cfg_guest *g = find_guest(cfg, name);

		if (!g)
			return fail(c, "guests=: no guest named '%.*s'",
				    CFG_TOKF(name));
		if (cfg->nr_run == CFG_MAX_GUESTS)
			return fail(c, "guests=: more than %u entries",
				    CFG_MAX_GUESTS);
		cfg->run[cfg->nr_run++] = (u8)(g - cfg->guests);
	}
	return 0;
}

/* config=<path>: boot/ has already read that file; keep it for reports. */
static int option_config(struct ctx *c, struct cfg_tok val)
{
	if (!val.len)
		return fail(c, "config=: empty path");
	if (!cfg_copy_tok(c->cfg->config_path, CFG_PATH_LEN, val))
		return fail(c, "config=: path longer than %u",
			    CFG_PATH_LEN - 1);
	return 0;
}

static int apply_option(struct ctx *c, struct cfg_tok word)
{
	struct cfg_tok key, val = word;
	bool known;
	int ret;

	if (!cfg_split(&val, '=', &key))
		return fail(c, "expected key=value, got '%.*s'",
			    CFG_TOKF(word));
	ret = set_global(c, key, val, &known);
	if (known)
		return ret;
	if (cfg_tok_is(key, "guests"))
		return option_guests(c, val);
	if (cfg_tok_is(key, "config"))
		return option_config(c, val);
	return fail(c, "unknown key '%.*s'", CFG_TOKF(key));
}

int config_apply_options(struct hv_config *cfg, const char *options,
			 struct config_error *err)
{
	struct ctx c = {
		.cfg = cfg, .msg = err->msg, .msglen = sizeof(err->msg),
	};
	const char *p = options, *end = options + strlen(options);
	struct cfg_tok word;
	int first = 0;

	error_init(err);
	/* As in the file, every word applies even after a bad one. */
	while (cfg_next_word(&p, end, &word)) {
		int ret = apply_option(&c, word);

		if (ret && !first) {
			first = ret;
			c.msg = c.scratch;
		}
	}
	resolve_defaults(cfg);
	return first;
}

int config_options_path(const char *options, char *path, size_t cap)
{
	const char *p = options, *end = options + strlen(options);
	struct cfg_tok word, key, found = { 0 };
	bool seen = false;

	while (cfg_next_word(&p, end, &word)) {
		if (cfg_split(&word, '=', &key) && cfg_tok_is(key, "config")) {
			found = word;
			seen = true;
		}
	}
	if (!seen)
		return 0;
	if (!found.len)
		return -EINVAL;
	if (!cfg_copy_tok(path, cap, found))
		return -E2BIG;
	return 1;
}
