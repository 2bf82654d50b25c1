/* SPDX-License-Identifier: MIT */
/*
 * The configuration lexer, internal to hv/config/: cuts text into lines,
 * words and fields, applies the one comment rule, and reads numbers.
 * Tokens point into the text, which is never modified or copied whole.
 *
 * The comment rule (docs/config.md), for the file, a kernel command line
 * and the load options alike: a '#' that starts a word, i.e. at the start
 * of a line or right after a blank, begins a comment running to the end
 * of the line.  A '#' inside a word ("a#b") is part of the word.
 */
#ifndef HV_CONFIG_CONFIG_LEX_H
#define HV_CONFIG_CONFIG_LEX_H

#include <lib/types.h>

struct cfg_tok {
	const char *s;
	size_t len;
};

/* Messages show at most this much of an offending token. */
#define CFG_TOK_SHOWN	48
#define CFG_TOKF(t)	(int)MIN((t).len, (size_t)CFG_TOK_SHOWN), (t).s

/* Blanks separate words; '\r' and '\n' count so that CRLF files work. */
bool cfg_is_space(char c);

bool cfg_tok_is(struct cfg_tok t, const char *s);
bool cfg_tok_has(struct cfg_tok t, char c);

/*
 * The line that starts at *@p: sets *@end to its '\n' or terminating NUL
 * and returns false at the end of the text.  *@p moves past the line.
 */
bool cfg_next_line(const char **p, const char **start, const char **end);

/*
 * Next word of [*@p, @end); false at the end of the line or at a comment,
 * which consumes the rest of the line.
 */
bool cfg_next_word(const char **p, const char *end, struct cfg_tok *t);

/* The rest of [@p, @end) up to a comment, without leading/trailing blanks. */
struct cfg_tok cfg_rest_of_line(const char *p, const char *end);

/* Splits @t at the first @sep: @head gets what precedes it, @t the rest. */
bool cfg_split(struct cfg_tok *t, char sep, struct cfg_tok *head);

/* Next comma-separated field of @t; false when @t is used up. */
bool cfg_next_field(struct cfg_tok *t, struct cfg_tok *field, bool *more);

/* Copies @t NUL-terminated into @dst; false if it does not fit. */
bool cfg_copy_tok(char *dst, size_t size, struct cfg_tok t);

/*
 * Decimal or 0x hex, then (if @sizes) an optional K, M or G.  Returns 0,
 * -EINVAL for a malformed number, -ERANGE if it does not fit in a u64.
 */
int cfg_parse_u64(struct cfg_tok t, bool sizes, u64 *out);

#endif /* HV_CONFIG_CONFIG_LEX_H */
