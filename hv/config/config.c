// SPDX-License-Identifier: MIT
/*
 * Configuration file and load-option parser; syntax in docs/config.md.
 *
 * The text is never modified or copied whole: it is cut into tokens that
 * point into it (struct tok), and only the values kept are copied into the
 * fixed-size fields of struct hv_config.
 */
#include <hv/config/config.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <lib/string.h>

struct tok {
	const char *s;
	size_t len;
};

/* Messages show at most this much of an offending token. */
#define TOK_SHOWN	48
#define TOKF(t)		(int)MIN((t).len, (size_t)TOK_SHOWN), (t).s

struct ctx {
	struct hv_config *cfg;
	u32 line;		/* 0 while applying load options */
	char *msg;		/* where the next error message goes */
	size_t msglen;
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

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool tok_is(struct tok t, const char *s)
{
	return t.len == strlen(s) && !memcmp(t.s, s, t.len);
}

/*
 * Next whitespace-separated word of [*p, end).  With comments, a word that
 * starts with '#' ends the line, so '#' inside a value is kept.
 */
static bool next_word(const char **p, const char *end, bool comments,
		      struct tok *t)
{
	const char *s = *p;

	while (s < end && is_space(*s))
		s++;
	if (s == end || (comments && *s == '#')) {
		*p = end;
		return false;
	}
	t->s = s;
	while (s < end && !is_space(*s))
		s++;
	t->len = s - t->s;
	*p = s;
	return true;
}

static bool tok_has(struct tok t, char c)
{
	for (size_t i = 0; i < t.len; i++)
		if (t.s[i] == c)
			return true;
	return false;
}

/* Splits t at the first sep: head gets what precedes it, t the rest. */
static bool split(struct tok *t, char sep, struct tok *head)
{
	size_t i = 0;

	while (i < t->len && t->s[i] != sep)
		i++;
	if (i == t->len)
		return false;
	head->s = t->s;
	head->len = i;
	t->s += i + 1;
	t->len -= i + 1;
	return true;
}

/* Next comma-separated field; false when t is used up. */
static bool next_field(struct tok *t, struct tok *field, bool *more)
{
	if (!*more)
		return false;
	if (!split(t, ',', field)) {
		*field = *t;
		*more = false;
	}
	return true;
}

static bool copy_tok(char *dst, size_t size, struct tok t)
{
	if (t.len >= size)
		return false;
	memcpy(dst, t.s, t.len);
	dst[t.len] = '\0';
	return true;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 16;
}

/*
 * Decimal or 0x hex, then (if sizes) an optional K, M or G.  Returns 0,
 * -EINVAL for a malformed number, -ERANGE if it does not fit in a u64.
 */
static int parse_u64(struct tok t, bool sizes, u64 *out)
{
	unsigned int base = 10, shift = 0;
	size_t i = 0, n = t.len;
	u64 v = 0;

	if (n > 2 && t.s[0] == '0' && (t.s[1] == 'x' || t.s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (sizes && n > i) {
		switch (t.s[n - 1]) {
		case 'K': case 'k': shift = 10; n--; break;
		case 'M': case 'm': shift = 20; n--; break;
		case 'G': case 'g': shift = 30; n--; break;
		}
	}
	if (i == n)
		return -EINVAL;
	for (; i < n; i++) {
		unsigned int d = digit_value(t.s[i]);

		if (d >= base)
			return -EINVAL;
		if (v > (UINT64_MAX - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	if (v > UINT64_MAX >> shift)
		return -ERANGE;
	*out = v << shift;
	return 0;
}

static int get_u64(struct ctx *c, const char *what, struct tok t, bool sizes,
		   u64 *out)
{
	int ret = parse_u64(t, sizes, out);

	if (ret == -ERANGE)
		return fail(c, "%s: number '%.*s' does not fit in 64 bits",
			    what, TOKF(t));
	if (ret)
		return fail(c, "%s: invalid number '%.*s'", what, TOKF(t));
	return 0;
}

/* A page-aligned number: guest memory is mapped in 4 KiB pages. */
static int get_pages(struct ctx *c, const char *what, struct tok t, u64 *out)
{
	int ret = get_u64(c, what, t, true, out);

	if (ret)
		return ret;
	if (!IS_ALIGNED(*out, PAGE_SIZE))
		return fail(c, "%s: 0x%llx is not a multiple of 4K", what,
			    (unsigned long long)*out);
	return 0;
}

static int get_choice(struct ctx *c, struct tok key, struct tok val,
		      const char *const *names, u32 nr, const char *expected,
		      u32 *out)
{
	for (u32 i = 0; i < nr; i++) {
		if (tok_is(val, names[i])) {
			*out = i;
			return 0;
		}
	}
	return fail(c, "unknown value '%.*s' for %.*s (expected %s)",
		    TOKF(val), TOKF(key), expected);
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

/* timeout=<seconds>: how long a guest may run before it is ended. */
static int get_timeout(struct ctx *c, struct tok val, u32 *out)
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

static int get_invalidate(struct ctx *c, struct tok key, struct tok val,
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
static int set_global(struct ctx *c, struct tok key, struct tok val,
		      bool *known)
{
	struct hv_config *cfg = c->cfg;
	u32 v = 0;
	int ret;

	*known = true;
	if (tok_is(key, "log")) {
		ret = get_choice(c, key, val, log_names, ARRAY_SIZE(log_names),
				 "error|warn|info|debug", &v);
		if (!ret)
			cfg->log = v;
		return ret;
	}
	if (tok_is(key, "mmu.invalidate"))
		return get_invalidate(c, key, val, &cfg->invalidate);
	if (tok_is(key, "timeout"))
		return get_timeout(c, val, &cfg->timeout);
	if (tok_is(key, "exit")) {
		ret = get_choice(c, key, val, exit_names,
				 ARRAY_SIZE(exit_names), "return|qemu|bochs",
				 &v);
		if (!ret)
			cfg->exit = v;
		return ret;
	}
	/*
	 * boot/ reads these itself, before the core runs, and refuses to
	 * start when their values are bad (docs/hardware.md).
	 */
	if (tok_is(key, "console") || tok_is(key, "pool")) {
		if (!val.len)
			return fail(c, "%.*s: empty value", TOKF(key));
		return 0;
	}
	*known = false;
	return 0;
}

/* ---- guest lines ---- */

static int guest_mem(struct ctx *c, struct cfg_guest *g, struct tok val)
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
static int guest_slot(struct ctx *c, struct cfg_guest *g, struct tok val)
{
	struct cfg_slot s = { 0 };
	struct tok f;
	bool more = true;
	int ret;

	if (g->nr_slots == CFG_MAX_SLOTS)
		return fail(c, "more than %u slot= keys", CFG_MAX_SLOTS);
	next_field(&val, &f, &more);
	ret = get_pages(c, "slot gpa", f, &s.gpa);
	if (ret)
		return ret;
	if (!next_field(&val, &f, &more))
		return fail(c, "slot: expected <gpa>,<size>[,ro][,dirty]");
	ret = get_pages(c, "slot size", f, &s.size);
	if (ret)
		return ret;
	while (next_field(&val, &f, &more)) {
		if (tok_is(f, "ro"))
			s.flags |= APERTURE_MEM_READONLY;
		else if (tok_is(f, "dirty"))
			s.flags |= APERTURE_MEM_LOG_DIRTY_PAGES;
		else
			return fail(c, "slot: unknown flag '%.*s' "
				    "(expected ro or dirty)", TOKF(f));
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
static int guest_alias(struct ctx *c, struct cfg_guest *g, struct tok val)
{
	static const char *const what[] = {
		"alias slot", "alias gpa", "alias size", "alias target",
	};
	u64 v[ARRAY_SIZE(what)];
	struct tok f;
	bool more = true;
	u32 n = 0;
	int ret;

	while (next_field(&val, &f, &more)) {
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

static int guest_module(struct ctx *c, struct cfg_guest *g, struct tok val)
{
	if (g->nr_modules == CFG_MAX_MODULES)
		return fail(c, "more than %u module= keys", CFG_MAX_MODULES);
	if (!val.len)
		return fail(c, "module: empty file name");
	if (!copy_tok(g->modules[g->nr_modules], CFG_PATH_LEN, val))
		return fail(c, "module: file name longer than %u",
			    CFG_PATH_LEN - 1);
	g->nr_modules++;
	return 0;
}

/* A reason word as the hypervisor reports it, e.g. "paging". */
static bool is_reason(struct tok t)
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
static int guest_expect(struct ctx *c, struct cfg_guest *g, struct tok val)
{
	struct cfg_expect *e = &g->expect;
	struct tok kind, arg = val;

	memset(e, 0, sizeof(*e));
	if (!split(&arg, ':', &kind)) {
		kind = val;
		arg.len = 0;
		if (tok_is(kind, "triple-fault")) {
			e->outcome = CFG_EXPECT_TRIPLE_FAULT;
			return 0;
		}
		if (tok_is(kind, "rejected")) {
			e->outcome = CFG_EXPECT_REJECTED;
			return 0;
		}
		if (tok_is(kind, "killed")) {
			e->outcome = CFG_EXPECT_KILLED;
			return 0;
		}
	} else if (tok_is(kind, "exit")) {
		e->outcome = CFG_EXPECT_EXIT;
		return get_u64(c, "expect=exit", arg, false, &e->status);
	} else if (tok_is(kind, "killed")) {
		e->outcome = CFG_EXPECT_KILLED;
		if (!is_reason(arg) || !copy_tok(e->reason, CFG_WORD_LEN, arg))
			return fail(c, "expect: bad reason in '%.*s' (a word "
				    "of a-z 0-9 - _, up to %u)", TOKF(val),
				    CFG_WORD_LEN - 1);
		return 0;
	}
	return fail(c, "unknown expect '%.*s' (expected exit:<n>, "
		    "triple-fault, rejected, killed or killed:<reason>)",
		    TOKF(val));
}

static int guest_key(struct ctx *c, struct cfg_guest *g, struct tok word)
{
	struct tok key, val = word;

	if (!split(&val, '=', &key))
		return fail(c, "expected key=value or --, got '%.*s'",
			    TOKF(word));
	if (tok_is(key, "mem"))
		return guest_mem(c, g, val);
	if (tok_is(key, "slot"))
		return guest_slot(c, g, val);
	if (tok_is(key, "alias"))
		return guest_alias(c, g, val);
	if (tok_is(key, "module"))
		return guest_module(c, g, val);
	if (tok_is(key, "expect"))
		return guest_expect(c, g, val);
	if (tok_is(key, "mmu")) {
		g->mmu_set = true;
		return get_invalidate(c, key, val, &g->mmu);
	}
	if (tok_is(key, "timeout")) {
		g->timeout_set = true;
		return get_timeout(c, val, &g->timeout);
	}
	return fail(c, "unknown key '%.*s'", TOKF(key));
}

/*
 * After "--" the rest of the line is the command line, inner spacing kept.
 * As elsewhere, a word starting with '#' begins a comment.
 */
static int guest_cmdline(struct ctx *c, struct cfg_guest *g, const char *p,
			 const char *end)
{
	struct tok t = { .s = p, .len = 0 };

	while (t.s < end && is_space(*t.s))
		t.s++;
	for (const char *q = t.s; q < end; q++) {
		if (*q == '#' && (q == t.s || is_space(q[-1])))
			break;
		if (!is_space(*q))
			t.len = q + 1 - t.s;
	}
	if (!copy_tok(g->cmdline, CFG_CMDLINE_LEN, t))
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

		if (overlaps(s->gpa, s->size, 0, 0xA0000) ||
		    overlaps(s->gpa, s->size, 0x100000, g->mem - 0x100000))
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

static struct cfg_guest *find_guest(struct hv_config *cfg, struct tok name)
{
	for (u32 i = 0; i < cfg->nr_guests; i++)
		if (tok_is(name, cfg->guests[i].name))
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
	struct tok name;

	if (!next_word(p, end, true, &name))
		return fail(c, "guest needs a name and a file");
	for (size_t i = 0; i < name.len; i++)
		if (!is_name_char(name.s[i]))
			return fail(c, "guest name '%.*s' may only contain "
				    "A-Z a-z 0-9 - _ .", TOKF(name));
	if (name.len >= CFG_NAME_LEN)
		return fail(c, "guest name '%.*s' longer than %u", TOKF(name),
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
	copy_tok(g->name, CFG_NAME_LEN, name);
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
	struct tok word;
	int ret;

	if (!next_word(&p, end, true, &word))
		return fail(c, "guest '%s' needs a file", g->name);
	if (tok_has(word, '=') || tok_is(word, "--"))
		return fail(c, "guest '%s' needs a file before '%.*s'",
			    g->name, TOKF(word));
	if (!copy_tok(g->file, CFG_PATH_LEN, word))
		return fail(c, "file name longer than %u", CFG_PATH_LEN - 1);

	while (next_word(&p, end, true, &word)) {
		if (tok_is(word, "--")) {
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
	struct tok word, key, val, extra;
	bool known;
	int ret;

	if (!next_word(&p, end, true, &word))
		return 0;
	if (tok_is(word, "guest"))
		return parse_guest(c, p, end);
	val = word;
	if (!split(&val, '=', &key))
		return fail(c, "unknown directive '%.*s'", TOKF(word));
	ret = set_global(c, key, val, &known);
	if (ret)
		return ret;
	if (!known)
		return fail(c, "unknown key '%.*s'", TOKF(key));
	if (next_word(&p, end, true, &extra))
		return fail(c, "unexpected '%.*s' after '%.*s'", TOKF(extra),
			    TOKF(word));
	return 0;
}

/*
 * Guests without mmu= or timeout= follow the global default, wherever it
 * was set.
 */
static void resolve_defaults(struct hv_config *cfg)
{
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
	const char *p = text;

	memset(cfg, 0, sizeof(*cfg));
	cfg->log = CFG_LOG_INFO;
	cfg->invalidate = CFG_INVALIDATE_TARGETED;
	cfg->timeout = CFG_TIMEOUT_DEFAULT;
	cfg->exit = CFG_EXIT_RETURN;
	error_init(err);

	while (*p) {
		const char *end = strchr(p, '\n');
		int ret;

		if (!end)
			end = p + strlen(p);
		c.line++;
		c.msg = err->msg;
		c.msglen = sizeof(err->msg);
		ret = parse_line(&c, p, end);
		if (ret) {
			err->line = c.line;
			return ret;
		}
		p = *end ? end + 1 : end;
	}
	resolve_defaults(cfg);
	return 0;
}

/* guests=<name>[,<name>...] */
static int option_guests(struct ctx *c, struct tok val)
{
	struct hv_config *cfg = c->cfg;
	struct tok name;
	bool more = true;

	cfg->nr_run = 0;
	while (next_field(&val, &name, &more)) {
		struct cfg_guest *g = find_guest(cfg, name);

		if (!g)
			return fail(c, "guests=: no guest named '%.*s'",
				    TOKF(name));
		if (cfg->nr_run == CFG_MAX_GUESTS)
			return fail(c, "guests=: more than %u entries",
				    CFG_MAX_GUESTS);
		cfg->run[cfg->nr_run++] = (u8)(g - cfg->guests);
	}
	return 0;
}

/* config=<path>: boot/ has already read that file; keep it for reports. */
static int option_config(struct ctx *c, struct tok val)
{
	if (!val.len)
		return fail(c, "config=: empty path");
	if (!copy_tok(c->cfg->config_path, CFG_PATH_LEN, val))
		return fail(c, "config=: path longer than %u",
			    CFG_PATH_LEN - 1);
	return 0;
}

int config_apply_options(struct hv_config *cfg, const char *options,
			 struct config_error *err)
{
	struct ctx c = {
		.cfg = cfg, .msg = err->msg, .msglen = sizeof(err->msg),
	};
	const char *p = options, *end = options + strlen(options);
	struct tok word;

	error_init(err);
	while (next_word(&p, end, false, &word)) {
		struct tok key, val = word;
		bool known;
		int ret;

		if (!split(&val, '=', &key))
			return fail(&c, "expected key=value, got '%.*s'",
				    TOKF(word));
		ret = set_global(&c, key, val, &known);
		if (!known) {
			if (tok_is(key, "guests"))
				ret = option_guests(&c, val);
			else if (tok_is(key, "config"))
				ret = option_config(&c, val);
			else
				ret = fail(&c, "unknown key '%.*s'",
					   TOKF(key));
		}
		if (ret)
			return ret;
	}
	resolve_defaults(cfg);
	return 0;
}
