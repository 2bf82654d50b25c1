// SPDX-License-Identifier: MIT
/*
 * Minimal formatted output for boot/ (see fmt.h).  The core has its own
 * logging; boot/ needs only enough to report sizes, addresses and status
 * codes before and after the core runs.
 */
#include <boot/fmt.h>

struct out {
	char *buf;
	size_t cap;
	size_t len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->cap)
		o->buf[o->len] = c;
	o->len++;
}

static void put_num(struct out *o, u64 v, unsigned int base, bool neg,
		    unsigned int width, char pad)
{
	char digits[20];
	unsigned int n = 0;

	do {
		digits[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg && pad == '0')
		put(o, '-');
	for (; width > n + neg; width--)
		put(o, pad);
	if (neg && pad != '0')
		put(o, '-');
	while (n)
		put(o, digits[--n]);
}

/* Reads an argument of the size the length modifier announced. */
static u64 get_unsigned(va_list *ap, int lng)
{
	if (lng >= 1)
		return va_arg(*ap, unsigned long long);
	return va_arg(*ap, unsigned int);
}

static s64 get_signed(va_list *ap, int lng)
{
	if (lng >= 1)
		return va_arg(*ap, long long);
	return va_arg(*ap, int);
}

size_t boot_vsnprintf(char *buf, size_t cap, const char *fmt, va_list args)
{
	struct out o = { buf, cap, 0 };
	va_list ap;

	va_copy(ap, args);
	for (; *fmt; fmt++) {
		const char *spec = fmt;
		unsigned int width = 0;
		char pad = ' ';
		int lng = 0;

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		fmt++;
		if (*fmt == '0') {
			pad = '0';
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (unsigned int)(*fmt++ - '0');
		/* long and size_t are 64-bit on both x86-64 ABIs we build for. */
		while (*fmt == 'l' || *fmt == 'z') {
			lng++;
			fmt++;
		}

		switch (*fmt) {
		case '%':
			put(&o, '%');
			break;
		case 'c':
			put(&o, (char)va_arg(ap, int));
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			size_t n = 0;

			if (!s)
				s = "(null)";
			while (s[n])
				n++;
			for (; width > n; width--)
				put(&o, ' ');
			while (*s)
				put(&o, *s++);
			break;
		}
		case 'd': {
			s64 v = get_signed(&ap, lng);

			put_num(&o, v < 0 ? -(u64)v : (u64)v, 10, v < 0,
				width, pad);
			break;
		}
		case 'u':
		case 'x':
			put_num(&o, get_unsigned(&ap, lng), *fmt == 'u' ? 10 : 16,
				false, width, pad);
			break;
		case 'p':
			put(&o, '0');
			put(&o, 'x');
			put_num(&o, (u64)(uintptr_t)va_arg(ap, void *), 16, false,
				width, pad);
			break;
		default:
			/* Unknown conversion: show it as written. */
			for (; spec <= fmt && *spec; spec++)
				put(&o, *spec);
			if (!*fmt)
				fmt--;
			break;
		}
	}
	va_end(ap);
	if (cap)
		buf[o.len < cap ? o.len : cap - 1] = '\0';
	return o.len;
}

size_t boot_snprintf(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = boot_vsnprintf(buf, cap, fmt, ap);
	va_end(ap);
	return n;
}
