// SPDX-License-Identifier: MIT
/*
 * Load-option conversion and the minimal key scan boot/ needs before the
 * core's configuration parser runs (see options.h for the rules).
 */
#include <lib/errno.h>
#include <lib/string.h>
#include <boot/options.h>

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool ends_value(char c)
{
	return c == '\0' || c == '#' || is_blank(c);
}

static char to_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static bool ends_with_efi(const char *s, size_t len)
{
	static const char suffix[] = ".efi";
	size_t n = sizeof(suffix) - 1, i;

	if (len < n)
		return false;
	for (i = 0; i < n; i++)
		if (to_lower(s[len - n + i]) != suffix[i])
			return false;
	return true;
}

/*
 * The UEFI shell hands an application its whole command line, program path
 * first; a boot manager entry hands over only its optional data.  Telling
 * them apart by the ".efi" suffix is what lets the same options work from
 * both places.
 */
static void strip_image_path(char *s)
{
	const char *start, *p, *tok, *tok_end;
	size_t n = 0;

	for (start = s; is_blank(*start); start++)
		;
	p = start;
	if (*p == '"') {
		tok = ++p;
		while (*p && *p != '"')
			p++;
		tok_end = p;
		if (*p == '"')
			p++;
	} else {
		tok = p;
		while (*p && !is_blank(*p))
			p++;
		tok_end = p;
	}
	if (ends_with_efi(tok, tok_end - tok)) {
		while (is_blank(*p))
			p++;
	} else {
		p = start;
	}
	while (*p)
		s[n++] = *p++;
	s[n] = '\0';
}

int boot_options_to_ascii(const u16 *src, size_t nchars, char *dst,
			  size_t cap, size_t *bad)
{
	size_t i, n = 0;

	if (cap == 0)
		return -E2BIG;
	for (i = 0; i < nchars && src[i]; i++) {
		u16 c = src[i];

		if (c == '\t' || c == '\r' || c == '\n')
			c = ' ';
		if (c < 0x20 || c > 0x7e) {
			*bad = i;
			return -EINVAL;
		}
		if (n + 1 >= cap)
			return -E2BIG;
		dst[n++] = (char)c;
	}
	dst[n] = '\0';
	strip_image_path(dst);
	return 0;
}

static bool key_at(const char *p, const char *key, size_t klen)
{
	return strncmp(p, key, klen) == 0 && p[klen] == '=';
}

const char *boot_option(const char *opts, const char *key)
{
	size_t klen = strlen(key);
	const char *found = NULL;
	const char *p = opts;

	while (*p) {
		while (is_blank(*p))
			p++;
		if (key_at(p, key, klen))
			found = p + klen + 1;
		while (*p && !is_blank(*p))
			p++;
	}
	return found;
}

const char *boot_config_key(const char *cfg, const char *key)
{
	size_t klen = strlen(key);
	const char *found = NULL;
	const char *p = cfg;

	while (*p) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (key_at(p, key, klen))
			found = p + klen + 1;
		while (*p && *p != '\n')
			p++;
		if (*p == '\n')
			p++;
	}
	return found;
}

const char *boot_setting(const char *opts, const char *cfg, const char *key)
{
	const char *val = opts ? boot_option(opts, key) : NULL;

	if (!val && cfg)
		val = boot_config_key(cfg, key);
	return val;
}

size_t boot_value_len(const char *val)
{
	size_t n = 0;

	while (!ends_value(val[n]))
		n++;
	return n;
}

bool boot_value_is(const char *val, const char *word)
{
	size_t n = boot_value_len(val);

	return n == strlen(word) && strncmp(val, word, n) == 0;
}

int boot_value_copy(const char *val, char *dst, size_t cap)
{
	size_t i, n = boot_value_len(val);

	if (n >= cap)
		return -E2BIG;
	for (i = 0; i < n; i++)
		dst[i] = val[i];
	dst[n] = '\0';
	return 0;
}

int boot_value_u32(const char *val, u32 *out)
{
	size_t i, n = boot_value_len(val);
	u64 v = 0;

	if (n == 0)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (val[i] < '0' || val[i] > '9')
			return -EINVAL;
		v = v * 10 + (u64)(val[i] - '0');
		if (v > UINT32_MAX)
			return -EINVAL;
	}
	*out = (u32)v;
	return 0;
}
