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
	/* struct trap_frame (kernel/arch/trap.h) lists these in reverse: r15 is pushed last, lowest. */
	.irp r, rax, rbx, rcx, rdx, rsi, rdi, rbp, r8, r9, r10, r11, r12, r13, r14, r15
	pushq %\r
	.endr
	movq %rsp, %rdi
	movq %rsp, %rbx
	andq $-16, %rsp
	cld
	call trap_dispatch
	movq %rbx, %rsp
	.irp r, r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax
	popq %\r
	.endr
	addq $16, %rsp
	iretq

	.section .note.GNU-stack, "", @progbits
