/* tests/unit/test_cpuid.c: the CPUID whitelist apps see through: only what works in an app is shown. */
#include <stdint.h>
#include "tests/unit/unit.h"
#include "kernel/app/cpuid.h"

static const struct cpuid_view base = { .xcr0_allowed = 7, .xsave_bytes = 576, .xsave_bytes_max = 832 };

/* The host as a CPU with every feature bit set: what is left is the whitelist. */
static void all_ones(uint32_t leaf, uint32_t sub, const struct cpuid_view *v, uint32_t r[4])
{
	r[0] = r[1] = r[2] = r[3] = 0xffffffff;
	cpuid_filter(leaf, sub, v, r);
}

TEST(leaf1_hides_vmx_sets_hypervisor)
{
	uint32_t r[4] = { 0x906ea, 0x12345678, 0xffffffff & ~(1u << 31), 0xffffffff };
	cpuid_filter(1, 0, &base, r);
	CHECK(!(r[2] & (1u << 5)));  /* VMX */
	CHECK(!(r[2] & (1u << 6)));  /* SMX */
	CHECK(!(r[2] & (1u << 3)));  /* MONITOR */
	CHECK(!(r[2] & (1u << 17))); /* PCID: CR4.PCIDE cannot be set */
	CHECK(!(r[2] & (1u << 21))); /* x2APIC */
	CHECK(!(r[2] & (1u << 24))); /* TSC deadline */
	CHECK(!(r[2] & (1u << 15))); /* PDCM: perf capabilities MSR */
	CHECK(r[2] & (1u << 31));    /* hypervisor */
	CHECK(r[2] & (1u << 0));     /* SSE3 kept */
	CHECK(r[2] & (1u << 28));    /* AVX kept */
	CHECK(!(r[3] & (1u << 9)));  /* APIC */
	CHECK(!(r[3] & (1u << 12))); /* MTRR */
	CHECK(!(r[3] & (1u << 7)));  /* MCE */
	CHECK(!(r[3] & (1u << 14))); /* MCA */
	CHECK(r[3] & (1u << 26));    /* SSE2 kept */
	CHECK_EQ(r[0], 0x906ea);
	CHECK_EQ(r[1], 0x00015678); /* APIC id 0, one logical CPU */
}

TEST(leaf7_only_what_works)
{
	uint32_t r[4];
	all_ones(7, 0, &base, r);
	CHECK_EQ(r[0], 0);            /* no subleaves */
	CHECK(!(r[1] & (1u << 0)));   /* FSGSBASE */
	CHECK(!(r[1] & (1u << 2)));   /* SGX */
	CHECK(!(r[1] & (1u << 4)));   /* HLE */
	CHECK(!(r[1] & (1u << 7)));   /* SMEP */
	CHECK(!(r[1] & (1u << 10)));  /* INVPCID */
	CHECK(!(r[1] & (1u << 11)));  /* RTM */
	CHECK(!(r[1] & (1u << 14)));  /* MPX */
	CHECK(!(r[1] & (1u << 16)));  /* AVX512F: XCR0 cannot enable it */
	CHECK(!(r[1] & (1u << 25)));  /* processor trace */
	CHECK(r[1] & (1u << 5));      /* AVX2 kept */
	CHECK(!(r[2] & (1u << 3)));   /* PKU */
	CHECK(!(r[2] & (1u << 4)));   /* OSPKE */
	CHECK(!(r[2] & (1u << 5)));   /* WAITPKG */
	CHECK(!(r[2] & (1u << 22)));  /* RDPID: not without a per-app TSC_AUX */
	CHECK(!(r[2] & (1u << 30)));  /* SGX launch control */
	CHECK(!(r[3] & (1u << 26)));  /* IBRS/IBPB: MSRs */
	CHECK(!(r[3] & (1u << 29)));  /* ARCH_CAPABILITIES */
	CHECK(!(r[3] & (1u << 20)));  /* CET IBT */
	all_ones(7, 1, &base, r);
	CHECK(r[0] == 0 && r[1] == 0 && r[2] == 0 && r[3] == 0);
}

TEST(rdtscp_and_rdpid_follow_the_backend)
{
	struct cpuid_view v = base;
	uint32_t r[4];
	all_ones(0x80000001, 0, &v, r);
	CHECK(!(r[3] & (1u << 27)));
	all_ones(7, 0, &v, r);
	CHECK(!(r[2] & (1u << 22)));
	v.rdtscp = true;
	all_ones(0x80000001, 0, &v, r);
	CHECK(r[3] & (1u << 27));
	all_ones(7, 0, &v, r);
	CHECK(r[2] & (1u << 22));
}

TEST(hidden_leaves_read_zero)
{
	static const uint32_t leaves[] = { 3, 5, 6, 0xa /* PMU */, 0xb, 0xf, 0x10, 0x12 /* SGX */, 0x14 /* PT */,
					   0x19, 0x1d, 0x1f, 0x8000000a /* SVM */, 0x8000001e, 0x8000001f };
	for (unsigned i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++) {
		uint32_t r[4];
		all_ones(leaves[i], 0, &base, r);
		CHECK(r[0] == 0 && r[1] == 0 && r[2] == 0 && r[3] == 0);
	}
}

TEST(maxima_clamped)
{
	uint32_t r[4] = { 0x20, 0x756e6547, 0x6c65746e, 0x49656e69 };
	cpuid_filter(0, 0, &base, r);
	CHECK_EQ(r[0], CPUID_MAX_BASIC);
	CHECK_EQ(r[1], 0x756e6547); /* vendor kept */
	uint32_t e[4] = { 0x80000028, 1, 2, 3 };
	cpuid_filter(0x80000000, 0, &base, e);
	CHECK_EQ(e[0], CPUID_MAX_EXT);
}

TEST(ext_leaf_hides_svm)
{
	uint32_t r[4];
	all_ones(0x80000001, 0, &base, r);
	CHECK(!(r[2] & (1u << 2)));  /* SVM */
	CHECK(!(r[2] & (1u << 12))); /* SKINIT */
	CHECK(!(r[2] & (1u << 13))); /* WDT */
	CHECK(!(r[2] & (1u << 29))); /* MONITORX */
	CHECK(!(r[3] & (1u << 11))); /* SYSCALL: EFER.SCE cannot be set */
	CHECK(r[3] & (1u << 29));    /* LM kept */
	CHECK(r[3] & (1u << 20));    /* NX kept */
	all_ones(0x80000008, 0, &base, r);
	CHECK(!(r[1] & (1u << 4)));  /* RDPRU */
	CHECK(!(r[1] & (1u << 12))); /* IBPB */
	CHECK(r[2] == 0 && r[3] == 0);
}

TEST(hypervisor_leaves)
{
	uint32_t r[4] = { 0 };
	cpuid_filter(0x40000000, 0, &base, r);
	CHECK_EQ(r[0], 0x40000000);
	char sig[13] = { 0 };
	memcpy(sig, &r[1], 4);
	memcpy(sig + 4, &r[2], 4);
	memcpy(sig + 8, &r[3], 4);
	CHECK_STR(sig, UV_CPUID_SIGNATURE);
	uint32_t z[4] = { 9, 9, 9, 9 };
	cpuid_filter(0x40000001, 0, &base, z);
	CHECK(z[0] == 0 && z[1] == 0 && z[2] == 0 && z[3] == 0);
}

TEST(xsave_limited_to_switched_state)
{
	uint32_t r[4] = { 0xe7, 0x340, 0xa88, 0 }; /* host: x87 SSE AVX + AVX-512 */
	cpuid_filter(0xd, 0, &base, r);
	CHECK_EQ(r[0], 0x7);
	CHECK_EQ(r[1], 576); /* for the guest's XCR0, not the host's */
	CHECK_EQ(r[2], 832);
	uint32_t s[4] = { 0xf, 1, 2, 3 };
	cpuid_filter(0xd, 1, &base, s);
	CHECK(!(s[0] & 8)); /* XSAVES */
	CHECK(s[1] == 0 && s[2] == 0 && s[3] == 0);
	uint32_t t[4] = { 0x100, 0x240, 0, 0 };
	cpuid_filter(0xd, 5, &base, t); /* AVX-512 component: not offered */
	CHECK(t[0] == 0 && t[1] == 0);
	uint32_t u[4] = { 0x100, 0x240, 0, 0 };
	cpuid_filter(0xd, 2, &base, u); /* AVX component: kept */
	CHECK_EQ(u[0], 0x100);
	uint32_t w[4] = { 1, 1, 1, 1 };
	cpuid_filter(0xd, 64, &base, w);
	CHECK(w[0] == 0);
}
