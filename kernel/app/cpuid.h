/* kernel/app/cpuid.h: what CPUID shows an app: the host's values through a whitelist, with the univisor leaves. */
#ifndef KERNEL_CPUID_H
#define KERNEL_CPUID_H

#include <stdbool.h>
#include <stdint.h>

/* The hypervisor signature at leaf 0x40000000 (EBX, ECX, EDX). */
#define UV_CPUID_SIGNATURE "univisor v1"
#define CPUID_MAX_BASIC 0x16u        /* highest basic leaf an app is shown */
#define CPUID_MAX_EXT 0x80000008u    /* highest extended leaf */

/* The app's side of an emulated CPUID. */
struct cpuid_guest {
	uint64_t xcr0_allowed; /* XCR0 bits it may set */
	uint64_t xcr0;         /* its XCR0 now (leaf 0xd reports the image size for it) */
	bool rdtscp;           /* RDTSCP/RDPID return its own TSC_AUX */
};

/* What the pure filter needs besides the host's registers. */
struct cpuid_view {
	uint64_t xcr0_allowed;
	uint32_t xsave_bytes;     /* leaf 0xd.0 EBX: image size for the guest's XCR0 */
	uint32_t xsave_bytes_max; /* leaf 0xd.0 ECX: image size for xcr0_allowed */
	bool rdtscp;
};

/* Fills the four registers for leaf/subleaf as app g sees them. */
void cpuid_emulate(uint32_t leaf, uint32_t subleaf, const struct cpuid_guest *g, uint32_t out[4]);
/* The whitelist alone, applied to host values (pure, unit-tested). */
void cpuid_filter(uint32_t leaf, uint32_t subleaf, const struct cpuid_view *v, uint32_t r[4]);

#endif
