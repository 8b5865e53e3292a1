/* tests/apps/libc-test/cpu_state.c: SSE, MXCSR, x87 and AVX register state survive a yield (another app may run). */
#include <cpuid.h>
#include <stdint.h>
#include <string.h>
#include <univisor.h>
#include "check.h"
#include "../yield_asm.h"

#define YIELDS 3

/*
 * The hypercall is made inside the asm (not through a stub) so that nothing the
 * compiler emits can touch the vector registers between loading and reading them.
 * RAX = UV_HC_YIELD, RDI = deadline (now + 1 ms, so other apps get to run), RSI = 0.
 */
#define HC_YIELD_ASM UV_YIELD_ASM("movq %[deadline], %%rdi\n\t")

static void fill(uint8_t *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 31 + seed * 7 + 1);
}

static const char *check_sse(void)
{
	uint8_t in[16 * 16], out[16 * 16];
	uint32_t mxcsr_in = 0x3f80 /* round toward -inf, all masked */, mxcsr_out = 0, mxcsr_def = 0x1f80;
	double x87_in = 1.0 / 3.0, x87_out = 0;
	uint32_t insn = uv_boot_info()->hc_insn;

	for (int round = 0; round < YIELDS; round++) {
		uint64_t deadline = (uint64_t)uv_monotonic_ns() + 1000000;
		fill(in, sizeof(in), (unsigned)round);
		memset(out, 0, sizeof(out));
		__asm__ volatile(
			"movdqu 0(%[in]), %%xmm0\n\t"   "movdqu 16(%[in]), %%xmm1\n\t"
			"movdqu 32(%[in]), %%xmm2\n\t"  "movdqu 48(%[in]), %%xmm3\n\t"
			"movdqu 64(%[in]), %%xmm4\n\t"  "movdqu 80(%[in]), %%xmm5\n\t"
			"movdqu 96(%[in]), %%xmm6\n\t"  "movdqu 112(%[in]), %%xmm7\n\t"
			"movdqu 128(%[in]), %%xmm8\n\t" "movdqu 144(%[in]), %%xmm9\n\t"
			"movdqu 160(%[in]), %%xmm10\n\t" "movdqu 176(%[in]), %%xmm11\n\t"
			"movdqu 192(%[in]), %%xmm12\n\t" "movdqu 208(%[in]), %%xmm13\n\t"
			"movdqu 224(%[in]), %%xmm14\n\t" "movdqu 240(%[in]), %%xmm15\n\t"
			"ldmxcsr %[mi]\n\t"
			"fldl %[xi]\n\t"
			HC_YIELD_ASM
			"fstpl %[xo]\n\t"
			"stmxcsr %[mo]\n\t"
			"ldmxcsr %[md]\n\t"
			"movdqu %%xmm0, 0(%[out])\n\t"   "movdqu %%xmm1, 16(%[out])\n\t"
			"movdqu %%xmm2, 32(%[out])\n\t"  "movdqu %%xmm3, 48(%[out])\n\t"
			"movdqu %%xmm4, 64(%[out])\n\t"  "movdqu %%xmm5, 80(%[out])\n\t"
			"movdqu %%xmm6, 96(%[out])\n\t"  "movdqu %%xmm7, 112(%[out])\n\t"
			"movdqu %%xmm8, 128(%[out])\n\t" "movdqu %%xmm9, 144(%[out])\n\t"
			"movdqu %%xmm10, 160(%[out])\n\t" "movdqu %%xmm11, 176(%[out])\n\t"
			"movdqu %%xmm12, 192(%[out])\n\t" "movdqu %%xmm13, 208(%[out])\n\t"
			"movdqu %%xmm14, 224(%[out])\n\t" "movdqu %%xmm15, 240(%[out])\n\t"
			: [mo] "=m"(mxcsr_out), [xo] "=m"(x87_out)
			: [in] "r"(in), [out] "r"(out), [mi] "m"(mxcsr_in), [md] "m"(mxcsr_def), [xi] "m"(x87_in),
			  [deadline] "r"(deadline), [insn] "m"(insn)
			: "rax", "rdi", "rsi", "memory", "cc", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6",
			  "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
		for (int r = 0; r < 16; r++)
			if (memcmp(in + 16 * r, out + 16 * r, 16))
				return FAILF("xmm%d changed across yield %d", r, round);
		if (mxcsr_out != mxcsr_in)
			return FAILF("MXCSR %#x after yield, was %#x", mxcsr_out, mxcsr_in);
		if (x87_out != x87_in)
			return FAILF("x87 st0 %.17g after yield, was %.17g", x87_out, x87_in);
	}
	return NULL;
}

/* Whether AVX is usable: CPUID.1:ECX.AVX[28] and OSXSAVE[27], XCR0 with SSE|AVX (SDM 1 14.3). */
static int avx_usable(void)
{
	unsigned a, b, c, d;
	uint32_t lo, hi;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 28)) || !(c & (1u << 27)))
		return 0;
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return (lo & 6) == 6;
}

static const char *check_avx(void)
{
	uint8_t in[32 * 16], out[32 * 16];
	uint32_t insn = uv_boot_info()->hc_insn;

	for (int round = 0; round < YIELDS; round++) {
		uint64_t deadline = (uint64_t)uv_monotonic_ns() + 1000000;
		fill(in, sizeof(in), (unsigned)round + 100);
		memset(out, 0, sizeof(out));
		__asm__ volatile(
			"vmovdqu 0(%[in]), %%ymm0\n\t"    "vmovdqu 32(%[in]), %%ymm1\n\t"
			"vmovdqu 64(%[in]), %%ymm2\n\t"   "vmovdqu 96(%[in]), %%ymm3\n\t"
			"vmovdqu 128(%[in]), %%ymm4\n\t"  "vmovdqu 160(%[in]), %%ymm5\n\t"
			"vmovdqu 192(%[in]), %%ymm6\n\t"  "vmovdqu 224(%[in]), %%ymm7\n\t"
			"vmovdqu 256(%[in]), %%ymm8\n\t"  "vmovdqu 288(%[in]), %%ymm9\n\t"
			"vmovdqu 320(%[in]), %%ymm10\n\t" "vmovdqu 352(%[in]), %%ymm11\n\t"
			"vmovdqu 384(%[in]), %%ymm12\n\t" "vmovdqu 416(%[in]), %%ymm13\n\t"
			"vmovdqu 448(%[in]), %%ymm14\n\t" "vmovdqu 480(%[in]), %%ymm15\n\t"
			HC_YIELD_ASM
			"vmovdqu %%ymm0, 0(%[out])\n\t"    "vmovdqu %%ymm1, 32(%[out])\n\t"
			"vmovdqu %%ymm2, 64(%[out])\n\t"   "vmovdqu %%ymm3, 96(%[out])\n\t"
			"vmovdqu %%ymm4, 128(%[out])\n\t"  "vmovdqu %%ymm5, 160(%[out])\n\t"
			"vmovdqu %%ymm6, 192(%[out])\n\t"  "vmovdqu %%ymm7, 224(%[out])\n\t"
			"vmovdqu %%ymm8, 256(%[out])\n\t"  "vmovdqu %%ymm9, 288(%[out])\n\t"
			"vmovdqu %%ymm10, 320(%[out])\n\t" "vmovdqu %%ymm11, 352(%[out])\n\t"
			"vmovdqu %%ymm12, 384(%[out])\n\t" "vmovdqu %%ymm13, 416(%[out])\n\t"
			"vmovdqu %%ymm14, 448(%[out])\n\t" "vmovdqu %%ymm15, 480(%[out])\n\t"
			"vzeroupper\n\t"
			:
			: [in] "r"(in), [out] "r"(out), [deadline] "r"(deadline), [insn] "m"(insn)
			: "rax", "rdi", "rsi", "memory", "cc", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6",
			  "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
		for (int r = 0; r < 16; r++)
			if (memcmp(in + 32 * r, out + 32 * r, 32))
				return FAILF("ymm%d (%s half) changed across yield %d", r,
					     memcmp(in + 32 * r, out + 32 * r, 16) ? "low" : "high", round);
	}
	return NULL;
}

void checks_cpu_state(void)
{
	check_run("sse-across-yield", check_sse);
	if (avx_usable())
		check_run("avx-across-yield", check_avx);
	else
		check_skip("avx-across-yield", "CPUID/XCR0 do not offer AVX in this VM");
}
