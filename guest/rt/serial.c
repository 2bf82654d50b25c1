// SPDX-License-Identifier: MIT
/*
 * COM1 output.  The UART is deliberately not programmed (no divisor, no
 * LCR): firmware or QEMU leaves it usable, and Aperture emulates only THR
 * and LSR, so a divisor write to port 0x3f8 with DLAB set would be taken as
 * a character.
 */
#include "io.h"
#include "serial.h"

#define COM1_BASE	0x3f8
#define UART_THR	0	/* transmit holding register (write) */
#define UART_LSR	5	/* line status register (read) */
#define UART_LSR_THRE	0x20	/* THR empty: the next byte may be written */

/*
 * Bound the wait so that a UART that never reports THRE costs output, not
 * a hung test; the log then shows missing characters instead of nothing.
 */
#define THRE_SPINS	100000

void serial_putc(char c)
{
	unsigned int i;

	for (i = 0; i < THRE_SPINS; i++)
		if (inb(COM1_BASE + UART_LSR) & UART_LSR_THRE)
			break;
	outb(COM1_BASE + UART_THR, (u8)c);
}

void serial_write(const char *s, size_t len)
{
	while (len--)
		serial_putc(*s++);
}
