// SPDX-License-Identifier: MIT
/*
 * The 16550 register file (National Semiconductor PC16550D data sheet,
 * table II): the divisor latch behind LCR.DLAB, IER, LCR, MCR, the scratch
 * register, and status registers that always say "ready to transmit".
 */
#include <lib/string.h>
#include <hv/dev/uart.h>

enum uart_reg {
	UART_RBR_THR_DLL,	/* receive / transmit; DLL with DLAB */
	UART_IER_DLM,		/* interrupt enable; DLM with DLAB */
	UART_IIR_FCR,		/* interrupt id (read), FIFO control (write) */
	UART_LCR,
	UART_MCR,
	UART_LSR,
	UART_MSR,
	UART_SCR,
};

#define UART_LCR_DLAB		0x80
#define UART_IER_MASK		0x0f	/* bits 7:4 read as zero */
#define UART_MCR_MASK		0x1f	/* bits 7:5 read as zero */
#define UART_LSR_THRE		0x20
#define UART_LSR_TEMT		0x40
#define UART_IIR_NO_INT		0x01
#define UART_MSR_IDLE		0xb0	/* DCD | DSR | CTS */

void uart_init(struct uart16550 *u, void (*tx)(void *ctx, char c), void *ctx)
{
	memset(u, 0, sizeof(*u));
	u->tx = tx;
	u->ctx = ctx;
}

u8 uart_read(struct uart16550 *u, u16 reg)
{
	bool dlab = u->lcr & UART_LCR_DLAB;

	switch (reg) {
	case UART_RBR_THR_DLL:
		return dlab ? u->dll : 0;	/* nothing is ever received */
	case UART_IER_DLM:
		return dlab ? u->dlm : u->ier;
	case UART_IIR_FCR:
		return UART_IIR_NO_INT;
	case UART_LCR:
		return u->lcr;
	case UART_MCR:
		return u->mcr;
	case UART_LSR:
		return UART_LSR_THRE | UART_LSR_TEMT;
	case UART_MSR:
		return UART_MSR_IDLE;
	default:
		return u->scr;
	}
}

void uart_write(struct uart16550 *u, u16 reg, u8 val)
{
	bool dlab = u->lcr & UART_LCR_DLAB;

	switch (reg) {
	case UART_RBR_THR_DLL:
		if (dlab)
			u->dll = val;
		else
			u->tx(u->ctx, (char)val);
		break;
	case UART_IER_DLM:
		if (dlab)
			u->dlm = val;
		else
			u->ier = val & UART_IER_MASK;
		break;
	case UART_LCR:
		u->lcr = val;
		break;
	case UART_MCR:
		u->mcr = val & UART_MCR_MASK;
		break;
	case UART_SCR:
		u->scr = val;
		break;
	default:
		break;	/* FCR, LSR, MSR: nothing to model */
	}
}
