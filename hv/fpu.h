/* hv/fpu.h: guest FPU/SSE/AVX state switching (hv/fpu.c), for hv.c and the backends only. */
#ifndef HV_FPU_H
#define HV_FPU_H

#include <stdbool.h>
#include <stdint.h>
#include "hv/hv_backend.h"
#include "kernel/arch/cpu.h"

#define XCR0_X87 (1ull << 0)
#define XCR0_SSE (1ull << 1)
#define XCR0_AVX (1ull << 2)
#define XCR0_SWITCHED (XCR0_X87 | XCR0_SSE | XCR0_AVX) /* the components the kernel saves per app */

struct fpu_host {
	bool xsave;          /* XSAVE/XRSTOR (else FXSAVE/FXRSTOR) */
	bool fip_fence;      /* x87 error pointers are reset before each restore */
	uint64_t xcr0;       /* the kernel's XCR0: every switched component the CPU has */
	uint32_t area_bytes; /* bytes of one standard-form image for that XCR0 */
};
extern struct fpu_host fpu_host;

/* Sets CR0/CR4 for x87/SSE/XSAVE, loads the kernel's XCR0, sizes the image; prints one line. */
void fpu_init(void);
/* Allocates v's image in its init state (MXCSR default) and gives it the kernel's XCR0. */
int fpu_area_create(struct hv_vcpu *v);
void fpu_area_destroy(struct hv_vcpu *v);
/* Saves from's registers (if from; from_known: it is not NULL) and loads to's, every
 * switched component; runs under the kernel's XCR0 (after every exit). Inline: it is on
 * every app switch. The x87 error pointers are reset before a restore where fpu_init found
 * it needed (FIP/FDP then point at kernel code and this word, not at the other app's). */
static inline __attribute__((always_inline)) void fpu_switch(struct hv_vcpu *from, bool from_known, struct hv_vcpu *to)
{
	static const uint32_t known = 0;
	bool xsave = fpu_host.xsave;
	uint32_t lo = (uint32_t)fpu_host.xcr0, hi = (uint32_t)(fpu_host.xcr0 >> 32);
	if (from_known || from) {
		if (__builtin_expect(xsave, 1))
			__asm__ volatile("xsave64 (%0)" : : "r"(from->fpu_area), "a"(lo), "d"(hi) : "memory");
		else
			__asm__ volatile("fxsave64 (%0)" : : "r"(from->fpu_area) : "memory");
	}
	if (fpu_host.fip_fence)
		__asm__ volatile("fnclex\n\temms\n\tfildl %0" : : "m"(known));
	if (__builtin_expect(xsave, 1))
		__asm__ volatile("xrstor64 (%0)" : : "r"(to->fpu_area), "a"(lo), "d"(hi) : "memory");
	else
		__asm__ volatile("fxrstor64 (%0)" : : "r"(to->fpu_area) : "memory");
}
/* Validates a guest XSETBV: 0 and v->xcr0 updated, or -UV_EINVAL (the guest gets #GP). */
int fpu_guest_xsetbv(struct hv_vcpu *v, uint32_t xcr, uint64_t value);

/* Around VM entry: the guest's XCR0 goes in right before entry and the kernel's comes
 * back right after the exit, before anything could save or restore an image. Every
 * XSETBV of a guest exits on VMX (SDM 3C 25.1.2) and is intercepted on SVM, so the
 * kernel knows the guest's XCR0. */
static inline void fpu_guest_xcr0(const struct hv_vcpu *v)
{
	if (__builtin_expect(v->xcr0 != fpu_host.xcr0, 0))
		write_xcr0(v->xcr0);
}
static inline void fpu_host_xcr0(const struct hv_vcpu *v)
{
	if (__builtin_expect(v->xcr0 != fpu_host.xcr0, 0))
		write_xcr0(fpu_host.xcr0);
}
/* The same, for a backend whose emulators may let XSETBV through without the intercept
 * (QEMU's TCG on SVM): XCR0 is read back. What the guest set that way is kept for it if
 * the kernel would have allowed it, dropped otherwise; the kernel's own comes back. */
static inline void fpu_host_xcr0_checked(struct hv_vcpu *v)
{
	if (!fpu_host.xsave)
		return;
	uint64_t now = read_xcr0();
	if (__builtin_expect(now != v->xcr0, 0))
		(void)fpu_guest_xsetbv(v, 0, now);
	if (__builtin_expect(now != fpu_host.xcr0, 0))
		write_xcr0(fpu_host.xcr0);
}

#endif
