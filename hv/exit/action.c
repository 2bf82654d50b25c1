// SPDX-License-Identifier: MIT
/* The ending actions, whose detail line is formatted here. */
#include <stdarg.h>

#include <lib/printf.h>
#include <hv/exit/action.h>

struct exit_action act_exit_status(u64 status)
{
	struct exit_action act = { .kind = EXIT_END };

	act.end.kind = END_EXIT_STATUS;
	act.end.status = status;
	return act;
}

struct exit_action act_end(enum exit_end_kind kind, const char *reason,
			   const char *fmt, ...)
{
	struct exit_action act = { .kind = EXIT_END };
	va_list ap;

	act.end.kind = kind;
	act.end.reason = reason;
	va_start(ap, fmt);
	hv_vsnprintf(act.end.detail, sizeof(act.end.detail), fmt, ap);
	va_end(ap);
	return act;
}
