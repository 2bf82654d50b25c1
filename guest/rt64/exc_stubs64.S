/* SPDX-License-Identifier: MIT */
/*
 * IDT entry stubs for vectors 0-31 in IA-32e mode.  Each builds the same
 * frame (struct exc_frame in guest/rt/exception.c, x86-64 variant) and
 * calls exc_dispatch(), which may rewrite the saved RIP to resume
 * somewhere else.
 *
 * The CPU aligns RSP to 16 bytes before it pushes SS, RSP, RFLAGS, CS and
 * RIP (SDM Vol. 3A, 6.14.2).  Those 5, an error code, the vector and 15
 * GPRs make 22 quadwords, so RSP is 16-byte aligned again at the call, as
 * the SysV x86-64 ABI asks.  Interrupted code keeps no red zone (guests
 * are built with -mno-red-zone), since the CPU pushes onto its stack.
 */

	/*
	 * Vectors for which the CPU pushes an error code (SDM Vol. 3A,
	 * Table 6-1): #DF 8, #TS 10, #NP 11, #SS 12, #GP 13, #PF 14, #AC 17,
	 * #CP 21, #VC 29, #SX 30.  The others get a 0 pushed so the frame
	 * layout is the same for all.
	 */
	.macro exc_stub vec
	.text
	.balign 16
exc_stub_\vec:
	.set	has_err, (\vec == 8) || ((\vec >= 10) && (\vec <= 14))
	.set	has_err, has_err || (\vec == 17) || (\vec == 21)
	.set	has_err, has_err || (\vec == 29) || (\vec == 30)
	.if !has_err
	pushq	$0
	.endif
	pushq	$\vec
	jmp	exc_common
	.section .rodata
	.quad	exc_stub_\vec
	.endm

	.section .rodata
	.balign 8
	.globl exc_stubs
exc_stubs:
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	exc_stub \v
	.endr

	.text
exc_common:
	/* The last pushed is the frame's first member: r15 ... rax. */
	pushq	%rax
	pushq	%rcx
	pushq	%rdx
	pushq	%rbx
	pushq	%rbp
	pushq	%rsi
	pushq	%rdi
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	cld
	movq	%rsp, %rdi	/* struct exc_frame * */
	call	exc_dispatch
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rdi
	popq	%rsi
	popq	%rbp
	popq	%rbx
	popq	%rdx
	popq	%rcx
	popq	%rax
	addq	$16, %rsp	/* vector and error code */
	iretq

	.section .note.GNU-stack, "", @progbits
