/* tests/attack/hello-asm/hello.S: the smallest app: console_write through the hypercall, then exit(7). */
#include "include/abi/uv_hypercall.h"
	.section .text
	.globl _start
_start:
	movq %rdi, %rbx                    /* the boot-info page */
	movl $2 /* UV_HC_CONSOLE_WRITE */, %eax
	leaq msg(%rip), %rdi
	movl $msg_end - msg, %esi
	call hypercall
	movl $1 /* UV_HC_EXIT */, %eax
	movl $7, %edi
	call hypercall
	ud2
/* VMMCALL when the boot-info page says so (hc_insn at offset 12), else VMCALL. */
hypercall:
	cmpl $UV_HC_INSN_VMMCALL, 12(%rbx)
	je 1f
	vmcall
	ret
1:	vmmcall
	ret
	.section .rodata
msg:	.ascii "hello from a hardware VM\n"
msg_end:
	.section .note.GNU-stack, "", @progbits
