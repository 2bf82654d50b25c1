/* SPDX-License-Identifier: MIT */
/*
 * COM1 as a 16550: registers a driver probes and programs, a transmitter
 * that is always ready and hands each byte to the VM's console.  Nothing is
 * received and no interrupt is raised yet (there is no interrupt
 * controller to raise it on).
 */
#ifndef HV_DEV_UART_H
#define HV_DEV_UART_H

#include <lib/types.h>

#define UART_COM1_BASE		0x3f8
#define UART_NR_REGS		8

struct uart16550 {
	u8 lcr, ier, mcr, scr, dll, dlm;
	/* Where transmitted bytes go. */
	void (*tx)(void *ctx, char c);
	void *ctx;
};

void uart_init(struct uart16550 *u, void (*tx)(void *ctx, char c),
	       void *ctx);

/* Register @reg (0-7, from the base port) as the driver reads it. */
u8 uart_read(struct uart16550 *u, u16 reg);
void uart_write(struct uart16550 *u, u16 reg, u8 val);

#endif /* HV_DEV_UART_H */
