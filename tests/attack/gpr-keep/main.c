/* tests/attack/gpr-keep/main.c: every general register but RAX survives hypercalls and the switches to other apps they allow (yields), with a pattern in each. */
#include "tests/attack/attack.h"

int main(void)
{
	static uint64_t out[14];
	static uint64_t *outp = out;
	static uint64_t k;      /* statics: addressed RIP-relative, no register needed */
	static uint32_t insn;
	insn = boot_info->hc_insn;
	const char *bad = "";
	for (int round = 0; round < 20 && !*bad; round++) {
		k = 0x0101010101010101ull * (uint64_t)(round + 1);
		/* RDI and RSI carry yield's arguments (deadline 0, mask 0): they must come back 0. */
		__asm__ volatile(
			"push %%rbp\n\t"
			"movq %[k], %%rbx\n\t" "movq %%rbx, %%rcx\n\t" "notq %%rcx\n\t" "leaq 1(%%rbx), %%rdx\n\t"
			"leaq 2(%%rbx), %%rbp\n\t" "leaq 3(%%rbx), %%r8\n\t" "leaq 4(%%rbx), %%r9\n\t" "leaq 5(%%rbx), %%r10\n\t"
			"leaq 6(%%rbx), %%r11\n\t" "leaq 7(%%rbx), %%r12\n\t" "leaq 8(%%rbx), %%r13\n\t" "leaq 9(%%rbx), %%r14\n\t"
			"leaq 10(%%rbx), %%r15\n\t" "pushq %[o]\n\t"
			YIELD0_ASM
			"pop %%rax\n\t"
			"movq %%rbx, 0(%%rax)\n\t" "movq %%rcx, 8(%%rax)\n\t" "movq %%rdx, 16(%%rax)\n\t" "movq %%rbp, 24(%%rax)\n\t"
			"movq %%r8, 32(%%rax)\n\t" "movq %%r9, 40(%%rax)\n\t" "movq %%r10, 48(%%rax)\n\t" "movq %%r11, 56(%%rax)\n\t"
			"movq %%r12, 64(%%rax)\n\t" "movq %%r13, 72(%%rax)\n\t" "movq %%r14, 80(%%rax)\n\t" "movq %%r15, 88(%%rax)\n\t"
			"movq %%rdi, 96(%%rax)\n\t" "movq %%rsi, 104(%%rax)\n\t"
			"pop %%rbp\n\t"
			: : [k] "m"(k), [o] "m"(outp), [insn] "m"(insn)
			: "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "memory", "cc");
		uint64_t want[14] = { k, ~k, k + 1, k + 2, k + 3, k + 4, k + 5, k + 6, k + 7, k + 8, k + 9, k + 10, 0, 0 };
		for (int i = 0; i < 14; i++)
			if (out[i] != want[i])
				bad = "a general register changed across a yield";
	}
	check("gpr-keep.registers-survive-yields", !*bad, bad);
	checks_done();
	return 0;
}
