// SPDX-License-Identifier: MIT
/* Host tests for xcr0_valid(): every XCR0 rule of SDM 1 13.3. */
#define UNIT_SUITE "xcr"
#include "unit.h"

#include <lib/x86.h>
#include <hv/exit/xcr.h>

#define ALL	(XCR0_X87 | XCR0_SSE | XCR0_AVX | XCR0_BNDREGS | \
		 XCR0_BNDCSR | XCR0_AVX512 | XCR0_TILECFG | XCR0_TILEDATA)
#define AVX	(XCR0_X87 | XCR0_SSE | XCR0_AVX)

static void test_x87_is_required(void)
{
	CHECK(xcr0_valid(XCR0_X87, ALL));
	CHECK(!xcr0_valid(0, ALL));
	CHECK(!xcr0_valid(XCR0_SSE, ALL));
}

static void test_only_supported_components(void)
{
	CHECK(xcr0_valid(AVX, AVX));
	CHECK(!xcr0_valid(AVX, XCR0_X87 | XCR0_SSE));
	CHECK(!xcr0_valid(XCR0_X87 | BIT(9), ALL | BIT(8)));
	CHECK(!xcr0_valid(XCR0_X87 | BIT(63), ALL));
}

static void test_avx_needs_sse(void)
{
	CHECK(!xcr0_valid(XCR0_X87 | XCR0_AVX, ALL));
	CHECK(xcr0_valid(XCR0_X87 | XCR0_SSE, ALL));
}

/* The value of the issue report: x87|SSE|AVX|opmask without ZMM state. */
static void test_avx512_all_or_none(void)
{
	CHECK(!xcr0_valid(AVX | XCR0_OPMASK, ALL));
	CHECK(!xcr0_valid(AVX | XCR0_OPMASK | XCR0_ZMM_HI256, ALL));
	CHECK(!xcr0_valid(AVX | XCR0_HI16_ZMM, ALL));
	CHECK(xcr0_valid(AVX | XCR0_AVX512, ALL));
}

static void test_avx512_needs_avx(void)
{
	CHECK(!xcr0_valid(XCR0_X87 | XCR0_SSE | XCR0_AVX512, ALL));
}

static void test_mpx_and_amx_pairs(void)
{
	CHECK(!xcr0_valid(XCR0_X87 | XCR0_BNDREGS, ALL));
	CHECK(!xcr0_valid(XCR0_X87 | XCR0_BNDCSR, ALL));
	CHECK(xcr0_valid(XCR0_X87 | XCR0_BNDREGS | XCR0_BNDCSR, ALL));
	CHECK(!xcr0_valid(AVX | XCR0_TILECFG, ALL));
	CHECK(!xcr0_valid(AVX | XCR0_TILEDATA, ALL));
	CHECK(xcr0_valid(AVX | XCR0_TILECFG | XCR0_TILEDATA, ALL));
}

int main(void)
{
	RUN(test_x87_is_required);
	RUN(test_only_supported_components);
	RUN(test_avx_needs_sse);
	RUN(test_avx512_all_or_none);
	RUN(test_avx512_needs_avx);
	RUN(test_mpx_and_amx_pairs);
	return unit_done();
}
