/* tests/attack/tf-intercept/main.c: sets RFLAGS.TF right before a hypercall (POPF's trap comes after the next instruction): the call completes (it prints), then the single-step trap it owes stops the app. */
#include "tests/attack/attack.h"
int main(void)
{
	static const char msg[] = "stepped over the hypercall\n";
	uint64_t len = sizeof(msg) - 1, nr = UV_HC_CONSOLE_WRITE;
	if (boot_info->hc_insn == UV_HC_INSN_VMMCALL)
		__asm__ volatile("pushfq\n\torq $0x100, (%%rsp)\n\tpopfq\n\tvmmcall"
				 : "+a"(nr) : "D"(msg), "S"(len) : "memory", "cc");
	else
		__asm__ volatile("pushfq\n\torq $0x100, (%%rsp)\n\tpopfq\n\tvmcall"
				 : "+a"(nr) : "D"(msg), "S"(len) : "memory", "cc");
	puts_("ESCAPED: no single-step trap\n");
	return 1;
}
