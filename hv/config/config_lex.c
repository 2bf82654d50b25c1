// SPDX-License-Identifier: MIT
/* The configuration lexer; the rules are in config_lex.h. */
#include <hv/config/config_lex.h>
#include <lib/errno.h>
#include <lib/string.h>

bool cfg_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool cfg_tok_is(struct cfg_tok t, const char *s)
{
	return t.len == strlen(s) && !memcmp(t.s, s, t.len);
}

bool cfg_tok_has(struct cfg_tok t, char c)
{
	for (size_t i = 0; i < t.len; i++)
		if (t.s[i] == c)
			return true;
	return false;
}

bool cfg_next_line(const char **p, const char **start, const char **end)
{
	const char *s = *p, *e;

	if (!*s)
		return false;
	e = strchr(s, '\n');
	if (!e)
		e = s + strlen(s);
	*start = s;
	*end = e;
	*p = *e ? e + 1 : e;
	return true;
}

/* Every word starts at the start of a line or after a blank. */
bool cfg_next_word(const char **p, const char *end, struct cfg_tok *t)
{
	const char *s = *p;

	while (s < end && cfg_is_space(*s))
		s++;
	if (s == end || *s == '#') {
		*p = end;
		return false;
	}
	t->s = s;
	while (s < end && !cfg_is_space(*s))
		s++;
	t->len = s - t->s;
	*p = s;
	return true;
}

struct cfg_tok cfg_rest_of_line(const char *p, const char *end)
{
	struct cfg_tok t = { .s = p, .len = 0 };

	while (t.s < end && cfg_is_space(*t.s))
		t.s++;
	for (const char *q = t.s; q < end; q++) {
		if (*q == '#' && (q == t.s || cfg_is_space(q[-1])))
			break;
		if (!cfg_is_space(*q))
			t.len = q + 1 - t.s;
	}
	return t;
}

bool cfg_split(struct cfg_tok *t, char sep, struct cfg_tok *head)
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

bool cfg_next_field(struct cfg_tok *t, struct cfg_tok *field, bool *more)
{
	if (!*more)
		return false;
	if (!cfg_split(t, ',', field)) {
		*field = *t;
		*more = false;
	}
	return true;
}

bool cfg_copy_tok(char *dst, size_t size, struct cfg_tok t)
{
	if (t.len >= size)
		return false;
	memcpy(dst, t.s, t.len);
	dst[t.len] = '\0';
	return true;
}

static unsigned int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 16;
}

int cfg_parse_u64(struct cfg_tok t, bool sizes, u64 *out)
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
