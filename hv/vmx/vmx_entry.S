/* hv/vmx/vmx_entry.S: the world switch: host callee-saved registers out, guest GPRs in, VMLAUNCH/VMRESUME, and back. */
#include "hv/vmx/vmx.h"
#include "hv/vmx/vmx_fields.h"
#include "hv/spec_asm.h"

/*
 * int vmx_enter(struct vmx_gprs *g, int launched)
 *
 * The VMCS holds the guest's RSP/RIP/RFLAGS and the host's RIP (vmx_exit_point); the
 * host RSP is written here, pointing at the saved `g`. A VM exit loads only the
 * host-state area (SDM 3C 27.5): every GPR but RSP still holds the guest's value and
 * RFLAGS is 2 (interrupts stay off), so the exit path saves them into *g first.
 * Returns VMX_OK after an exit, VMX_FAIL_INVALID / VMX_FAIL_VALID when the VMX
 * instruction failed (SDM 3C 30.2) and no guest code ran.
 */
	.text
	.globl vmx_enter
	.type vmx_enter, @function
vmx_enter:
	push %rbp
	push %rbx
	push %r12
	push %r13
	push %r14
	push %r15
	push %rdi				/* g, found at 0(%rsp) after the exit */
	cmp VMX_HOST_RSP(%rdi), %rsp		/* the same stack as last time: the field holds it */
	je 2f
	mov $VMCS_HOST_RSP, %eax
	vmwrite %rsp, %rax
	jbe .Lfailed				/* CF or ZF: the VMWRITE failed */
	mov %rsp, VMX_HOST_RSP(%rdi)
2:	test %esi, %esi				/* launched? MOVs below keep the flags */
	mov VMX_GPR_RAX(%rdi), %rax
	mov VMX_GPR_RCX(%rdi), %rcx
	mov VMX_GPR_RDX(%rdi), %rdx
	mov VMX_GPR_RBX(%rdi), %rbx
	mov VMX_GPR_RBP(%rdi), %rbp
	mov VMX_GPR_RSI(%rdi), %rsi
	mov VMX_GPR_R8(%rdi), %r8
	mov VMX_GPR_R9(%rdi), %r9
	mov VMX_GPR_R10(%rdi), %r10
	mov VMX_GPR_R11(%rdi), %r11
	mov VMX_GPR_R12(%rdi), %r12
	mov VMX_GPR_R13(%rdi), %r13
	mov VMX_GPR_R14(%rdi), %r14
	mov VMX_GPR_R15(%rdi), %r15
	mov VMX_GPR_RDI(%rdi), %rdi
	jnz 1f
	vmlaunch
	jmp .Lfailed
1:	vmresume
	/* Only reached when VMLAUNCH/VMRESUME failed: CF = VMfailInvalid, ZF = VMfailValid. */
.Lfailed:
	mov $VMX_FAIL_VALID, %eax
	mov $VMX_FAIL_INVALID, %ecx
	cmovc %ecx, %eax
	add $8, %rsp				/* drop g */
	jmp .Lrestore

	.globl vmx_exit_point
	.type vmx_exit_point, @function
vmx_exit_point:
	RSB_REFILL				/* before any ret: no return prediction of the guest's survives */
	push %rdi				/* the guest's RDI */
	mov 8(%rsp), %rdi			/* g */
	mov %rax, VMX_GPR_RAX(%rdi)
	mov %rcx, VMX_GPR_RCX(%rdi)
	mov %rdx, VMX_GPR_RDX(%rdi)
	mov %rbx, VMX_GPR_RBX(%rdi)
	mov %rbp, VMX_GPR_RBP(%rdi)
	mov %rsi, VMX_GPR_RSI(%rdi)
	mov %r8, VMX_GPR_R8(%rdi)
	mov %r9, VMX_GPR_R9(%rdi)
	mov %r10, VMX_GPR_R10(%rdi)
	mov %r11, VMX_GPR_R11(%rdi)
	mov %r12, VMX_GPR_R12(%rdi)
	mov %r13, VMX_GPR_R13(%rdi)
	mov %r14, VMX_GPR_R14(%rdi)
	mov %r15, VMX_GPR_R15(%rdi)
	popq VMX_GPR_RDI(%rdi)
	add $8, %rsp				/* drop g */
	xor %eax, %eax				/* VMX_OK */
.Lrestore:
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbx
	pop %rbp
	ret
	.size vmx_enter, . - vmx_enter

	.section .note.GNU-stack, "", @progbits
