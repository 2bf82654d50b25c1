/* SPDX-License-Identifier: MIT */
/*
 * Entry point of the 64-bit (long-mode) builds of runtime-based kernels.
 *
 * Multiboot 1 enters a kernel in 32-bit protected mode with paging off
 * (spec 3.2), so the kernel switches to IA-32e mode itself, on its own
 * page tables, the way SDM Vol. 3A 9.8.5 ("Initializing IA-32e Mode")
 * describes: PAE on, CR3 at a PML4, EFER.LME set, then CR0.PG, then a far
 * jump into a 64-bit code segment.  The image is linked as x86-64 and
 * shipped as an ELF32 container, which is all a Multiboot loader takes.
 *
 * The page tables identity-map the whole 32-bit physical space with
 * 2-MByte pages, so the 64-bit kernel sees the same addresses as the
 * 32-bit one: its image at 1 MiB, low RAM, the VGA hole at 0xa0000 and
 * the memslots at 0xe0000000.
 */
#include "multiboot.h"

#define MB_FLAGS	(MULTIBOOT_PAGE_ALIGN | MULTIBOOT_MEMORY_INFO)

#define GDT_CODE64	0x08
#define GDT_DATA	0x10

#define STACK_SIZE	0x4000

#define X86_CR0_PG	(1 << 31)
#define X86_CR4_PAE	(1 << 5)
#define MSR_EFER	0xc0000080
#define EFER_LME	(1 << 8)

/* Paging-structure entry bits (SDM 3A 4.5, Tables 4-15 to 4-18). */
#define PTE_P		0x001
#define PTE_RW		0x002
#define PTE_PS		0x080	/* PDE maps a 2-MByte page */

	/* Must sit in the first 8 KiB of the image, 4-byte aligned. */
	.section .multiboot, "a"
	.balign 4
	.long MULTIBOOT_HEADER_MAGIC
	.long MB_FLAGS
	.long -(MULTIBOOT_HEADER_MAGIC + MB_FLAGS)

	.text
	.code32
	.globl _start
_start:
	cli
	cld
	/* Multiboot magic and info pointer, kept until main() is called. */
	movl	%eax, %ebp
	lgdt	gdt_desc
	movw	$GDT_DATA, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %fs
	movw	%ax, %gs
	movw	%ax, %ss

	/* CR3 goes first: PAE paging is not on yet, so nothing is loaded. */
	movl	%cr4, %eax
	orl	$X86_CR4_PAE, %eax
	movl	%eax, %cr4
	movl	$pml4, %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$EFER_LME, %eax
	wrmsr
	/* PG with LME activates IA-32e mode; we run in compatibility mode. */
	movl	%cr0, %eax
	orl	$X86_CR0_PG, %eax
	movl	%eax, %cr0
	ljmp	$GDT_CODE64, $start64

	.code64
start64:
	/*
	 * The upper halves of the GPRs are undefined after the switch
	 * (SDM 1 3.4.1.1); 32-bit moves zero-extend.
	 */
	movl	%ebp, %r12d
	movl	%ebx, %r13d
	xorl	%ebp, %ebp

	/* .bss holds the stack; clear it before using it (see entry.S). */
	movl	$__bss_start, %edi
	movl	$__bss_end, %ecx
	subl	%edi, %ecx
	xorl	%eax, %eax
	rep stosb

	/* 16-byte aligned at every call, as the SysV x86-64 ABI asks. */
	movl	$stack_top, %esp
	call	exc_init

	movl	%r12d, %edi	/* magic */
	movl	%r13d, %esi	/* struct multiboot_info * */
	call	main
	movl	%eax, %edi	/* main's return value is the exit status */
	call	rt_exit

	.data
	.balign 8
gdt:
	.quad	0
	/* 64-bit code (L=1, D=0), ring 0, accessed (SDM 3A 3.4.5). */
	.quad	0x00af9b000000ffff	/* 0x08 */
	/* Flat 4 GiB data, read/write; loaded while still in 32-bit mode. */
	.quad	0x00cf93000000ffff	/* 0x10 */
gdt_end:

	.balign 4
	.word	0		/* align the base for the 6-byte operand */
gdt_desc:
	.word	gdt_end - gdt - 1
	.long	gdt

	/*
	 * Built at assembly time: one PML4 entry, four PDPT entries, and four
	 * page directories of 512 2-MByte pages each, mapping [0, 4 GiB).
	 */
	.balign 4096
pml4:
	.quad	pdpt + (PTE_P | PTE_RW)
	.fill	511, 8, 0
pdpt:
	.quad	pd + 0 * 4096 + (PTE_P | PTE_RW)
	.quad	pd + 1 * 4096 + (PTE_P | PTE_RW)
	.quad	pd + 2 * 4096 + (PTE_P | PTE_RW)
	.quad	pd + 3 * 4096 + (PTE_P | PTE_RW)
	.fill	508, 8, 0
pd:
	.set	page, 0
	.rept	4 * 512
	.quad	(page << 21) | PTE_PS | PTE_P | PTE_RW
	.set	page, page + 1
	.endr

	.bss
	.balign 16
	.globl stack_top
stack:
	.skip	STACK_SIZE
stack_top:

	.section .note.GNU-stack, "", @progbits
