/* tests/attack/cpuid-flood/main.c: an exit flood: 200,000 CPUIDs without a pause; the others keep their time. */
#include "tests/attack/attack.h"
int main(void)
{
	uint32_t a = 0, b, c, d, sum = 0;
	for (int i = 0; i < 200000; i++) {
		__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(i & 1 ? 1u : 0x80000000u), "c"(0));
		sum += a;
	}
	check("cpuid-flood.answers", sum != 0, "CPUID answered nothing");
	checks_done();
	return 0;
}
