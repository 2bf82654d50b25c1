// SPDX-License-Identifier: MIT
/*
 * The newest-bytes ring that holds ConOut output while a guest runs
 * (lib/ringbuf.h): order kept across the wrap, overflow keeps the newest
 * bytes and counts the rest, the partial line an overflow leaves is
 * dropped and counted, and a random model check against "the last @size
 * bytes of everything written".
 */
#define UNIT_SUITE "ringbuf"
#include "unit.h"

#include <string.h>

#include <lib/ringbuf.h>

static char out[4096];
static size_t out_len;
static int out_calls;

static void sink(const char *s, size_t len)
{
	CHECK(out_len + len <= sizeof(out));
	if (out_len + len > sizeof(out))
		return;
	memcpy(out + out_len, s, len);
	out_len += len;
	out_calls++;
}

static void reset_out(void)
{
	out_len = 0;
	out_calls = 0;
	memset(out, 0, sizeof(out));
}

static void put(struct ringbuf *rb, const char *s)
{
	ringbuf_write(rb, s, strlen(s));
}

/* Takes the drop count and drains; checks both against the expectation. */
static void expect_flush(struct ringbuf *rb, u64 dropped, const char *want)
{
	reset_out();
	CHECK_EQ(ringbuf_take_dropped(rb), dropped);
	ringbuf_drain(rb, sink);
	CHECK_EQ(out_len, strlen(want));
	CHECK(out_len == strlen(want) && !memcmp(out, want, out_len));
	CHECK_EQ(ringbuf_len(rb), 0);
	CHECK_EQ(ringbuf_take_dropped(rb), 0);
}

static void test_order_kept(void)
{
	char mem[16];
	struct ringbuf rb;

	ringbuf_init(&rb, mem, sizeof(mem));
	put(&rb, "one\n");
	put(&rb, "two\n");
	CHECK_EQ(ringbuf_len(&rb), 8);
	expect_flush(&rb, 0, "one\ntwo\n");
	CHECK_EQ(out_calls, 1);

	/* Start at 8 after a drain resets to 0: fill, drain, wrap. */
	put(&rb, "0123456789\n");
	reset_out();
	ringbuf_drain(&rb, sink);
	put(&rb, "abcdefghijkl\n");	/* 13 bytes from index 0 */
	expect_flush(&rb, 0, "abcdefghijkl\n");
}

static void test_wrap_two_calls(void)
{
	char mem[8];
	struct ringbuf rb;

	ringbuf_init(&rb, mem, sizeof(mem));
	put(&rb, "ab\ncd\n");	/* 6 */
	put(&rb, "e\nf\n");	/* 4 more: "ab" lost, a line end follows */
	/* Two bytes lost, and the third (\n) ended that line: "ab\n" */
	expect_flush(&rb, 3, "cd\ne\nf\n");
	CHECK_EQ(out_calls, 2);
}

static void test_overflow_keeps_newest(void)
{
	char mem[10];
	struct ringbuf rb;

	ringbuf_init(&rb, mem, sizeof(mem));
	put(&rb, "aaaa\n");
	put(&rb, "bbbb\n");
	put(&rb, "cccc\n");	/* "aaaa\n" gives way whole */
	expect_flush(&rb, 5, "bbbb\ncccc\n");

	/* A cut in the middle of a line: its rest is dropped too. */
	put(&rb, "aaaa\n");
	put(&rb, "bbbb\n");
	put(&rb, "cc\n");	/* 13 bytes: "aaa" lost, "a\n" rest of line */
	expect_flush(&rb, 5, "bbbb\ncc\n");
}

static void test_overflow_no_newline(void)
{
	char mem[8];
	struct ringbuf rb;

	ringbuf_init(&rb, mem, sizeof(mem));
	put(&rb, "xxxxxxxxxxxx");	/* one long partial line */
	expect_flush(&rb, 12, "");
	/* The next line after a flush is whole again. */
	put(&rb, "ok\n");
	expect_flush(&rb, 0, "ok\n");
}

static void test_write_larger_than_ring(void)
{
	char mem[8];
	struct ringbuf rb;

	ringbuf_init(&rb, mem, sizeof(mem));
	put(&rb, "old\n");
	put(&rb, "0123456\nabcdefg\n");	/* 16 bytes: only the last 8 fit */
	expect_flush(&rb, 12, "abcdefg\n");

	/* Exactly the size, after a held partial line. */
	put(&rb, "par");
	put(&rb, "tial\nAB");	/* 10 > 8: "pa" lost, then "rtial\n" */
	expect_flush(&rb, 8, "AB");
	put(&rb, "x\n");
	put(&rb, "01234\n67");	/* exactly 8: the held "x\n" ended a line */
	expect_flush(&rb, 2, "01234\n67");
}

static void test_zero_size(void)
{
	struct ringbuf rb;

	ringbuf_init(&rb, NULL, 64);	/* no memory: size 0 */
	CHECK_EQ(rb.size, 0);
	put(&rb, "lost\n");
	put(&rb, "");
	put(&rb, "gone");
	CHECK_EQ(ringbuf_len(&rb), 0);
	expect_flush(&rb, 9, "");
	CHECK_EQ(out_calls, 0);
}

/* xorshift: a fixed sequence, so a failure reproduces. */
static u64 rng = 0x9e3779b97f4a7c15ull;

static u64 rnd(u64 n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng % n;
}

/*
 * Model: everything written since the last flush is W; the ring holds its
 * last @size bytes; if that cut a line (the byte before is not '\n'), the
 * flush also drops through the first '\n' held.
 */
static void test_model(void)
{
	static char mem[64], w[1024], chunk[80];
	struct ringbuf rb;

	for (int round = 0; round < 2000; round++) {
		size_t size = rnd(sizeof(mem) + 1), wl = 0;
		int writes = (int)rnd(12);

		ringbuf_init(&rb, size ? mem : NULL, size);
		for (int cycle = 0; cycle < 3; cycle++) {
			size_t held, skip = 0;

			wl = 0;
			for (int i = 0; i < writes; i++) {
				size_t n = rnd(sizeof(chunk));

				for (size_t j = 0; j < n; j++)
					chunk[j] = "ab\n"[rnd(3)];
				ringbuf_write(&rb, chunk, n);
				memcpy(w + wl, chunk, n);
				wl += n;
			}
			held = MIN(wl, size);
			if (wl > size && w[wl - size - 1] != '\n') {
				while (skip < held && w[wl - held + skip] != '\n')
					skip++;
				skip = MIN(skip + 1, held);
			}
			CHECK_EQ(ringbuf_len(&rb), held);
			w[wl] = 0;
			reset_out();
			CHECK_EQ(ringbuf_take_dropped(&rb), wl - held + skip);
			ringbuf_drain(&rb, sink);
			CHECK_EQ(out_len, held - skip);
			CHECK(!memcmp(out, w + wl - held + skip, held - skip));
			if (unit_case_failed) {
				fprintf(stderr, "  round %d cycle %d size %zu\n",
					round, cycle, size);
				return;
			}
		}
	}
}

int main(void)
{
	RUN(test_order_kept);
	RUN(test_wrap_two_calls);
	RUN(test_overflow_keeps_newest);
	RUN(test_overflow_no_newline);
	RUN(test_write_larger_than_ring);
	RUN(test_zero_size);
	RUN(test_model);
	return unit_done();
}
