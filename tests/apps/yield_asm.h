/* tests/apps/yield_asm.h: a yield hypercall written inside an asm block, for test apps that must keep compiled code away from the registers they load and check around it. */
#ifndef TESTS_APPS_YIELD_ASM_H
#define TESTS_APPS_YIELD_ASM_H

#include "../../include/abi/uv_abi.h" /* relative: attack apps and libos apps use different -I */

/* RAX = UV_HC_YIELD, RDI = the deadline (loaded by the instruction string load_rdi), RSI = 0;
 * VMCALL or VMMCALL as the boot-info page says. Needs "m"(boot_info->hc_insn) as operand
 * [insn]; clobbers rax, rdi, rsi. */
#define UV_YIELD_ASM(load_rdi)          \
	"movl $5, %%eax\n\t"            \
	load_rdi                        \
	"xorl %%esi, %%esi\n\t"         \
	"cmpl $2, %[insn]\n\t"          \
	"je 1f\n\t"                     \
	"vmcall\n\t"                    \
	"jmp 2f\n"                      \
	"1:\tvmmcall\n"                 \
	"2:\n\t"
_Static_assert(UV_HC_YIELD == 5 && UV_HC_INSN_VMMCALL == 2, "UV_YIELD_ASM's constants");

#endif
