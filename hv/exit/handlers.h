/* SPDX-License-Identifier: MIT */
/*
 * The exit handlers, one file per kind of exit; exit.c dispatches to them.
 * Each returns the one action the exit comes to (action.h).
 */
#ifndef HV_EXIT_HANDLERS_H
#define HV_EXIT_HANDLERS_H

#include <hv/exit/action.h>

struct vcpu;
struct vmx_exit;

struct exit_action handle_cpuid(struct vcpu *vcpu, const struct vmx_exit *exit);
struct exit_action handle_cr_access(struct vcpu *vcpu,
				    const struct vmx_exit *exit);
struct exit_action handle_msr(struct vcpu *vcpu, const struct vmx_exit *exit);
struct exit_action handle_xsetbv(struct vcpu *vcpu,
				 const struct vmx_exit *exit);
struct exit_action handle_io(struct vcpu *vcpu, const struct vmx_exit *exit);
struct exit_action handle_vmcall(struct vcpu *vcpu,
				 const struct vmx_exit *exit);
struct exit_action handle_page_fault(struct vcpu *vcpu,
				     const struct vmx_exit *exit);

#endif /* HV_EXIT_HANDLERS_H */
