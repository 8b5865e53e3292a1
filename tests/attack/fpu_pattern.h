/* tests/attack/fpu_pattern.h: loading and reading back every x87/SSE/AVX register for the FPU leak tests (fpu-victim, fpu-spy). */
#ifndef TESTS_ATTACK_FPU_PATTERN_H
#define TESTS_ATTACK_FPU_PATTERN_H

#include <stdint.h>
#include "tests/attack/attack.h"

/* The registers as one image: 16 YMM (32 bytes each; the low 16 are the XMM), MXCSR,
 * the x87 control word and the 8 stack registers (80-bit values, 10 bytes each). */
struct fpu_regs {
	uint8_t ymm[16][32] __attribute__((aligned(32)));
	uint32_t mxcsr;
	uint16_t fcw;
	uint8_t st[8][10];
};

static inline void fpu_fill(struct fpu_regs *r, uint8_t seed, uint32_t mxcsr, uint16_t fcw)
{
	for (int i = 0; i < 16; i++)
		for (int j = 0; j < 32; j++)
			r->ymm[i][j] = (uint8_t)(seed + 17 * i + 3 * j + 1);
	for (int i = 0; i < 8; i++)
		for (int j = 0; j < 10; j++)
			r->st[i][j] = (uint8_t)(seed ^ (0x40 + 11 * i + j));
	for (int i = 0; i < 8; i++) { /* a normal exponent, so the values load unchanged */
		r->st[i][9] = 0x40;
		r->st[i][8] = (uint8_t)(0x01 + i);
		r->st[i][7] |= 0x80;  /* explicit integer bit */
	}
	r->mxcsr = mxcsr;
	r->fcw = fcw;
}

/* Stores the 16 YMM registers into r->ymm (AVX must be on in XCR0). */
static inline void ymm_store(struct fpu_regs *r)
{
	__asm__ volatile(
		"vmovdqu %%ymm0, 0(%[o])\n\t" "vmovdqu %%ymm1, 32(%[o])\n\t" "vmovdqu %%ymm2, 64(%[o])\n\t"
		"vmovdqu %%ymm3, 96(%[o])\n\t" "vmovdqu %%ymm4, 128(%[o])\n\t" "vmovdqu %%ymm5, 160(%[o])\n\t"
		"vmovdqu %%ymm6, 192(%[o])\n\t" "vmovdqu %%ymm7, 224(%[o])\n\t" "vmovdqu %%ymm8, 256(%[o])\n\t"
		"vmovdqu %%ymm9, 288(%[o])\n\t" "vmovdqu %%ymm10, 320(%[o])\n\t" "vmovdqu %%ymm11, 352(%[o])\n\t"
		"vmovdqu %%ymm12, 384(%[o])\n\t" "vmovdqu %%ymm13, 416(%[o])\n\t" "vmovdqu %%ymm14, 448(%[o])\n\t"
		"vmovdqu %%ymm15, 480(%[o])\n\t" : : [o] "r"(r->ymm) : "memory");
}

/* Loads *in, yields (the other apps run: other VMs, other FPU state), reads into *out.
 * avx: the YMM upper halves too (XCR0 has AVX now). Nothing compiled runs in between. */
static inline void fpu_load_yield_read(const struct fpu_regs *in, struct fpu_regs *out, int avx)
{
	const uint32_t *insn = &boot_info->hc_insn;
	if (avx)
		__asm__ volatile(
			"vmovdqu 0(%[i]), %%ymm0\n\t" "vmovdqu 32(%[i]), %%ymm1\n\t" "vmovdqu 64(%[i]), %%ymm2\n\t"
			"vmovdqu 96(%[i]), %%ymm3\n\t" "vmovdqu 128(%[i]), %%ymm4\n\t" "vmovdqu 160(%[i]), %%ymm5\n\t"
			"vmovdqu 192(%[i]), %%ymm6\n\t" "vmovdqu 224(%[i]), %%ymm7\n\t" "vmovdqu 256(%[i]), %%ymm8\n\t"
			"vmovdqu 288(%[i]), %%ymm9\n\t" "vmovdqu 320(%[i]), %%ymm10\n\t" "vmovdqu 352(%[i]), %%ymm11\n\t"
			"vmovdqu 384(%[i]), %%ymm12\n\t" "vmovdqu 416(%[i]), %%ymm13\n\t" "vmovdqu 448(%[i]), %%ymm14\n\t"
			"vmovdqu 480(%[i]), %%ymm15\n\t" : : [i] "r"(in->ymm) : "memory");
	else
		__asm__ volatile(
			"movdqu 0(%[i]), %%xmm0\n\t" "movdqu 32(%[i]), %%xmm1\n\t" "movdqu 64(%[i]), %%xmm2\n\t"
			"movdqu 96(%[i]), %%xmm3\n\t" "movdqu 128(%[i]), %%xmm4\n\t" "movdqu 160(%[i]), %%xmm5\n\t"
			"movdqu 192(%[i]), %%xmm6\n\t" "movdqu 224(%[i]), %%xmm7\n\t" "movdqu 256(%[i]), %%xmm8\n\t"
			"movdqu 288(%[i]), %%xmm9\n\t" "movdqu 320(%[i]), %%xmm10\n\t" "movdqu 352(%[i]), %%xmm11\n\t"
			"movdqu 384(%[i]), %%xmm12\n\t" "movdqu 416(%[i]), %%xmm13\n\t" "movdqu 448(%[i]), %%xmm14\n\t"
			"movdqu 480(%[i]), %%xmm15\n\t" : : [i] "r"(in->ymm) : "memory");
	__asm__ volatile(
		"fninit\n\t"
		"fldcw %[cw]\n\t"
		"fldt 70(%[st])\n\t" "fldt 60(%[st])\n\t" "fldt 50(%[st])\n\t" "fldt 40(%[st])\n\t"
		"fldt 30(%[st])\n\t" "fldt 20(%[st])\n\t" "fldt 10(%[st])\n\t" "fldt 0(%[st])\n\t"
		"ldmxcsr %[mx]\n\t"
		YIELD0_ASM
		"stmxcsr %[mxo]\n\t"
		"fnstcw %[cwo]\n\t"
		"fstpt 0(%[sto])\n\t" "fstpt 10(%[sto])\n\t" "fstpt 20(%[sto])\n\t" "fstpt 30(%[sto])\n\t"
		"fstpt 40(%[sto])\n\t" "fstpt 50(%[sto])\n\t" "fstpt 60(%[sto])\n\t" "fstpt 70(%[sto])\n\t"
		: [mxo] "=m"(out->mxcsr), [cwo] "=m"(out->fcw)
		: [cw] "m"(in->fcw), [st] "r"(in->st), [mx] "m"(in->mxcsr), [sto] "r"(out->st), [insn] "m"(*insn)
		: "rax", "rdi", "rsi", "memory", "cc");
	if (avx) {
		ymm_store(out);
		__asm__ volatile("vzeroupper");
	} else
		__asm__ volatile(
			"movdqu %%xmm0, 0(%[o])\n\t" "movdqu %%xmm1, 32(%[o])\n\t" "movdqu %%xmm2, 64(%[o])\n\t"
			"movdqu %%xmm3, 96(%[o])\n\t" "movdqu %%xmm4, 128(%[o])\n\t" "movdqu %%xmm5, 160(%[o])\n\t"
			"movdqu %%xmm6, 192(%[o])\n\t" "movdqu %%xmm7, 224(%[o])\n\t" "movdqu %%xmm8, 256(%[o])\n\t"
			"movdqu %%xmm9, 288(%[o])\n\t" "movdqu %%xmm10, 320(%[o])\n\t" "movdqu %%xmm11, 352(%[o])\n\t"
			"movdqu %%xmm12, 384(%[o])\n\t" "movdqu %%xmm13, 416(%[o])\n\t" "movdqu %%xmm14, 448(%[o])\n\t"
			"movdqu %%xmm15, 480(%[o])\n\t" : : [o] "r"(out->ymm) : "memory");
}

static inline int bytes_eq(const void *a, const void *b, uint64_t n)
{
	const uint8_t *x = a, *y = b;
	for (uint64_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return 0;
	return 1;
}

/* What is wrong with out, given what was loaded (in); "" when all came back. avx: the
 * upper halves were loaded too (else only the XMM halves are compared). */
static inline const char *fpu_compare(const struct fpu_regs *in, const struct fpu_regs *out, int avx)
{
	for (int i = 0; i < 16; i++)
		if (!bytes_eq(in->ymm[i], out->ymm[i], avx ? 32 : 16))
			return avx && bytes_eq(in->ymm[i], out->ymm[i], 16) ? "a YMM upper half changed" : "an XMM register changed";
	if (in->mxcsr != out->mxcsr)
		return "MXCSR changed";
	if (in->fcw != out->fcw)
		return "the x87 control word changed";
	for (int i = 0; i < 8; i++)
		if (!bytes_eq(in->st[i], out->st[i], 10))
			return "an x87 stack register changed";
	return "";
}

/* AVX in this VM: CPUID.1:ECX.AVX and OSXSAVE, and the kernel's XCR0 offers it. */
static inline int avx_offered(void)
{
	uint32_t a, b, c, d;
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
	return (c & (1u << 28)) && (c & (1u << 27));
}

#endif
