/* hv/svm/svm_entry.S: the SVM world switch: load guest GPRs, VMLOAD, VMRUN, VMSAVE, save guest GPRs, restore host. */
#include "hv/spec_asm.h"
	.section .text
	.code64

/* struct svm_gprs offsets (hv/svm/svm.c) */
#define G_RBX 0
#define G_RCX 8
#define G_RDX 16
#define G_RSI 24
#define G_RDI 32
#define G_RBP 40
#define G_R8 48
#define G_R9 56
#define G_R10 64
#define G_R11 72
#define G_R12 80
#define G_R13 88
#define G_R14 96
#define G_R15 104

/*
 * void svm_world_switch(uint64_t vmcb_pa, uint64_t host_vmcb_pa, struct svm_gprs *g)
 * Called with interrupts disabled. Runs with GIF=0 and host IF=1 around VMRUN so a
 * physical interrupt exits the guest (INTR intercept) but stays pending in the host
 * until the kernel enables interrupts (APM2 15.17, 15.21). Guest RAX/RSP/RIP are in
 * the VMCB; VMLOAD/VMSAVE move FS/GS/TR/LDTR hidden state and syscall MSRs (15.5.2).
 */
	.globl svm_world_switch
svm_world_switch:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	pushq %rdx              /* g */
	pushq %rsi              /* host VMCB */
	movq %rdi, %rax         /* guest VMCB */

	movq G_RBX(%rdx), %rbx
	movq G_RCX(%rdx), %rcx
	movq G_RSI(%rdx), %rsi
	movq G_RDI(%rdx), %rdi
	movq G_RBP(%rdx), %rbp
	movq G_R8(%rdx), %r8
	movq G_R9(%rdx), %r9
	movq G_R10(%rdx), %r10
	movq G_R11(%rdx), %r11
	movq G_R12(%rdx), %r12
	movq G_R13(%rdx), %r13
	movq G_R14(%rdx), %r14
	movq G_R15(%rdx), %r15
	movq G_RDX(%rdx), %rdx

	clgi
	sti
	vmload %rax
	vmrun %rax
	.globl svm_after_vmrun
svm_after_vmrun:
	vmsave %rax
	RSB_REFILL              /* before any ret: no return prediction of the guest's survives */

	/* Guest GPRs are live; RAX is free (the guest's is in the VMCB). */
	movq 8(%rsp), %rax      /* g */
	movq %rbx, G_RBX(%rax)
	movq %rcx, G_RCX(%rax)
	movq %rdx, G_RDX(%rax)
	movq %rsi, G_RSI(%rax)
	movq %rdi, G_RDI(%rax)
	movq %rbp, G_RBP(%rax)
	movq %r8, G_R8(%rax)
	movq %r9, G_R9(%rax)
	movq %r10, G_R10(%rax)
	movq %r11, G_R11(%rax)
	movq %r12, G_R12(%rax)
	movq %r13, G_R13(%rax)
	movq %r14, G_R14(%rax)
	movq %r15, G_R15(%rax)

	popq %rax               /* host VMCB */
	vmload %rax             /* host TR (IST stacks), FS/GS, syscall MSRs */
	cli
	stgi
	popq %rdx
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret

	.section .note.GNU-stack, "", @progbits
