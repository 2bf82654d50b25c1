// SPDX-License-Identifier: MIT
/*
 * The log (lib/log.h): prefixes and levels reach the sink boot/ installs,
 * and the guest-live window the run loop marks reaches boot/'s hook, in
 * order, so that the console can hold firmware output back inside it.
 */
#define UNIT_SUITE "log"
#include "unit.h"

#include <string.h>

#include <lib/log.h>

static char out[1024];
static size_t out_len;

static void sink(const char *s, size_t len)
{
	CHECK(out_len + len < sizeof(out));
	if (out_len + len >= sizeof(out))
		return;
	memcpy(out + out_len, s, len);
	out_len += len;
	out[out_len] = 0;
}

static bool calls[8];
static unsigned int nr_calls;

static void hook(bool live)
{
	CHECK(nr_calls < ARRAY_SIZE(calls));
	if (nr_calls < ARRAY_SIZE(calls))
		calls[nr_calls++] = live;
}

static void reset(void)
{
	out_len = 0;
	out[0] = 0;
	nr_calls = 0;
	log_set_sink(sink);
	log_set_level(LOG_INFO);
	log_set_guest_live_hook(NULL);
}

static void test_prefix_and_level(void)
{
	reset();
	log_printf(LOG_INFO, "vmx", "on %d\n", 1);
	log_printf(LOG_WARN, "mmu", "w\n");
	log_printf(LOG_ERR, "hv", "e\n");
	log_printf(LOG_DEBUG, "hv", "hidden\n");
	CHECK(!strcmp(out, "vmx: on 1\nmmu: warning: w\nhv: ERROR: e\n"));

	reset();
	log_set_level(LOG_DEBUG);
	log_printf(LOG_DEBUG, "hv", "shown\n");
	log_raw_printf("PASS: %s\n", "x");
	CHECK(!strcmp(out, "hv: shown\nPASS: x\n"));
}

static void test_guest_live_without_hook(void)
{
	reset();
	log_guest_live(true);
	log_guest_live(false);
	CHECK_EQ(nr_calls, 0);
	CHECK_EQ(out_len, 0);
}

static void test_guest_live_forwarded(void)
{
	reset();
	log_set_guest_live_hook(hook);
	log_guest_live(true);
	log_printf(LOG_INFO, "vcpu", "inside\n");
	log_guest_live(false);
	log_guest_live(false);
	CHECK_EQ(nr_calls, 3);
	CHECK(calls[0] == true);
	CHECK(calls[1] == false);
	CHECK(calls[2] == false);
	/* The log itself holds nothing back: that is the sink's business. */
	CHECK(!strcmp(out, "vcpu: inside\n"));

	log_set_guest_live_hook(NULL);
	log_guest_live(true);
	CHECK_EQ(nr_calls, 3);
}

int main(void)
{
	RUN(test_prefix_and_level);
	RUN(test_guest_live_without_hook);
	RUN(test_guest_live_forwarded);
	return unit_done();
}
