// SPDX-License-Identifier: MIT
#include "printf.h"
#include "serial.h"

/* Output goes through a sink so one formatter serves buffers and COM1. */
struct sink {
	bool serial;		/* write to COM1 rather than buf */
	char *buf;
	size_t size;
	size_t len;		/* characters produced so far */
};

static void emit(struct sink *s, char c)
{
	if (s->serial)
		serial_putc(c);
	else if (s->len + 1 < s->size)
		s->buf[s->len] = c;
	s->len++;
}

/*
 * Divide by 10 in 16-bit steps so that each partial dividend fits in 32
 * bits: 64-bit division would need libgcc's __udivdi3, which guests do not
 * link.
 */
static unsigned int divmod10(u64 *v)
{
	u32 rem = 0;
	u64 q = 0;
	int shift;

	for (shift = 48; shift >= 0; shift -= 16) {
		u32 cur = (rem << 16) | (u32)((*v >> shift) & 0xffff);

		q |= (u64)(cur / 10) << shift;
		rem = cur % 10;
	}
	*v = q;
	return rem;
}

struct spec {
	bool zero_pad;
	bool alt;
	unsigned int width;
};

static void emit_padded(struct sink *s, const struct spec *sp,
			const char *prefix, const char *digits, size_t ndigits)
{
	size_t plen = 0, n;

	while (prefix[plen])
		plen++;
	n = plen + ndigits;
	if (!sp->zero_pad)
		for (; n < sp->width; n++)
			emit(s, ' ');
	while (*prefix)
		emit(s, *prefix++);
	if (sp->zero_pad)
		for (; n < sp->width; n++)
			emit(s, '0');
	while (ndigits--)
		emit(s, digits[ndigits]);	/* stored least significant first */
}

static void emit_number(struct sink *s, const struct spec *sp, u64 v,
			bool negative, unsigned int base)
{
	char digits[20];	/* 2^64 has 20 decimal digits */
	size_t n = 0;
	const char *prefix = negative ? "-" : (sp->alt && base == 16 ? "0x" : "");

	do {
		unsigned int d;

		if (base == 16) {
			d = v & 0xf;
			v >>= 4;
		} else {
			d = divmod10(&v);
		}
		digits[n++] = "0123456789abcdef"[d];
	} while (v);
	emit_padded(s, sp, prefix, digits, n);
}

static void format(struct sink *s, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		struct spec sp = { 0 };
		unsigned int lng = 0;
		const char *str;
		u64 u;
		s64 d;

		if (*fmt != '%') {
			emit(s, *fmt);
			continue;
		}
		for (fmt++; *fmt == '0' || *fmt == '#'; fmt++) {
			if (*fmt == '0')
				sp.zero_pad = true;
			else
				sp.alt = true;
		}
		for (; *fmt >= '0' && *fmt <= '9'; fmt++)
			sp.width = sp.width * 10 + (unsigned int)(*fmt - '0');
		for (; *fmt == 'l'; fmt++)
			lng++;

		switch (*fmt) {
		case 'd':
		case 'i':
			if (lng >= 2)
				d = va_arg(ap, long long);
			else if (lng == 1)
				d = va_arg(ap, long);
			else
				d = va_arg(ap, int);
			u = d < 0 ? -(u64)d : (u64)d;
			emit_number(s, &sp, u, d < 0, 10);
			break;
		case 'u':
		case 'x':
			if (lng >= 2)
				u = va_arg(ap, unsigned long long);
			else if (lng == 1)
				u = va_arg(ap, unsigned long);
			else
				u = va_arg(ap, unsigned int);
			emit_number(s, &sp, u, false, *fmt == 'x' ? 16 : 10);
			break;
		case 'p':
			sp.alt = true;
			sp.zero_pad = true;
			sp.width = 2 + 2 * sizeof(void *);
			u = (uintptr_t)va_arg(ap, void *);
			emit_number(s, &sp, u, false, 16);
			break;
		case 'c':
			emit(s, (char)va_arg(ap, int));
			break;
		case 's':
			str = va_arg(ap, const char *);
			if (!str)
				str = "(null)";
			while (*str)
				emit(s, *str++);
			break;
		case '%':
			emit(s, '%');
			break;
		default:
			/* Unknown conversion: show it rather than guess. */
			emit(s, '%');
			if (!*fmt)
				return;
			emit(s, *fmt);
			break;
		}
	}
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct sink s = { .buf = buf, .size = size };

	format(&s, fmt, ap);
	if (size)
		buf[s.len < size ? s.len : size - 1] = '\0';
	return (int)s.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int vprintf(const char *fmt, va_list ap)
{
	struct sink s = { .serial = true };

	format(&s, fmt, ap);
	return (int)s.len;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}
