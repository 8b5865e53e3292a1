/* libos/thread_switch.S: the cooperative context switch (callee-saved registers and the stack pointer) and a new thread's first frame. */

/*
 * void __uv_ctx_switch(uint64_t *save_rsp, uint64_t load_rsp)
 * Pushes the SysV callee-saved registers (System V AMD64 ABI 3.2.1: rbx, rbp, r12-r15)
 * on the current stack, stores its rsp in *save_rsp, loads load_rsp and pops the
 * other thread's registers: ret then resumes it where it called this function.
 */
	.text
	.globl __uv_ctx_switch
	.type __uv_ctx_switch, @function
__uv_ctx_switch:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, (%rdi)
	movq %rsi, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret
	.size __uv_ctx_switch, . - __uv_ctx_switch

/*
 * A new thread's stack holds six zero registers (r12 = its struct uv_thread) and then
 * this address: the first switch to it "returns" here with rsp 16-byte aligned, so
 * the call below enters __uv_thread_start as the ABI wants (rsp + 8 aligned).
 */
	.globl __uv_thread_trampoline
	.type __uv_thread_trampoline, @function
__uv_thread_trampoline:
	movq %r12, %rdi
	call __uv_thread_start
	ud2 /* __uv_thread_start never returns */
	.size __uv_thread_trampoline, . - __uv_thread_trampoline

	.section .note.GNU-stack,"",@progbits
