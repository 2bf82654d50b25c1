/* SPDX-License-Identifier: MIT */
/*
 * MOV to and from the debug registers (dr.c).  MOV-DR exiting is always
 * on: the guest's DR7 is the VMCS's (load/save debug controls), its
 * DR0-DR3 and DR6 are live in the processor while it runs, so that its
 * breakpoints fire and a #DB updates DR6 without an exit.
 */
#ifndef HV_EXIT_DR_H
#define HV_EXIT_DR_H

#include <hv/exit/action.h>

struct vcpu;
struct vmx_exit;

struct exit_action handle_dr_access(struct vcpu *vcpu,
				    const struct vmx_exit *exit);

#endif /* HV_EXIT_DR_H */
