/* SPDX-License-Identifier: MIT */
/*
 * Hypervisor logging.  Every line carries a subsystem prefix; a file sets it
 * by defining LOG_SUBSYS before including this header:
 *
 *	#define LOG_SUBSYS "vmx"
 *	#include <lib/log.h>
 *	...
 *	log_info("VMXON done, revision %#x\n", rev);	-> "vmx: VMXON done..."
 */
#ifndef LIB_LOG_H
#define LIB_LOG_H

#include <lib/types.h>

enum log_level {
	LOG_ERR = 0,
	LOG_WARN,
	LOG_INFO,
	LOG_DEBUG,
};

void log_set_sink(void (*write)(const char *s, size_t len));
void log_set_level(enum log_level level);

/* Raw console output, no prefix and no level filter (test result lines). */
void log_raw_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_raw_write(const char *s, size_t len);

void log_printf(enum log_level level, const char *subsys, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#ifndef LOG_SUBSYS
#define LOG_SUBSYS "hv"
#endif

#define log_err(fmt, ...)	log_printf(LOG_ERR, LOG_SUBSYS, fmt, ##__VA_ARGS__)
#define log_warn(fmt, ...)	log_printf(LOG_WARN, LOG_SUBSYS, fmt, ##__VA_ARGS__)
#define log_info(fmt, ...)	log_printf(LOG_INFO, LOG_SUBSYS, fmt, ##__VA_ARGS__)
#define log_debug(fmt, ...)	log_printf(LOG_DEBUG, LOG_SUBSYS, fmt, ##__VA_ARGS__)

#endif /* LIB_LOG_H */
