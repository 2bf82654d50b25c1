// SPDX-License-Identifier: MIT
/*
 * The log: lines with a subsystem prefix, filtered by level, written to
 * the sink boot/ installs (its consoles).  The config parser names the
 * levels (log=).  The run loop marks where a guest's state is live, so
 * that the sink calls no firmware there (log.h).
 */
#include <stdarg.h>

#include <lib/log.h>
#include <lib/printf.h>
#include <lib/string.h>

static void (*log_sink)(const char *s, size_t len);
static void (*log_live_hook)(bool live);
static enum log_level log_level = LOG_INFO;

void log_set_sink(void (*write)(const char *s, size_t len))
{
	log_sink = write;
}

void log_set_guest_live_hook(void (*hook)(bool live))
{
	log_live_hook = hook;
}

void log_guest_live(bool live)
{
	if (log_live_hook)
		log_live_hook(live);
}

void log_set_level(enum log_level level)
{
	log_level = level;
}

void log_raw_write(const char *s, size_t len)
{
	if (log_sink)
		log_sink(s, len);
}

void log_raw_printf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = hv_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	log_raw_write(buf, MIN((size_t)n, sizeof(buf) - 1));
}

void log_printf(enum log_level level, const char *subsys, const char *fmt, ...)
{
	static const char *const tags[] = {
		[LOG_ERR] = "ERROR: ", [LOG_WARN] = "warning: ",
		[LOG_INFO] = "", [LOG_DEBUG] = "",
	};
	char buf[512];
	va_list ap;
	int n;

	if (level > log_level)
		return;
	n = hv_snprintf(buf, sizeof(buf), "%s: %s", subsys, tags[level]);
	va_start(ap, fmt);
	n += hv_vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	va_end(ap);
	log_raw_write(buf, MIN((size_t)n, sizeof(buf) - 1));
}
