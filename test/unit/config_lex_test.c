// SPDX-License-Identifier: MIT
/*
 * Host tests for hv/config/config_lex.c: lines, words, the comment rule
 * shared by the file, command lines and load options, fields and numbers.
 */
#define UNIT_SUITE "config_lex"
#include "unit.h"

#include <string.h>
#include <hv/config/config_lex.h>
#include <lib/errno.h>

static struct cfg_tok tok(const char *s)
{
	return (struct cfg_tok){ .s = s, .len = strlen(s) };
}

/* The words of @text joined by '|', as cfg_next_word() finds them. */
static const char *words(const char *text)
{
	static char out[128];
	const char *p = text, *end = text + strlen(text);
	struct cfg_tok t;
	size_t n = 0;

	out[0] = '\0';
	while (cfg_next_word(&p, end, &t)) {
		if (n)
			out[n++] = '|';
		memcpy(out + n, t.s, t.len);
		n += t.len;
		out[n] = '\0';
	}
	return out;
}

static void test_words_and_comments(void)
{
	CHECK(!strcmp(words("  a=1\tb=2 "), "a=1|b=2"));
	CHECK(!strcmp(words("exit=qemu#x"), "exit=qemu#x"));
	CHECK(!strcmp(words("exit=qemu #x y"), "exit=qemu"));
	CHECK(!strcmp(words("#a b"), ""));
	CHECK(!strcmp(words("a\t#b"), "a"));
	CHECK(!strcmp(words(""), ""));
}

static void test_rest_of_line(void)
{
	const char *s = "  x  y#z  # c ";
	struct cfg_tok t = cfg_rest_of_line(s, s + strlen(s));

	CHECK_EQ(t.len, 6);
	CHECK(!strncmp(t.s, "x  y#z", t.len));
	s = "#only";
	CHECK_EQ(cfg_rest_of_line(s, s + strlen(s)).len, 0);
}

static void test_lines(void)
{
	const char *p = "a\r\n\nb", *start, *end;

	CHECK(cfg_next_line(&p, &start, &end));
	CHECK_EQ(end - start, 2);		/* "a\r": '\r' is a blank */
	CHECK(cfg_next_line(&p, &start, &end));
	CHECK_EQ(end - start, 0);
	CHECK(cfg_next_line(&p, &start, &end));
	CHECK(!strncmp(start, "b", 1) && end - start == 1);
	CHECK(!cfg_next_line(&p, &start, &end));
}

static void test_fields(void)
{
	struct cfg_tok t = tok("1,,x"), f, head;
	bool more = true;

	CHECK(cfg_next_field(&t, &f, &more) && cfg_tok_is(f, "1"));
	CHECK(cfg_next_field(&t, &f, &more) && f.len == 0);
	CHECK(cfg_next_field(&t, &f, &more) && cfg_tok_is(f, "x"));
	CHECK(!cfg_next_field(&t, &f, &more));

	t = tok("k=v=w");
	CHECK(cfg_split(&t, '=', &head));
	CHECK(cfg_tok_is(head, "k") && cfg_tok_is(t, "v=w"));
	CHECK(!cfg_split(&head, '=', &f));
}

static void test_numbers(void)
{
	u64 v = 0;

	CHECK_EQ(cfg_parse_u64(tok("0x10M"), true, &v), 0);
	CHECK_EQ(v, 16ull << 20);
	CHECK_EQ(cfg_parse_u64(tok("4k"), true, &v), 0);
	CHECK_EQ(v, 4096);
	CHECK_EQ(cfg_parse_u64(tok("4k"), false, &v), -EINVAL);
	CHECK_EQ(cfg_parse_u64(tok("0x"), false, &v), -EINVAL);
	CHECK_EQ(cfg_parse_u64(tok("18446744073709551615"), false, &v), 0);
	CHECK_EQ(cfg_parse_u64(tok("18446744073709551616"), false, &v),
		 -ERANGE);
	CHECK_EQ(cfg_parse_u64(tok("17179869184G"), true, &v), -ERANGE);
}

int main(void)
{
	RUN(test_words_and_comments);
	RUN(test_rest_of_line);
	RUN(test_lines);
	RUN(test_fields);
	RUN(test_numbers);
	return unit_done();
}
