/* kernel/cpuid.c: CPUID emulation for apps: host values filtered so an app sees a plain CPU under a hypervisor. */
#include "kernel/cpuid.h"
#include "kernel/lib/kstring.h"
#ifndef UV_HOST
#include "kernel/cpu.h"
#endif

#define HV_LEAF 0x40000000u
#define EAX 0
#define EBX 1
#define ECX 2
#define EDX 3

void cpuid_filter(uint32_t leaf, uint32_t subleaf, uint64_t xcr0_allowed, uint32_t r[4])
{
	switch (leaf) {
	case 1:
		r[ECX] &= ~(1u << 3);  /* MONITOR/MWAIT: intercepted, not offered */
		r[ECX] &= ~(1u << 5);  /* VMX (SDM 3C 23.6) */
		r[ECX] &= ~(1u << 6);  /* SMX */
		r[ECX] &= ~(1u << 21); /* x2APIC: there is no APIC in an app */
		r[ECX] &= ~(1u << 24); /* TSC deadline timer */
		r[ECX] |= 1u << 31;    /* hypervisor present */
		r[EDX] &= ~(1u << 9);  /* APIC */
		break;
	case 0xd:
		if (subleaf == 0) {
			r[EAX] &= (uint32_t)xcr0_allowed;
			r[EDX] &= (uint32_t)(xcr0_allowed >> 32);
		} else if (subleaf == 1) {
			r[EAX] &= ~(1u << 3); /* XSAVES: IA32_XSS is not switched */
		} else if (subleaf < 64 && !((xcr0_allowed >> subleaf) & 1)) {
			r[EAX] = r[EBX] = r[ECX] = r[EDX] = 0;
		}
		break;
	case 0x80000001:
		r[ECX] &= ~(1u << 2);  /* SVM (APM2 15.4) */
		r[ECX] &= ~(1u << 13); /* WDT */
		break;
	case 0x8000000a:           /* SVM features: none */
		r[EAX] = r[EBX] = r[ECX] = r[EDX] = 0;
		break;
	case HV_LEAF: {
		static const char sig[12] = UV_CPUID_SIGNATURE;
		r[EAX] = HV_LEAF;      /* highest hypervisor leaf */
		memcpy(&r[EBX], sig, 4);
		memcpy(&r[ECX], sig + 4, 4);
		memcpy(&r[EDX], sig + 8, 4);
		break;
	}
	default:
		if (leaf > HV_LEAF && leaf < 0x80000000u)
			r[EAX] = r[EBX] = r[ECX] = r[EDX] = 0;
		break;
	}
}

#ifndef UV_HOST
void cpuid_emulate(uint32_t leaf, uint32_t subleaf, uint64_t xcr0_allowed, uint32_t out[4])
{
	cpuid2(leaf, subleaf, &out[EAX], &out[EBX], &out[ECX], &out[EDX]);
	cpuid_filter(leaf, subleaf, xcr0_allowed, out);
}
#endif
