// SPDX-License-Identifier: MIT
/*
 * The 16550 register model (hv/dev/uart.c) on its own, against the
 * PC16550D data sheet's register table: what a driver reads back, and
 * what reaches the transmit callback.
 */
#define UNIT_SUITE "uart"
#include "unit.h"

#include <lib/string.h>
#include <hv/dev/uart.h>

enum { RBR_THR, IER, IIR, LCR, MCR, LSR, MSR, SCR };

static char sent[64];
static unsigned int nr_sent;
static void *sent_ctx;

static void tx(void *ctx, char c)
{
	sent_ctx = ctx;
	if (nr_sent < sizeof(sent))
		sent[nr_sent] = c;
	nr_sent++;
}

static struct uart16550 u;
static int ctx_token;

static void setup(void)
{
	memset(sent, 0, sizeof(sent));
	nr_sent = 0;
	sent_ctx = NULL;
	uart_init(&u, tx, &ctx_token);
}

static void test_reset_state(void)
{
	setup();
	CHECK_EQ(uart_read(&u, IER), 0);
	CHECK_EQ(uart_read(&u, LCR), 0);
	CHECK_EQ(uart_read(&u, MCR), 0);
	CHECK_EQ(uart_read(&u, SCR), 0);
	CHECK_EQ(uart_read(&u, RBR_THR), 0);
	CHECK_EQ(nr_sent, 0);
}

static void test_ier_bits_7_4_read_as_zero(void)
{
	setup();
	uart_write(&u, IER, 0xff);
	CHECK_EQ(uart_read(&u, IER), 0x0f);
	uart_write(&u, IER, 0xa5);
	CHECK_EQ(uart_read(&u, IER), 0x05);
}

static void test_mcr_bits_7_5_read_as_zero(void)
{
	setup();
	uart_write(&u, MCR, 0xff);
	CHECK_EQ(uart_read(&u, MCR), 0x1f);
	uart_write(&u, MCR, 0x0b);	/* DTR | RTS | OUT2 */
	CHECK_EQ(uart_read(&u, MCR), 0x0b);
}

static void test_iir_says_no_interrupt_pending(void)
{
	setup();
	CHECK_EQ(uart_read(&u, IIR), 0x01);
	uart_write(&u, IER, 0x02);	/* THRE interrupt: none is raised */
	CHECK_EQ(uart_read(&u, IIR), 0x01);
	uart_write(&u, IIR, 0xc7);	/* FCR: FIFOs not modelled */
	CHECK_EQ(uart_read(&u, IIR), 0x01);
}

static void test_lsr_and_msr_are_idle(void)
{
	setup();
	CHECK_EQ(uart_read(&u, LSR), 0x60);	/* THRE | TEMT */
	uart_write(&u, LSR, 0x00);		/* read-only */
	CHECK_EQ(uart_read(&u, LSR), 0x60);
	CHECK_EQ(uart_read(&u, MSR), 0xb0);	/* DCD | DSR | CTS */
}

static void test_thr_bytes_reach_tx_callback(void)
{
	setup();
	uart_write(&u, RBR_THR, 'o');
	uart_write(&u, RBR_THR, 'k');
	uart_write(&u, RBR_THR, 0);
	CHECK_EQ(nr_sent, 3);
	CHECK(!memcmp(sent, "ok\0", 3));
	CHECK(sent_ctx == &ctx_token);
}

static void test_dlab_switches_to_divisor_latch(void)
{
	setup();
	uart_write(&u, IER, 0x03);
	uart_write(&u, LCR, 0x80);
	uart_write(&u, RBR_THR, 0x0c);	/* DLL: 9600 baud, nothing sent */
	uart_write(&u, IER, 0xf0);	/* DLM: all 8 bits kept */
	CHECK_EQ(nr_sent, 0);
	CHECK_EQ(uart_read(&u, RBR_THR), 0x0c);
	CHECK_EQ(uart_read(&u, IER), 0xf0);
	CHECK_EQ(uart_read(&u, LCR), 0x80);
	uart_write(&u, LCR, 0x03);
	CHECK_EQ(uart_read(&u, IER), 0x03);	/* IER was kept */
	CHECK_EQ(uart_read(&u, RBR_THR), 0);
	uart_write(&u, RBR_THR, 'x');
	CHECK_EQ(nr_sent, 1);
	CHECK_EQ(sent[0], 'x');
	uart_write(&u, LCR, 0x83);
	CHECK_EQ(uart_read(&u, RBR_THR), 0x0c);	/* DLL was kept */
}

static void test_scratch_register_holds_any_byte(void)
{
	setup();
	for (unsigned int v = 0; v < 256; v += 51) {
		uart_write(&u, SCR, v);
		CHECK_EQ(uart_read(&u, SCR), v);
	}
}

int main(void)
{
	RUN(test_reset_state);
	RUN(test_ier_bits_7_4_read_as_zero);
	RUN(test_mcr_bits_7_5_read_as_zero);
	RUN(test_iir_says_no_interrupt_pending);
	RUN(test_lsr_and_msr_are_idle);
	RUN(test_thr_bytes_reach_tx_callback);
	RUN(test_dlab_switches_to_divisor_latch);
	RUN(test_scratch_register_holds_any_byte);
	return unit_done();
}
