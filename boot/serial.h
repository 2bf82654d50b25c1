/* SPDX-License-Identifier: MIT */
/*
 * COM1 (16550 UART at I/O port 0x3f8), polled output only.  Port I/O and
 * nothing else: safe while a guest's state is live in the CPU.  Every wait
 * for the transmitter is bounded (serial.c); a UART that never drains is
 * given up on and its output dropped.
 */
#ifndef BOOT_SERIAL_H
#define BOOT_SERIAL_H

#include <lib/types.h>

/* Programs 115200 baud, 8N1, FIFOs enabled, interrupts off. */
void serial_init(void);
void serial_write(const char *s, size_t len);
/* Waits until the last byte has left the shift register. */
void serial_drain(void);

#endif /* BOOT_SERIAL_H */
