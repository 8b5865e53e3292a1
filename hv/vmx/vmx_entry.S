/* hv/vmx/vmx_entry.S: the world switch: host callee-saved registers out, guest GPRs in, VMLAUNCH/VMRESUME, the hypercall fast path, and back. */
#include "hv/vmx/vmx.h"
#include "hv/vmx/vmx_fields.h"
#include "hv/spec_asm.h"
#include "hv/gprs_asm.h"

/*
 * int vmx_enter(struct hv_gprs *g)
 *
 * The VMCS holds the guest's RSP/RIP/RFLAGS and the host's RIP (vmx_exit_point); the
 * host RSP is written here, pointing at the saved `g`. A VM exit loads only the
 * host-state area (SDM 3C 27.5): every GPR but RSP still holds the guest's value and
 * RFLAGS is 2 (interrupts stay off), so the exit path saves them into *g first.
 * Returns VMX_OK after an exit the fast path (at vmx_exit_point) did not complete,
 * VMX_FAIL_INVALID / VMX_FAIL_VALID when the VMX instruction failed (SDM 3C 30.2).
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
	jmp .Lenter
.Lhand_off:
	/* The hand-off (from the exit below, here to fall into the entry): this guest's
	 * callee-saved registers out, the other's entry. */
	CALLEE_SAVED_OUT %rdi, G_RBX
	mov %rax, (%rsp)
	RSB_REFILL				/* a different app runs next */
	mov %rax, %rdi				/* (RSB_REFILL keeps every register but RSP) */
.Lenter:					/* %rdi = g = 0(%rsp), its VMCS current */
	cmp VMX_HOST_RSP(%rdi), %rsp		/* the same stack as last time: the field holds it */
	je 2f
	mov $VMCS_HOST_RSP, %eax
	vmwrite %rsp, %rax
	jbe .Lfailed				/* CF or ZF: the VMWRITE failed */
	mov %rsp, VMX_HOST_RSP(%rdi)
2:	CALLEE_SAVED_IN %rdi, G_RBX
	cmpq $0, VMX_LAUNCHED(%rdi)		/* launched? MOVs below keep the flags */
.Lcaller_saved_in:
	mov G_RAX(%rdi), %rax
	CALLER_SAVED_IN
	jnz 1f
	vmlaunch
	jmp .Lfailed
1:	vmresume
	/* Only reached when VMLAUNCH/VMRESUME failed: CF = VMfailInvalid, ZF = VMfailValid. */
.Lfailed:
	mov $VMX_FAIL_VALID, %eax
	mov $VMX_FAIL_INVALID, %ecx
	cmovc %ecx, %eax
	RSB_REFILL				/* the fast path's VMRESUME comes here after guest code ran */
	add $8, %rsp				/* drop g */
	jmp .Lrestore

	.globl vmx_exit_point
	.type vmx_exit_point, @function
vmx_exit_point:
	push %rdi				/* the guest's RDI */
	mov 8(%rsp), %rdi			/* g */
	mov %rax, G_RAX(%rdi)
	CALLER_SAVED_OUT %rdi
	popq G_RDI(%rdi)
	/* The hypercall fast path: a VMCALL goes to vmx_hc_fast with the caller-saved guest
	 * registers in *g (the arguments among them) and the callee-saved ones in place (C
	 * preserves them); g back: the guest is entered again at once, without returning
	 * from here. Another vCPU's registers back (a hand-off: vmx_hc_fast made the app
	 * switch and loaded its VMCS): the callee-saved registers go out to *g, the RSB is
	 * refilled (another app runs next: no return prediction of this one's may reach it),
	 * and the other is entered as vmx_enter enters, its g current from then on.
	 * Interrupts stay off (RFLAGS is 2 after an exit, SDM 3C 27.5.3): one that
	 * comes meanwhile makes the VMRESUME exit at once (external-interrupt exiting). Every
	 * `ret` on this path returns from a call made after the exit, so none can use a
	 * return prediction the guest left; the RSB is refilled before the first that could. */
	mov $VMCS_EXIT_REASON, %eax
	vmread %rax, %rax
	jbe .Lsave_callee_saved			/* (a failed VMREAD: vmx_run reads it again and says why) */
	cmp $EXIT_REASON_VMCALL, %eax
	jne .Lsave_callee_saved
	call vmx_hc_fast
	mov (%rsp), %rdi			/* g */
	cmp %rax, %rdi
	jne .Lnot_again
	test %rdi, %rdi				/* g is not 0, so ZF=0 below: VMRESUME (it just exited) */
	jmp .Lcaller_saved_in
.Lnot_again:
	test %rax, %rax
	jnz .Lhand_off
.Lsave_callee_saved:
	mov (%rsp), %rdi			/* g */
	CALLEE_SAVED_OUT %rdi, G_RBX
	RSB_REFILL				/* before the first ret that did not follow a call of ours */
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
