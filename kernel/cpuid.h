/* kernel/cpuid.h: what CPUID shows an app: the host's values, filtered, with the univisor leaves. */
#ifndef KERNEL_CPUID_H
#define KERNEL_CPUID_H

#include <stdint.h>

/* The hypervisor signature at leaf 0x40000000 (EBX, ECX, EDX). */
#define UV_CPUID_SIGNATURE "univisor v1"

/* Fills the four registers for leaf/subleaf as an app sees them: no VMX/SVM, no
 * MONITOR/MWAIT, the hypervisor bit set, XSAVE features limited to what the kernel
 * switches (xcr0_allowed), and leaf 0x40000000 = max leaf + signature. */
void cpuid_emulate(uint32_t leaf, uint32_t subleaf, uint64_t xcr0_allowed, uint32_t out[4]);
/* The filter alone, applied to host values (pure, unit-tested). */
void cpuid_filter(uint32_t leaf, uint32_t subleaf, uint64_t xcr0_allowed, uint32_t r[4]);

#endif
