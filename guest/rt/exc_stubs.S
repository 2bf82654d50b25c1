/* SPDX-License-Identifier: MIT */
/*
 * IDT entry stubs for vectors 0-31.  Each builds the same frame (see
 * struct exc_frame in exception.c) and calls exc_dispatch(), which may
 * rewrite the saved EIP to resume somewhere else.
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
	pushl	$0
	.endif
	pushl	$\vec
	jmp	exc_common
	.section .rodata
	.long	exc_stub_\vec
	.endm

	.section .rodata
	.balign 4
	.globl exc_stubs
exc_stubs:
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	exc_stub \v
	.endr

	.text
exc_common:
	pushal
	cld
	pushl	%esp		/* struct exc_frame * */
	call	exc_dispatch
	addl	$4, %esp
	popal
	addl	$8, %esp	/* vector and error code */
	iret

	.section .note.GNU-stack, "", @progbits
