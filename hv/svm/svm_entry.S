/* hv/svm/svm_entry.S: the SVM world switch: load guest GPRs, VMLOAD, VMRUN, VMSAVE, the hypercall fast path, save guest GPRs, restore host. */
#include "hv/spec_asm.h"
#include "hv/gprs_asm.h"
	.section .text
	.code64

#define G_VMCB G_END            /* struct svm_vcpu.vmcb, right after its registers (svm.h) */
#define VMCB_EXITCODE 0x70      /* struct vmcb_control.exitcode (svm_vmcb.h) */
#define SVM_EXIT_VMMCALL 0x81   /* APM2 Appendix C */

/* The frame below the host's callee-saved registers. */
#define F_HOST_VMCB 0
#define F_G 8
#define F_GUEST_VMCB 16
#define F_SIZE 24

/*
 * void svm_world_switch(uint64_t vmcb_pa, uint64_t host_vmcb_pa, struct hv_gprs *g)
 * Called with interrupts disabled. Runs with GIF=0 and host IF=1 around VMRUN so a
 * physical interrupt exits the guest (INTR intercept) but stays pending in the host
 * until the kernel enables interrupts (APM2 15.17, 15.21). Guest RAX/RSP/RIP are in
 * the VMCB; VMLOAD/VMSAVE move FS/GS/TR/LDTR hidden state and syscall MSRs (15.5.2).
 *
 * A VMMCALL exit takes the fast path first: the eight caller-saved guest registers go
 * into *g (the six arguments among them), the host's VMLOAD state comes back (its TR:
 * the IST stacks), and svm_hc_fast runs the call in C with GIF still 0 (an interrupt
 * that comes meanwhile stays pending and makes the next VMRUN exit at once, so slices
 * still end). The guest's callee-saved registers stay in place: C preserves them. When
 * it returns g the caller-saved registers are loaded back and the guest entered again,
 * without returning from here. When it returns another vCPU's registers (a hand-off:
 * svm_hc_fast has switched the app state), the callee-saved ones go out to *g, the RSB
 * is refilled (another app runs next: no return prediction of this one's may reach it),
 * the other's are loaded and its VMCB entered, and it is the current g from then on.
 * NULL: the exit leaves as any other. Every `ret` on the fast path returns from a call
 * made after the exit, so none of them can use a return prediction the guest left; the
 * RSB is refilled before the `ret` to the caller, the first one that could.
 */
	.globl svm_world_switch
svm_world_switch:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	pushq %rdi              /* guest VMCB */
	pushq %rdx              /* g */
	pushq %rsi              /* host VMCB */
	movq %rdi, %rax         /* guest VMCB */
	movq %rdx, %rdi         /* g, for CALLER_SAVED_IN */
	CALLEE_SAVED_IN %rdi, G_RBX
.Lcaller_saved_in:
	CALLER_SAVED_IN
	clgi
	sti
	vmload %rax
	vmrun %rax
	.globl svm_after_vmrun
svm_after_vmrun:
	vmsave %rax
	cmpq $SVM_EXIT_VMMCALL, VMCB_EXITCODE(%rax) /* the flags last to the JNE: MOV, VMLOAD keep them */
	/* Guest GPRs are live; RAX is free (the guest's is in the VMCB). */
	movq F_G(%rsp), %rax
	movq %rdi, G_RDI(%rax)
	CALLER_SAVED_OUT %rax
	movq %rax, %rdi         /* g */
	movq F_HOST_VMCB(%rsp), %rax
	vmload %rax             /* host TR (IST stacks), FS/GS, syscall MSRs */
	jne .Lleave

	/* The hypercall fast path. */
	call svm_hc_fast
	movq F_G(%rsp), %rdi
	cmpq %rax, %rdi
	jne .Lnot_again
	movq F_GUEST_VMCB(%rsp), %rax
	jmp .Lcaller_saved_in
.Lnot_again:
	testq %rax, %rax
	jz .Lleave
	/* The hand-off: this guest's callee-saved registers out, the other's in. */
	CALLEE_SAVED_OUT %rdi, G_RBX
	movq %rax, F_G(%rsp)
	movq G_VMCB(%rax), %rcx
	movq %rcx, F_GUEST_VMCB(%rsp)
	RSB_REFILL              /* a different app runs next */
	movq %rax, %rdi
	CALLEE_SAVED_IN %rdi, G_RBX
	movq %rcx, %rax         /* its VMCB */
	jmp .Lcaller_saved_in

.Lleave:
	movq F_G(%rsp), %rdx
	CALLEE_SAVED_OUT %rdx, G_RBX
	RSB_REFILL              /* before the first ret that did not follow a call of ours */
	cli
	stgi
	addq $F_SIZE, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret

	.section .note.GNU-stack, "", @progbits
