// SPDX-License-Identifier: MIT
/*
 * Ports with no device behind them read as all ones, like an undriven ISA
 * bus, and writes to them are dropped.  0x2f8 (COM2) is not emulated.
 */
#include "io.h"
#include "test.h"

#define UNUSED_PORT	0x2f8

int main(void)
{
	u8 b;
	u16 w;
	u32 l;

	test_init("ioport");
	b = inb(UNUSED_PORT);
	report(b == 0xff, "inb_all_ones (%#x)", b);
	w = inw(UNUSED_PORT);
	report(w == 0xffff, "inw_all_ones (%#x)", w);
	l = inl(UNUSED_PORT);
	report(l == 0xffffffff, "inl_all_ones (%#x)", l);

	outb(UNUSED_PORT, 0x55);
	outw(UNUSED_PORT, 0x55aa);
	outl(UNUSED_PORT, 0x55aa55aa);
	b = inb(UNUSED_PORT);
	report(b == 0xff, "out_dropped (%#x)", b);
	test_exit();
}
