/* SPDX-License-Identifier: MIT */
/*
 * A byte ring that keeps the newest bytes: text held back while it cannot
 * be written (boot/console.c holds ConOut output while a guest's state is
 * live in the CPU) and written out later in the order it came.
 *
 * When a write does not fit, the oldest bytes make room and are counted.
 * A log's last lines say why a guest ended, so they are the ones worth
 * keeping.  ringbuf_take_dropped() then also drops what is left of the
 * first, partly overwritten line, so that the output resumes at a line
 * start, and tells the caller how much was lost for the one line it
 * prints before the rest.
 *
 * The memory is the caller's, given once; nothing here allocates, so the
 * ring can be used where no allocator (and no firmware) may be called.
 * Not thread-safe: the hypervisor has one CPU.
 */
#ifndef LIB_RINGBUF_H
#define LIB_RINGBUF_H

#include <lib/types.h>

struct ringbuf {
	char *buf;
	size_t size;	/* bytes of buf; 0: every write is dropped */
	size_t start;	/* index of the oldest byte held */
	size_t len;	/* bytes held */
	u64 dropped;	/* bytes lost since the last ringbuf_take_dropped() */
	bool cut;	/* the oldest byte held is not at a line start */
};

void ringbuf_init(struct ringbuf *rb, void *mem, size_t size);

/* Appends @len bytes; the oldest bytes give way if they do not fit. */
void ringbuf_write(struct ringbuf *rb, const char *s, size_t len);

/* Bytes held. */
static inline size_t ringbuf_len(const struct ringbuf *rb)
{
	return rb->len;
}

/*
 * Returns the bytes lost to overflow since the last call, counting in
 * them the partial line that an overflow left at the front (everything up
 * to and including its '\n'; all of it when it has none), and resets the
 * count.  Call it before ringbuf_drain() to report the loss first.
 */
u64 ringbuf_take_dropped(struct ringbuf *rb);

/*
 * Passes every byte held to @out, oldest first, in at most two calls, and
 * empties the ring; the next byte written counts as a line start.
 */
void ringbuf_drain(struct ringbuf *rb, void (*out)(const char *s, size_t len));

#endif /* LIB_RINGBUF_H */
