/* SPDX-License-Identifier: MIT */
/*
 * VM entry and the VM-exit landing point.
 *
 *	int vmx_enter(u64 gpr[16], u64 launched);
 *
 * Loads the guest's general-purpose registers from gpr[] (indexed by x86
 * register number, RSP excluded: the VMCS holds it), then VMLAUNCH or
 * VMRESUME.  Returns one of the VMX_ENTER_* results of entry.h:
 * VMX_ENTER_EXITED after a VM exit, with the guest's registers saved back
 * into gpr[]; VMX_ENTER_FAIL_VALID or VMX_ENTER_FAIL_INVALID when the entry
 * itself failed; VMX_ENTER_FIELD_ERROR when the VMWRITE of HOST_RSP did.
 *
 * The host stack pointer is written into the VMCS on every entry, so a VM
 * exit lands in vmx_exit_landing on this very stack frame and returns to
 * vmx_enter's caller as if from an ordinary function call.  Only the SysV
 * callee-saved registers need saving: everything else is the caller's.
 */
#include <hv/vmx/entry.h>

#if VMX_ENTER_EXITED != 0
#error "vmx_exit_landing returns VMX_ENTER_EXITED with a XOR"
#endif

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

	mov	$ENTRY_VMCS_HOST_RSP, %rax
	vmwrite	%rsp, %rax
	jbe	.Lhost_rsp_failed	/* CF or ZF: VMfail (SDM 30.2) */

	/* Flags from this test survive the MOVs below. */
	test	%rsi, %rsi

	mov	ENTRY_GPR_RAX(%rdi), %rax
	mov	ENTRY_GPR_RCX(%rdi), %rcx
	mov	ENTRY_GPR_RDX(%rdi), %rdx
	mov	ENTRY_GPR_RBX(%rdi), %rbx
	mov	ENTRY_GPR_RBP(%rdi), %rbp
	mov	ENTRY_GPR_RSI(%rdi), %rsi
	mov	ENTRY_GPR_R8(%rdi), %r8
	mov	ENTRY_GPR_R9(%rdi), %r9
	mov	ENTRY_GPR_R10(%rdi), %r10
	mov	ENTRY_GPR_R11(%rdi), %r11
	mov	ENTRY_GPR_R12(%rdi), %r12
	mov	ENTRY_GPR_R13(%rdi), %r13
	mov	ENTRY_GPR_R14(%rdi), %r14
	mov	ENTRY_GPR_R15(%rdi), %r15
	mov	ENTRY_GPR_RDI(%rdi), %rdi

	jnz	.Lresume
	vmlaunch
	jmp	.Lfailed
.Lresume:
	vmresume
.Lfailed:
	/* Still here: the entry failed before loading guest state. */
	mov	$VMX_ENTER_FAIL_INVALID, %eax
	jc	.Lunwind		/* CF: VMfailInvalid */
	mov	$VMX_ENTER_FAIL_VALID, %eax
	jmp	.Lunwind

.Lhost_rsp_failed:
	mov	$VMX_ENTER_FIELD_ERROR, %eax
	jmp	.Lunwind

	.globl	vmx_exit_landing
	.type	vmx_exit_landing, @function
vmx_exit_landing:
	/* RSP is HOST_RSP: the gpr[] pointer is on top of the stack. */
	push	%rdi
	mov	8(%rsp), %rdi
	mov	%rax, ENTRY_GPR_RAX(%rdi)
	mov	%rcx, ENTRY_GPR_RCX(%rdi)
	mov	%rdx, ENTRY_GPR_RDX(%rdi)
	mov	%rbx, ENTRY_GPR_RBX(%rdi)
	mov	%rbp, ENTRY_GPR_RBP(%rdi)
	mov	%rsi, ENTRY_GPR_RSI(%rdi)
	mov	%r8, ENTRY_GPR_R8(%rdi)
	mov	%r9, ENTRY_GPR_R9(%rdi)
	mov	%r10, ENTRY_GPR_R10(%rdi)
	mov	%r11, ENTRY_GPR_R11(%rdi)
	mov	%r12, ENTRY_GPR_R12(%rdi)
	mov	%r13, ENTRY_GPR_R13(%rdi)
	mov	%r14, ENTRY_GPR_R14(%rdi)
	mov	%r15, ENTRY_GPR_R15(%rdi)
	pop	%rax
	mov	%rax, ENTRY_GPR_RDI(%rdi)
	xor	%eax, %eax		/* VMX_ENTER_EXITED */

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
