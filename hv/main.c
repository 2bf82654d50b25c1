// SPDX-License-Identifier: MIT
/*
 * hv_main: the whole life of the hypervisor.  Take the configuration
 * boot/ parsed, enter VMX operation, run every configured guest in a fresh
 * VM, check each outcome against the guest's expectation, leave VMX
 * operation.
 */
#define LOG_SUBSYS "hv"
#include <hv/boot_info.h>
#include <hv/cpu/host_state.h>
#include <lib/cpu.h>
#include <lib/errno.h>
#include <hv/load/loader.h>
#include <lib/log.h>
#include <lib/palloc.h>
#include <lib/panic.h>
#include <lib/printf.h>
#include <lib/string.h>
#include <hv/vcpu.h>
#include <hv/vm.h>
#include <lib/x86.h>

/* config.log= is handed to the log as it is. */
_Static_assert((int)CFG_LOG_ERROR == (int)LOG_ERR &&
	       (int)CFG_LOG_WARN == (int)LOG_WARN &&
	       (int)CFG_LOG_INFO == (int)LOG_INFO &&
	       (int)CFG_LOG_DEBUG == (int)LOG_DEBUG,
	       "enum cfg_log follows enum log_level");

struct run_totals {
	u32 passed, failed;
};

static const char *state_word(enum vm_state s)
{
	switch (s) {
	case VM_EXITED:
		return "exit";
	case VM_TRIPLE_FAULT:
		return "triple-fault";
	case VM_KILLED:
		return "killed";
	case VM_REJECTED:
		return "rejected";
	default:
		return "running";
	}
}

static bool outcome_matches(const struct cfg_expect *e, const struct vm *vm,
			    enum vm_state state)
{
	switch (e->outcome) {
	case CFG_EXPECT_EXIT:
		return state == VM_EXITED && vm && vm->exit_status == e->status;
	case CFG_EXPECT_TRIPLE_FAULT:
		return state == VM_TRIPLE_FAULT;
	case CFG_EXPECT_REJECTED:
		return state == VM_REJECTED;
	case CFG_EXPECT_KILLED:
		return state == VM_KILLED &&
		       (!e->reason[0] || !strcmp(e->reason, vm->kill_reason));
	}
	return false;
}

static void describe(char *buf, size_t len, const struct vm *vm,
		     enum vm_state state)
{
	if (state == VM_EXITED)
		hv_snprintf(buf, len, "exit:%lu", vm->exit_status);
	else if (state == VM_KILLED)
		hv_snprintf(buf, len, "killed:%s", vm->kill_reason);
	else
		hv_snprintf(buf, len, "%s", state_word(state));
}

static void describe_expect(char *buf, size_t len, const struct cfg_expect *e)
{
	switch (e->outcome) {
	case CFG_EXPECT_EXIT:
		hv_snprintf(buf, len, "exit:%lu", e->status);
		break;
	case CFG_EXPECT_KILLED:
		hv_snprintf(buf, len, e->reason[0] ? "killed:%s" : "killed",
			    e->reason);
		break;
	case CFG_EXPECT_TRIPLE_FAULT:
		hv_snprintf(buf, len, "triple-fault");
		break;
	case CFG_EXPECT_REJECTED:
		hv_snprintf(buf, len, "rejected");
		break;
	}
}

static void report(struct run_totals *t, const struct cfg_guest *cfg,
		   const struct vm *vm, enum vm_state state)
{
	char got[48], want[48];
	bool ok = outcome_matches(&cfg->expect, vm, state);

	describe(got, sizeof(got), vm, state);
	describe_expect(want, sizeof(want), &cfg->expect);
	if (ok) {
		t->passed++;
		log_raw_printf("PASS: guest: %s: %s\n", cfg->name, got);
	} else {
		t->failed++;
		log_raw_printf("FAIL: guest: %s: %s (expected %s)\n", cfg->name,
			       got, want);
	}
}

/*
 * The hypervisor checks itself: after each guest, the state it gave the
 * firmware back (hv/cpu/host_state.h) is the state it found.  A change is
 * a failed check in the run's totals.
 */
static void check_host_state(struct run_totals *t, const char *name)
{
	const char *what = host_cpu_changed();

	if (what) {
		t->failed++;
		log_raw_printf("FAIL: host: %s changed across guest %s\n", what,
			       name);
	} else {
		log_raw_printf("PASS: host: state unchanged across guest %s\n",
			       name);
	}
}

static void print_stats(const struct vm *vm)
{
	const struct aperture_stats *s = &vm->stats;

	log_info("guest %s: %lu exits (%lu host interrupts, %lu timer), %lu hypercalls, %lu shadow faults, %lu guest #PF injected, %lu roots built, %lu shadow pages zapped\n",
		 vm->cfg->name, s->exits, s->host_interrupts, s->timer_exits,
		 s->hypercalls, s->shadow_faults, s->guest_faults_injected,
		 s->roots_built, s->shadow_pages_zapped);
}

static void run_guest(const struct boot_info *bi, const struct cfg_guest *cfg,
		      struct run_totals *t)
{
	u64 free_before = hv_pool.free_pages;
	u32 entry, mbi;
	struct vm *vm;
	int ret;

	log_raw_printf("== guest %s (%s, %lu MiB, mmu.invalidate=%s)\n",
		       cfg->name, cfg->file, cfg->mem >> 20,
		       cfg->mmu == CFG_INVALIDATE_ALL ? "all" : "targeted");
	if (!cfg->valid) {
		log_err("guest %s: not started: %s\n", cfg->name, cfg->error);
		report(t, cfg, NULL, VM_REJECTED);
		return;
	}

	ret = vm_create(&vm, cfg);
	if (ret) {
		log_err("guest %s: cannot create the VM: %d\n", cfg->name, ret);
		report(t, cfg, NULL, VM_REJECTED);
		return;
	}
	ret = loader_load(vm, bi, &entry, &mbi);
	if (ret) {
		report(t, cfg, vm, VM_REJECTED);
		vm_destroy(vm);
		return;
	}
	if (cfg->timeout && bi->tsc_khz)
		vm->deadline_tsc = rdtsc() + (u64)cfg->timeout * 1000 *
					     bi->tsc_khz;
	ret = vcpu_init(&vm->vcpu, entry, mbi);
	if (ret)
		vm_kill(vm, "setup", "vCPU setup failed: %d\n", ret);
	else
		vcpu_run(&vm->vcpu);
	vm_console_flush(vm);
	print_stats(vm);
	report(t, cfg, vm, vm->state);
	if (!ret)
		check_host_state(t, cfg->name);
	vm_destroy(vm);
	if (hv_pool.free_pages != free_before)
		log_err("guest %s leaked %ld pages\n", cfg->name,
			(s64)(free_before - hv_pool.free_pages));
}

/* Runs every configured guest; returns the run's verdict. */
static enum hv_status run_all(const struct boot_info *bi,
			      struct run_totals *totals)
{
	const struct hv_config *cfg = bi->config;
	enum vmx_unavailable why_not;
	const char *why;
	int ret;

	why_not = vmx_detect(&why);
	if (why_not != VMX_OK) {
		log_err("VMX not available: %s\n", why);
		return why_not == VMX_BAD_CAPS ? HV_STATUS_ERROR :
						 HV_STATUS_NO_VMX;
	}
	/* Our GDT and TSS must outlive this run: TR keeps pointing at them. */
	vmx_set_kept_alloc(bi->alloc_kept);
	ret = vmx_on();
	if (ret) {
		log_err("cannot enter VMX operation: %d\n", ret);
		return HV_STATUS_ERROR;
	}
	/*
	 * The firmware's processor state that guests run on, as it is in
	 * VMX operation (our GDT and TR are loaded): each guest starts from
	 * reset values and gives this back (hv/cpu/host_state.h).
	 */
	ret = host_cpu_save();
	if (ret) {
		log_err("cannot save the firmware's processor state: %d\n", ret);
		vmx_off();
		return HV_STATUS_ERROR;
	}

	for (u32 i = 0; i < cfg->nr_run; i++)
		run_guest(bi, &cfg->guests[cfg->run[i]], totals);

	host_cpu_forget();
	ret = vmx_off();
	log_raw_printf("SUMMARY: guests: %u passed, %u failed\n",
		       totals->passed, totals->failed);
	if (ret)
		return HV_STATUS_ERROR;
	return totals->failed ? HV_STATUS_FAIL : HV_STATUS_PASS;
}

enum hv_status hv_main(const struct boot_info *bi)
{
	static struct run_totals totals;
	static struct hv_jmp_buf panic_landing;
	static bool irqs_on;
	enum hv_status status;
	int ret;

	log_set_sink(bi->console_write);
	log_set_guest_live_hook(bi->console_guest_live);
	ret = palloc_init(&hv_pool, (void *)(uintptr_t)bi->pool_base,
			  bi->pool_pages);
	if (ret) {
		log_err("hypervisor pool unusable (%lu pages at %#lx): %d\n",
			bi->pool_pages, bi->pool_base, ret);
		return HV_STATUS_ERROR;
	}
	log_info("pool: %lu MiB at %#lx, TSC %lu kHz\n", bi->pool_pages >> 8,
		 bi->pool_base, bi->tsc_khz);

	log_set_level((enum log_level)bi->config->log);
	if (!bi->config->nr_run) {
		log_err("no guests configured\n");
		return HV_STATUS_ERROR;
	}

	/*
	 * hv_panic() lands here: leave VMX operation and give the firmware
	 * back its interrupts and its GDT, so it can report and go on.
	 */
	totals = (struct run_totals){ 0 };
	irqs_on = read_rflags() & X86_RFLAGS_IF;
	if (hv_setjmp(&panic_landing)) {
		panic_set_landing(NULL);
		/* A panic in the middle of a guest leaves its state live. */
		host_cpu_restore();
		host_cpu_forget();
		vmx_off();
		if (irqs_on)
			local_irq_enable();
		log_guest_live(false);
		log_raw_printf("SUMMARY: guests: %u passed, %u failed (run ended by a panic)\n",
			       totals.passed, totals.failed);
		return HV_STATUS_ERROR;
	}
	panic_set_landing(&panic_landing);
	status = run_all(bi, &totals);
	panic_set_landing(NULL);
	return status;
}
