/* hv/gprs_asm.h: the guest register block's layout, and moving its registers between it and the CPU, for the world switches of both backends. */
#ifndef HV_GPRS_ASM_H
#define HV_GPRS_ASM_H

/* Offsets in struct hv_gprs (hv/hv_backend.h asserts them): the hypercall's six argument
 * registers, the other caller-saved ones, the callee-saved ones, RAX. */
#define G_RDI 0
#define G_RSI 8
#define G_RDX 16
#define G_R10 24
#define G_R8 32
#define G_R9 40
#define G_RCX 48
#define G_R11 56
#define G_RBX 64
#define G_RAX 112
#define G_END 120 /* where the backend's own world-switch fields begin, right after the block */

#ifdef __ASSEMBLER__
/*
 * RBX, RBP, R12, R13, R14, R15 in this order, 8 bytes apart, from offset \rbx of the block
 * \reg points to. The fast hypercall path leaves them in the CPU (C preserves them); they
 * move only when the world switch leaves or another guest is entered.
 */
.macro CALLEE_SAVED_IN reg, rbx
	mov \rbx(\reg), %rbx
	mov \rbx+8(\reg), %rbp
	mov \rbx+16(\reg), %r12
	mov \rbx+24(\reg), %r13
	mov \rbx+32(\reg), %r14
	mov \rbx+40(\reg), %r15
.endm
/* The guest's caller-saved registers but RAX (VMX loads it first; SVM's is in the VMCB) from
 * the block %rdi points to, %rdi itself last: the one shape of the way in of both world
 * switches, for the first entry and every fast re-entry. Keeps the flags. */
.macro CALLER_SAVED_IN
	mov G_RCX(%rdi), %rcx
	mov G_RDX(%rdi), %rdx
	mov G_RSI(%rdi), %rsi
	mov G_R8(%rdi), %r8
	mov G_R9(%rdi), %r9
	mov G_R10(%rdi), %r10
	mov G_R11(%rdi), %r11
	mov G_RDI(%rdi), %rdi
.endm
/* The way out's twin: the guest's caller-saved registers but RAX and RDI into the block \reg
 * points to (each world switch has those two elsewhere at its exit: VMX's RDI is its base
 * register, SVM's RAX is in the VMCB). Keeps the flags. */
.macro CALLER_SAVED_OUT reg
	mov %rcx, G_RCX(\reg)
	mov %rdx, G_RDX(\reg)
	mov %rsi, G_RSI(\reg)
	mov %r8, G_R8(\reg)
	mov %r9, G_R9(\reg)
	mov %r10, G_R10(\reg)
	mov %r11, G_R11(\reg)
.endm
.macro CALLEE_SAVED_OUT reg, rbx
	mov %rbx, \rbx(\reg)
	mov %rbp, \rbx+8(\reg)
	mov %r12, \rbx+16(\reg)
	mov %r13, \rbx+24(\reg)
	mov %r14, \rbx+32(\reg)
	mov %r15, \rbx+40(\reg)
.endm
#endif

#endif
