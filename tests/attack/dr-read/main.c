/* tests/attack/dr-read/main.c: reads DR1 (which SVM would otherwise share between apps): the kernel stops it at the MOV from DR1. */
#include "tests/attack/attack.h"
int main(void)
{
	uint64_t v;
	puts_("reading DR1\n");
	__asm__ volatile("mov %%dr1, %0" : "=r"(v));
	put_num("ESCAPED: DR1", (int64_t)v, 1);
	return 1;
}
