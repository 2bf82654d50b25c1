/* SPDX-License-Identifier: MIT */
/*
 * Entry point of every runtime-based guest kernel.
 *
 * A Multiboot loader enters in 32-bit protected mode with flat segments and
 * paging off, but guarantees neither GDTR, IDTR nor a stack (spec 3.2), so
 * all three are set up here before any C runs.
 */
#include "multiboot.h"

#define MB_FLAGS	(MULTIBOOT_PAGE_ALIGN | MULTIBOOT_MEMORY_INFO)

#define GDT_CODE	0x08
#define GDT_DATA	0x10

#define STACK_SIZE	0x4000

	/* Must sit in the first 8 KiB of the image, 4-byte aligned. */
	.section .multiboot, "a"
	.balign 4
	.long MULTIBOOT_HEADER_MAGIC
	.long MB_FLAGS
	.long -(MULTIBOOT_HEADER_MAGIC + MB_FLAGS)

	.text
	.globl _start
_start:
	cli
	cld
	/* EAX/EBX survive in callee-saved registers until main() is called. */
	movl	%eax, %esi
	lgdt	gdt_desc
	ljmp	$GDT_CODE, $1f
1:	movw	$GDT_DATA, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %fs
	movw	%ax, %gs
	movw	%ax, %ss

	/*
	 * The loader should zero .bss (spec 3.1.3: bss_end_addr), but a test
	 * kernel must not depend on the code it tests; clear it ourselves.
	 * The stack lives in .bss and is not in use yet.
	 */
	movl	$__bss_start, %edi
	movl	$__bss_end, %ecx
	subl	%edi, %ecx
	xorl	%eax, %eax
	rep stosb

	movl	$stack_top, %esp
	xorl	%ebp, %ebp
	call	exc_init

	/* Keep the stack 16-byte aligned at the call (i386 SysV ABI). */
	subl	$8, %esp
	pushl	%ebx		/* struct multiboot_info * */
	pushl	%esi		/* magic */
	call	main
	addl	$4, %esp
	pushl	%eax		/* main's return value is the exit status */
	call	rt_exit

	.data
	.balign 8
gdt:
	.quad	0
	/* Flat 4 GiB, 32-bit, ring 0; accessed bits preset (SDM 3.4.5). */
	.quad	0x00cf9b000000ffff	/* 0x08: code, execute/read */
	.quad	0x00cf93000000ffff	/* 0x10: data, read/write */
gdt_end:

	.balign 4
	.word	0		/* align the base for the 6-byte operand */
gdt_desc:
	.word	gdt_end - gdt - 1
	.long	gdt

	.bss
	.balign 16
	.globl stack_top
stack:
	.skip	STACK_SIZE
stack_top:

	.section .note.GNU-stack, "", @progbits
