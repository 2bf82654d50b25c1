// SPDX-License-Identifier: MIT
/*
 * Formatted output for the hypervisor.  No floating point (the core is
 * built with -mgeneral-regs-only) and no locale.
 */
#include <lib/printf.h>
#include <lib/string.h>

struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

/* The 0x of '#' counts in the width and goes before zero padding, as in C. */
static void put_number(struct out *o, u64 v, unsigned base, bool upper,
		       bool negative, const char *prefix, int width,
		       bool zero_pad, bool left)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, pad;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);

	pad = width - n - (negative ? 1 : 0) - (int)strlen(prefix);
	if (!left && !zero_pad)
		for (; pad > 0; pad--)
			put(o, ' ');
	if (negative)
		put(o, '-');
	while (*prefix)
		put(o, *prefix++);
	if (!left && zero_pad)
		for (; pad > 0; pad--)
			put(o, '0');
	while (n)
		put(o, tmp[--n]);
	if (left)
		for (; pad > 0; pad--)
			put(o, ' ');
}

int hv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { .buf = buf, .size = size, .len = 0 };

	for (; *fmt; fmt++) {
		bool zero_pad = false, left = false, alt = false;
		int width = 0, lng = 0, prec = -1;

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		fmt++;
		for (;; fmt++) {
			if (*fmt == '0')
				zero_pad = true;
			else if (*fmt == '-')
				left = true;
			else if (*fmt == '#')
				alt = true;
			else
				break;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		if (*fmt == '.') {
			fmt++;
			prec = 0;
			if (*fmt == '*') {
				prec = va_arg(ap, int);
				fmt++;
			}
			while (*fmt >= '0' && *fmt <= '9')
				prec = prec * 10 + (*fmt++ - '0');
		}
		for (; *fmt == 'l' || *fmt == 'z'; fmt++)
			lng++;

		switch (*fmt) {
		case 'd':
		case 'i': {
			s64 v = lng ? va_arg(ap, s64) : va_arg(ap, int);
			u64 mag = v < 0 ? -(u64)v : (u64)v;

			put_number(&o, mag, 10, false, v < 0, "", width,
				   zero_pad, left);
			break;
		}
		case 'u':
		case 'x':
		case 'X': {
			u64 v = lng ? va_arg(ap, u64) : va_arg(ap, unsigned int);

			/* C prints a bare 0 for %#x of zero. */
			put_number(&o, v, *fmt == 'u' ? 10 : 16, *fmt == 'X',
				   false, alt && *fmt != 'u' && v ? "0x" : "",
				   width, zero_pad, left);
			break;
		}
		case 'p':
			put_number(&o, (uintptr_t)va_arg(ap, void *), 16, false,
				   false, "0x", width, zero_pad, left);
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			int n, pad;

			if (!s)
				s = "(null)";
			for (n = 0; s[n] && (prec < 0 || n < prec); n++)
				;
			pad = width - n;
			if (!left)
				for (; pad > 0; pad--)
					put(&o, ' ');
			for (int i = 0; i < n; i++)
				put(&o, s[i]);
			if (left)
				for (; pad > 0; pad--)
					put(&o, ' ');
			break;
		}
		case 'c':
			put(&o, (char)va_arg(ap, int));
			break;
		case '%':
			put(&o, '%');
			break;
		case '\0':
			fmt--;
			break;
		default:
			put(&o, '%');
			put(&o, *fmt);
			break;
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int hv_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = hv_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
