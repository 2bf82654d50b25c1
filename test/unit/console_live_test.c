// SPDX-License-Identifier: MIT
/*
 * The run loop marks the window in which a guest's state is live in the
 * CPU (lib/log.h, boot_info.console_guest_live): opened before the first
 * VM entry, closed once the host's XCR0 and interrupt flag are back, and
 * every log line of the run falls inside it.  boot/console.c holds ConOut
 * output back inside the window, so no firmware code runs on guest state.
 */
#define UNIT_SUITE "console_live"
#include "unit.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <lib/log.h>
#include <lib/string.h>
#include <lib/x86.h>
#include <hv/exit/cr.h>
#include <hv/cpu/host_state.h>
#include <hv/vm.h>
#include "../fake/fake.h"

struct event {
	char what;		/* 'o'pen, 'c'lose, 'l'og line */
	unsigned int entries;	/* VM entries made so far */
	bool irqs_on;
	u64 xcr0;
};

static struct event ev[64];
static unsigned int nr_ev;

static void record(char what)
{
	CHECK(nr_ev < ARRAY_SIZE(ev));
	if (nr_ev < ARRAY_SIZE(ev))
		ev[nr_ev++] = (struct event){
			.what = what,
			.entries = fake_vmx.script_pos,
			.irqs_on = fake_cpu.rflags & X86_RFLAGS_IF,
			.xcr0 = fake_cpu.xcr0,
		};
}

static void hook(bool live)
{
	record(live ? 'o' : 'c');
}

static void sink(const char *s, size_t len)
{
	(void)s;
	(void)len;
	record('l');
}

static struct vm *vm;
static struct vcpu *vcpu;

static void setup(void)
{
	fake_reset();
	/* As hv/main.c does before the first guest. */
	CHECK_EQ(host_cpu_save(), 0);
	nr_ev = 0;
	log_set_sink(sink);
	log_set_guest_live_hook(hook);
	vm = fake_vm_create(0, CFG_INVALIDATE_TARGETED);
	vcpu = &vm->vcpu;
}

static void teardown(void)
{
	fake_vm_destroy(vm);
	log_set_guest_live_hook(NULL);
	log_set_sink(NULL);
	host_cpu_forget();
}

/* One open, then only log lines, then one close, after every entry. */
static void check_window(unsigned int entries, u64 host_xcr0)
{
	CHECK(nr_ev >= 2);
	if (nr_ev < 2)
		return;
	CHECK_EQ(ev[0].what, 'o');
	CHECK_EQ(ev[0].entries, 0);
	for (unsigned int i = 1; i + 1 < nr_ev; i++)
		CHECK_EQ(ev[i].what, 'l');
	CHECK_EQ(ev[nr_ev - 1].what, 'c');
	CHECK_EQ(ev[nr_ev - 1].entries, entries);
	/* The host's own state is back before the firmware may run. */
	CHECK(ev[nr_ev - 1].irqs_on);
	CHECK_EQ(ev[nr_ev - 1].xcr0, host_xcr0);
}

static void test_window_around_guest_run(void)
{
	u64 host_xcr0;

	setup();
	host_xcr0 = fake_cpu.xcr0;
	CHECK_EQ(vcpu_set_cr4(vcpu, X86_CR4_OSXSAVE), CR_OK);
	vcpu->vmx.gpr[GPR_RAX] = XCR0_X87 | XCR0_SSE;
	fake_vmx.script[0] = (struct vmx_exit){ .kind = VMX_EXIT_XSETBV,
						.instr_len = 3 };
	/* HLT ends the guest with a diagnostic: a log line in the window. */
	fake_vmx.script[1] = (struct vmx_exit){ .kind = VMX_EXIT_HLT,
						.instr_len = 1 };
	fake_vmx.script_len = 2;
	vcpu_run(vcpu);
	CHECK_EQ(vm->state, VM_KILLED);
	CHECK(nr_ev > 2);	/* the kill was logged inside */
	check_window(2, host_xcr0);
	teardown();
}

static void test_window_closed_after_entry_failure(void)
{
	setup();
	vcpu_run(vcpu);		/* empty script: the first entry fails */
	CHECK_EQ(vm->state, VM_KILLED);
	CHECK(!strcmp(vm->kill_reason, "entry"));
	check_window(0, fake_cpu.xcr0);
	teardown();
}

/* A firmware console that returns with interrupts enabled, as EDK II's can. */
static void sink_enabling_irqs(const char *s, size_t len)
{
	(void)s;
	(void)len;
	fake_cpu.rflags |= X86_RFLAGS_IF;
}

static void run_after_irqs_reenabled(void)
{
	setup();
	log_set_guest_live_hook(NULL);
	log_set_sink(sink_enabling_irqs);
	/* A write to an unassigned port is logged, and the guest goes on. */
	vcpu->vmx.gpr[GPR_RAX] = 0x55;
	fake_vmx.script[0] = (struct vmx_exit){
		.kind = VMX_EXIT_IO, .instr_len = 1,
		.io = { .port = 0x80, .size = 1 } };
	fake_vmx.script_len = 1;
	vcpu_run(vcpu);
}

/* The host build checks IF = 0 before every entry (APERTURE_DEBUG). */
static void test_entry_with_interrupts_enabled_is_a_bug(void)
{
	pid_t pid;
	int status;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		run_after_irqs_reenabled();
		_exit(0);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
}

int main(void)
{
	RUN(test_entry_with_interrupts_enabled_is_a_bug);
	RUN(test_window_around_guest_run);
	RUN(test_window_closed_after_entry_failure);
	return unit_done();
}
