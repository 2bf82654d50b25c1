// SPDX-License-Identifier: MIT
/*
 * Exit through APERTURE_HC_EXIT with a status no other kernel uses; the
 * test config expects exit:42.  No test_exit(): the hypercall must end the
 * guest by itself.
 */
#include "hypercall.h"
#include "test.h"

#define EXIT_STATUS	42

int main(void)
{
	test_init("exit_status");
	printf("exit_status: exiting with %d via APERTURE_HC_EXIT\n",
	       EXIT_STATUS);
	hc1(APERTURE_HC_EXIT, EXIT_STATUS);
	report(false, "hc_exit_returned");
	test_exit();
}
