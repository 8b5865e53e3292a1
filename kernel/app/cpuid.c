/* kernel/app/cpuid.c: CPUID emulation for apps: host values through a whitelist, so an app is told only what works. */
#include "kernel/app/cpuid.h"
#include "kernel/lib/kstring.h"
#ifndef UV_HOST
#include "kernel/arch/cpu.h"
#endif

#define HV_LEAF 0x40000000u
#define EAX 0
#define EBX 1
#define ECX 2
#define EDX 3
#define BIT(n) (1u << (n))

/*
 * Everything is a whitelist: a leaf not listed reads as zeros, a bit not listed as 0, so
 * a feature a newer CPU adds stays hidden until someone decides the kernel supports it.
 * What is left out and why (SDM 2 CPUID, APM3 appendix E):
 *  - control-register features the guest cannot turn on (CR4 writes exit and stop the
 *    app): PCID, FSGSBASE, SMEP, SMAP, UMIP, PKU/OSPKE, LA57, CET, VME/DE/PGE/MCE;
 *  - MSR-based features (every MSR access exits): MSR, MTRR, PAT, MCA, SYSENTER,
 *    SYSCALL, perf/thermal/power, IBRS/IBPB/STIBP/SSBD/ARCH_CAPABILITIES, TSC_ADJUST;
 *  - instructions the backend does not allow or that reach the host: MONITOR/MWAIT(X),
 *    VMX, SMX, SVM, SKINIT, INVPCID, WAITPKG, RDPRU, INVLPGB, PCONFIG, ENQCMD;
 *    RDTSCP/RDPID only where they return the app's own TSC_AUX (view->rdtscp);
 *  - state XCR0 cannot enable (AVX-512, AMX, MPX, PKRU) and XSAVES (IA32_XSS);
 *  - TSX (HLE/RTM), SGX, processor trace, the PMU (leaf 0xa), topology and APIC ids.
 */
static const uint32_t leaf1_ecx = BIT(0) /* SSE3 */ | BIT(1) /* PCLMULQDQ */ | BIT(9) /* SSSE3 */ |
				  BIT(12) /* FMA */ | BIT(13) /* CMPXCHG16B */ | BIT(19) /* SSE4.1 */ |
				  BIT(20) /* SSE4.2 */ | BIT(22) /* MOVBE */ | BIT(23) /* POPCNT */ |
				  BIT(25) /* AES */ | BIT(26) /* XSAVE */ | BIT(27) /* OSXSAVE */ |
				  BIT(28) /* AVX */ | BIT(29) /* F16C */ | BIT(30) /* RDRAND */;
static const uint32_t leaf1_edx = BIT(0) /* FPU */ | BIT(3) /* PSE */ | BIT(4) /* TSC */ | BIT(6) /* PAE */ |
				  BIT(8) /* CX8 */ | BIT(15) /* CMOV */ | BIT(17) /* PSE36 */ |
				  BIT(19) /* CLFLUSH */ | BIT(23) /* MMX */ | BIT(24) /* FXSR */ | BIT(25) /* SSE */ |
				  BIT(26) /* SSE2 */ | BIT(27) /* SS */;
static const uint32_t leaf7_ebx = BIT(3) /* BMI1 */ | BIT(5) /* AVX2 */ | BIT(6) /* FDP_EXCPTN_ONLY */ |
				  BIT(8) /* BMI2 */ | BIT(9) /* ERMS */ | BIT(13) /* FPU CS/DS deprecated */ |
				  BIT(18) /* RDSEED */ | BIT(19) /* ADX */ | BIT(23) /* CLFLUSHOPT */ |
				  BIT(24) /* CLWB */ | BIT(29) /* SHA */;
static const uint32_t leaf7_ecx = BIT(0) /* PREFETCHWT1 */ | BIT(8) /* GFNI */ | BIT(9) /* VAES */ |
				  BIT(10) /* VPCLMULQDQ */ | BIT(27) /* MOVDIRI */ | BIT(28) /* MOVDIR64B */;
static const uint32_t leaf7_ecx_rdpid = BIT(22);
static const uint32_t leaf7_edx = BIT(4) /* FSRM */ | BIT(10) /* MD_CLEAR */ | BIT(14) /* SERIALIZE */;
static const uint32_t ext1_ecx = BIT(0) /* LAHF */ | BIT(5) /* LZCNT */ | BIT(6) /* SSE4A */ |
				 BIT(7) /* misaligned SSE */ | BIT(8) /* PREFETCHW */ | BIT(11) /* XOP */ |
				 BIT(16) /* FMA4 */ | BIT(21) /* TBM */;
static const uint32_t ext1_edx = (leaf1_edx & 0x0183f3ffu) /* the bits AMD mirrors from leaf 1 */ |
				 BIT(20) /* NX */ | BIT(22) /* MMXEXT */ | BIT(26) /* 1 GiB pages */ |
				 BIT(29) /* LM */ | BIT(30) /* 3DNOWEXT */ | BIT(31) /* 3DNOW */;
static const uint32_t ext1_edx_rdtscp = BIT(27);
static const uint32_t ext8_ebx = BIT(0) /* CLZERO */ | BIT(2) /* XSAVE saves the error pointers */;
static const uint32_t xsave1_eax = BIT(0) /* XSAVEOPT */ | BIT(1) /* XSAVEC */ | BIT(2) /* XGETBV ECX=1 */;

static void zero(uint32_t r[4]) { r[EAX] = r[EBX] = r[ECX] = r[EDX] = 0; }

void cpuid_filter(uint32_t leaf, uint32_t subleaf, const struct cpuid_view *v, uint32_t r[4])
{
	switch (leaf) {
	case 0:
		if (r[EAX] > CPUID_MAX_BASIC)
			r[EAX] = CPUID_MAX_BASIC;
		break;
	case 1:
		/* EBX: brand index and CLFLUSH size stay; one logical CPU, APIC id 0. */
		r[EBX] = (r[EBX] & 0xffff) | (1u << 16);
		r[ECX] = (r[ECX] & leaf1_ecx) | BIT(31); /* hypervisor present */
		r[EDX] &= leaf1_edx;
		break;
	case 2: /* cache and TLB descriptors */
		break;
	case 4: /* deterministic cache parameters: no sharing or core counts */
		r[EAX] &= 0x3fff;
		break;
	case 7:
		if (subleaf != 0) {
			zero(r);
			break;
		}
		r[EAX] = 0; /* no further subleaves */
		r[EBX] &= leaf7_ebx;
		r[ECX] &= leaf7_ecx | (v->rdtscp ? leaf7_ecx_rdpid : 0);
		r[EDX] &= leaf7_edx;
		break;
	case 0xd:
		if (subleaf == 0) {
			r[EAX] &= (uint32_t)v->xcr0_allowed;
			r[EDX] &= (uint32_t)(v->xcr0_allowed >> 32);
			r[EBX] = v->xsave_bytes;     /* for the guest's XCR0, not the host's */
			r[ECX] = v->xsave_bytes_max; /* for every component it may enable */
		} else if (subleaf == 1) {
			r[EAX] &= xsave1_eax;
			r[EBX] = r[ECX] = r[EDX] = 0; /* no supervisor state (IA32_XSS) */
		} else if (subleaf >= 64 || !((v->xcr0_allowed >> subleaf) & 1)) {
			zero(r);
		}
		break;
	case 0x15: /* TSC and crystal clock ratio: the app's TSC runs at the host's rate */
	case 0x16: /* processor frequencies */
		break;
	case HV_LEAF: {
		static const char sig[12] = UV_CPUID_SIGNATURE;
		r[EAX] = HV_LEAF; /* highest hypervisor leaf */
		memcpy(&r[EBX], sig, 4);
		memcpy(&r[ECX], sig + 4, 4);
		memcpy(&r[EDX], sig + 8, 4);
		break;
	}
	case 0x80000000:
		if (r[EAX] > CPUID_MAX_EXT)
			r[EAX] = CPUID_MAX_EXT;
		r[EBX] = r[ECX] = r[EDX] = 0;
		break;
	case 0x80000001:
		r[EAX] &= 0x0fffffff; /* family/model/stepping */
		r[EBX] = 0;
		r[ECX] &= ext1_ecx;
		r[EDX] &= ext1_edx | (v->rdtscp ? ext1_edx_rdtscp : 0);
		break;
	case 0x80000002 ... 0x80000006: /* brand string; L1 cache and TLB; L2/L3 */
		break;
	case 0x80000007:
		r[EAX] = r[EBX] = r[ECX] = 0;
		r[EDX] &= BIT(8); /* invariant TSC */
		break;
	case 0x80000008:
		r[EAX] &= 0xffff; /* physical and linear address sizes */
		r[EBX] &= ext8_ebx;
		r[ECX] = r[EDX] = 0;
		break;
	default:
		zero(r);
		break;
	}
}

#ifndef UV_HOST
/* Bytes of the standard-form XSAVE image for the components in xcr0 (SDM 1 13.4): the
 * legacy area and header, or the end of the highest component. */
static uint32_t xsave_bytes(uint64_t xcr0)
{
	uint32_t bytes = 512 + 64, a, b, c, d;
	for (unsigned i = 2; i < 63; i++) {
		if (!((xcr0 >> i) & 1))
			continue;
		cpuid2(0xd, i, &a, &b, &c, &d); /* EAX size, EBX offset */
		if (b + a > bytes)
			bytes = b + a;
	}
	return bytes;
}

void cpuid_emulate(uint32_t leaf, uint32_t subleaf, const struct cpuid_guest *g, uint32_t out[4])
{
	struct cpuid_view v = { .xcr0_allowed = g->xcr0_allowed, .rdtscp = g->rdtscp };
	if (leaf == 0xd && subleaf == 0) {
		v.xsave_bytes = xsave_bytes(g->xcr0);
		v.xsave_bytes_max = xsave_bytes(g->xcr0_allowed);
	}
	/* Leaves above the maxima read as zeros on real CPUs too (or as the highest basic
	 * leaf, on Intel): asked directly, the host answers; the filter zeroes what it omits. */
	cpuid2(leaf, subleaf, &out[EAX], &out[EBX], &out[ECX], &out[EDX]);
	cpuid_filter(leaf, subleaf, &v, out);
}
#endif
