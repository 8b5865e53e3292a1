/* tests/attack/fpu-spy/main.c: switches its XCR0 between x87|SSE and x87|SSE|AVX around yields and checks it only ever sees its own registers (not fpu-victim's), and that the kernel keeps going. */
#include "tests/attack/attack.h"
#include "tests/attack/fpu_pattern.h"

#define ROUNDS 40
#define SPY_SEED 0x3c
#define SPY_MXCSR 0x3f80 /* round down, all masked */
#define SPY_FCW 0x027f   /* double precision */

static struct fpu_regs in, out;


/* The x87 error pointers after a yield, from its own FXSAVE image: only its own last
 * x87 instruction and operand, or (on AMD CPUs that do not save them) the kernel's
 * known values below the apps' addresses, never another app's. */
static const char *error_pointers(uint64_t own_fip_lo, uint64_t own_fip_hi)
{
	static uint8_t img[512] __attribute__((aligned(16)));
	const uint32_t *insn = &boot_info->hc_insn;
	static const double one = 1.0;
	double sink;
	__asm__ volatile("fldl %[one]\n\t" YIELD0_ASM "fstpl %[sink]\n\t" "fxsave64 %[img]"
			 : [sink] "=m"(sink), [img] "=m"(img)
			 : [one] "m"(one), [insn] "m"(*insn)
			 : "rax", "rdi", "rsi", "memory", "cc");
	uint64_t fip, fdp;
	__builtin_memcpy(&fip, img + 8, 8);
	__builtin_memcpy(&fdp, img + 16, 8);
	/* fstpl was the last x87 instruction: FIP inside this function, FDP = &sink (or 0 on
	 * CPUs that update FDP only on x87 exceptions: CPUID.7.0:EBX[6]). */
	uint32_t a, b, c, d;
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(7), "c"(0));
	int fdp_own = fdp == (uint64_t)(uintptr_t)&sink || ((b & (1u << 6)) && fdp == 0);
	int own = fip >= own_fip_lo && fip < own_fip_hi && fdp_own;
	int kernel = fip < 0x200000 && fdp < 0x200000;
	if (!own && !kernel) {
		put_num("fip", (int64_t)fip, 1);
		put_num("fdp", (int64_t)fdp, 1);
	}
	return own || kernel ? "" : "the x87 error pointers are not its own";
}

/* XCR0 down to x87|SSE, a yield (fpu-victim runs with its YMM registers loaded), XCR0
 * back up: the upper halves it sees then are its own or zero, never another app's. */
static const char *upper_halves_after_reenable(void)
{
	static struct fpu_regs got;
	xsetbv0_(7);
	fpu_load_yield_read(&in, &out, 1); /* its own YMM, in full */
	xsetbv0_(3);
	yield_();
	xsetbv0_(7);
	ymm_store(&got);
	static const uint8_t zero[16];
	for (int i = 0; i < 16; i++)
		if (!bytes_eq(got.ymm[i] + 16, in.ymm[i] + 16, 16) && !bytes_eq(got.ymm[i] + 16, zero, 16))
			return "a YMM upper half holds neither its own value nor zero";
	return "";
}

int main(void)
{
	static const uint64_t seq[] = { 7, 3, 3, 7, 3, 7, 7, 3 };
	int avx_cpu = avx_offered();
	fpu_fill(&in, SPY_SEED, SPY_MXCSR, SPY_FCW);
	const char *bad = "";
	int switches = 0;
	for (int r = 0; r < ROUNDS && !*bad; r++) {
		uint64_t x = avx_cpu ? seq[r % 8] : 3;
		/* Dirty the AVX state first, then lower XCR0 (the case that made the kernel's
		 * own XRSTOR fault), then yield with the registers loaded. */
		if (x == 3 && avx_cpu) {
			xsetbv0_(7);
			fpu_load_yield_read(&in, &out, 1);
		}
		xsetbv0_(x);
		switches += xgetbv0() == x;
		fpu_load_yield_read(&in, &out, x == 7);
		bad = fpu_compare(&in, &out, x == 7);
	}
	check("fpu-spy.own-registers-only", !*bad, bad);
	if (avx_cpu) {
		const char *u = "";
		for (int r = 0; r < 8 && !*u; r++)
			u = upper_halves_after_reenable();
		check("fpu-spy.ymm-after-xcr0-reenable", !*u, u);
	}
	check("fpu-spy.xcr0-switches-applied", switches == ROUNDS, "an XSETBV did not take effect");
	xsetbv0_(avx_cpu ? 7 : 3);
	const char *e = "";
	for (int r = 0; r < 8 && !*e; r++)
		e = error_pointers((uint64_t)(uintptr_t)error_pointers, (uint64_t)(uintptr_t)error_pointers + 0x400);
	check("fpu-spy.x87-error-pointers", !*e, e);
	checks_done();
	return 0;
}
