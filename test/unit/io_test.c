// SPDX-License-Identifier: MIT
/*
 * Port I/O exits (hv/exit/io.c) through exit_handle() and exit_apply():
 * the empty ISA bus, isa-debug-exit at 0xf4, COM1 as the guest's console,
 * and what is refused.
 */
#define UNIT_SUITE "io"
#include "unit.h"

#include <lib/string.h>
#include <lib/x86.h>
#include <hv/exit/exit.h>
#include <hv/vm.h>
#include "../fake/fake.h"

#define RIP0		0x100000ull
#define COM1		0x3f8

static struct vm *vm;
static struct vcpu *vcpu;
static u64 *rax;

static void setup(void)
{
	vm = fake_guest_create();
	vcpu = &vm->vcpu;
	rax = &vcpu->vmx.gpr[GPR_RAX];
}

static void teardown(void)
{
	fake_vm_destroy(vm);
}

static struct exit_action port_io(u16 port, u8 size, bool in)
{
	struct vmx_exit e = {
		.kind = VMX_EXIT_IO, .instr_len = 1,
		.io = { .port = port, .size = size, .in = in },
	};

	return fake_exit(vcpu, &e);
}

static u8 inb(u16 port)
{
	port_io(port, 1, true);
	return *rax & 0xff;
}

static void outb(u16 port, u8 val)
{
	*rax = val;
	port_io(port, 1, false);
}

static void test_in_from_unassigned_port_reads_all_ones(void)
{
	struct exit_action act;

	setup();
	*rax = 0x1122334455667788ull;
	act = port_io(0x80, 1, true);
	CHECK_EQ(act.kind, EXIT_SKIP);
	CHECK_EQ(act.len, 1);
	CHECK_EQ(*rax, 0x11223344556677ffull);	/* AL only */
	CHECK_EQ(fake_vmx.reg[VMX_REG_RIP], RIP0 + 1);

	*rax = 0x1122334455667788ull;
	port_io(0x1234, 2, true);
	CHECK_EQ(*rax, 0x112233445566ffffull);	/* AX only */

	*rax = 0x1122334455667788ull;
	port_io(0xcfc, 4, true);
	CHECK_EQ(*rax, 0xffffffffull);		/* EAX, zero-extended */
	CHECK_EQ(fake_vmx.skips, 3);
	teardown();
}

static void test_out_to_debug_exit_port_ends_with_status(void)
{
	struct exit_action act;

	setup();
	*rax = 0xabcd0031;
	act = port_io(0xf4, 1, false);
	CHECK_EQ(act.kind, EXIT_END);
	CHECK_EQ(act.end.kind, END_EXIT_STATUS);
	CHECK_EQ(act.end.status, 0x31);		/* the byte written */
	CHECK_EQ(vm->state, VM_EXITED);
	CHECK_EQ(vm->exit_status, 0x31);
	CHECK_EQ(fake_vmx.skips, 0);
	teardown();

	setup();
	*rax = 0xffffffff12345678ull;
	act = port_io(0xf4, 4, false);
	CHECK_EQ(act.end.status, 0x12345678);
	teardown();
}

static void test_com1_dlab_selects_divisor_latch(void)
{
	setup();
	outb(COM1 + 3, 0x83);		/* DLAB, 8N1 */
	outb(COM1 + 0, 0x01);		/* 115200 baud */
	outb(COM1 + 1, 0x02);
	CHECK_EQ(inb(COM1 + 0), 0x01);
	CHECK_EQ(inb(COM1 + 1), 0x02);
	CHECK_EQ(inb(COM1 + 3), 0x83);
	CHECK_EQ(vm->line_len, 0);	/* the DLL write sent nothing */
	outb(COM1 + 3, 0x03);
	CHECK_EQ(inb(COM1 + 1), 0);	/* IER, not DLM */
	CHECK_EQ(inb(COM1 + 0), 0);	/* RBR: nothing received */
	outb(COM1 + 1, 0x05);
	CHECK_EQ(inb(COM1 + 1), 0x05);
	outb(COM1 + 3, 0x83);
	CHECK_EQ(inb(COM1 + 1), 0x02);	/* DLM kept */
	teardown();
}

static void test_com1_scratch_register_round_trips(void)
{
	setup();
	outb(COM1 + 7, 0x5a);
	CHECK_EQ(inb(COM1 + 7), 0x5a);
	outb(COM1 + 7, 0xa5);
	CHECK_EQ(inb(COM1 + 7), 0xa5);
	teardown();
}

static void test_com1_lsr_says_ready_to_transmit(void)
{
	setup();
	CHECK_EQ(inb(COM1 + 5), 0x60);	/* THRE | TEMT, no data ready */
	teardown();
}

static void test_com1_thr_write_goes_to_console_line(void)
{
	setup();
	outb(COM1, 'h');
	outb(COM1, 'i');
	outb(COM1, '\r');
	CHECK_EQ(vm->line_len, 2);
	CHECK(!memcmp(vm->line, "hi", 2));
	outb(COM1, '\n');			/* flushes the line */
	CHECK_EQ(vm->line_len, 0);
	outb(COM1, 0x07);			/* control: shown as '.' */
	CHECK_EQ(vm->line_len, 1);
	CHECK_EQ(vm->line[0], '.');
	CHECK_EQ(fake_vmx.skips, 5);
	teardown();
}

static void test_string_io_kills_io(void)
{
	struct vmx_exit e = {
		.kind = VMX_EXIT_IO, .instr_len = 2,
		.io = { .port = COM1, .size = 1, .string = true, .rep = true },
	};
	struct exit_action act;

	setup();
	act = exit_handle(vcpu, &e);
	CHECK_EQ(act.kind, EXIT_END);
	CHECK_EQ(act.end.kind, END_KILLED);
	CHECK(act.end.reason && !strcmp(act.end.reason, "io"));
	exit_apply(vcpu, &e, &act);
	CHECK_EQ(vm->state, VM_KILLED);
	CHECK(!strcmp(vm->kill_reason, "io"));
	CHECK_EQ(vm->line_len, 0);
	teardown();
}

static void test_unknown_port_write_is_dropped_and_logged_once(void)
{
	struct exit_action act;

	setup();
	CHECK_EQ(vm->ports_logged[0x80 / 64] & BIT(0x80 % 64), 0);
	*rax = 0x42;
	act = port_io(0x80, 1, false);
	CHECK_EQ(act.kind, EXIT_SKIP);
	CHECK_EQ(act.len, 1);
	CHECK_EQ(vm->ports_logged[0x80 / 64], BIT(0x80 % 64));
	act = port_io(0x80, 1, false);
	CHECK_EQ(act.kind, EXIT_SKIP);
	CHECK_EQ(vm->ports_logged[0x80 / 64], BIT(0x80 % 64));
	port_io(0xffff, 2, false);
	CHECK_EQ(vm->ports_logged[0xffff / 64], BIT(63));
	CHECK_EQ(vm->state, VM_RUNNING);
	CHECK_EQ(vm->line_len, 0);
	CHECK_EQ(*rax, 0x42);
	teardown();
}

/* An 8-bit device answers on its own byte lane only (SDM 1 18.3). */
static void test_wide_access_reads_each_byte_lane(void)
{
	setup();
	outb(COM1 + 7, 0x5a);			/* scratch */
	port_io(COM1 + 6, 4, true);		/* MSR, SCR, then nothing */
	CHECK_EQ(*rax, 0xffff5ab0u);
	*rax = 0;
	port_io(0xffff, 2, true);		/* past the last port */
	CHECK_EQ(*rax, 0xffff);
	teardown();
}

static void test_wide_write_reaches_each_byte_lane(void)
{
	setup();
	*rax = 0x00005a00;
	port_io(COM1 + 6, 2, false);		/* MSR (ignored), SCR = 0x5a */
	CHECK_EQ(inb(COM1 + 7), 0x5a);
	teardown();
}

int main(void)
{
	RUN(test_wide_access_reads_each_byte_lane);
	RUN(test_wide_write_reaches_each_byte_lane);
	RUN(test_in_from_unassigned_port_reads_all_ones);
	RUN(test_out_to_debug_exit_port_ends_with_status);
	RUN(test_com1_dlab_selects_divisor_latch);
	RUN(test_com1_scratch_register_round_trips);
	RUN(test_com1_lsr_says_ready_to_transmit);
	RUN(test_com1_thr_write_goes_to_console_line);
	RUN(test_string_io_kills_io);
	RUN(test_unknown_port_write_is_dropped_and_logged_once);
	return unit_done();
}
