/* SPDX-License-Identifier: MIT */
/*
 * VM entry and the VM-exit landing point.
 *
 *	int vmx_enter(u64 gpr[16], u64 launched);
 *
 * Loads the guest's general-purpose registers from gpr[] (indexed by x86
 * register number, RSP excluded: the VMCS holds it), then VMLAUNCH or
 * VMRESUME.  Returns:
 *	0  after a VM exit, with the guest's registers saved back into gpr[];
 *	1  VMfailValid   (VM-instruction error field says why, SDM 30.4);
 *	2  VMfailInvalid (no current VMCS);
 *	3  the VMWRITE of HOST_RSP itself failed.
 *
 * The host stack pointer is written into the VMCS on every entry, so a VM
 * exit lands in vmx_exit_landing on this very stack frame and returns to
 * vmx_enter's caller as if from an ordinary function call.  Only the SysV
 * callee-saved registers need saving: everything else is the caller's.
 */
#define VMCS_HOST_RSP	0x6c14

#define GPR_RAX		0
#define GPR_RCX		8
#define GPR_RDX		16
#define GPR_RBX		24
#define GPR_RBP		40
#define GPR_RSI		48
#define GPR_RDI		56
#define GPR_R8		64
#define GPR_R9		72
#define GPR_R10		80
#define GPR_R11		88
#define GPR_R12		96
#define GPR_R13		104
#define GPR_R14		112
#define GPR_R15		120

	.text
	.globl	vmx_enter
	.type	vmx_enter, @function
vmx_enter:
	push	%rbp
	push	%rbx
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	push	%rdi			/* gpr[], found again at the exit */

	mov	$VMCS_HOST_RSP, %rax
	vmwrite	%rsp, %rax
	jbe	.Lhost_rsp_failed	/* CF or ZF: VMfail (SDM 30.2) */

	/* Flags from this test survive the MOVs below. */
	test	%rsi, %rsi

	mov	GPR_RAX(%rdi), %rax
	mov	GPR_RCX(%rdi), %rcx
	mov	GPR_RDX(%rdi), %rdx
	mov	GPR_RBX(%rdi), %rbx
	mov	GPR_RBP(%rdi), %rbp
	mov	GPR_RSI(%rdi), %rsi
	mov	GPR_R8(%rdi), %r8
	mov	GPR_R9(%rdi), %r9
	mov	GPR_R10(%rdi), %r10
	mov	GPR_R11(%rdi), %r11
	mov	GPR_R12(%rdi), %r12
	mov	GPR_R13(%rdi), %r13
	mov	GPR_R14(%rdi), %r14
	mov	GPR_R15(%rdi), %r15
	mov	GPR_RDI(%rdi), %rdi

	jnz	.Lresume
	vmlaunch
	jmp	.Lfailed
.Lresume:
	vmresume
.Lfailed:
	/* Still here: the entry failed before loading guest state. */
	mov	$2, %eax
	jc	.Lunwind		/* VMfailInvalid */
	mov	$1, %eax		/* VMfailValid */
	jmp	.Lunwind

.Lhost_rsp_failed:
	mov	$3, %eax
	jmp	.Lunwind

	.globl	vmx_exit_landing
	.type	vmx_exit_landing, @function
vmx_exit_landing:
	/* RSP is HOST_RSP: the gpr[] pointer is on top of the stack. */
	push	%rdi
	mov	8(%rsp), %rdi
	mov	%rax, GPR_RAX(%rdi)
	mov	%rcx, GPR_RCX(%rdi)
	mov	%rdx, GPR_RDX(%rdi)
	mov	%rbx, GPR_RBX(%rdi)
	mov	%rbp, GPR_RBP(%rdi)
	mov	%rsi, GPR_RSI(%rdi)
	mov	%r8, GPR_R8(%rdi)
	mov	%r9, GPR_R9(%rdi)
	mov	%r10, GPR_R10(%rdi)
	mov	%r11, GPR_R11(%rdi)
	mov	%r12, GPR_R12(%rdi)
	mov	%r13, GPR_R13(%rdi)
	mov	%r14, GPR_R14(%rdi)
	mov	%r15, GPR_R15(%rdi)
	pop	%rax
	mov	%rax, GPR_RDI(%rdi)
	xor	%eax, %eax

.Lunwind:
	pop	%rdi
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	pop	%rbp
	ret
	.size	vmx_enter, . - vmx_enter

	.section .note.GNU-stack, "", @progbits
