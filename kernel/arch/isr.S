/* kernel/arch/isr.S: the 256 interrupt entry stubs and the common save/restore path into trap_dispatch. */
	.section .text
	.code64

/* Vectors where the CPU pushes an error code (SDM 3A 6.15). */
#define HAS_ERR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

	.macro stub v
	.balign 16
isr_stub_\v:
	.if HAS_ERR(\v) == 0
	pushq $0
	.endif
	pushq $\v
	jmp isr_common
	.endm

	.altmacro
	.globl isr_stubs
isr_stubs:
	.set v, 0
	.rept 256
	stub %v
	.set v, v + 1
	.endr

isr_common:
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, %rdi
	movq %rsp, %rbx
	andq $-16, %rsp
	cld
	call trap_dispatch
	movq %rbx, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp
	iretq

	.section .note.GNU-stack, "", @progbits
