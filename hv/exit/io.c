// SPDX-License-Identifier: MIT
/*
 * Port I/O: every port exits (the I/O bitmaps are all ones), and the tiny
 * device models live here.
 *
 *   0x3f8-0x3ff  COM1, a 16550 that transmits to the hypervisor console and
 *                is always ready (LSR = THRE | TEMT); nothing is received.
 *   0xf4         isa-debug-exit: a write ends the guest with that status.
 *   anything else reads as all ones, like an ISA bus with nothing on it;
 *   a write to it is dropped, and logged once per port.
 */
#define LOG_SUBSYS "io"
#include <lib/log.h>
#include <hv/vm.h>

#define COM1_BASE		0x3f8
#define DEBUG_EXIT_PORT		0xf4

#define UART_LCR_DLAB		0x80
#define UART_LSR_THRE		0x20
#define UART_LSR_TEMT		0x40
#define UART_IIR_NO_INT		0x01
#define UART_MSR_IDLE		0xb0	/* DCD | DSR | CTS */

static u32 uart_read(struct vm *vm, u16 reg)
{
	bool dlab = vm->uart_lcr & UART_LCR_DLAB;

	switch (reg) {
	case 0:
		return dlab ? vm->uart_dll : 0;
	case 1:
		return dlab ? vm->uart_dlm : vm->uart_ier;
	case 2:
		return UART_IIR_NO_INT;
	case 3:
		return vm->uart_lcr;
	case 4:
		return vm->uart_mcr;
	case 5:
		return UART_LSR_THRE | UART_LSR_TEMT;
	case 6:
		return UART_MSR_IDLE;
	default:
		return vm->uart_scr;
	}
}

static void uart_write(struct vm *vm, u16 reg, u8 val)
{
	bool dlab = vm->uart_lcr & UART_LCR_DLAB;
	char c = val;

	switch (reg) {
	case 0:
		if (dlab)
			vm->uart_dll = val;
		else
			vm_console_write(vm, &c, 1);
		break;
	case 1:
		if (dlab)
			vm->uart_dlm = val;
		else
			vm->uart_ier = val & 0x0f;
		break;
	case 3:
		vm->uart_lcr = val;
		break;
	case 4:
		vm->uart_mcr = val & 0x1f;
		break;
	case 7:
		vm->uart_scr = val;
		break;
	default:
		break;	/* FCR, LSR, MSR: nothing to model */
	}
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

void vcpu_handle_io(struct vcpu *vcpu, struct vmx_exit *exit)
{
	struct vm *vm = vcpu->vm;
	u16 port = exit->io.port;
	u8 size = exit->io.size;
	u64 *rax = &vcpu->vmx.gpr[GPR_RAX];
	u32 mask = size == 4 ? 0xffffffffu : (1u << (size * 8)) - 1;
	u32 val;

	if (exit->io.string) {
		vm_kill(vm, "io", "string I/O (INS/OUTS) to port %#x is not emulated\n",
			port);
		return;
	}

	if (exit->io.in) {
		if (port >= COM1_BASE && port < COM1_BASE + 8)
			val = uart_read(vm, port - COM1_BASE);
		else
			val = 0xffffffffu;
		val &= mask;
		/* SDM 1 3.4.1.1: a 32-bit result zero-extends into RAX. */
		if (size == 4)
			*rax = val;
		else
			*rax = (*rax & ~(u64)mask) | val;
	} else {
		val = *rax & mask;
		if (port >= COM1_BASE && port < COM1_BASE + 8)
			uart_write(vm, port - COM1_BASE, val);
		else if (port == DEBUG_EXIT_PORT)
			vm_exit_status(vm, val);
		else
			unknown_port_write(vm, port, val);
	}
	if (vm->state == VM_RUNNING)
		vmx_skip_instruction(exit->instr_len);
}
