// SPDX-License-Identifier: MIT
/* The newest-bytes ring (ringbuf.h). */
#include <lib/ringbuf.h>
#include <lib/string.h>

void ringbuf_init(struct ringbuf *rb, void *mem, size_t size)
{
	*rb = (struct ringbuf){ .buf = mem, .size = mem ? size : 0 };
}

/*
 * Forgets the @n oldest bytes held, as lost.  What is left starts a line
 * only if the last byte lost ended one.
 */
static void drop_oldest(struct ringbuf *rb, size_t n)
{
	rb->cut = rb->buf[(rb->start + n - 1) % rb->size] != '\n';
	rb->start = (rb->start + n) % rb->size;
	rb->len -= n;
	rb->dropped += n;
}

void ringbuf_write(struct ringbuf *rb, const char *s, size_t len)
{
	size_t end, first;

	if (!len)
		return;
	if (len >= rb->size) {
		/* Only the tail fits: all that is held and the head are lost. */
		size_t lost = len - rb->size;

		if (rb->len)
			drop_oldest(rb, rb->len);
		if (lost) {
			rb->dropped += lost;
			rb->cut = s[lost - 1] != '\n';
		}
		rb->start = 0;
		s += lost;
		len = rb->size;
		if (!len)
			return;
	} else if (rb->len + len > rb->size) {
		drop_oldest(rb, rb->len + len - rb->size);
	}

	end = (rb->start + rb->len) % rb->size;
	first = MIN(len, rb->size - end);
	memcpy(rb->buf + end, s, first);
	memcpy(rb->buf, s + first, len - first);
	rb->len += len;
}

u64 ringbuf_take_dropped(struct ringbuf *rb)
{
	u64 n;

	if (rb->cut) {
		size_t i;

		/* Up to and including the first '\n', or everything. */
		for (i = 0; i < rb->len; i++)
			if (rb->buf[(rb->start + i) % rb->size] == '\n')
				break;
		i = MIN(i + 1, rb->len);
		rb->start = rb->len > i ? (rb->start + i) % rb->size : 0;
		rb->len -= i;
		rb->dropped += i;
		/*
		 * Whatever of that line is still to come starts a line of
		 * its own: the caller has printed the loss in between.
		 */
		rb->cut = false;
	}
	n = rb->dropped;
	rb->dropped = 0;
	return n;
}

void ringbuf_drain(struct ringbuf *rb, void (*out)(const char *s, size_t len))
{
	size_t first;

	if (!rb->len)
		return;
	first = MIN(rb->len, rb->size - rb->start);
	out(rb->buf + rb->start, first);
	if (rb->len > first)
		out(rb->buf, rb->len - first);
	rb->start = 0;
	rb->len = 0;
	rb->cut = false;
}
