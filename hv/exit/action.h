/* SPDX-License-Identifier: MIT */
/*
 * What handling one VM exit comes to.  Every handler returns exactly one
 * action and changes nothing about the guest's control flow itself; the
 * run loop applies the action in one place (exit_apply).  That keeps the
 * handlers free of VMX event-injection calls, lets host tests check a
 * handler's verdict as a value, and makes "the guest was ended" a return
 * value instead of a state callers must re-read.
 *
 * Conventions (docs/conventions.md): architectural outcomes, such as a
 * fault the guest's instruction raises, are actions or typed results; a
 * negative errno is a host-side failure (no memory, a broken invariant)
 * and becomes an EXIT_END action where it reaches the exit layer.
 */
#ifndef HV_EXIT_ACTION_H
#define HV_EXIT_ACTION_H

#include <lib/types.h>
#include <lib/x86.h>

enum exit_action_kind {
	EXIT_RESUME,	/* enter again at the same instruction */
	EXIT_SKIP,	/* the instruction retired: advance RIP by .len */
	EXIT_INJECT,	/* the instruction faults: deliver .exc at entry */
	EXIT_REDELIVER,	/* deliver again the event the exit interrupted */
	EXIT_END,	/* the guest is over: .end says how */
};

enum exit_end_kind {
	END_EXIT_STATUS,	/* the guest asked to exit with .status */
	END_TRIPLE_FAULT,	/* shutdown (SDM 3A 6.15, #DF) */
	END_KILLED,		/* ended by the hypervisor: .reason, .detail */
};

#define EXIT_DETAIL_LEN	160

struct exit_action {
	enum exit_action_kind kind;
	u32 len;			/* SKIP */
	struct x86_exception exc;	/* INJECT */
	struct {
		enum exit_end_kind kind;
		u64 status;		/* END_EXIT_STATUS */
		const char *reason;	/* END_KILLED: one word, e.g. "hlt" */
		bool dump;		/* log the exit and the code at RIP */
		char detail[EXIT_DETAIL_LEN];	/* one line for the log */
	} end;
};

static inline struct exit_action act_resume(void)
{
	return (struct exit_action){ .kind = EXIT_RESUME };
}

static inline struct exit_action act_skip(u32 len)
{
	return (struct exit_action){ .kind = EXIT_SKIP, .len = len };
}

static inline struct exit_action act_inject(struct x86_exception exc)
{
	return (struct exit_action){ .kind = EXIT_INJECT, .exc = exc };
}

/* #GP(0): the common verdict on a bad operand (SDM 3A 6.15, int 13). */
static inline struct exit_action act_gp(void)
{
	return act_inject((struct x86_exception){
		.vector = X86_VEC_GP, .has_errcode = true });
}

static inline struct exit_action act_ud(void)
{
	return act_inject((struct x86_exception){ .vector = X86_VEC_UD });
}

static inline struct exit_action act_redeliver(void)
{
	return (struct exit_action){ .kind = EXIT_REDELIVER };
}

struct exit_action act_exit_status(u64 status);

/* Ends the guest as @kind; @reason is one word, the rest a detail line. */
struct exit_action act_end(enum exit_end_kind kind, const char *reason,
			   const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define act_kill(reason, ...)	act_end(END_KILLED, (reason), __VA_ARGS__)
#define act_triple_fault(...)	\
	act_dump(act_end(END_TRIPLE_FAULT, "triple-fault", __VA_ARGS__))
/* The same, and the log also gets the exit's VMX state and guest code. */
#define act_kill_dump(reason, ...)	act_dump(act_kill((reason), __VA_ARGS__))

static inline struct exit_action act_dump(struct exit_action act)
{
	act.end.dump = true;
	return act;
}

#endif /* HV_EXIT_ACTION_H */
