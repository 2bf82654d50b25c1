/* SPDX-License-Identifier: MIT */
/*
 * The exit layer's entry points for the run loop (hv/vcpu.c): decide what
 * an exit comes to, then apply that action to the vCPU.
 */
#ifndef HV_EXIT_EXIT_H
#define HV_EXIT_EXIT_H

#include <hv/exit/action.h>

struct vcpu;
struct vmx_exit;

/* Handles @exit; changes guest registers and devices, never control flow. */
struct exit_action exit_handle(struct vcpu *vcpu, const struct vmx_exit *exit);

/*
 * The one place where exits turn into skipped instructions, injected or
 * redelivered events, and ended guests.
 */
void exit_apply(struct vcpu *vcpu, const struct vmx_exit *exit,
		const struct exit_action *act);

#endif /* HV_EXIT_EXIT_H */
