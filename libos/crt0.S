/* libos/crt0.S: the app's entry point: clears .bss, sets a known FPU/SSE state, calls __uv_start(boot info). */

/*
 * The kernel enters here in 64-bit mode with RDI = the boot-info page's address and
 * RSP = the stack top (16-byte aligned); nothing else is promised.
 */
	.section .text._start, "ax", @progbits
	.globl _start
	.type _start, @function
_start:
	xorl	%ebp, %ebp		/* outermost frame for backtraces */
	movq	%rdi, %rbx		/* boot info survives rep stos in a callee-saved register */
	leaq	__bss_start(%rip), %rdi
	leaq	__bss_end(%rip), %rcx
	subq	%rdi, %rcx
	xorl	%eax, %eax
	cld
	rep stosb
	/* x87 and SSE in their initial state (SDM 1 10.2.3: MXCSR 0x1f80 at reset); a guest
	 * without CR4.OSFXSR stops here with #UD instead of deep inside printf. */
	fninit
	ldmxcsr	mxcsr_default(%rip)
	movq	%rbx, %rdi
	andq	$-16, %rsp		/* the ABI wants RSP+8 16-byte aligned at a callee's entry */
	call	__uv_start
	ud2				/* __uv_start does not return */
	.size _start, . - _start

/* newlib's __libc_init_array calls _init before the .init_array constructors; there is no .init section. */
	.section .text._init, "ax", @progbits
	.globl _init
	.type _init, @function
_init:
	ret
	.size _init, . - _init

	.section .text._fini, "ax", @progbits
	.globl _fini
	.type _fini, @function
_fini:
	ret
	.size _fini, . - _fini

	.section .rodata.mxcsr_default, "a", @progbits
	.balign 4
mxcsr_default:
	.long	0x1f80

	.section .note.GNU-stack, "", @progbits
