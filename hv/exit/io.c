// SPDX-License-Identifier: MIT
/*
 * Port I/O: every port exits (the I/O bitmaps are all ones) and is routed
 * here.
 *
 *   0x3f8-0x3ff  COM1 (hv/dev/uart.c).
 *   0xf4         isa-debug-exit: a write ends the guest with that status.
 *   anything else reads as all ones, like an ISA bus with nothing on it;
 *   a write to it is dropped, and logged once per port.
 */
#define LOG_SUBSYS "io"
#include <lib/log.h>
#include <hv/exit/handlers.h>
#include <hv/vm.h>

#define DEBUG_EXIT_PORT		0xf4

static bool is_com1(u32 port)
{
	return port >= UART_COM1_BASE && port < UART_COM1_BASE + UART_NR_REGS;
}

static void unknown_port_write(struct vm *vm, u32 port, u8 val)
{
	u64 bit = BIT(port % 64);

	if (port > 0xffff || (vm->ports_logged[port / 64] & bit))
		return;
	vm->ports_logged[port / 64] |= bit;
	log_info("guest %s: write %#x to unassigned port %#x dropped\n",
		 vm->cfg->name, val, port);
}

/*
 * The ISA bus is 8 bits wide: a wider access reaches port, port + 1, ...,
 * one byte lane each, and a lane with nothing behind it floats high.  An
 * access may run past 0xffff, where nothing answers (SDM 1 18.3).
 */
static u8 port_read8(struct vm *vm, u32 port)
{
	if (is_com1(port))
		return uart_read(&vm->com1, port - UART_COM1_BASE);
	return 0xff;
}

static void port_write8(struct vm *vm, u32 port, u8 val)
{
	if (is_com1(port))
		uart_write(&vm->com1, port - UART_COM1_BASE, val);
	else
		unknown_port_write(vm, port, val);
}

struct exit_action handle_io(struct vcpu *vcpu, const struct vmx_exit *exit)
{
	struct vm *vm = vcpu->vm;
	u16 port = exit->io.port;
	u8 size = exit->io.size;
	u64 *rax = &vcpu->vmx.gpr[GPR_RAX];
	u32 mask = size == 4 ? 0xffffffffu : (1u << (size * 8)) - 1;
	u32 val = 0;

	if (exit->io.string)
		return act_kill("io", "string I/O (INS/OUTS) to port %#x is not emulated\n",
				port);

	if (exit->io.in) {
		for (u32 i = 0; i < size; i++)
			val |= (u32)port_read8(vm, (u32)port + i) << (8 * i);
		/* SDM 1 3.4.1.1: a 32-bit result zero-extends into RAX. */
		if (size == 4)
			*rax = val;
		else
			*rax = (*rax & ~(u64)mask) | val;
		return act_skip(exit->instr_len);
	}

	val = *rax & mask;
	/* isa-debug-exit decodes the whole access, as QEMU's does. */
	if (port == DEBUG_EXIT_PORT)
		return act_exit_status(val);
	for (u32 i = 0; i < size; i++)
		port_write8(vm, (u32)port + i, val >> (8 * i));
	return act_skip(exit->instr_len);
}
