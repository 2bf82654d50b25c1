/* SPDX-License-Identifier: MIT */
/*
 * A Multiboot kernel that uses nothing from guest/rt: its own header, no
 * GDT, IDT or C.  It checks that Aperture boots any plain Multiboot 1
 * kernel, and the same image must boot unchanged under
 *	qemu-system-x86_64 -kernel standalone.elf
 * Output goes to COM1 by polling LSR.THRE; exit is isa-debug-exit with 0.
 */
#define MB_MAGIC	0x1BADB002
#define MB_FLAGS	0x00000003	/* page-align | memory info */

#define COM1_THR	0x3f8
#define COM1_LSR	0x3fd
#define LSR_THRE	0x20
#define DEBUG_EXIT	0xf4

	.section .multiboot, "a"
	.balign 4
	.long	MB_MAGIC
	.long	MB_FLAGS
	.long	-(MB_MAGIC + MB_FLAGS)

	.text
	.globl _start
_start:
	cli
	cld
	movl	$stack_top, %esp	/* the loader gives no stack */
	movl	$msg, %esi
	call	puts
	xorl	%eax, %eax
	outb	%al, $DEBUG_EXIT
1:	hlt				/* only if no exit device exists */
	jmp	1b

/* puts: write the NUL-terminated string at %esi to COM1. */
puts:
	lodsb
	testb	%al, %al
	jz	2f
	movb	%al, %cl
	movw	$COM1_LSR, %dx
1:	inb	%dx, %al
	testb	$LSR_THRE, %al
	jz	1b
	movb	%cl, %al
	movw	$COM1_THR, %dx
	outb	%al, %dx
	jmp	puts
2:	ret

	.section .rodata
msg:
	.ascii	"standalone: hello from a plain Multiboot kernel\n"
	.asciz	"PASS: standalone: boot\n"

	.bss
	.balign 16
	.skip	1024
stack_top:

	.section .note.GNU-stack, "", @progbits
