/* tests/attack/cpuid-check/main.c: prints what CPUID shows inside an app (the kernel filters it). */
#include "tests/attack/attack.h"
static void cpuid(uint32_t leaf, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(0));
}
int main(void)
{
	uint32_t r[4];
	cpuid(1, r);
	put_num("leaf1-hypervisor-bit", (r[2] >> 31) & 1, 0);
	put_num("leaf1-vmx-bit", (r[2] >> 5) & 1, 0);
	cpuid(0x80000001, r);
	put_num("ext1-svm-bit", (r[2] >> 2) & 1, 0);
	cpuid(0x40000000, r);
	char sig[13];
	for (int i = 0; i < 4; i++) {
		sig[i] = (char)(r[1] >> (8 * i));
		sig[4 + i] = (char)(r[2] >> (8 * i));
		sig[8 + i] = (char)(r[3] >> (8 * i));
	}
	sig[12] = 0;
	puts_("signature=");
	puts_(sig);
	puts_("\n");
	put_num("hv-max-leaf", r[0], 1);
	return 0;
}
