/* kernel/test/selftest_guest.S: the tiny guest the hv self-test runs: one exit of each kind, in order (test kernel only).
 * The test goes past an exit the kernel does not complete (OUT, RDMSR, UD2, the refused XSETBV)
 * by writing NOPs over the instruction in guest memory: nothing in hv sets a guest's RIP. */
	.section .rodata.hvtest, "a"
	.code64
	.globl hvtest_guest_start, hvtest_guest_end, hvtest_hc1, hvtest_hc2, hvtest_ud2, hvtest_out, hvtest_rdmsr, \
		hvtest_xsetbv0
hvtest_guest_start:
	movl $0, %eax              /* 1: hypercall 0 (the kernel sets RAX = 0x55) */
hvtest_hc1:
	vmcall                     /* patched to VMMCALL on AMD */
	movq %rax, %r12            /* keep the result */
	xorl %ecx, %ecx
	xgetbv                     /* initial XCR0 -> r13 */
	movq %rax, %r13
	movl $3, %eax              /* XSETBV x87|SSE: handled inside hv, never reported */
	xorl %edx, %edx
	xorl %ecx, %ecx
	xsetbv
	xgetbv
	movq %rax, %r14
	movl $1, %eax              /* 2: CPUID leaf 1 -> the test answers 11, 22, 33, 44 */
	cpuid
	movq %rbx, %r15
	hlt                        /* 3: HLT */
	movw $0x80, %dx            /* 4: OUT to port 0x80 */
hvtest_out:
	outb %al, %dx
	movl $0x10, %ecx           /* 5: RDMSR 0x10 */
hvtest_rdmsr:
	rdmsr
	movq $0x300000, %rbx       /* 6: read a page the test unmapped from EPT/NPT */
	movq (%rbx), %rax
	movq %rax, %rbp            /* the test wrote 0x1122334455667788 there before mapping it back */
hvtest_ud2:
	ud2                        /* 7: #UD */
	xorl %eax, %eax            /* 8: XSETBV 0: refused, #GP injected, intercepted */
	xorl %edx, %edx
	xorl %ecx, %ecx
hvtest_xsetbv0:
	xsetbv
	movl $1, %eax              /* 9: hypercall 1 with the results in RDI, RSI, RDX, R10, R8, R9 */
	movq %r12, %rdi
	movq %r13, %rsi
	movq %r14, %rdx
	movq %r15, %r10
	movq %rbp, %r8
	movq $0x99, %r9
hvtest_hc2:
	vmcall
	jmp .
hvtest_guest_end:

	.section .note.GNU-stack, "", @progbits
