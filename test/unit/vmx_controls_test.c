// SPDX-License-Identifier: MIT
/*
 * Host tests for hv/vmx/controls.c: the control words computed from the
 * capability MSRs of real processors and of KVM's nested VMX, and the
 * named refusal when a required control is missing.
 *
 * The capability values are public facts, copied from published dumps:
 *  - Westmere (Arrandale mobile, Acer Aspire 5742): a VirtualBox 3.2.12
 *    VBox.log posted to the Ubuntu forums ("Can't install Virtualbox :(",
 *    2011-05-09), lines "HWACCM: MSR_IA32_VMX_*".  That VirtualBox printed
 *    only the plain capability MSRs, so the set is used as a processor
 *    without TRUE_ MSRs (every default1 control must then be 1), and
 *    VirtualBox reported the preemption-timer erratum on it ("erratum
 *    detected"); its exact stepping is not in the log: 0x20652, the C2
 *    Arrandale of erratum AAT59, stands in for it.
 *  - Ivy Bridge (CPUID.1:EAX 0x306a9): a VirtualBox 7 VBox.log, lines
 *    "HM: MSR_IA32_VMX_*" (TRUE_ values used).
 *  - Coffee Lake, a Skylake-microarchitecture core (CPUID.1:EAX 0x906ea):
 *    a VirtualBox 6.1 VBox.log, lines "HM: MSR_IA32_VMX_*".
 *  - KVM nested VMX as L1 sees it (IA32_VMX_BASIC 0xd8100011e57ed0, the
 *    vmcs12 revision): an MSR dump 0x480-0x491 from the XMHF project's
 *    nested-virtualisation notes, and a Google Cloud L1's dmesg from a
 *    CMPE 283 assignment write-up (pin-based 0x3f00000016: no preemption
 *    timer; its secondary and MISC MSRs were not printed and read 0 here).
 * No Ice Lake dump was found; the synthetic sets below (a processor
 * without "load IA32_EFER", one without PAT, a 32-bit-only one without CR8
 * exiting) are derived from the real ones by clearing allowed-1 bits, as
 * SDM 3C A.3-A.5 describe them.
 */
#define UNIT_SUITE "vmx_controls"
#include "unit.h"

#include <string.h>

#include <hv/vmx/controls.h>
#include <hv/vmx/vmcs_defs.h>
#include <lib/errno.h>

static struct vmx_controls out;
static char why[96];

static const struct vmx_caps westmere = {
	.basic = 0xda04000000000full, .true_ctls = false,
	.pin = 0x7f00000016ull, .proc = 0xfff9fffe0401e172ull,
	.proc2 = 0xff00000000ull, .exit = 0x7fffff00036dffull,
	.entry = 0xffff000011ffull, .misc = 0x401e7ull,
	.signature = 0x00020652,
};

static const struct vmx_caps ivy_bridge = {
	.basic = 0xda040000000010ull, .true_ctls = true,
	.pin = 0x7f00000016ull, .proc = 0xfff9fffe04006172ull,
	.proc2 = 0x8ff00000000ull, .exit = 0x7fffff00036dfbull,
	.entry = 0xffff000011fbull, .misc = 0x100401e5ull,
	.signature = 0x000306a9,
};

static const struct vmx_caps coffee_lake = {
	.basic = 0xda040000000004ull, .true_ctls = true,
	.pin = 0x7f00000016ull, .proc = 0xfff9fffe04006172ull,
	.proc2 = 0x5fbcff00000000ull, .exit = 0x1ffffff00036dfbull,
	.entry = 0x3ffff000011fbull, .misc = 0x7004c1e7ull,
	.signature = 0x000906ea,
};

/*
 * The L1's signature is its host's, which the dump does not give.  XMHF is
 * a 32-bit hypervisor and its L1 vCPU had no long mode, so KVM offered no
 * "host address-space size" (exit allowed-1 bit 9 clear): a real nested
 * set that the 64-bit hypervisor must refuse by name.
 */
static const struct vmx_caps kvm_nested = {
	.basic = 0xd8100011e57ed0ull, .true_ctls = true,
	.pin = 0x7f00000016ull, .proc = 0xfff9fffe04006172ull,
	.proc2 = 0x78ff00000000ull, .exit = 0x7ffdff00036dfbull,
	.entry = 0xf3ff000011fbull, .misc = 0x20000065ull,
	.signature = 0,
};

static const struct vmx_caps kvm_nested_gce = {
	.basic = 0xd8100011e57ed0ull, .true_ctls = true,
	.pin = 0x3f00000016ull, .proc = 0xf7b9fffe04006172ull,
	.proc2 = 0, .exit = 0x3fefff00036dfbull,
	.entry = 0xd3ff000011fbull, .misc = 0,
	.signature = 0,
};

static int compute(const struct vmx_caps *caps)
{
	memset(&out, 0xa5, sizeof(out));
	memset(why, 'x', sizeof(why));
	return vmx_controls_compute(caps, &out, why, sizeof(why));
}

/* Every word obeys its capability MSR (SDM 3C A.3-A.5). */
static void check_allowed(const struct vmx_caps *c)
{
	u64 caps[] = { c->pin, c->proc, c->proc2, c->exit, c->entry };
	u32 words[] = { out.pin, out.proc, out.proc2, out.exit, out.entry };

	for (unsigned int i = 0; i < ARRAY_SIZE(words); i++) {
		u32 must = (u32)caps[i], may = (u32)(caps[i] >> 32);

		if (i == 2 && !(out.proc & CPU_BASED_ACTIVATE_SECONDARY)) {
			CHECK_EQ(words[i], 0);
			continue;
		}
		CHECK_EQ(words[i] & must, must);
		CHECK_EQ(words[i] & ~may, 0);
	}
}

/* What every accepted set must have on (controls.c's required list). */
static void check_required(void)
{
	CHECK_EQ(out.pin & (PIN_BASED_EXT_INTR_EXITING | PIN_BASED_NMI_EXITING),
		 PIN_BASED_EXT_INTR_EXITING | PIN_BASED_NMI_EXITING);
	CHECK(out.proc & CPU_BASED_HLT_EXITING);
	CHECK(out.proc & CPU_BASED_INVLPG_EXITING);
	CHECK(out.proc & CPU_BASED_CR3_LOAD_EXITING);
	CHECK(out.proc & CPU_BASED_CR3_STORE_EXITING);
	CHECK(out.proc & CPU_BASED_CR8_LOAD_EXITING);
	CHECK(out.proc & CPU_BASED_CR8_STORE_EXITING);
	CHECK(out.proc & CPU_BASED_MOV_DR_EXITING);
	CHECK(out.proc & CPU_BASED_USE_IO_BITMAPS);
	CHECK(out.exit & VM_EXIT_SAVE_DEBUG_CONTROLS);
	CHECK(out.exit & VM_EXIT_HOST_ADDR_SPACE_SIZE);
	CHECK(out.exit & VM_EXIT_SAVE_IA32_EFER);
	CHECK(out.exit & VM_EXIT_LOAD_IA32_EFER);
	CHECK(out.entry & VM_ENTRY_LOAD_DEBUG_CONTROLS);
	CHECK(out.entry & VM_ENTRY_LOAD_IA32_EFER);
	/* Never on from the start: the timer is armed per entry. */
	CHECK(!(out.pin & PIN_BASED_PREEMPTION_TIMER));
	CHECK(!(out.entry & VM_ENTRY_IA32E_MODE));
	CHECK_EQ(why[0], '\0');
}

/*
 * The words of the four sets with PAT, RDTSCP and secondary controls,
 * derived by hand: the default1 bits of the TRUE_ MSRs (or all of them
 * without), the required bits, PAT and activate-secondary + RDTSCP.
 */
#define EXPECT_PIN	0x1fu
#define EXPECT_PROC	0x8699e3fau
#define EXPECT_PROC2	SECONDARY_ENABLE_RDTSCP
#define EXPECT_EXIT	0x3f6fffu
#define EXPECT_ENTRY	0xd1ffu

static void check_words(void)
{
	CHECK_EQ(out.pin, EXPECT_PIN);
	CHECK_EQ(out.proc, EXPECT_PROC);
	CHECK_EQ(out.proc2, EXPECT_PROC2);
	CHECK_EQ(out.exit, EXPECT_EXIT);
	CHECK_EQ(out.entry, EXPECT_ENTRY);
}

static void test_westmere(void)
{
	CHECK_EQ(compute(&westmere), 0);
	check_allowed(&westmere);
	check_required();
	check_words();
	CHECK(out.pat);
	CHECK(out.rdtscp);
	/* The timer is there but counts at the wrong rate (AAT59). */
	CHECK(!out.timer);
	CHECK(out.timer_erratum);
}

static void test_ivy_bridge(void)
{
	CHECK_EQ(compute(&ivy_bridge), 0);
	check_allowed(&ivy_bridge);
	check_required();
	check_words();
	CHECK(out.pat);
	CHECK(out.rdtscp);
	/* 0x306a9 is not the erratum's 0x306a8. */
	CHECK(out.timer);
	CHECK(!out.timer_erratum);
	CHECK_EQ(out.timer_rate, 5);
}

static void test_coffee_lake(void)
{
	CHECK_EQ(compute(&coffee_lake), 0);
	check_allowed(&coffee_lake);
	check_required();
	check_words();
	CHECK(out.pat);
	CHECK(out.rdtscp);
	CHECK(out.timer);
	CHECK_EQ(out.timer_rate, 7);
}

static void test_kvm_nested(void)
{
	struct vmx_caps c = kvm_nested;

	CHECK_EQ(compute(&c), -EOPNOTSUPP);
	CHECK(!strcmp(why, "VM-exit control 'host address-space size' (bit 9) not supported"));

	/* The same L1 with long mode, as KVM offers it to a 64-bit vCPU. */
	c.exit |= (u64)VM_EXIT_HOST_ADDR_SPACE_SIZE << 32;
	CHECK_EQ(compute(&c), 0);
	check_allowed(&c);
	check_required();
	check_words();
	CHECK(out.pat);
	CHECK(out.rdtscp);
	CHECK(out.timer);
	CHECK_EQ(out.timer_rate, 5);
}

/* An L1 without the timer and (as far as known) without RDTSCP. */
static void test_kvm_nested_gce(void)
{
	CHECK_EQ(compute(&kvm_nested_gce), 0);
	check_allowed(&kvm_nested_gce);
	check_required();
	CHECK(out.pat);
	CHECK(!out.rdtscp);
	CHECK(!(out.proc & CPU_BASED_ACTIVATE_SECONDARY));
	CHECK_EQ(out.proc2, 0);
	CHECK(!out.timer);
	CHECK(!out.timer_erratum);
}

/* The clean, named failure: no "load IA32_EFER" on exit. */
static void test_no_load_efer(void)
{
	struct vmx_caps c = coffee_lake;

	c.exit &= ~((u64)VM_EXIT_LOAD_IA32_EFER << 32);
	CHECK_EQ(compute(&c), -EOPNOTSUPP);
	CHECK(!strcmp(why, "VM-exit control 'load IA32_EFER' (bit 21) not supported"));

	c = coffee_lake;
	c.entry &= ~((u64)VM_ENTRY_LOAD_IA32_EFER << 32);
	CHECK_EQ(compute(&c), -EOPNOTSUPP);
	CHECK(!strcmp(why, "VM-entry control 'load IA32_EFER' (bit 15) not supported"));
}

/* The first missing control is named, in the order of the pin word first. */
static void test_first_missing(void)
{
	struct vmx_caps c = westmere;

	c.exit &= ~((u64)VM_EXIT_LOAD_IA32_EFER << 32);
	c.pin &= ~((u64)PIN_BASED_NMI_EXITING << 32);
	CHECK_EQ(compute(&c), -EOPNOTSUPP);
	CHECK(!strcmp(why, "pin-based control 'NMI exiting' (bit 3) not supported"));
}

/*
 * A processor without Intel 64 (Core Duo) must keep CR8 exiting 0 (SDM 3C
 * 24.6.2): refused, naming CR8-load exiting.
 */
static void test_no_cr8_exiting(void)
{
	struct vmx_caps c = westmere;

	c.proc &= ~((u64)(CPU_BASED_CR8_LOAD_EXITING |
			  CPU_BASED_CR8_STORE_EXITING |
			  CPU_BASED_TPR_SHADOW) << 32);
	CHECK_EQ(compute(&c), -EOPNOTSUPP);
	CHECK(!strcmp(why, "processor-based control 'CR8-load exiting' (bit 19) not supported"));
}

static void test_mov_dr_and_debug_controls(void)
{
	struct vmx_caps c = ivy_bridge;

	c.proc &= ~((u64)CPU_BASED_MOV_DR_EXITING << 32);
	CHECK_EQ(compute(&c), -EOPNOTSUPP);
	CHECK(!strcmp(why, "processor-based control 'MOV-DR exiting' (bit 23) not supported"));

	c = ivy_bridge;
	c.exit &= ~((u64)VM_EXIT_SAVE_DEBUG_CONTROLS << 32);
	CHECK_EQ(compute(&c), -EOPNOTSUPP);
	CHECK(!strcmp(why, "VM-exit control 'save debug controls' (bit 2) not supported"));
}

/* A default1 "IA-32e mode guest" that cannot be cleared is refused. */
static void test_cannot_clear(void)
{
	struct vmx_caps c = coffee_lake;

	c.entry |= VM_ENTRY_IA32E_MODE;
	CHECK_EQ(compute(&c), -EOPNOTSUPP);
	CHECK(!strcmp(why, "VM-entry control 'IA-32e mode guest' (bit 9) cannot be cleared"));
}

/* PAT is optional: without any of its three controls, none is set. */
static void test_no_pat(void)
{
	struct vmx_caps c = coffee_lake;

	c.entry &= ~((u64)VM_ENTRY_LOAD_IA32_PAT << 32);
	CHECK_EQ(compute(&c), 0);
	check_allowed(&c);
	CHECK(!out.pat);
	CHECK(!(out.exit & (VM_EXIT_SAVE_IA32_PAT | VM_EXIT_LOAD_IA32_PAT)));
	CHECK(!(out.entry & VM_ENTRY_LOAD_IA32_PAT));

	c = coffee_lake;
	c.exit &= ~((u64)VM_EXIT_SAVE_IA32_PAT << 32);
	CHECK_EQ(compute(&c), 0);
	CHECK(!out.pat);
	CHECK(!(out.exit & VM_EXIT_LOAD_IA32_PAT));
	CHECK(!(out.entry & VM_ENTRY_LOAD_IA32_PAT));
}

/* RDTSCP needs both the secondary controls and its own bit. */
static void test_no_rdtscp(void)
{
	struct vmx_caps c = coffee_lake;

	c.proc2 &= ~((u64)SECONDARY_ENABLE_RDTSCP << 32);
	CHECK_EQ(compute(&c), 0);
	CHECK(!out.rdtscp);
	CHECK(!(out.proc & CPU_BASED_ACTIVATE_SECONDARY));
	CHECK_EQ(out.proc2, 0);

	c = coffee_lake;
	c.proc &= ~((u64)CPU_BASED_ACTIVATE_SECONDARY << 32);
	CHECK_EQ(compute(&c), 0);
	CHECK(!out.rdtscp);
	CHECK_EQ(out.proc2, 0);
}

/* Every signature of the list, and the reserved CPUID bits ignored. */
static void test_timer_erratum_list(void)
{
	static const u32 listed[] = {
		0x206e6, 0x20652, 0x20655, 0x106e5, 0x106a0, 0x106a1,
		0x106a4, 0x106a5, 0x306a8,
	};
	struct vmx_caps c = coffee_lake;

	for (unsigned int i = 0; i < ARRAY_SIZE(listed); i++)
		CHECK(vmx_timer_erratum(listed[i]));
	CHECK(vmx_timer_erratum(0x106a5 | 0x3u << 14 | 0xfu << 28));
	CHECK(!vmx_timer_erratum(0x106a6));
	CHECK(!vmx_timer_erratum(0x306a9));
	CHECK(!vmx_timer_erratum(0x906ea));
	CHECK(!vmx_timer_erratum(0x1106a5));	/* another extended family */

	c.signature = 0x000206e6;
	CHECK_EQ(compute(&c), 0);
	CHECK(!out.timer);
	CHECK(out.timer_erratum);
}

/* A short buffer still gets a terminated (truncated) message. */
static void test_short_buffer(void)
{
	struct vmx_caps c = coffee_lake;
	char small[12];

	c.exit &= ~((u64)VM_EXIT_LOAD_IA32_EFER << 32);
	memset(small, 'x', sizeof(small));
	CHECK_EQ(vmx_controls_compute(&c, &out, small, sizeof(small)),
		 -EOPNOTSUPP);
	CHECK(memchr(small, '\0', sizeof(small)) != NULL);
	CHECK(!strncmp(small, "VM-exit con", 11));
}

int main(void)
{
	RUN(test_westmere);
	RUN(test_ivy_bridge);
	RUN(test_coffee_lake);
	RUN(test_kvm_nested);
	RUN(test_kvm_nested_gce);
	RUN(test_no_load_efer);
	RUN(test_first_missing);
	RUN(test_no_cr8_exiting);
	RUN(test_mov_dr_and_debug_controls);
	RUN(test_cannot_clear);
	RUN(test_no_pat);
	RUN(test_no_rdtscp);
	RUN(test_timer_erratum_list);
	RUN(test_short_buffer);
	return unit_done();
}
