/* tests/attack/fpu-victim/main.c: loads every x87/SSE/AVX register and MXCSR with its pattern and checks they survive yields while fpu-spy plays with XCR0. */
#include "tests/attack/attack.h"
#include "tests/attack/fpu_pattern.h"

#define ROUNDS 40
#define VICTIM_SEED 0xa5
#define VICTIM_MXCSR 0x5fc0 /* round up, DAZ, all masked: no other app has it */
#define VICTIM_FCW 0x0e7f   /* extended precision, round toward zero */

static struct fpu_regs in, out;

int main(void)
{
	int avx = avx_offered() && (xgetbv0() & 6) == 6;
	fpu_fill(&in, VICTIM_SEED, VICTIM_MXCSR, VICTIM_FCW);
	const char *bad = "";
	for (int r = 0; r < ROUNDS && !*bad; r++) {
		fpu_load_yield_read(&in, &out, avx);
		bad = fpu_compare(&in, &out, avx);
	}
	check(avx ? "fpu-victim.registers-kept-with-avx" : "fpu-victim.registers-kept", !*bad, bad);
	checks_done();
	return 0;
}
