/* hv/gprs_asm.h: moving a guest's callee-saved registers between its register block and the CPU, for the world switches of both backends. */
#ifndef HV_GPRS_ASM_H
#define HV_GPRS_ASM_H

/*
 * Both backends keep RBX, RBP, R12, R13, R14, R15 in this order, 8 bytes apart, from
 * offset \rbx of the block \reg points to (struct svm_gprs, struct vmx_gprs: each header
 * asserts its layout). The fast hypercall path leaves them in the CPU (C preserves them);
 * they move only when the world switch leaves or another guest is entered.
 */
.macro CALLEE_SAVED_IN reg, rbx
	mov \rbx(\reg), %rbx
	mov \rbx+8(\reg), %rbp
	mov \rbx+16(\reg), %r12
	mov \rbx+24(\reg), %r13
	mov \rbx+32(\reg), %r14
	mov \rbx+40(\reg), %r15
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
