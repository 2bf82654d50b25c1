/* SPDX-License-Identifier: MIT */
/*
 * The instruction and the #GP handler of xsetbv_checked.c.  A #GP pushes
 * an error code, then RIP, CS, RFLAGS, RSP and SS (SDM 3A 6.14.2): if the
 * fault is the XSETBV below, resume at the landing that reports it.
 */
	.text

/* int xsetbv_try(u64 val): XCR0 = val; returns 0, or 1 if it faulted. */
	.globl	xsetbv_try
	.type	xsetbv_try, @function
xsetbv_try:
	movq	%rdi, %rax
	movq	%rdi, %rdx
	shrq	$32, %rdx
	xorl	%ecx, %ecx
xsetbv_insn:
	xsetbv
	xorl	%eax, %eax
	ret
xsetbv_faulted:
	movl	$1, %eax
	ret
	.size	xsetbv_try, . - xsetbv_try

	.globl	xsetbv_gp_stub
	.type	xsetbv_gp_stub, @function
xsetbv_gp_stub:
	pushq	%rax
	leaq	xsetbv_insn(%rip), %rax
	cmpq	%rax, 16(%rsp)		/* RIP, past our RAX and the error code */
	jne	1f
	leaq	xsetbv_faulted(%rip), %rax
	movq	%rax, 16(%rsp)
	popq	%rax
	addq	$8, %rsp		/* the error code */
	iretq
	/* Any other #GP while this IDT is loaded is our bug: stop here. */
1:	ud2
	.size	xsetbv_gp_stub, . - xsetbv_gp_stub

	.section .note.GNU-stack, "", @progbits
