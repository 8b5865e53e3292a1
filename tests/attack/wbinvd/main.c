/* tests/attack/wbinvd/main.c: WBINVD would flush every cache of the host: stopped (WBINVD exiting is required on VMX, intercepted on SVM). */
#include "tests/attack/attack.h"
int main(void)
{
	__asm__ volatile("wbinvd" ::: "memory");
	puts_("ESCAPED: WBINVD ran\n");
	return 1;
}
