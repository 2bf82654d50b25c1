// SPDX-License-Identifier: MIT
/* Console output through the emulated UART and through the hypercall. */
#include "hypercall.h"
#include "io.h"
#include "string.h"
#include "test.h"

#define COM1_LSR	0x3fd
#define UART_LSR_THRE	0x20

static const char hc_msg[] = "hello: hello through APERTURE_HC_CONSOLE_WRITE\n";

int main(void)
{
	long ret, feat;

	test_init("hello");
	printf("hello: hello through the UART\n");
	report(inb(COM1_LSR) & UART_LSR_THRE, "uart_lsr_thre");

	/* hc_msg is in .rodata, i.e. guest RAM at its own address. */
	ret = hc2(APERTURE_HC_CONSOLE_WRITE, gpa_of(hc_msg), strlen(hc_msg));
	report(ret == (long)strlen(hc_msg), "console_write_returns_len (%ld)",
	       ret);

	ret = hc0(APERTURE_HC_VERSION);
	report(ret == APERTURE_ABI_VERSION, "version (%ld)", ret);

	feat = hc0(APERTURE_HC_FEATURES);
	report(feat >= 0 && (feat & APERTURE_FEAT_CONSOLE),
	       "features_console (%#lx)", (unsigned long)feat);
	test_exit();
}
