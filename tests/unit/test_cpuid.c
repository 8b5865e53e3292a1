/* tests/unit/test_cpuid.c: the CPUID filter apps see through. */
#include <stdint.h>
#include "tests/unit/unit.h"
#include "kernel/cpuid.h"

TEST(leaf1_hides_vmx_sets_hypervisor)
{
	uint32_t r[4] = { 0x906ea, 0x12345678, 0xffffffff & ~(1u << 31), 0xffffffff };
	cpuid_filter(1, 0, 7, r);
	CHECK(!(r[2] & (1u << 5)));  /* VMX */
	CHECK(!(r[2] & (1u << 3)));  /* MONITOR */
	CHECK(!(r[2] & (1u << 21))); /* x2APIC */
	CHECK(r[2] & (1u << 31));    /* hypervisor */
	CHECK(r[2] & (1u << 0));     /* SSE3 untouched */
	CHECK(!(r[3] & (1u << 9)));  /* APIC */
	CHECK_EQ(r[0], 0x906ea);
}

TEST(ext_leaf_hides_svm)
{
	uint32_t r[4] = { 0, 0, 0xffffffff, 0xffffffff };
	cpuid_filter(0x80000001, 0, 7, r);
	CHECK(!(r[2] & (1u << 2)));
	uint32_t s[4] = { 1, 2, 3, 4 };
	cpuid_filter(0x8000000a, 0, 7, s);
	CHECK(s[0] == 0 && s[1] == 0 && s[2] == 0 && s[3] == 0);
}

TEST(hypervisor_leaves)
{
	uint32_t r[4] = { 0 };
	cpuid_filter(0x40000000, 0, 7, r);
	CHECK_EQ(r[0], 0x40000000);
	char sig[13] = { 0 };
	memcpy(sig, &r[1], 4);
	memcpy(sig + 4, &r[2], 4);
	memcpy(sig + 8, &r[3], 4);
	CHECK_STR(sig, UV_CPUID_SIGNATURE);
	uint32_t z[4] = { 9, 9, 9, 9 };
	cpuid_filter(0x40000001, 0, 7, z);
	CHECK(z[0] == 0 && z[1] == 0 && z[2] == 0 && z[3] == 0);
}

TEST(xsave_limited_to_switched_state)
{
	uint32_t r[4] = { 0xe7, 0x340, 0xa88, 0 }; /* host: x87 SSE AVX + AVX-512 */
	cpuid_filter(0xd, 0, 0x7, r);
	CHECK_EQ(r[0], 0x7);
	uint32_t s[4] = { 0xf, 0, 0, 0 };
	cpuid_filter(0xd, 1, 0x7, s);
	CHECK(!(s[0] & 8)); /* XSAVES */
	uint32_t t[4] = { 0x100, 0x240, 0, 0 };
	cpuid_filter(0xd, 5, 0x7, t); /* AVX-512 component: not offered */
	CHECK(t[0] == 0 && t[1] == 0);
	uint32_t u[4] = { 0x100, 0x240, 0, 0 };
	cpuid_filter(0xd, 2, 0x7, u); /* AVX component: kept */
	CHECK_EQ(u[0], 0x100);
}
