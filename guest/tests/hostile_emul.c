// SPDX-License-Identifier: MIT
/*
 * The MMIO emulator and port I/O, attacked with the instruction forms it
 * claims to handle.  Memory with nothing behind it (the VGA hole at
 * 0xa0000 here) reads as all ones and drops stores, like an ISA bus with
 * nothing on it; so does every port but COM1 and isa-debug-exit (README,
 * Exits).
 *
 *  - Operand size and destination: a 16-bit load replaces AX only, an 8-bit
 *    load into AH replaces bits 15:8 only, MOVZX zero-extends (SDM 2, MOV,
 *    MOVZX; SDM 1 3.4.1.1).
 *  - Prefixes: redundant segment overrides, a 15-byte instruction; LOCK
 *    MOV and a 16-byte instruction are #UD and #GP(0) (SDM 2 2.1.1,
 *    2.3.11) and never reach the emulator.
 *  - An access split across RAM and the hole takes each byte from where it
 *    is: the RAM bytes are RAM, the hole bytes all ones.
 *  - A 16-bit code segment: [BX] addressing and 16-bit operands (the
 *    decoder once ignored CS.D).
 *  - Ports: every port reads all ones but COM1; multi-byte accesses
 *    straddling COM1's end or the top of the port space take unassigned
 *    bytes as 0xff; the PC reset ports (0xcf9, 0x92, 0x64) are dropped.
 *
 * Config (test/emu/hostile-suite.cfg): mem=16M
 */
#include "cpu.h"
#include "hostile.h"
#include "io.h"
#include "physmem.h"
#include "string.h"
#include "test.h"

#define HOLE		0xa0000u
#define HOLE_END	0x100000u

static void test_operand_forms(void)
{
	u32 v;
	int vec;

	v = 0x12340000u;
	asm volatile("movw (%1), %w0" : "+a"(v) : "r"(HOLE) : "memory");
	report(v == 0x1234ffffu, "mmio_movw_keeps_upper_half (%#x)", v);
	v = 0x11223344u;
	asm volatile("movb (%1), %%ah" : "+a"(v) : "r"(HOLE) : "memory");
	report(v == 0x1122ff44u, "mmio_movb_ah_high_byte (%#x)", v);
	v = 0x11223344u;
	asm volatile("movb (%1), %%bh" : "+b"(v) : "r"(HOLE + 1) : "memory");
	report(v == 0x1122ff44u, "mmio_movb_bh_high_byte (%#x)", v);
	asm volatile("movzbl (%1), %0" : "=r"(v) : "r"(HOLE + 3) : "memory");
	report(v == 0xffu, "mmio_movzx_byte (%#x)", v);
	asm volatile("movzwl (%1), %0" : "=r"(v) : "r"(HOLE + 6) : "memory");
	report(v == 0xffffu, "mmio_movzx_word (%#x)", v);
	v = 0;
	asm volatile("movl 0xa0010, %0" : "+a"(v) : : "memory");
	report(v == 0xffffffffu, "mmio_moffs_load (%#x)", v);
	asm volatile("movl $0x55aa55aa, 0xa0020" ::: "memory");
	asm volatile("movb $0x55, (%0)" : : "r"(HOLE + 0x21) : "memory");
	report(phys_read32(HOLE + 0x20) == 0xffffffffu, "mmio_store_imm_dropped");

	/* Four redundant segment overrides, then ES: and a disp32. */
	v = 0;
	asm volatile(".byte 0x2e, 0x3e, 0x36, 0x64, 0x26\n\t"
		     "movl 0x10(%1), %0" : "+r"(v) : "r"(HOLE) : "memory");
	report(v == 0xffffffffu, "mmio_redundant_prefixes (%#x)", v);
	/* 11 DS overrides + 66 8b /r disp8: 15 bytes, the longest legal. */
	v = 0;
	asm volatile(".byte 0x3e,0x3e,0x3e,0x3e,0x3e,0x3e,0x3e,0x3e,0x3e,0x3e,0x3e\n\t"
		     "movw 0x30(%1), %w0" : "+r"(v) : "r"(HOLE) : "memory");
	report(v == 0xffffu, "mmio_15_byte_instruction (%#x)", v);

	exc_clear();
	v = 0;
	asm volatile(ASM_TRY_BEGIN ".byte 0xf0\n\tmovl (%1), %0" ASM_TRY_END
		     : "+r"(v) : "r"(HOLE) : "memory");
	vec = exc_caught(NULL);
	expect_vec(vec, UD_VECTOR, "mmio_lock_mov_ud");

	/* One more prefix: 16 bytes > 15 is #GP(0). */
	exc_clear();
	asm volatile(ASM_TRY_BEGIN
		     ".byte 0x3e,0x3e,0x3e,0x3e,0x3e,0x3e,0x3e,0x3e,0x3e,0x3e,0x3e,0x3e\n\t"
		     "movw 0x30(%1), %w0" ASM_TRY_END
		     : "+r"(v) : "r"(HOLE) : "memory");
	vec = exc_caught(NULL);
	expect_vec(vec, GP_VECTOR, "mmio_16_byte_instruction_gp");
}

static void test_split(void)
{
	volatile u8 *ram = (volatile u8 *)(uintptr_t)(HOLE - 4);
	u32 v;

	ram[0] = 0x11;
	ram[1] = 0x22;
	ram[2] = 0x34;
	ram[3] = 0x12;
	v = phys_read32(HOLE - 2);
	report(v == 0xffff1234u, "split_load_ram_then_hole (%#x)", v);
	phys_write32(HOLE - 2, 0xddccbbaau);
	report(ram[2] == 0xaa && ram[3] == 0xbb,
	       "split_store_ram_then_hole (%#x %#x)", ram[2], ram[3]);
	/* The kernel starts at 1 MiB with the Multiboot magic 0x1badb002. */
	v = phys_read32(HOLE_END - 2);
	report(v == 0xb002ffffu, "split_load_hole_then_ram (%#x)", v);
}

/*
 * A 16-bit code segment whose base is code16's address, and a 16-bit data
 * segment based at the hole.  The stub loads AX from DS:[BX] (8b 07: in
 * 32-bit code that would be [EDI]) and returns with a 32-bit far return.
 */
void code16(void);
asm(".text\n.balign 16\n.globl code16\ncode16:\n"
    ".code16\n\t"
    "movw %cx, %ds\n\t"
    "movw (%bx), %ax\n\t"
    "movw %dx, %ds\n\t"
    "lretl\n"
    ".code32\n");

static u64 gdt16[5] __attribute__((aligned(8)));

static u64 seg(u32 base, u32 limit, u32 access, u32 flags)
{
	return (limit & 0xffff) | ((u64)(base & 0xffffff) << 16) |
	       ((u64)access << 40) | ((u64)((limit >> 16) & 0xf) << 48) |
	       ((u64)flags << 52) | ((u64)(base >> 24) << 56);
}

static void test_code16(void)
{
	struct desc_ptr old, gdtr = { .limit = sizeof(gdt16) - 1,
				      .base = (uintptr_t)gdt16 };
	u32 eax = 0xabcd0000u;

	asm volatile("sgdt %0" : "=m"(old));
	gdt16[1] = 0x00cf9b000000ffffull;
	gdt16[2] = 0x00cf93000000ffffull;
	gdt16[3] = seg((u32)(uintptr_t)code16, 0xffff, 0x9b, 0);	/* D = 0 */
	gdt16[4] = seg(HOLE, 0xffff, 0x93, 0);
	asm volatile("lgdt %0" : : "m"(gdtr) : "memory");
	asm volatile("lcall $0x18, $0"
		     : "+a"(eax) : "b"(0x40), "c"(0x20), "d"(0x10)
		     : "memory");
	asm volatile("lgdt %0" : : "m"(old) : "memory");
	report(eax == 0xabcdffffu, "mmio_16bit_code_segment (%#x)", eax);
}

static bool is_com1(u32 port)
{
	return port >= 0x3f8 && port <= 0x3ff;
}

static void test_ports(void)
{
	u32 bad = 0, first = 0, v;

	for (u32 port = 0; port <= 0xffff; port++) {
		if (is_com1(port))
			continue;
		if (inb(port) != 0xff && !bad++)
			first = port;
	}
	report(!bad, "every_port_inb_reads_ones (%u bad, first %#x)", bad, first);
	bad = 0;
	for (u32 port = 0; port <= 0xfffc; port += 0x101) {
		if (port >= 0x3f5 && port <= 0x3ff)
			continue;
		if (inw(port) != 0xffff || inl(port) != 0xffffffffu)
			bad++;
	}
	report(!bad, "sampled_ports_inw_inl_read_ones (%u bad)", bad);

	v = inw(0xffff);
	report(v == 0xffff, "inw_top_of_port_space (%#x)", v);
	v = inl(0xfffd);
	report(v == 0xffffffffu, "inl_top_of_port_space (%#x)", v);
	v = inl(0x3fe);
	report((v >> 16) == 0xffff, "inl_straddling_com1_end (%#x)", v);
	v = inw(0x3f7);
	report((v & 0xff) == 0xff, "inw_straddling_com1_start (%#x)", v);
	outb(0x3ff, 0xa5);
	v = inb(0x3ff);
	report(v == 0xa5, "com1_scratch_roundtrip (%#x)", v);

	outl(0xcf8, 0x80000000u);
	v = inl(0xcfc);
	report(v == 0xffffffffu, "pci_config_no_host_bridge (%#x)", v);
	outb(0xcf9, 0x0e);	/* PC: full reset */
	outb(0x92, 0x01);	/* PC: fast reset */
	outb(0x64, 0xfe);	/* PC: keyboard controller reset */
	/* Still running, and the writes left nothing behind: all ones. */
	v = inb(0xcf9) << 16 | inb(0x92) << 8 | inb(0x64);
	report(v == 0xffffff, "pc_reset_ports_dropped_guest_alive (%#x)", v);
}

int main(void)
{
	test_init("hostile_emul");
	test_operand_forms();
	test_split();
	test_code16();
	test_ports();
	test_exit();
}
