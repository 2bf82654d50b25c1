// SPDX-License-Identifier: MIT
/*
 * Polled 16550 driver for COM1.  Register layout and LSR bits are those of
 * the PC16550D data sheet (the same in every PC-compatible UART).
 *
 * Port I/O only, never the firmware: serial_write() runs while a guest's
 * state is live in the CPU (boot/console.h), and it keeps interrupts as
 * they are.
 */
#include <boot/io.h>
#include <boot/serial.h>

#define COM1		0x3f8
#define UART_THR	0	/* transmit holding (DLAB=0) */
#define UART_DLL	0	/* divisor latch low (DLAB=1) */
#define UART_IER	1	/* interrupt enable (DLAB=0) */
#define UART_DLM	1	/* divisor latch high (DLAB=1) */
#define UART_FCR	2	/* FIFO control */
#define UART_LCR	3	/* line control */
#define UART_MCR	4	/* modem control */
#define UART_LSR	5	/* line status */

#define LCR_8N1		0x03
#define LCR_DLAB	0x80
#define FCR_ENABLE	0x01
#define FCR_CLEAR	0x06	/* clear receive and transmit FIFOs */
#define MCR_DTR_RTS	0x03
#define LSR_THRE	BIT(5)	/* holding register empty: room for a byte */
#define LSR_TEMT	BIT(6)	/* holding and shift registers both empty */

/* 1.8432 MHz / 16 / 115200 */
#define BAUD_DIVISOR	1

/*
 * A missing UART reads back 0xff, which has both LSR bits set, so the waits
 * end at once.  The bound only guards against a device that answers but
 * never drains; at roughly 1 us per port read it is about a second.  After
 * one such wait the port counts as stuck and later bytes are dropped
 * without waiting, so that a broken UART cannot stall every exit that
 * logs; serial_init() tries again.
 */
#define SPIN_LIMIT	1000000

static bool stuck;

static void wait_lsr(u8 bit)
{
	unsigned int i;

	if (stuck)
		return;
	for (i = 0; i < SPIN_LIMIT; i++)
		if (inb(COM1 + UART_LSR) & bit)
			return;
	stuck = true;
}

void serial_drain(void)
{
	wait_lsr(LSR_TEMT);
}

void serial_init(void)
{
	stuck = false;
	/* The firmware may still be sending; clearing the FIFO would cut it. */
	serial_drain();
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, LCR_DLAB);
	outb(COM1 + UART_DLL, BAUD_DIVISOR & 0xff);
	outb(COM1 + UART_DLM, BAUD_DIVISOR >> 8);
	outb(COM1 + UART_LCR, LCR_8N1);
	outb(COM1 + UART_FCR, FCR_ENABLE | FCR_CLEAR);
	outb(COM1 + UART_MCR, MCR_DTR_RTS);
	/* A transmitter the FIFO reset brought back gets its chance. */
	stuck = false;
}

static void serial_putc(char c)
{
	wait_lsr(LSR_THRE);
	if (!stuck)
		outb(COM1 + UART_THR, (u8)c);
}

void serial_write(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
	}
}
