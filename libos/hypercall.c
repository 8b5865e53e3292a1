/* libos/hypercall.c: the hypercall stubs uv_hc_<name>, one per UV_HYPERCALLS entry, each in its own section. */
#include "libos.h"

#define UV_STR_(x) #x
#define UV_STR(x) UV_STR_(x)

/*
 * Each stub is a C-ABI function: arguments arrive in RDI, RSI, RDX, RCX, R8, R9 and
 * the hypercall wants the fourth in R10 (include/abi/uv_hypercall.h); the number goes
 * in EAX and the result comes back in RAX. VMCALL (SDM 3C ch. 31, "VMCALL") on Intel,
 * VMMCALL (APM3, "VMMCALL") on AMD, picked at run time from __uv_hc_insn, which start.c
 * sets from the boot-info page before the first call. The kernel preserves every
 * register but RAX; the stub clobbers only R10 and flags (both caller-saved).
 * Own sections (.text.uv_hc_<name>) let --gc-sections drop unused stubs, so the
 * stub symbols left in an ELF say which calls it can make.
 * Each stub starts on a 32-byte boundary and both its call instructions start at most 24
 * bytes into it (VMCALL at 17, VMMCALL at 21: 3 + 5 + 7 + 2 and 4 bytes more), so neither
 * lies in the last 8 bytes of a page: a kernel on a CPU without nRIP-save (APM2 15.7.1; QEMU's SVM) decodes the
 * instruction to advance RIP and keeps that decode only for one whose 8 bytes it can
 * compare in one page; otherwise every call of that stub pays a guest page walk (one
 * build of httpd had net_write's VMMCALL at a page's byte 4089: +1,100 instructions a
 * request).
 */
#define UV_STUB_ALIGN 32
#define UV_STUB(NAME, name, nr, grant)                                          \
	__asm__(".section .text.uv_hc_" #name ", \"ax\", @progbits\n"          \
		".balign " UV_STR(UV_STUB_ALIGN) "\n"                          \
		".globl uv_hc_" #name "\n"                                     \
		".type uv_hc_" #name ", @function\n"                           \
		"uv_hc_" #name ":\n"                                           \
		"	movq %rcx, %r10\n"                                      \
		"	movl $" #nr ", %eax\n"                                  \
		"	cmpl $2, __uv_hc_insn(%rip)\n" /* UV_HC_INSN_VMMCALL */ \
		"	je 1f\n"                                                \
		"	vmcall\n"                                               \
		"	ret\n"                                                  \
		"1:	vmmcall\n"                                              \
		"	ret\n"                                                  \
		".size uv_hc_" #name ", . - uv_hc_" #name "\n"                 \
		".previous\n");
UV_HYPERCALLS(UV_STUB)
#undef UV_STUB

/* net_read's stub under the names of its waiting form (five arguments) and its sending
 * form (six) (univisor.h). */
__asm__(".globl uv_hc_net_read_wait\n"
	".type uv_hc_net_read_wait, @function\n"
	".set uv_hc_net_read_wait, uv_hc_net_read\n"
	".globl uv_hc_net_read_send\n"
	".type uv_hc_net_read_send, @function\n"
	".set uv_hc_net_read_send, uv_hc_net_read\n");

_Static_assert(UV_HC_INSN_VMMCALL == 2, "the stubs compare __uv_hc_insn with 2");
