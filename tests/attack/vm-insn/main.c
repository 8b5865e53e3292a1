/* tests/attack/vm-insn/main.c: executes a virtualization instruction of its CPU's vendor (VMXOFF / VMLOAD). */
#include "tests/attack/attack.h"
int main(void)
{
	if (boot_info->hc_insn == UV_HC_INSN_VMMCALL) {
		puts_("trying VMLOAD\n");
		__asm__ volatile("vmload %%rax" : : "a"(0x1000));
	} else {
		puts_("trying VMXOFF\n");
		__asm__ volatile("vmxoff");
	}
	puts_("ESCAPED: the instruction returned\n");
	return 0;
}
