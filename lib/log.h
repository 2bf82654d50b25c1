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

/*
 * The window in which a guest's state is live in the CPU.  The sink may
 * not call the firmware inside it: firmware code would run with the
 * guest's vector registers loaded, and EDK II re-enables interrupts when
 * it lowers the TPL, so its timer callbacks would run in the middle of
 * exit handling.  boot/ installs a hook (boot_info.console_guest_live)
 * that holds ConOut output back while @live and writes it out when the
 * window closes; COM1 is written directly all along.
 *
 * vcpu_run() calls log_guest_live(true) before the guest's extended state
 * is loaded and the first VM entry, and log_guest_live(false) once the
 * host's extended state is back and its interrupt flag restored.  Without
 * a hook both are no-ops.
 */
void log_set_guest_live_hook(void (*hook)(bool live));
void log_guest_live(bool live);

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
