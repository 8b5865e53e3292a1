/* tests/attack/xsetbv-values/main.c: XSETBV with every odd value (no x87, no SSE, AVX alone, MPX, AVX-512, PKRU, reserved bits, XCR1): each is refused with #GP and XCR0 never keeps it; x87|SSE and x87|SSE|AVX are taken. */
#include "tests/attack/attack.h"
#include "tests/attack/guest_idt.h"

static volatile unsigned n_gp;

void guest_trap(struct gframe *f)
{
	if (f->vector == 13) { /* step over the refused XSETBV (0f 01 d1) */
		n_gp++;
		f->rip += 3;
		return;
	}
	guest_unexpected(f);
}

static int avx(void)
{
	uint32_t a, b, c, d;
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
	return (c >> 28) & 1;
}

/* XSETBV ecx, v; then an exit (a yield). Refused: #GP, and XCR0 never holds v after the
 * exit. An emulator that runs XSETBV without the intercept (QEMU's TCG) takes v itself
 * and raises no #GP: then v must be gone once the kernel had the CPU. */
static int refused(uint32_t ecx, uint64_t v, uint64_t before)
{
	n_gp = 0;
	__asm__ volatile("xsetbv" : : "c"(ecx), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
	uint64_t right_after = xgetbv0();
	int faulted = n_gp == 1;
	yield_();
	if (xgetbv0() != before)
		return 0;
	return faulted || (ecx == 0 && right_after == v);
}

int main(void)
{
	guest_idt_install();
	uint64_t full = avx() ? 7 : 3;
	static const struct { const char *name; uint32_t ecx; uint64_t v; } bad[] = {
		{ "xsetbv-values.zero", 0, 0 }, { "xsetbv-values.x87-only", 0, 1 }, { "xsetbv-values.sse-only", 0, 2 },
		{ "xsetbv-values.avx-only", 0, 4 }, { "xsetbv-values.x87-avx", 0, 5 }, { "xsetbv-values.sse-avx", 0, 6 },
		{ "xsetbv-values.mpx", 0, 0x1b }, { "xsetbv-values.avx512", 0, 0xe7 }, { "xsetbv-values.pkru", 0, 0x207 },
		{ "xsetbv-values.amx", 0, 0x60007 }, { "xsetbv-values.bit62", 0, (1ull << 62) | 7 },
		{ "xsetbv-values.bit63", 0, (1ull << 63) | 7 }, { "xsetbv-values.all-ones", 0, ~0ull },
		{ "xsetbv-values.xcr1", 1, 3 }, { "xsetbv-values.xcr-ffffffff", 0xffffffffu, 3 },
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		check(bad[i].name, refused(bad[i].ecx, bad[i].v, full), "the value was taken, or XCR0 changed");
	n_gp = 0;
	xsetbv0_(3);
	yield_();
	check("xsetbv-values.x87-sse-taken", n_gp == 0 && xgetbv0() == 3, "x87|SSE was refused");
	if (full == 7) {
		xsetbv0_(7);
		yield_();
		check("xsetbv-values.x87-sse-avx-taken", n_gp == 0 && xgetbv0() == 7, "x87|SSE|AVX was refused");
	}
	checks_done();
	return 0;
}
