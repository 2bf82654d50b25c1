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

static bool is_com1(u16 port)
{
	return port >= UART_COM1_BASE && port < UART_COM1_BASE + UART_NR_REGS;
}

static void unknown_port_write(struct vm *vm, u16 port, u32 val)
{
	u64 bit = BIT(port % 64);

	if (vm->ports_logged[port / 64] & bit)
		return;
	vm->ports_logged[port / 64] |= bit;
	log_info("guest %s: write %#x to unassigned port %#x dropped\n",
		 vm->cfg->name, val, port);
}

struct exit_action handle_io(struct vcpu *vcpu, const struct vmx_exit *exit)
{
	struct vm *vm = vcpu->vm;
	u16 port = exit->io.port;
	u8 size = exit->io.size;
	u64 *rax = &vcpu->vmx.gpr[GPR_RAX];
	u32 mask = size == 4 ? 0xffffffffu : (1u << (size * 8)) - 1;
	u32 val;

	if (exit->io.string)
		return act_kill("io", "string I/O (INS/OUTS) to port %#x is not emulated\n",
				port);

	if (exit->io.in) {
		val = is_com1(port) ? uart_read(&vm->com1, port - UART_COM1_BASE) :
				      0xffffffffu;
		val &= mask;
		/* SDM 1 3.4.1.1: a 32-bit result zero-extends into RAX. */
		if (size == 4)
			*rax = val;
		else
			*rax = (*rax & ~(u64)mask) | val;
	} else {
		val = *rax & mask;
		if (is_com1(port))
			uart_write(&vm->com1, port - UART_COM1_BASE, val);
		else if (port == DEBUG_EXIT_PORT)
			return act_exit_status(val);
		else
			unknown_port_write(vm, port, val);
	}
	return act_skip(exit->instr_len);
}
