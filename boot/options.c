// SPDX-License-Identifier: MIT
/*
 * Load-option conversion from UCS-2 to the ASCII the configuration parser
 * reads (see options.h).
 */
#include <lib/errno.h>
#include <boot/options.h>

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
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
