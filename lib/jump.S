/* SPDX-License-Identifier: MIT */
/*
 * A minimal setjmp/longjmp for the panic path: the hypervisor has no C
 * library.  Only the SysV callee-saved registers, the stack pointer and
 * the return address need saving.
 *
 *	int hv_setjmp(struct hv_jmp_buf *b);		0 now, v after a jump
 *	void hv_longjmp(struct hv_jmp_buf *b, int v);	never returns
 */
	.text
	.globl	hv_setjmp
	.type	hv_setjmp, @function
hv_setjmp:
	mov	%rbx, 0(%rdi)
	mov	%rbp, 8(%rdi)
	mov	%r12, 16(%rdi)
	mov	%r13, 24(%rdi)
	mov	%r14, 32(%rdi)
	mov	%r15, 40(%rdi)
	lea	8(%rsp), %rax		/* the caller's RSP after our RET */
	mov	%rax, 48(%rdi)
	mov	(%rsp), %rax		/* our return address */
	mov	%rax, 56(%rdi)
	xor	%eax, %eax
	ret
	.size	hv_setjmp, . - hv_setjmp

	.globl	hv_longjmp
	.type	hv_longjmp, @function
hv_longjmp:
	mov	%esi, %eax
	test	%eax, %eax
	jnz	1f
	inc	%eax			/* setjmp must not appear to return 0 */
1:	mov	0(%rdi), %rbx
	mov	8(%rdi), %rbp
	mov	16(%rdi), %r12
	mov	24(%rdi), %r13
	mov	32(%rdi), %r14
	mov	40(%rdi), %r15
	mov	48(%rdi), %rsp
	jmp	*56(%rdi)
	.size	hv_longjmp, . - hv_longjmp

	.section .note.GNU-stack, "", @progbits
